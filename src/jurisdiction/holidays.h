// Which days a jurisdiction's offices are closed: weekends and public holidays, with the
// observed-day shifts of its holiday rules.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "jurisdiction/model.h"

namespace recourse::jurisdiction {

// Easter Sunday (Gregorian) for `year`.
core::Date easterSunday(int year);

// 0 = Sunday ... 6 = Saturday.
unsigned weekdayOf(const core::Date& d);
const char* weekdayName(unsigned weekday);

struct HolidayDate {
  core::Date date;   // the day offices are closed
  std::string name;  // "Christmas Day" or "Christmas Day (observed)"
};

// The closed days produced by `rules` in `year`, sorted by date. Includes observed days that
// move into `year` from a neighbouring year (New Year's Day on a Saturday is observed on
// Friday 31 December of the year before).
std::vector<HolidayDate> holidaysInYear(const std::vector<HolidayRule>& rules, int year);

class HolidayCalendar {
 public:
  HolidayCalendar() = default;
  explicit HolidayCalendar(std::vector<HolidayRule> rules) : rules_(std::move(rules)) {}

  // The holiday's name when offices are closed for one on `d`.
  std::optional<std::string> holiday(const core::Date& d) const;
  static bool isWeekend(const core::Date& d) {
    unsigned w = weekdayOf(d);
    return w == 0 || w == 6;
  }

 private:
  std::vector<HolidayRule> rules_;
  mutable std::mutex mu_;
  mutable std::map<int, std::map<core::Date, std::string>> cache_;
};

}  // namespace recourse::jurisdiction
