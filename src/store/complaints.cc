#include "store/complaints.h"

#include "core/validation.h"
#include "store/cases.h"
#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {
constexpr char kTable[] = "complaints";
}  // namespace

namespace {
// The columns complaintOf reads, in its order.
constexpr const char* kComplaintColumns =
    "k.id, k.board_id, k.jurisdiction, k.filed_on, k.answers, k.created_at, k.updated_at,"
    " k.version, k.filed_via, k.board_reference";
constexpr size_t kComplaintColumnCount = 10;

// A complaint of `case_id` from a row that starts with kComplaintColumns; its answers and
// the board's reference unsealed with `key`, or left empty (and unread) when there is none.
StatusOr<core::Complaint> complaintOf(const Row& r, const std::string& case_id,
                                      const SecretKey* key) {
  core::Complaint c;
  c.id = r.text(0);
  c.case_id = case_id;
  c.board_id = r.text(1);
  c.jurisdiction = r.text(2);
  RECOURSE_ASSIGN_OR_RETURN(c.filed_on, r.date(3, "filed_on"));
  if (key != nullptr) {
    RECOURSE_ASSIGN_OR_RETURN(c.answers_json, unsealAt(r, 4, *key, kTable, "answers", c.id));
  }
  RECOURSE_ASSIGN_OR_RETURN(c.created_at, r.timestamp(5, "created_at"));
  if (!r.isNull(6)) {
    RECOURSE_ASSIGN_OR_RETURN(c.updated_at, r.timestamp(6, "updated_at"));
  }
  c.version = r.integer(7);
  c.filed_via = r.text(8);
  if (key != nullptr) {
    RECOURSE_ASSIGN_OR_RETURN(c.board_reference,
                              unsealAt(r, 9, *key, kTable, "board_reference", c.id));
  }
  return c;
}
}  // namespace

Query ComplaintsRepo::ofCaseQuery(const std::string& case_id) {
  return {std::string("SELECT ") + kComplaintColumns +
              " FROM complaints k WHERE k.case_id = ? ORDER BY k.rowid LIMIT 1",
          {case_id}};
}

StatusOr<std::optional<core::Complaint>> ComplaintsRepo::ofCase(const std::string& case_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, p_.audit.clientOfCase(case_id));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(client_id));
  const Query q = ofCaseQuery(case_id);
  RECOURSE_ASSIGN_OR_RETURN(auto row, p_.db.firstRow(q.sql, q.args));
  if (!row) return std::optional<core::Complaint>();
  RECOURSE_ASSIGN_OR_RETURN(auto c, complaintOf(*row, case_id, key));
  return std::optional<core::Complaint>(std::move(c));
}

namespace {
constexpr char kEvents[] = "complaint_events";
constexpr const char* kEventColumns =
    "e.id, e.complaint_id, e.case_id, e.type, e.on_date, e.reply_by, e.outcome, e.details,"
    " e.recorded_at, e.version";
// The same with the notes left on the server (NULL reads as "").
constexpr const char* kEventSummaryColumns =
    "e.id, e.complaint_id, e.case_id, e.type, e.on_date, e.reply_by, e.outcome, NULL,"
    " e.recorded_at, e.version";

// An event from a row of kEventColumns, its notes unsealed with `key` (none: left empty).
StatusOr<core::ComplaintEvent> eventOf(const Row& r, const SecretKey* key) {
  core::ComplaintEvent e;
  e.id = r.text(0);
  e.complaint_id = r.text(1);
  e.case_id = r.text(2);
  auto type = core::parseComplaintEvent(r.text(3));
  if (!type) return core::corruption("complaint event " + e.id + ": unknown type");
  e.type = *type;
  RECOURSE_ASSIGN_OR_RETURN(std::optional<core::Date> on, r.date(4, "on_date"));
  if (!on) return core::corruption("complaint event " + e.id + ": no date");
  e.on = *on;
  RECOURSE_ASSIGN_OR_RETURN(e.reply_by, r.date(5, "reply_by"));
  if (!r.isNull(6)) {
    e.outcome = core::parseComplaintOutcome(r.text(6));
    if (!e.outcome) return core::corruption("complaint event " + e.id + ": unknown outcome");
  }
  if (key != nullptr) {
    RECOURSE_ASSIGN_OR_RETURN(e.details, unsealAt(r, 7, *key, kEvents, "details", e.id));
  }
  RECOURSE_ASSIGN_OR_RETURN(e.recorded_at, r.timestamp(8, "recorded_at"));
  e.version = r.integer(9);
  return e;
}

std::vector<Column> eventColumns(const core::ComplaintEvent& e, const SecretKey& key) {
  return {
      {"on_date", e.on.toString()},
      {"reply_by", dateOrNull(e.reply_by)},
      {"outcome", e.outcome ? Value(std::string(core::complaintOutcomeName(*e.outcome))) : Value()},
      {"details", sealedOrNull(key, kEvents, "details", e.id, e.details)}};
}
}  // namespace

std::vector<Query> ComplaintsRepo::filingsQueries(const std::string& client_id) {
  const std::string whose = client_id.empty() ? "c.client_id IN (SELECT client_id FROM key_grants"
                                                " WHERE user_id = ?)"
                                              : "c.client_id = ?";
  const std::vector<Value> args = {client_id.empty() ? p_.keys.me().id : client_id};
  return {
      {std::string("SELECT ") + kComplaintColumns +
           ", k.case_id, c.client_id FROM complaints k JOIN cases c ON c.id = k.case_id WHERE " +
           whose + " ORDER BY k.rowid",
       args},
      {std::string("SELECT ") + kEventSummaryColumns +
           " FROM complaint_events e JOIN cases c ON c.id = e.case_id WHERE " + whose +
           " ORDER BY e.on_date, e.rowid",
       args}};
}

StatusOr<ComplaintsRepo::Filings> ComplaintsRepo::filings(const std::string& client_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const std::vector<Query> q = filingsQueries(client_id);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q[0].sql, q[0].args));
  Filings out;
  for (const auto& r : rows) {
    const std::string case_id = r.text(kComplaintColumnCount);
    if (out.by_case.count(case_id) != 0 || out.unreadable.count(case_id) != 0) {
      continue;  // one per case: the first
    }
    auto one = complaintOf(r, case_id, nullptr);  // where it went and when: no answers
    if (!one.isOk()) {
      if (!noteDamage(p_, one.status(), "the complaint of case " + case_id)) return one.status();
      out.unreadable.insert(case_id);
      continue;
    }
    out.case_client.emplace(case_id, r.text(kComplaintColumnCount + 1));
    out.by_case.emplace(case_id, std::move(one).value());
  }
  // Only the cases' first complaints' events (the only ones a case shows).
  RECOURSE_ASSIGN_OR_RETURN(auto events, p_.db.select(q[1].sql, q[1].args));
  for (const auto& r : events) {
    const std::string case_id = r.text(2);
    auto filed = out.by_case.find(case_id);
    if (filed == out.by_case.end() || filed->second.id != r.text(1)) continue;
    auto e = eventOf(r, nullptr);
    if (!e.isOk()) {
      if (!noteDamage(p_, e.status(), "the complaint of case " + case_id)) return e.status();
      out.unreadable.insert(case_id);
      out.by_case.erase(filed);
      out.events_by_case.erase(case_id);
      continue;
    }
    out.events_by_case[case_id].push_back(std::move(e).value());
  }
  return out;
}

namespace {
// The case and client of complaint `id` (NotFound naming `field` when there is none).
StatusOr<std::pair<std::string, std::string>> complaintOwner(Database& db, const std::string& id,
                                                             const std::string& field) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db.firstRow("SELECT k.case_id, c.client_id FROM complaints k JOIN cases c ON"
                            " c.id = k.case_id WHERE k.id = ?",
                            {id}));
  if (!row) return core::notFound("no complaint with id " + id).withField(field);
  return std::make_pair(row->text(0), row->text(1));
}
}  // namespace

StatusOr<core::ComplaintEvent> ComplaintsRepo::addEvent(const core::ComplaintEvent& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateComplaintEvent(in));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto owner, complaintOwner(p_.db, in.complaint_id, "complaint_id"));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(owner.second));
  core::ComplaintEvent e = in;
  e.id = randomId("ce");
  e.case_id = owner.first;
  e.recorded_at = p_.clock.now();
  e.version = 1;
  std::vector<Column> cols = eventColumns(e, *key);
  cols.push_back({"id", e.id});
  cols.push_back({"complaint_id", e.complaint_id});
  cols.push_back({"case_id", e.case_id});
  cols.push_back({"type", std::string(core::complaintEventName(e.type))});
  cols.push_back({"recorded_at", core::formatTimestamp(e.recorded_at)});
  RECOURSE_RETURN_IF_ERROR(p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(kEvents, cols));
    return p_.audit.append("complaint.event", "complaint", e.complaint_id);
  }));
  return e;
}

StatusOr<core::ComplaintEvent> ComplaintsRepo::updateEvent(const core::ComplaintEvent& in) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(core::ComplaintEvent e, event(in.id));
  // What may change: the day, the reply date, the outcome and the notes; its type stays.
  e.on = in.on;
  e.reply_by = in.reply_by;
  e.outcome = in.outcome;
  e.details = in.details;
  RECOURSE_RETURN_IF_ERROR(core::validateComplaintEvent(e));
  RECOURSE_ASSIGN_OR_RETURN(auto owner, complaintOwner(p_.db, e.complaint_id, "event_id"));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(owner.second));
  Status saved = p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(
        e.version, p_.db.updateVersioned(kEvents, e.id, eventColumns(e, *key), in.version));
    return p_.audit.append("complaint.event.edit", "complaint", e.complaint_id);
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "complaint", e.complaint_id);
  return e;
}

StatusOr<core::ComplaintEvent> ComplaintsRepo::event(const std::string& id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow(std::string("SELECT ") + kEventColumns +
                                   ", c.client_id FROM complaint_events e JOIN cases c ON c.id ="
                                   " e.case_id WHERE e.id = ?",
                               {id}));
  if (!row) return core::notFound("no complaint event with id " + id).withField("event_id");
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(row->text(10)));
  return eventOf(*row, key);
}

StatusOr<std::vector<core::ComplaintEvent>> ComplaintsRepo::events(
    const std::string& complaint_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto owner, complaintOwner(p_.db, complaint_id, "complaint_id"));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(owner.second));
  RECOURSE_ASSIGN_OR_RETURN(auto rows,
                            p_.db.select(std::string("SELECT ") + kEventColumns +
                                             " FROM complaint_events e WHERE e.complaint_id = ?"
                                             " ORDER BY e.on_date, e.rowid",
                                         {complaint_id}));
  std::vector<core::ComplaintEvent> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    RECOURSE_ASSIGN_OR_RETURN(auto e, eventOf(r, key));
    out.push_back(std::move(e));
  }
  return out;
}

Status ComplaintsRepo::deleteEvent(const std::string& id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT complaint_id FROM complaint_events WHERE id = ?", {id}));
  if (!row) return core::notFound("no complaint event with id " + id).withField("event_id");
  const std::string complaint_id = row->text(0);
  return p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.execute("DELETE FROM complaint_events WHERE id = ?", {id}));
    return p_.audit.append("complaint.event.delete", "complaint", complaint_id);
  });
}

StatusOr<core::Complaint> ComplaintsRepo::save(const core::Complaint& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateComplaint(in));
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, p_.audit.clientOfCase(in.case_id));
  RECOURSE_RETURN_IF_ERROR(p_.keys.storedClientKey(client_id).status());  // may they
  core::Complaint c = in;
  // One complaint per case: whether it exists is read and acted on with no other writer of
  // this case's complaint in between (two first saves at once make one complaint).
  Status saved = p_.db.appendingTo("complaint/" + in.case_id, [&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(auto existing, ofCase(in.case_id));
    // The key only now: a key pointer lasts until the next key lookup (ofCase makes one, and
    // another program's commit in between empties the cache it points into).
    RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(client_id));
    c.updated_at = p_.clock.now();
    if (existing) {
      c.id = existing->id;
      c.created_at = existing->created_at;
    } else {
      c.id = randomId("co");
      c.created_at = c.updated_at;
    }
    std::vector<Column> cols = {
        {"board_id", textOrNull(c.board_id)},
        {"jurisdiction", textOrNull(c.jurisdiction)},
        {"filed_on", dateOrNull(c.filed_on)},
        {"filed_via", textOrNull(c.filed_via)},
        {"board_reference", sealedOrNull(*key, kTable, "board_reference", c.id, c.board_reference)},
        {"answers", sealedOrNull(*key, kTable, "answers", c.id, c.answers_json)},
        {"updated_at", core::formatTimestamp(c.updated_at)}};
    return p_.db.inTransaction([&]() -> Status {
      if (existing) {
        RECOURSE_ASSIGN_OR_RETURN(c.version, p_.db.updateVersioned(kTable, c.id, cols, in.version));
        return p_.audit.append("complaint.edit", "complaint", c.id);
      }
      cols.push_back({"id", c.id});
      cols.push_back({"case_id", c.case_id});
      cols.push_back({"created_at", core::formatTimestamp(c.created_at)});
      c.version = 1;
      RECOURSE_RETURN_IF_ERROR(p_.db.insert(kTable, cols));
      return p_.audit.append("complaint.add", "complaint", c.id);
    });
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "complaint", c.id);
  return c;
}

}  // namespace recourse::store
