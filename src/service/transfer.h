// Moving a whole vault: an encrypted export file (the database and the sealed evidence),
// importing one into a data directory, and the vault's tamper-evident activity log.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  std::string user;  // whose account the passphrase is ("" for the vault's only one)
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

// An import cut off while it put a vault in place (by a crash or a power cut between its
// renames: its journal is still there) is finished, so the data directory holds the
// imported vault whole rather than a mix. Called before a vault here is opened. OK when
// there was none; Conflict when other programs have the vault open meanwhile; IOError.
core::Status finishInterruptedImport(const std::string& data_dir);

// Moving the whole vault between this computer's own file and an organization's PostgreSQL
// database (sealed fields move as they are: no key is needed or used, and the same accounts
// and passphrases open it afterwards). Evidence files move too: into the database with
// their records (as sealed as they were), and back out inside the vault file.
struct MigrateVault {
  std::string to;  // a PostgreSQL URL, or "local" for the data directory's own file
};
struct MigratedVault {
  std::string from;  // "this computer" or the database's URL without its password
  std::string to;
  std::string kept;           // the file the vault came from, kept until the person removes it
  std::string kept_evidence;  // its evidence folder, likewise (when there was one)
  std::map<std::string, long long> rows;  // per table
};
// REQUIRES: `s` is the data directory's vault, unlocked by an administrator
// (PermissionDenied, reason "admin_only", otherwise). Copies every record to `to`, checks
// every table's count there, then points the data directory at it. To PostgreSQL, the
// database must hold no vault yet (Conflict about "to"); the vault file is kept beside as
// recourse.db.moved-<date>, its evidence folder as recourse.db.moved-<date>.evidence
// (Corruption, nothing moved, when a file an item names is missing from the folder). To
// "local", the organization's whole store (its evidence files with it) is copied into a new
// file. InvalidArgument about "to"; FailedPrecondition about "to" when the vault is there
// already; IOError naming the server. Nothing changes on failure.
core::StatusOr<MigratedVault> migrateVault(Services& s, const MigrateVault& in);

// One client's records made into a vault of their own, written as an export file that
// opens on their own computer (recourse import, or a restore in the browser) with the
// passphrase they chose: what an office gives a person who leaves it, or who wants their
// own copy. Their client details, therapists, cases, incidents, evidence with its files and
// custody history, requests with their histories and complaints go, keeping their ids and
// times, sealed under a new key that only their account opens; nothing of the office's
// (other clients, accounts, drafts, batch import keys) does. Their records stay here too:
// removing them is a separate step (client delete). Both audit logs say so, and the
// custody log of each evidence item.
struct HandOverClient {
  std::string client_id;
  std::string out_path;               // must not exist
  std::string user;                   // their account in their vault ("owner" when empty)
  std::string passphrase;             // theirs: it opens the account and the file
  std::string strength = "moderate";  // key-derivation cost
};
struct HandedOver {
  long long bytes = 0;                    // the file's size
  std::map<std::string, long long> rows;  // per table
  long long evidence_files = 0;
};
// Their recovery code is made the first time they sign in, for them alone. Only the person's
// own account, whoever keeps their records, or an administrator where the office's policy
// lets them act for clients may do this, as for deleting them (Store::copyClientInto). The
// file is given its name only once the handover is logged. On failure no file is left and
// no handover is logged (the reads made on the way are, as every read is): InvalidArgument
// about "client_id", "out_path" (exists, or not given), "passphrase" (too short), "user" or
// "kdf"; NotFound / PermissionDenied about "client_id"; FailedPrecondition about
// "client_id" when an evidence file of theirs is missing here (reason "evidence_missing")
// or, in an organization's database, still in another office computer's folder (reason
// "evidence_elsewhere"); Conflict (their key changed meanwhile: try again); Corruption (the custody
// log does not verify); IOError.
core::StatusOr<HandedOver> handOverClient(Services& s, const HandOverClient& in);

namespace transfer_testing {
// Tests only: called after each step of an import's swap (1: the current evidence set
// aside, 2: the imported evidence in place), for a test to stop the process there.
inline void (*after_swap_step)(int step) = nullptr;
}  // namespace transfer_testing

// A backup file arriving in pieces (a restore from the browser), kept in the data directory
// (private, mode 0600) while the restore reads it, and removed when this is destroyed.
class IncomingBackup {
 public:
  // Fills buf with up to cap bytes; 0 at the end.
  using Source = std::function<core::StatusOr<size_t>(std::uint8_t* buf, size_t cap)>;
  // Reads `source` to its end into a new file in `data_dir`. ResourceExhausted about
  // "file" past max_bytes (the rest is not read); IOError; the source's own error. No file
  // is left behind on failure.
  static core::StatusOr<std::unique_ptr<IncomingBackup>> receive(const std::string& data_dir,
                                                                 const Source& source,
                                                                 long long max_bytes);
  ~IncomingBackup();
  IncomingBackup(const IncomingBackup&) = delete;
  IncomingBackup& operator=(const IncomingBackup&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit IncomingBackup(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// The audit log: every entry for an administrator; for anyone else, what they did and what
// was done to the records they may open. The chain is checked whole either way.
struct AuditReport {
  std::vector<core::AuditEvent> events;
  core::Status chain;  // OK when the hash chain verifies, else Corruption naming the entry
};
core::StatusOr<AuditReport> auditLog(Services& s);

}  // namespace recourse::service
