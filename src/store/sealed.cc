#include "store/sealed.h"

#include <array>
#include <cstring>
#include <variant>

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
  // Built on the stack and read in place: a view unseals thousands of values.
  std::array<char, 160> place{};
  std::string_view ad;
  constexpr std::string_view kPrefix = "recourse/v1/";
  const size_t need = kPrefix.size() + table.size() + column.size() + id.size() + 2;
  std::string spilled;
  if (need <= place.size()) {
    char* p = place.data();
    for (std::string_view part :
         {kPrefix, table, std::string_view("/"), column, std::string_view("/"), id}) {
      std::memcpy(p, part.data(), part.size());
      p += part.size();
    }
    ad = std::string_view(place.data(), need);
  } else {
    spilled = sealContext(table, column, id);
    ad = spilled;
  }
  if (const Bytes* bytes = row.ownBlob(col)) return open(key, *bytes, ad);
  return open(key, row.blob(col), ad);
}

}  // namespace recourse::store
