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
    " k.version";

// A complaint of `case_id` from a row that starts with kComplaintColumns; its answers
// unsealed with `key`, or left empty (and unread) when there is none.
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
  return c;
}
}  // namespace

StatusOr<std::optional<core::Complaint>> ComplaintsRepo::ofCase(const std::string& case_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, clientOfCase(p_.db, case_id));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(client_id));
  RECOURSE_ASSIGN_OR_RETURN(
      auto row,
      p_.db.firstRow(std::string("SELECT ") + kComplaintColumns +
                         " FROM complaints k WHERE k.case_id = ? ORDER BY k.rowid LIMIT 1",
                     {case_id}));
  if (!row) return std::optional<core::Complaint>();
  RECOURSE_ASSIGN_OR_RETURN(auto c, complaintOf(*row, case_id, key));
  return std::optional<core::Complaint>(std::move(c));
}

StatusOr<ComplaintsRepo::Filings> ComplaintsRepo::filings(const std::string& client_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(
      auto rows,
      p_.db.select(std::string("SELECT ") + kComplaintColumns +
                       ", k.case_id, c.client_id FROM complaints k JOIN cases c ON c.id = "
                       "k.case_id WHERE " +
                       (client_id.empty() ? "c.client_id IN (SELECT client_id FROM key_grants"
                                            " WHERE user_id = ?)"
                                          : "c.client_id = ?") +
                       " ORDER BY k.rowid",
                   {client_id.empty() ? p_.keys.me().id : client_id}));
  Filings out;
  for (const auto& r : rows) {
    const std::string case_id = r.text(8);
    if (out.by_case.count(case_id) != 0 || out.unreadable.count(case_id) != 0) {
      continue;  // one per case: the first
    }
    auto one = complaintOf(r, case_id, nullptr);  // where it went and when: no answers
    if (!one.isOk()) {
      if (!noteDamage(p_, one.status(), "the complaint of case " + case_id)) return one.status();
      out.unreadable.insert(case_id);
      continue;
    }
    out.case_client.emplace(case_id, r.text(9));
    out.by_case.emplace(case_id, std::move(one).value());
  }
  return out;
}

StatusOr<core::Complaint> ComplaintsRepo::save(const core::Complaint& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateComplaint(in));
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, clientOfCase(p_.db, in.case_id));
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
