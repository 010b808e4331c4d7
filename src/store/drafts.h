// Drafts: what a person was typing and where (one row per name, "place" for the page being
// filled in), each account's its own, sealed under a subkey of that account's seed. Not audited:
// they change every few keystrokes and hold nothing that is not also in the page.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

class DraftsRepo {
 public:
  explicit DraftsRepo(StoreParts parts) : p_(parts) {}

  // The contracts of Store::saveDraft, draft, deleteDraft and clearDrafts.
  core::Status save(const std::string& name, const std::string& text);
  core::StatusOr<std::optional<std::string>> get(const std::string& name);
  core::Status remove(const std::string& name);
  core::Status clear();

 private:
  std::string stored(const std::string& name) const;
  StoreParts p_;
};

}  // namespace recourse::store
