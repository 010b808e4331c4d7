#include "service/vault.h"

#include "store/data_dir.h"
#include "store/store.h"

namespace recourse::service {

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
  const std::string path = store::databasePath(in.data_dir);
  auto st = store::Store::openFile(path, store::Store::OpenMode::kExisting, clock);
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
  RECOURSE_RETURN_IF_ERROR((*st)->unlock(pass));
  return VaultSession::adopt(std::move(st).value(), std::move(catalog), clock, in.data_dir);
}

}  // namespace recourse::service
