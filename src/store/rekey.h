// Sealing a client's records again under a new key: what taking someone's access away does
// (Store::revokeAccess), so that whoever kept a copy of the old key cannot open anything
// written from then on.
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/crypto.h"
#include "store/database.h"

namespace recourse::store {

// Where a client's rows are, by table, parents before children: the column each row's
// sealed values are bound to, and the condition that picks the client's rows (one "?" for
// the client id).
struct ClientTable {
  const char* table;
  const char* id_column;
  const char* where;
};
const std::vector<ClientTable>& clientTables();

// Opens every value sealed under `from` in `client_id`'s rows (the client, their
// therapists, cases, incidents, evidence (the file keys: the files themselves are sealed
// under those), requests, their events, complaints and batch rows) and seals it again
// under `to`, bound to the same place. Corruption, naming the record, when a value does not
// open: the caller's transaction is then undone and nothing changes. Returns how many
// values were sealed again. REQUIRES: inside a transaction.
core::StatusOr<long long> resealClient(Database& db, const std::string& client_id,
                                       const SecretKey& from, const SecretKey& to);

}  // namespace recourse::store
