// Invariants of the domain model, checked before anything is stored. Every failure names
// the field as data (Status::field(): its JSON name, "name", "provider.license_number"), so
// the server can point at the form field and the CLI at the option that sets it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/request.h"
#include "core/status.h"

namespace recourse::core {

constexpr size_t kMaxShortText = 500;                 // names, numbers, titles
constexpr size_t kMaxLongText = size_t{1024} * 1024;  // narratives and notes (1 MiB)

// An email address, or empty: InvalidArgument about `field` (reason not_an_email) for text
// that cannot be one (no "@"). One check for the person's, a custodian's and a form's.
Status checkEmail(std::string_view field, const std::string& email);

// On success returns OK. On failure returns InvalidArgument naming the first bad field.
Status validateClient(const Client& client);
Status validateProvider(const Provider& provider, std::string_view prefix);
Status validateCase(const Case& c);
Status validateIncident(const Incident& incident);
// A records request: its case, the custodian's name (the one required field), contact
// details and reference of bounded length, a known jurisdiction code when one is given,
// the letter's answers as UTF-8 text.
Status validateRecordsRequest(const RecordsRequest& request);
// An event of a records request: its request, a known send channel in `via` when one is
// given, details of bounded length.
Status validateRequestEvent(const RequestEvent& event);
// An evidence item about to be added: its case, a file name, a description of bounded
// length and the SHA-256 taken of the file first (64 hexadecimal digits).
Status validateEvidenceItem(const EvidenceItem& item);
// A complaint: its case, the board and, when given, a jurisdiction code; the answers as
// UTF-8 text of bounded length.
Status validateComplaint(const Complaint& complaint);
// The checks an event passes whatever the complaint's story: it names its complaint; a
// known outcome on an outcome event and on no other (field "outcome"); a reply date only
// on a request for information, and not before it (field "reply_by"); notes within
// bounds (field "details"). The story (dates against the filing and each other) is the
// service's to check.
Status validateComplaintEvent(const ComplaintEvent& event);

// A jurisdiction code: lowercase ISO country, optionally "-" and a subdivision ("us",
// "us-ca", "ca-on", "gb").
bool isJurisdictionCode(std::string_view code);

// A yes/no answer as people type it, the same everywhere (forms, --set, spreadsheets):
// yes/no, y/n, true/false, in any case, with surrounding spaces. nullopt for anything else
// (including empty).
std::optional<bool> parseYesNo(std::string_view text);
// What parseYesNo accepts, for messages: "yes or no (also y/n, true/false)".
constexpr char kYesNoWords[] = "yes or no (also y/n, true/false)";

// Checks that text is valid UTF-8 without NUL bytes.
bool isValidUtf8(std::string_view text);

}  // namespace recourse::core
