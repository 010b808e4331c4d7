// The injected source of "now". Code that computes deadlines or stamps records never asks
// the operating system for the time; it is handed a Clock. Tests use a fake one.
#pragma once

#include <chrono>
#include <ctime>

#include "core/date.h"

namespace recourse::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, UTC, second precision.
  virtual Timestamp now() const = 0;
  // Today's date where the person is. The default is the UTC day (fakes in tests); the
  // real clock gives the machine's own calendar day, so that at 00:30 in London in summer
  // (23:30 UTC) the day just begun is today, not a day still to come.
  virtual Date today() const {
    return Date(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now())));
  }
};

// The real clock. Only src/app constructs one.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  // The local calendar day (the TZ environment variable, else the machine's zone).
  Date today() const override {
    const std::time_t t = std::chrono::system_clock::to_time_t(now());
    std::tm local{};
    if (localtime_r(&t, &local) == nullptr) return Clock::today();
    return Date(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                static_cast<unsigned>(local.tm_mday));
  }
};

}  // namespace recourse::core
