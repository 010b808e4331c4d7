// Cases and their providers: a client's matter about one therapist. The provider's name,
// credentials, license number and contact details and the case's title and notes are
// sealed under the client's key; license type, jurisdiction and dates are not.
#pragma once

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "store/clients.h"
#include "store/store_parts.h"

namespace recourse::store {

class CasesRepo {
 public:
  CasesRepo(StoreParts parts, ClientsRepo& clients) : p_(parts), clients_(clients) {}

  // The contracts of core::CaseRepository.
  core::StatusOr<core::Case> add(const core::Case& c);
  core::StatusOr<core::Case> get(const std::string& id);
  // `all_fields` false: the title and the therapist's name, license type and jurisdiction
  // only (Store::Fields::kSummary).
  core::StatusOr<std::vector<core::Case>> list(const std::string& client_id,
                                               bool all_fields = true);
  // The statement list("", all_fields) runs (Database::readAhead).
  Query listQuery(bool all_fields = true);
  // Replaces a case's fields and its therapist's (ids, client and creation time stay),
  // re-sealed, checked like add and logged "case.edit". NotFound (field "case_id");
  // nothing changes on failure.
  core::StatusOr<core::Case> update(const core::Case& c);
  // Marks one of a case's tasks finished (or not), logged "case.task". NotFound (field
  // "case_id").
  core::Status markTaskDone(const std::string& case_id, const std::string& task, bool done);
  // The tasks of a case marked finished.
  core::StatusOr<std::vector<std::string>> tasksDone(const std::string& case_id);
  // The statement tasksDone runs (Database::readAhead).
  static Query tasksDoneQuery(const std::string& case_id) {
    return {"SELECT task FROM case_tasks_done WHERE case_id = ? ORDER BY task", {case_id}};
  }

 private:
  core::StatusOr<std::vector<core::Case>> read(const std::string& where, const std::string& arg,
                                               bool all_fields = true);
  static Query readQuery(const std::string& where, const std::string& arg, bool all_fields);

  StoreParts p_;
  ClientsRepo& clients_;
};

}  // namespace recourse::store
