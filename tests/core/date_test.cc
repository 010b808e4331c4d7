#include "core/date.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "core/clock.h"

namespace recourse::core {
namespace {

TEST(DateTest, ParsesAndFormatsIsoDates) {
  auto d = Date::parse("2026-03-02", "date");
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 3u);
  EXPECT_EQ(d->day(), 2u);
  EXPECT_EQ(d->toString(), "2026-03-02");
}

TEST(DateTest, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_TRUE(Date::parse("2024-02-29", "d").isOk());
  EXPECT_TRUE(Date::parse("2000-02-29", "d").isOk());
  auto bad = Date::parse("2023-02-29", "--date");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(),
            "--date: 2023-02-29 is an impossible date (February 2023 has 28 days)");
  EXPECT_FALSE(Date::parse("1900-02-29", "d").isOk());
}

TEST(DateTest, CallsAnImpossibleDateSo) {
  auto feb = Date::parse("1975-02-30", "--date-of-birth");
  ASSERT_FALSE(feb.isOk());
  EXPECT_EQ(feb.status().message(),
            "--date-of-birth: 1975-02-30 is an impossible date (February 1975 has 28 days)");
  auto month = Date::parse("1975-13-01", "d");
  ASSERT_FALSE(month.isOk());
  EXPECT_EQ(month.status().message(), "d: 1975-13-01 is an impossible date (there is no month 13)");
}

TEST(DateTest, RejectsOtherShapesNamingTheField) {
  for (const char* text : {"2026-3-2", "02/03/2026", "2026-03-02T00:00", "", "abcd-ef-gh",
                           "2026-13-01", "2026-00-10", "2026-04-31", "+026-03-02"}) {
    auto d = Date::parse(text, "--treatment-start");
    ASSERT_FALSE(d.isOk()) << text;
    EXPECT_EQ(d.status().message().rfind("--treatment-start: ", 0), 0u) << text;
  }
}

TEST(DateTest, Orders) {
  EXPECT_LT(Date(2025, 12, 31), Date(2026, 1, 1));
  EXPECT_EQ(Date(2026, 1, 1), Date(2026, 1, 1));
}

TEST(TimestampTest, FormatsUtcAndParsesBack) {
  Timestamp t = Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 11 / 23)) +
                std::chrono::hours(18) + std::chrono::minutes(4) + std::chrono::seconds(5);
  EXPECT_EQ(formatTimestamp(t), "2026-11-23T18:04:05Z");
  auto back = parseTimestamp("2026-11-23T18:04:05Z", "at");
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(*back, t);
  EXPECT_FALSE(parseTimestamp("2026-11-23 18:04:05", "at").isOk());
  EXPECT_FALSE(parseTimestamp("2026-11-23T25:04:05Z", "at").isOk());
}

}  // namespace
}  // namespace recourse::core

namespace recourse::core {
namespace {

// The real clock's today is the machine's calendar day, not the UTC one: with the zone set
// 14 hours ahead and 12 behind (POSIX TZ strings, no zone files needed), it follows each;
// at any instant one of the two is a different day from UTC's, so a UTC today would fail.
TEST(SystemClockTest, TodayIsTheLocalCalendarDay) {
  const char* before = std::getenv("TZ");
  const std::string saved = before != nullptr ? before : "";
  SystemClock clock;
  const Date utc(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(clock.now())));
  bool differed = false;
  for (const char* zone : {"XST-14", "YST+12"}) {
    setenv("TZ", zone, 1);
    tzset();
    const std::time_t t = std::chrono::system_clock::to_time_t(clock.now());
    std::tm local{};
    ASSERT_NE(localtime_r(&t, &local), nullptr);
    const Date expected(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                        static_cast<unsigned>(local.tm_mday));
    EXPECT_EQ(clock.today(), expected) << zone;
    differed |= !(clock.today() == utc);
  }
  EXPECT_TRUE(differed);
  if (before != nullptr) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

}  // namespace
}  // namespace recourse::core
