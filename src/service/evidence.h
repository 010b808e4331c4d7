// Evidence: files kept for a case, fingerprinted (SHA-256) before anything else reads
// them, checked for what they claim to be, sealed in the data directory, and every export
// and packet written down in a hash-chained custody log.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

// The largest evidence file accepted unless the person sets another limit.
constexpr long long kDefaultEvidenceLimitMb = 256;

// A limit given in MB as text ("512"). InvalidArgument about `field` unless it is a whole
// number from 1 to 1,048,576.
core::StatusOr<long long> parseEvidenceLimitMb(const std::string& text, const std::string& field);

// "12.3 MB", "512 bytes".
std::string describeSize(long long bytes);

struct AddEvidence {
  std::string case_id;
  std::string incident_id;  // "" when not tied to an incident
  std::string description;
  std::optional<core::Date> date;
  std::string source_path;  // the file to keep (it is not changed)
  long long max_bytes = kDefaultEvidenceLimitMb * 1024 * 1024;
  std::string added_by = "vault owner";
};

// Checks the file before reading a byte (exists, a regular file, not empty, within
// max_bytes, readable), takes its SHA-256 first, then checks it is what its name claims
// (a PDF that opens, a PNG/JPEG that decodes), and seals it. On failure nothing is kept:
// InvalidArgument about "file" saying what is wrong with it; NotFound about "case_id" or
// "incident_id" (an incident of another case is not found); the store's error as it is.
core::StatusOr<core::EvidenceItem> addEvidence(Services& s, const AddEvidence& in);

// A file that arrives as a stream (the browser's upload), never held whole: it is sealed as
// it comes, fingerprinted on the way (SHA-256 of exactly the bytes kept), and then checked
// as addEvidence checks a file, reading the sealed copy back. `source` fills up to `cap`
// bytes and says how many (0 at the end). On failure nothing is kept: InvalidArgument about
// "name" (no file name) or "file" (empty, or not what its name or first bytes claim);
// ResourceExhausted about "file" past max_bytes (the rest is not read); NotFound about
// "case_id" or "incident_id" (checked before a byte is read); the source's own error.
struct UploadEvidence {
  std::string case_id;
  std::string incident_id;
  std::string description;
  std::optional<core::Date> date;
  std::string original_name;  // as the person's computer called it (only its last part kept)
  long long max_bytes = kDefaultEvidenceLimitMb * 1024 * 1024;
  std::string added_by = "vault owner";
  std::function<core::StatusOr<size_t>(std::uint8_t* buf, size_t cap)> source;
};
core::StatusOr<core::EvidenceItem> uploadEvidence(Services& s, const UploadEvidence& in);

// A case's evidence in the order it was added. NotFound about "case_id".
core::StatusOr<std::vector<core::EvidenceItem>> listEvidence(Services& s,
                                                             const std::string& case_id);

// Writes the original bytes to out_path (which must not exist) and, only once the whole
// copy is checked against the recorded fingerprint and in place, logs the export. On
// failure no file is left: NotFound about "evidence_id"; InvalidArgument about "out_path";
// Corruption when the sealed file was altered; IOError.
core::StatusOr<core::EvidenceItem> exportEvidence(Services& s, const std::string& evidence_id,
                                                  const std::string& out_path);

// NotFound about "evidence_id".
core::StatusOr<core::EvidenceItem> getEvidence(Services& s, const std::string& evidence_id);
// A correction of what is said about an evidence item; each field given replaces the stored
// one ("" clears it): its description, the day it is from (YYYY-MM-DD, not in the future:
// field "date") and the incident it shows (one of its own case: NotFound about
// "incident_id"). The file itself never changes. NotFound about "evidence_id". Nothing
// changes on failure; logged "evidence.edit". On success the item as it is now.
struct EvidenceEdit {
  std::string evidence_id;
  std::optional<std::string> description;
  std::optional<std::string> date;
  std::optional<std::string> incident_id;
  // The version the change was made from (what the person saw): a record that has moved
  // on since is not changed (Conflict, reason "changed_meanwhile"). 0: not checked.
  long long version = 0;
};
core::StatusOr<core::EvidenceItem> editEvidence(Services& s, const EvidenceEdit& in);

// Removes an evidence item: its row, and then its sealed file. The custody log keeps a
// "remove" entry (id and hash, no name) and the audit log "evidence.remove"; it no longer
// goes into packets. On success the item as it was (for the message), and whether its
// sealed file could not be deleted (it stays sealed, its key gone with the row). NotFound
// about "evidence_id"; nothing changes on failure.
struct RemovedEvidence {
  core::EvidenceItem item;
  bool sealed_file_left = false;
};
core::StatusOr<RemovedEvidence> removeEvidence(Services& s, const std::string& evidence_id);

// Passes the original bytes of an item to `sink` (a download), only once they are known to
// be intact: the sealed file is checked whole first, then read again into `sink`, and the
// custody log records an "export" once all of it went. NotFound about "evidence_id";
// Corruption when the sealed file was altered (nothing reaches `sink` then); the sink's
// own error.
core::StatusOr<core::EvidenceItem> sendEvidence(
    Services& s, const std::string& evidence_id,
    const std::function<core::Status(const std::uint8_t*, size_t)>& sink);

// Each of a case's items checked against its fingerprint and the custody log: "" when
// intact, else what is wrong. NotFound about "case_id".
struct ItemCheck {
  core::EvidenceItem item;
  std::string problem;
};
core::StatusOr<std::vector<ItemCheck>> checkCaseEvidence(Services& s, const std::string& case_id);

struct EvidenceCheck {
  std::vector<std::string> problems;  // one line each; empty when all is intact
  size_t files = 0;                   // evidence files taken in
  size_t custody_entries = 0;
};
// Opens every sealed file, checks it against its fingerprint, and re-computes the custody
// chain.
core::StatusOr<EvidenceCheck> verifyEvidence(Services& s);

}  // namespace recourse::service
