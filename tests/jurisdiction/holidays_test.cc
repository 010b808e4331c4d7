#include "jurisdiction/holidays.h"

#include <gtest/gtest.h>

namespace recourse::jurisdiction {
namespace {

using core::Date;

HolidayRule fixed(const std::string& name, unsigned m, unsigned d, Observed obs) {
  HolidayRule r;
  r.name = name;
  r.kind = HolidayKind::kFixed;
  r.month = m;
  r.day = d;
  r.observed = obs;
  return r;
}

HolidayRule nth(const std::string& name, unsigned m, unsigned weekday, int n) {
  HolidayRule r;
  r.name = name;
  r.kind = HolidayKind::kNthWeekday;
  r.month = m;
  r.weekday = weekday;
  r.n = n;
  return r;
}

std::vector<std::string> listed(const std::vector<HolidayRule>& rules, int year) {
  std::vector<std::string> out;
  for (const auto& h : holidaysInYear(rules, year)) out.push_back(h.date.toString() + " " + h.name);
  return out;
}

TEST(HolidaysTest, EasterSunday) {
  EXPECT_EQ(easterSunday(2000).toString(), "2000-04-23");
  EXPECT_EQ(easterSunday(2024).toString(), "2024-03-31");
  EXPECT_EQ(easterSunday(2025).toString(), "2025-04-20");
  EXPECT_EQ(easterSunday(2026).toString(), "2026-04-05");
  EXPECT_EQ(easterSunday(2038).toString(), "2038-04-25");
}

TEST(HolidaysTest, WeekdayOf) {
  EXPECT_EQ(weekdayOf(Date(2026, 3, 2)), 1u);   // Monday
  EXPECT_EQ(weekdayOf(Date(2026, 7, 4)), 6u);   // Saturday
  EXPECT_EQ(weekdayOf(Date(2024, 2, 29)), 4u);  // Thursday
  EXPECT_STREQ(weekdayName(0), "Sunday");
}

TEST(HolidaysTest, NthAndLastWeekdays) {
  HolidayRule memorial;
  memorial.name = "Memorial Day";
  memorial.kind = HolidayKind::kLastWeekday;
  memorial.month = 5;
  memorial.weekday = 1;
  HolidayRule thanksgiving_friday = nth("Day after Thanksgiving", 11, 4, 4);
  thanksgiving_friday.kind = HolidayKind::kNthWeekdayOffset;
  thanksgiving_friday.offset_days = 1;
  std::vector<HolidayRule> rules = {nth("Martin Luther King Jr. Day", 1, 1, 3), memorial,
                                    nth("Thanksgiving", 11, 4, 4), thanksgiving_friday};
  EXPECT_EQ(
      listed(rules, 2026),
      (std::vector<std::string>{"2026-01-19 Martin Luther King Jr. Day", "2026-05-25 Memorial Day",
                                "2026-11-26 Thanksgiving", "2026-11-27 Day after Thanksgiving"}));
}

TEST(HolidaysTest, ObservedShiftsAcrossTheYearEnd) {
  std::vector<HolidayRule> rules = {fixed("New Year's Day", 1, 1, Observed::kNearestWeekday),
                                    fixed("Independence Day", 7, 4, Observed::kNearestWeekday),
                                    fixed("Christmas Day", 12, 25, Observed::kNearestWeekday)};
  // 1 January 2022 was a Saturday: observed on Friday 31 December 2021.
  auto y2021 = listed(rules, 2021);
  EXPECT_EQ(y2021.back(), "2021-12-31 New Year's Day (observed)");
  // 2022 itself has no New Year's closed day.
  EXPECT_EQ(listed(rules, 2022).front(), "2022-07-04 Independence Day");
  // 4 July 2026 is a Saturday: observed Friday 3 July.
  auto y2026 = listed(rules, 2026);
  EXPECT_EQ(y2026[1], "2026-07-03 Independence Day (observed)");
}

TEST(HolidaysTest, SubstituteDaysDoNotCollide) {
  // England and Wales, 2021: Christmas on Saturday, Boxing Day on Sunday.
  std::vector<HolidayRule> rules = {fixed("Christmas Day", 12, 25, Observed::kNextFreeWeekday),
                                    fixed("Boxing Day", 12, 26, Observed::kNextFreeWeekday)};
  EXPECT_EQ(listed(rules, 2021), (std::vector<std::string>{"2021-12-27 Christmas Day (observed)",
                                                           "2021-12-28 Boxing Day (observed)"}));
  // 2022: Christmas on Sunday, Boxing Day on Monday: substitute Tuesday 27.
  EXPECT_EQ(listed(rules, 2022), (std::vector<std::string>{"2022-12-26 Boxing Day",
                                                           "2022-12-27 Christmas Day (observed)"}));
}

TEST(HolidaysTest, SundayOnlyShiftAndNoShift) {
  std::vector<HolidayRule> rules = {fixed("A", 7, 4, Observed::kSundayToMonday),
                                    fixed("B", 12, 26, Observed::kNone)};
  // 2026: 4 July is a Saturday (not moved by a Sunday-only rule); 26 December is a Saturday.
  EXPECT_TRUE(listed(rules, 2026).empty());
  // 2027: 4 July is a Sunday, so Monday 5 July; 26 December is a Sunday, not moved.
  EXPECT_EQ(listed(rules, 2027), (std::vector<std::string>{"2027-07-05 A (observed)"}));
}

TEST(HolidaysTest, EasterOffsetsWeekdayBeforeAndParity) {
  HolidayRule good_friday;
  good_friday.name = "Good Friday";
  good_friday.kind = HolidayKind::kEasterOffset;
  good_friday.offset_days = -2;
  HolidayRule victoria;
  victoria.name = "Victoria Day";
  victoria.kind = HolidayKind::kWeekdayBefore;
  victoria.month = 5;
  victoria.day = 25;
  victoria.weekday = 1;
  HolidayRule election = nth("Election Day", 11, 1, 1);
  election.kind = HolidayKind::kNthWeekdayOffset;
  election.offset_days = 1;
  election.year_parity = 0;
  std::vector<HolidayRule> rules = {good_friday, victoria, election};
  // 25 May 2026 is itself a Monday, so Victoria Day is the Monday before: 18 May.
  EXPECT_EQ(listed(rules, 2026),
            (std::vector<std::string>{"2026-04-03 Good Friday", "2026-05-18 Victoria Day",
                                      "2026-11-03 Election Day"}));
  EXPECT_EQ(listed(rules, 2027),
            (std::vector<std::string>{"2027-03-26 Good Friday", "2027-05-24 Victoria Day"}));
}

TEST(HolidaysTest, SinceLimitsNewHolidays) {
  HolidayRule juneteenth = fixed("Juneteenth", 6, 19, Observed::kNearestWeekday);
  juneteenth.since = 2021;
  EXPECT_TRUE(listed({juneteenth}, 2020).empty());
  EXPECT_EQ(listed({juneteenth}, 2026), (std::vector<std::string>{"2026-06-19 Juneteenth"}));
}

TEST(HolidaysTest, CalendarAnswersByDay) {
  HolidayCalendar cal({fixed("Christmas Day", 12, 25, Observed::kNearestWeekday)});
  EXPECT_EQ(cal.holiday(Date(2026, 12, 25)).value_or(""), "Christmas Day");
  EXPECT_FALSE(cal.holiday(Date(2026, 12, 24)).has_value());
  EXPECT_EQ(cal.holiday(Date(2027, 12, 24)).value_or(""), "Christmas Day (observed)");
  EXPECT_TRUE(HolidayCalendar::isWeekend(Date(2026, 3, 7)));
  EXPECT_FALSE(HolidayCalendar::isWeekend(Date(2026, 3, 6)));
}

}  // namespace
}  // namespace recourse::jurisdiction
