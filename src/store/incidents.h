// Incidents: what happened, in a case's timeline. Summary, narrative, impact, the date in
// the person's own words, harm kinds and witnesses are sealed under the client's key; the
// date precision, dates and channel are not.
#pragma once

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

class IncidentsRepo {
 public:
  explicit IncidentsRepo(StoreParts parts) : p_(parts) {}

  // The contracts of core::IncidentRepository and of Store's incident methods.
  core::StatusOr<core::Incident> add(const core::Incident& incident);
  core::StatusOr<core::Incident> get(const std::string& id);
  core::StatusOr<std::vector<core::Incident>> list(const std::string& case_id);
  core::StatusOr<core::Incident> update(const core::Incident& incident);

 private:
  core::StatusOr<std::vector<core::Incident>> read(const std::string& where,
                                                   const std::string& arg);
  // The columns of an incident, sealed under `key`.
  std::vector<Column> columns(const SecretKey& key, const core::Incident& i) const;

  StoreParts p_;
};

}  // namespace recourse::store
