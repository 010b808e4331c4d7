// The injected source of "now". Code that computes deadlines or stamps records never asks
// the operating system for the time; it is handed a Clock. Tests use a fake one.
#pragma once

#include <chrono>

#include "core/date.h"

namespace recourse::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, UTC, second precision.
  virtual Timestamp now() const = 0;
  // Today's date in UTC.
  Date today() const {
    return Date(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now())));
  }
};

// The real clock. Only src/app constructs one.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

}  // namespace recourse::core
