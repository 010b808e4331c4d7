#include "store/keyring.h"

#include <array>

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr int kKdfBeforeAccounts = 1;  // Argon2id13 + XChaCha20-Poly1305 key wrapping
constexpr int kKdfAccounts = 2;        // the vault secret sealed to each account
constexpr std::string_view kCheckContext = "recourse/v1/vault/check";
// The check value's text also says how the audit chain is linked (see AuditChain).
constexpr std::string_view kCheckPlainChain = "recourse vault check v1";
constexpr std::string_view kCheckKeyedChain = "recourse vault check v2: audit chain keyed";

constexpr char kWrongPassphrase[] = "that passphrase does not open this vault; nothing was changed";

}  // namespace

Keyring::Keyring(Database& db, const core::Clock& clock)
    : db_(db), accounts_(db, clock), grants_(db, accounts_) {}

bool Keyring::hasVault() {
  auto row = db_.firstRow("SELECT count(*) FROM vault");
  return row.isOk() && row->has_value() && (*row)->integer(0) > 0;
}

StatusOr<Keyring::Kind> Keyring::kind() {
  RECOURSE_ASSIGN_OR_RETURN(auto row, db_.firstRow("SELECT kdf_version FROM vault"));
  if (!row) return Kind::kNone;
  const long long v = row->integer(0);
  if (v == kKdfBeforeAccounts) return Kind::kBeforeAccounts;
  if (v == kKdfAccounts) return Kind::kAccounts;
  return core::failedPrecondition("the vault uses key-derivation version " + std::to_string(v) +
                                  ", which this version of Recourse does not know");
}

StatusOr<Keyring::NewVault> Keyring::prepareVault(std::string_view name,
                                                  std::string_view passphrase,
                                                  const KdfParams& params, bool with_recovery) {
  if (passphrase.empty()) return core::invalidArgument("must not be empty").withField("passphrase");
  RECOURSE_ASSIGN_OR_RETURN(NewAccount first, prepareAccount(name, Role::kAdmin, passphrase, params,
                                                             /*check_length=*/true, with_recovery));
  SecretKey secret = SecretKey::random();
  Bytes check = seal(secret, kCheckKeyedChain, kCheckContext);
  return NewVault{std::move(first), std::move(secret), std::move(check)};
}

Status Keyring::createVault(NewVault vault, const std::string& created_at) {
  if (hasVault()) return core::conflict("a vault already exists here; nothing was changed");
  RECOURSE_RETURN_IF_ERROR(
      db_.insert("vault", {{"id", 1LL},
                           {"kdf_version", static_cast<long long>(kKdfAccounts)},
                           {"opslimit", static_cast<long long>(vault.first.params.opslimit)},
                           {"memlimit", static_cast<long long>(vault.first.params.memlimit)},
                           {"salt", randomBytes(kSaltSize)},
                           {"check_value", vault.check},
                           {"audit_chain", std::string("keyed")},
                           {"created_at", created_at}}));
  SecretKey users_key = deriveSubkey(vault.vault_secret, "usercert");
  RECOURSE_RETURN_IF_ERROR(accounts_.insert(vault.first, vault.vault_secret, users_key, ""));
  RECOURSE_ASSIGN_OR_RETURN(auto me, accounts_.byId(vault.first.account.id));
  if (!me) return core::internalError("the first account was not written");
  adopt(std::move(vault.vault_secret), AuditChain::kKeyed, std::move(*me),
        std::move(vault.first.seed));
  return Status::ok();
}

StatusOr<Account> Keyring::accountToUnlock(std::string_view name) {
  RECOURSE_ASSIGN_OR_RETURN(Kind k, kind());
  if (k == Kind::kNone) return core::failedPrecondition("there is no vault here yet");
  if (k == Kind::kBeforeAccounts) {
    return core::failedPrecondition(
        "this vault was made before accounts; it opens with its "
        "passphrase alone");
  }
  if (name.empty()) {
    RECOURSE_ASSIGN_OR_RETURN(auto all, accounts_.all());
    if (all.size() == 1) return all.front();
    return core::invalidArgument("this vault has " + std::to_string(all.size()) +
                                 " accounts; say whose to open")
        .withField("user")
        .withReason("user_needed");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto found, accounts_.byName(name));
  if (!found) {
    return core::notFound("there is no account named " + std::string(name))
        .withField("user")
        .withReason("no_such_user");
  }
  return std::move(*found);
}

StatusOr<Keyring::AuditChain> Keyring::finishUnlock(const Account& a, SecretKey seed) {
  // The row's public keys must be the seed's own: a key swapped in the file is found here.
  const PublicKeys mine = publicKeysOf(seed);
  if (mine.box != a.keys.box || mine.sign != a.keys.sign) {
    return core::corruption("account " + a.name +
                            "'s public keys are not its own: they were changed outside Recourse");
  }
  RECOURSE_ASSIGN_OR_RETURN(SecretKey secret, accounts_.openVaultSecret(a, seed));
  RECOURSE_ASSIGN_OR_RETURN(auto row, db_.firstRow("SELECT check_value FROM vault"));
  if (!row) return core::failedPrecondition("there is no vault here yet");
  auto opened = open(secret, row->blob(0), kCheckContext);
  AuditChain chain;
  if (opened.isOk() && *opened == kCheckKeyedChain) {
    chain = AuditChain::kKeyed;
  } else if (opened.isOk() && *opened == kCheckPlainChain) {
    chain = AuditChain::kPlainSha256;
  } else {
    return core::corruption("the vault's check value does not open with the key sealed to " +
                            a.name + ": it was changed outside Recourse");
  }
  RECOURSE_RETURN_IF_ERROR(accounts_.checkCertificate(a, deriveSubkey(secret, "usercert")));
  RECOURSE_RETURN_IF_ERROR(accounts_.noteSuccess(a));
  RECOURSE_ASSIGN_OR_RETURN(auto fresh, accounts_.byId(a.id));
  Account me = a;
  if (fresh) me = std::move(*fresh);
  adopt(std::move(secret), chain, std::move(me), std::move(seed));
  Status carried = loadCarriedKeys();
  if (!carried.isOk()) {
    lock();
    return carried;
  }
  return chain;
}

StatusOr<Keyring::AuditChain> Keyring::unlock(std::string_view name, std::string_view passphrase) {
  RECOURSE_ASSIGN_OR_RETURN(Account a, accountToUnlock(name));
  RECOURSE_RETURN_IF_ERROR(accounts_.checkWait(a));
  auto seed = accounts_.openSeed(a, passphrase);
  if (!seed.isOk()) {
    if (seed.status().code() == core::StatusCode::kUnauthenticated) {
      RECOURSE_RETURN_IF_ERROR(accounts_.noteFailure(a));
      // With one account there is no one else's to name.
      if (name.empty())
        return core::unauthenticated(kWrongPassphrase).withReason("wrong_passphrase");
    }
    return seed.status();
  }
  return finishUnlock(a, std::move(seed).value());
}

StatusOr<Keyring::AuditChain> Keyring::unlockWithRecovery(std::string_view name,
                                                          std::string_view code) {
  RECOURSE_ASSIGN_OR_RETURN(Account a, accountToUnlock(name));
  RECOURSE_RETURN_IF_ERROR(accounts_.checkWait(a));
  auto seed = accounts_.openSeedWithRecovery(a, code);
  if (!seed.isOk()) {
    if (seed.status().code() == core::StatusCode::kUnauthenticated) {
      RECOURSE_RETURN_IF_ERROR(accounts_.noteFailure(a));
    }
    return seed.status();
  }
  return finishUnlock(a, std::move(seed).value());
}

StatusOr<Keyring::BeforeAccounts> Keyring::openBeforeAccounts(std::string_view passphrase) {
  auto row = db_.firstRow("SELECT kdf_version, opslimit, memlimit, salt, check_value FROM vault");
  if (!row.isOk()) return row.status().withContext("reading the vault");
  if (!row->has_value()) return core::failedPrecondition("there is no vault here yet");
  const Row& v = **row;
  if (v.integer(0) != kKdfBeforeAccounts) {
    return core::failedPrecondition("this vault has accounts; it opens with one of them");
  }
  KdfParams params{static_cast<std::uint64_t>(v.integer(1)),
                   static_cast<std::uint64_t>(v.integer(2))};
  RECOURSE_ASSIGN_OR_RETURN(SecretKey kek, deriveKey(passphrase, v.blob(3), params));
  auto opened = open(kek, v.blob(4), kCheckContext);
  if (opened.isOk() && *opened == kCheckKeyedChain) {
    return BeforeAccounts{std::move(kek), AuditChain::kKeyed};
  }
  if (opened.isOk() && *opened == kCheckPlainChain) {
    return BeforeAccounts{std::move(kek), AuditChain::kPlainSha256};
  }
  return core::unauthenticated(kWrongPassphrase).withReason("wrong_passphrase");
}

namespace {
constexpr std::array<std::string_view, 3> kCarried = {"importky", "custodyl", "auditlnk"};
std::string carriedContext(std::string_view purpose) {
  return sealContext("vault", "carried_keys", purpose);
}
}  // namespace

Status Keyring::writeUpgradedVault(const SecretKey& kek, const SecretKey& vault_secret,
                                   AuditChain chain) {
  Bytes carried;
  for (std::string_view purpose : kCarried) {
    Bytes one = sealKey(vault_secret, deriveSubkey(kek, purpose), carriedContext(purpose));
    carried.insert(carried.end(), one.begin(), one.end());
  }
  const std::string_view check = chain == AuditChain::kKeyed ? kCheckKeyedChain : kCheckPlainChain;
  return db_.execute(
      "UPDATE vault SET kdf_version = ?, salt = ?, check_value = ?, carried_keys = ? WHERE id = 1",
      {static_cast<long long>(kKdfAccounts), randomBytes(kSaltSize),
       seal(vault_secret, check, kCheckContext), carried});
}

Status Keyring::loadCarriedKeys() {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row, db_.firstRow("SELECT carried_keys FROM vault"));
  if (!row || row->isNull(0)) return Status::ok();
  const Bytes all = row->blob(0);
  if (all.empty() || all.size() % kCarried.size() != 0) {
    return core::corruption(
        "the vault's carried keys are damaged: they were changed outside "
        "Recourse");
  }
  const size_t each = all.size() / kCarried.size();
  std::array<std::optional<SecretKey>*, 3> slots = {&import_key_, &custody_key_, &audit_key_};
  for (size_t i = 0; i < kCarried.size(); ++i) {
    const auto from = all.begin() + static_cast<std::ptrdiff_t>(i * each);
    auto key = openKey(*vault_secret_, Bytes(from, from + static_cast<std::ptrdiff_t>(each)),
                       carriedContext(kCarried[i]));
    if (!key.isOk()) {
      return core::corruption(
          "the vault's carried keys do not open: they were changed outside "
          "Recourse");
    }
    *slots[i] = std::move(key).value();
  }
  return Status::ok();
}

void Keyring::adopt(SecretKey vault_secret, AuditChain chain, Account me, SecretKey seed) {
  lock();
  vault_secret_ = std::move(vault_secret);
  audit_chain_ = chain;
  me_ = std::move(me);
  my_seed_ = std::move(seed);
}

Status Keyring::checkPassphrase(std::string_view passphrase) {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  RECOURSE_RETURN_IF_ERROR(accounts_.checkWait(*me_));
  auto seed = accounts_.openSeed(*me_, passphrase);
  if (!seed.isOk() && seed.status().code() == core::StatusCode::kUnauthenticated) {
    RECOURSE_RETURN_IF_ERROR(accounts_.noteFailure(*me_));
    return core::unauthenticated(kWrongPassphrase).withReason("wrong_passphrase");
  }
  return seed.status();
}

StatusOr<std::optional<std::string>> Keyring::makeRecoveryIfMissing() {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(bool has, accounts_.hasRecovery(me_->id));
  if (has) return std::optional<std::string>();
  RECOURSE_ASSIGN_OR_RETURN(NewRecovery r, newRecovery(me_->id, *my_seed_));
  RECOURSE_RETURN_IF_ERROR(accounts_.storeRecovery(me_->id, r));
  return std::optional<std::string>(std::move(r.code));
}

Status Keyring::refreshMe() {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto fresh, accounts_.byId(me_->id));
  if (!fresh) return core::corruption("the unlocked account " + me_->name + " is gone");
  me_ = std::move(*fresh);
  return Status::ok();
}

Status Keyring::recordAuditChainKeyed() {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  return db_.execute("UPDATE vault SET check_value = ?, audit_chain = 'keyed' WHERE id = 1",
                     {seal(*vault_secret_, kCheckKeyedChain, kCheckContext)});
}

void Keyring::lock() {
  forgetAll();
  handed_.clear();
  session_key_.reset();
  import_key_.reset();
  custody_key_.reset();
  audit_key_.reset();
  users_key_.reset();
  drafts_key_.reset();
  my_seed_.reset();
  me_.reset();
  vault_secret_.reset();
}

Status Keyring::requireUnlocked() const {
  if (!vault_secret_)
    return core::unauthenticated("the vault is locked; unlock it with the passphrase");
  return Status::ok();
}

StatusOr<const SecretKey*> Keyring::clientKey(const std::string& client_id) {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  const unsigned others = db_.changeCounts().others;
  if (others != seen_others_) {
    forgetAll();
    seen_others_ = others;
  }
  // A listing asks for the same client's key row after row.
  if (last_key_ != nullptr && client_id == last_client_) return last_key_;
  auto it = client_keys_.find(client_id);
  if (it != client_keys_.end()) {
    auto [handed, fresh] = handed_.try_emplace(client_id, it->second.version);
    if (!fresh) handed->second = it->second.version;
    return remember(client_id, &it->second.key);
  }
  if (auto sealed = sealed_keys_.find(client_id); sealed != sealed_keys_.end()) {
    auto key = openKey(*session_key_, sealed->second.sealed, client_id);
    if (key.isOk()) return cache(client_id, std::move(key).value(), sealed->second.version);
    sealed_keys_.erase(sealed);  // cannot happen: the session key sealed it; open the grant
  }
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow("SELECT key_version FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  const long long version = row->integer(0);
  RECOURSE_ASSIGN_OR_RETURN(auto grant, grants_.of(client_id, me_->id));
  if (!grant || grant->key_version != version) {
    return core::permissionDenied("you have no access to the records of client " + client_id +
                                  "; they (or whoever keeps their records) can give it")
        .withField("client_id")
        .withReason("no_access", {{"client_id", client_id}});
  }
  RECOURSE_RETURN_IF_ERROR(grants_.check(*grant, usersKey()));
  auto key = openSealedToMe(*my_seed_, grant->sealed_key);
  if (!key.isOk()) {
    return core::corruption("the key of client " + client_id + " sealed to " + me_->name +
                            " does not open: it was changed outside Recourse");
  }
  return keep(client_id, std::move(key).value(), version);
}

const SecretKey* Keyring::keep(const std::string& client_id, SecretKey key, long long version) {
  if (!session_key_) session_key_ = SecretKey::random();
  sealed_keys_.insert_or_assign(client_id,
                                SealedKey{sealKey(*session_key_, key, client_id), version});
  return cache(client_id, std::move(key), version);
}

const SecretKey* Keyring::cache(const std::string& client_id, SecretKey key, long long version) {
  // Pointers from earlier calls are not used across a later call.
  last_key_ = nullptr;
  if (client_keys_.size() >= kMaxCachedKeys) client_keys_.clear();
  auto [pos, inserted] =
      client_keys_.insert_or_assign(client_id, CachedKey{std::move(key), version});
  if (handed_.size() > 4 * kMaxCachedKeys) handed_.clear();
  handed_[client_id] = version;
  return remember(client_id, &pos->second.key);
}

const SecretKey* Keyring::remember(const std::string& client_id, const SecretKey* key) {
  last_client_ = client_id;
  last_key_ = key;
  return key;
}

void Keyring::forgetAll() {
  last_key_ = nullptr;
  client_keys_.clear();  // SecretKey destructors wipe
  sealed_keys_.clear();
}

StatusOr<const SecretKey*> Keyring::storedClientKeyAt(std::string_view client_id) {
  // As clientKey's own check, first: whether the cache still holds.
  if (last_key_ != nullptr && vault_secret_ && client_id == last_client_ &&
      db_.changeCounts().others == seen_others_) {
    return last_key_;
  }
  return storedClientKey(std::string(client_id));
}

StatusOr<const SecretKey*> Keyring::storedClientKey(const std::string& client_id) {
  auto key = clientKey(client_id);
  if (key.status().code() == core::StatusCode::kNotFound) {
    return core::corruption("client " + client_id + " is named by a stored record but is missing");
  }
  return key;
}

StatusOr<SecretKey> Keyring::wrappedClientKey(const SecretKey& kek, const std::string& client_id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow("SELECT wrapped_key FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  auto key = openKey(kek, row->blob(0), sealContext("clients", "wrapped_key", client_id));
  if (!key.isOk()) {
    return core::corruption(
        "record " + client_id +
        " is damaged: its key (clients) does not open with this vault's key: it "
        "was changed outside Recourse");
  }
  return key;
}

void Keyring::forgetClientKey(const std::string& client_id) {
  last_key_ = nullptr;
  client_keys_.erase(client_id);  // the SecretKey destructor wipes it
  sealed_keys_.erase(client_id);
  handed_.erase(client_id);
}

void Keyring::cacheClientKey(const std::string& client_id, SecretKey key, long long version) {
  keep(client_id, std::move(key), version);
}

void Keyring::madeInThisTransaction(const std::string& client_id) {
  const long long mark = db_.transactionMark();
  if (mark == 0) return;
  if (mark != made_mark_) {
    made_here_.clear();
    made_mark_ = mark;
  }
  made_here_.insert(client_id);
}

Status Keyring::checkKeyCurrent(const std::string& client_id) {
  auto it = handed_.find(client_id);
  if (it == handed_.end()) return Status::ok();
  const long long mark = db_.transactionMark();
  if (mark != 0 && mark == made_mark_ && made_here_.count(client_id) > 0) return Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow("SELECT key_version FROM clients WHERE id = ?", {client_id}));
  if (!row || row->integer(0) == it->second) return Status::ok();
  handed_.erase(it);
  last_key_ = nullptr;
  client_keys_.erase(client_id);
  sealed_keys_.erase(client_id);
  return core::conflict(
             "the keys of these records changed while this was being saved (someone's access "
             "was taken away); nothing was saved: please try again")
      .withReason("key_changed");
}

StatusOr<std::vector<std::string>> Keyring::myClients() {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  return grants_.clientsOf(me_->id);
}

const SecretKey& Keyring::subkey(std::optional<SecretKey>& slot, std::string_view purpose) {
  if (!slot) slot = deriveSubkey(*vault_secret_, purpose);
  return *slot;
}

const SecretKey& Keyring::importKey() { return subkey(import_key_, "importky"); }
const SecretKey& Keyring::custodyKey() { return subkey(custody_key_, "custodyl"); }
const SecretKey& Keyring::auditKey() { return subkey(audit_key_, "auditlnk"); }
const SecretKey& Keyring::usersKey() { return subkey(users_key_, "usercert"); }
const SecretKey& Keyring::draftsKey() {
  if (!drafts_key_) drafts_key_ = deriveSubkey(*my_seed_, "draftsky");
  return *drafts_key_;
}

}  // namespace recourse::store
