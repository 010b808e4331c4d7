#include "store/removal.h"

#include <filesystem>

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {
using Hashes = std::vector<std::pair<std::string, std::string>>;
}  // namespace

Status Remover::collect(const std::vector<std::string>& case_ids, Removed* out, Hashes* hashes) {
  for (const auto& c : case_ids) {
    out->cases.push_back(c);
    RECOURSE_ASSIGN_OR_RETURN(
        auto incidents,
        p_.db.select("SELECT id FROM incidents WHERE case_id = ? ORDER BY rowid", {c}));
    for (const auto& r : incidents) out->incidents.push_back(r.text(0));
    RECOURSE_ASSIGN_OR_RETURN(
        auto evidence,
        p_.db.select("SELECT id, sha256 FROM evidence WHERE case_id = ? ORDER BY rowid", {c}));
    for (const auto& r : evidence) {
      out->evidence.push_back(r.text(0));
      hashes->emplace_back(r.text(0), r.text(1));
    }
    RECOURSE_ASSIGN_OR_RETURN(
        auto requests,
        p_.db.select("SELECT id FROM records_requests WHERE case_id = ? ORDER BY rowid", {c}));
    for (const auto& r : requests) out->requests.push_back(r.text(0));
  }
  return Status::ok();
}

Status Remover::deleteRows(const Removed& r, const Hashes& hashes) {
  for (const auto& [id, sha] : hashes) {
    RECOURSE_RETURN_IF_ERROR(evidence_.logRemoval(id, sha));
    // Its file's parts, where the database keeps them, go with its row.
    RECOURSE_RETURN_IF_ERROR(
        p_.db.execute("DELETE FROM evidence_parts WHERE evidence_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM evidence WHERE id = ?", {id}));
  }
  for (const auto& id : r.requests) {
    RECOURSE_RETURN_IF_ERROR(
        p_.db.execute("DELETE FROM request_events WHERE request_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM records_requests WHERE id = ?", {id}));
  }
  for (const auto& id : r.incidents) {
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM incidents WHERE id = ?", {id}));
  }
  for (const auto& id : r.cases) {
    RECOURSE_ASSIGN_OR_RETURN(auto provider,
                              p_.db.firstRow("SELECT provider_id FROM cases WHERE id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM complaint_events WHERE case_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM complaints WHERE case_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM cases WHERE id = ?", {id}));
    if (provider) {
      RECOURSE_RETURN_IF_ERROR(
          p_.db.execute("DELETE FROM providers WHERE id = ?", {provider->text(0)}));
    }
  }
  // What a batch import remembered making: a re-import makes them afresh.
  for (const auto* ids : {&r.cases, &r.incidents, &r.evidence, &r.requests}) {
    for (const auto& id : *ids) {
      RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM import_keys WHERE entity_id = ?", {id}));
    }
  }
  return Status::ok();
}

void Remover::deleteFiles(const std::string& evidence_dir, Removed* r) {
  for (const auto& id : r->evidence) {
    std::error_code ec;
    std::filesystem::remove(EvidenceRepo::sealedFilePath(evidence_dir, id), ec);
    if (ec) r->files_left.push_back(id);
  }
}

StatusOr<Removed> Remover::deleteClient(const std::string& id, const std::string& evidence_dir) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row, p_.db.firstRow("SELECT 1 FROM clients WHERE id = ?", {id}));
  if (!row) return core::notFound("no client with id " + id).withField("client_id");
  RECOURSE_RETURN_IF_ERROR(p_.audit.requireAccess(id));
  // Deleting a person and everything of theirs is for them (or whoever keeps their
  // records) to decide, not for everyone who may open them.
  if (!p_.keys.grants().mayGive(p_.keys.me(), id, true).isOk()) {
    return core::permissionDenied(
               "only the person themself, or whoever keeps their records, can delete them")
        .withField("client_id")
        .withReason("may_not_delete");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto own, p_.keys.accounts().ofClient(id));
  RECOURSE_ASSIGN_OR_RETURN(
      auto cases, p_.db.select("SELECT id FROM cases WHERE client_id = ? ORDER BY rowid", {id}));
  std::vector<std::string> case_ids;
  case_ids.reserve(cases.size());
  for (const auto& c : cases) case_ids.push_back(c.text(0));
  Removed out;
  Hashes hashes;
  RECOURSE_RETURN_IF_ERROR(collect(case_ids, &out, &hashes));
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(deleteRows(out, hashes));
    // Providers with no case left (none are made without one, but older data may have).
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM providers WHERE client_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM key_grants WHERE client_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(
        p_.db.execute("DELETE FROM deadline_digests WHERE client_id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM clients WHERE id = ?", {id}));
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM import_keys WHERE entity_id = ?", {id}));
    // The client's own account stays (it may be used again), no longer anyone's.
    for (const auto& a : own) {
      RECOURSE_RETURN_IF_ERROR(p_.keys.accounts().setClient(a, "", p_.keys.usersKey()));
    }
    return p_.audit.append("client.delete", "client", id, id);
  }));
  p_.audit.forgetPage();  // what the page knew of them is gone with them
  if (!own.empty()) RECOURSE_RETURN_IF_ERROR(p_.keys.refreshMe());
  p_.keys.forgetClientKey(id);
  deleteFiles(evidence_dir, &out);
  return out;
}

StatusOr<Removed> Remover::deleteCase(const std::string& id, const std::string& evidence_dir) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row, p_.db.firstRow("SELECT 1 FROM cases WHERE id = ?", {id}));
  if (!row) return core::notFound("no case with id " + id).withField("case_id");
  RECOURSE_ASSIGN_OR_RETURN(std::string client, p_.audit.clientOf("case", id));
  RECOURSE_RETURN_IF_ERROR(p_.audit.requireAccess(client));
  Removed out;
  Hashes hashes;
  RECOURSE_RETURN_IF_ERROR(collect({id}, &out, &hashes));
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(deleteRows(out, hashes));
    return p_.audit.append("case.delete", "case", id, client);
  }));
  p_.audit.forgetPage();  // what the page knew of them is gone with them
  deleteFiles(evidence_dir, &out);
  return out;
}

StatusOr<Removed> Remover::deleteIncident(const std::string& id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row, p_.db.firstRow("SELECT 1 FROM incidents WHERE id = ?", {id}));
  if (!row) return core::notFound("no incident with id " + id).withField("incident_id");
  RECOURSE_ASSIGN_OR_RETURN(std::string client, p_.audit.clientOf("incident", id));
  RECOURSE_RETURN_IF_ERROR(p_.audit.requireAccess(client));
  Removed out;
  out.incidents.push_back(id);
  // Its evidence stays in the case, no longer linked to it (ON DELETE SET NULL).
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM incidents WHERE id = ?", {id}));
    return p_.audit.append("incident.delete", "incident", id, client);
  }));
  p_.audit.forgetPage();  // what the page knew of them is gone with them
  return out;
}

StatusOr<Removed> Remover::deleteRequest(const std::string& id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT 1 FROM records_requests WHERE id = ?", {id}));
  if (!row) return core::notFound("no records request with id " + id).withField("request_id");
  RECOURSE_ASSIGN_OR_RETURN(std::string client, p_.audit.clientOf("request", id));
  RECOURSE_RETURN_IF_ERROR(p_.audit.requireAccess(client));
  Removed out;
  out.requests.push_back(id);
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(deleteRows(out, {}));
    return p_.audit.append("request.delete", "request", id, client);
  }));
  p_.audit.forgetPage();  // what the page knew of them is gone with them
  return out;
}

StatusOr<Removed> Remover::removeEvidence(const std::string& id, const std::string& evidence_dir) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT sha256 FROM evidence WHERE id = ?", {id}));
  if (!row) return core::notFound("no evidence with id " + id).withField("evidence_id");
  RECOURSE_ASSIGN_OR_RETURN(std::string client, p_.audit.clientOf("evidence", id));
  RECOURSE_RETURN_IF_ERROR(p_.audit.requireAccess(client));
  Removed out;
  out.evidence.push_back(id);
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(deleteRows(out, {{id, row->text(0)}}));
    return p_.audit.append("evidence.remove", "evidence", id, client);
  }));
  p_.audit.forgetPage();  // what the page knew of them is gone with them
  deleteFiles(evidence_dir, &out);
  return out;
}

}  // namespace recourse::store
