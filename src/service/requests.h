// Records requests, tracked from the first letter to the end: what happened is a list of
// events; status, due date and next steps are derived from them and the law (never stored).
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/request.h"
#include "core/status.h"
#include "jurisdiction/request_tracking.h"
#include "service/services.h"

namespace recourse::service {

// A request with its events and where it stands today.
struct TrackedRequest {
  core::RecordsRequest request;
  std::vector<core::RequestEvent> events;
  jurisdiction::RequestState state;
  // Whose it is, for lists that span clients (showRequest and listRequests fill them).
  std::string client_id{};
  std::string client_name{};
  std::string case_label{};  // service::caseLabel
};

struct NewRequest {
  std::string case_id;
  // Unset: the therapist's practice (else the therapist), their address and email.
  std::optional<std::string> custodian_name;
  std::optional<std::string> custodian_address;
  std::optional<std::string> custodian_email;
  std::string reference;
  std::string jurisdiction;         // whose law applies; "" for where the therapist is licensed
  Poco::JSON::Object::Ptr answers;  // the letter's answers (records-request form), or null
  // What it asks for: "access" (also when empty), "amendment" or "accounting".
  std::string kind{};
};

// On success the new request (a draft: nothing sent yet). On failure nothing is stored:
// NotFound about "case_id"; InvalidArgument naming the field ("custodian_name",
// "jurisdiction" — one Recourse knows, else with a suggestion —, "kind" — one of the three;
// a correction or a list only where the law of a known place gives it: reason "right_not_here"
// {kind, place} — ...); the store's error as it is.
core::StatusOr<TrackedRequest> addRequest(Services& s, const NewRequest& in);

// The event to record: request_id, type, on, via (required for kSent: mail, email, fax,
// portal, in_person) and details (the person's own words); id and recorded_at are the
// store's to fill.
using NewEvent = core::RequestEvent;

// Records one event after checking it against the request's story: not in the future
// (field "on"); nothing but withdrawing or closing before the request was sent (field
// "type"); nothing dated before it was received (field "on"); a known
// channel (field "via"); a follow-up's reply_within_days between 1 and 365 (0: the
// default, 14). On success the request as it stands now. NotFound about "request_id".
// Nothing is recorded on failure.
// A kSent event on a request already sent corrects the sent date: it replaces the day,
// channel and details of the recorded one (there stays one sent event), so the due date
// is counted from the corrected day; a day after any other recorded event is refused
// (field "on").
core::StatusOr<TrackedRequest> recordEvent(Services& s, const NewEvent& in);

// A correction of a request. Each field given (not nullopt) replaces the stored one; ""
// clears it. The custodian's name cannot be cleared (field "custodian_name"); a
// jurisdiction must be one the catalog knows (field "jurisdiction"); sent_on corrects the
// sent date as recordEvent does (field "sent_on", FailedPrecondition-free: InvalidArgument
// when the request was never sent). NotFound about "request_id". Nothing is changed on
// failure; on success the request as it stands now.
struct RequestEdit {
  std::string request_id;
  std::optional<std::string> custodian_name;
  std::optional<std::string> custodian_address;
  std::optional<std::string> custodian_email;
  std::optional<std::string> reference;
  std::optional<std::string> jurisdiction;
  std::optional<core::Date> sent_on;
  // The version the change was made from (what the person saw): a record that has moved
  // on since is not changed (Conflict, reason "changed_meanwhile"). 0: not checked.
  long long version = 0;
};
core::StatusOr<TrackedRequest> editRequest(Services& s, const RequestEdit& in);

// A correction of one recorded event. Each field given replaces the stored one ("" clears
// via or details). Checked as recordEvent checks a new one: the day not in the future
// (field "on"); the day it was received not after any other event, and any other event
// not before it (field "on"); a sent event keeps a channel (field "via"); a reply window
// only on a follow-up, 1 to 365 days (field "reply_within_days"). Its type stays (remove
// it and record the right one instead). NotFound about "event_id". Nothing changes on
// failure; on success the request as it stands now. Logged "request.event.edit".
struct EventEdit {
  std::string event_id;
  std::optional<core::Date> on;
  std::optional<std::string> via;
  std::optional<std::string> details;
  std::optional<int> reply_within_days;
  // The version the change was made from (what the person saw): a record that has moved
  // on since is not changed (Conflict, reason "changed_meanwhile"). 0: not checked.
  long long version = 0;
};
core::StatusOr<TrackedRequest> editEvent(Services& s, const EventEdit& in);

// One recorded event. NotFound about "event_id".
core::StatusOr<core::RequestEvent> showEvent(Services& s, const std::string& event_id);

// Removes one recorded event (logged "request.event.delete", ids only); the status and due
// date are worked out again without it. The day it was received can only go while nothing
// else but a withdrawal or closing is recorded after it: FailedPrecondition (field
// "event_id") names what to remove first. NotFound about "event_id". On success the
// request as it stands now.
core::StatusOr<TrackedRequest> deleteEvent(Services& s, const std::string& event_id);

// Deletes a request and its events (logged "request.delete", ids only). NotFound about
// "request_id".
core::Status deleteRequest(Services& s, const std::string& request_id);

// One law that gives a right, as the choice of what to ask for shows it.
struct RightLaw {
  std::string jurisdiction;  // its id
  std::string jurisdiction_name;
  std::string law_name;
  std::string summary;
  std::string citation;
  bool verified = false;
  std::string caution;  // what a person reads when it could not be confirmed
};

// A right a person can ask for about a case, and the laws that give it where the therapist
// practises, nearest first. No laws: Recourse knows none there that gives it.
struct RequestRight {
  core::RequestKind kind = core::RequestKind::kAccess;
  std::vector<RightLaw> laws;
};

// Something else the law says that a person asking for records should know: "electronic_copy"
// (their right to an electronic copy, or what the law says instead), "retaliation" (that
// the provider may not retaliate against them for asking or complaining), "third_party_copy"
// (sending a copy straight to someone they name) or "third_party_consent" (what their
// written consent to that must say).
struct RightNote {
  std::string topic;
  RightLaw law;  // its summary is what the law says
  // third_party_consent: the statements the consent must make (kConsentElements), "witness"
  // among them where the person's signature must be witnessed.
  std::vector<std::string> elements;
};

struct RequestRights {
  std::string jurisdiction;  // the case's, "" when the case names none Recourse knows
  std::string jurisdiction_name;
  std::vector<RequestRight> rights;  // access, amendment, accounting
  std::vector<RightNote> notes;      // nearest law first, by topic
};

// What a person can ask for about a case: each kind of request with the laws that give it.
// When the case names no place Recourse knows, every kind is listed without laws (and
// jurisdiction is ""). NotFound about "case_id".
core::StatusOr<RequestRights> requestRights(Services& s, const std::string& case_id);

// NotFound about "request_id".
core::StatusOr<TrackedRequest> showRequest(Services& s, const std::string& request_id);

// Every request of a case (all cases when case_id is ""), oldest first; only one client's
// when client_id is given. NotFound about "case_id" for an unknown case, about "client_id"
// for an unknown client.
// With `damaged`, what cannot be read (a client, a case, a request) is named there and the
// rest is listed, instead of failing the list.
core::StatusOr<std::vector<TrackedRequest>> listRequests(
    Services& s, const std::string& case_id, const std::string& client_id = "",
    std::vector<std::string>* damaged = nullptr);

}  // namespace recourse::service
