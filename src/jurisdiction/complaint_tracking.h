// Where a licensing-board complaint stands after it was filed, and what the person can do
// next: derived from the events they recorded (core/complaint.h), the board's published
// rules (Board::first_reply, outcome_review, published_timeline) and today's date. Nothing
// of it is stored, so "no word for six months" is true the morning it becomes true.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/complaint.h"
#include "core/date.h"
#include "core/entities.h"
#include "core/notice.h"
#include "jurisdiction/registry.h"

namespace recourse::jurisdiction {

enum class ComplaintStatus {
  kNotFiled,            // no filing day recorded
  kFiled,               // filed; no word from the board yet
  kAcknowledged,        // the board confirmed receiving it
  kUnderInvestigation,  // an investigator, an interview, information asked and sent
  kInfoRequested,       // the board asked for more information and no reply is recorded
  kCharged,             // formal charges: a hearing or a settlement follows
  kDecided,             // the board decided (ComplaintState::outcome says what)
  kReviewRequested,     // the person asked for the decision to be reviewed
  kReviewDecided,       // the review's answer came
  kWithdrawn,           // the person withdrew it
};
const char* complaintStatusName(ComplaintStatus s);

// A month count with no word from the board after which Recourse offers a short letter
// asking where things stand (and after the person's last such letter, counted again).
inline constexpr int kStatusInquiryMonths = 6;

// One thing the person can do or expect. `by` is a time limit when `deadline` is set (a
// reply the board asked for, the last day to ask for a review), else the day something is
// expected (the board's first reply) or from when a step makes sense (asking where things
// stand).
struct ComplaintStep {
  // first_reply, reply_info, reply_info_no_date, status_inquiry, outcome_review,
  // outcome_review_no_limit, no_review, review_unknown, charges
  std::string key;
  core::Notice what;  // the sentence, with its args for front ends
  std::optional<core::Date> by{};
  bool deadline = false;
  std::string citation{};  // where a date or a right comes from ("" when not from the law)
  bool verified = true;    // false when that source could not be confirmed
  std::string caution{};   // what to read when it could not
  std::string form{};      // the letter Recourse makes for it, or ""
};

// A fact about the board shown beside the status (its process, its published timeline,
// a review right), with where it comes from.
struct BoardFact {
  std::string key;  // process, published_timeline, outcome_review
  std::string text;
  std::string citation;
  bool verified = true;
  std::string caution;
};

struct ComplaintState {
  ComplaintStatus status = ComplaintStatus::kNotFiled;
  std::optional<core::Date> filed_on;
  // The last day the board was heard from (its filing day when never), and whether it has
  // been heard from at all since the filing (on the filing day itself too).
  std::optional<core::Date> last_word;
  bool heard = false;
  std::optional<core::ComplaintOutcome> outcome;  // the last outcome recorded
  std::optional<core::Date> outcome_on;
  // A request for information with no reply recorded after it: when it was asked, and by.
  std::optional<core::Date> info_requested_on;
  std::optional<core::Date> info_reply_by;
  std::vector<ComplaintStep> next;
  std::vector<BoardFact> board_facts;
};

// REQUIRES: events in the order they happened (by day, then as recorded), as the store
// lists them. `board` may be null (a complaint to a body Recourse has no data for: no
// board-specific steps, the general ones stay). `jurisdiction_id` is the board's, for
// business days.
ComplaintState deriveComplaintState(const core::Complaint& complaint,
                                    const std::vector<core::ComplaintEvent>& events,
                                    const Board* board, const std::string& jurisdiction_id,
                                    const Registry& registry, const core::Date& today);

}  // namespace recourse::jurisdiction
