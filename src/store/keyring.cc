#include "store/keyring.h"

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr int kKdfVersion = 1;  // Argon2id13 + XChaCha20-Poly1305 key wrapping
constexpr std::string_view kCheckContext = "recourse/v1/vault/check";
// The check value's text also says how the audit chain is linked (see AuditChain).
constexpr std::string_view kCheckPlainChain = "recourse vault check v1";
constexpr std::string_view kCheckKeyedChain = "recourse vault check v2: audit chain keyed";

}  // namespace

bool Keyring::hasVault() {
  auto row = db_.firstRow("SELECT count(*) FROM vault");
  return row.isOk() && row->has_value() && (*row)->integer(0) > 0;
}

StatusOr<Keyring::NewVault> Keyring::prepareVault(std::string_view passphrase,
                                                  const KdfParams& params) {
  if (passphrase.empty()) return core::invalidArgument("must not be empty").withField("passphrase");
  Bytes salt = randomBytes(kSaltSize);
  RECOURSE_ASSIGN_OR_RETURN(SecretKey kek, deriveKey(passphrase, salt, params));
  Bytes check = seal(kek, kCheckKeyedChain, kCheckContext);
  return NewVault{params, std::move(salt), std::move(check), std::move(kek)};
}

Status Keyring::createVault(NewVault vault, const std::string& created_at) {
  if (hasVault()) return core::conflict("a vault already exists here; nothing was changed");
  RECOURSE_RETURN_IF_ERROR(
      db_.insert("vault", {{"id", 1LL},
                           {"kdf_version", static_cast<long long>(kKdfVersion)},
                           {"opslimit", static_cast<long long>(vault.params.opslimit)},
                           {"memlimit", static_cast<long long>(vault.params.memlimit)},
                           {"salt", vault.salt},
                           {"check_value", vault.check},
                           {"audit_chain", std::string("keyed")},
                           {"created_at", created_at}}));
  lock();
  kek_ = std::move(vault.kek);
  audit_chain_ = AuditChain::kKeyed;
  return Status::ok();
}

namespace {
constexpr char kWrongPassphrase[] = "that passphrase does not open this vault; nothing was changed";
}  // namespace

// The key `passphrase` derives for this vault and what its check value opens to.
StatusOr<Keyring::Derived> Keyring::derive(std::string_view passphrase) {
  auto row = db_.firstRow("SELECT kdf_version, opslimit, memlimit, salt, check_value FROM vault");
  if (!row.isOk()) return row.status().withContext("reading the vault");
  if (!row->has_value()) return core::failedPrecondition("there is no vault here yet");
  const Row& v = **row;
  if (v.integer(0) != kKdfVersion) {
    return core::failedPrecondition("the vault uses key-derivation version " +
                                    std::to_string(v.integer(0)) +
                                    ", which this version of Recourse does not know");
  }
  KdfParams params{static_cast<std::uint64_t>(v.integer(1)),
                   static_cast<std::uint64_t>(v.integer(2))};
  RECOURSE_ASSIGN_OR_RETURN(SecretKey kek, deriveKey(passphrase, v.blob(3), params));
  auto opened = open(kek, v.blob(4), kCheckContext);
  if (opened.isOk() && *opened == kCheckKeyedChain) {
    return Derived{std::move(kek), AuditChain::kKeyed};
  }
  if (opened.isOk() && *opened == kCheckPlainChain) {
    return Derived{std::move(kek), AuditChain::kPlainSha256};
  }
  return core::unauthenticated(kWrongPassphrase).withReason("wrong_passphrase");
}

StatusOr<Keyring::AuditChain> Keyring::unlock(std::string_view passphrase) {
  RECOURSE_ASSIGN_OR_RETURN(Derived d, derive(passphrase));
  lock();
  kek_ = std::move(d.kek);
  audit_chain_ = d.chain;
  return d.chain;
}

Status Keyring::checkPassphrase(std::string_view passphrase) { return derive(passphrase).status(); }

Status Keyring::recordAuditChainKeyed() {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  return db_.execute("UPDATE vault SET check_value = ?, audit_chain = 'keyed' WHERE id = 1",
                     {seal(*kek_, kCheckKeyedChain, kCheckContext)});
}

void Keyring::lock() {
  client_keys_.clear();  // SecretKey destructors wipe
  import_key_.reset();
  custody_key_.reset();
  audit_key_.reset();
  drafts_key_.reset();
  kek_.reset();
}

Status Keyring::requireUnlocked() const {
  if (!kek_) return core::unauthenticated("the vault is locked; unlock it with the passphrase");
  return Status::ok();
}

StatusOr<const SecretKey*> Keyring::clientKey(const std::string& client_id) {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  auto it = client_keys_.find(client_id);
  if (it != client_keys_.end()) return &it->second;
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow("SELECT wrapped_key FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  auto key = openKey(*kek_, row->blob(0), sealContext("clients", "wrapped_key", client_id));
  if (!key.isOk()) {
    return core::corruption(
        "record " + client_id +
        " is damaged: its key (clients) does not open with this vault's key: it "
        "was changed outside Recourse");
  }
  // Pointers from earlier calls are not used across a later call.
  if (client_keys_.size() >= kMaxCachedKeys) client_keys_.clear();
  auto [pos, inserted] = client_keys_.emplace(client_id, std::move(key).value());
  return &pos->second;
}

StatusOr<const SecretKey*> Keyring::storedClientKey(const std::string& client_id) {
  auto key = clientKey(client_id);
  if (key.status().code() == core::StatusCode::kNotFound) {
    return core::corruption("client " + client_id + " is named by a stored record but is missing");
  }
  return key;
}

Bytes Keyring::wrapClientKey(const std::string& client_id, const SecretKey& key) const {
  return sealKey(*kek_, key, sealContext("clients", "wrapped_key", client_id));
}

void Keyring::forgetClientKey(const std::string& client_id) {
  client_keys_.erase(client_id);  // the SecretKey destructor wipes it
}

void Keyring::cacheClientKey(const std::string& client_id, SecretKey key) {
  if (client_keys_.size() >= kMaxCachedKeys) client_keys_.clear();
  client_keys_.insert_or_assign(client_id, std::move(key));
}

const SecretKey& Keyring::subkey(std::optional<SecretKey>& slot, std::string_view purpose) {
  if (!slot) slot = deriveSubkey(*kek_, purpose);
  return *slot;
}

const SecretKey& Keyring::importKey() { return subkey(import_key_, "importky"); }
const SecretKey& Keyring::custodyKey() { return subkey(custody_key_, "custodyl"); }
const SecretKey& Keyring::auditKey() { return subkey(audit_key_, "auditlnk"); }
const SecretKey& Keyring::draftsKey() { return subkey(drafts_key_, "draftsky"); }

}  // namespace recourse::store
