// Expected dates here were worked out by hand with a calendar, not produced by the engine.
#include "jurisdiction/deadline.h"

#include <gtest/gtest.h>

namespace recourse::jurisdiction {
namespace {

using core::Date;

FactMeta verified(const std::string& citation) {
  FactMeta m;
  m.source.citation = citation;
  m.source.url = "https://example.org/" + citation;
  m.verified = true;
  m.last_verified = Date(2026, 11, 23);
  return m;
}

DayRule days(int n, DayType type) {
  DayRule r;
  r.meta = verified("rule");
  r.count = n;
  r.type = type;
  r.starts_on = "receipt of the request";
  return r;
}

Jurisdiction withResponse(const std::string& id, const std::string& parent, DayRule r) {
  Jurisdiction j;
  j.id = id;
  j.name = id;
  j.parent = parent;
  RecordsAccess ra;
  ra.meta = verified("law");
  ra.law_name = "Test law";
  ra.response = r;
  j.records_access = ra;
  return j;
}

HolidayRule fixed(const std::string& name, unsigned m, unsigned d) {
  HolidayRule h;
  h.name = name;
  h.kind = HolidayKind::kFixed;
  h.month = m;
  h.day = d;
  h.observed = Observed::kNearestWeekday;
  return h;
}

Date due(const Jurisdiction& j, const DeadlineInput& in, const HolidayCalendar& cal = {}) {
  auto d = computeDeadline(j, cal, "records-access", in);
  EXPECT_TRUE(d.isOk()) << d.status().toString();
  return d.isOk() ? d->due : Date();
}

TEST(DeadlineTest, CalendarDaysAcrossMonthAndYearEnds) {
  Jurisdiction j = withResponse("xx", "", days(15, DayType::kCalendar));
  EXPECT_EQ(due(j, {Date(2026, 1, 20), {}, {}}), Date(2026, 2, 4));
  EXPECT_EQ(due(j, {Date(2026, 12, 20), {}, {}}), Date(2027, 1, 4));
  // Day 0 is the start: 15 days after 2 March is 17 March.
  EXPECT_EQ(due(j, {Date(2026, 3, 2), {}, {}}), Date(2026, 3, 17));
}

TEST(DeadlineTest, LeapDays) {
  Jurisdiction j = withResponse("xx", "", days(10, DayType::kCalendar));
  EXPECT_EQ(due(j, {Date(2024, 2, 20), {}, {}}), Date(2024, 3, 1));  // 29 Feb counts
  EXPECT_EQ(due(j, {Date(2023, 2, 20), {}, {}}), Date(2023, 3, 2));
  Jurisdiction thirty = withResponse("xx", "", days(30, DayType::kCalendar));
  EXPECT_EQ(due(thirty, {Date(2024, 2, 29), {}, {}}), Date(2024, 3, 30));
}

TEST(DeadlineTest, BusinessDaysSkipWeekendsAndHolidaysInside) {
  Jurisdiction j = withResponse("xx", "", days(15, DayType::kBusiness));
  HolidayCalendar cal({fixed("Christmas Day", 12, 25), fixed("New Year's Day", 1, 1)});
  // From Friday 18 Dec 2026: 21,22,23,24 | 25 Christmas | 28,29,30,31 | 1 Jan | 4..8 | 11, 12.
  auto d = computeDeadline(j, cal, "records-access", {Date(2026, 12, 18), {}, {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->due, Date(2027, 1, 12));
  EXPECT_EQ(d->counted.size(), 15u);
  size_t holidays = 0;
  for (const auto& s : d->skipped) {
    if (s.reason == "Christmas Day" || s.reason == "New Year's Day") ++holidays;
  }
  EXPECT_EQ(holidays, 2u);
  EXPECT_EQ(d->skipped.size(), 10u);  // 8 weekend days + 2 holidays
}

TEST(DeadlineTest, HolidayOnAWeekendIsObservedOnAWeekday) {
  Jurisdiction j = withResponse("xx", "", days(3, DayType::kBusiness));
  HolidayCalendar cal({fixed("Independence Day", 7, 4)});
  // Wed 1 July 2026: Thu 2 (1), Fri 3 observed holiday, Sat 4, Sun 5, Mon 6 (2), Tue 7 (3).
  auto d = computeDeadline(j, cal, "records-access", {Date(2026, 7, 1), {}, {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->due, Date(2026, 7, 7));
  EXPECT_EQ(d->skipped.front().reason, "Independence Day (observed)");
}

TEST(DeadlineTest, StartOnAWeekendCountsFromTheNextDay) {
  Jurisdiction j = withResponse("xx", "", days(5, DayType::kBusiness));
  // Received Saturday 7 March 2026: Mon 9 .. Fri 13.
  EXPECT_EQ(due(j, {Date(2026, 3, 7), {}, {}}), Date(2026, 3, 13));
}

TEST(DeadlineTest, ExtensionOnlyWithTimelyNotice) {
  DayRule r = days(30, DayType::kCalendar);
  Jurisdiction j = withResponse("xx", "", r);
  ExtensionRule ext;
  ext.meta = verified("ext");
  ext.count = 30;
  ext.type = DayType::kCalendar;
  ext.conditions = "written notice within the first 30 days with reasons";
  ext.written_notice_required = true;
  ext.notice_within = 30;
  j.records_access->extension = ext;

  // Received 2 March 2026: due 1 April; notice on 20 March extends to 1 May.
  auto d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), Date(2026, 3, 20), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_TRUE(d->extension_applied);
  EXPECT_EQ(d->due_before_extension.value(), Date(2026, 4, 1));
  EXPECT_EQ(d->due, Date(2026, 5, 1));

  // Notice on 5 April comes after the first 30 days: no extension.
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), Date(2026, 4, 5), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_FALSE(d->extension_applied);
  EXPECT_EQ(d->due, Date(2026, 4, 1));
  EXPECT_NE(d->extension_note.text.find("after the window"), std::string::npos);
  EXPECT_EQ(d->extension_note.key, "extension.too_late");

  // The date is as confirmed as the rules that made it: an unconfirmed extension makes the
  // extended date unconfirmed, with its caution; the first date is not touched by it.
  j.records_access->extension->meta.verified = false;
  j.records_access->extension->meta.caution = "The extension could not be checked.";
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), Date(2026, 3, 20), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_FALSE(d->dueVerified());
  EXPECT_EQ(d->dueCaution(), "The extension could not be checked.");
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), std::nullopt, {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_TRUE(d->dueVerified());
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), Date(2026, 4, 5), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_TRUE(d->dueVerified());  // a late notice extends nothing, so nothing unconfirmed

  // A law with no extension: the notice changes nothing.
  j.records_access->extension.reset();
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), Date(2026, 3, 20), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_FALSE(d->extension_applied);
  EXPECT_EQ(d->due, Date(2026, 4, 1));
}

// "A further period": the extension adds to where the first period ends, in its own unit.
// 30 days from 2 March end on Wednesday 1 April; a further month ends on Friday 1 May (not 31
// months on). 30 days from Thursday 5 March end on Saturday 4 April, answered by Monday 6
// April; a further 30 days count from 4 April to Monday 4 May, not from the Monday.
TEST(DeadlineTest, AnExtensionAddsToTheEndOfTheFirstPeriodInItsOwnUnit) {
  Jurisdiction j = withResponse("xx", "", days(30, DayType::kCalendar));
  ExtensionRule ext;
  ext.meta = verified("ext");
  ext.count = 1;
  ext.type = DayType::kCalendarMonth;
  ext.basis = ExtensionBasis::kAfterFirstDue;
  j.records_access->extension = ext;
  auto d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), Date(2026, 3, 20), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_TRUE(d->extension_applied);
  EXPECT_EQ(d->due_before_extension.value(), Date(2026, 4, 1));
  EXPECT_EQ(d->due, Date(2026, 5, 1));

  j.records_access->response->roll_forward = true;
  j.records_access->extension->count = 30;
  j.records_access->extension->type = DayType::kCalendar;
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 5), std::nullopt, {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->due, Date(2026, 4, 6));
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 5), Date(2026, 3, 20), {}});
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->due, Date(2026, 5, 4));
}

TEST(DeadlineTest, PausedClockKeepsTheDaysRemaining) {
  Jurisdiction j = withResponse("xx", "", days(30, DayType::kCalendar));
  // Fee quoted 10 March, paid 15 March: 11..15 do not count (5 days), so 1 April + 5.
  Pause fee{Date(2026, 3, 10), Date(2026, 3, 15), "fee quoted"};
  auto d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), {}, {fee}});
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->due, Date(2026, 4, 6));
  EXPECT_EQ(d->skipped.size(), 5u);
  EXPECT_EQ(d->skipped.front().reason, "clock paused: fee quoted");

  Jurisdiction biz = withResponse("xx", "", days(5, DayType::kBusiness));
  // Mon 2 March; paused Tue 3 to Thu 5 (4 and 5 not counted, 3 was day 1):
  // 3 (1), [4, 5 paused], 6 (2), [7, 8 weekend], 9 (3), 10 (4), 11 (5).
  Pause wait{Date(2026, 3, 3), Date(2026, 3, 5), ""};
  EXPECT_EQ(due(biz, {Date(2026, 3, 2), {}, {wait}}), Date(2026, 3, 11));
}

TEST(DeadlineTest, CalendarMonthsUseTheCorrespondingDay) {
  DayRule month = days(1, DayType::kCalendarMonth);
  Jurisdiction j = withResponse("xx", "", month);
  EXPECT_EQ(due(j, {Date(2026, 9, 3), {}, {}}), Date(2026, 10, 3));
  EXPECT_EQ(due(j, {Date(2026, 1, 31), {}, {}}), Date(2026, 2, 28));
  EXPECT_EQ(due(j, {Date(2024, 1, 31), {}, {}}), Date(2024, 2, 29));
  EXPECT_EQ(due(j, {Date(2026, 12, 15), {}, {}}), Date(2027, 1, 15));
  // With roll-forward, Saturday 28 Feb 2026 moves to Monday 2 March.
  j.records_access->response->roll_forward = true;
  EXPECT_EQ(due(j, {Date(2026, 1, 31), {}, {}}), Date(2026, 3, 2));
  // ...and past a bank holiday: 4 May 2026 (Mon) is a holiday; 4 April + 1 month = Mon 4 May.
  HolidayRule early_may;
  early_may.name = "Early May bank holiday";
  early_may.kind = HolidayKind::kNthWeekday;
  early_may.month = 5;
  early_may.weekday = 1;
  early_may.n = 1;
  EXPECT_EQ(due(j, {Date(2026, 4, 4), {}, {}}, HolidayCalendar({early_may})), Date(2026, 5, 5));
}

TEST(DeadlineTest, RuleWithoutANumberSaysSo) {
  DayRule reasonable;
  reasonable.meta = verified("s18");
  reasonable.starts_on = "receipt";
  reasonable.summary = "within a reasonable time";
  Jurisdiction j = withResponse("xx", "", reasonable);
  auto d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 2), {}, {}});
  ASSERT_FALSE(d.isOk());
  EXPECT_EQ(d.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_NE(d.status().message().find("within a reasonable time"), std::string::npos);
  EXPECT_EQ(computeDeadline(j, {}, "escalation", {Date(2026, 3, 2), {}, {}}).status().code(),
            core::StatusCode::kNotFound);
}

TEST(DeadlineTest, TheEarlierOfStateAndNationalGoverns) {
  LicenseType lt{"psychologist", "Psychologist", {}};
  auto reg = Registry::fromValues({withResponse("us", "", days(30, DayType::kCalendar)),
                                   withResponse("us-aa", "us", days(15, DayType::kCalendar)),
                                   withResponse("us-bb", "us", days(45, DayType::kCalendar))},
                                  {lt});
  ASSERT_TRUE(reg.problems().empty());
  auto a = computeCombined(reg, "us-aa", "records-access", {Date(2026, 3, 2), {}, {}});
  ASSERT_TRUE(a.isOk());
  ASSERT_EQ(a->deadlines.size(), 2u);
  EXPECT_EQ(a->deadlines[a->governing].jurisdiction_id, "us-aa");
  EXPECT_EQ(a->deadlines[a->governing].due, Date(2026, 3, 17));
  EXPECT_EQ(a->deadlines[1].due, Date(2026, 4, 1));  // both are known
  auto b = computeCombined(reg, "us-bb", "records-access", {Date(2026, 3, 2), {}, {}});
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(b->deadlines[b->governing].jurisdiction_id, "us");
  EXPECT_EQ(
      computeCombined(reg, "zz", "records-access", {Date(2026, 3, 2), {}, {}}).status().code(),
      core::StatusCode::kNotFound);
  EXPECT_EQ(computeCombined(reg, "us", "records-fast", {Date(2026, 3, 2), {}, {}}).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(DeadlineTest, ExplanationNamesRuleCitationAndSkippedDays) {
  Jurisdiction j = withResponse("xx", "", days(2, DayType::kBusiness));
  j.name = "Testland";
  auto d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 6), {}, {}});
  ASSERT_TRUE(d.isOk());
  std::string all;
  for (const auto& line : explain(*d)) all += line + "\n";
  EXPECT_NE(all.find("2 business days after receipt of the request"), std::string::npos);
  EXPECT_NE(all.find("Law:      rule — https://example.org/rule"), std::string::npos);
  EXPECT_NE(all.find("2026-03-06 (Friday) is day 0"), std::string::npos);
  EXPECT_NE(all.find("2026-03-07 (Saturday): Saturday"), std::string::npos);
  EXPECT_NE(all.find("Due:      2026-03-10 (Tuesday)"), std::string::npos);
  j.records_access->response->meta.verified = false;
  j.records_access->response->meta.note = "read only at https://example.org/blog";
  j.records_access->response->meta.caution = "The two days could not be checked in the law.";
  d = computeDeadline(j, {}, "records-access", {Date(2026, 3, 6), {}, {}});
  all.clear();
  for (const auto& line : explain(*d)) all += line + "\n";
  // The person reads the caution, plainly; the research note stays in the data file.
  EXPECT_NE(all.find("Not confirmed: The two days could not be checked in the law."),
            std::string::npos);
  EXPECT_EQ(all.find("UNVERIFIED"), std::string::npos);
  EXPECT_EQ(all.find("example.org/blog"), std::string::npos);
}

// A time limit for some providers only: one for the provider's license can set the due
// date; one that turns on a condition never does, even when it is the earliest, and alone it
// gives no due date at all.
TEST(DeadlineTest, ProviderTimeLimitsGovernOnlyForTheirLicense) {
  Jurisdiction j = withResponse("xx", "", days(30, DayType::kCalendar));
  ProviderRule physicians{
      "physician", "physicians", {"psychiatrist"}, "", days(10, DayType::kCalendar)};
  ProviderRule summary{
      "summary", "a summary", {}, "if they give a summary", days(5, DayType::kCalendar)};
  j.records_access->provider_responses = {physicians, summary};
  Registry reg = Registry::fromValues({j}, {{"psychiatrist", "Psychiatrist", {}}});
  auto c = computeCombined(reg, "xx", "records-access", {Date(2026, 3, 2), std::nullopt, {}});
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  ASSERT_EQ(c->deadlines.size(), 2u);  // the general rule and the summary, shown
  EXPECT_EQ(c->deadlines[c->governing].due, Date(2026, 4, 1));
  c = computeCombined(reg, "xx", "records-access",
                      {Date(2026, 3, 2), std::nullopt, {}, "psychiatrist"});
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  ASSERT_EQ(c->deadlines.size(), 3u);
  EXPECT_EQ(c->deadlines[c->governing].due, Date(2026, 3, 12));
  EXPECT_EQ(c->deadlines[c->governing].applies_to, "physicians");
  // No general rule, only the conditional one: nothing can be counted.
  j.records_access->response.reset();
  j.records_access->provider_responses = {summary};
  Registry alone = Registry::fromValues({j}, {{"psychiatrist", "Psychiatrist", {}}});
  auto none = computeCombined(alone, "xx", "records-access", {Date(2026, 3, 2), std::nullopt, {}});
  EXPECT_EQ(none.status().code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recourse::jurisdiction
