// Store::copyClientInto: one client's records copied out into a vault of their own.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/date.h"
#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/evidence.h"
#include "store/keyring.h"
#include "store/rekey.h"
#include "store/store.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

// A client's rows of one table, in the target's column order.
struct TableRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// The rows of a table that has no sealed values but belongs to a client's cases.
constexpr ClientTable kTasksDone = {"case_tasks_done", "case_id",
                                    "case_id IN (SELECT id FROM cases WHERE client_id = ?)"};

// A custody entry as the source wrote it.
struct CustodyRow {
  std::string at;
  std::string action;
  std::string evidence_id;
  std::string sha256;
};

size_t indexOf(const std::vector<std::string>& columns, const std::string& name) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  return columns.size();
}

}  // namespace

StatusOr<Store::ClientCopy> Store::copyClientInto(const std::string& client_id, Store& target) {
  if (&target == this) return core::invalidArgument("a client is copied into another vault");
  std::scoped_lock lk(mu_, target.mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  RECOURSE_RETURN_IF_ERROR(target.keys_->requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto exists,
                            db_->firstRow("SELECT id FROM clients WHERE id = ?", {client_id}));
  if (!exists) return core::notFound("no client with id " + client_id).withField("client_id");
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  // Giving someone all of a person's records to take away is for the person (or whoever
  // keeps their records) to decide, as deleting them is: not for everyone who may open them.
  if (!keys_->grants().mayGive(keys_->me(), client_id, true).isOk()) {
    return core::permissionDenied(
               "only the person themself, or whoever keeps their records, can have all of them "
               "copied out")
        .withField("client_id")
        .withReason("may_not_hand_over");
  }
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, keys_->clientKey(client_id));
  const SecretKey old_key = keyp->copy();  // the pointer lasts only until the next lookup
  RECOURSE_ASSIGN_OR_RETURN(auto held, target.db_->firstRow("SELECT count(*) FROM clients"));
  if (!held || held->integer(0) != 0) {
    return core::conflict("the vault to copy into holds records already; nothing was copied");
  }

  // Everything of the client's, as one moment saw it.
  std::vector<TableRows> tables;
  std::vector<CustodyRow> custody;
  ClientCopy out;
  std::vector<ClientTable> wanted = clientTables();
  wanted.push_back(kTasksDone);
  RECOURSE_RETURN_IF_ERROR(db_->readSnapshot([&]() -> Status {
    // The key read above is still the one the records are sealed under (someone's access
    // taken away meanwhile seals them again under a new one).
    RECOURSE_RETURN_IF_ERROR(keys_->checkKeyCurrent(client_id));
    // The evidence's history is carried only when it can be vouched for.
    RECOURSE_ASSIGN_OR_RETURN(auto custody_check, evidence_->checkCustodyLog());
    if (!custody_check.problems.empty()) {
      return core::corruption("the custody log does not verify (" + custody_check.problems.front() +
                              "), so a copy could not vouch for the evidence's history; nothing "
                              "was copied. recourse evidence verify says more");
    }
    for (const ClientTable& t : wanted) {
      TableRows rows;
      rows.table = t.table;
      RECOURSE_ASSIGN_OR_RETURN(rows.columns, target.db_->columnsOf(rows.table));
      std::string sql = "SELECT ";
      for (size_t i = 0; i < rows.columns.size(); ++i) {
        sql += (i > 0 ? ", " : "") + rows.columns[i];
      }
      sql += " FROM " + rows.table + " WHERE " + t.where + " ORDER BY rowid";
      RECOURSE_ASSIGN_OR_RETURN(auto read, db_->select(sql, {client_id}));
      for (const auto& row : read) {
        std::vector<Value> values;
        values.reserve(rows.columns.size());
        for (size_t i = 0; i < rows.columns.size(); ++i) values.push_back(row.value(i));
        rows.rows.push_back(std::move(values));
      }
      out.rows[rows.table] = static_cast<long long>(rows.rows.size());
      tables.push_back(std::move(rows));
    }
    RECOURSE_ASSIGN_OR_RETURN(
        auto entries,
        db_->select("SELECT at, action, evidence_id, sha256 FROM custody_log WHERE evidence_id IN "
                    "(SELECT id FROM evidence WHERE case_id IN "
                    "(SELECT id FROM cases WHERE client_id = ?)) ORDER BY seq",
                    {client_id}));
    for (const auto& e : entries) {
      custody.push_back({e.text(0), e.text(1), e.text(2), e.text(3)});
    }
    return Status::ok();
  }));

  // The person's own account owns the copy: the client is theirs, under key version 1.
  const Account me = target.keys_->me();
  std::map<std::string, std::string> evidence_hash;
  for (auto& t : tables) {
    if (t.table == "clients") {
      const size_t version = indexOf(t.columns, "key_version");
      const size_t by = indexOf(t.columns, "created_by");
      for (auto& row : t.rows) {
        if (version < row.size()) row[version] = 1LL;
        if (by < row.size()) row[by] = me.id;
      }
    }
    if (t.table == "evidence") {
      const size_t id = indexOf(t.columns, "id");
      const size_t hash = indexOf(t.columns, "sha256");
      if (id == t.columns.size() || hash == t.columns.size()) {
        return core::internalError("the evidence table has no id or sha256 column");
      }
      for (const auto& row : t.rows) {
        const auto* id_text = std::get_if<std::string>(&row[id]);
        const auto* hash_text = std::get_if<std::string>(&row[hash]);
        if (id_text == nullptr || hash_text == nullptr) {
          return core::corruption("an evidence record of client " + client_id +
                                  " has no id or fingerprint; nothing was copied");
        }
        evidence_hash[*id_text] = *hash_text;
      }
    }
  }

  const std::string now = core::formatTimestamp(clock_.now());
  const SecretKey new_key = SecretKey::random();
  RECOURSE_RETURN_IF_ERROR(target.db_->inTransaction([&]() -> Status {
    for (const auto& t : tables) {
      if (t.rows.empty()) continue;
      RECOURSE_RETURN_IF_ERROR(
          target.db_->insertMany(t.table, t.columns, t.rows).withContext("copying " + t.table));
    }
    RECOURSE_RETURN_IF_ERROR(resealClient(*target.db_, client_id, old_key, new_key).status());
    Grants& grants = target.keys_->grants();
    RECOURSE_RETURN_IF_ERROR(grants.insert(
        grants.make(client_id, 1, new_key, me, "creator", me, target.keys_->mySeed(), {}, now)));
    for (const auto& c : custody) {
      RECOURSE_RETURN_IF_ERROR(
          target.evidence_->carryCustody(c.at, c.action, c.evidence_id, c.sha256));
    }
    for (const auto& [id, hash] : evidence_hash) {
      RECOURSE_RETURN_IF_ERROR(target.evidence_->carryCustody(now, "handover", id, hash));
    }
    return target.audit_->append("client.received", "client", client_id, client_id);
  }));
  target.keys_->forgetClientKey(client_id);
  out.evidence = std::move(evidence_hash);
  out.at = now;
  return out;
}

Status Store::noteHandedOver(const std::string& client_id, const ClientCopy& copy) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  return db_->inTransaction([&]() -> Status {
    for (const auto& [id, hash] : copy.evidence) {
      RECOURSE_RETURN_IF_ERROR(evidence_->carryCustody(copy.at, "handover", id, hash));
    }
    return audit_->append("client.handover", "client", client_id, client_id);
  });
}

}  // namespace recourse::store
