// What happens to a licensing-board complaint after it is filed. As with records requests
// (core/request.h), what happened is a list of events the person records; where the
// complaint stands and what the person can do next are derived from them, the board's
// published rules and today's date (jurisdiction/complaint_tracking.h), never stored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace recourse::core {

enum class ComplaintEventType {
  kAcknowledged,         // the board confirmed it received the complaint
  kInvestigatorContact,  // an investigator or case worker got in touch
  kInfoRequested,        // the board asked for more information (reply_by: when it asked by)
  kInfoSent,             // the person sent what the board asked for
  kInterview,            // the person was interviewed
  kBoardUpdate,          // any other word from the board about where things stand
  kStatusInquirySent,    // the person asked the board where things stand
  kOutcome,              // the board decided (outcome says what)
  kReviewRequested,      // the person asked for the decision to be reviewed or appealed
  kReviewDecided,        // the answer to that request came
  kWithdrawn,            // the person withdrew the complaint
};
const char* complaintEventName(ComplaintEventType t);
std::optional<ComplaintEventType> parseComplaintEvent(const std::string& name);
const std::vector<std::string>& complaintEventNames();
// Whether the event is word from the board (it restarts the "no word for months" count).
bool isWordFromBoard(ComplaintEventType t);

// What the board decided. Formal charges are not the end: a hearing or a settlement, and
// another outcome, follow.
enum class ComplaintOutcome {
  kClosedNoAction,    // closed with no action
  kNonDisciplinary,   // closed with a letter of concern, advice or other non-disciplinary action
  kCharges,           // formal charges (an accusation, a statement of allegations)
  kDiscipline,        // discipline: reprimand, conditions, suspension, revocation, surrender
  kReferredElsewhere  // sent on to another body that can act on it
};
const char* complaintOutcomeName(ComplaintOutcome o);
std::optional<ComplaintOutcome> parseComplaintOutcome(const std::string& name);
const std::vector<std::string>& complaintOutcomeNames();
// Whether the outcome ends the board's handling (charges do not).
bool isFinalOutcome(ComplaintOutcome o);

// How a complaint reached the board.
const std::vector<std::string>& complaintChannels();  // online, mail, email, fax, in_person

struct ComplaintEvent {
  std::string id;
  std::string complaint_id;
  std::string case_id;  // the complaint's case (never changes)
  ComplaintEventType type = ComplaintEventType::kAcknowledged;
  Date on;                                  // the day it happened
  std::optional<Date> reply_by;             // kInfoRequested: the day the board asked a reply by
  std::optional<ComplaintOutcome> outcome;  // kOutcome only
  std::string details;                      // the person's own notes (sealed at rest)
  Timestamp recorded_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

}  // namespace recourse::core
