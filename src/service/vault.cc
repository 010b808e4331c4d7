#include "service/vault.h"

#include <filesystem>

#include "service/transfer.h"
#include "store/crypto.h"
#include "store/data_dir.h"
#include "store/store.h"

namespace recourse::service {

namespace {

// Once a vault opens: what an evidence add cut off by a crash left behind goes, for good;
// and in an organization's database, evidence files an earlier version kept in this
// computer's folder move into the database, where every office computer reads them. Either
// is tried again at the next opening if it cannot be done now; meanwhile a file still in
// the folder is read from there.
void tidyEvidenceFolder(store::Store& st, const std::string& data_dir) {
  store::removeEvidenceLeftovers(evidenceDir(data_dir));
  (void)st.moveEvidenceIn(evidenceDir(data_dir));
}

}  // namespace

VaultSession::VaultSession(std::unique_ptr<store::Store> store,
                           std::shared_ptr<const Catalog> catalog, const core::Clock& clock,
                           std::string data_dir)
    : catalog_(std::move(catalog)),
      store_(std::move(store)),
      services_{*catalog_, *store_, clock, std::move(data_dir)} {}

VaultSession::~VaultSession() {
  if (store_) store_->lock();
}

std::unique_ptr<VaultSession> VaultSession::adopt(std::unique_ptr<store::Store> store,
                                                  std::shared_ptr<const Catalog> catalog,
                                                  const core::Clock& clock, std::string data_dir) {
  return std::unique_ptr<VaultSession>(
      new VaultSession(std::move(store), std::move(catalog), clock, std::move(data_dir)));
}

core::StatusOr<std::unique_ptr<VaultSession>> openVault(std::shared_ptr<const Catalog> catalog,
                                                        const core::Clock& clock,
                                                        const OpenVault& in) {
  RECOURSE_RETURN_IF_ERROR(finishInterruptedImport(in.data_dir));
  auto st = store::Store::openDataDir(in.data_dir, store::Store::OpenMode::kExisting, clock);
  auto none = [&] {
    return core::failedPrecondition("there is no vault in " + in.data_dir + " yet")
        .withField("data_dir");
  };
  if (!st.isOk()) {
    if (st.status().code() == core::StatusCode::kNotFound) return none();
    return st.status();
  }
  if (!(*st)->hasVault()) return none();
  RECOURSE_ASSIGN_OR_RETURN(std::string pass, in.passphrase());
  RECOURSE_RETURN_IF_ERROR((*st)->unlock(in.user, pass));
  (*st)->setVia(in.via);
  tidyEvidenceFolder(**st, in.data_dir);
  return VaultSession::adopt(std::move(st).value(), std::move(catalog), clock, in.data_dir);
}

core::Status checkKdfStrength(const std::string& strength) {
  return store::kdfParamsNamed(strength).status();
}

core::StatusOr<std::string> defaultDataDir(const std::map<std::string, std::string>& env) {
  return store::defaultDataDir(env);
}

core::Status useDatabase(const std::string& data_dir, const std::string& url,
                         const core::Clock& clock) {
  std::string target = url == "local" ? "" : url;
  if (!target.empty() && !store::isPostgresUrl(target)) {
    return core::invalidArgument(
               "give a PostgreSQL URL (postgresql://user@host:port/database) or local")
        .withField("database");
  }
  RECOURSE_ASSIGN_OR_RETURN(std::string current, store::organizationDatabase(data_dir));
  if (current == target) return core::Status::ok();
  if (!target.empty()) {
    // Reached, and its tables made, before the directory is pointed at it.
    RECOURSE_RETURN_IF_ERROR(store::Store::openPostgres(target, clock).status());
  }
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(data_dir));
  return store::setOrganizationDatabase(data_dir, target);
}

core::StatusOr<std::string> databaseOf(const std::string& data_dir) {
  RECOURSE_ASSIGN_OR_RETURN(std::string url, store::organizationDatabase(data_dir));
  return url.empty() ? std::string("this computer") : store::redactedUrl(url);
}

core::StatusOr<bool> vaultExists(const std::string& data_dir, const core::Clock& clock) {
  RECOURSE_ASSIGN_OR_RETURN(std::string organization, store::organizationDatabase(data_dir));
  const std::string path = store::databasePath(data_dir);
  std::error_code ec;
  if (organization.empty() && !std::filesystem::exists(path, ec)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return core::ioError("cannot check " + path + ": " + ec.message());
    }
    return false;
  }
  RECOURSE_ASSIGN_OR_RETURN(
      auto existing, store::Store::openDataDir(data_dir, store::Store::OpenMode::kExisting, clock));
  return existing->hasVault();
}

core::Status checkNewPassphrase(std::string_view passphrase, const char* field) {
  if (passphrase.size() < kMinPassphraseBytes) {
    return core::invalidArgument("use at least " + std::to_string(kMinPassphraseBytes) +
                                 " characters")
        .withField(field)
        .withReason("passphrase_too_short", {{"min", std::to_string(kMinPassphraseBytes)}});
  }
  return core::Status::ok();
}

core::StatusOr<std::string> createVault(const std::string& data_dir, std::string_view passphrase,
                                        const std::string& strength, const core::Clock& clock,
                                        const std::string& user) {
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(strength));
  RECOURSE_ASSIGN_OR_RETURN(bool exists, vaultExists(data_dir, clock));
  if (exists) {
    return core::conflict("a vault already exists in " + data_dir + "; nothing was changed");
  }
  RECOURSE_RETURN_IF_ERROR(checkNewPassphrase(passphrase));
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(data_dir));
  RECOURSE_ASSIGN_OR_RETURN(
      auto st, store::Store::openDataDir(data_dir, store::Store::OpenMode::kCreate, clock));
  st->setVia("cli");
  return st->createVault(user, passphrase, params);
}

std::optional<std::string> VaultSession::takeRecoveryCode() { return store_->takeRecoveryCode(); }

Vault::Vault(std::unique_ptr<store::Store> store, std::shared_ptr<const Catalog> catalog,
             const core::Clock& clock, std::string data_dir)
    : catalog_(std::move(catalog)),
      clock_(clock),
      data_dir_(std::move(data_dir)),
      store_(std::move(store)),
      services_(Services{*catalog_, *store_, clock_, data_dir_}) {}

Vault::~Vault() { store_->lock(); }

core::StatusOr<std::unique_ptr<Vault>> Vault::openDataDir(const std::string& data_dir,
                                                          std::shared_ptr<const Catalog> catalog,
                                                          const core::Clock& clock) {
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(data_dir));
  RECOURSE_RETURN_IF_ERROR(finishInterruptedImport(data_dir));
  RECOURSE_ASSIGN_OR_RETURN(
      auto st, store::Store::openDataDir(data_dir, store::Store::OpenMode::kCreate, clock));
  return std::unique_ptr<Vault>(new Vault(std::move(st), std::move(catalog), clock, data_dir));
}

core::StatusOr<std::unique_ptr<Vault>> Vault::inMemory(std::shared_ptr<const Catalog> catalog,
                                                       const core::Clock& clock) {
  RECOURSE_ASSIGN_OR_RETURN(auto st, store::Store::openInMemory(clock));
  return std::unique_ptr<Vault>(new Vault(std::move(st), std::move(catalog), clock, ""));
}

std::unique_ptr<Vault> Vault::adopt(std::unique_ptr<store::Store> store,
                                    std::shared_ptr<const Catalog> catalog,
                                    const core::Clock& clock, std::string data_dir) {
  return std::unique_ptr<Vault>(
      new Vault(std::move(store), std::move(catalog), clock, std::move(data_dir)));
}

Vault::State Vault::state() {
  if (store_->isUnlocked()) return State::kUnlocked;
  return store_->hasVault() ? State::kLocked : State::kNone;
}

core::Status Vault::create(std::string_view passphrase, const std::string& strength,
                           const std::string& user) {
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(strength));
  if (passphrase.empty())
    return core::invalidArgument("must not be empty")
        .withField("passphrase")
        .withReason("required");
  if (passphrase.size() < kMinPassphraseBytes) {
    return core::invalidArgument("use at least " + std::to_string(kMinPassphraseBytes) +
                                 " characters")
        .withField("passphrase")
        .withReason("passphrase_too_short", {{"min", std::to_string(kMinPassphraseBytes)}});
  }
  store_->setVia("browser");
  RECOURSE_ASSIGN_OR_RETURN(std::string code, store_->createVault(user, passphrase, params));
  recovery_code_ = std::move(code);
  return core::Status::ok();
}

std::optional<std::string> Vault::takeRecoveryCode() {
  return std::exchange(recovery_code_, std::nullopt);
}

core::Status Vault::unlock(std::string_view passphrase, const std::string& user) {
  if (passphrase.empty())
    return core::invalidArgument("must not be empty")
        .withField("passphrase")
        .withReason("required");
  RECOURSE_RETURN_IF_ERROR(store_->unlock(user, passphrase));
  store_->setVia("browser");
  if (auto code = store_->takeRecoveryCode()) recovery_code_ = std::move(code);
  tidyEvidenceFolder(*store_, data_dir_);
  return core::Status::ok();
}

core::StatusOr<std::string> Vault::recover(const std::string& user, std::string_view code,
                                           std::string_view fresh, const std::string& strength) {
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(strength));
  if (code.empty()) {
    return core::invalidArgument("must not be empty")
        .withField("recovery_code")
        .withReason("required");
  }
  if (fresh.size() < kMinPassphraseBytes) {
    return core::invalidArgument("use at least " + std::to_string(kMinPassphraseBytes) +
                                 " characters")
        .withField("new_passphrase")
        .withReason("passphrase_too_short", {{"min", std::to_string(kMinPassphraseBytes)}});
  }
  RECOURSE_RETURN_IF_ERROR(store_->unlockWithRecovery(user, code));
  store_->setVia("browser");
  auto fresh_code = store_->resetPassphrase(fresh, params);
  if (!fresh_code.isOk()) store_->lock();
  return fresh_code;
}

core::StatusOr<bool> Vault::needsUserName() {
  RECOURSE_ASSIGN_OR_RETURN(long long n, store_->accountCount());
  return n > 1;
}

void Vault::lock() { store_->lock(); }

core::StatusOr<Services*> Vault::services() {
  if (!store_->isUnlocked()) {
    return core::unauthenticated("the vault is locked; unlock it with the passphrase");
  }
  return &*services_;
}

}  // namespace recourse::service
