// The vault's keys. A vault made since schema version 12 has a random vault secret, sealed
// to every account (accounts.h); the account that unlocks it opens its own seed with its
// passphrase, the vault secret with its seed, and each client's data key from the grant
// sealed to it, which is checked first (Grants::check). A vault made before has no
// accounts: its key-encryption key (KEK) comes from the one passphrase with Argon2id and
// wraps every client key (clients.wrapped_key); the first unlock upgrades it: a new,
// random vault secret, the subkeys the KEK gave carried over sealed under it (so the audit
// and custody chains and the import keys stay as they were; loadCarriedKeys), and its owner
// the first account (Store::unlock). The KEK itself is given to no account.
//
// Subkeys of the vault secret serve one purpose each: import keys, the custody chain, the
// audit chain, account certificates. Drafts are sealed under a subkey of the account's own
// seed. Unwrapped client keys are cached, at most kMaxCachedKeys. A key opened from its
// grant (public-key crypto and a signature check, some 0.1 ms each) is also kept sealed
// under a random key made at unlock (the session key), so the next time it leaves the
// small cache it is opened again with one secretbox, not the grant: listing hundreds of
// clients stays quick. Every key lives in sodium_malloc memory (SecretKey) and lock()
// wipes them all; with the session key gone the sealed copies are noise.
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/accounts.h"
#include "store/crypto.h"
#include "store/database.h"

namespace recourse::store {

class Keyring {
 public:
  // Unwrapped client keys kept in memory at most: enough for an advocate's whole caseload
  // (a view across 500 clients reads every one of their keys several times; a smaller cache
  // would open them again and again), while a batch of tens of thousands of clients does not
  // pin tens of thousands of locked pages (each key is one sodium_malloc page, some 4 KiB
  // locked: 4 MiB at most).
  static constexpr size_t kMaxCachedKeys = 1024;

  // How the vault's audit log is linked. Sealed into the vault's check value, so only the
  // vault secret can change it: someone who can write the database cannot make the store
  // accept (and re-link) a plain chain they recomputed.
  enum class AuditChain {
    kPlainSha256,  // a vault made before schema version 5, not re-linked yet
    kKeyed,        // BLAKE2b keyed with auditKey()
  };

  // What the vault row says about how it opens.
  enum class Kind {
    kNone,            // no vault yet
    kBeforeAccounts,  // one passphrase, made before schema version 12
    kAccounts,
  };

  // What createVault() writes, prepared before any transaction (Argon2id takes a while).
  struct NewVault {
    NewAccount first;
    SecretKey vault_secret;
    Bytes check;
  };

  Keyring(Database& db, const core::Clock& clock);
  ~Keyring() { lock(); }
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // Whether the database holds a vault. False also when the database cannot be read; the
  // next call that needs the vault reports why.
  bool hasVault();
  core::StatusOr<Kind> kind();

  // A new vault whose first account (an administrator) is `name` with `passphrase`.
  // InvalidArgument about "name" or "passphrase"; ResourceExhausted when Argon2id lacks
  // memory.
  // `with_recovery` false for a vault made for someone else (a client's own copy of their
  // records): its recovery code is made at their first sign-in, for them alone.
  static core::StatusOr<NewVault> prepareVault(std::string_view name, std::string_view passphrase,
                                               const KdfParams& params, bool with_recovery = true);
  // Writes the vault row and the first account and unlocks as it: the audit chain keyed.
  // Conflict when a vault exists (nothing changes then, not even the lock state).
  // REQUIRES: inside a transaction; when the caller's transaction fails after this
  // succeeded, the caller calls lock().
  core::Status createVault(NewVault vault, const std::string& created_at);

  // Unlocks as the account `name` ("" for the only one) with its passphrase and returns how
  // the audit chain is linked. NotFound about "user" (no such account), InvalidArgument
  // about "user" (no name, and several accounts), ResourceExhausted (reason "unlock_wait")
  // while the account must wait after wrong passphrases, Unauthenticated when the
  // passphrase does not open it (the failure is counted), FailedPrecondition when there is
  // no vault or it was made before accounts (openBeforeAccounts), Corruption when the
  // account does not match its certificate. Nothing else changes on failure.
  core::StatusOr<AuditChain> unlock(std::string_view name, std::string_view passphrase);
  // The same with the account's recovery code: unlocked as that account on success.
  core::StatusOr<AuditChain> unlockWithRecovery(std::string_view name, std::string_view code);

  // For a vault made before accounts: its KEK and audit chain, when `passphrase` opens it.
  // Unauthenticated otherwise. Changes nothing.
  struct BeforeAccounts {
    SecretKey kek;
    AuditChain chain;
  };
  core::StatusOr<BeforeAccounts> openBeforeAccounts(std::string_view passphrase);
  // Unlocks as `me` with what the upgrade made (Store::unlock).
  void adopt(SecretKey vault_secret, AuditChain chain, Account me, SecretKey seed);
  // The upgrade's last step on the vault row: the new, random vault secret's check value,
  // the subkeys the old passphrase key gave (import, custody, audit) sealed under it, and a
  // new salt, so that the old passphrase derives nothing from this file any more.
  // REQUIRES: inside the upgrade's transaction.
  core::Status writeUpgradedVault(const SecretKey& kek, const SecretKey& vault_secret,
                                  AuditChain chain);
  // Loads the subkeys a vault made before accounts carried over (none for other vaults).
  // REQUIRES: unlocked.
  core::Status loadCarriedKeys();

  // OK when `passphrase` opens the unlocked account; Unauthenticated otherwise.
  // REQUIRES: unlocked.
  core::Status checkPassphrase(std::string_view passphrase);
  // For an account someone else made: its recovery code, made now (the first sign-in of its
  // holder) and returned to be shown once; nullopt when it has one already.
  // REQUIRES: unlocked.
  core::StatusOr<std::optional<std::string>> makeRecoveryIfMissing();
  // Records that the audit chain is keyed: in the sealed check value (what unlock()
  // trusts) and in vault.audit_chain (for people reading the database). Takes effect in
  // memory only through setAuditChain(), once the caller's transaction has committed.
  // REQUIRES: unlocked; inside the transaction that re-linked the chain.
  core::Status recordAuditChainKeyed();
  // How the unlocked vault's audit chain is linked. REQUIRES: unlocked.
  AuditChain auditChain() const { return audit_chain_; }
  void setAuditChain(AuditChain chain) { audit_chain_ = chain; }

  // Wipes every key from memory.
  void lock();
  bool isUnlocked() const { return vault_secret_.has_value(); }
  // OK when unlocked, else Unauthenticated.
  core::Status requireUnlocked() const;

  // The unlocked account and its seed. REQUIRES: unlocked.
  const Account& me() const { return *me_; }
  const SecretKey& mySeed() const { return *my_seed_; }
  // Re-reads the unlocked account's row (after its passphrase or client changed).
  core::Status refreshMe();

  // The data key of the client the caller names, from the grant sealed to the unlocked
  // account: NotFound (field "client_id") when there is no such client; PermissionDenied
  // (reason "no_access") when the account holds no grant for it (or one for an older key,
  // taken away); Corruption when the grant does not check (Grants::check) or does not
  // open. The pointer is valid until the next call that may fill the cache (clientKey,
  // storedClientKey, cacheClientKey). REQUIRES: unlocked.
  core::StatusOr<const SecretKey*> clientKey(const std::string& client_id);
  // The same for a client id read from another stored row (a case's owner): a missing
  // client then means the database is damaged, so Corruption, never NotFound.
  core::StatusOr<const SecretKey*> storedClientKey(const std::string& client_id);
  // The same, for an id where a row holds it: the last client's key is handed out again
  // without making a string of the id (a listing asks row after row, client by client).
  core::StatusOr<const SecretKey*> storedClientKeyAt(std::string_view client_id);
  // The client key of a vault made before accounts, for the upgrade. REQUIRES: `kek` is
  // that vault's KEK.
  core::StatusOr<SecretKey> wrappedClientKey(const SecretKey& kek, const std::string& client_id);
  // Keeps a client's key (of key version `version`) once its row is committed.
  void cacheClientKey(const std::string& client_id, SecretKey key, long long version);
  // OK when the key clientKey() last handed out for the client (what a write sealed its
  // values with, before its transaction began) is still the client's current one. Conflict
  // (reason "key_changed") when another program gave the client a new key meanwhile
  // (someone's access was taken away): what was sealed with the old key must not be saved.
  // REQUIRES: inside the write transaction.
  core::Status checkKeyCurrent(const std::string& client_id);
  // Notes that `client_id` was made in the transaction under way: until it ends (or part
  // of it is undone), no other program can give that client a new key (its row is not
  // theirs to see), so checkKeyCurrent need not read its key version back.
  void madeInThisTransaction(const std::string& client_id);
  // Wipes a client's key from memory (deleted, or its key replaced).
  void forgetClientKey(const std::string& client_id);
  // The clients the unlocked account holds a grant for, in the order they were added.
  core::StatusOr<std::vector<std::string>> myClients();

  // Subkeys of the vault secret, derived once per unlock. REQUIRES: unlocked.
  const SecretKey& importKey();   // keyed hashes in import_keys
  const SecretKey& custodyKey();  // links of the custody chain
  const SecretKey& auditKey();    // links of the audit chain
  const SecretKey& usersKey();    // account certificates
  // A subkey of the unlocked account's seed: its sealed drafts (drafts.h).
  const SecretKey& draftsKey();
  // The vault secret itself, to seal to a new account. REQUIRES: unlocked.
  const SecretKey& vaultSecret() const { return *vault_secret_; }

  Accounts& accounts() { return accounts_; }
  Grants& grants() { return grants_; }

 private:
  core::StatusOr<Account> accountToUnlock(std::string_view name);
  core::StatusOr<AuditChain> finishUnlock(const Account& a, SecretKey seed);
  const SecretKey& subkey(std::optional<SecretKey>& slot, std::string_view purpose);
  // Keeps `key` in the small cache and a sealed copy in sealed_keys_; returns the cached one.
  const SecretKey* keep(const std::string& client_id, SecretKey key, long long version);
  // Keeps `key` in the small cache only (it has a sealed copy already).
  const SecretKey* cache(const std::string& client_id, SecretKey key, long long version);
  // Empties both caches (not handed_: checkKeyCurrent still needs it).
  void forgetAll();
  // Notes `key` (in client_keys_, handed out at its version) as the last one asked for.
  const SecretKey* remember(const std::string& client_id, const SecretKey* key);

  Database& db_;
  Accounts accounts_;
  Grants grants_;
  std::optional<SecretKey> vault_secret_;
  std::optional<Account> me_;
  std::optional<SecretKey> my_seed_;
  AuditChain audit_chain_ = AuditChain::kKeyed;
  struct CachedKey {
    SecretKey key;
    long long version = 0;
  };
  // Hashed: a view across a caseload asks for hundreds of clients' keys in turn.
  std::unordered_map<std::string, CachedKey> client_keys_;
  // The key clientKey handed out last, and whose (null when none may be handed out again
  // without looking: reset whenever client_keys_ or handed_ lose an entry).
  const SecretKey* last_key_ = nullptr;
  std::string last_client_;
  // Keys already opened from their grants this session, sealed under session_key_. Emptied
  // whenever client_keys_ is emptied for a reason other than its size.
  struct SealedKey {
    Bytes sealed;
    long long version = 0;
  };
  std::unordered_map<std::string, SealedKey> sealed_keys_;
  std::optional<SecretKey> session_key_;
  // Another program's commits since the cache was last checked: any of them may have
  // taken access away or given a client a new key, so the cache is emptied when it moves.
  unsigned seen_others_ = 0;
  // The version of the key last handed out for each client (checkKeyCurrent).
  std::unordered_map<std::string, long long> handed_;
  // madeInThisTransaction's clients, for the transaction whose mark is made_mark_.
  std::set<std::string> made_here_;
  long long made_mark_ = 0;
  std::optional<SecretKey> import_key_;
  std::optional<SecretKey> custody_key_;
  std::optional<SecretKey> audit_key_;
  std::optional<SecretKey> users_key_;
  std::optional<SecretKey> drafts_key_;
};

}  // namespace recourse::store
