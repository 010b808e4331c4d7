// What the repositories (clients.h, cases.h, incidents.h, requests.h, complaints.h,
// evidence.h, import_keys.h) work with. The Store owns all of it and holds its mutex for
// every call into a repository, so none of them locks anything itself.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/audit_log.h"
#include "store/database.h"
#include "store/keyring.h"

namespace recourse::store {

struct StoreParts {
  Database& db;
  Keyring& keys;
  AuditTrail& audit;
  const core::Clock& clock;
  // Where a listing puts the records it could not read (one that does not unseal, or whose
  // row is damaged), instead of failing as a whole: the Store points it at the caller's
  // list for the one call that asked (damage-tolerant listings), and leaves it null
  // otherwise.
  std::vector<std::string>*& damaged;
};

// For a listing's row that could not be read: true when it is damage the caller asked to
// have named (`what`, "client cl_…") rather than fail the whole listing.
inline bool noteDamage(const StoreParts& p, const core::Status& st, std::string what) {
  if (p.damaged == nullptr || st.code() != core::StatusCode::kCorruption) return false;
  p.damaged->push_back(std::move(what));
  return true;
}

}  // namespace recourse::store
