// The lock that keeps a vault's database from being replaced under a process using it.
//
// Every process that opens a vault's database holds a shared lock on a file beside it
// (flock on "<database>.lock", with a gate "<database>.lock-gate" that lets an import
// go first) for as long as it has the database open. What replaces the
// database (an import) holds the lock exclusively: it waits briefly for others to finish,
// and otherwise fails naming what is running. While it holds the lock, a process opening the
// database waits for it, then opens the new one. So no write lands in a file that is about
// to be replaced.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"

namespace recourse::store {

class VaultLock {
 public:
  enum class Mode { kShared, kExclusive };

  // Takes the lock for the database at `db_path` (the lock file is created, mode 0600, when
  // missing), waiting up to the wait for `mode` (see setWaits). Conflict with the reason
  // "vault_busy" (param "program") when another process holds it all that time (for a
  // shared lock: the reason "vault_importing"): the message says which program it is when
  // that can be told; PermissionDenied when this process may not write beside the
  // database; IOError when the lock file cannot be opened otherwise.
  static core::StatusOr<std::unique_ptr<VaultLock>> take(const std::string& db_path, Mode mode);
  ~VaultLock();
  VaultLock(const VaultLock&) = delete;
  VaultLock& operator=(const VaultLock&) = delete;

  // Makes a shared lock exclusive, waiting as take() does; on failure (the same Conflict)
  // the lock is shared again.
  core::Status makeExclusive();
  Mode mode() const { return mode_; }

  // How long take() waits: for a shared lock (while an import runs) and for an exclusive
  // one (while others finish what they are doing). Tests shorten them.
  static void setWaits(std::chrono::milliseconds shared, std::chrono::milliseconds exclusive);

 private:
  VaultLock(int fd, std::string path, Mode mode) : fd_(fd), path_(std::move(path)), mode_(mode) {}
  int fd_;
  int gate_fd_ = -1;  // held shut while exclusive (see take())
  std::string path_;
  Mode mode_;
};

// The lock file of the database at `db_path`.
std::string vaultLockPath(const std::string& db_path);

}  // namespace recourse::store
