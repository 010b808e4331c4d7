// Clients: the people the vault is about. Each has a random data key, stored wrapped by the
// vault key; their name, contact details and notes are sealed under it.
#pragma once

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

class ClientsRepo {
 public:
  explicit ClientsRepo(StoreParts parts) : p_(parts) {}

  // The contracts of core::ClientRepository.
  core::StatusOr<core::Client> add(const core::Client& client);
  core::StatusOr<core::Client> get(const std::string& id);
  // `all_fields` false: the name only (Store::Fields::kSummary).
  core::StatusOr<std::vector<core::Client>> list(bool all_fields = true);
  // The statement list() runs (Database::readAhead).
  Query listQuery(bool all_fields = true);
  // The statement get(id) runs (Database::readAhead).
  static Query getQuery(const std::string& id, bool all_fields = true);
  // OK when the client exists; NotFound (field "client_id") when not.
  core::Status requireExists(const std::string& id);
  // Replaces a client's name, contact details and notes (id, key and creation time stay),
  // re-sealed, checked like add and logged "client.edit". NotFound (field "client_id");
  // nothing changes on failure.
  core::StatusOr<core::Client> update(const core::Client& client);

 private:
  // One client (id given) or all.
  core::StatusOr<std::vector<core::Client>> read(const std::string& id, bool all_fields = true);

  StoreParts p_;
};

}  // namespace recourse::store
