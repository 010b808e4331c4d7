// JSON <-> domain model, shared by the HTTP API and the CLI's --json output.
// Parsing is strict: unknown fields, wrong types and malformed JSON are InvalidArgument
// with a message that names the field.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/notice.h"
#include "core/status.h"
#include "service/accounts.h"
#include "service/caseload.h"
#include "service/incidents.h"
#include "service/other_routes.h"
#include "service/requests.h"

namespace recourse::server {

Poco::JSON::Object::Ptr clientToJson(const core::Client& c);
Poco::JSON::Object::Ptr providerToJson(const core::Provider& p);
Poco::JSON::Object::Ptr caseToJson(const core::Case& c);
Poco::JSON::Object::Ptr incidentToJson(const core::Incident& i);
Poco::JSON::Object::Ptr evidenceToJson(const core::EvidenceItem& e);
// A sentence for the person as data: {"key", "args": {name: value}, "text"}; the page says
// "notice.<key>" from its catalog with the args, or the English text when it has no such key.
Poco::JSON::Object::Ptr noticeToJson(const core::Notice& n);
Poco::JSON::Array::Ptr noticesToJson(const std::vector<core::Notice>& notices);
// A tracked records request: the request, where it stands (status, sent, due, days left,
// why there is no due date, the paused clock, the follow-up's reply window), the due date's
// explanation (each law's rule, citation, days counted and skipped, whether confirmed),
// its next steps (with the CLI command that makes each letter when with_commands), its
// events, and whose it is.
Poco::JSON::Object::Ptr trackedRequestToJson(const service::TrackedRequest& t, bool with_commands);

// Other places to turn for a case: {"case_id", "provider_name", "practice", "routes": [{"id",
// "kind", "name", "summary", "how", "url", "time_limit", "jurisdiction", "citation",
// "verified", "caution", "because_of": [labels]}], "held_back", "ending": [{"code",
// "section", "title", "plain", "verified", "own", "citable"}], "ending_citable"}.
Poco::JSON::Object::Ptr otherRoutesToJson(const service::OtherRoutes& r);

// Parses a JSON text that must be an object. On failure the message starts with "body".
core::StatusOr<Poco::JSON::Object::Ptr> parseObject(const std::string& text);

// Builds a Client from a request body: {"name", "email", "phone", "address", "notes"}.
core::StatusOr<core::Client> clientFromJson(const Poco::JSON::Object::Ptr& obj);
// Builds a Case from {"client_id", "title", "treatment_start", "treatment_end", "notes",
// "provider": {"name", "credentials", "license_type", "license_number", "jurisdiction",
// "practice", "address", "email", "phone"}}.
core::StatusOr<core::Case> caseFromJson(const Poco::JSON::Object::Ptr& obj);

// Reads an optional string member; InvalidArgument naming `prefix + key` when it is
// present but not a string.
core::Status readString(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                        const std::string& prefix, std::string* out);
// InvalidArgument naming the first member of obj that is not in `allowed`.
core::Status checkKnownFields(const Poco::JSON::Object::Ptr& obj,
                              const std::set<std::string>& allowed, const std::string& prefix);

// A member of a correction (PATCH) body: absent leaves *out as it is, a string replaces it,
// null or "" clears it (*out becomes ""); anything else is InvalidArgument naming
// prefix + key.
core::Status readCorrection(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                            const std::string& prefix, std::optional<std::string>* out);
// A day member (YYYY-MM-DD): absent, null or "" leaves *out as it is; anything but a day is
// InvalidArgument naming `key`.
core::Status readDate(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                      std::optional<core::Date>* out);
// Reads an optional boolean member; InvalidArgument naming `key` when it is present but not
// true or false.
core::Status readBool(const Poco::JSON::Object::Ptr& obj, const std::string& key, bool* out);
// "version": the version of a record a change was made from (a whole number from 1), or
// none (0). InvalidArgument about "version" otherwise.
core::Status readVersion(const Poco::JSON::Object::Ptr& obj, long long* out);
// Reads an optional array of strings; InvalidArgument naming `key` otherwise.
core::Status readStrings(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                         std::vector<std::string>* out);

// The members an incident is given by: {"summary", "date", "date_end", "date_text",
// "approximate", "recurring", "channel", "narrative", "impact", "witnesses", "harm_kinds"}.
core::StatusOr<service::NewIncident> newIncidentFromJson(const Poco::JSON::Object::Ptr& obj,
                                                         const std::string& case_id);
// A correction: the same members (each given replaces, "" or null clears; "summary" cannot
// be cleared), plus "precision" and "clear" (a list of fields to empty).
core::StatusOr<service::IncidentEdit> incidentEditFromJson(const Poco::JSON::Object::Ptr& obj,
                                                           const std::string& incident_id);

std::string toJsonText(const Poco::JSON::Object::Ptr& obj);

// An account as both front ends show it (`id`, `name`, `role`, `client_id`, `fingerprint`,
// `created_at`, `created_by`, `me`).
Poco::JSON::Object::Ptr accountToJson(const service::Account& a);
// One person of a caseload, and one complaint waiting on a board.
Poco::JSON::Object::Ptr caseloadClientToJson(const service::CaseloadClient& c);
Poco::JSON::Object::Ptr waitingComplaintToJson(const service::WaitingComplaint& w);

}  // namespace recourse::server
