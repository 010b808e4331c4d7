// Sealed columns: personal values stored encrypted (XChaCha20-Poly1305, see crypto.h) under
// a client's data key, each bound to its place (table, column, row id) so that a sealed
// value copied to another row or column does not open. schema.cc types these columns BLOB.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "store/crypto.h"
#include "store/database.h"

namespace recourse::store {

// The associated data that binds a sealed value to its place: "recourse/v1/t/c/id".
std::string sealContext(std::string_view table, std::string_view column, std::string_view id);

// `plain` sealed for table/column/id, ready to bind; empty text is stored as NULL.
Value sealedOrNull(const SecretKey& key, std::string_view table, std::string_view column,
                   std::string_view id, const std::string& plain);
// The same for a required value: sealed even when empty.
Value sealedValue(const SecretKey& key, std::string_view table, std::string_view column,
                  std::string_view id, const std::string& plain);

// Opens the sealed column `col` of a row read from table/column/id; NULL reads as "".
// Corruption when it does not open (altered, moved to another row, another key).
core::StatusOr<std::string> unsealAt(const Row& row, size_t col, const SecretKey& key,
                                     std::string_view table, std::string_view column,
                                     std::string_view id);

}  // namespace recourse::store
