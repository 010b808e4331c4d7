// A licensing-board complaint after it is filed: how and when it reached the board, the
// board's reference, and what happened since (acknowledgement, an investigator's contact,
// requests for more information, an interview, the outcome, a review). Where it stands
// and what the person can do next are derived (jurisdiction/complaint_tracking.h), never
// stored. Every function checks an event against the complaint's story before anything
// is written; on failure nothing is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/complaint.h"
#include "core/entities.h"
#include "core/status.h"
#include "jurisdiction/complaint_tracking.h"
#include "service/services.h"

namespace recourse::service {

struct TrackedComplaint {
  std::string case_id;
  std::string complaint_id;  // "" when nothing about a complaint is stored yet
  std::string board_id;
  std::string board_name;  // "" when the board is not one Recourse knows
  std::string jurisdiction;
  std::optional<core::Date> filed_on;
  std::string filed_via;
  std::string board_reference;
  long long version = 0;                     // the complaint record's
  std::vector<core::ComplaintEvent> events;  // oldest first, with the person's notes
  jurisdiction::ComplaintState state;
};

// Where the case's complaint stands today. NotFound about "case_id". A case with no
// complaint, or one not yet filed, reads as status not_filed with no steps.
core::StatusOr<TrackedComplaint> trackComplaint(Services& s, const std::string& case_id);

// How and when the complaint reached the board. Each field given replaces the stored one
// ("" clears via or reference). When the person filed without Recourse's packet there is no
// complaint yet: one is made for the board Recourse finds for the therapist (its answers
// empty: the packet still asks for a review first). `on` cleared (clear_filed_on: it was
// not sent after all) only while no event is recorded.
// On failure nothing is stored: NotFound about "case_id"; InvalidArgument about "filed_on"
// (a day after today, or after an event already recorded), "filed_via" (one of
// core::complaintChannels()), "board_reference" (one line, at most 200 bytes);
// FailedPrecondition about "case_id" (reason "no_board") when no complaint exists and no
// board is known for the therapist, about "filed_on" when clearing it with events recorded;
// Conflict (reason "changed_meanwhile") when `version` is set and the complaint has moved on.
struct ComplaintFiling {
  std::string case_id;
  std::optional<core::Date> filed_on;
  bool clear_filed_on = false;
  std::optional<std::string> filed_via;
  std::optional<std::string> board_reference;
  long long version = 0;
};
core::StatusOr<TrackedComplaint> recordComplaintFiling(Services& s, const ComplaintFiling& in);

// Whether `complaint`'s filing day can become `filed_on` (nullopt: not sent after all) with
// the steps recorded after it: FailedPrecondition about "filed_on" to clear it while steps
// are recorded; InvalidArgument about "filed_on" (reason "after_event") for a day after one.
core::Status checkFilingDay(Services& s, const core::Complaint& complaint,
                            std::optional<core::Date> filed_on);

// An event as a front end received it: names as typed, checked here.
struct NewComplaintEvent {
  std::string case_id;
  std::string type;  // core::complaintEventNames()
  std::optional<core::Date> on;
  std::optional<core::Date> reply_by;  // info_requested only
  std::string outcome;                 // outcome only: core::complaintOutcomeNames()
  std::string details;                 // the person's own notes
};
// Records one event. Checked against the story: the complaint was filed (FailedPrecondition
// about "case_id", reason "complaint_not_filed"); a known type (field "type", listing them);
// a day given (field "on"), not after today and not before the filing (field "on"); an
// outcome named for an outcome and only there (field "outcome"); a reply date only on a
// request for information, not before it (field "reply_by"); a review asked only after an
// outcome, and its answer only after it was asked (field "type"). NotFound about "case_id".
// On success the complaint as it stands now. Logged "complaint.event".
core::StatusOr<TrackedComplaint> recordComplaintEvent(Services& s, const NewComplaintEvent& in);

// A correction of one event: each field given replaces the stored one (clear_reply_by
// removes the reply date; "" clears the notes). Its type stays. Checked as a new event is.
// NotFound about "event_id"; Conflict (reason "changed_meanwhile") when `version` is set and
// the event has moved on. Logged "complaint.event.edit".
struct ComplaintEventEdit {
  std::string event_id;
  std::optional<core::Date> on;
  std::optional<core::Date> reply_by;
  bool clear_reply_by = false;
  std::optional<std::string> outcome;
  std::optional<std::string> details;
  long long version = 0;
};
core::StatusOr<TrackedComplaint> editComplaintEvent(Services& s, const ComplaintEventEdit& in);

// One recorded event with the person's notes. NotFound about "event_id".
core::StatusOr<core::ComplaintEvent> showComplaintEvent(Services& s, const std::string& event_id);

// Removes one event; a review asked cannot go while its answer is recorded, nor an outcome
// while a review of it is (FailedPrecondition about "event_id", naming what to remove
// first). NotFound about "event_id". Logged "complaint.event.delete".
core::StatusOr<TrackedComplaint> deleteComplaintEvent(Services& s, const std::string& event_id);

}  // namespace recourse::service
