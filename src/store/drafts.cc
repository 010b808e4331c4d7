#include "store/drafts.h"

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {
constexpr char kTable[] = "drafts";
}  // namespace

Status DraftsRepo::save(const std::string& name, const std::string& text) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const Value sealed = sealedValue(p_.keys.draftsKey(), kTable, "payload", name, text);
  return p_.db.execute(
      "INSERT INTO drafts (name, payload, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT(name) DO UPDATE SET payload = excluded.payload, "
      "updated_at = excluded.updated_at",
      {name, sealed, core::formatTimestamp(p_.clock.now())});
}

StatusOr<std::optional<std::string>> DraftsRepo::get(const std::string& name) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT payload FROM drafts WHERE name = ?", {name}));
  if (!row) return std::optional<std::string>();
  RECOURSE_ASSIGN_OR_RETURN(std::string text,
                            unsealAt(*row, 0, p_.keys.draftsKey(), kTable, "payload", name));
  return std::optional<std::string>(std::move(text));
}

Status DraftsRepo::remove(const std::string& name) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return p_.db.execute("DELETE FROM drafts WHERE name = ?", {name});
}

Status DraftsRepo::clear() {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return p_.db.execute("DELETE FROM drafts");
}

}  // namespace recourse::store
