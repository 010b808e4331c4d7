// The deadlines workflow and the board time limit: one computation behind the deadlines
// view and the complaint review.
#include "service/deadlines.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "service/time_limits.h"

namespace recourse::service {
namespace {

using core::Date;

Date day(const std::string& s) { return *Date::parse(s, "date"); }

class DeadlinesTest : public testing::ServiceTest {
 protected:
  // Moves the fake clock (which starts on 2026-03-02) to 09:00 on `d`.
  void setToday(const std::string& d) {
    clock_.advance(std::chrono::days((day(d).days() - clock_.today().days()).count()));
  }

  const jurisdiction::Board& board(const core::Case& kase) {
    auto found = catalog().law().findBoards(kase.provider.jurisdiction, kase.provider.license_type);
    EXPECT_TRUE(found.isOk()) << found.status().toString();
    return *(*found)[0].board;
  }
};

// Florida, 456.073 as the Board of Medicine states it: six years, but "sexual misconduct
// ... no limit". An incident of that kind is never called late; another of the same age is.
TEST_F(DeadlinesTest, AnIncidentOfAKindWithNoLimitIsNeverLate) {
  setToday("2026-12-03");
  auto kase = addCase("us-fl", "LMHC");
  core::Incident old = addIncident(kase.id, "2010-05-01");
  old.harm_kinds = {"sexual_misconduct"};
  ASSERT_TRUE(store().updateIncident(old).isOk());
  auto limits = complaintTimeLimits(board(kase), *store().listIncidents(kase.id));
  EXPECT_TRUE(limits.empty());
  auto warnings = timeLimitWarnings(&board(kase), *store().listIncidents(kase.id), clock_.today());
  std::string all;
  for (const auto& w : warnings) all += w.key + ": " + w.text + "\n";
  EXPECT_EQ(all.find("time_limit.past"), std::string::npos) << all;
  EXPECT_NE(all.find("time_limit.no_limit: 1 incident is of a kind the law sets no time limit "
                     "for"),
            std::string::npos)
      << all;

  addIncident(kase.id, "2012-05-01");  // no kind of harm given: the six years apply
  warnings = timeLimitWarnings(&board(kase), *store().listIncidents(kase.id), clock_.today());
  all.clear();
  for (const auto& w : warnings) all += w.key + ": " + w.text + "\n";
  EXPECT_NE(all.find("time_limit.past: Some incidents (1) are more than 6 years old"),
            std::string::npos)
      << all;
}

// California, B&P 2230.5: seven years from the act, ten for sexual misconduct. A physician's
// incident eight years old is past the limit unless it is sexual misconduct.
TEST_F(DeadlinesTest, ALongerPeriodForAKindOfHarmIsCountedForIt) {
  setToday("2026-12-03");
  auto kase = addCase("us-ca", "MD");
  core::Incident i = addIncident(kase.id, "2018-06-01");
  i.harm_kinds = {"sexual_misconduct"};
  {
    auto saved = store().updateIncident(i);
    ASSERT_TRUE(saved.isOk()) << saved.status().toString();
    i = *saved;  // at the version it is now, for the next change
  }
  auto limits = complaintTimeLimits(board(kase), *store().listIncidents(kase.id));
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].ends, day("2028-06-01"));
  EXPECT_EQ(limits[0].years, 10);
  i.harm_kinds = {"boundary_violation"};
  {
    auto saved = store().updateIncident(i);
    ASSERT_TRUE(saved.isOk()) << saved.status().toString();
    i = *saved;  // at the version it is now, for the next change
  }
  limits = complaintTimeLimits(board(kase), *store().listIncidents(kase.id));
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].ends, day("2025-06-01"));
}

// Two kinds of harm with no time limit, each under its own exception: the note says both
// exceptions, once each, in the order the law lists them.
TEST_F(DeadlinesTest, EachNoLimitExceptionThatAppliesIsSaid) {
  jurisdiction::Board b;
  b.name = "Test board";
  jurisdiction::ComplaintTimeLimit tl;
  tl.summary = "Six years.";
  tl.years = 6;
  tl.meta.source.citation = "Test Code 1";
  tl.meta.verified = true;
  jurisdiction::TimeLimitException sexual;
  sexual.harm_kinds = {"sexual_misconduct"};
  sexual.no_limit = true;
  sexual.summary = "No limit for sexual misconduct.";
  jurisdiction::TimeLimitException impaired;
  impaired.harm_kinds = {"impairment"};
  impaired.no_limit = true;
  impaired.summary = "No limit for impairment.";
  tl.exceptions = {sexual, impaired};
  b.complaint_time_limit = tl;
  core::Incident one;
  one.date_start = day("2010-01-01");
  one.harm_kinds = {"impairment"};
  core::Incident two = one;
  two.harm_kinds = {"sexual_misconduct"};
  core::Incident three = one;
  auto warnings = timeLimitWarnings(&b, {one, two, three}, day("2026-12-03"));
  std::string all;
  for (const auto& w : warnings) all += w.key + ": " + w.text + "\n";
  EXPECT_NE(all.find("time_limit.no_limit: 3 incidents are of a kind the law sets no time limit "
                     "for (Test Code 1): No limit for sexual misconduct. No limit for impairment."),
            std::string::npos)
      << all;
}

// Texas BHEC, 22 TAC 884.1: "within five years of the date of the termination of professional
// services"; sexual misconduct "within seven years after the date of termination of services
// or within five years of the patient, client or recipient of services reaching the age of
// majority, whichever is greater". A six-year-old incident of sexual misconduct is in time
// for a year more; one of another kind is past the limit.
TEST_F(DeadlinesTest, TexasCountsSevenYearsForSexualMisconduct) {
  setToday("2026-12-03");
  auto kase = addCase("us-tx", "LPC");
  core::Incident i = addIncident(kase.id, "2020-06-01");
  i.harm_kinds = {"sexual_misconduct"};
  {
    auto saved = store().updateIncident(i);
    ASSERT_TRUE(saved.isOk()) << saved.status().toString();
    i = *saved;  // at the version it is now, for the next change
  }
  auto limits = complaintTimeLimits(board(kase), *store().listIncidents(kase.id));
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].years, 7);
  EXPECT_EQ(limits[0].ends, day("2027-06-01"));
  i.harm_kinds = {"boundary_violation"};
  {
    auto saved = store().updateIncident(i);
    ASSERT_TRUE(saved.isOk()) << saved.status().toString();
    i = *saved;  // at the version it is now, for the next change
  }
  limits = complaintTimeLimits(board(kase), *store().listIncidents(kase.id));
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].ends, day("2025-06-01"));
}

// California's BBS: 7 years after the act (Bus. & Prof. Code 4990.32). An incident running
// from 2018-05-01 to 2020-01-31: its latest part is in time until 2027-01-31. The deadlines
// view and the complaint review once disagreed here (2025-05-01, "581 days ago", against
// 2027-01-31, "in 59 days"); both now come from complaintTimeLimits.
TEST_F(DeadlinesTest, TheBoardTimeLimitIsCountedOneWayEverywhere) {
  setToday("2026-12-03");
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2018-05-01", "2020-01-31");

  auto limits = complaintTimeLimits(board(kase), *store().listIncidents(kase.id));
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].first_ends, day("2025-05-01"));
  EXPECT_EQ(limits[0].ends, day("2027-01-31"));

  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk()) << items.status().toString();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].kind, DeadlineItem::Kind::kComplaintTimeLimit);
  EXPECT_EQ((*items)[0].date, day("2027-01-31"));
  EXPECT_EQ((*items)[0].days_from_today, 59);
  EXPECT_NE((*items)[0].what.text.find("4990.32"), std::string::npos) << (*items)[0].what.text;

  auto warnings = timeLimitWarnings(&board(kase), *store().listIncidents(kase.id), clock_.today());
  std::string all;
  for (const auto& w : warnings) all += w.text + "\n";
  EXPECT_NE(all.find("will be 7 years old on 2027-01-31, in 59 days"), std::string::npos) << all;
  EXPECT_NE(all.find("earliest part is already older"), std::string::npos) << all;
  EXPECT_EQ(all.find("2025-05-01"), std::string::npos) << all;
}

// An incident dated only in words ("spring 2019") is counted from the earliest day the
// words allow (2019-03-01), so the warning comes no later than the law's own limit, and
// every place that shows it says the date is a best guess.
TEST_F(DeadlinesTest, AnIncidentDatedInWordsIsCountedFromItsEarliestPossibleDay) {
  setToday("2026-01-15");
  auto kase = addCase("us-ca", "LMFT");
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "The first session that went wrong";
  i.date_text = "spring 2019";
  i.date_precision = core::DatePrecision::kApproximate;
  ASSERT_TRUE(store().addIncident(i).isOk());

  auto incidents = *store().listIncidents(kase.id);
  auto limits = complaintTimeLimits(board(kase), incidents);
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].first_act, day("2019-03-01"));
  EXPECT_EQ(limits[0].ends, day("2026-03-01"));  // 7 years
  EXPECT_TRUE(limits[0].approximate);

  auto warnings = timeLimitWarnings(&board(kase), incidents, clock_.today());
  ASSERT_FALSE(warnings.empty());
  EXPECT_EQ(warnings[0].key, "time_limit.near_approx");
  const core::Notice::Args& args = warnings[0].args;
  auto arg = [&args](const std::string& name) {
    for (const auto& [n, v] : args) {
      if (n == name) return v;
    }
    return std::string("(none)");
  };
  EXPECT_EQ(arg("when"), "spring 2019");
  EXPECT_EQ(arg("ends"), "2026-03-01");
  EXPECT_EQ(arg("days"), "45");
  EXPECT_NE(warnings[0].text.find("may be 7 years old as soon as 2026-03-01, in 45 days"),
            std::string::npos)
      << warnings[0].text;

  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk()) << items.status().toString();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].kind, DeadlineItem::Kind::kComplaintTimeLimit);
  EXPECT_EQ((*items)[0].date, day("2026-03-01"));
  EXPECT_EQ((*items)[0].what.key, "due.time_limit_approx");
  EXPECT_NE((*items)[0].what.text.find("in spring 2019"), std::string::npos)
      << (*items)[0].what.text;

  // Once even its earliest day is past, it may be too old: said as "may be", never refused.
  setToday("2026-04-01");
  warnings = timeLimitWarnings(&board(kase), incidents, clock_.today());
  ASSERT_FALSE(warnings.empty());
  EXPECT_EQ(warnings[0].key, "time_limit.past_approx");
  EXPECT_NE(warnings[0].text.find("may be more than 7 years old"), std::string::npos)
      << warnings[0].text;
}

// An incident with no date at all, not even in words with a year, has no time limit to
// count, and the person is told so (with how to fix it), never left to think it is fine.
TEST_F(DeadlinesTest, AnIncidentWithNoDateHasNoTimeLimitAndTheNotesSaySo) {
  auto kase = addCase("us-ca", "LMFT");
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Something I cannot place in time";
  i.date_text = "around March";
  ASSERT_TRUE(store().addIncident(i).isOk());
  auto incidents = *store().listIncidents(kase.id);
  EXPECT_TRUE(complaintTimeLimits(board(kase), incidents).empty());
  auto warnings = timeLimitWarnings(&board(kase), incidents, clock_.today());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].key, "time_limit.undated");
  EXPECT_EQ(warnings[0].args, (core::Notice::Args{{"count", "1"}}));
  EXPECT_NE(warnings[0].text.find("1 incident has no date"), std::string::npos) << warnings[0].text;
}

TEST_F(DeadlinesTest, TimeLimitsCountWholeMonthsAndClampToTheMonthsLastDay) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2020-02-29");
  addIncident(kase.id, "2019-06-15");
  auto incidents = *store().listIncidents(kase.id);
  auto limits = complaintTimeLimits(board(kase), incidents);
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].ends, day("2026-06-15"));  // soonest first
  EXPECT_EQ(limits[1].ends, day("2027-02-28"));  // 2027 has no 29 February
  EXPECT_EQ(limits[1].first_ends, limits[1].ends);
}

TEST_F(DeadlinesTest, WhenEveryLimitHasPassedTheLastOneIsShownAsPast) {
  setToday("2026-12-03");
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2015-01-10");
  addIncident(kase.id, "2016-03-01");
  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].date, day("2023-03-01"));
  EXPECT_LT((*items)[0].days_from_today, 0);
  // Past items are never hidden by a window.
  EXPECT_EQ(listDeadlines(services(), {14})->size(), 1u);
}

TEST_F(DeadlinesTest, RecordsDueDatesSoonestFirstWithAWindowAndAsICalendar) {
  auto kase = addCase("us-ca", "LMFT");
  std::string a = addSentRequest(kase, "Bay Clinic", "2026-03-02");
  std::string b = addSentRequest(kase, "Oak Billing", "2026-02-20");
  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk()) << items.status().toString();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].ref, b);
  EXPECT_EQ((*items)[0].kind, DeadlineItem::Kind::kRecordsDue);
  EXPECT_EQ((*items)[1].ref, a);
  EXPECT_LT((*items)[0].date, (*items)[1].date);
  EXPECT_EQ((*items)[0].what.text, "Records due from Oak Billing");

  const int to_first = static_cast<int>((*items)[0].days_from_today);
  auto within = listDeadlines(services(), {to_first});
  ASSERT_TRUE(within.isOk());
  ASSERT_EQ(within->size(), 1u);
  EXPECT_EQ((*within)[0].ref, b);

  std::string cal = toICalendar(*items, clock_.now());
  EXPECT_EQ(cal.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(cal.find("SUMMARY:Records due from Oak Billing"), std::string::npos) << cal;
  EXPECT_NE(cal.find("DTSTAMP:20260302T090000Z\r\n"), std::string::npos) << cal;
  EXPECT_EQ(cal.substr(cal.size() - 15), "END:VCALENDAR\r\n");
}

// An advocate with several clients: every line names whose it is, --client narrows the
// list to one person, and --as-of plans ahead.
TEST_F(DeadlinesTest, EachItemNamesItsClientAndCaseAndCanBeNarrowedAndPlanned) {
  auto maya = addCase("us-ca", "LMFT");  // client "Maya Okafor", untitled case
  core::Client other;
  other.name = "Sam Lee";
  auto sam = store().addClient(other);
  ASSERT_TRUE(sam.isOk());
  core::Case titled = maya;
  titled.id.clear();
  titled.client_id = sam->id;
  titled.title = "Records from Dr. Cole";
  titled.provider.name = "Dr. Cole";
  auto sams_case = store().addCase(titled);
  ASSERT_TRUE(sams_case.isOk()) << sams_case.status().toString();
  std::string a = addSentRequest(maya, "Bay Clinic", "2026-03-02");
  std::string b = addSentRequest(*sams_case, "Cole Practice", "2026-02-20");

  auto all = listDeadlines(services(), {});
  ASSERT_TRUE(all.isOk()) << all.status().toString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].ref, b);
  EXPECT_EQ((*all)[0].client_name, "Sam Lee");
  EXPECT_EQ((*all)[0].case_label, "Records from Dr. Cole");
  EXPECT_EQ((*all)[1].client_name, "Maya Okafor");
  EXPECT_EQ((*all)[1].case_label, "about Dr. Jane Smith");
  const std::string cal = toICalendar(*all, clock_.now());
  EXPECT_NE(cal.find("SUMMARY:Records due from Cole Practice (rule not confirmed) — Sam Lee\\, "
                     "Records from Dr. Cole"),
            std::string::npos)
      << cal;

  DeadlinesQuery only_maya;
  only_maya.client_id = maya.client_id;
  auto mine = listDeadlines(services(), only_maya);
  ASSERT_TRUE(mine.isOk());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].ref, a);

  DeadlinesQuery nobody;
  nobody.client_id = "cl_nosuchclient";
  auto none = listDeadlines(services(), nobody);
  ASSERT_FALSE(none.isOk());
  EXPECT_EQ(none.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(none.status().field(), "client_id");

  // Planning ahead: counted from a later day, the same due dates are nearer or past.
  DeadlinesQuery ahead;
  ahead.as_of = day("2026-05-01");
  auto later = listDeadlines(services(), ahead);
  ASSERT_TRUE(later.isOk());
  ASSERT_FALSE(later->empty());
  for (const auto& it : *later) {
    EXPECT_EQ(it.days_from_today, (it.date.days() - day("2026-05-01").days()).count())
        << it.what.text;
  }
  EXPECT_LT((*later)[0].days_from_today, 0) << "the 30 days from 2026-02-20 are over by May";
}

// A case kept on purpose with a jurisdiction Recourse has no law for: its open request is
// listed with the reason instead of being left out.
TEST_F(DeadlinesTest, ARequestWithoutLawIsListedWithoutADueDate) {
  auto kase = addCase("xx-yy", "LMFT");
  std::string id = addSentRequest(kase, "Far Clinic", "2026-02-20");
  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk()) << items.status().toString();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].kind, DeadlineItem::Kind::kNoDueDate);
  EXPECT_EQ((*items)[0].ref, id);
  EXPECT_EQ((*items)[0].what.text,
            "No due date for the request to Far Clinic: Recourse has no law for xx-yy");
  // The same, as data a front end says in its own words.
  EXPECT_EQ((*items)[0].what.key, "due.no_due");
  const core::Notice::Args want{
      {"why", "no_due.no_law"}, {"jurisdiction", "xx-yy"}, {"custodian", "Far Clinic"}};
  EXPECT_EQ((*items)[0].what.args, want);
  EXPECT_EQ(toICalendar(*items, clock_.now()).find("BEGIN:VEVENT"), std::string::npos);
}

TEST_F(DeadlinesTest, CalendarTextIsEscaped) {
  DeadlineItem it;
  it.date = day("2026-04-01");
  it.what.text = "Records due from Smith, Jones; Partners\\Co";
  it.ref = "rq_1";
  it.verified = false;
  std::string cal = toICalendar({it}, clock_.now());
  EXPECT_NE(
      cal.find("SUMMARY:Records due from Smith\\, Jones\\; Partners\\\\Co (rule not confirmed)"),
      std::string::npos)
      << cal;
  EXPECT_NE(cal.find("DTEND;VALUE=DATE:20260402\r\n"), std::string::npos) << cal;
}

TEST_F(DeadlinesTest, ABadWindowNamesItsFieldAndALockedVaultIsNotNothingDue) {
  auto bad = listDeadlines(services(), {-1});
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "within_days");

  auto kase = addCase();
  addSentRequest(kase, "Bay Clinic", "2026-03-02");
  store().lock();
  auto locked = listDeadlines(services(), {});
  ASSERT_FALSE(locked.isOk());
  EXPECT_EQ(locked.status().code(), core::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace recourse::service
