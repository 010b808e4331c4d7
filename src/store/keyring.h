// The vault's keys. The key-encryption key (KEK) is derived from the passphrase with
// Argon2id; the `vault` row holds its salt, its cost and a check value sealed under it.
// Each client has a random data key, stored wrapped by the KEK (clients.wrapped_key);
// unwrapped ones are cached, at most kMaxCachedKeys. Subkeys derived from the KEK serve one
// purpose each: import keys, the custody chain, the audit chain. Every key lives in
// sodium_malloc memory (SecretKey) and lock() wipes them all.
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/crypto.h"
#include "store/sqlite_db.h"

namespace recourse::store {

class Keyring {
 public:
  // Unwrapped client keys kept in memory at most: a batch of thousands of clients must not
  // pin thousands of locked pages.
  static constexpr size_t kMaxCachedKeys = 64;

  // How the vault's audit log is linked. Sealed into the vault's check value, so only the
  // passphrase can change it: someone who can write the database cannot make the store
  // accept (and re-link) a plain chain they recomputed.
  enum class AuditChain {
    kPlainSha256,  // a vault made before schema version 5, not re-linked yet
    kKeyed,        // BLAKE2b keyed with auditKey()
  };

  // What createVault() writes, prepared before any transaction (Argon2id takes a while).
  struct NewVault {
    KdfParams params;
    Bytes salt;
    Bytes check;
    SecretKey kek;
  };

  explicit Keyring(SqliteDb& db) : db_(db) {}
  ~Keyring() { lock(); }
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // Whether the database holds a vault. False also when the database cannot be read; the
  // next call that needs the vault reports why.
  bool hasVault();

  // Derives a new vault key from `passphrase`. InvalidArgument (field "passphrase") when it
  // is empty; ResourceExhausted when Argon2id lacks memory.
  static core::StatusOr<NewVault> prepareVault(std::string_view passphrase,
                                               const KdfParams& params);
  // Writes the vault row and keeps its key: the vault is then unlocked, its audit chain
  // keyed. Conflict when a vault exists (nothing changes then, not even the lock state).
  // REQUIRES: inside a transaction; when the caller's transaction fails after this
  // succeeded, the caller calls lock().
  core::Status createVault(NewVault vault, const std::string& created_at);

  // Derives the key from `passphrase` and checks it against the vault's check value. On
  // success keeps the key and returns how the audit chain is linked. Unauthenticated when
  // the passphrase does not open the vault, FailedPrecondition when there is no vault;
  // nothing changes then.
  core::StatusOr<AuditChain> unlock(std::string_view passphrase);
  // OK when `passphrase` opens the vault; Unauthenticated otherwise, FailedPrecondition
  // when there is no vault. Keeps nothing and changes nothing, locked or not.
  core::Status checkPassphrase(std::string_view passphrase);
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
  bool isUnlocked() const { return kek_.has_value(); }
  // OK when unlocked, else Unauthenticated.
  core::Status requireUnlocked() const;

  // The data key of the client the caller names: NotFound (field "client_id") when there is no
  // such client, Corruption when its wrapped key does not open with this vault. The pointer
  // is valid until the next call that may fill the cache (clientKey, storedClientKey,
  // cacheClientKey). REQUIRES: unlocked.
  core::StatusOr<const SecretKey*> clientKey(const std::string& client_id);
  // The same for a client id read from another stored row (a case's owner): a missing
  // client then means the database is damaged, so Corruption, never NotFound.
  core::StatusOr<const SecretKey*> storedClientKey(const std::string& client_id);
  // A new client's key wrapped for clients.wrapped_key. REQUIRES: unlocked.
  Bytes wrapClientKey(const std::string& client_id, const SecretKey& key) const;
  // Keeps a new client's key once its row is committed.
  void cacheClientKey(const std::string& client_id, SecretKey key);
  // Wipes a deleted client's key from memory.
  void forgetClientKey(const std::string& client_id);

  // Subkeys of the KEK, derived once per unlock. REQUIRES: unlocked.
  const SecretKey& importKey();   // keyed hashes in import_keys
  const SecretKey& custodyKey();  // links of the custody chain
  const SecretKey& auditKey();    // links of the audit chain
  const SecretKey& draftsKey();   // sealed drafts (drafts.h)

 private:
  struct Derived {
    SecretKey kek;
    AuditChain chain;
  };
  core::StatusOr<Derived> derive(std::string_view passphrase);
  const SecretKey& subkey(std::optional<SecretKey>& slot, std::string_view purpose);

  SqliteDb& db_;
  std::optional<SecretKey> kek_;
  AuditChain audit_chain_ = AuditChain::kKeyed;
  std::map<std::string, SecretKey> client_keys_;
  std::optional<SecretKey> import_key_;
  std::optional<SecretKey> custody_key_;
  std::optional<SecretKey> audit_key_;
  std::optional<SecretKey> drafts_key_;
};

}  // namespace recourse::store
