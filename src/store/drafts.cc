#include "store/drafts.h"

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {
constexpr char kTable[] = "drafts";
}  // namespace

// Each account's drafts are its own: stored as "<account id>/<name>", sealed under a subkey
// of its seed.
std::string DraftsRepo::stored(const std::string& name) const {
  return p_.keys.me().id + "/" + name;
}

Status DraftsRepo::save(const std::string& name, const std::string& text) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const std::string key = stored(name);
  const Value sealed = sealedValue(p_.keys.draftsKey(), kTable, "payload", key, text);
  return p_.db.execute(
      "INSERT INTO drafts (name, payload, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT(name) DO UPDATE SET payload = excluded.payload, "
      "updated_at = excluded.updated_at",
      {key, sealed, core::formatTimestamp(p_.clock.now())});
}

StatusOr<std::optional<std::string>> DraftsRepo::get(const std::string& name) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const std::string key = stored(name);
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT payload FROM drafts WHERE name = ?", {key}));
  if (!row) return std::optional<std::string>();
  RECOURSE_ASSIGN_OR_RETURN(std::string text,
                            unsealAt(*row, 0, p_.keys.draftsKey(), kTable, "payload", key));
  return std::optional<std::string>(std::move(text));
}

Status DraftsRepo::remove(const std::string& name) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return p_.db.execute("DELETE FROM drafts WHERE name = ?", {stored(name)});
}

Status DraftsRepo::clear() {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return p_.db.execute("DELETE FROM drafts");
}

}  // namespace recourse::store
