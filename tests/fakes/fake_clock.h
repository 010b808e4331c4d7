// A Clock that tests set and advance by hand.
#pragma once

#include <atomic>
#include <chrono>

#include "core/clock.h"

namespace recourse::testing {

class FakeClock final : public core::Clock {
 public:
  explicit FakeClock(core::Timestamp start) : now_(start.time_since_epoch().count()) {}
  // 2026-03-02T09:00:00Z unless told otherwise.
  FakeClock()
      : FakeClock(core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)) +
                  std::chrono::hours(9)) {}

  core::Timestamp now() const override {
    return core::Timestamp(std::chrono::seconds(now_.load()));
  }
  void advance(std::chrono::seconds by) { now_ += by.count(); }

 private:
  std::atomic<long long> now_;
};

}  // namespace recourse::testing
