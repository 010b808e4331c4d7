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

// What a request asks for: a copy of the records (access), a correction of them
// (amendment: HIPAA 45 CFR 164.526, UK GDPR Art. 16, PHIPA s. 55), a list of who they
// were disclosed to (accounting: HIPAA 45 CFR 164.528), or a health plan's records of what
// was billed in the person's name for this therapist's services (claims: the same right of
// access, which covers health plans, HIPAA 45 CFR 160.103 and 164.524). A claims request
// goes to the plan, never to the therapist.
enum class RequestKind { kAccess, kAmendment, kAccounting, kClaims };
const char* requestKindName(RequestKind k);  // "access", "amendment", "accounting", "claims"
std::optional<RequestKind> parseRequestKind(const std::string& name);
const std::vector<std::string>& requestKindNames();
// The deadline rule that times it (jurisdiction/deadline.h) and the form of its letter.
const char* requestKindRule(RequestKind k);
const char* requestKindForm(RequestKind k);

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
  kAmended,           // they made the correction asked for (or attached the addendum)
  kDisagreementSent,  // after a refused correction, the person sent a statement of disagreement
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
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
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
