// A copy of the records sent straight to someone the person names (a new therapist, a
// lawyer): the letter cites the law that makes the holder follow the direction where one
// reaches the copy asked for, and carries the person's signed authorization on its own page,
// in 14-point type, with every statement the laws of the therapist's place require of it
// (jurisdictions/*.json, records_access.third_party_copy). Read back through pdftotext.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/letter.h"
#include "service/requests.h"

namespace recourse::service {
namespace {

class ThirdPartyCopyTest : public testing::ServiceTest {
 protected:
  struct Made {
    std::string text;
    std::string path;
    std::vector<std::string> warnings;
  };

  core::StatusOr<Made> letter(const std::string& case_id, const std::vector<std::string>& set) {
    LetterRequest req;
    req.form_id = "records-request";
    req.case_id = case_id;
    req.set = set;
    auto made = makeLetter(services(), req);
    if (!made.isOk()) return made.status();
    Made out;
    out.path = tmp_.file("copy" + std::to_string(++n_) + ".pdf");
    testing::writeBytes(out.path, made->pdf);
    if (const char* keep = std::getenv("RECOURSE_KEEP_LETTERS")) {
      testing::writeBytes(std::string(keep) + "/copy" + std::to_string(n_) + ".pdf", made->pdf);
    }
    out.text = testing::foldedText(out.path);
    out.warnings = made->warnings;
    return out;
  }

  static bool told(const Made& m, const std::string& words) {
    for (const auto& w : m.warnings) {
      if (w.find(words) != std::string::npos) return true;
    }
    return false;
  }

  const std::vector<std::string> kNewTherapist = {
      "scope=all", "send_to=third_party", "third_party.name=Dr. Ana Reyes",
      "third_party.email=ana@reyes.example", "third_party.address=40 Pine St, Chicago, IL 60601"};
  int n_ = 0;
};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Illinois: the federal direction for an electronic copy, then an authorization meeting the
// state's mental-health act (740 ILCS 110/5: purpose, the right to inspect, what follows a
// refusal, a calendar end date, revocation, a witness) and HIPAA's statements.
TEST_F(ThirdPartyCopyTest, AnIllinoisCopyCitesTheDirectionAndCarriesAWitnessedAuthorization) {
  auto kase = addCase("us-il", "LCPC");
  auto m = letter(
      kase.id, with(kNewTherapist, {"format=electronic", "purpose=my care with my new therapist"}));
  ASSERT_TRUE(m.isOk()) << m.status().toString();
  testing::expectInOrder(
      m->text,
      {"I direct you to send an electronic copy of my records to Dr. Ana Reyes",
       "I make this direction under 45 CFR 164.524(c)(3)(ii). With this letter is my signed "
       "authorization for you to disclose my records to Dr. Ana Reyes, for any part of them "
       "that this direction does not reach.",
       "Authorization to disclose my records",
       "I, Maya Okafor, authorize Bay Clinic to disclose my records to Dr. Ana Reyes, 40 "
       "Pine St, Chicago, IL 60601 (ana@reyes.example).",
       "What is to be disclosed: my complete record",
       "It does not include psychotherapy or process notes kept apart from my record.",
       "Purpose: at my request, for my care with my new therapist; Dr. Ana Reyes may use them "
       "only for that.",
       // The fake clock's today is March 2, 2026: a year on, a calendar date.
       "This authorization ends on March 2, 2027.",
       "I may revoke it at any time by a signed and dated letter to you, with my signature "
       "witnessed;",
       "does not depend on whether I sign it",
       "my records could be disclosed again by Dr. Ana Reyes and may then no longer be "
       "protected",
       "I do not consent to their being disclosed again by anyone who receives them.",
       "I may inspect and copy the information that is to be disclosed.",
       "If I refused to sign this, the only consequence would be that my records are not sent.",
       "It is written to meet 740 ILCS 110/5(b)-(d) and 45 CFR 164.508(c).",
       "Witness, who can confirm who signed above: Signature:"});
  // California's statement is not Illinois's.
  EXPECT_EQ(m->text.find("a copy of this authorization"), std::string::npos) << m->text;
  EXPECT_EQ(m->text.find("{{"), std::string::npos) << m->text;
  EXPECT_TRUE(told(*m, "in front of someone who can confirm who you are")) << m->warnings.size();
  // The authorization is a page of its own, whole, signature and witness included, in type
  // larger than the letter's (14 points against 10.5).
  auto pages = testing::pdfPageCount(m->path);
  ASSERT_TRUE(pages.has_value());
  ASSERT_EQ(*pages, 2);
  const std::string own = testing::pageText(m->path, 2);
  EXPECT_EQ(testing::pageText(m->path, 1).find("Authorization to disclose"), std::string::npos);
  testing::expectInOrder(own, {"Authorization to disclose my records", "I, Maya Okafor, authorize",
                               "It is written to meet", "Maya Okafor Date", "Witness,"});
  const double letter_words = testing::medianWordHeight(m->path, 1);
  const double authorization_words = testing::medianWordHeight(m->path, 2);
  EXPECT_GT(letter_words, 0);
  EXPECT_GT(authorization_words, letter_words * 1.25)
      << letter_words << " against " << authorization_words;
}

// California: no direction for a paper copy (the federal right reaches electronic copies
// only), so the letter rests on the authorization, which says the person may have a copy
// of it (Civ. Code 56.11) and needs no witness.
TEST_F(ThirdPartyCopyTest, ACaliforniaPaperCopyRestsOnTheAuthorizationAlone) {
  auto kase = addCase("us-ca", "LMFT");
  auto m = letter(kase.id, with(kNewTherapist, {"format=paper"}));
  ASSERT_TRUE(m.isOk()) << m.status().toString();
  testing::expectInOrder(
      m->text,
      {"I direct you to send a paper copy of my records by post to Dr. Ana Reyes",
       "With this letter is my signed authorization for you to disclose my records to Dr. Ana "
       "Reyes.",
       "Authorization to disclose my records", "This authorization ends on March 2, 2027.",
       "I have the right to a copy of this authorization.",
       "It is written to meet Cal. Civ. Code \u00a7 56.11 and 45 CFR 164.508(c)."});
  for (const char* absent :
       {"164.524(c)(3)(ii)", "does not reach", "Witness", "inspect and copy the information"}) {
    EXPECT_EQ(m->text.find(absent), std::string::npos) << absent << " in " << m->text;
  }
  EXPECT_FALSE(told(*m, "witness"));
}

// The psychotherapy notes, when asked for, go on an authorization of their own (HIPAA lets an
// authorization for them be combined with no other), signed separately.
TEST_F(ThirdPartyCopyTest, PsychotherapyNotesHaveTheirOwnAuthorization) {
  auto kase = addCase("us-ca", "LMFT");
  auto m = letter(kase.id,
                  with(kNewTherapist, {"format=electronic", "include_psychotherapy_notes=yes"}));
  ASSERT_TRUE(m.isOk()) << m.status().toString();
  testing::expectInOrder(
      m->text, {"Separately, I also ask for any psychotherapy or process notes",
                "A separate authorization for those notes is enclosed.",
                "Authorization to disclose my records",
                "It does not include psychotherapy or process notes kept apart from my record: a "
                "separate authorization covers those.",
                "Authorization to disclose my psychotherapy notes"});
  // The last page is that authorization, whole, with its own statements and signature.
  auto pages = testing::pdfPageCount(m->path);
  ASSERT_TRUE(pages.has_value());
  const std::string last = testing::pageText(m->path, *pages);
  testing::expectInOrder(
      last, {"Authorization to disclose my psychotherapy notes",
             "the psychotherapy or process notes about me that you keep apart from my record. "
             "This authorization covers those notes only.",
             "Purpose: at my request", "This authorization ends on March 2, 2027.",
             "It is written to meet Cal. Civ. Code \u00a7 56.11 and 45 CFR 164.508(c).",
             "Maya Okafor Date"});
  EXPECT_EQ(last.find("complete record"), std::string::npos) << last;
  EXPECT_GT(testing::medianWordHeight(m->path, *pages),
            testing::medianWordHeight(m->path, 1) * 1.25);
}

// England: no right to direct a copy; the consent the ICO describes (what for, and that it
// can be withdrawn), and nothing of HIPAA's.
TEST_F(ThirdPartyCopyTest, AnEnglishCopyIsAskedForWithConsentOnly) {
  auto kase = addCase("gb", "HCPC practitioner psychologist");
  auto m = letter(kase.id, with(kNewTherapist, {"format=electronic"}));
  ASSERT_TRUE(m.isOk()) << m.status().toString();
  testing::expectInOrder(
      m->text, {"With this letter is my signed authorization",
                "Authorization to disclose my records", "Purpose:", "I may revoke it at any time",
                "It is written to meet UK GDPR Art. 4(11), Art. 7"});
  for (const char* absent : {"CFR", "does not depend on whether I sign", "disclose them again",
                             "ends on", "I make this direction"}) {
    EXPECT_EQ(m->text.find(absent), std::string::npos) << absent << " in " << m->text;
  }
}

// A copy for the person themselves carries no authorization.
TEST_F(ThirdPartyCopyTest, ACopyForThePersonCarriesNoAuthorization) {
  auto kase = addCase("us-il", "LCPC");
  auto m = letter(kase.id, {"scope=all", "format=electronic", "send_to=me"});
  ASSERT_TRUE(m.isOk()) << m.status().toString();
  for (const char* absent : {"Authorization", "authorization", "Witness", "164.508"}) {
    EXPECT_EQ(m->text.find(absent), std::string::npos) << absent << " in " << m->text;
  }
  EXPECT_FALSE(told(*m, "witness"));
}

// A right to direct the copy that could not be confirmed (Pennsylvania's designee right,
// read only in unofficial copies) is not relied on: the letter asks, and falls back on the
// person's own right to a copy by the due date. Washington's, confirmed, is cited.
TEST_F(ThirdPartyCopyTest, OnlyAConfirmedRightToDirectTheCopyIsReliedOn) {
  auto pa = letter(addCase("us-pa", "LPC").id, with(kNewTherapist, {"format=paper"}));
  ASSERT_TRUE(pa.isOk()) << pa.status().toString();
  EXPECT_EQ(pa->text.find("I make this direction"), std::string::npos) << pa->text;
  EXPECT_EQ(pa->text.find("6155(b)(1)"), std::string::npos) << pa->text;
  testing::expectInOrder(
      pa->text, {"With this letter is my signed authorization for you to disclose my records to "
                 "Dr. Ana Reyes.",
                 "Please send them, or tell me that you will not, by",
                 "If you will not send them to Dr. Ana Reyes, please send my own copy to me "
                 "instead. Under "});
  EXPECT_EQ(pa->text.find("please respond by"), std::string::npos) << pa->text;

  auto wa = letter(addCase("us-wa", "LMHC").id, with(kNewTherapist, {"format=paper"}));
  ASSERT_TRUE(wa.isOk()) << wa.status().toString();
  testing::expectInOrder(wa->text, {"I make this direction under RCW 70.02.030(1). With this "
                                    "letter is my signed authorization",
                                    "please respond by",
                                    "It is written to meet RCW 70.02.030(3) "
                                    "and 45 CFR 164.508(c)."});
  EXPECT_EQ(wa->text.find("please send my own copy"), std::string::npos) << wa->text;
}

// A case whose therapist's place is not known: no law is cited, and the authorization still
// says what it is for, when it ends, that it can be revoked, and that the recipient may pass
// it on.
TEST_F(ThirdPartyCopyTest, WithNoLawKnownTheAuthorizationStillSaysWhatConsentsCommonlyNeed) {
  auto m = letter(addCase("", "LMFT").id, with(kNewTherapist, {"format=electronic"}));
  ASSERT_TRUE(m.isOk()) << m.status().toString();
  testing::expectInOrder(
      m->text, {"Authorization to disclose my records", "Purpose: at my request",
                "This authorization ends on March 2, 2027.", "I may revoke it at any time",
                "could be disclosed again by Dr. Ana Reyes"});
  for (const char* absent : {"It is written to meet", "I make this direction", "CFR", "{{"}) {
    EXPECT_EQ(m->text.find(absent), std::string::npos) << absent << " in " << m->text;
  }
}

// What the person reads before choosing: the right to have a copy sent and what their
// consent must say, nearest law first.
TEST_F(ThirdPartyCopyTest, TheRightsShownBeforeChoosingIncludeSendingACopyElsewhere) {
  auto kase = addCase("us-il", "LCPC");
  auto rights = requestRights(services(), kase.id);
  ASSERT_TRUE(rights.isOk()) << rights.status().toString();
  std::vector<std::string> seen;
  for (const auto& n : rights->notes) {
    if (n.topic.rfind("third_party", 0) == 0) seen.push_back(n.topic + " " + n.law.jurisdiction);
  }
  // Illinois's consent asks for a witness: the page says so before the letter is made.
  for (const auto& n : rights->notes) {
    if (n.topic == "third_party_consent" && n.law.jurisdiction == "us-il") {
      EXPECT_NE(std::find(n.elements.begin(), n.elements.end(), "witness"), n.elements.end());
    }
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"third_party_copy us-il", "third_party_copy us",
                                      "third_party_consent us-il", "third_party_consent us"}));
}

}  // namespace
}  // namespace recourse::service
