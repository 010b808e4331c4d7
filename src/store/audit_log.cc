#include "store/audit_log.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

AuditTrail::AuditTrail(SqliteDb& db, Keyring& keys, const core::Clock& clock)
    : db_(db),
      keys_(keys),
      clock_(clock),
      chain_(db, "audit_log", {"action", "entity_type", "entity_id"}, "audit log") {}

Status AuditTrail::append(std::string_view action, std::string_view type, std::string_view id) {
  return chain_.append(ChainLink::plainSha256(), core::formatTimestamp(clock_.now()),
                       {std::string(action), std::string(type), std::string(id)});
}

StatusOr<std::vector<core::AuditEvent>> AuditTrail::events() {
  RECOURSE_ASSIGN_OR_RETURN(auto entries, chain_.entries());
  std::vector<core::AuditEvent> out;
  out.reserve(entries.size());
  for (auto& c : entries) {
    core::AuditEvent e;
    e.seq = c.seq;
    auto at = core::parseTimestamp(c.at, "at");
    if (!at.isOk()) {
      return core::corruption("audit log: entry " + std::to_string(c.seq) + " has no valid time");
    }
    e.at = *at;
    e.action = std::move(c.fields[0]);
    e.entity_type = std::move(c.fields[1]);
    e.entity_id = std::move(c.fields[2]);
    e.prev_hash = std::move(c.prev_hash);
    e.hash = std::move(c.hash);
    out.push_back(std::move(e));
  }
  return out;
}

Status AuditTrail::verify() {
  RECOURSE_ASSIGN_OR_RETURN(auto entries, chain_.entries());
  auto problems = chain_.verify(entries, ChainLink::plainSha256());
  if (!problems.empty()) return core::corruption(problems.front());
  return Status::ok();
}

}  // namespace recourse::store
