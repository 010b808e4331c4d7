// Calendar dates and timestamps, independent of any time zone database.
#pragma once

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

#include "core/status.h"

namespace recourse::core {

// A civil calendar date (proleptic Gregorian), e.g. 2026-03-02.
class Date {
 public:
  Date() = default;
  explicit Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}
  Date(int year, unsigned month, unsigned day)
      : ymd_(std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)) {}

  // Parses "YYYY-MM-DD" strictly (four-digit year, two-digit month and day, a real day).
  // On failure the message names `field`.
  static StatusOr<Date> parse(std::string_view text, std::string_view field);

  std::string toString() const;  // "YYYY-MM-DD"
  int year() const { return static_cast<int>(ymd_.year()); }
  unsigned month() const { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const { return static_cast<unsigned>(ymd_.day()); }
  std::chrono::sys_days days() const { return std::chrono::sys_days(ymd_); }
  bool valid() const { return ymd_.ok(); }

  friend auto operator<=>(const Date& a, const Date& b) { return a.days() <=> b.days(); }
  friend bool operator==(const Date& a, const Date& b) { return a.days() == b.days(); }

 private:
  std::chrono::year_month_day ymd_{std::chrono::year(1970), std::chrono::January,
                                   std::chrono::day(1)};
};

using Timestamp = std::chrono::sys_seconds;

// "2026-11-23T18:40:00Z" (UTC, second precision).
std::string formatTimestamp(Timestamp t);
// Parses the format written by formatTimestamp.
StatusOr<Timestamp> parseTimestamp(std::string_view text, std::string_view field);

}  // namespace recourse::core
