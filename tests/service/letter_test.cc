// Making a letter at the workflow level: bytes back, nothing written; the tracked request
// decides the form; each failure names its field and is what it is.
#include "service/letter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/batch.h"
#include "service/complaint.h"
#include "service/evidence.h"
#include "service/incidents.h"
#include "service/letters.h"
#include "service/requests.h"

namespace recourse::service {
namespace {

class LetterTest : public testing::ServiceTest {
 protected:
  std::string textOf(const Letter& letter) {
    const std::string path = tmp_.file("letter-" + std::to_string(++n_) + ".pdf");
    testing::writeBytes(path, letter.pdf);
    return testing::foldedText(path);
  }
  std::string fontsOf(const Letter& letter) {
    const std::string path = tmp_.file("fonts-" + std::to_string(++n_) + ".pdf");
    testing::writeBytes(path, letter.pdf);
    return testing::run("pdffonts '" + path + "'");
  }
  // A person with an address and a date of birth, and a case about a therapist whose
  // practice has an address.
  core::Case addCaseWithDetails(const std::string& address = "12 Elm Street, Oakland, CA 94601") {
    core::Client c;
    c.name = "Maya Okafor";
    c.address = address;
    c.date_of_birth = "1984-07-19";
    auto client = store().addClient(c);
    EXPECT_TRUE(client.isOk()) << client.status().toString();
    core::Case k;
    k.client_id = client->id;
    k.provider.name = "Dr. Jane Smith";
    k.provider.license_type = "LMFT";
    k.provider.jurisdiction = "us-ca";
    k.provider.practice = "Bay Clinic";
    k.provider.address = "1 Main St, Oakland, CA 94607";
    auto kase = store().addCase(k);
    EXPECT_TRUE(kase.isOk()) << kase.status().toString();
    return *kase;
  }
  // A tracked request to the practice (its address left to the case), sent on `sent`.
  std::string addSentRequest(const core::Case& kase, const std::string& sent,
                             const std::string& reference = "") {
    core::RecordsRequest r;
    r.case_id = kase.id;
    r.custodian_name = "Bay Clinic";
    r.reference = reference;
    r.answers_json = R"({"scope":"all","format":"electronic","send_to":"me"})";
    auto added = store().addRequest(r);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    if (!sent.empty()) {
      core::RequestEvent e;
      e.request_id = added->id;
      e.type = core::RequestEventType::kSent;
      e.on = *core::Date::parse(sent, "on");
      e.via = "mail";
      EXPECT_TRUE(store().addRequestEvent(e).isOk());
    }
    return added->id;
  }
  // What a form needs beyond what a tracked request that is overdue already says.
  static std::vector<std::string> setsFor(const std::string& form) {
    if (form == "denial-review") return {"what_refused=all", "review_route=review"};
    return {};
  }
  int n_ = 0;
};

// "March 2, 2026" -> 2026-03-02; nullopt when `s` is not such a date.
std::optional<core::Date> parseLongDate(const std::string& s) {
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  for (int m = 0; m < 12; ++m) {
    std::string name = kMonths[m];
    if (s.rfind(name + " ", 0) != 0) continue;
    int day = 0;
    int year = 0;
    if (std::sscanf(s.c_str() + name.size(), " %d, %d", &day, &year) != 2) return std::nullopt;
    return core::Date(year, static_cast<unsigned>(m + 1), static_cast<unsigned>(day));
  }
  return std::nullopt;
}

TEST_F(LetterTest, ARecordsRequestFromTheCaseAndTheLaw) {
  auto kase = addCase("us-ca", "LMFT");
  auto letter = makeLetter(
      services(),
      {"records-request", kase.id, "", nullptr, {"scope=all", "format=paper", "send_to=me"}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  EXPECT_EQ(letter->form_id, "records-request");
  EXPECT_GE(letter->pages, 1);
  EXPECT_FALSE(letter->due_date.empty());
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("Maya Okafor"), std::string::npos) << text;
  EXPECT_NE(text.find("45 CFR 164.524"), std::string::npos) << text;
  EXPECT_NE(text.find(letter->due_date), std::string::npos) << text;
  EXPECT_TRUE(std::filesystem::is_empty(tmp_.path()) ||
              !std::filesystem::exists(tmp_.file("letter-0.pdf")));
}

TEST_F(LetterTest, MissingAnswersAreListedByField) {
  auto kase = addCase();
  auto letter = makeLetter(services(), {"records-request", kase.id, "", nullptr, {}, {}});
  ASSERT_FALSE(letter.isOk());
  EXPECT_EQ(letter.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(letter.status().field(), "answers");
  EXPECT_NE(letter.status().message().find("scope: is needed for this document (all, dates)"),
            std::string::npos)
      << letter.status().message();
}

TEST_F(LetterTest, EachWrongIdNamesItsFieldAndALockedVaultIsNotNotFound) {
  auto kase = addCase();
  auto form = makeLetter(services(), {"nope", kase.id, "", nullptr, {}, {}});
  EXPECT_EQ(form.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(form.status().field(), "form_id");
  auto kcase = makeLetter(services(), {"records-request", "cs_nothere", "", nullptr, {}, {}});
  EXPECT_EQ(kcase.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(kcase.status().field(), "case_id");
  auto req = makeLetter(services(), {"", "", "rq_nothere", nullptr, {}, {}});
  EXPECT_EQ(req.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(req.status().field(), "request_id");
  auto set = makeLetter(services(), {"records-request", kase.id, "", nullptr, {"colour=blue"}, {}});
  EXPECT_EQ(set.status().field(), "set");
  store().lock();
  auto locked =
      makeLetter(services(), {"records-request", kase.id, "", nullptr, {"scope=all"}, {}});
  EXPECT_EQ(locked.status().code(), core::StatusCode::kUnauthenticated);
}

TEST_F(LetterTest, ATrackedRequestPicksTheLetterItsStateCallsFor) {
  auto kase = addCase("us-ca", "LMFT");
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  r.answers_json = R"({"scope":"all"})";
  auto added = store().addRequest(r);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  core::RequestEvent sent;
  sent.request_id = added->id;
  sent.type = core::RequestEventType::kSent;
  sent.on = *core::Date::parse("2026-01-05", "on");
  sent.via = "mail";
  ASSERT_TRUE(store().addRequestEvent(sent).isOk());
  // Sent on 5 January; by 2 March the answer is overdue: a follow-up.
  auto letter = makeLetter(
      services(), {"", "", added->id, nullptr, {"heard_back=nothing", "reply_within_days=14"}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  EXPECT_EQ(letter->form_id, "records-followup");
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("Bay Clinic"), std::string::npos) << text;
  EXPECT_NE(text.find("January 5, 2026"), std::string::npos) << text;

  core::RequestEvent denied;
  denied.request_id = added->id;
  denied.type = core::RequestEventType::kDenied;
  denied.on = *core::Date::parse("2026-02-20", "on");
  ASSERT_TRUE(store().addRequestEvent(denied).isOk());
  auto review = makeLetter(
      services(), {"", "", added->id, nullptr, {"what_refused=all", "review_route=review"}, {}});
  ASSERT_TRUE(review.isOk()) << review.status().toString();
  EXPECT_EQ(review->form_id, "denial-review");
}

// A correction request: its own letter, law and time limit (RCW 70.02.100: ten days; HIPAA
// 164.526 too), a follow-up that says what was asked for and quotes that time limit, and
// after a refusal a statement of disagreement.
TEST_F(LetterTest, ACorrectionRequestHasItsOwnLawLettersAndNextSteps) {
  auto kase = addCase("us-wa", "LMHC");
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Cedar Counseling";
  r.kind = core::RequestKind::kAmendment;
  r.answers_json = R"({"what_is_wrong":"The note of 4 May says I missed three sessions.",)"
                   R"("what_it_should_say":"I attended every session in May."})";
  auto added = store().addRequest(r);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(store().getRequest(added->id)->kind, core::RequestKind::kAmendment);
  core::RequestEvent sent;
  sent.request_id = added->id;
  sent.type = core::RequestEventType::kSent;
  sent.on = *core::Date::parse("2026-02-25", "on");
  sent.via = "mail";
  ASSERT_TRUE(store().addRequestEvent(sent).isOk());

  // Received 25 February: ten days, so due 7 March (today is 2 March): the request letter.
  auto letter = makeLetter(services(), {"", "", added->id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  EXPECT_EQ(letter->form_id, "records-amendment");
  std::string text = textOf(*letter);
  EXPECT_NE(text.find("Request to correct my records"), std::string::npos) << text;
  EXPECT_NE(text.find("I attended every session in May."), std::string::npos) << text;
  EXPECT_NE(text.find("RCW 70.02.100(2)"), std::string::npos) << text;
  EXPECT_NE(text.find("45 CFR 164.526"), std::string::npos) << text;
  EXPECT_NE(text.find("a request to correct records must be acted on within 10 calendar days"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("March 7, 2026"), std::string::npos) << text;

  // Sent earlier, on 10 February: due 20 February, so overdue: the follow-up says what was
  // asked for and quotes the correction's time limit.
  core::RecordsRequest late = r;
  auto late_added = store().addRequest(late);
  ASSERT_TRUE(late_added.isOk());
  sent.request_id = late_added->id;
  sent.on = *core::Date::parse("2026-02-10", "on");
  ASSERT_TRUE(store().addRequestEvent(sent).isOk());
  auto followup = makeLetter(
      services(),
      {"", "", late_added->id, nullptr, {"heard_back=nothing", "reply_within_days=14"}, {}});
  ASSERT_TRUE(followup.isOk()) << followup.status().toString();
  EXPECT_EQ(followup->form_id, "records-followup");
  text = textOf(*followup);
  EXPECT_NE(text.find("I asked you for a correction of my records."), std::string::npos) << text;
  EXPECT_NE(text.find("I have not received a correction of my records, or any reply."),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("the records or any reply"), std::string::npos) << text;
  EXPECT_NE(text.find("a request to correct records must be acted on within 10"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("the records must be provided"), std::string::npos) << text;

  // Refused: the next step is a statement of disagreement, and it is the letter made.
  core::RequestEvent denied;
  denied.request_id = late_added->id;
  denied.type = core::RequestEventType::kDenied;
  denied.on = *core::Date::parse("2026-02-27", "on");
  ASSERT_TRUE(store().addRequestEvent(denied).isOk());
  auto tracked = showRequest(services(), late_added->id);
  ASSERT_TRUE(tracked.isOk());
  ASSERT_FALSE(tracked->state.next.empty());
  EXPECT_EQ(tracked->state.next.front().form, "records-disagreement");
  auto statement =
      makeLetter(services(), {"",
                              "",
                              late_added->id,
                              nullptr,
                              {"what_you_asked=To record that I attended every session.",
                               "statement=The note is wrong: I have the appointment texts."},
                              {}});
  ASSERT_TRUE(statement.isOk()) << statement.status().toString();
  EXPECT_EQ(statement->form_id, "records-disagreement");
  text = textOf(*statement);
  EXPECT_NE(text.find("Statement of disagreement"), std::string::npos) << text;
  EXPECT_NE(text.find("The note is wrong: I have the appointment texts."), std::string::npos)
      << text;

  // A complaint about it cites the right to a correction and its law, not access.
  auto complaint = makeLetter(
      services(), {"escalation-complaint", "", late_added->id, nullptr, {"problem=refused"}, {}});
  ASSERT_TRUE(complaint.isOk()) << complaint.status().toString();
  text = textOf(*complaint);
  EXPECT_NE(text.find("my right to have my health records corrected under RCW 70.02.100(2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("my request to correct my records was refused or not answered"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("70.02.080"), std::string::npos) << text;

  // Once the statement is sent, that step is done.
  core::RequestEvent statement_sent;
  statement_sent.request_id = late_added->id;
  statement_sent.type = core::RequestEventType::kDisagreementSent;
  statement_sent.on = *core::Date::parse("2026-03-01", "on");
  ASSERT_TRUE(store().addRequestEvent(statement_sent).isOk());
  tracked = showRequest(services(), late_added->id);
  ASSERT_TRUE(tracked.isOk());
  for (const auto& n : tracked->state.next) EXPECT_NE(n.form, "records-disagreement");
}

// A list of disclosures: HIPAA 164.528's sixty days.
TEST_F(LetterTest, AListOfDisclosuresCitesItsLaw) {
  auto kase = addCase("us-ca", "LMFT");
  auto letter =
      makeLetter(services(), {"disclosures-accounting", kase.id, "", nullptr, {"scope=all"}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("45 CFR 164.528(c)(1)"), std::string::npos) << text;
  EXPECT_NE(text.find("the list of disclosures must be provided within 60 calendar days"),
            std::string::npos)
      << text;
  // Today is 2 March 2026: sixty days on is 1 May.
  EXPECT_NE(text.find("May 1, 2026"), std::string::npos) << text;
}

TEST_F(LetterTest, ARecordsRequestCarriesBothAddressesTheDateOfBirthAndTheReference) {
  auto kase = addCaseWithDetails();
  const std::string id = addSentRequest(kase, "", "MR-2231");
  auto letter = makeLetter(services(), {"records-request", "", id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  // The sender's address (the client's), then the custodian's (the practice's, from the case).
  testing::expectInOrder(text, {"Maya Okafor", "12 Elm Street", "Oakland, CA 94601", "Bay Clinic",
                                "1 Main St", "Oakland, CA 94607"});
  EXPECT_NE(text.find("Date of birth: July 19, 1984"), std::string::npos) << text;
  EXPECT_NE(text.find("Your reference: MR-2231"), std::string::npos) << text;
}

TEST_F(LetterTest, DaysInAnswersAreWrittenLikeTheLettersOwnDate) {
  // A clerk reads every day in the same style as the letter's date line, not as stored.
  auto kase = addCaseWithDetails();
  kase.provider.jurisdiction = "gb";
  ASSERT_TRUE(store().updateCase(kase).isOk());
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  r.answers_json = R"({"scope":"dates","date_range":{"start":"2023-09-01","end":"2024-04-30"},)"
                   R"("format":"electronic","send_to":"me"})";
  auto added = store().addRequest(r);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  auto letter = makeLetter(services(), {"records-request", "", added->id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("Date of birth: 19 July 1984"), std::string::npos) << text;
  EXPECT_NE(text.find("dated from 1 September 2023 to 30 April 2024"), std::string::npos) << text;
  EXPECT_EQ(text.find("1984-07-19"), std::string::npos) << text;
}

TEST_F(LetterTest, NoSecondFollowUpByDefaultWhileTheFirstAwaitsItsReply) {
  auto kase = addCaseWithDetails();
  const std::string id = addSentRequest(kase, "2026-01-05");
  core::RequestEvent f;
  f.request_id = id;
  f.type = core::RequestEventType::kFollowUpSent;
  f.on = core::Date(2026, 2, 25);  // the letter asked for a reply within 14 days: 11 March
  ASSERT_TRUE(store().addRequestEvent(f).isOk());
  auto refused = makeLetter(services(), {"", "", id, nullptr, {}, {}});
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().field(), "form_id");
  EXPECT_NE(refused.status().message().find("reply is due by 2026-03-11"), std::string::npos)
      << refused.status().message();
  // Asked for by name, it is made.
  EXPECT_TRUE(makeLetter(services(), {"records-followup", "", id, nullptr, {}, {}}).isOk());
}

TEST_F(LetterTest, AFollowUpMadeAsSuggestedTakesTheTrackedRequestsFacts) {
  auto kase = addCaseWithDetails();
  const std::string id = addSentRequest(kase, "2026-01-05", "MR-2231");
  auto shown = showRequest(services(), id);
  ASSERT_TRUE(shown.isOk());
  ASSERT_FALSE(shown->state.next.empty());
  const std::string form = shown->state.next.front().form;
  EXPECT_EQ(form, "records-followup");
  // The suggested command names the request and the form; nothing else is asked.
  EXPECT_EQ(suggestedLetterCommand(id, form),
            "recourse request letter " + id + " --form records-followup --out records-followup-" +
                id + ".pdf");
  auto letter = makeLetter(services(), {form, "", id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("On January 5, 2026 I asked you"), std::string::npos) << text;
  testing::expectInOrder(
      text, {"12 Elm Street", "Oakland, CA 94601", "Bay Clinic", "1 Main St", "Oakland, CA 94607"});
  EXPECT_NE(text.find("Date of birth: July 19, 1984"), std::string::npos) << text;
  EXPECT_NE(text.find("MR-2231"), std::string::npos) << text;
  EXPECT_NE(text.find("I have not received a copy of my records, or any reply."), std::string::npos)
      << text;
  // "Your answer was due on DATE, N days ago." with N the days from DATE to the letter's
  // date (2 March 2026).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      text, m,
      std::regex("Your answer was due on ([A-Z][a-z]+ [0-9]+, [0-9]{4}), ([0-9]+) days? ago\\.")))
      << text;
  auto due = parseLongDate(m[1].str());
  ASSERT_TRUE(due.has_value()) << m[1];
  EXPECT_EQ(std::stol(m[2].str()), (core::Date(2026, 3, 2).days() - due->days()).count());
  EXPECT_EQ(text.find(", days ago"), std::string::npos) << text;
}

TEST_F(LetterTest, AFollowUpBeforeTheDueDateHasNoSentenceWithAMissingNumber) {
  auto kase = addCaseWithDetails();
  // Received today: the answer is not yet late.
  auto letter = makeLetter(services(), {"records-followup",
                                        kase.id,
                                        "",
                                        nullptr,
                                        {"heard_back=nothing", "reply_within_days=14"},
                                        {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_EQ(text.find("days ago"), std::string::npos) << text;
  EXPECT_NE(text.find("Your answer is due on"), std::string::npos) << text;
}

TEST_F(LetterTest, NoCitationIsRepeatedInConsecutiveSentences) {
  auto kase = addCaseWithDetails();
  const std::string id = addSentRequest(kase, "2026-01-05");
  auto letter = makeLetter(services(), {"records-followup", "", id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  std::string text = textOf(*letter);
  // Sentences end at ". " and a capital letter; the abbreviation "Cal." does not end one.
  for (size_t at = text.find("Cal. "); at != std::string::npos; at = text.find("Cal. ", at)) {
    text[at + 3] = '#';
  }
  std::vector<std::string> sentences;
  std::regex end("\\.\\s+(?=[A-Z][a-z])");
  std::sregex_token_iterator it(text.begin(), text.end(), end, -1);
  for (; it != std::sregex_token_iterator(); ++it) sentences.push_back(*it);
  std::regex citation(
      "(Cal# Health & Safety Code §+ [0-9]+(\\([a-z0-9]+\\))*|45 CFR "
      "[0-9]+\\.[0-9]+(\\([a-z0-9]+\\))*)");
  std::set<std::string> previous;
  for (const auto& sentence : sentences) {
    std::set<std::string> here;
    for (std::sregex_iterator c(sentence.begin(), sentence.end(), citation);
         c != std::sregex_iterator(); ++c) {
      here.insert(c->str());
    }
    for (const auto& c : here) EXPECT_EQ(previous.count(c), 0u) << c << " repeated in: " << text;
    previous = here;
  }
}

// A letter asking for a paper copy to be posted to the person, who has given no address,
// could not be answered: it is refused, naming the answer it needs (forms' required_if).
TEST_F(LetterTest, APaperCopyWithoutAnAddressIsRefusedNamingTheAddress) {
  auto kase = addCaseWithDetails("");
  auto letter = makeLetter(
      services(),
      {"records-request", kase.id, "", nullptr, {"scope=all", "format=paper", "send_to=me"}, {}});
  ASSERT_FALSE(letter.isOk());
  EXPECT_EQ(letter.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(letter.status().message().find("requester_address: is needed"), std::string::npos)
      << letter.status().toString();
  // An electronic copy with an email to send it to needs no address.
  auto emailed = makeLetter(services(), {"records-request",
                                         kase.id,
                                         "",
                                         nullptr,
                                         {"scope=all", "format=electronic", "send_to=me",
                                          "requester_email=zoe@example.org"},
                                         {}});
  ASSERT_TRUE(emailed.isOk()) << emailed.status().toString();
  EXPECT_NE(textOf(*emailed).find("zoe@example.org"), std::string::npos);
  // With an address, the letter points to it.
  auto kase2 = addCaseWithDetails();
  auto with = makeLetter(
      services(),
      {"records-request", kase2.id, "", nullptr, {"scope=all", "format=paper", "send_to=me"}, {}});
  ASSERT_TRUE(with.isOk());
  EXPECT_NE(textOf(*with).find("by post to my address above"), std::string::npos);
}

TEST_F(LetterTest, CopiesForAThirdPartyAreNotAlsoAskedForMe) {
  auto kase = addCaseWithDetails();
  auto letter = makeLetter(
      services(), {"records-request",
                   kase.id,
                   "",
                   nullptr,
                   {"scope=all", "format=paper", "send_to=third_party",
                    "third_party.name=Legal Aid Society", "third_party.address=55 Grand Ave"},
                   {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_EQ(text.find("send me"), std::string::npos) << text;
  EXPECT_EQ(text.find("address above"), std::string::npos) << text;
  EXPECT_NE(text.find("I direct you to send a paper copy of my records by post to Legal Aid "
                      "Society, 55 Grand Ave."),
            std::string::npos)
      << text;
}

// With no postal address, the email given for replies is in the letterhead, so that a letter
// whose copy goes to someone else can still be answered.
TEST_F(LetterTest, AnEmailForRepliesIsInTheLetterhead) {
  auto kase = addCaseWithDetails("");
  auto letter = makeLetter(
      services(),
      {"records-request",
       kase.id,
       "",
       nullptr,
       {"scope=all", "format=electronic", "send_to=third_party", "requester_email=zoe@example.org",
        "third_party.name=Legal Aid Society", "third_party.email=intake@legalaid.example"},
       {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  const size_t email = text.find("zoe@example.org");
  ASSERT_NE(email, std::string::npos) << text;
  EXPECT_LT(email, text.find("Dear ")) << text;
  EXPECT_NE(text.find("(intake@legalaid.example)"), std::string::npos) << text;
}

TEST_F(LetterTest, NoReplyByDateIsPastOnTheDayTheLetterIsDated) {
  auto kase = addCaseWithDetails();
  // Made again on 2 March for a request received on 5 January.
  auto letter = makeLetter(services(), {"records-request",
                                        kase.id,
                                        "",
                                        nullptr,
                                        {"scope=all", "format=electronic", "send_to=me"},
                                        core::Date(2026, 1, 5)});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  std::smatch dated;
  std::smatch by;
  const std::string date = "([A-Z][a-z]+ [0-9]+, [0-9]{4})";
  ASSERT_TRUE(std::regex_search(text, by, std::regex("please respond by " + date))) << text;
  // The date line is the first long date after the letterhead.
  ASSERT_TRUE(std::regex_search(text, dated, std::regex(date))) << text;
  auto d = parseLongDate(dated[1].str());
  auto b = parseLongDate(by[1].str());
  ASSERT_TRUE(d && b) << text;
  EXPECT_LE(*d, *b) << text;
}

TEST_F(LetterTest, TheLetterUsesNoInterviewWordingAddressedToThePerson) {
  auto kase = addCaseWithDetails();
  for (const char* form :
       {"records-request", "records-followup", "denial-review", "escalation-complaint"}) {
    const std::string id = addSentRequest(kase, "2026-01-05");
    auto letter = makeLetter(services(), {form, "", id, nullptr, setsFor(form), {}});
    ASSERT_TRUE(letter.isOk()) << form << ": " << letter.status().toString();
    const std::string text = textOf(*letter);
    EXPECT_EQ(text.find("Your name"), std::string::npos) << form << ": " << text;
    EXPECT_EQ(text.find("(optional)"), std::string::npos) << form << ": " << text;
  }
}

TEST_F(LetterTest, EveryLetterEmbedsItsFonts) {
  auto kase = addCaseWithDetails();
  const std::string id = addSentRequest(kase, "2026-01-05");
  for (const char* form :
       {"records-request", "records-followup", "denial-review", "escalation-complaint"}) {
    auto letter = makeLetter(services(), {form, "", id, nullptr, setsFor(form), {}});
    ASSERT_TRUE(letter.isOk()) << form << ": " << letter.status().toString();
    const std::string fonts = fontsOf(*letter);
    // pdffonts: a header of two lines, then one line per font with "emb" as a yes/no column.
    std::istringstream lines(fonts);
    std::string line;
    int n = 0;
    int fonts_seen = 0;
    while (std::getline(lines, line)) {
      if (++n <= 2) continue;
      ++fonts_seen;
      EXPECT_NE(line.find(" yes "), std::string::npos) << form << ": not embedded: " << line;
      EXPECT_EQ(line.find("Helvetica"), std::string::npos) << form << ": " << line;
    }
    EXPECT_GE(fonts_seen, 1) << form << fonts;
  }
}

TEST_F(LetterTest, BulkFollowUpsCarryTheAddressesAndTheDateOfBirth) {
  auto kase = addCaseWithDetails();
  addSentRequest(kase, "2026-01-05", "MR-2231");
  Followups in;
  in.out_dir = tmp_.file("followups");
  std::filesystem::create_directories(in.out_dir);
  in.threads = 1;
  auto made = makeFollowups(services(), in);
  ASSERT_TRUE(made.isOk()) << made.status().toString();
  ASSERT_EQ(made->letters, 1u);
  const std::string text = testing::foldedText(made->combined);
  testing::expectInOrder(
      text, {"Maya Okafor", "12 Elm Street", "Oakland, CA 94601", "Bay Clinic", "1 Main St",
             "Oakland, CA 94607", "Dear Bay Clinic,", "Date of birth: July 19, 1984",
             "Your reference: MR-2231", "On January 5, 2026 I asked you"});
}

TEST_F(LetterTest, ThePracticeAddressIsNotGivenToAnotherCustodian) {
  auto kase = addCaseWithDetails();
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Mercy Hospital Records";
  r.answers_json = R"({"scope":"all","format":"electronic","send_to":"me"})";
  auto added = store().addRequest(r);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  auto letter = makeLetter(services(), {"records-request", "", added->id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("Mercy Hospital Records"), std::string::npos) << text;
  EXPECT_EQ(text.find("1 Main St"), std::string::npos) << text;
}

// Every line pdffonts prints after its two header lines says the font is embedded.
void expectEveryFontEmbedded(const std::string& path) {
  std::istringstream lines(testing::run("pdffonts '" + path + "'"));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    if (++n <= 2) continue;
    EXPECT_NE(line.find(" yes "), std::string::npos) << path << ": not embedded: " << line;
  }
  EXPECT_GT(n, 2) << "no fonts at all in " << path;
}

TEST_F(LetterTest, TheTimelineAndTheComplaintPacketWithAStampedExhibitEmbedEveryFont) {
  auto kase = addCaseWithDetails();
  addIncident(kase.id, "2024-02-10");
  auto timeline = timelinePdf(services(), kase.id);
  ASSERT_TRUE(timeline.isOk()) << timeline.status().toString();
  const std::string timeline_path = tmp_.file("timeline.pdf");
  testing::writeBytes(timeline_path, timeline->pdf);
  expectEveryFontEmbedded(timeline_path);

  // A PDF exhibit (a letter made here), stamped page by page in the packet.
  auto exhibit = makeLetter(services(), {"records-request",
                                         kase.id,
                                         "",
                                         nullptr,
                                         {"scope=all", "format=electronic", "send_to=me"},
                                         {}});
  ASSERT_TRUE(exhibit.isOk());
  const std::string exhibit_path = tmp_.file("sent-letter.pdf");
  testing::writeBytes(exhibit_path, exhibit->pdf);
  AddEvidence ev;
  ev.case_id = kase.id;
  ev.description = "The request I sent";
  ev.source_path = exhibit_path;
  ASSERT_TRUE(addEvidence(services(), ev).isOk());
  ASSERT_TRUE(reviewComplaint(services(), {kase.id,
                                           nullptr,
                                           {"summary=She ended therapy by text.",
                                            "desired_outcome=An investigation."}})
                  .isOk());
  const std::string packet = tmp_.file("packet.pdf");
  auto made = makeComplaintPacket(services(), {kase.id, packet});
  ASSERT_TRUE(made.isOk()) << made.status().toString();
  EXPECT_EQ(made->exhibits, 1u);
  EXPECT_NE(testing::foldedText(packet).find("Exhibit 1 - page 1 of 1"), std::string::npos);
  expectEveryFontEmbedded(packet);
}

TEST_F(LetterTest, AReviewRequestTakesTheRefusalFromTheEvents) {
  auto kase = addCaseWithDetails();
  const std::string id = addSentRequest(kase, "2026-01-05", "MR-88");
  core::RequestEvent denied;
  denied.request_id = id;
  denied.type = core::RequestEventType::kDenied;
  denied.on = core::Date(2026, 2, 20);
  denied.details = "Release would harm the patient";
  ASSERT_TRUE(store().addRequestEvent(denied).isOk());
  // As `request show` suggests it: nothing more is asked.
  auto letter = makeLetter(services(), {"denial-review", "", id, nullptr, {}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("You refused to give me a copy of my records on February 20, 2026."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("The reason you gave was: Release would harm the patient"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Your reference: MR-88"), std::string::npos) << text;
  testing::expectInOrder(
      text, {"12 Elm Street", "Oakland, CA 94601", "Bay Clinic", "1 Main St", "Oakland, CA 94607"});
}

TEST(LetterFormForTest, EachStatusHasItsLetter) {
  EXPECT_EQ(letterFormFor(core::RequestStatus::kDenied), "denial-review");
  EXPECT_EQ(letterFormFor(core::RequestStatus::kOverdue), "records-followup");
  EXPECT_EQ(letterFormFor(core::RequestStatus::kPartiallyFulfilled), "records-followup");
  EXPECT_EQ(letterFormFor(core::RequestStatus::kAwaiting), "records-request");
}

TEST(PostalLinesTest, OneLineAddressesBecomeEnvelopeLines) {
  using Lines = std::vector<std::string>;
  // United States: the city keeps its state and ZIP code.
  EXPECT_EQ(postalLines("Board of Behavioral Sciences, 1625 N Market Blvd., Suite S-200, "
                        "Sacramento, CA 95834"),
            (Lines{"Board of Behavioral Sciences", "1625 N Market Blvd.", "Suite S-200",
                   "Sacramento, CA 95834"}));
  EXPECT_EQ(postalLines("1801 Congress Avenue, Suite 7.300, Austin, Texas 78701"),
            (Lines{"1801 Congress Avenue", "Suite 7.300", "Austin, Texas 78701"}));
  // Canada: the province and postal code go with the city too.
  EXPECT_EQ(postalLines("375 University Avenue, Suite 803, Toronto, ON M5G 2J5"),
            (Lines{"375 University Avenue", "Suite 803", "Toronto, ON M5G 2J5"}));
  // United Kingdom: town and postcode in one part stay one line; a postcode given as its
  // own part keeps its own line.
  EXPECT_EQ(postalLines("General Medical Council, 3 Hardman Street, Manchester M3 3AW"),
            (Lines{"General Medical Council", "3 Hardman Street", "Manchester M3 3AW"}));
  EXPECT_EQ(postalLines("Social Work England, 1 North Bank, Blonk Street, Sheffield, S3 8JY"),
            (Lines{"Social Work England", "1 North Bank", "Blonk Street", "Sheffield", "S3 8JY"}));
  // Australia: "Brisbane Qld 4003" is one part already, and the street before it stays apart.
  EXPECT_EQ(postalLines("PO Box 13281, George Street, Brisbane Qld 4003"),
            (Lines{"PO Box 13281", "George Street", "Brisbane Qld 4003"}));
  EXPECT_EQ(postalLines("1 Main St"), (Lines{"1 Main St"}));
  EXPECT_TRUE(postalLines("").empty());
}

}  // namespace
}  // namespace recourse::service
