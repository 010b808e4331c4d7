// Records requests and what happens to them. The status of a request is never stored: it
// is derived from its events and today's date (see jurisdiction/request_tracking.h), so an
// overdue request is overdue the morning after its due date without anything being
// written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace recourse::core {

enum class RequestEventType {
  kSent,              // the request went out (the clock starts on `on`: when it arrived)
  kAcknowledged,      // they confirmed receiving it
  kExtensionNotice,   // written notice that they need more time
  kFeeQuoted,         // they asked for a fee before sending (the clock pauses)
  kFeePaid,           // the fee was paid (the clock runs again)
  kReceivedPartial,   // part of the records came
  kReceivedComplete,  // all of the records came
  kDenied,            // they refused (all or part)
  kFollowUpSent,      // a follow-up letter went out
  kEscalated,         // a complaint was filed with the enforcing body
  kWithdrawn,         // the person withdrew the request
  kClosed,            // the person closed it
};
const char* requestEventName(RequestEventType t);
std::optional<RequestEventType> parseRequestEvent(const std::string& name);
const std::vector<std::string>& requestEventNames();

struct RequestEvent {
  std::string id;
  std::string request_id;
  RequestEventType type = RequestEventType::kSent;
  Date on;              // the day it happened
  std::string via;      // for kSent/kFollowUpSent: mail, email, fax, portal, in_person
  std::string details;  // the person's notes (sealed at rest)
  // For kFollowUpSent: the days the letter gave them to reply (0: not recorded; counted
  // as jurisdiction::kDefaultFollowupReplyDays).
  int reply_within_days = 0;
  Timestamp recorded_at{};
};

const std::vector<std::string>& sendChannels();

enum class RequestStatus {
  kDraft,
  kAwaiting,
  kExtended,
  kOverdue,
  kPartiallyFulfilled,
  kFulfilled,
  kDenied,
  kEscalated,
  kWithdrawn,
  kClosed,
};
const char* requestStatusName(RequestStatus s);

}  // namespace recourse::core
