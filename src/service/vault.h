// Opening a vault: the encrypted store in a data directory, unlocked with its passphrase,
// and the Services every workflow is handed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "service/services.h"
#include "service/transfer.h"

namespace recourse::service {

// An unlocked vault. Locks (wiping every key from memory) when destroyed.
class VaultSession {
 public:
  ~VaultSession();
  VaultSession(const VaultSession&) = delete;
  VaultSession& operator=(const VaultSession&) = delete;

  Services& services() { return services_; }
  const std::string& dataDir() const { return services_.data_dir; }
  // When this opening upgraded a vault made before accounts: the recovery code of the
  // account it made (store::Store::unlock), for the front end to show once.
  std::optional<std::string> takeRecoveryCode();

  // Takes over an already-open, unlocked store (tests and the server's in-memory store).
  static std::unique_ptr<VaultSession> adopt(std::unique_ptr<store::Store> store,
                                             std::shared_ptr<const Catalog> catalog,
                                             const core::Clock& clock, std::string data_dir);

 private:
  VaultSession(std::unique_ptr<store::Store> store, std::shared_ptr<const Catalog> catalog,
               const core::Clock& clock, std::string data_dir);
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<store::Store> store_;
  Services services_;
};

struct OpenVault {
  std::string data_dir;
  // Whose account opens it ("" for the only one).
  std::string user;
  // What the audit log says the accesses came through ("cli", "browser").
  std::string via = "cli";
  // Asked only once the vault is known to exist, so nobody is asked for a passphrase for
  // a vault that is not there.
  std::function<core::StatusOr<std::string>()> passphrase;
};

// On success the unlocked vault. On failure: FailedPrecondition about field "data_dir" when
// there is no vault in the directory yet (the front end says how to create one);
// Unauthenticated for a passphrase that does not open it (nothing changes); Corruption,
// FailedPrecondition (a newer Recourse wrote it), IOError or PermissionDenied from the store;
// the passphrase callback's own error as it is.
core::StatusOr<std::unique_ptr<VaultSession>> openVault(std::shared_ptr<const Catalog> catalog,
                                                        const core::Clock& clock,
                                                        const OpenVault& in);

// The default data directory: $XDG_DATA_HOME/recourse, else $HOME/.local/share/recourse.
// `env` is the process environment. InvalidArgument about "data_dir" when neither is set.
core::StatusOr<std::string> defaultDataDir(const std::map<std::string, std::string>& env);

// Points the data directory at an organization's PostgreSQL database (`url`,
// "postgresql://…"), once it has been reached and its tables are there (made the first
// time); "local" points it back at its own file. The directory is made if missing.
// InvalidArgument about "database" for anything else; IOError naming the server when it
// cannot be reached; nothing changes on failure.
core::Status useDatabase(const std::string& data_dir, const std::string& url,
                         const core::Clock& clock);
// Where the data directory keeps its records: "this computer" or the organization
// database's URL without its password.
core::StatusOr<std::string> databaseOf(const std::string& data_dir);

// The shortest passphrase a new vault accepts.
constexpr size_t kMinPassphraseBytes = 8;
// InvalidArgument about `field` (reason "passphrase_too_short") when `passphrase` is
// shorter than that.
core::Status checkNewPassphrase(std::string_view passphrase, const char* field = "passphrase");

// OK when `strength` names a key-derivation cost (interactive, moderate, sensitive);
// InvalidArgument about "kdf" otherwise.
core::Status checkKdfStrength(const std::string& strength);

// Whether `data_dir` holds a vault already (false when it has no database yet). The
// store's error (Corruption, a newer schema, ...) as it is. Changes nothing.
core::StatusOr<bool> vaultExists(const std::string& data_dir, const core::Clock& clock);

// Creates a vault in `data_dir` (the folder is created private if missing). On failure
// nothing is created: Conflict when a vault exists there; InvalidArgument about
// "passphrase" (shorter than kMinPassphraseBytes) or "kdf"; IOError/PermissionDenied about
// the folder.
// The vault's first account, an administrator, is `user` ("owner" when empty). Returns that
// account's recovery code, to be shown once.
core::StatusOr<std::string> createVault(const std::string& data_dir, std::string_view passphrase,
                                        const std::string& strength, const core::Clock& clock,
                                        const std::string& user = "");

// A vault as a long-running front end (the local web server) holds it: created, unlocked
// and locked again while the process runs, its workflows reachable only while unlocked.
// Thread safety: every method may be called from any thread; services() hands out the
// Services of the unlocked vault, valid until lock().
class Vault {
 public:
  enum class State { kNone, kLocked, kUnlocked };

  // The vault in `data_dir`; the folder and an empty database are created when missing
  // (State kNone until create()). The store's error as it is.
  static core::StatusOr<std::unique_ptr<Vault>> openDataDir(const std::string& data_dir,
                                                            std::shared_ptr<const Catalog> catalog,
                                                            const core::Clock& clock);
  // A private in-memory vault (tests).
  static core::StatusOr<std::unique_ptr<Vault>> inMemory(std::shared_ptr<const Catalog> catalog,
                                                         const core::Clock& clock);
  // Takes over an open store (tests that look at the store behind a front end).
  static std::unique_ptr<Vault> adopt(std::unique_ptr<store::Store> store,
                                      std::shared_ptr<const Catalog> catalog,
                                      const core::Clock& clock, std::string data_dir);
  ~Vault();
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;

  State state();
  // Creates the vault and leaves it unlocked. Conflict when one exists; InvalidArgument
  // about "passphrase" or "kdf".
  // Its first account, an administrator, is `user` ("owner" when empty); takeRecoveryCode()
  // then gives that account's recovery code, once.
  core::Status create(std::string_view passphrase, const std::string& strength,
                      const std::string& user = "");
  // Unlocks as `user` ("" for the only account). Unauthenticated for a passphrase that does
  // not open it; FailedPrecondition when there is no vault yet; see store::Store::unlock.
  core::Status unlock(std::string_view passphrase, const std::string& user = "");
  // The recovery code of the account the last create() made, or of the one an unlock
  // made when it upgraded a vault made before accounts; once.
  std::optional<std::string> takeRecoveryCode();
  // For a forgotten passphrase: unlocks as `user` ("" for the only account) with their
  // recovery code, sets `fresh`
  // and returns their new recovery code (the old one stops working). InvalidArgument about
  // "new_passphrase" (checked first: nothing is counted then), Unauthenticated (reason
  // "wrong_recovery_code", counted against the account), NotFound about "user". The vault
  // is left unlocked as `user` on success, locked otherwise.
  core::StatusOr<std::string> recover(const std::string& user, std::string_view code,
                                      std::string_view fresh, const std::string& strength);
  // Whether signing in needs an account's name: the vault has more than one account.
  core::StatusOr<bool> needsUserName();
  // Wipes every key from memory.
  void lock();
  // The workflows' Services. Unauthenticated when the vault is locked.
  core::StatusOr<Services*> services();
  // Where the vault lives ("" for one kept in memory).
  const std::string& dataDir() const { return data_dir_; }

  // Puts the vault in an export file (see importVault) in place of this one, which is kept
  // beside it as a backup, and opens it unlocked with `passphrase` (the one the file opens
  // with). REQUIRES: no other thread uses services() or what it handed out meanwhile (the
  // server holds its requests back). FailedPrecondition about "file" for a vault kept in
  // memory; Conflict about "data_dir" when a vault is here and `replace` is false, and
  // Unauthenticated about "passphrase" (it does not open the file, or the file was
  // altered), InvalidArgument about "file" (not a backup, or damaged): nothing changes then, and
  // this vault stays unlocked if it was. Once the file is read, the vault here is locked
  // and closed while the new one is put in place; afterwards this is whichever vault the
  // data directory holds, unlocked only on success.
  core::StatusOr<ImportedVault> importFile(const std::string& file, const std::string& passphrase,
                                           bool replace);

 private:
  Vault(std::unique_ptr<store::Store> store, std::shared_ptr<const Catalog> catalog,
        const core::Clock& clock, std::string data_dir);
  std::shared_ptr<const Catalog> catalog_;
  const core::Clock& clock_;
  std::string data_dir_;
  std::unique_ptr<store::Store> store_;
  std::optional<Services> services_;
  std::optional<std::string> recovery_code_;
};

}  // namespace recourse::service
