// Opening a vault: the encrypted store in a data directory, unlocked with its passphrase,
// and the Services every workflow is handed.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

// An unlocked vault. Locks (wiping every key from memory) when destroyed.
class VaultSession {
 public:
  ~VaultSession();
  VaultSession(const VaultSession&) = delete;
  VaultSession& operator=(const VaultSession&) = delete;

  Services& services() { return services_; }
  const std::string& dataDir() const { return services_.data_dir; }

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

}  // namespace recourse::service
