// Where a records request stands today: its status, when the answer is due (with the
// extension and paused days its events allow), and what the person can do next.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/notice.h"
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
  // The step by name, for front ends that say `label` and `note` in their own words: send,
  // review, missing_part, followup, followup_again, escalate, escalate_no_limit; `args`
  // are the facts both need (due, reply_by, body, citation).
  std::string key{};
  core::Notice::Args args{};
};

// The reply window of a follow-up recorded without one (the follow-up letter's default).
inline constexpr int kDefaultFollowupReplyDays = 14;

struct RequestState {
  core::RequestStatus status = core::RequestStatus::kDraft;
  std::optional<core::Date> sent_on;
  std::optional<core::Date> due;
  std::optional<CombinedDeadline> deadline;  // the full explanation of `due`
  // Why there is no computable due date (empty text when there is one). Keys:
  // no_due.fee_unpaid, no_due.no_jurisdiction, no_due.no_law {jurisdiction},
  // no_due.no_rule {detail: the law data's own words}.
  core::Notice no_due;
  // Days until `due` (negative when overdue). While the clock is stopped: the days that
  // were left on the day it stopped, which stay the same until it runs again.
  long days_left = 0;
  // A fee was quoted and is not yet paid: the clock stopped on `stopped_on` and there is
  // no due date until the payment is recorded (no_due says so).
  bool clock_stopped = false;
  std::optional<core::Date> stopped_on;
  // The newest follow-up letter recorded as sent and the last day of the reply it asked
  // for (its reply_within_days, else kDefaultFollowupReplyDays, in calendar days). Until
  // that day has passed (awaiting_followup_reply), no follow-up is suggested in `next` —
  // unless part of the records came on or after the follow-up's day (that was its reply).
  std::optional<core::Date> followup_sent_on;
  std::optional<core::Date> followup_reply_by;
  bool awaiting_followup_reply = false;
  std::vector<NextStep> next;
};

// REQUIRES: events are in the order they happened (RequestRepository::listRequestEvents).
// When several sent events were recorded (vaults from before a second send corrected the
// first), the one recorded last counts.
// `kind` says which right the request uses, so which time limit counts (access, a
// correction, a list of disclosures) and which steps follow a refusal: a review of a refused
// copy; a statement of disagreement with a refused correction; for all, a complaint.
// `license_type` (a vocabulary id, or empty) lets a time limit for that license count.
RequestState deriveRequestState(const std::string& jurisdiction_id,
                                const std::vector<core::RequestEvent>& events,
                                const Registry& registry, const core::Date& today,
                                core::RequestKind kind = core::RequestKind::kAccess,
                                const std::string& license_type = {});

// Everything of `events` that deriveRequestState reads, as a key: two histories with equal
// keys derive the same state (for the same jurisdiction, day, kind and license), so a view
// across thousands of requests works each one out once (requests sent the same day to the
// same place share it).
std::string requestHistoryKey(const std::vector<core::RequestEvent>& events);

}  // namespace recourse::jurisdiction
