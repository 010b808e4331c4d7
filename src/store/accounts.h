// People's accounts and who may open whose records (schema version 12).
//
// Each person who uses a vault has an account: a name, a role (the client themself, an
// advocate, staff, an administrator) and a random 32-byte seed from which their key pairs
// come (X25519 to receive keys, Ed25519 to sign what they give; crypto.h). The seed is
// stored sealed under a key derived from their passphrase (Argon2id) and again under one
// derived from a recovery code shown once when the account is made.
//
// The vault secret (the key the audit, custody and import subkeys come from) is sealed to
// every account. Each account's public fields carry a certificate, a keyed hash under the
// vault's "usercert" subkey: someone who can write the database file but holds no account
// cannot add an account or swap a public key for their own.
//
// A client's data key is sealed to every account that may open it (a grant), each grant
// signed by the account that gave it. A grant counts only when its signature holds and its
// signer could give it (mayGive): the client's own account; the account that made the
// client's record, while the client has no account of their own (it gives itself the key
// when it makes the record, and may give it to the client's own account); or an
// administrator, with a reason, where the vault's policy lets administrators act for
// clients. So a grant written into the database by anyone else is found out.
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/crypto.h"
#include "store/database.h"

namespace recourse::store {

enum class Role { kClient, kAdvocate, kStaff, kAdmin };
std::string_view roleName(Role role);  // "client", "advocate", "staff", "admin"
// InvalidArgument about "role" for any other name.
core::StatusOr<Role> roleNamed(std::string_view name);

// An account's public part, as the users table holds it.
struct Account {
  std::string id;  // "us_…"
  std::string name;
  Role role = Role::kClient;
  std::string client_id;  // the client this account is, for role client ("" otherwise)
  PublicKeys keys;
  std::string certificate;
  std::string created_at;
  std::string created_by;  // the account that made it ("" for the first)
  long long failed_unlocks = 0;
  std::string unlock_after;  // a timestamp, or "" when unlocking need not wait
  std::string fingerprint() const { return fingerprintOf(keys); }
};

// An account about to be made, its secrets prepared before any transaction (Argon2id runs
// twice: once for the passphrase, once for the recovery code).
struct NewAccount {
  Account account;  // id, name, role, client_id and keys; the rest is set when stored
  SecretKey seed;
  KdfParams params;
  Bytes salt;
  Bytes sealed_seed;
  Bytes recovery_salt;
  Bytes recovery_seed;
  std::string recovery_code;  // shown once, never stored
};

// The shortest passphrase an account accepts.
inline constexpr size_t kMinAccountPassphrase = 8;

// InvalidArgument about "name" (empty, longer than 64 bytes, control characters, or
// leading or trailing spaces) or "passphrase" (shorter than kMinAccountPassphrase);
// ResourceExhausted when Argon2id lacks memory.
// `check_length` false only for the owner of a vault made before accounts, whose passphrase
// stays what it was.
// `with_recovery` false for an account someone else makes: its recovery code is made at
// its holder's first sign-in (Keyring::makeRecoveryIfMissing), so that only they ever see it.
core::StatusOr<NewAccount> prepareAccount(std::string_view name, Role role,
                                          std::string_view passphrase, const KdfParams& params,
                                          bool check_length = true, bool with_recovery = true);
// A new passphrase's salt and sealed seed for an existing account (same errors).
struct Resealed {
  KdfParams params;
  Bytes salt;
  Bytes sealed_seed;
};
core::StatusOr<Resealed> resealSeed(const std::string& account_id, const SecretKey& seed,
                                    std::string_view passphrase, const KdfParams& params);
// A new recovery code for an account, and its seed sealed under it.
struct NewRecovery {
  Bytes salt;
  Bytes sealed_seed;
  std::string code;
};
core::StatusOr<NewRecovery> newRecovery(const std::string& account_id, const SecretKey& seed);

// The certificate of `a`'s public fields under the vault's users subkey.
std::string certificateOf(const SecretKey& users_key, const Account& a);

// The users table.
class Accounts {
 public:
  Accounts(Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::StatusOr<std::optional<Account>> byName(std::string_view name);
  core::StatusOr<std::optional<Account>> byId(const std::string& id);
  // Every account, oldest first.
  core::StatusOr<std::vector<Account>> all();
  // The accounts that are `client_id` themself.
  core::StatusOr<std::vector<Account>> ofClient(const std::string& client_id);
  // Writes a new account: its seed sealed to it, the vault secret sealed to it, certified
  // under `users_key`. Conflict about "name" when the name is taken (names are compared
  // without regard to case). REQUIRES: inside a transaction.
  core::Status insert(const NewAccount& n, const SecretKey& vault_secret,
                      const SecretKey& users_key, const std::string& created_by);
  // Certifies the account's fields again (after its client was deleted).
  core::Status setClient(const Account& a, const std::string& client_id,
                         const SecretKey& users_key);
  // Replaces the sealed seed (a passphrase change) or the recovery seal.
  core::Status storeResealed(const std::string& id, const Resealed& r);
  core::Status storeRecovery(const std::string& id, const NewRecovery& r);
  // Whether the account has a recovery code yet (one made by someone else has none until
  // its holder first signs in).
  core::StatusOr<bool> hasRecovery(const std::string& id);

  // OK when `a` is certified under `users_key`; Corruption naming the account otherwise.
  core::Status checkCertificate(const Account& a, const SecretKey& users_key) const;

  // The seed, opened with the passphrase or the recovery code. Unauthenticated (reason
  // "wrong_passphrase" / "wrong_recovery_code") when it does not open.
  core::StatusOr<SecretKey> openSeed(const Account& a, std::string_view passphrase);
  core::StatusOr<SecretKey> openSeedWithRecovery(const Account& a, std::string_view code);
  // The vault secret sealed to the account. Corruption when it does not open.
  core::StatusOr<SecretKey> openVaultSecret(const Account& a, const SecretKey& seed);

  // Unlock attempts, slowed after failures and remembered across restarts: the first
  // kFreeAttempts failures cost nothing, then each makes the next attempt wait twice as
  // long as the one before (5 s, 10 s, 20 s, … at most 15 minutes). ResourceExhausted
  // (reason "unlock_wait", with "seconds") while the account must wait.
  static constexpr long long kFreeAttempts = 3;
  core::Status checkWait(const Account& a);
  // Counts a failed attempt (in its own transaction: it must stick even though what the
  // caller tried failed) and a successful one (which clears the count).
  core::Status noteFailure(const Account& a);
  core::Status noteSuccess(const Account& a);

 private:
  core::StatusOr<std::vector<Account>> read(const std::string& where,
                                            const std::vector<Value>& args);
  Database& db_;
  const core::Clock& clock_;
};

// A client's data key sealed to one account.
struct Grant {
  std::string client_id;
  std::string user_id;
  long long key_version = 0;
  Bytes sealed_key;
  // "creator" (the account that made the record, to itself), "own" (to the client's own
  // account), "grant" (given later), "rotation" (sealed again when someone's access was
  // taken away), "upgrade" (the owner of a vault made before accounts, to itself).
  std::string kind;
  std::string granted_by;
  Bytes reason;  // sealed under the client key of this version; empty when none
  std::string granted_at;
  Bytes signature;
};

// What the giver signs: every field, the sealed key and reason by their SHA-256, and the
// receiving account's public key.
std::string grantMessage(const Grant& g, const Account& receiver);

// The key_grants table, and the rules about who may give what.
class Grants {
 public:
  Grants(Database& db, Accounts& accounts) : db_(db), accounts_(accounts) {}

  core::StatusOr<std::optional<Grant>> of(const std::string& client_id, const std::string& user_id);
  core::StatusOr<std::vector<Grant>> forClient(const std::string& client_id);
  // The clients `user_id` holds a grant for.
  core::StatusOr<std::vector<std::string>> clientsOf(const std::string& user_id);

  // OK when `giver` may give (or take away) access to `client_id`'s records: their own
  // account; the account that made the record while the client has none; an administrator
  // with a reason where the vault's policy allows it. PermissionDenied (reason
  // "may_not_grant") otherwise.
  core::Status mayGive(const Account& giver, const std::string& client_id, bool has_reason);

  // A grant of `key` (version `version`) to `receiver`, signed by `giver` with `giver_seed`.
  Grant make(const std::string& client_id, long long version, const SecretKey& key,
             const Account& receiver, std::string kind, const Account& giver,
             const SecretKey& giver_seed, Bytes reason, const std::string& at) const;
  core::Status insert(const Grant& g);

  // OK when `g` counts: its receiver and giver are certified accounts, the giver signed it
  // and could give it. Corruption ("…was changed outside Recourse") otherwise.
  core::Status check(const Grant& g, const SecretKey& users_key);

  // Whether the vault's policy lets administrators act for clients.
  core::StatusOr<bool> adminsMayGrant();

 private:
  core::StatusOr<std::string> createdBy(const std::string& client_id);
  Database& db_;
  Accounts& accounts_;
};

}  // namespace recourse::store
