#include "store/cases.h"

#include "core/validation.h"
#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr char kProviders[] = "providers";
constexpr char kCases[] = "cases";

// The therapist's details, as add and update write them.
std::vector<Column> providerColumns(const SecretKey& key, const core::Provider& p) {
  const std::string& pid = p.id;
  return {
      {"name", sealedValue(key, kProviders, "name", pid, p.name)},
      {"credentials", sealedOrNull(key, kProviders, "credentials", pid, p.credentials)},
      {"license_type", textOrNull(p.license_type)},
      {"license_number", sealedOrNull(key, kProviders, "license_number", pid, p.license_number)},
      {"jurisdiction", textOrNull(p.jurisdiction)},
      {"practice", sealedOrNull(key, kProviders, "practice", pid, p.practice)},
      {"address", sealedOrNull(key, kProviders, "address", pid, p.address)},
      {"email", sealedOrNull(key, kProviders, "email", pid, p.email)},
      {"phone", sealedOrNull(key, kProviders, "phone", pid, p.phone)}};
}

// The case's own details, as add and update write them.
std::vector<Column> caseColumns(const SecretKey& key, const core::Case& c) {
  return {{"title", sealedOrNull(key, kCases, "title", c.id, c.title)},
          {"treatment_start", dateOrNull(c.treatment_start)},
          {"treatment_end", dateOrNull(c.treatment_end)},
          {"notes", sealedOrNull(key, kCases, "notes", c.id, c.notes)}};
}

}  // namespace

StatusOr<core::Case> CasesRepo::add(const core::Case& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateCase(in));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  core::Case c = in;
  c.id = randomId("cs");
  c.provider.id = randomId("pv");
  c.provider.client_id = c.client_id;
  c.created_at = c.updated_at = p_.clock.now();
  c.version = 1;
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, p_.keys.clientKey(c.client_id));
  const SecretKey& key = *keyp;
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    const std::string& pid = c.provider.id;
    const std::string now_text = core::formatTimestamp(c.created_at);
    std::vector<Column> provider = {{"id", pid}, {"client_id", c.client_id}};
    for (auto& col : providerColumns(key, c.provider)) provider.push_back(std::move(col));
    provider.push_back({"created_at", now_text});
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(kProviders, provider));
    std::vector<Column> kase = {{"id", c.id}, {"client_id", c.client_id}, {"provider_id", pid}};
    for (auto& col : caseColumns(key, c)) kase.push_back(std::move(col));
    kase.push_back({"created_at", now_text});
    kase.push_back({"updated_at", now_text});
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(kCases, kase));
    p_.audit.noteOwner("case", c.id, c.client_id);
    return p_.audit.append("case.add", "case", c.id);
  }));
  return c;
}

StatusOr<core::Case> CasesRepo::update(const core::Case& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateCase(in));
  RECOURSE_ASSIGN_OR_RETURN(core::Case before, get(in.id));
  core::Case c = in;
  c.client_id = before.client_id;
  c.provider.id = before.provider.id;
  c.provider.client_id = before.client_id;
  c.created_at = before.created_at;
  c.updated_at = p_.clock.now();
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, p_.keys.storedClientKey(c.client_id));
  const SecretKey& key = *keyp;
  std::vector<Column> provider = providerColumns(key, c.provider);
  std::vector<Column> kase = caseColumns(key, c);
  kase.push_back({"updated_at", core::formatTimestamp(c.updated_at)});
  // The case's version covers its therapist too (one page edits both).
  Status saved = p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(c.version,
                              p_.db.updateVersioned(kCases, c.id, std::move(kase), in.version));
    RECOURSE_RETURN_IF_ERROR(p_.db.update(kProviders, c.provider.id, std::move(provider)));
    return p_.audit.append("case.edit", "case", c.id);
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "case", c.id);
  return c;
}

StatusOr<core::Case> CasesRepo::get(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto all, read("cases.id = ?", id));
  if (all.empty()) return core::notFound("no case with id " + id).withField("case_id");
  return all.front();
}

namespace {
constexpr char kMine[] = "cases.client_id IN (SELECT client_id FROM key_grants WHERE user_id = ?)";
}  // namespace

Query CasesRepo::listQuery(bool all_fields) {
  return readQuery(kMine, p_.keys.me().id, all_fields);
}

StatusOr<std::vector<core::Case>> CasesRepo::list(const std::string& client_id, bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  // Every case of every client the unlocked account may open.
  if (client_id.empty()) return read(kMine, p_.keys.me().id, all_fields);
  RECOURSE_RETURN_IF_ERROR(clients_.requireExists(client_id));
  return read("cases.client_id = ?", client_id, all_fields);
}

Query CasesRepo::readQuery(const std::string& where, const std::string& arg, bool all_fields) {
  // LEFT JOIN: a case whose provider row is gone is damage to report, not a missing case.
  // A summary leaves the fields it does not unseal on the server (NULL reads as "").
  std::string sql =
      std::string(
          "SELECT cases.id, cases.client_id, cases.title, cases.treatment_start,"
          " cases.treatment_end, ") +
      (all_fields ? "cases.notes" : "NULL") +
      ", cases.created_at, cases.updated_at, p.id, p.name, " +
      (all_fields ? "p.credentials" : "NULL") + ", p.license_type, " +
      (all_fields ? "p.license_number" : "NULL") + ", p.jurisdiction, " +
      (all_fields ? "p.practice, p.address, p.email, p.phone" : "NULL, NULL, NULL, NULL") +
      ", cases.version FROM cases LEFT JOIN providers p ON p.id = cases.provider_id";
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY cases.rowid";
  if (where.empty()) return {sql, {}};
  return {sql, {arg}};
}

StatusOr<std::vector<core::Case>> CasesRepo::read(const std::string& where, const std::string& arg,
                                                  bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const Query q = readQuery(where, arg, all_fields);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  std::vector<core::Case> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    auto one = [&]() -> StatusOr<core::Case> {
      core::Case c;
      c.id = r.text(0);
      c.client_id = r.text(1);
      if (r.isNull(8)) return core::corruption("case " + c.id + ": its provider is missing");
      RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(c.client_id));
      RECOURSE_ASSIGN_OR_RETURN(c.title, unsealAt(r, 2, *key, "cases", "title", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.treatment_start, r.date(3, "treatment_start"));
      RECOURSE_ASSIGN_OR_RETURN(c.treatment_end, r.date(4, "treatment_end"));
      RECOURSE_ASSIGN_OR_RETURN(c.notes, unsealAt(r, 5, *key, "cases", "notes", c.id));
      RECOURSE_ASSIGN_OR_RETURN(c.created_at, r.timestamp(6, "created_at"));
      RECOURSE_ASSIGN_OR_RETURN(c.updated_at, r.timestamp(7, "updated_at"));
      core::Provider& p = c.provider;
      const char* pt = "providers";
      p.id = r.text(8);
      p.client_id = c.client_id;
      RECOURSE_ASSIGN_OR_RETURN(p.name, unsealAt(r, 9, *key, pt, "name", p.id));
      RECOURSE_ASSIGN_OR_RETURN(p.credentials, unsealAt(r, 10, *key, pt, "credentials", p.id));
      p.license_type = r.text(11);
      RECOURSE_ASSIGN_OR_RETURN(p.license_number,
                                unsealAt(r, 12, *key, pt, "license_number", p.id));
      p.jurisdiction = r.text(13);
      RECOURSE_ASSIGN_OR_RETURN(p.practice, unsealAt(r, 14, *key, pt, "practice", p.id));
      RECOURSE_ASSIGN_OR_RETURN(p.address, unsealAt(r, 15, *key, pt, "address", p.id));
      RECOURSE_ASSIGN_OR_RETURN(p.email, unsealAt(r, 16, *key, pt, "email", p.id));
      RECOURSE_ASSIGN_OR_RETURN(p.phone, unsealAt(r, 17, *key, pt, "phone", p.id));
      c.version = r.integer(18);
      return c;
    }();
    if (!one.isOk()) {
      if (!noteDamage(p_, one.status(), "case " + r.text(0))) return one.status();
      continue;
    }
    out.push_back(std::move(one).value());
  }
  return out;
}

Status CasesRepo::markTaskDone(const std::string& case_id, const std::string& task, bool done) {
  RECOURSE_ASSIGN_OR_RETURN(auto found,
                            p_.db.firstRow("SELECT id FROM cases WHERE id = ?", {case_id}));
  if (!found) return core::notFound("no case with id " + case_id).withField("case_id");
  return p_.db.inTransaction([&]() -> Status {
    if (done) {
      RECOURSE_RETURN_IF_ERROR(
          p_.db.execute("INSERT INTO case_tasks_done (case_id, task, marked_at) VALUES (?, ?, ?) "
                        "ON CONFLICT DO NOTHING",
                        {case_id, task, core::formatTimestamp(p_.clock.now())}));
    } else {
      RECOURSE_RETURN_IF_ERROR(p_.db.execute(
          "DELETE FROM case_tasks_done WHERE case_id = ? AND task = ?", {case_id, task}));
    }
    return p_.audit.append("case.task", "case", case_id);
  });
}

StatusOr<std::vector<std::string>> CasesRepo::tasksDone(const std::string& case_id) {
  const Query q = tasksDoneQuery(case_id);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace recourse::store
