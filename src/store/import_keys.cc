#include "store/import_keys.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

StatusOr<std::string> ImportKeysRepo::keyOf(std::string_view kind, std::string_view material) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  std::string text = std::string(kind) + '\0' + std::string(material);
  return keyedHashHex(p_.keys.importKey(), text);
}

Status ImportKeysRepo::remember(std::string_view kind, std::string_view material,
                                const std::string& entity_id) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  return p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(auto row,
                              p_.db.firstRow("SELECT 1 FROM import_keys WHERE key = ?", {key}));
    if (row) return core::conflict("this " + std::string(kind) + " was already imported");
    return p_.db.insert("import_keys", {{"key", key},
                                        {"kind", std::string(kind)},
                                        {"entity_id", entity_id},
                                        {"created_at", core::formatTimestamp(p_.clock.now())}});
  });
}

StatusOr<std::optional<std::string>> ImportKeysRepo::find(std::string_view kind,
                                                          std::string_view material) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT entity_id FROM import_keys WHERE key = ?", {key}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

}  // namespace recourse::store
