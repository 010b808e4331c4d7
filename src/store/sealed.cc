#include "store/sealed.h"

namespace recourse::store {

std::string sealContext(std::string_view table, std::string_view column, std::string_view id) {
  std::string ad = "recourse/v1/";
  ad.append(table).append("/").append(column).append("/").append(id);
  return ad;
}

Value sealedValue(const SecretKey& key, std::string_view table, std::string_view column,
                  std::string_view id, const std::string& plain) {
  return seal(key, plain, sealContext(table, column, id));
}

Value sealedOrNull(const SecretKey& key, std::string_view table, std::string_view column,
                   std::string_view id, const std::string& plain) {
  if (plain.empty()) return std::monostate{};
  return sealedValue(key, table, column, id, plain);
}

core::StatusOr<std::string> unsealAt(const Row& row, size_t col, const SecretKey& key,
                                     std::string_view table, std::string_view column,
                                     std::string_view id) {
  if (row.isNull(col)) return std::string();
  return open(key, row.blob(col), sealContext(table, column, id));
}

}  // namespace recourse::store
