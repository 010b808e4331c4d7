// Moving a whole vault: an encrypted export file (the database and the sealed evidence),
// importing one into a data directory, and the vault's tamper-evident activity log.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/entities.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

struct ExportVault {
  std::string out_path;               // must not exist
  std::string passphrase;             // the file opens with it (the vault's own)
  std::string strength = "moderate";  // key-derivation cost for the file
};
// Writes the export; on success its size in bytes. On failure no file is left:
// InvalidArgument about "out_path" (exists) or "kdf"; IOError.
core::StatusOr<long long> exportVault(Services& s, const ExportVault& in);

struct ImportVault {
  std::string file;      // an export file
  std::string data_dir;  // where the vault goes
  bool replace = false;  // replace a vault already there (kept as a backup)
  // Asked only once the import can go ahead (no vault in the way).
  std::function<core::StatusOr<std::string>()> passphrase;
};
struct ImportedVault {
  std::string backup;  // the replaced vault's database, "" when none was replaced
};
// Puts the exported vault and its evidence in place; a vault already there is kept beside
// it as a backup (database and evidence), and a failure at any step leaves either the old
// vault or the new one, never a mix. On failure: InvalidArgument about "file" (no such
// file); Conflict when a vault exists and replace is false (nothing changed);
// Unauthenticated (wrong passphrase), Corruption (a damaged file), IOError.
core::StatusOr<ImportedVault> importVault(const ImportVault& in, const core::Clock& clock);

struct AuditReport {
  std::vector<core::AuditEvent> events;
  core::Status chain;  // OK when the hash chain verifies, else Corruption naming the entry
};
core::StatusOr<AuditReport> auditLog(Services& s);

}  // namespace recourse::service
