// Where a records request stands today: its status, when the answer is due (with the
// extension and paused days its events allow), and what the person can do next.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/request.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/registry.h"

namespace recourse::jurisdiction {

struct NextStep {
  std::string form;   // the form that makes the letter: records-followup, denial-review, ...
  std::string label;  // plain words: "Send a follow-up letter"
  std::optional<core::Date> by;  // a time limit, when the law sets one
  std::string note;              // where the limit comes from, or what to know
  bool verified = true;          // false when the rule behind `by` is not confirmed
};

struct RequestState {
  core::RequestStatus status = core::RequestStatus::kDraft;
  std::optional<core::Date> sent_on;
  std::optional<core::Date> due;
  std::optional<CombinedDeadline> deadline;  // the full explanation of `due`
  std::string no_due_reason;                 // when there is no computable due date
  long days_left = 0;                        // negative when overdue
  std::vector<NextStep> next;
};

// REQUIRES: events are in the order they happened (RequestRepository::listRequestEvents).
RequestState deriveRequestState(const std::string& jurisdiction_id,
                                const std::vector<core::RequestEvent>& events,
                                const Registry& registry, const core::Date& today);

}  // namespace recourse::jurisdiction
