#include "store/audit_log.h"

#include <map>

namespace recourse::store {

using core::Status;
using core::StatusOr;

AuditTrail::AuditTrail(Database& db, Keyring& keys, const core::Clock& clock)
    : db_(db),
      keys_(keys),
      clock_(clock),
      // Who, through what and whose: added in schema version 12, linked when set.
      chain_(db, "audit_log", {"action", "entity_type", "entity_id", "user_id", "via", "client_id"},
             "audit log", 3) {}

ChainLink AuditTrail::link() {
  if (keys_.auditChain() == Keyring::AuditChain::kPlainSha256) return ChainLink::plainSha256();
  return ChainLink::keyed(keys_.auditKey());
}

StatusOr<std::string> AuditTrail::clientOf(std::string_view type, std::string_view id) {
  static const std::map<std::string_view, std::string> kOwner = {
      {"client", "SELECT id FROM clients WHERE id = ?"},
      {"case", "SELECT client_id FROM cases WHERE id = ?"},
      {"incident",
       "SELECT c.client_id FROM incidents x JOIN cases c ON c.id = x.case_id WHERE x.id = ?"},
      {"evidence",
       "SELECT c.client_id FROM evidence x JOIN cases c ON c.id = x.case_id WHERE x.id = ?"},
      {"request",
       "SELECT c.client_id FROM records_requests x JOIN cases c ON c.id = x.case_id WHERE x.id = "
       "?"},
      {"complaint",
       "SELECT c.client_id FROM complaints x JOIN cases c ON c.id = x.case_id WHERE x.id = ?"},
      {"complaint_event",
       "SELECT c.client_id FROM complaint_events x JOIN cases c ON c.id = x.case_id WHERE x.id ="
       " ?"},
  };
  auto it = kOwner.find(type);
  if (it == kOwner.end()) return std::string();
  if (const Owner* known = knownOwner(type, std::string(id))) return known->client_id;
  const bool paged = page_thread_ == std::this_thread::get_id();
  if (paged) {
    auto seen = page_owners_.find({std::string(type), std::string(id)});
    if (seen != page_owners_.end()) return seen->second;
  }
  ++owner_lookups_;
  RECOURSE_ASSIGN_OR_RETURN(auto row, db_.firstRow(it->second, {std::string(id)}));
  std::string client = row ? row->text(0) : std::string();
  if (paged) seenOnPage(type, std::string(id), client);
  return client;
}

void AuditTrail::seenOnPage(std::string_view type, const std::string& id,
                            const std::string& client_id) {
  if (client_id.empty() || page_thread_ != std::this_thread::get_id()) return;
  page_owners_[{std::string(type), id}] = client_id;
  // Its client was there when the record was read (removing a client removes its cases).
  page_owners_[{"client", client_id}] = client_id;
}

StatusOr<std::string> AuditTrail::clientOfCase(const std::string& case_id) {
  RECOURSE_ASSIGN_OR_RETURN(std::string client, clientOf("case", case_id));
  if (client.empty()) return core::notFound("no case with id " + case_id).withField("case_id");
  return client;
}

void AuditTrail::beginPage() {
  page_owners_.clear();
  page_thread_ = std::this_thread::get_id();
}

void AuditTrail::endPage() {
  page_owners_.clear();
  page_thread_.reset();
}

void AuditTrail::noteOwner(std::string_view type, const std::string& id,
                           const std::string& client_id, const std::string& case_id) {
  const long long mark = db_.transactionMark();
  if (mark == 0) return;
  if (mark != owners_mark_) {
    owners_.clear();
    owners_mark_ = mark;
  }
  owners_[{std::string(type), id}] = Owner{client_id, case_id};
}

const AuditTrail::Owner* AuditTrail::knownOwner(std::string_view type, const std::string& id) {
  const long long mark = db_.transactionMark();
  if (mark == 0 || mark != owners_mark_) return nullptr;
  auto it = owners_.find({std::string(type), id});
  return it == owners_.end() ? nullptr : &it->second;
}

Status AuditTrail::requireAccess(const std::string& client_id) {
  if (client_id.empty()) return Status::ok();
  // First whether what the caller sealed is under the current key, then (which may fetch
  // the current one) whether the account still has access at all.
  RECOURSE_RETURN_IF_ERROR(keys_.checkKeyCurrent(client_id));
  return keys_.clientKey(client_id).status();
}

Status AuditTrail::append(std::string_view action, std::string_view type, std::string_view id,
                          std::optional<std::string> client_id) {
  RECOURSE_RETURN_IF_ERROR(keys_.requireUnlocked());
  if (!client_id) {
    RECOURSE_ASSIGN_OR_RETURN(client_id, clientOf(type, id));
    RECOURSE_RETURN_IF_ERROR(requireAccess(*client_id));
  }
  return chain_.append(
      link(), core::formatTimestamp(clock_.now()),
      {std::string(action), std::string(type), std::string(id), keys_.me().id, via_, *client_id});
}

StatusOr<std::vector<core::AuditEvent>> AuditTrail::events() {
  return chain_.entriesAs<core::AuditEvent>(
      [](std::vector<std::string> fields, core::AuditEvent* e) {
        e->action = std::move(fields[0]);
        e->entity_type = std::move(fields[1]);
        e->entity_id = std::move(fields[2]);
        e->user_id = std::move(fields[3]);
        e->via = std::move(fields[4]);
        e->client_id = std::move(fields[5]);
      });
}

Status AuditTrail::verify() {
  RECOURSE_RETURN_IF_ERROR(keys_.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto entries, chain_.entries());
  auto problems = chain_.verify(entries, link());
  if (problems.empty()) return Status::ok();
  if (keys_.auditChain() == Keyring::AuditChain::kPlainSha256) {
    return core::corruption(problems.front() +
                            "; the log was written before this version and, being broken, was "
                            "not re-linked to the vault key");
  }
  return core::corruption(problems.front());
}

Status AuditTrail::explainChanged(const Status& refused, std::string_view type,
                                  const std::string& id) {
  if (refused.reason() != "changed_meanwhile") return refused;
  auto last = db_.firstRow(
      "SELECT a.at, u.name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
      " WHERE a.entity_type = ? AND a.entity_id = ? ORDER BY a.seq DESC LIMIT 1",
      {std::string(type), id});
  std::string by = "Someone else";
  std::string at;
  if (last.isOk() && last->has_value()) {
    at = (*last)->text(0);
    if (!(*last)->text(1).empty()) by = (*last)->text(1);
  }
  return core::conflict(std::string(type) + " " + id + " was changed by " + by +
                        (at.empty() ? "" : " at " + at) +
                        " since it was opened; nothing was saved. Open it again to see the "
                        "change, then make yours.")
      .withField("version")
      .withReason("changed_meanwhile", {{"by", by}, {"at", at}});
}

Status AuditTrail::relinkToKeyed() {
  RECOURSE_RETURN_IF_ERROR(keys_.requireUnlocked());
  RECOURSE_RETURN_IF_ERROR(db_.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(
        chain_.relink(ChainLink::plainSha256(), ChainLink::keyed(keys_.auditKey())));
    return keys_.recordAuditChainKeyed();
  }));
  keys_.setAuditChain(Keyring::AuditChain::kKeyed);
  return Status::ok();
}

}  // namespace recourse::store
