// Import keys: which entity a batch import made from which imported record, so importing
// the same record again finds it instead of making a duplicate. Only a keyed hash of the
// record's kind and identifying text is stored (BLAKE2b under the vault's import subkey),
// so the table reveals nothing of the personal data it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

class ImportKeysRepo {
 public:
  explicit ImportKeysRepo(StoreParts parts) : p_(parts) {}

  // The contracts of Store::rememberImported and Store::findImported.
  core::Status remember(std::string_view kind, std::string_view material,
                        const std::string& entity_id);
  core::StatusOr<std::optional<std::string>> find(std::string_view kind, std::string_view material);

 private:
  core::StatusOr<std::string> keyOf(std::string_view kind, std::string_view material);

  StoreParts p_;
};

}  // namespace recourse::store
