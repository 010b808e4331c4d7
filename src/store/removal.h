// Deleting what a person asks to be deleted: a client with everything of theirs, a case with
// everything in it, one incident, one records request, one evidence item. Each is one
// transaction with its audit entry ("client.delete", ... : ids only) and, for each evidence
// item, a "remove" entry in the custody log (id and hash only). The sealed evidence files
// are deleted after the rows are committed; one left behind by a crash cannot be opened,
// since the key that sealed it was in the deleted row.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/evidence.h"
#include "store/store.h"
#include "store/store_parts.h"

namespace recourse::store {

class Remover {
 public:
  Remover(StoreParts parts, EvidenceRepo& evidence) : p_(parts), evidence_(evidence) {}

  // The contracts of Store's delete methods.
  core::StatusOr<Removed> deleteClient(const std::string& id, const std::string& evidence_dir);
  core::StatusOr<Removed> deleteCase(const std::string& id, const std::string& evidence_dir);
  core::StatusOr<Removed> deleteIncident(const std::string& id);
  core::StatusOr<Removed> deleteRequest(const std::string& id);
  core::StatusOr<Removed> removeEvidence(const std::string& id, const std::string& evidence_dir);

 private:
  // Finds what the cases hold (their incidents, evidence and requests) into `out`.
  core::Status collect(const std::vector<std::string>& case_ids, Removed* out,
                       std::vector<std::pair<std::string, std::string>>* evidence_hashes);
  // Deletes the rows of `r` (evidence with a custody entry each) and the import keys that
  // name any of them. REQUIRES: inside a transaction.
  core::Status deleteRows(const Removed& r,
                          const std::vector<std::pair<std::string, std::string>>& evidence_hashes);
  // Deletes the sealed files of `r.evidence`, noting those left.
  void deleteFiles(const std::string& evidence_dir, Removed* r);

  StoreParts p_;
  EvidenceRepo& evidence_;
};

}  // namespace recourse::store
