// The shipped data against the law's own words. Each test quotes the provision it checks;
// the expected dates were worked out by hand with a calendar from those words, not produced
// by the engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "jurisdiction/deadline.h"
#include "jurisdiction/registry.h"

namespace recourse::jurisdiction {
namespace {

using core::Date;

const Registry& shipped() {
  static const Registry reg =
      Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
  return reg;
}

Deadline own(const std::string& id, const DeadlineInput& in) {
  const Jurisdiction* j = shipped().find(id);
  EXPECT_NE(j, nullptr) << id;
  auto d = computeDeadline(*j, calendarFor(shipped(), id), "records-access", in);
  EXPECT_TRUE(d.isOk()) << d.status().toString();
  return d.isOk() ? std::move(d).value() : Deadline{};
}

// RCW 70.02.080(1): "as promptly as required under the circumstances, but no later than
// fifteen working days after receiving the request"; if the information is in use or
// unusual circumstances have delayed handling, the provider must tell the patient "the
// earliest date, not later than twenty-one working days after receiving the request, when
// the information will be available". Twenty-one in all from receipt, not 21 more.
TEST(WashingtonLawTest, DelayDateIsTwentyOneWorkingDaysFromReceipt) {
  // Received Monday 2 March 2026. Fifteen working days: 3-6, 9-13, 16-20, 23 March.
  Deadline d = own("us-wa", {Date(2026, 3, 2), std::nullopt, {}});
  EXPECT_EQ(d.due, Date(2026, 3, 23));
  // Notice on 10 March: twenty-one working days from 2 March end on Tuesday 31 March.
  d = own("us-wa", {Date(2026, 3, 2), Date(2026, 3, 10), {}});
  EXPECT_TRUE(d.extension_applied);
  EXPECT_EQ(d.due_before_extension.value(), Date(2026, 3, 23));
  EXPECT_EQ(d.due, Date(2026, 3, 31));
  EXPECT_EQ(d.extension_note.key, "extension.applied_total");
  // The counted days are the 21 working days from receipt, once each.
  ASSERT_EQ(d.counted.size(), 21u);
  EXPECT_EQ(d.counted.front(), Date(2026, 3, 3));
  EXPECT_EQ(d.counted.back(), Date(2026, 3, 31));
}

TEST(WashingtonLawTest, NoticeWindowCountsWorkingDays) {
  // The notice is one of the responses due "no later than fifteen working days after
  // receiving the request": Monday 23 March is the fifteenth working day (21 calendar days
  // after 2 March), so a notice that day is in time.
  Deadline d = own("us-wa", {Date(2026, 3, 2), Date(2026, 3, 23), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due, Date(2026, 3, 31));
  // Tuesday 24 March is the sixteenth: too late, the due date stays 23 March.
  d = own("us-wa", {Date(2026, 3, 2), Date(2026, 3, 24), {}});
  EXPECT_FALSE(d.extension_applied);
  EXPECT_EQ(d.extension_note.key, "extension.too_late");
  EXPECT_EQ(d.due, Date(2026, 3, 23));
}

// 45 CFR 164.524(b)(2): act "no later than 30 days after receipt of the request"; if it
// cannot, the covered entity "may extend the time for such actions by no more than 30 days"
// with a written statement of the reasons "within the time limit set by paragraph (b)(2)(i)".
// Thirty more days after the first due date.
TEST(HipaaLawTest, ExtensionAddsThirtyDaysAfterTheFirstThirty) {
  Deadline d = own("us", {Date(2026, 3, 2), Date(2026, 3, 20), {}});
  EXPECT_TRUE(d.extension_applied);
  EXPECT_EQ(d.due_before_extension.value(), Date(2026, 4, 1));
  EXPECT_EQ(d.due, Date(2026, 5, 1));
  EXPECT_EQ(d.extension_note.key, "extension.applied");
  // A statement on 2 April, after the first thirty days, extends nothing.
  d = own("us", {Date(2026, 3, 2), Date(2026, 4, 2), {}});
  EXPECT_FALSE(d.extension_applied);
  EXPECT_EQ(d.due, Date(2026, 4, 1));
}

// UK GDPR Art. 12(3): the period "may be extended by two further months where necessary",
// the controller informing the person "within one month of receipt of the request".
// ICO: the extended deadline is three months from the original start.
TEST(UkGdprLawTest, TwoFurtherMonthsMakeThreeFromReceipt) {
  // Received Wednesday 14 January 2026; one month: Saturday 14 February, rolling to Monday
  // 16 February; three months: Tuesday 14 April (Easter Monday is 6 April).
  Deadline d = own("gb", {Date(2026, 1, 14), std::nullopt, {}});
  EXPECT_EQ(d.due, Date(2026, 2, 16));
  d = own("gb", {Date(2026, 1, 14), Date(2026, 2, 10), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due, Date(2026, 4, 14));
  // The month for the notice ends on the same day as the month for the answer: a notice on
  // Monday 16 February, the working day after Saturday the 14th, is in time.
  d = own("gb", {Date(2026, 1, 14), Date(2026, 2, 16), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due, Date(2026, 4, 14));
  d = own("gb", {Date(2026, 1, 14), Date(2026, 2, 17), {}});
  EXPECT_FALSE(d.extension_applied);
}

// PHIPA s. 54(3): the custodian "may extend the time limit ... for a further period of time
// of not more than 30 days", with written notice within the first 30 days.
TEST(OntarioLawTest, ExtensionIsAFurtherThirtyDays) {
  Deadline d = own("ca-on", {Date(2026, 3, 2), Date(2026, 3, 31), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due_before_extension.value(), Date(2026, 4, 1));
  EXPECT_EQ(d.due, Date(2026, 5, 1));
}

std::string detail(const std::optional<TextFact>& t, const std::string& key) {
  if (!t) return {};
  for (const auto& [k, v] : t->details) {
    if (k == key) return v;
  }
  return {};
}

// PHIPA s. 52(1)(e)(i), as the IPC applies it: access may be refused where it "could
// reasonably be expected to result in a risk of serious harm to the treatment or recovery
// of the individual or a risk of serious bodily harm to the individual or another person".
// Not "serious harm to you or others": the exception is not broadened.
TEST(OntarioLawTest, HarmExceptionIsInTheLawsTerms) {
  const auto& mh = shipped().find("ca-on")->records_access->mental_health;
  ASSERT_TRUE(mh);
  const std::string harm = detail(mh, "harm_exception");
  EXPECT_NE(harm.find("risk of serious harm to the treatment or recovery of the individual"),
            std::string::npos)
      << harm;
  EXPECT_NE(harm.find("serious bodily harm to the individual or another person"), std::string::npos)
      << harm;
  EXPECT_NE(mh->summary.find("serious harm to your treatment or recovery"), std::string::npos)
      << mh->summary;
  EXPECT_EQ(mh->summary.find("serious harm to you or others"), std::string::npos) << mh->summary;
}

// 45 CFR 164.524(c)(2)(iii): a covered entity may give a summary in lieu of access only if
// "(A) The individual agrees in advance to such a summary or explanation; and (B) The
// individual agrees in advance to the fees imposed". Where a state lets the provider choose
// a summary, the data says HIPAA governs a covered provider.
TEST(HipaaLawTest, StateSummariesNeedAgreementInAdvanceFromCoveredProviders) {
  for (const char* id : {"us-ca", "us-tx", "us-fl", "us-ma"}) {
    const auto& mh = shipped().find(id)->records_access->mental_health;
    ASSERT_TRUE(mh) << id;
    const std::string hipaa = detail(mh, "hipaa");
    EXPECT_NE(hipaa.find("only if you agree to the summary, and to any fee for it, in advance"),
              std::string::npos)
        << id << ": " << hipaa;
    EXPECT_NE(hipaa.find("164.524(c)(2)(iii)"), std::string::npos) << id;
  }
  const auto& ca = shipped().find("us-ca")->records_access->mental_health;
  const std::string summary = detail(ca, "summary_instead_of_copy");
  EXPECT_NE(summary.find("needs your agreement in advance"), std::string::npos) << summary;
  EXPECT_EQ(ca->summary.find("any provider may choose"), std::string::npos) << ca->summary;
}

Deadline right(const std::string& id, const std::string& rule, const DeadlineInput& in) {
  const Jurisdiction* j = shipped().find(id);
  EXPECT_NE(j, nullptr) << id;
  auto d = computeDeadline(*j, calendarFor(shipped(), id), rule, in);
  EXPECT_TRUE(d.isOk()) << id << " " << rule << ": " << d.status().toString();
  return d.isOk() ? std::move(d).value() : Deadline{};
}

// 45 CFR 164.526(b)(2)(i): "The covered entity must act on the individual's request for an
// amendment no later than 60 days after receipt of such a request"; one extension of no
// more than 30 days, with a written statement within the first 60.
TEST(HipaaLawTest, AmendmentIsSixtyDaysAndThirtyMore) {
  Deadline d = right("us", "records-amendment", {Date(2026, 3, 2), std::nullopt, {}});
  EXPECT_EQ(d.due, Date(2026, 5, 1));
  d = right("us", "records-amendment", {Date(2026, 3, 2), Date(2026, 4, 20), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due, Date(2026, 5, 31));
  EXPECT_FALSE(d.dueVerified());  // the extension's own words were not read
}

// 45 CFR 164.528(c)(1): "no later than 60 days after receipt of such a request"; (c)(1)(ii):
// "may extend the time to provide the accounting by no more than 30 days" with a written
// statement "within the time limit set by paragraph (c)(1)".
TEST(HipaaLawTest, AccountingIsSixtyDaysAndThirtyMore) {
  Deadline d = right("us", "disclosures-accounting", {Date(2026, 3, 2), Date(2026, 4, 30), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due_before_extension.value(), Date(2026, 5, 1));
  EXPECT_EQ(d.due, Date(2026, 5, 31));
  EXPECT_TRUE(d.dueVerified());
  // A statement on 2 May, after the 60 days, extends nothing.
  d = right("us", "disclosures-accounting", {Date(2026, 3, 2), Date(2026, 5, 2), {}});
  EXPECT_FALSE(d.extension_applied);
  EXPECT_EQ(d.due, Date(2026, 5, 1));
}

// RCW 70.02.100(2): "no later than ten days after receiving a request ... to correct or
// amend"; (2)(d): "the earliest date, not later than twenty-one days after receiving the
// request". Twenty-one in all, like access, but calendar days.
TEST(WashingtonLawTest, CorrectionIsTenDaysAndTwentyOneInAll) {
  Deadline d = right("us-wa", "records-amendment", {Date(2026, 3, 2), std::nullopt, {}});
  EXPECT_EQ(d.due, Date(2026, 3, 12));
  d = right("us-wa", "records-amendment", {Date(2026, 3, 2), Date(2026, 3, 10), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due, Date(2026, 3, 23));
  d = right("us-wa", "records-amendment", {Date(2026, 3, 2), Date(2026, 3, 13), {}});
  EXPECT_FALSE(d.extension_applied);
  EXPECT_EQ(d.extension_note.key, "extension.too_late");
  // Washington's ten days come before HIPAA's sixty, so they govern.
  auto c = computeCombined(shipped(), "us-wa", "records-amendment",
                           {Date(2026, 3, 2), std::nullopt, {}});
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->deadlines[c->governing].jurisdiction_id, "us-wa");
  // California's addendum sets no deadline: HIPAA's sixty days are the ones counted.
  c = computeCombined(shipped(), "us-ca", "records-amendment",
                      {Date(2026, 3, 2), std::nullopt, {}});
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->deadlines[c->governing].jurisdiction_id, "us");
  EXPECT_EQ(c->deadlines[c->governing].due, Date(2026, 5, 1));
}

// PHIPA s. 55(3), as the IPC states it: "no later than 30 days after receiving a written
// request for a correction"; "Extensions of up to a maximum of 30 additional days".
TEST(OntarioLawTest, CorrectionIsThirtyDaysAndThirtyMore) {
  Deadline d = right("ca-on", "records-amendment", {Date(2026, 3, 2), Date(2026, 3, 25), {}});
  EXPECT_TRUE(d.extension_applied) << d.extension_note.text;
  EXPECT_EQ(d.due, Date(2026, 5, 1));
}

// UK GDPR Art. 16: rectification "without undue delay", within the month of Art. 12(3), or
// three in all with an extension.
TEST(UkGdprLawTest, RectificationIsAMonthOrThreeInAll) {
  Deadline d = right("gb", "records-amendment", {Date(2026, 1, 14), std::nullopt, {}});
  EXPECT_EQ(d.due, Date(2026, 2, 16));
  d = right("gb", "records-amendment", {Date(2026, 1, 14), Date(2026, 2, 1), {}});
  EXPECT_EQ(d.due, Date(2026, 4, 14));
  // Recipients come with the access request: the same month.
  d = right("gb", "disclosures-accounting", {Date(2026, 1, 14), std::nullopt, {}});
  EXPECT_EQ(d.due, Date(2026, 2, 16));
}

// Tex. Occ. Code 159.006(d): a physician must provide the records "not later than the 15th
// business day after the date of receipt of the written consent"; H&S 181.102(a): a provider
// whose electronic record system can fulfil the request, "not later than the 15th business
// day". The first counts for a psychiatrist; the second turns on something the person may
// not know, so it is shown and never sets the due date.
TEST(TexasLawTest, ProviderTimeLimitsAreFieldsTheEngineCounts) {
  DeadlineInput in{Date(2026, 3, 2), std::nullopt, {}, "psychiatrist"};
  auto c = computeCombined(shipped(), "us-tx", "records-access", in);
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  const Deadline* physician = nullptr;
  const Deadline* electronic = nullptr;
  for (const auto& d : c->deadlines) {
    if (d.meta->source.citation == "Tex. Occ. Code § 159.006(d)") physician = &d;
    if (d.meta->source.citation == "Tex. Health & Safety Code § 181.102(a)") electronic = &d;
  }
  ASSERT_NE(physician, nullptr);
  ASSERT_NE(electronic, nullptr);
  // Fifteen business days from Monday 2 March: 3-6, 9-13, 16-20, 23 March.
  EXPECT_EQ(physician->due, Date(2026, 3, 23));
  EXPECT_FALSE(physician->informative);
  EXPECT_TRUE(electronic->informative);
  EXPECT_FALSE(c->deadlines[c->governing].informative);
  // Not a physician: the physicians' rule is not counted at all.
  in.license_type = "professional_counselor";
  c = computeCombined(shipped(), "us-tx", "records-access", in);
  ASSERT_TRUE(c.isOk());
  for (const auto& d : c->deadlines) {
    EXPECT_NE(d.meta->source.citation, "Tex. Occ. Code § 159.006(d)");
  }
}

// Cal. H&S 123130(a): a summary instead of the record "within 10 working days from the date
// of the patient's request". Earlier than the 15 days for copies, but only if the provider
// chooses a summary (and, under HIPAA, the person agrees): shown, never the due date.
TEST(CaliforniaLawTest, TheSummaryPeriodIsShownButDoesNotSetTheDueDate) {
  auto c =
      computeCombined(shipped(), "us-ca", "records-access", {Date(2026, 3, 2), std::nullopt, {}});
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  bool summary = false;
  for (const auto& d : c->deadlines) {
    if (d.applies_to == "a summary of the record given instead of the record") {
      summary = true;
      EXPECT_EQ(d.due, Date(2026, 3, 16));  // ten working days: 3-6, 9-13, 16 March
      EXPECT_TRUE(d.informative);
    }
  }
  EXPECT_TRUE(summary);
  EXPECT_EQ(c->deadlines[c->governing].due, Date(2026, 3, 17));
  EXPECT_EQ(c->deadlines[c->governing].meta->source.citation,
            "Cal. Health & Safety Code § 123110(b)");
}

// The facts a person needs beyond the deadline, each from its own law: the electronic copy
// (45 CFR 164.524(c)(2)(ii): "in the electronic form and format requested by the
// individual, if it is readily producible"), that a provider may not retaliate (45 CFR
// 160.316), what a board does next and by when (Cal. B&P 129: "within 10 days of receipt";
// WAC 246-14-040: a "basic time period" of "twenty-one days", and "two working days"; 22 TAC
// 884.10: a schedule "not later than the 30th day"), and what protects the person who complains
// (Cal. B&P 143.5: no settlement that stops a complaint; National Law s 237).
TEST(ShippedLawTest, BeyondTheDeadlineEachFactCitesItsOwnLaw) {
  const auto* us = shipped().find("us");
  ASSERT_NE(us, nullptr);
  ASSERT_TRUE(us->records_access->electronic_copy.has_value());
  EXPECT_NE(us->records_access->electronic_copy->meta.source.citation.find("164.524(c)(2)"),
            std::string::npos);
  EXPECT_NE(us->records_access->electronic_copy->summary.find("readily produce"),
            std::string::npos);
  ASSERT_TRUE(us->records_access->retaliation.has_value());
  EXPECT_NE(us->records_access->retaliation->meta.source.citation.find("160.316"),
            std::string::npos);
  ASSERT_TRUE(us->records_access->escalation->process.has_value());

  auto boardOf = [](const char* jid, const char* id) -> const Board* {
    for (const auto& b : shipped().find(jid)->boards) {
      if (b.id == id) return &b;
    }
    return nullptr;
  };
  const Board* bbs = boardOf("us-ca", "us-ca-bbs");
  ASSERT_NE(bbs, nullptr);
  ASSERT_TRUE(bbs->process && bbs->complainant_protection);
  EXPECT_NE(bbs->process->summary.find("within 10 days"), std::string::npos);
  EXPECT_NE(bbs->complainant_protection->meta.source.citation.find("143.5"), std::string::npos);
  const Board* wa = boardOf("us-wa", "us-wa-doh-18-225");
  ASSERT_NE(wa, nullptr);
  ASSERT_TRUE(wa->process.has_value());
  EXPECT_NE(wa->process->summary.find("within 2 working days"), std::string::npos);
  EXPECT_NE(wa->process->summary.find("The target for assessing it, to decide whether it will be "
                                      "investigated as a complaint, is 21 days"),
            std::string::npos);
  const Board* bhec = boardOf("us-tx", "us-tx-bhec");
  ASSERT_NE(bhec, nullptr);
  ASSERT_TRUE(bhec->process.has_value());
  EXPECT_NE(bhec->process->summary.find("Within 30 days"), std::string::npos);
  // The sexual-misconduct period is a field, in the rule's words ("whichever is greater").
  ASSERT_EQ(bhec->complaint_time_limit->exceptions.size(), 1u);
  EXPECT_EQ(bhec->complaint_time_limit->exceptions[0].years, 7);
  EXPECT_NE(bhec->complaint_time_limit->summary.find("whichever is greater"), std::string::npos);
  const Board* ahpra = boardOf("au", "au-ahpra");
  ASSERT_NE(ahpra, nullptr);
  ASSERT_TRUE(ahpra->complainant_protection.has_value());
  EXPECT_NE(ahpra->complainant_protection->meta.source.citation.find("s 237"), std::string::npos);

  // Each new fact is graded: verified against a named kind of text, or with a caution.
  for (const Jurisdiction* j : shipped().all()) {
    std::vector<const TextFact*> facts;
    if (j->records_access) {
      for (const auto* t : {&j->records_access->electronic_copy, &j->records_access->retaliation}) {
        if (*t) facts.push_back(&**t);
      }
      if (j->records_access->escalation && j->records_access->escalation->process) {
        facts.push_back(&*j->records_access->escalation->process);
      }
    }
    for (const auto& b : j->boards) {
      for (const auto* t : {&b.process, &b.complainant_protection}) {
        if (*t) facts.push_back(&**t);
      }
    }
    for (const TextFact* t : facts) {
      EXPECT_FALSE(t->meta.source.citation.empty()) << j->id << ": " << t->summary;
      if (t->meta.verified) {
        EXPECT_TRUE(t->meta.verified_against == "official" ||
                    t->meta.verified_against == "secondary")
            << j->id << ": " << t->summary;
      } else {
        EXPECT_FALSE(t->meta.caution.empty()) << j->id << ": " << t->summary;
      }
    }
  }
}

// Every extension in the data says how its count is read, and one counted from the start
// gives more time than the period it extends.
TEST(ShippedLawTest, EveryExtensionStatesItsBasis) {
  int seen = 0;
  std::vector<std::pair<
      std::string, std::pair<const std::optional<DayRule>*, const std::optional<ExtensionRule>*>>>
      all;
  for (const Jurisdiction* j : shipped().all()) {
    if (j->records_access) {
      all.push_back({j->id, {&j->records_access->response, &j->records_access->extension}});
    }
    for (const auto* r : {&j->records_amendment, &j->disclosures_accounting}) {
      if (*r) all.push_back({j->id, {&(*r)->response, &(*r)->extension}});
    }
  }
  for (const auto& [id, rules] : all) {
    const auto& response = *rules.first;
    if (!*rules.second) continue;
    const ExtensionRule& e = **rules.second;
    ++seen;
    ASSERT_TRUE(e.count) << id;
    if (e.basis == ExtensionBasis::kTotalFromStart && response && response->count &&
        response->type == e.type) {
      EXPECT_GT(*e.count, *response->count) << id;
    }
    if (e.written_notice_required) {
      EXPECT_TRUE(e.notice_within) << id;
    }
  }
  EXPECT_GE(seen, 10);
}

std::string folded(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

bool listsTitle(const Board& b, const std::string& title) {
  for (const auto& t : b.license_titles) {
    if (folded(t.title) == folded(title)) return true;
  }
  return false;
}

// Every title a body lists, typed as a person would type it, finds that body and only
// bodies that list it; and the license type it stands for finds that body too (the browser
// stores the type).
TEST(ShippedBoardsTest, EveryListedTitleReachesItsBoard) {
  const Registry& reg = shipped();
  int titles = 0;
  for (const Jurisdiction* j : reg.all()) {
    for (const Board& b : j->boards) {
      for (const LicenseTitle& t : b.license_titles) {
        ++titles;
        const std::string where = j->id + " " + b.id + " \"" + t.title + "\"";
        auto found = reg.findBoards(j->id, t.title);
        ASSERT_TRUE(found.isOk()) << where << ": " << found.status().toString();
        // A title that is also a type's name ("Psychotherapist") means every body for the
        // type; any other title, only the bodies that list it.
        bool names_type = false;
        for (const auto& lt : reg.licenseTypes()) {
          names_type =
              names_type || folded(lt.label) == folded(t.title) || folded(lt.id) == folded(t.title);
        }
        bool self = false;
        for (const auto& m : *found) {
          self = self || m.board == &b;
          const auto& types = m.board->license_types;
          EXPECT_TRUE(names_type
                          ? std::find(types.begin(), types.end(), t.license_type) != types.end()
                          : listsTitle(*m.board, t.title))
              << where << " also went to " << m.board->id;
        }
        EXPECT_TRUE(self) << where << " did not reach its own board";
        EXPECT_EQ(reg.resolveLicense(t.title, j->id), t.license_type) << where;
        auto by_type = reg.findBoards(j->id, t.license_type);
        ASSERT_TRUE(by_type.isOk()) << where << ": " << by_type.status().toString();
        self = false;
        for (const auto& m : *by_type) self = self || m.board == &b;
        EXPECT_TRUE(self) << where << " as " << t.license_type << " did not reach its board";
      }
    }
  }
  EXPECT_GT(titles, 150);
}

std::vector<std::string> boardIds(const std::string& jurisdiction, const std::string& license) {
  std::vector<std::string> ids;
  auto found = shipped().findBoards(jurisdiction, license);
  EXPECT_TRUE(found.isOk()) << jurisdiction << " " << license << ": " << found.status().toString();
  if (found.isOk()) {
    for (const auto& m : *found) ids.push_back(m.board->id);
  }
  return ids;
}

// A psychiatrist with a DO goes to the osteopathic board where a state has one (California
// B&P 2450, Florida 459.004, Pennsylvania 63 P.S. 271.15, Washington RCW 18.57.003), and to
// the one medical board where it licenses both.
TEST(ShippedBoardsTest, DoctorsOfOsteopathicMedicineReachTheirBoard) {
  using Ids = std::vector<std::string>;
  EXPECT_EQ(boardIds("us-ca", "DO"), Ids{"us-ca-ombc"});
  EXPECT_EQ(boardIds("us-ca", "osteopathic_psychiatrist"), Ids{"us-ca-ombc"});
  EXPECT_EQ(boardIds("us-ca", "MD"), Ids{"us-ca-mbc"});
  EXPECT_EQ(boardIds("us-fl", "DO"), Ids{"us-fl-osteo"});
  EXPECT_EQ(boardIds("us-pa", "DO"), Ids{"us-pa-osteopathic"});
  EXPECT_EQ(boardIds("us-wa", "DO"), Ids{"us-wa-osteopathic"});
  EXPECT_EQ(boardIds("us-wa", "psychiatrist"), Ids{"us-wa-wmc"});
  EXPECT_EQ(boardIds("us-oh", "DO"), Ids{"us-oh-smbo"});
  EXPECT_EQ(boardIds("us-tx", "osteopathic_psychiatrist"), Ids{"us-tx-tmb"});
}

// Associates, trainees and every level of social work reach their board.
TEST(ShippedBoardsTest, AssociatesAndSocialWorkersReachTheirBoard) {
  using Ids = std::vector<std::string>;
  for (const char* title : {"AMFT", "ASW", "APCC", "Associate Marriage and Family Therapist"}) {
    EXPECT_EQ(boardIds("us-ca", title), Ids{"us-ca-bbs"}) << title;
  }
  for (const char* title : {"LMSW", "LBSW", "LPC Associate", "LMFT Associate", "LSSP", "LPA"}) {
    EXPECT_EQ(boardIds("us-tx", title), Ids{"us-tx-bhec"}) << title;
  }
  EXPECT_EQ(boardIds("us-wa", "LMHCA"), Ids{"us-wa-doh-18-225"});
  EXPECT_EQ(boardIds("us-wa", "social_worker"), Ids{"us-wa-doh-18-225"});
  EXPECT_EQ(boardIds("us-il", "LSW"), Ids{"us-il-idfpr"});
  EXPECT_EQ(boardIds("us-il", "Licensed Clinical Professional Counselor"), Ids{"us-il-idfpr"});
  EXPECT_EQ(boardIds("us-pa", "Licensed Bachelor Social Worker"), Ids{"us-pa-swmftpc"});
  EXPECT_EQ(boardIds("us-oh", "LSW"), Ids{"us-oh-cswmft"});
  // Ontario's College registers social workers and social service workers (RSW, RSSW).
  EXPECT_EQ(boardIds("ca-on", "RSW"), Ids{"ca-on-ocswssw"});
  EXPECT_EQ(boardIds("ca-on", "social_worker"), Ids{"ca-on-ocswssw"});
  // The nine titles the HCPC protects.
  for (const char* title :
       {"Practitioner psychologist", "Registered psychologist", "Clinical psychologist",
        "Counselling psychologist", "Educational psychologist", "Forensic psychologist",
        "Health psychologist", "Occupational psychologist", "Sport and exercise psychologist"}) {
    EXPECT_EQ(boardIds("gb", title), Ids{"gb-hcpc"}) << title;
  }
}

// Australia: social workers, counsellors and family therapists are not registered under
// the National Law, so they reach their self-regulating body and every state's and
// territory's health complaints entity, each marked as what it is.
TEST(ShippedBoardsTest, AustraliaCoversUnregisteredTherapistsInEveryState) {
  const std::set<std::string> places = {
      "New South Wales",   "Victoria", "Queensland",         "South Australia",
      "Western Australia", "Tasmania", "Northern Territory", "Australian Capital Territory"};
  for (const char* license : {"social worker", "counsellor", "family therapist"}) {
    auto found = shipped().findBoards("au", license);
    ASSERT_TRUE(found.isOk()) << license << ": " << found.status().toString();
    std::set<std::string> regions;
    int professional = 0;
    for (const auto& m : *found) {
      if (m.board->kind == BoardKind::kComplaintsEntity) regions.insert(m.board->region);
      if (m.board->kind == BoardKind::kProfessionalBody) ++professional;
      EXPECT_NE(m.board->kind, BoardKind::kLicensingBoard) << license << " " << m.board->id;
    }
    EXPECT_EQ(regions, places) << license;
    EXPECT_GE(professional, 1) << license;
  }
  // Ahpra registers nurse practitioners and doctors; every state's complaints body takes
  // complaints about them too.
  for (const char* title : {"Nurse practitioner", "Medical practitioner", "Nurse"}) {
    auto ids = boardIds("au", title);
    EXPECT_NE(std::find(ids.begin(), ids.end(), "au-ahpra"), ids.end()) << title;
    EXPECT_NE(std::find(ids.begin(), ids.end(), "au-vic-hcc"), ids.end()) << title;
  }
}

// docs/jurisdictions.md keeps a table of how each jurisdiction's facts were checked; it must
// say what the files say.
TEST(ShippedLawTest, TheDocsTableOfGradesMatchesTheFiles) {
  std::ifstream in(std::string(RECOURSE_SOURCE_DIR) + "/docs/jurisdictions.md");
  ASSERT_TRUE(in) << "docs/jurisdictions.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();
  for (const Jurisdiction* j : shipped().all()) {
    const FactGrades g = gradeFacts(*j);
    const std::string row = "| " + j->name + " (`" + j->id + "`) | " + std::to_string(g.official) +
                            " | " + std::to_string(g.secondary) + " | " +
                            std::to_string(g.unverified) + " | ";
    EXPECT_NE(docs.find(row), std::string::npos)
        << "docs/jurisdictions.md has no row \"" << row
        << "\"; update it from `recourse jurisdictions check --grades`";
  }
}

Board boardWith(const std::string& id, std::vector<std::string> types,
                std::vector<LicenseTitle> titles) {
  Board b;
  b.id = id;
  b.name = id;
  b.license_types = std::move(types);
  b.license_titles = std::move(titles);
  return b;
}

std::vector<std::string> titleProblems(std::vector<Board> boards) {
  Jurisdiction j;
  j.id = "xx";
  j.name = "xx";
  j.file = "jurisdictions/xx.json";
  j.boards = std::move(boards);
  std::vector<LicenseType> types = {{"psychologist", "Psychologist", {"PhD"}},
                                    {"social_worker", "Social worker", {"LSW"}},
                                    {"clinical_social_worker", "Clinical social worker", {"LCSW"}}};
  Registry reg = Registry::fromValues({j}, types);
  std::vector<std::string> out;
  for (const auto& p : reg.problems()) out.push_back(p.toString());
  return out;
}

// `jurisdictions check` refuses a title no license type of its board maps, and one title
// under two bodies of one place with no note saying why.
TEST(TitleCheckTest, UnmappedAndDoubledTitlesAreReported) {
  // One type: every title is that type.
  EXPECT_TRUE(titleProblems({boardWith("a", {"psychologist"}, {{"Anything", "", ""}})}).empty());
  // Several types: the vocabulary decides, or the file says.
  EXPECT_TRUE(titleProblems(
                  {boardWith("a", {"social_worker", "clinical_social_worker"}, {{"LSW", "", ""}})})
                  .empty());
  auto p = titleProblems(
      {boardWith("a", {"social_worker", "clinical_social_worker"}, {{"Case manager", "", ""}})});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("jurisdictions/xx.json:$.boards[0].license_titles[0]: \"Case manager\" "
                       "maps to none of this board's license types",
                       0),
            0u)
      << p[0];
  p = titleProblems({boardWith("a", {"psychologist"}, {{"LSW", "social_worker", ""}})});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("which this board does not list"), std::string::npos) << p[0];
  // The same title under two boards: reported on the second, unless a note says why.
  p = titleProblems({boardWith("a", {"psychologist"}, {{"PhD", "", ""}}),
                     boardWith("b", {"psychologist"}, {{"phd", "", ""}})});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("$.boards[1].license_titles[0]: \"phd\" is also listed under a"),
            std::string::npos)
      << p[0];
  EXPECT_TRUE(titleProblems({boardWith("a", {"psychologist"}, {{"PhD", "", ""}}),
                             boardWith("b", {"psychologist"}, {{"PhD", "", "second board"}})})
                  .empty());
}

}  // namespace
}  // namespace recourse::jurisdiction
