// What the repositories (clients.h, cases.h, incidents.h, requests.h, complaints.h,
// evidence.h, import_keys.h) work with. The Store owns all of it and holds its mutex for
// every call into a repository, so none of them locks anything itself.
#pragma once

#include "core/clock.h"
#include "store/audit_log.h"
#include "store/keyring.h"
#include "store/sqlite_db.h"

namespace recourse::store {

struct StoreParts {
  SqliteDb& db;
  Keyring& keys;
  AuditTrail& audit;
  const core::Clock& clock;
};

}  // namespace recourse::store
