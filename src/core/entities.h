// The Recourse domain model. Plain values: no I/O, no encryption, no JSON. Which fields are
// sealed at rest is the store's business (see store/schema.cc); here every field is plain
// text as the person typed it.
//
// Relations:  Client 1─* Provider, Client 1─* Case, Case *─1 Provider,
//             Case 1─* Incident, Case 1─* EvidenceItem (optionally tied to an Incident),
//             Case 1─* RecordsRequest, Case 1─* Complaint; AuditEvent refers to any of them
//             by type and id and never holds personal data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/complaint.h"
#include "core/date.h"
#include "core/request.h"

namespace recourse::core {

// A person using Recourse about their own therapy (or an advocate's client).
struct Client {
  std::string id;
  std::string name;  // required: what the person wants to be called in their documents
  std::string email;
  std::string phone;
  std::string address;
  std::string date_of_birth;  // YYYY-MM-DD as typed, or empty; offices use it to find a file
  std::string notes;
  Timestamp created_at{};
  Timestamp updated_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

// The therapist a case is about.
struct Provider {
  std::string id;
  std::string client_id;
  std::string name;          // required
  std::string credentials;   // e.g. "PhD", "LMFT"
  std::string license_type;  // e.g. "LMFT", "psychologist"
  std::string license_number;
  std::string jurisdiction;  // where the license was issued, e.g. "us-ca"
  std::string practice;      // practice or clinic name
  std::string address;
  std::string email;
  std::string phone;
};

// A client's matter about one provider.
struct Case {
  std::string id;
  std::string client_id;
  Provider provider;  // the provider this case is about (provider.id is the link)
  std::string title;
  std::optional<Date> treatment_start;
  std::optional<Date> treatment_end;
  std::string notes;
  Timestamp created_at{};
  Timestamp updated_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

// How precisely an incident's date is known. Approximate dates stay approximate.
enum class DatePrecision { kUnknown, kExact, kApproximate, kRange, kRecurring };
const char* datePrecisionName(DatePrecision p);
std::optional<DatePrecision> parseDatePrecision(std::string_view name);

struct Incident {
  std::string id;
  std::string case_id;
  std::string summary;  // the only required field: a short description
  DatePrecision date_precision = DatePrecision::kUnknown;
  std::optional<Date> date_start;  // sorting key; the start of a range
  std::optional<Date> date_end;    // end of a range or of a recurring pattern
  std::string date_text;           // the person's own words: "spring 2024"
  std::string channel;             // in_session, video, phone, text, email, ...
  std::string narrative;           // any length, never required
  std::string impact;
  std::vector<std::string> harm_kinds;
  std::string witnesses;
  Timestamp created_at{};
  Timestamp updated_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

struct EvidenceItem {
  std::string id;
  std::string case_id;
  std::string incident_id;  // empty when not tied to an incident
  std::string original_name;
  std::string media_type;
  long long size_bytes = 0;
  std::string sha256_hex;
  std::string description;
  std::optional<Date> date;  // when the evidence is from (a text's date), if known
  std::string added_by;
  Timestamp intake_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

// One entry of an evidence item's chain of custody: intake, each export, each packet.
struct CustodyEntry {
  long long seq = 0;
  Timestamp at{};
  std::string action;  // "intake", "export", "packet"
  std::string evidence_id;
  std::string sha256_hex;  // the evidence's hash as recorded at intake
  std::string prev_hash;
  std::string hash;
};

// A request for a copy of records. What happened to it is in its RequestEvents
// (core/request.h); its status is derived, never stored.
struct RecordsRequest {
  std::string id;
  std::string case_id;
  std::string custodian_name;  // who holds the records (required)
  std::string custodian_address;
  std::string custodian_email;
  std::string jurisdiction;  // whose law applies; defaults to the provider's
  std::string reference;     // their reference number, if any
  std::string answers_json;  // the letter's answers (records-request form), as JSON
  // What it asks for; core/request.h names the kinds.
  RequestKind kind = RequestKind::kAccess;
  Timestamp created_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

struct Complaint {
  std::string id;
  std::string case_id;
  std::string board_id;
  std::string jurisdiction;
  std::optional<Date> filed_on;
  std::string filed_via;        // how it reached the board: one of complaintChannels(), or ""
  std::string board_reference;  // the board's reference for it (sealed at rest), or ""
  std::string answers_json;     // the complaint form's answers as the person reviewed them
  Timestamp created_at{};
  Timestamp updated_at{};
  // 1 when made, one more on each change. A change given with the version it was made
  // from is refused if the record has moved on since (0: not checked).
  long long version = 0;
};

// One entry of the append-only, hash-chained audit log. Holds ids and actions only.
struct AuditEvent {
  long long seq = 0;
  Timestamp at{};
  std::string action;       // e.g. "client.add"
  std::string entity_type;  // e.g. "client"
  std::string entity_id;
  std::string user_id;    // the account that did it ("" before accounts)
  std::string via;        // "cli", "browser" ("" when not known)
  std::string client_id;  // whose records ("" for the vault itself, or before accounts)
  std::string prev_hash;  // hex SHA-256 of the previous entry ("" for the first)
  std::string hash;       // hex SHA-256 over this entry and prev_hash
};

// Incident channels the app knows; anything else is refused with the list.
const std::vector<std::string>& knownChannels();

}  // namespace recourse::core
