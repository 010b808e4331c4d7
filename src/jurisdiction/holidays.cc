#include "jurisdiction/holidays.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace recourse::jurisdiction {
namespace {

using std::chrono::days;

core::Date plusDays(const core::Date& d, int n) {
  return core::Date(std::chrono::year_month_day(d.days() + days(n)));
}

core::Date lastDayOfMonth(int year, unsigned month) {
  std::chrono::year_month_day_last ymdl{std::chrono::year(year),
                                        std::chrono::month_day_last(std::chrono::month(month))};
  return core::Date(std::chrono::year_month_day(ymdl));
}

core::Date nthWeekday(int year, unsigned month, unsigned weekday, int n) {
  core::Date first(year, month, 1);
  int delta = (static_cast<int>(weekday) - static_cast<int>(weekdayOf(first)) + 7) % 7;
  return plusDays(first, delta + 7 * (n - 1));
}

// The rule's actual date in `year` (before any observed shift), if it has one that year.
std::optional<core::Date> actualDate(const HolidayRule& r, int year) {
  if ((r.since && year < *r.since) || (r.until && year > *r.until)) return std::nullopt;
  if (r.year_parity >= 0 && ((year % 2) + 2) % 2 != r.year_parity) return std::nullopt;
  switch (r.kind) {
    case HolidayKind::kFixed: {
      core::Date d(year, r.month, r.day);
      if (!d.valid()) return std::nullopt;  // 29 February in a common year
      return d;
    }
    case HolidayKind::kNthWeekday: {
      core::Date d = nthWeekday(year, r.month, r.weekday, r.n);
      if (d.month() != r.month) return std::nullopt;  // a fifth Monday that does not exist
      return d;
    }
    case HolidayKind::kNthWeekdayOffset: {
      core::Date d = nthWeekday(year, r.month, r.weekday, r.n);
      if (d.month() != r.month) return std::nullopt;
      return plusDays(d, r.offset_days);
    }
    case HolidayKind::kLastWeekday: {
      core::Date last = lastDayOfMonth(year, r.month);
      int back = (static_cast<int>(weekdayOf(last)) - static_cast<int>(r.weekday) + 7) % 7;
      return plusDays(last, -back);
    }
    case HolidayKind::kWeekdayBefore: {
      core::Date anchor(year, r.month, r.day);
      if (!anchor.valid()) return std::nullopt;
      core::Date before = plusDays(anchor, -1);
      int back = (static_cast<int>(weekdayOf(before)) - static_cast<int>(r.weekday) + 7) % 7;
      return plusDays(before, -back);
    }
    case HolidayKind::kEasterOffset:
      return plusDays(easterSunday(year), r.offset_days);
  }
  return std::nullopt;
}

}  // namespace

core::Date easterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = year % 19;
  int b = year / 100;
  int c = year % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return core::Date(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

unsigned weekdayOf(const core::Date& d) { return std::chrono::weekday(d.days()).c_encoding(); }

const char* weekdayName(unsigned weekday) {
  static const char* kNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};
  return kNames[weekday % 7];
}

std::vector<HolidayDate> holidaysInYear(const std::vector<HolidayRule>& rules, int year) {
  struct Raw {
    core::Date date;
    const HolidayRule* rule;
  };
  std::vector<Raw> raw;
  for (int y = year - 1; y <= year + 1; ++y) {
    for (const auto& r : rules) {
      if (auto d = actualDate(r, y)) raw.push_back({*d, &r});
    }
  }
  std::sort(raw.begin(), raw.end(), [](const Raw& a, const Raw& b) { return a.date < b.date; });

  std::vector<HolidayDate> out;
  std::set<core::Date> taken;
  // Holidays that fall on weekdays are closed days as they are.
  for (const auto& r : raw) {
    if (!HolidayCalendar::isWeekend(r.date)) {
      out.push_back({r.date, r.rule->name + (r.rule->verified ? "" : " (unverified)")});
      taken.insert(r.date);
    }
  }
  // Then the observed shifts, in date order, so substitutes never collide.
  for (const auto& r : raw) {
    if (!HolidayCalendar::isWeekend(r.date)) continue;
    unsigned w = weekdayOf(r.date);
    std::optional<core::Date> observed;
    switch (r.rule->observed) {
      case Observed::kNone:
        break;
      case Observed::kNearestWeekday:
        observed = plusDays(r.date, w == 6 ? -1 : 1);
        break;
      case Observed::kNextMonday:
        observed = plusDays(r.date, w == 6 ? 2 : 1);
        break;
      case Observed::kSundayToMonday:
        if (w == 0) observed = plusDays(r.date, 1);
        break;
      case Observed::kNextFreeWeekday: {
        core::Date d = plusDays(r.date, 1);
        while (HolidayCalendar::isWeekend(d) || taken.count(d)) d = plusDays(d, 1);
        observed = d;
        break;
      }
    }
    if (observed && !taken.count(*observed)) {
      out.push_back(
          {*observed, r.rule->name + " (observed)" + (r.rule->verified ? "" : " (unverified)")});
      taken.insert(*observed);
    }
  }
  std::vector<HolidayDate> in_year;
  for (auto& h : out) {
    if (h.date.year() == year) in_year.push_back(std::move(h));
  }
  std::sort(in_year.begin(), in_year.end(),
            [](const HolidayDate& a, const HolidayDate& b) { return a.date < b.date; });
  return in_year;
}

std::optional<std::string> HolidayCalendar::holiday(const core::Date& d) const {
  std::lock_guard lk(mu_);
  auto it = cache_.find(d.year());
  if (it == cache_.end()) {
    std::map<core::Date, std::string> days_map;
    for (auto& h : holidaysInYear(rules_, d.year())) days_map.emplace(h.date, std::move(h.name));
    it = cache_.emplace(d.year(), std::move(days_map)).first;
  }
  auto found = it->second.find(d);
  if (found == it->second.end()) return std::nullopt;
  return found->second;
}

}  // namespace recourse::jurisdiction
