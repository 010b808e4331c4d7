#include "store/audit_log.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

AuditTrail::AuditTrail(SqliteDb& db, Keyring& keys, const core::Clock& clock)
    : db_(db),
      keys_(keys),
      clock_(clock),
      chain_(db, "audit_log", {"action", "entity_type", "entity_id"}, "audit log") {}

ChainLink AuditTrail::link() {
  if (keys_.auditChain() == Keyring::AuditChain::kPlainSha256) return ChainLink::plainSha256();
  return ChainLink::keyed(keys_.auditKey());
}

Status AuditTrail::append(std::string_view action, std::string_view type, std::string_view id) {
  RECOURSE_RETURN_IF_ERROR(keys_.requireUnlocked());
  return chain_.append(link(), core::formatTimestamp(clock_.now()),
                       {std::string(action), std::string(type), std::string(id)});
}

StatusOr<std::vector<core::AuditEvent>> AuditTrail::events() {
  return chain_.entriesAs<core::AuditEvent>(
      [](std::vector<std::string> fields, core::AuditEvent* e) {
        e->action = std::move(fields[0]);
        e->entity_type = std::move(fields[1]);
        e->entity_id = std::move(fields[2]);
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
