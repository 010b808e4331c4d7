// Import keys: which entity a batch import made from which imported record, so importing
// the same record again finds it instead of making a duplicate. Only a keyed hash of the
// record's kind and identifying text is stored (BLAKE2b under the vault's import subkey),
// so the table reveals nothing of the personal data it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"
#include "store/store_parts.h"

namespace recourse::store {

class ImportKeysRepo {
 public:
  explicit ImportKeysRepo(StoreParts parts) : p_(parts) {}

  // The contracts of Store::rememberImported and Store::findImported.
  core::Status remember(std::string_view kind, std::string_view material,
                        const std::string& entity_id);
  core::StatusOr<std::optional<std::string>> find(std::string_view kind, std::string_view material);

  // The contract of Store::prefetchImported.
  core::Status prefetch(const std::vector<std::pair<std::string, std::string>>& wanted);
  // (batch) Points (kind, material) at `entity_id`, whatever it pointed at before.
  core::Status rememberLatest(std::string_view kind, std::string_view material,
                              const std::string& entity_id);
  // ---- Batch rows (schema version 8) ----
  // The letter number and spreadsheet row of a request a batch made, and the office's own
  // client reference (sealed under the client's key). Sets them (the letter number only
  // the first time: it never changes). `kept`: whether batchRowOf found one for the request
  // (then its row and reference are replaced; otherwise one is added, and another run's
  // adding one meanwhile is a Conflict, not a letter number silently not kept). NotFound
  // (field "request_id") for no such request.
  core::Status rememberBatchRow(const BatchRow& row, bool kept);
  // What rememberBatchRow kept for the request, or nullopt.
  core::StatusOr<std::optional<BatchRow>> batchRowOf(const std::string& request_id);
  // The highest letter number given so far (0: none).
  core::StatusOr<long long> lastLetterNumber();

 private:
  core::StatusOr<std::string> keyOf(std::string_view kind, std::string_view material);
  // What prefetch read (and remember* wrote since) for the transaction whose mark is
  // known_mark_: key -> entity id, nullopt for a key not there; null when it knows nothing.
  std::optional<std::string>* known(const std::string& key);
  void learn(const std::string& key, const std::string& entity_id);

  std::unordered_map<std::string, std::optional<std::string>> known_;
  long long known_mark_ = 0;

  StoreParts p_;
};

}  // namespace recourse::store
