#include "store/requests.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/validation.h"
#include "store/cases.h"
#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {
constexpr char kTable[] = "records_requests";
constexpr char kEvents[] = "request_events";

Value replyDays(const core::RequestEvent& e) {
  if (e.reply_within_days <= 0) return std::monostate{};
  return static_cast<long long>(e.reply_within_days);
}

// The columns add() and update() write, sealed under `key`.
std::vector<Column> requestColumns(const SecretKey& key, const core::RecordsRequest& r) {
  const std::string& id = r.id;
  return {{"custodian_name", sealedValue(key, kTable, "custodian_name", id, r.custodian_name)},
          {"custodian_address",
           sealedOrNull(key, kTable, "custodian_address", id, r.custodian_address)},
          {"custodian_email", sealedOrNull(key, kTable, "custodian_email", id, r.custodian_email)},
          {"jurisdiction", textOrNull(r.jurisdiction)},
          {"reference", sealedOrNull(key, kTable, "reference", id, r.reference)},
          {"answers", sealedOrNull(key, kTable, "answers", id, r.answers_json)},
          {"kind", std::string(core::requestKindName(r.kind))}};
}
}  // namespace

StatusOr<core::RecordsRequest> RequestsRepo::add(const core::RecordsRequest& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateRecordsRequest(in));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  core::RecordsRequest r = in;
  r.id = randomId("rq");
  r.created_at = p_.clock.now();
  r.version = 1;
  std::string client_id;
  if (const AuditTrail::Owner* made = p_.audit.knownOwner("case", r.case_id)) {
    client_id = made->client_id;  // a case made in this transaction (a batch's row)
  } else {
    RECOURSE_ASSIGN_OR_RETURN(client_id, p_.audit.clientOfCase(r.case_id));
  }
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, p_.keys.storedClientKey(client_id));
  const SecretKey& key = *keyp;
  const std::string& id = r.id;
  std::vector<Column> cols = requestColumns(key, r);
  cols.push_back({"id", id});
  cols.push_back({"case_id", r.case_id});
  cols.push_back({"created_at", core::formatTimestamp(r.created_at)});
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(kTable, cols));
    p_.audit.noteOwner("request", id, client_id, r.case_id);
    return p_.audit.append("request.add", "request", id);
  }));
  return r;
}

StatusOr<core::RecordsRequest> RequestsRepo::update(const core::RecordsRequest& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateRecordsRequest(in));
  RECOURSE_ASSIGN_OR_RETURN(core::RecordsRequest before, get(in.id));
  core::RecordsRequest r = in;
  r.case_id = before.case_id;
  r.created_at = before.created_at;
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(r.id));
  std::vector<Column> cols = requestColumns(*key, r);
  Status saved = p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(r.version,
                              p_.db.updateVersioned(kTable, r.id, std::move(cols), in.version));
    return p_.audit.append("request.edit", "request", r.id);
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "request", r.id);
  return r;
}

StatusOr<core::RequestEvent> RequestsRepo::updateEvent(const core::RequestEvent& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateRequestEvent(in));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT request_id, type, recorded_at FROM request_events"
                               " WHERE id = ?",
                               {in.id}));
  if (!row) return core::notFound("no request event with id " + in.id).withField("event_id");
  core::RequestEvent e = in;
  e.request_id = row->text(0);
  auto type = core::parseRequestEvent(row->text(1));
  if (!type) return core::corruption("request event " + e.id + ": unknown type");
  e.type = *type;
  RECOURSE_ASSIGN_OR_RETURN(e.recorded_at, row->timestamp(2, "recorded_at"));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(e.request_id));
  std::vector<Column> cols = {{"on_date", e.on.toString()},
                              {"via", textOrNull(e.via)},
                              {"details", sealedOrNull(*key, kEvents, "details", e.id, e.details)},
                              {"reply_within_days", replyDays(e)}};
  // An event's changes are logged against its request (request.event.edit).
  Status saved = p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(e.version,
                              p_.db.updateVersioned(kEvents, e.id, std::move(cols), in.version));
    return p_.audit.append("request.event.edit", "request", e.request_id);
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "request", e.request_id);
  return e;
}

StatusOr<core::RequestEvent> RequestsRepo::getEvent(const std::string& id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT request_id FROM request_events WHERE id = ?", {id}));
  if (!row) return core::notFound("no request event with id " + id).withField("event_id");
  RECOURSE_ASSIGN_OR_RETURN(auto all, listEvents(row->text(0)));
  for (auto& e : all) {
    if (e.id == id) return std::move(e);
  }
  return core::notFound("no request event with id " + id).withField("event_id");
}

Status RequestsRepo::deleteEvent(const std::string& id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT request_id FROM request_events WHERE id = ?", {id}));
  if (!row) return core::notFound("no request event with id " + id).withField("event_id");
  const std::string request_id = row->text(0);
  return p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM request_events WHERE id = ?", {id}));
    return p_.audit.append("request.event.delete", "request", request_id);
  });
}

StatusOr<core::RecordsRequest> RequestsRepo::get(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto all, read("r.id = ?", id));
  if (all.empty())
    return core::notFound("no records request with id " + id).withField("request_id");
  return all.front();
}

StatusOr<std::vector<core::RecordsRequest>> RequestsRepo::list(const std::string& case_id,
                                                               bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  if (case_id.empty()) {
    // Every request of every client the unlocked account may open, and, where the engine
    // does not keep references itself (Database::referencesEnforced), any whose case is
    // gone, which is damage to report (looking for those takes a pass over every request).
    const std::string mine = "c.client_id IN (SELECT client_id FROM key_grants WHERE user_id = ?)";
    return readAll(readQuery(p_.db.referencesEnforced() ? mine : "c.client_id IS NULL OR " + mine,
                             p_.keys.me().id, all_fields),
                   all_fields);
  }
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, p_.audit.clientOfCase(case_id));
  return readAll(caseQuery(case_id, all_fields), all_fields);
}

namespace {
// The columns requestOf reads (kRequestColumnCount of them): a summary leaves the fields it
// does not unseal on the server.
std::string requestColumnList(bool all_fields) {
  return std::string("r.id, r.case_id, c.client_id, r.custodian_name, ") +
         (all_fields ? "r.custodian_address, r.custodian_email" : "NULL, NULL") +
         ", r.jurisdiction, " + (all_fields ? "r.reference, r.answers" : "NULL, NULL") +
         ", r.created_at, r.kind, r.version";
}
constexpr size_t kRequestColumnCount = 12;
}  // namespace

Query RequestsRepo::readQuery(const std::string& where, const std::string& arg, bool all_fields) {
  // LEFT JOIN: a request whose case is gone is damage to report, not a missing request.
  std::string sql = "SELECT " + requestColumnList(all_fields) +
                    " FROM records_requests r LEFT JOIN cases c ON c.id = r.case_id";
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY r.rowid";
  // `arg` for each placeholder.
  const std::vector<Value> args(static_cast<size_t>(std::count(where.begin(), where.end(), '?')),
                                Value(arg));
  return {sql, args};
}

StatusOr<std::vector<core::RecordsRequest>> RequestsRepo::read(const std::string& where,
                                                               const std::string& arg,
                                                               bool all_fields) {
  return readAll(readQuery(where, arg, all_fields), all_fields);
}

StatusOr<std::vector<core::RecordsRequest>> RequestsRepo::readAll(const Query& q, bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  std::vector<core::RecordsRequest> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    auto one = requestOf(row, all_fields);
    if (!one.isOk()) {
      if (!noteDamage(p_, one.status(), "request " + row.text(0))) return one.status();
      continue;
    }
    out.push_back(std::move(one).value());
  }
  return out;
}

StatusOr<core::RecordsRequest> RequestsRepo::requestOf(const Row& row, bool all_fields) {
  core::RecordsRequest r;
  r.id = row.text(0);
  r.case_id = row.text(1);
  if (row.isNull(2)) return core::corruption("request " + r.id + ": its case is missing");
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key,
                            p_.keys.storedClientKeyAt(row.view(2).value_or(std::string_view())));
  const SecretKey& k = *key;
  RECOURSE_ASSIGN_OR_RETURN(r.custodian_name, unsealAt(row, 3, k, kTable, "custodian_name", r.id));
  r.jurisdiction = row.text(6);
  if (all_fields) {
    RECOURSE_ASSIGN_OR_RETURN(r.custodian_address,
                              unsealAt(row, 4, k, kTable, "custodian_address", r.id));
    RECOURSE_ASSIGN_OR_RETURN(r.custodian_email,
                              unsealAt(row, 5, k, kTable, "custodian_email", r.id));
    RECOURSE_ASSIGN_OR_RETURN(r.reference, unsealAt(row, 7, k, kTable, "reference", r.id));
    RECOURSE_ASSIGN_OR_RETURN(r.answers_json, unsealAt(row, 8, k, kTable, "answers", r.id));
  }
  RECOURSE_ASSIGN_OR_RETURN(r.created_at, row.timestamp(9, "created_at"));
  auto kind = core::parseRequestKind(row.text(10));
  if (!kind) return core::corruption("request " + r.id + ": unknown kind \"" + row.text(10) + "\"");
  r.kind = *kind;
  r.version = row.integer(11);
  return r;
}

StatusOr<const SecretKey*> RequestsRepo::keyOfRequest(const std::string& request_id,
                                                      std::string* case_id) {
  if (const AuditTrail::Owner* made = p_.audit.knownOwner("request", request_id)) {
    if (case_id != nullptr) *case_id = made->case_id;  // made in this transaction
    return p_.keys.storedClientKey(made->client_id);
  }
  RECOURSE_ASSIGN_OR_RETURN(auto owner,
                            p_.db.firstRow("SELECT c.client_id, r.case_id FROM records_requests r"
                                           " LEFT JOIN cases c ON c.id = r.case_id WHERE r.id = ?",
                                           {request_id}));
  if (!owner) {
    return core::notFound("no records request with id " + request_id).withField("request_id");
  }
  if (owner->isNull(0)) return core::corruption("request " + request_id + ": its case is missing");
  if (case_id != nullptr) *case_id = owner->text(1);
  return p_.keys.storedClientKey(owner->text(0));
}

StatusOr<core::RequestEvent> RequestsRepo::addEvent(const core::RequestEvent& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateRequestEvent(in));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  core::RequestEvent e = in;
  e.id = randomId("ev");
  e.recorded_at = p_.clock.now();
  e.version = 1;
  std::string case_id;
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(e.request_id, &case_id));
  std::vector<Column> cols = {{"id", e.id},
                              {"request_id", e.request_id},
                              {"case_id", case_id},
                              {"type", std::string(core::requestEventName(e.type))},
                              {"on_date", e.on.toString()},
                              {"via", textOrNull(e.via)},
                              {"details", sealedOrNull(*key, kEvents, "details", e.id, e.details)},
                              {"recorded_at", core::formatTimestamp(e.recorded_at)},
                              {"reply_within_days", replyDays(e)}};
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(kEvents, cols));
    return p_.audit.append("request.event", "request", e.request_id);
  }));
  return e;
}

namespace {
constexpr const char* kEventColumns =
    "e.id, e.type, e.on_date, e.via, e.details, e.recorded_at, e.reply_within_days, e.version";
// The same with the details left on the server (NULL reads as "").
constexpr const char* kEventSummaryColumns =
    "e.id, e.type, e.on_date, e.via, NULL, e.recorded_at, e.reply_within_days, e.version";

// An event from the columns of `r` from `at` on (kEventColumns), its details unsealed with
// `key`.
StatusOr<core::RequestEvent> eventOf(const Row& r, const SecretKey& key,
                                     const std::string& request_id, size_t at = 0) {
  core::RequestEvent e;
  e.id = r.text(at);
  e.request_id = request_id;
  auto type = core::parseRequestEvent(r.text(at + 1));
  if (!type) return core::corruption("request event " + e.id + ": unknown type");
  e.type = *type;
  RECOURSE_ASSIGN_OR_RETURN(std::optional<core::Date> on, r.date(at + 2, "on_date"));
  if (!on) return core::corruption("request event " + e.id + ": no date");
  e.on = *on;
  e.via = r.text(at + 3);
  RECOURSE_ASSIGN_OR_RETURN(e.details, unsealAt(r, at + 4, key, kEvents, "details", e.id));
  RECOURSE_ASSIGN_OR_RETURN(e.recorded_at, r.timestamp(at + 5, "recorded_at"));
  e.reply_within_days = static_cast<int>(r.integer(at + 6));
  e.version = r.integer(at + 7);
  return e;
}
constexpr size_t kEventColumnCount = 8;

// By day, then in the order recorded (`place`: each event's rowid), as listEvents orders them.
void putInOrder(std::vector<std::pair<long long, core::RequestEvent>>& events) {
  std::sort(events.begin(), events.end(), [](const auto& x, const auto& y) {
    if (x.second.on != y.second.on) return x.second.on < y.second.on;
    return x.first < y.first;
  });
}
}  // namespace

StatusOr<std::vector<core::RequestEvent>> RequestsRepo::listEvents(const std::string& request_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(request_id));
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(std::string("SELECT ") + kEventColumns +
                                                        " FROM request_events e WHERE "
                                                        "e.request_id = ? ORDER BY e.on_date, "
                                                        "e.rowid",
                                                    {request_id}));
  std::vector<core::RequestEvent> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    RECOURSE_ASSIGN_OR_RETURN(auto e, eventOf(r, *key, request_id));
    out.push_back(std::move(e));
  }
  return out;
}

Query RequestsRepo::allEventsQuery(const std::string& client_id, const std::string& case_id,
                                   bool all_fields) {
  // Found from their cases (each event names its request's case): one index range per case.
  std::string sql = std::string("SELECT ") + (all_fields ? kEventColumns : kEventSummaryColumns) +
                    ", e.request_id, e.case_id, c.client_id FROM request_events e"
                    " JOIN cases c ON c.id = e.case_id WHERE ";
  std::string arg;
  if (!case_id.empty()) {
    sql += "e.case_id = ?";
    arg = case_id;
  } else if (!client_id.empty()) {
    sql += "c.client_id = ?";
    arg = client_id;
  } else {
    // Anchored on the account's cases, so that the planner walks from them through the
    // indexes rather than scanning every case (it does, joined the other way round, once
    // there are 100,000 of them).
    sql +=
        "e.case_id IN (SELECT c2.id FROM cases c2 WHERE c2.client_id IN"
        " (SELECT client_id FROM key_grants WHERE user_id = ?))";
    arg = p_.keys.me().id;
  }
  sql += " ORDER BY e.rowid";  // each request's put in date order below
  return {sql, {arg}};
}

StatusOr<RequestsRepo::AllEvents> RequestsRepo::listAllEvents(const std::string& client_id,
                                                              const std::string& case_id,
                                                              bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const Query q = allEventsQuery(client_id, case_id, all_fields);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  AllEvents out;
  for (const auto& r : rows) {
    const std::string request_id = r.text(8);
    out.case_client.emplace(r.text(9), r.text(10));
    if (out.unreadable.count(request_id) != 0) continue;
    auto e = [&]() -> StatusOr<core::RequestEvent> {
      RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key,
                                p_.keys.storedClientKeyAt(r.view(10).value_or(std::string_view())));
      return eventOf(r, *key, request_id);
    }();
    if (!e.isOk()) {
      if (e.status().code() != core::StatusCode::kCorruption) return e.status();
      // A history with an event that does not read is left out whole, named once.
      out.unreadable.emplace(
          request_id, "the history of request " + request_id + " (" + e.status().message() + ")");
      out.by_request.erase(request_id);
      continue;
    }
    out.by_request[request_id].push_back(std::move(e).value());
  }
  // As listEvents orders them: by day, then in the order they were recorded.
  for (auto& [request, list] : out.by_request) {
    std::stable_sort(
        list.begin(), list.end(),
        [](const core::RequestEvent& a, const core::RequestEvent& b) { return a.on < b.on; });
  }
  return out;
}

Query RequestsRepo::underWayQuery(const std::string& client_id, bool all_fields) {
  // One row per event, with its request's columns: the requests under way are those with a
  // history, and reading both at once takes the server half the time of reading the requests
  // and then the histories (which it found from the same cases).
  std::string sql = "SELECT " + requestColumnList(all_fields) + ", " +
                    (all_fields ? kEventColumns : kEventSummaryColumns) + ", r.rowid, e.rowid ";
  const std::string whose =
      client_id.empty() ? "c.client_id IN (SELECT client_id FROM key_grants WHERE user_id = ?)"
                        : "c.client_id = ?";
  if (p_.db.referencesEnforced()) {
    // From the account's cases through the indexes, not through every request.
    sql +=
        "FROM cases c JOIN request_events e ON e.case_id = c.id JOIN records_requests r ON"
        " r.id = e.request_id AND r.case_id = c.id WHERE " +
        whose;
  } else {
    // A request whose case is gone is damage to report, not a request to leave out.
    sql +=
        "FROM request_events e JOIN records_requests r ON r.id = e.request_id LEFT JOIN cases c"
        " ON c.id = r.case_id WHERE " +
        (client_id.empty() ? "c.client_id IS NULL OR " + whose : whose);
  }
  return {sql, {client_id.empty() ? p_.keys.me().id : client_id}};
}

StatusOr<RequestsRepo::UnderWay> RequestsRepo::underWay(const std::string& client_id,
                                                        bool all_fields) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const Query q = underWayQuery(client_id, all_fields);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  constexpr size_t kRequestRowid = kRequestColumnCount + kEventColumnCount;
  UnderWay out;
  // Each request once (at its rowid), whether it read or not; each history with its events'
  // rowids, put in order at the end.
  std::map<long long, std::optional<core::RecordsRequest>> requests;
  std::unordered_map<std::string, std::vector<std::pair<long long, core::RequestEvent>>> events;
  for (const auto& row : rows) {
    const long long place = row.integer(kRequestRowid);
    auto [seen, first] = requests.try_emplace(place);
    if (first) {
      auto one = requestOf(row, all_fields);
      if (!one.isOk()) {
        if (!noteDamage(p_, one.status(), "request " + row.text(0))) return one.status();
        continue;
      }
      seen->second = std::move(one).value();
      out.histories.case_client.emplace(seen->second->case_id, row.text(2));
    }
    if (!seen->second) continue;  // its request does not read (named above)
    const core::RecordsRequest& r = *seen->second;
    if (out.histories.unreadable.count(r.id) != 0) continue;
    auto e = [&]() -> StatusOr<core::RequestEvent> {
      RECOURSE_ASSIGN_OR_RETURN(
          const SecretKey* key,
          p_.keys.storedClientKeyAt(row.view(2).value_or(std::string_view())));
      return eventOf(row, *key, r.id, kRequestColumnCount);
    }();
    if (!e.isOk()) {
      if (e.status().code() != core::StatusCode::kCorruption) return e.status();
      // A history with an event that does not read is left out whole, named once.
      out.histories.unreadable.emplace(
          r.id, "the history of request " + r.id + " (" + e.status().message() + ")");
      events.erase(r.id);
      continue;
    }
    events[r.id].emplace_back(row.integer(kRequestRowid + 1), std::move(e).value());
  }
  out.requests.reserve(requests.size());
  out.places.reserve(requests.size());
  for (auto& [place, r] : requests) {
    if (!r) continue;
    out.requests.push_back(std::move(*r));
    out.places.push_back(place);
  }
  out.histories.by_request.reserve(events.size());
  for (auto& [request, list] : events) {
    putInOrder(list);
    auto& ordered = out.histories.by_request[request];
    ordered.reserve(list.size());
    for (auto& [place, e] : list) ordered.push_back(std::move(e));
  }
  return out;
}

// ---- Batch corrections ----------------------------------------------------------------------

}  // namespace recourse::store
