// Incidents: what happened, in a case's timeline. Summary, narrative, impact, the date in
// the person's own words, harm kinds and witnesses are sealed under the client's key; the
// date precision, dates and channel are not.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

// An incident's kinds of harm as sealed (one value, a line each) and back.
std::string joinKinds(const std::vector<std::string>& kinds);
std::vector<std::string> splitKinds(const std::string& s);

class IncidentsRepo {
 public:
  explicit IncidentsRepo(StoreParts parts) : p_(parts) {}

  // The contracts of core::IncidentRepository and of Store's incident methods.
  core::StatusOr<core::Incident> add(const core::Incident& incident);
  core::StatusOr<core::Incident> get(const std::string& id);
  core::StatusOr<std::vector<core::Incident>> list(const std::string& case_id);
  core::StatusOr<core::Incident> update(const core::Incident& incident);
  // Every incident of `client_id`'s cases ("" for every client the unlocked account may
  // open), in one read: by case id, each case's in date order; and every case they are of,
  // with its client (for the audit log).
  struct ByCase {
    std::unordered_map<std::string, std::vector<core::Incident>> by_case;
    std::map<std::string, std::string> case_client;
    // Cases with an incident that does not read (left out of by_case whole), and what to
    // say about each.
    std::map<std::string, std::string> unreadable;
  };
  // With `all_fields` false, only the fields time limits need are read (dates, the date in
  // words, kinds of harm: Store::Fields::kSummary); summary, narrative, impact and witnesses
  // stay on the server and read as empty.
  core::StatusOr<ByCase> listAll(const std::string& client_id, bool all_fields = true);
  // The statement listAll runs (Database::readAhead).
  Query listAllQuery(const std::string& client_id, bool all_fields = true);
  // The statement list(case_id) runs, after its check that the case is there.
  static Query caseQuery(const std::string& case_id) { return readQuery("i.case_id = ?", case_id); }

 private:
  // The incidents `q` (a readQuery) reads.
  core::StatusOr<std::vector<core::Incident>> read(const Query& q);
  static Query readQuery(const std::string& where, const std::string& arg);
  // One incident from a row of kIncidentSelect.
  // `all_fields` false: a summary's row (kIncidentSummarySelect), its times of entry left
  // unset.
  core::StatusOr<core::Incident> incidentOf(const Row& r, bool all_fields = true);
  // The columns of an incident, sealed under `key`.
  std::vector<Column> columns(const SecretKey& key, const core::Incident& i) const;

  StoreParts p_;
};

}  // namespace recourse::store
