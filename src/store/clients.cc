#include "store/clients.h"

#include "core/validation.h"
#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {
constexpr char kTable[] = "clients";
constexpr char kColumns[] =
    "SELECT id, name, email, phone, address, notes, created_at, updated_at, date_of_birth, "
    "version FROM clients";
// The same columns with what a summary does not unseal left on the server (NULL reads as "").
constexpr char kSummaryColumns[] =
    "SELECT id, name, NULL, NULL, NULL, NULL, created_at, updated_at, NULL, version FROM clients";
}  // namespace

namespace {

// The client's sealed details, as add and update write them.
std::vector<Column> detailColumns(const SecretKey& key, const core::Client& c) {
  const std::string& id = c.id;
  return {{"name", sealedValue(key, kTable, "name", id, c.name)},
          {"email", sealedOrNull(key, kTable, "email", id, c.email)},
          {"phone", sealedOrNull(key, kTable, "phone", id, c.phone)},
          {"address", sealedOrNull(key, kTable, "address", id, c.address)},
          {"notes", sealedOrNull(key, kTable, "notes", id, c.notes)},
          {"date_of_birth", sealedOrNull(key, kTable, "date_of_birth", id, c.date_of_birth)}};
}

}  // namespace

StatusOr<core::Client> ClientsRepo::add(const core::Client& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateClient(in));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  core::Client c = in;
  c.id = randomId("cl");
  c.created_at = c.updated_at = p_.clock.now();
  c.version = 1;
  SecretKey key = SecretKey::random();
  const Account& me = p_.keys.me();
  const std::string at = core::formatTimestamp(c.created_at);
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    const std::string& id = c.id;
    // The key is sealed to the account that makes the record (a grant it signs), never
    // wrapped by a key every account holds.
    std::vector<Column> cols = {{"id", id}, {"wrapped_key", Bytes{}}};
    for (auto& col : detailColumns(key, c)) cols.push_back(std::move(col));
    cols.push_back({"created_at", at});
    cols.push_back({"updated_at", core::formatTimestamp(c.updated_at)});
    cols.push_back({"key_version", 1LL});
    cols.push_back({"created_by", me.id});
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(kTable, cols));
    p_.keys.madeInThisTransaction(id);
    RECOURSE_RETURN_IF_ERROR(p_.keys.grants().insert(
        p_.keys.grants().make(id, 1, key, me, "creator", me, p_.keys.mySeed(), {}, at)));
    return p_.audit.append("client.add", "client", id, id);
  }));
  p_.keys.cacheClientKey(c.id, std::move(key), 1);
  return c;
}

StatusOr<core::Client> ClientsRepo::update(const core::Client& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateClient(in));
  RECOURSE_ASSIGN_OR_RETURN(core::Client before, get(in.id));
  core::Client c = in;
  c.created_at = before.created_at;
  c.updated_at = p_.clock.now();
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, p_.keys.storedClientKey(c.id));
  const SecretKey& key = *keyp;
  const std::string& id = c.id;
  std::vector<Column> cols = detailColumns(key, c);
  cols.push_back({"updated_at", core::formatTimestamp(c.updated_at)});
  Status saved = p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(c.version,
                              p_.db.updateVersioned(kTable, id, std::move(cols), in.version));
    return p_.audit.append("client.edit", "client", id);
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "client", id);
  return c;
}

StatusOr<core::Client> ClientsRepo::get(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto all, read(id));
  if (all.empty()) return core::notFound("no client with id " + id).withField("client_id");
  return all.front();
}

StatusOr<std::vector<core::Client>> ClientsRepo::list(bool all_fields) {
  return read("", all_fields);
}

Status ClientsRepo::requireExists(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto row, p_.db.firstRow("SELECT 1 FROM clients WHERE id = ?", {id}));
  if (!row) return core::notFound("no client with id " + id).withField("client_id");
  return Status::ok();
}

Query ClientsRepo::getQuery(const std::string& id, bool all_fields) {
  return {std::string(all_fields ? kColumns : kSummaryColumns) + " WHERE id = ?", {id}};
}

Query ClientsRepo::listQuery(bool all_fields) {
  // Everyone the unlocked account may open: the others are not theirs to see.
  return {std::string(all_fields ? kColumns : kSummaryColumns) +
              " WHERE id IN (SELECT client_id FROM key_grants WHERE user_id = ?) ORDER BY rowid",
          {p_.keys.me().id}};
}

StatusOr<std::vector<core::Client>> ClientsRepo::read(const std::string& id, bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const Query q = id.empty() ? listQuery(all_fields) : getQuery(id, all_fields);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  std::vector<core::Client> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    auto one = [&]() -> StatusOr<core::Client> {
      core::Client c;
      c.id = r.text(0);
      RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.name, unsealAt(r, 1, *key, kTable, "name", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.email, unsealAt(r, 2, *key, kTable, "email", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.phone, unsealAt(r, 3, *key, kTable, "phone", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.address, unsealAt(r, 4, *key, kTable, "address", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.notes, unsealAt(r, 5, *key, kTable, "notes", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.created_at, r.timestamp(6, "created_at"));
      RECOURSE_ASSIGN_OR_RETURN(c.updated_at, r.timestamp(7, "updated_at"));
      RECOURSE_ASSIGN_OR_RETURN(c.date_of_birth,
                                unsealAt(r, 8, *key, kTable, "date_of_birth", c.id));
      c.version = r.integer(9);
      return c;
    }();
    if (!one.isOk()) {
      if (!noteDamage(p_, one.status(), "client " + r.text(0))) return one.status();
      continue;
    }
    out.push_back(std::move(one).value());
  }
  return out;
}

// ---- Batch corrections ----------------------------------------------------------------------

}  // namespace recourse::store
