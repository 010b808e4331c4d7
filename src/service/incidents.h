// Incidents: what happened, in the person's own words, with dates as precise as they know
// them. One way to describe an approximate date, one harm-kind check, and the timeline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

// The one description of when something happened, wherever it is shown (lists, the
// timeline, letters, the complaint): "2024-03-01", "around 2024-03-01", "2024-03-01 to
// 2024-05-30", "repeatedly from 2024-03-01"; the person's own words first when given
// ("spring 2024 (around 2024-03-01)", or "spring 2024" alone); else "date not given".
std::string describeWhen(const core::Incident& incident);

// The earliest day an incident can have happened: its date, else the earliest day its own
// words allow ("spring 2024" -> 2024-03-01, "June 2024" -> 2024-06-01, "2024" ->
// 2024-01-01, "late 2023" -> 2023-09-01); none when neither says.
std::optional<core::Date> earliestPossibleDay(const core::Incident& incident);
// Puts incidents in timeline order, the one order wherever incidents are listed (the list,
// the timeline, the complaint): by earliest possible day, those without any date last, ties
// in the order given.
void sortByWhen(std::vector<core::Incident>* incidents);

// The plain words for a channel code ("in_session" -> "In a session"), from the incident
// form (forms/incident-log.json); the code itself when the form does not name it.
std::string channelLabel(const forms::FormSet& forms, const std::string& code);

// What the dates given say about their precision: recurring when flagged, a range when
// both ends are known, approximate when flagged or only words are given, else exact (or
// unknown when nothing is given).
core::DatePrecision datePrecisionFor(const core::Incident& incident, bool approximate,
                                     bool recurring);

// OK when every kind is one of the harm taxonomy's (forms/harm-taxonomy.json). Else
// InvalidArgument about "harm_kinds" listing the known kinds; FailedPrecondition when the
// taxonomy could not be loaded.
core::Status checkHarmKinds(const Catalog& catalog, const std::vector<std::string>& kinds);
// The kinds as the taxonomy's ids, each given as its id ("boundary_violation"), its id in
// words ("boundary violation"), its label ("Ending therapy abruptly or without a referral")
// or one of its plain words ("abandoned"), in any case; duplicates dropped. Failures as
// checkHarmKinds, naming what was typed.
core::StatusOr<std::vector<std::string>> resolveHarmKinds(const Catalog& catalog,
                                                          const std::vector<std::string>& kinds);
// Every kind of harm as (id, label), in the taxonomy's order; empty without a taxonomy.
std::vector<std::pair<std::string, std::string>> harmKinds(const Catalog& catalog);
// The taxonomy's labels for the kinds ("Ending therapy without notice"), the id where a
// kind has none.
std::vector<std::string> harmLabels(const Catalog& catalog, const std::vector<std::string>& kinds);

// Empties one field ("date", "when", "channel", "narrative", "impact", "harm",
// "witnesses"), keeping the date precision true. InvalidArgument about "clear" otherwise.
core::Status clearIncidentField(core::Incident* incident, const std::string& field);

// A correction of an incident. Each field given (not nullopt) replaces the stored value and
// "" (an empty list for harm_kinds) clears it; `clear` names fields to empty first (as
// clearIncidentField). Dates: `date` "" clears the start and the end, `date_end` "" the
// end. The precision: `precision` (exact, approximate, range, recurring, unknown) sets it
// (unknown drops the dates, exact and approximate the end); otherwise, when any date field
// is given, it is worked out again as on add (datePrecisionFor), an incident that was
// recurring or approximate staying so unless `precision` says otherwise.
struct IncidentEdit {
  std::string incident_id;
  std::vector<std::string> clear;
  std::optional<std::string> summary;  // cannot be cleared
  std::optional<std::string> date;     // YYYY-MM-DD
  std::optional<std::string> date_end;
  std::optional<std::string> date_text;
  std::optional<std::string> channel;
  std::optional<std::string> narrative;
  std::optional<std::string> impact;
  std::optional<std::string> witnesses;
  std::optional<std::vector<std::string>> harm_kinds;
  std::optional<std::string> precision;
  bool approximate = false;  // the date is a best guess
  bool recurring = false;    // it happened more than once over the dates
  // The version the change was made from (what the person saw): a record that has moved
  // on since is not changed (Conflict, reason "changed_meanwhile"). 0: not checked.
  long long version = 0;
};
// On success the incident as stored. On failure nothing changes: NotFound about
// "incident_id"; InvalidArgument naming the field ("summary", "date", "date_end",
// "precision", "clear", "harm_kinds", ...).
core::StatusOr<core::Incident> editIncident(Services& s, const IncidentEdit& in);

// A new incident as a person gives it: days as typed (YYYY-MM-DD, "" when not given),
// harm kinds as ids or in words (resolveHarmKinds).
struct NewIncident {
  std::string case_id;
  std::string summary;
  std::string date;       // the day it happened, or started
  std::string date_end;   // the day it ended (needs `date`)
  std::string date_text;  // the date in the person's words ("spring 2024")
  bool approximate = false;
  bool recurring = false;
  std::string channel;
  std::string narrative;
  std::string impact;
  std::string witnesses;
  std::vector<std::string> harm_kinds;
};
// Reads the days, works out the date precision (datePrecisionFor) and adds the incident as
// addIncident does. InvalidArgument about "date" or "date_end" (an end needs a start), or
// as addIncident; nothing is saved then.
core::StatusOr<core::Incident> recordIncident(Services& s, const NewIncident& in);

// Checks (validation, harm kinds) and stores a new incident. On failure nothing is saved:
// InvalidArgument naming the field; NotFound about "case_id"; the store's error as it is.
core::StatusOr<core::Incident> addIncident(Services& s, const core::Incident& incident);
// NotFound about "incident_id" when there is no such incident.
core::StatusOr<core::Incident> getIncident(Services& s, const std::string& id);
// Checks and saves the changed incident (its id, case and creation time stay).
core::StatusOr<core::Incident> saveIncident(Services& s, const core::Incident& incident);
// Deletes an incident (logged "incident.delete"); evidence linked to it stays in the case,
// no longer linked. NotFound about "incident_id".
core::Status deleteIncident(Services& s, const std::string& id);
// A case's incidents in timeline order. NotFound about "case_id".
core::StatusOr<std::vector<core::Incident>> listIncidents(Services& s, const std::string& case_id);

struct Timeline {
  core::Case kase;
  std::vector<core::Incident> incidents;
};
// The case and its incidents in timeline order. NotFound about "case_id".
core::StatusOr<Timeline> timeline(Services& s, const std::string& case_id);

struct TimelinePdf {
  std::vector<std::uint8_t> pdf;
  int pages = 0;
  size_t incidents = 0;
  std::vector<std::string> warnings;  // characters written as [U+XXXX] (glyphNotes)
  std::vector<char32_t> unshown;      // those characters, each once
};
// The timeline as a PDF (forms/timeline.json). Nothing is written anywhere.
core::StatusOr<TimelinePdf> timelinePdf(Services& s, const std::string& case_id);

}  // namespace recourse::service
