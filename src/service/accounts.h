// People's accounts and who may open whose records, for both front ends: making accounts,
// changing and recovering passphrases, giving and taking away access to a client's records,
// and a client's access history. The rules are the store's (store/accounts.h); this layer
// checks input, names fields and reports in plain words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

struct Account {
  std::string id;
  std::string name;
  std::string role;  // client, advocate, staff, admin
  std::string client_id;
  std::string fingerprint;  // eight groups of four hex digits, to compare aloud
  std::string created_at;
  std::string created_by;
  bool me = false;  // the account this vault is open as
};

// The account the vault is open as.
core::StatusOr<Account> currentAccount(Services& s);
// Every account, oldest first (Corruption when one was changed outside Recourse).
core::StatusOr<std::vector<Account>> listAccounts(Services& s);

struct NewAccountIn {
  std::string name;
  std::string role;
  std::string passphrase;
  std::string client_id;  // for a client's own account: the client they are
  std::string strength = "moderate";
};
struct NewAccountOut {
  Account account;
  // Empty: the account's recovery code is made at its holder's first sign-in and shown to
  // them alone, never to whoever made the account.
  std::string recovery_code;
  // For a client's own account: whether their records' key was sealed to it now (else
  // whoever keeps the records gives them access).
  bool client_key_sealed = false;
};
// Only an administrator may. InvalidArgument about "name", "role", "passphrase" (shorter
// than kMinPassphraseBytes), "client_id" or "kdf"; Conflict about "name" or "client_id";
// PermissionDenied (reason "admin_only"). Nothing is made on failure.
core::StatusOr<NewAccountOut> addAccount(Services& s, const NewAccountIn& in);

// The open account's passphrase: `current` must open it (Unauthenticated, counted against
// it); InvalidArgument about "passphrase" for a new one too short.
core::Status changePassphrase(Services& s, const std::string& current, const std::string& fresh,
                              const std::string& strength);

// For a forgotten passphrase: opens `user`'s account in `data_dir` with their recovery
// code, sets `fresh` and returns a new recovery code (the old one stops working).
// Unauthenticated (reason "wrong_recovery_code", counted), NotFound about "user",
// FailedPrecondition about "data_dir" when there is no vault.
core::StatusOr<std::string> recoverAccount(const std::string& data_dir, const std::string& user,
                                           const std::string& code, const std::string& fresh,
                                           const std::string& strength, const core::Clock& clock);

struct Access {
  Account account;
  std::string kind;  // creator, own, grant, rotation, upgrade
  std::string granted_by;
  std::string granted_at;
  std::string reason;
  std::string problem;  // why it does not count ("" when it does)
};
// Who may open a client's records. REQUIRES the open account to be one of them.
core::StatusOr<std::vector<Access>> accessTo(Services& s, const std::string& client_id);
// Gives `user` access to a client's records. `reason` is required of an administrator
// acting for the client. See store::Store::grantAccess for the errors.
core::StatusOr<Access> grantAccess(Services& s, const std::string& client_id,
                                   const std::string& user, const std::string& reason);
// Takes it away: the client's records get a new key that `user` does not have. What they
// already saw or copied cannot be taken back; the front ends say so.
core::Status revokeAccess(Services& s, const std::string& client_id, const std::string& user,
                          const std::string& reason);

// Whether administrators may act for clients (give and take away access, with a reason);
// changing it: administrators only (PermissionDenied, reason "admin_only"), logged.
core::StatusOr<bool> adminsMayGrant(Services& s);
core::Status setAdminsMayGrant(Services& s, bool allowed);

// One entry of a client's access history, with the account named.
struct HistoryEntry {
  long long seq = 0;
  core::Timestamp at{};
  std::string action;  // "read.incidents", "incident.add", "access.grant", ...
  std::string what;    // the kind of record, in plain words ("incidents", "a letter")
  std::string entity_id;
  std::string user;  // the account's name ("" before accounts)
  std::string role;
  std::string via;  // "cli", "browser" ("" before accounts)
};
// The client's history: every read and change of their records, oldest first, and whether
// the log's chain holds. The client's own account, an administrator, or an account with
// access may see it (PermissionDenied otherwise).
struct History {
  std::vector<HistoryEntry> entries;
  core::Status chain;
};
core::StatusOr<History> clientHistory(Services& s, const std::string& client_id);

}  // namespace recourse::service
