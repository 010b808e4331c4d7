// A records request's whole life under a fake clock. Every expected date was worked out by
// hand from the HIPAA rules (30 calendar days, one 30-day extension with notice inside the
// first 30 days, OCR complaints within 180 days).
#include <gtest/gtest.h>

#include "fakes/cli_harness.h"
#include "fakes/temp_dir.h"
#include "pdf/pdf_tools.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Object;

class RequestTest : public testing::CliHarness {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        initVaultWithCase("Zoë Müller", {},
                          {"--provider-name", "Dr. Ana Pérez", "--license-type", "psychologist",
                           "--jurisdiction", "us", "--practice", "Bay Clinic"}));
  }

  std::string newRequest() {
    auto r = cli({"request", "add", "--case", case_, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.json()->getValue<std::string>("custodian"), "Bay Clinic");
    return r.id();
  }

  Object::Ptr show(const std::string& id) {
    auto r = cli({"request", "show", id, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.json();
  }

  std::string nextForms(const Object::Ptr& state) {
    std::string out;
    auto next = state->getArray("next");
    for (size_t i = 0; i < next->size(); ++i) {
      auto n = next->getObject(static_cast<unsigned>(i));
      out += n->getValue<std::string>("form");
      if (n->has("by")) out += "@" + n->getValue<std::string>("by");
      out += " ";
    }
    return out;
  }
};

TEST_F(RequestTest, SentExtendedOverdueFollowedUpPartialThenFulfilled) {
  std::string id = newRequest();
  auto s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "draft");

  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-03-02", "--via", "mail"}).code, 0);
  s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "awaiting");
  EXPECT_EQ(s->getValue<std::string>("due"), "2026-04-01");  // 2 March + 30 days
  EXPECT_EQ(s->getValue<int>("days_left"), 30);

  setToday(2026, 3, 20);
  ASSERT_EQ(cli({"request", "event", id, "--type", "extension_notice", "--on", "2026-03-20"}).code,
            0);
  s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "extended");
  EXPECT_EQ(s->getValue<std::string>("due"), "2026-05-01");  // 1 April + 30 days

  setToday(2026, 5, 4);  // nothing came
  s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "overdue");
  EXPECT_EQ(s->getValue<int>("days_left"), -3);
  // The OCR complaint window runs 180 days from the day after the due date: 2 May to 29 Oct.
  EXPECT_EQ(nextForms(s), "records-followup escalation-complaint@2026-10-29 ");

  ASSERT_EQ(cli({"request", "event", id, "--type", "followup_sent", "--on", "2026-05-04", "--via",
                 "email"})
                .code,
            0);
  setToday(2026, 5, 10);
  ASSERT_EQ(cli({"request", "event", id, "--type", "received_partial", "--on", "2026-05-10",
                 "--details", "No session notes"})
                .code,
            0);
  s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "partially_fulfilled");
  EXPECT_EQ(nextForms(s), "records-followup ");

  setToday(2026, 5, 20);
  ASSERT_EQ(cli({"request", "event", id, "--type", "received_complete", "--on", "2026-05-20"}).code,
            0);
  s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "fulfilled");
  EXPECT_EQ(nextForms(s), "");
  EXPECT_EQ(s->getArray("events")->size(), 5u);
}

TEST_F(RequestTest, DenialOffersReviewAndEscalationWithItsTimeLimit) {
  std::string id = newRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-03-02", "--via", "email"}).code, 0);
  setToday(2026, 3, 10);
  ASSERT_EQ(cli({"request", "event", id, "--type", "denied", "--on", "2026-03-10", "--details",
                 "Said it would be harmful"})
                .code,
            0);
  auto s = show(id);
  EXPECT_EQ(s->getValue<std::string>("status"), "denied");
  // 180 days from 10 March 2026 is 6 September 2026.
  EXPECT_EQ(nextForms(s), "denial-review escalation-complaint@2026-09-06 ");
  setToday(2026, 3, 15);
  ASSERT_EQ(cli({"request", "event", id, "--type", "escalated", "--on", "2026-03-15"}).code, 0);
  EXPECT_EQ(show(id)->getValue<std::string>("status"), "escalated");
}

TEST_F(RequestTest, ATimeLimitThatHasPassedIsSaidPlainly) {
  std::string id = newRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-03-02", "--via", "email"}).code, 0);
  setToday(2026, 3, 10);
  ASSERT_EQ(cli({"request", "event", id, "--type", "denied", "--on", "2026-03-10"}).code, 0);
  // Before the limit (180 days from 10 March 2026: 6 September) it is a date to act by.
  auto before = cli({"request", "show", id});
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_NE(before.out.find("Office for Civil Rights (OCR) by 2026-09-06"), std::string::npos)
      << before.out;
  // After it, the step stays (a late complaint may still be accepted) but says it passed.
  setToday(2026, 9, 16);
  auto after = cli({"request", "show", id});
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_EQ(after.out.find("by 2026-09-06"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("(the usual time limit was 2026-09-06, 10 days ago)"), std::string::npos)
      << after.out;
  // No event line ends in a space.
  EXPECT_EQ(after.out.find(" \n"), std::string::npos) << after.out;
}

TEST_F(RequestTest, AFeeStopsTheClock) {
  std::string id = newRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-03-02", "--via", "portal"}).code, 0);
  setToday(2026, 3, 16);
  ASSERT_EQ(cli({"request", "event", id, "--type", "fee_quoted", "--on", "2026-03-10"}).code, 0);
  ASSERT_EQ(cli({"request", "event", id, "--type", "fee_paid", "--on", "2026-03-15"}).code, 0);
  // 11-15 March do not count: 1 April + 5 days.
  EXPECT_EQ(show(id)->getValue<std::string>("due"), "2026-04-06");
}

TEST_F(RequestTest, BadEventsAreRefusedAndNothingIsRecorded) {
  std::string id = newRequest();
  auto r = cli({"request", "event", id, "--type", "denied", "--on", "2026-03-02"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("record when the request was sent first"), std::string::npos) << r.err;
  r = cli({"request", "send", id, "--on", "2026-03-09", "--via", "mail"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--on: 2026-03-09 is in the future"), std::string::npos) << r.err;
  r = cli({"request", "send", id, "--on", "2026-03-01", "--via", "pigeon"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--via: "), std::string::npos) << r.err;
  r = cli({"request", "event", id, "--type", "lost", "--on", "2026-03-01"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is not one of sent, acknowledged"), std::string::npos) << r.err;
  EXPECT_EQ(show(id)->getArray("events")->size(), 0u);
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-03-01", "--via", "mail"}).code, 0);
  r = cli({"request", "event", id, "--type", "acknowledged", "--on", "2026-02-20"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is before the request was received on 2026-03-01"), std::string::npos);
  EXPECT_EQ(show(id)->getArray("events")->size(), 1u);
  EXPECT_EQ(cli({"request", "show", "rq_nothere"}).code, 2);
  EXPECT_EQ(cli({"request", "add", "--case", "cs_nothere"}).code, 2);
}

// The guide's first step: the letter's answers given once, when tracking starts, and used by
// the letter without asking again.
TEST_F(RequestTest, AnswersGivenWhenTrackingStartsMakeTheLetter) {
  const std::string answers = tmp_.file("answers.json");
  testing::writeFile(answers, R"({"scope": "all", "format": "paper", "send_to": "me"})");
  auto r = cli({"request", "add", "--case", case_, "--answers", answers, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string id = r.id();
  const std::string out = tmp_.file("request.pdf");
  // A paper copy by post needs the person's address, which this client has not given.
  auto refused = cli({"request", "letter", id, "--out", out});
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("requester_address: is needed"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  auto letter =
      cli({"request", "letter", id, "--out", out, "--set", "requester_address.line1=12 Elm St"});
  ASSERT_EQ(letter.code, 0) << letter.err;
  EXPECT_NE(testing::foldedText(out).find("paper"), std::string::npos);

  testing::writeFile(answers, "[1, 2]");
  auto bad = cli({"request", "add", "--case", case_, "--answers", answers});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--answers"), std::string::npos) << bad.err;
}

TEST_F(RequestTest, TheLetterFollowsTheState) {
  std::string id = newRequest();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-03-02", "--via", "mail"}).code, 0);
  setToday(2026, 5, 4);  // due 1 April; 33 days late
  std::string out = tmp_.file("followup.pdf");
  auto r = cli({"request", "letter", id, "--out", out, "--set", "heard_back=nothing", "--set",
                "reply_within_days=14"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string text = testing::foldedText(out);
  EXPECT_NE(text.find("Follow-up: my request for a copy of my records"), std::string::npos) << text;
  EXPECT_NE(text.find("On March 2, 2026 I asked you"), std::string::npos) << text;
  EXPECT_NE(text.find("due on April 1, 2026, 33 days ago"), std::string::npos) << text;
  EXPECT_NE(text.find("within 14 days"), std::string::npos) << text;
}

TEST_F(RequestTest, DeadlinesAcrossCasesSoonestFirstAndAsICalendar) {
  std::string a = newRequest();
  std::string b = newRequest();
  ASSERT_EQ(cli({"request", "send", a, "--on", "2026-03-02", "--via", "mail"}).code, 0);  // 1 Apr
  ASSERT_EQ(cli({"request", "send", b, "--on", "2026-02-20", "--via", "mail"}).code, 0);  // 22 Mar
  auto r = cli({"deadlines", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto arr = r.jsonArray();
  ASSERT_EQ(arr->size(), 2u);
  EXPECT_EQ(arr->getObject(0)->getValue<std::string>("date"), "2026-03-22");
  EXPECT_EQ(arr->getObject(1)->getValue<std::string>("date"), "2026-04-01");
  r = cli({"deadlines", "--within", "21d", "--json"});  // 2 March + 21 = 23 March
  arr = r.jsonArray();
  ASSERT_EQ(arr->size(), 1u);
  std::string ics = tmp_.file("d.ics");
  r = cli({"deadlines", "--ics", ics});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string cal = testing::readFile(ics);
  EXPECT_EQ(cal.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(cal.find("DTSTART;VALUE=DATE:20260322\r\n"), std::string::npos) << cal;
  EXPECT_NE(cal.find("SUMMARY:Records due from Bay Clinic — Zoë Müller\\, about Dr. Ana Pérez\r\n"),
            std::string::npos)
      << cal;
  EXPECT_NE(cal.find("END:VCALENDAR\r\n"), std::string::npos);
  EXPECT_EQ(cli({"deadlines", "--within", "soon"}).code, 2);
}

// A correction request and a request for a list of disclosures: each timed by its own rule
// (HIPAA 45 CFR 164.526 and 164.528: 60 days) and named for what it asks, in the deadlines
// view and the calendar file; a refused correction leads to a statement of disagreement.
TEST_F(RequestTest, CorrectionsAndListsOfDisclosuresAreTrackedByTheirOwnRules) {
  auto r = cli({"request", "add", "--case", case_, "--kind", "amendment", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.json()->getValue<std::string>("kind"), "amendment");
  const std::string amend = r.id();
  r = cli({"request", "add", "--case", case_, "--kind", "accounting", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string list = r.id();
  // Said in words too; that one is withdrawn at once, so it counts no deadline.
  r = cli({"request", "add", "--case", case_, "--kind", "accounting"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_NE(r.out.find("Tracking a request for a list of disclosures rq_"), std::string::npos)
      << r.out;
  const std::string spare =
      r.out.substr(r.out.find("rq_"), r.out.find(' ', r.out.find("rq_")) - r.out.find("rq_"));
  ASSERT_EQ(cli({"request", "event", spare, "--type", "withdrawn", "--on", "2026-03-02"}).code, 0);
  ASSERT_EQ(cli({"request", "send", amend, "--on", "2026-03-02", "--via", "mail"}).code, 0);
  ASSERT_EQ(cli({"request", "send", list, "--on", "2026-02-20", "--via", "mail"}).code, 0);
  EXPECT_EQ(show(amend)->getValue<std::string>("due"), "2026-05-01");  // 2 March + 60
  EXPECT_EQ(show(list)->getValue<std::string>("due"), "2026-04-21");   // 20 February + 60
  std::string ics = tmp_.file("rights.ics");
  ASSERT_EQ(cli({"deadlines", "--ics", ics}).code, 0);
  std::string cal = testing::readFile(ics);
  EXPECT_NE(cal.find("SUMMARY:Answer to your correction request due from Bay Clinic"),
            std::string::npos)
      << cal;
  EXPECT_NE(cal.find("SUMMARY:List of disclosures due from Bay Clinic"), std::string::npos) << cal;
  ASSERT_EQ(cli({"request", "event", amend, "--type", "denied", "--on", "2026-03-02"}).code, 0);
  EXPECT_NE(nextForms(show(amend)).find("records-disagreement"), std::string::npos);
  ASSERT_EQ(
      cli({"request", "event", amend, "--type", "disagreement_sent", "--on", "2026-03-02"}).code,
      0);
  EXPECT_EQ(nextForms(show(amend)).find("records-disagreement"), std::string::npos);
  // An unknown kind is refused, naming the option and the kinds there are.
  r = cli({"request", "add", "--case", case_, "--kind", "erasure"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("kind: \"erasure\" is not one of access"), std::string::npos) << r.err;
}

TEST_F(RequestTest, ListShowsEveryRequestWithItsStatus) {
  std::string a = newRequest();
  std::string b = newRequest();
  ASSERT_EQ(cli({"request", "send", a, "--on", "2026-03-02", "--via", "mail"}).code, 0);
  auto r = cli({"request", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(a), std::string::npos);
  EXPECT_NE(r.out.find("awaiting"), std::string::npos);
  EXPECT_NE(r.out.find(b), std::string::npos);
  EXPECT_NE(r.out.find("draft"), std::string::npos);
}

// An advocate with two clients: every line of deadlines, request list and request show
// names whose it is; --client narrows each list; --as-of plans ahead.
TEST_F(RequestTest, ListsNameTheClientAndCaseAndFilterByClient) {
  std::string a = newRequest();
  std::string sam = addClient("Sam Lee");
  std::string sams_case = addCase(sam, {"--provider-name", "Dr. Cole", "--jurisdiction", "us",
                                        "--title", "Records from Dr. Cole"});
  ASSERT_FALSE(sams_case.empty());
  auto added =
      cli({"request", "add", "--case", sams_case, "--custodian", "Cole Practice", "--json"});
  ASSERT_EQ(added.code, 0) << added.err;
  std::string b = added.id();
  ASSERT_EQ(cli({"request", "send", a, "--on", "2026-03-02", "--via", "mail"}).code, 0);
  ASSERT_EQ(cli({"request", "send", b, "--on", "2026-02-20", "--via", "mail"}).code, 0);

  auto r = cli({"deadlines"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2026-03-22  in 20 days    Records due from Cole Practice — Sam Lee, "
                       "Records from Dr. Cole (" +
                       b + ")"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Records due from Bay Clinic — Zoë Müller, about Dr. Ana Pérez (" + a + ")"),
            std::string::npos)
      << r.out;
  r = cli({"deadlines", "--client", sam});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(b), std::string::npos);
  EXPECT_EQ(r.out.find(a), std::string::npos) << r.out;
  r = cli({"deadlines", "--client", "cl_nobody"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--client: no client with id cl_nobody"), std::string::npos) << r.err;

  // Planning ahead: on 2026-03-25 the first is 3 days overdue, the second due in 7 days.
  r = cli({"deadlines", "--as-of", "2026-03-25"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("As of 2026-03-25:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-03-22  3 days ago"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-04-01  in 7 days"), std::string::npos) << r.out;
  EXPECT_EQ(cli({"deadlines", "--as-of", "2026-02-30"}).code, 2);

  r = cli({"request", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Sam Lee, Records from Dr. Cole (" + sams_case + ")"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Zoë Müller, about Dr. Ana Pérez (" + case_ + ")"), std::string::npos)
      << r.out;
  r = cli({"request", "list", "--client", client_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(a), std::string::npos);
  EXPECT_EQ(r.out.find(b), std::string::npos) << r.out;

  r = cli({"request", "show", b});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  for:      Sam Lee (" + sam + "), case " + sams_case +
                       " Records from Dr. Cole\n"),
            std::string::npos)
      << r.out;
}

// A jurisdiction Recourse does not know is refused with a suggestion; kept on purpose, its
// requests are listed by deadlines with the reason there is no due date.
TEST_F(RequestTest, AnUnknownJurisdictionIsRefusedOrKeptOnPurposeAndNeverDropped) {
  for (const char* typed : {"CA", "us-cal"}) {
    auto r = cli(
        {"case", "add", "--client", client_, "--provider-name", "Dr. X", "--jurisdiction", typed});
    EXPECT_EQ(r.code, 2) << typed;
    EXPECT_NE(r.err.find(std::string("--jurisdiction: \"") + typed +
                         "\" is not a jurisdiction Recourse knows; did you mean us-ca "
                         "(California)"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("Recourse knows: au, ca-on, gb, us,"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--keep-unknown-jurisdiction"), std::string::npos) << r.err;
  }
  auto listed = cli({"case", "list", "--json"});
  ASSERT_EQ(listed.code, 0);
  EXPECT_EQ(listed.jsonArray()->size(), 1u) << "nothing stored";

  auto kept = cli({"case", "add", "--client", client_, "--provider-name", "Dr. Far",
                   "--jurisdiction", "xx-yy", "--keep-unknown-jurisdiction", "--json"});
  ASSERT_EQ(kept.code, 0) << kept.err;
  EXPECT_NE(kept.err.find("warning: Recourse has no law for \"xx-yy\", so it cannot work out due "
                          "dates or find the licensing board"),
            std::string::npos)
      << kept.err;
  auto req = cli({"request", "add", "--case", kept.id(), "--custodian", "Far Clinic", "--json"});
  ASSERT_EQ(req.code, 0) << req.err;
  ASSERT_EQ(cli({"request", "send", req.id(), "--on", "2026-02-20", "--via", "mail"}).code, 0);
  auto r = cli({"deadlines"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("no due date               No due date for the request to Far Clinic: "
                       "Recourse has no law for xx-yy — Zoë Müller, about Dr. Far"),
            std::string::npos)
      << r.out;
  r = cli({"request", "show", req.id()});
  EXPECT_NE(r.out.find("due:      no due date: Recourse has no law for xx-yy"), std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace recourse::cli
