// Letters to the therapist, for a person who chooses to try that: asking for a closing
// session or referrals after an abrupt ending (with the sections of the therapist's own code
// of ethics, when the person asks for them), and a concern in the person's own words. Each
// read back through pdftotext for what it cites, the person's words verbatim, and nothing
// they did not choose.
#include <gtest/gtest.h>

#include <cstdlib>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/letter.h"
#include "service/other_routes.h"

namespace recourse::service {
namespace {

class TherapistLettersTest : public testing::ServiceTest {
 protected:
  core::StatusOr<std::string> letterText(const std::string& form, const std::string& case_id,
                                         const std::vector<std::string>& set) {
    LetterRequest req;
    req.form_id = form;
    req.case_id = case_id;
    req.set = set;
    auto letter = makeLetter(services(), req);
    if (!letter.isOk()) return letter.status();
    const std::string path = tmp_.file(form + std::to_string(++n_) + ".pdf");
    if (const char* keep = std::getenv("RECOURSE_KEEP_LETTERS")) {
      testing::writeBytes(std::string(keep) + "/" + form + std::to_string(n_) + ".pdf",
                          letter->pdf);
    }
    testing::writeBytes(path, letter->pdf);
    return testing::foldedText(path);
  }
  int n_ = 0;
};

TEST_F(TherapistLettersTest, TheEndingLetterAsksForWhatWasChosenAndCitesTheOwnCode) {
  auto kase = addCase("us-ca", "LMFT");
  const std::string own = "I was in the middle of a hard month when the sessions stopped.";
  auto text = letterText(
      "ending-request", kase.id,
      {"ask_for=both", "reply_by=2026-03-16", "mention_code=yes", "anything_to_add=" + own});
  ASSERT_TRUE(text.isOk()) << text.status().toString();
  testing::expectInOrder(
      *text, {"Maya Okafor", "Dr. Jane Smith", "Bay Clinic", "1 Main St", "Dear Dr. Jane Smith,",
              "I would like to ask for a closing session with you",
              "and for the names of other therapists or services who could help me",
              "As I understand it, the AAMFT Code of Ethics speaks to how therapy ends, in "
              "standard 1.11 (\u201cNon-Abandonment\u201d).",
              own, "Please could you reply by March 16, 2026"});
  // Only the verified section with its text read: 1.10 was read in a reproduction only.
  EXPECT_EQ(text->find("1.10"), std::string::npos) << *text;
  // The person's address and email go to the therapist only when they give them.
  EXPECT_EQ(text->find("12 Elm Street"), std::string::npos) << *text;
  EXPECT_EQ(text->find("by email"), std::string::npos) << *text;
  auto with_email =
      letterText("ending-request", kase.id,
                 {"ask_for=referrals", "reply_by=2026-03-16", "requester_email=maya@example.org"});
  ASSERT_TRUE(with_email.isOk()) << with_email.status().toString();
  EXPECT_NE(with_email->find("for example by email to maya@example.org"), std::string::npos)
      << *with_email;
  // Nothing the person did not choose: no board, no complaint, no other code.
  for (const char* absent : {"Board", "board", "complaint", "APA", "NASW", "{{"}) {
    EXPECT_EQ(text->find(absent), std::string::npos) << absent << " in " << *text;
  }

  auto plain =
      letterText("ending-request", kase.id, {"ask_for=closing_session", "reply_by=2026-03-16"});
  ASSERT_TRUE(plain.isOk()) << plain.status().toString();
  EXPECT_NE(plain->find("I would like to ask for a closing session with you, so that our work "
                        "together can end properly."),
            std::string::npos)
      << *plain;
  for (const char* absent : {"names of other therapists", "Code of Ethics", "hard month"}) {
    EXPECT_EQ(plain->find(absent), std::string::npos) << absent << " in " << *plain;
  }
}

TEST_F(TherapistLettersTest, TheEndingLetterNamesOnlyASectionVerifiedForThatProfession) {
  // A social worker: NASW 1.16 was read on NASW's own site; 1.17 only in a reproduction.
  auto social_worker = addCase("us-ca", "LCSW");
  auto text = letterText("ending-request", social_worker.id,
                         {"ask_for=referrals", "reply_by=2026-03-16", "mention_code=yes"});
  ASSERT_TRUE(text.isOk()) << text.status().toString();
  EXPECT_NE(
      text->find("the Code of Ethics of the National Association of Social Workers speaks "
                 "to how therapy ends, in standard 1.16 (\u201cReferral for Services\u201d)."),
      std::string::npos)
      << *text;
  EXPECT_EQ(text->find("1.17"), std::string::npos);
  EXPECT_EQ(text->find("closing session"), std::string::npos);

  // A psychologist: no section of the APA code on endings is verified yet, so even when
  // asked the letter cites none rather than one it cannot stand behind.
  auto psychologist = addCase("us-ca", "psychologist");
  auto apa = letterText("ending-request", psychologist.id,
                        {"ask_for=both", "reply_by=2026-03-16", "mention_code=yes"});
  ASSERT_TRUE(apa.isOk()) << apa.status().toString();
  EXPECT_EQ(apa->find("Code"), std::string::npos) << *apa;
  EXPECT_EQ(apa->find("10.10"), std::string::npos) << *apa;
  // ... and says why.
  LetterRequest req;
  req.form_id = "ending-request";
  req.case_id = psychologist.id;
  req.set = {"ask_for=both", "reply_by=2026-03-16", "mention_code=yes"};
  auto made = makeLetter(services(), req);
  ASSERT_TRUE(made.isOk());
  bool told = false;
  for (const auto& w : made->warnings) told |= w.find("names no section") != std::string::npos;
  EXPECT_TRUE(told);

  // An Ontario social worker: the NASW code is an American association's, not theirs.
  auto ontario = addCase("ca-on", "RSW");
  auto on_text = letterText("ending-request", ontario.id,
                            {"ask_for=both", "reply_by=2026-03-16", "mention_code=yes"});
  ASSERT_TRUE(on_text.isOk()) << on_text.status().toString();
  EXPECT_EQ(on_text->find("National Association of Social Workers"), std::string::npos) << *on_text;
  auto on_routes = otherRoutes(services(), ontario.id);
  ASSERT_TRUE(on_routes.isOk());
  EXPECT_FALSE(on_routes->ending_citable);
  for (const auto& e : on_routes->ending) EXPECT_FALSE(e.own) << e.code;
}

TEST_F(TherapistLettersTest, AConcernLetterIsThePersonsWordsWithAGreetingAndAClosingOnly) {
  auto kase = addCase("us-ca", "LMFT");
  const std::string words =
      "When you ended our sessions by text, I did not understand why.\n"
      "Could you tell me what happened, and whether my notes will be kept?";
  auto text = letterText("concern-letter", kase.id, {"concern=" + words});
  ASSERT_TRUE(text.isOk()) << text.status().toString();
  testing::expectInOrder(*text, {"Dear Dr. Jane Smith,",
                                 "When you ended our sessions by text, I did not understand why.",
                                 "Could you tell me what happened, and whether my notes will be "
                                 "kept?",
                                 "Yours sincerely,"});
  EXPECT_NE(text->rfind("Maya Okafor"), text->find("Maya Okafor"));  // letterhead and signature
  for (const char* absent :
       {"board", "Board", "complaint", "law", "ethics", "records", "request", "{{"}) {
    EXPECT_EQ(text->find(absent), std::string::npos) << absent << " in " << *text;
  }
  // The board only when the person says so, by its name.
  auto with_board =
      letterText("concern-letter", kase.id, {"concern=" + words, "mention_board=yes"});
  ASSERT_TRUE(with_board.isOk()) << with_board.status().toString();
  EXPECT_NE(with_board->find("I may also raise this with the licensing board, Board of "
                             "Behavioral Sciences."),
            std::string::npos)
      << *with_board;
}

// Other places to turn: the association of the therapist's own profession; insurance and
// the criminal law only once an incident of that kind is noted; the clinic by name.
TEST_F(TherapistLettersTest, OtherPlacesToTurnFollowTheProfessionAndWhatWasNoted) {
  auto kase = addCase("us-ca", "LMFT");
  auto ids = [](const OtherRoutes& r) {
    std::vector<std::string> out;
    for (const auto& x : r.routes) out.push_back(x.id);
    return out;
  };
  auto first = otherRoutes(services(), kase.id);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->practice, "Bay Clinic");
  EXPECT_EQ(ids(*first), std::vector<std::string>{"us-aamft-ethics"});
  EXPECT_GT(first->held_back, 0);
  // The AAMFT's own words about ending, its cited section marked so; others' after.
  ASSERT_FALSE(first->ending.empty());
  EXPECT_TRUE(first->ending_citable);
  EXPECT_TRUE(first->ending[0].own);
  bool cites_1_11 = false;
  for (const auto& e : first->ending) {
    if (e.section == "1.11") cites_1_11 = e.citable;
    if (e.section == "1.10") {
      EXPECT_FALSE(e.citable);  // read in a reproduction only
    }
    if (!e.own) {
      EXPECT_FALSE(e.citable);
    }
  }
  EXPECT_TRUE(cites_1_11);

  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Touched me in a session";
  i.harm_kinds = {"sexual_misconduct"};
  ASSERT_TRUE(store().addIncident(i).isOk());
  auto after = otherRoutes(services(), kase.id);
  ASSERT_TRUE(after.isOk());
  EXPECT_EQ(ids(*after), (std::vector<std::string>{"us-aamft-ethics", "us-ca-bpc-729"}));
  EXPECT_EQ(after->routes[1].kind, "criminal");
  EXPECT_EQ(after->routes[1].jurisdiction, "California");
  EXPECT_FALSE(after->routes[1].citation.empty());
  ASSERT_EQ(after->routes[1].because_of.size(), 1u);
  EXPECT_NE(after->routes[1].summary.find("your own choice"), std::string::npos)
      << after->routes[1].summary;

  i.summary = "Billed for sessions that did not happen";
  i.harm_kinds = {"billing_misconduct"};
  ASSERT_TRUE(store().addIncident(i).isOk());
  auto billing = otherRoutes(services(), kase.id);
  ASSERT_TRUE(billing.isOk());
  const auto all = ids(*billing);
  for (const char* id : {"us-ca-dmhc", "us-ca-cdi", "us-dol-ebsa", "us-health-plan-records"}) {
    EXPECT_NE(std::find(all.begin(), all.end(), id), all.end()) << id;
  }
  EXPECT_EQ(std::find(all.begin(), all.end(), "us-apa-ethics"), all.end());
  EXPECT_EQ(billing->held_back, 0);

  // A psychologist: the APA, whose ending sections are not yet verified.
  auto psychologist = otherRoutes(services(), addCase("us-ca", "psychologist").id);
  ASSERT_TRUE(psychologist.isOk());
  EXPECT_EQ(ids(*psychologist), std::vector<std::string>{"us-apa-ethics"});
  EXPECT_FALSE(psychologist->ending_citable);

  EXPECT_EQ(otherRoutes(services(), "cs_nothere").status().field(), "case_id");
}

// Every route's kinds of harm are ones the taxonomy has: a misspelt kind would hide the route
// from everyone for good.
TEST_F(TherapistLettersTest, EveryRouteNamesKindsOfHarmTheTaxonomyHas) {
  const auto& taxonomy = *catalog().forms().taxonomy;
  size_t routes = 0;
  for (const auto* j : catalog().law().all()) {
    for (const auto& r : j->other_routes) {
      ++routes;
      for (const auto& h : r.harm_kinds) {
        EXPECT_NE(taxonomy.find(h), nullptr) << j->id << " " << r.id << ": " << h;
      }
    }
  }
  EXPECT_GT(routes, 0u);
}

TEST_F(TherapistLettersTest, AnAnswerMissingOrOutOfItsChoicesIsNamed) {
  auto kase = addCase("us-ca", "LMFT");
  auto empty = letterText("concern-letter", kase.id, {});
  ASSERT_FALSE(empty.isOk());
  EXPECT_EQ(empty.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("concern"), std::string::npos)
      << empty.status().toString();
  auto odd = letterText("ending-request", kase.id, {"ask_for=money", "reply_by=2026-03-16"});
  ASSERT_FALSE(odd.isOk());
  EXPECT_NE(odd.status().toString().find("ask_for"), std::string::npos) << odd.status().toString();
  auto no_day = letterText("ending-request", kase.id, {"ask_for=both"});
  ASSERT_FALSE(no_day.isOk());
  EXPECT_NE(no_day.status().toString().find("reply_by"), std::string::npos)
      << no_day.status().toString();
}

}  // namespace
}  // namespace recourse::service
