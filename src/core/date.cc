#include "core/date.h"

#include <cstdio>

namespace recourse::core {
namespace {

bool parseDigits(std::string_view text, size_t pos, size_t len, int* out) {
  if (pos + len > text.size()) return false;
  int value = 0;  // callers read at most 4 digits: no overflow
  for (size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

StatusOr<Date> Date::parse(std::string_view text, std::string_view field) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parseDigits(text, 0, 4, &y) ||
      !parseDigits(text, 5, 2, &m) || !parseDigits(text, 8, 2, &d)) {
    return invalidArgument(std::string(field) + ": expected a date as YYYY-MM-DD, got \"" +
                           std::string(text.substr(0, 40)) + "\"");
  }
  Date date(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (!date.valid()) {
    static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
    std::string why;
    if (m < 1 || m > 12) {
      why = "there is no month " + std::to_string(m);
    } else {
      const auto last = std::chrono::year_month_day_last(
          std::chrono::year(y), std::chrono::month_day_last(std::chrono::month(m)));
      why = std::string(kMonths[m - 1]) + " " + std::to_string(y) + " has " +
            std::to_string(static_cast<unsigned>(last.day())) + " days";
    }
    return invalidArgument(std::string(field) + ": " + std::string(text) +
                           " is an impossible date (" + why + ")");
  }
  return date;
}

std::string Date::toString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

std::string formatTimestamp(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss<std::chrono::seconds> hms(t - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

StatusOr<Timestamp> parseTimestamp(std::string_view text, std::string_view field) {
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z' || !parseDigits(text, 11, 2, &hh) || !parseDigits(text, 14, 2, &mm) ||
      !parseDigits(text, 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60) {
    return invalidArgument(std::string(field) + ": expected a timestamp as YYYY-MM-DDThh:mm:ssZ");
  }
  auto date = Date::parse(text.substr(0, 10), field);
  if (!date.isOk()) return date.status();
  return Timestamp(date->days()) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
         std::chrono::seconds(ss);
}

}  // namespace recourse::core
