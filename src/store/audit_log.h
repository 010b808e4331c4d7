// The audit log: one hash-chained entry (hash_chain.h) per change, naming the action and
// the entity by type and id, never personal data. Its links are plain SHA-256.
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/entities.h"
#include "core/status.h"
#include "store/hash_chain.h"
#include "store/keyring.h"
#include "store/sqlite_db.h"

namespace recourse::store {

class AuditTrail {
 public:
  AuditTrail(SqliteDb& db, Keyring& keys, const core::Clock& clock);

  // Appends `action` about the entity `type`/`id`.
  // REQUIRES: inside the transaction of the change it records.
  core::Status append(std::string_view action, std::string_view type, std::string_view id);
  // Every entry, oldest first. Entries hold ids and actions only.
  core::StatusOr<std::vector<core::AuditEvent>> events();
  // Re-computes the chain. OK when intact; Corruption naming the first entry that breaks it.
  core::Status verify();

 private:
  SqliteDb& db_;
  Keyring& keys_;
  const core::Clock& clock_;
  HashChain chain_;
};

}  // namespace recourse::store
