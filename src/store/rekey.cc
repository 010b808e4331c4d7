#include "store/rekey.h"

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

const std::vector<ClientTable>& clientTables() {
  static const std::vector<ClientTable> kPlaces = {
      {"clients", "id", "id = ?"},
      {"providers", "id", "client_id = ?"},
      {"cases", "id", "client_id = ?"},
      {"incidents", "id", "case_id IN (SELECT id FROM cases WHERE client_id = ?)"},
      {"evidence", "id", "case_id IN (SELECT id FROM cases WHERE client_id = ?)"},
      {"records_requests", "id", "case_id IN (SELECT id FROM cases WHERE client_id = ?)"},
      {"request_events", "id",
       "request_id IN (SELECT id FROM records_requests WHERE case_id IN "
       "(SELECT id FROM cases WHERE client_id = ?))"},
      {"complaints", "id", "case_id IN (SELECT id FROM cases WHERE client_id = ?)"},
      {"complaint_events", "id", "case_id IN (SELECT id FROM cases WHERE client_id = ?)"},
      {"batch_rows", "request_id",
       "request_id IN (SELECT id FROM records_requests WHERE case_id IN "
       "(SELECT id FROM cases WHERE client_id = ?))"},
  };
  return kPlaces;
}

namespace {

// Key material, not text: sealed with sealKey. A client's own wrapped_key is from before
// accounts and is emptied by the upgrade.
bool isKeyColumn(const std::string& table, const std::string& column) {
  return table == "evidence" && column == "file_key";
}
bool isSkipped(const std::string& table, const std::string& column) {
  return table == "clients" && column == "wrapped_key";
}

// The sealed columns of `table`: those typed BLOB (schema.cc).
StatusOr<std::vector<std::string>> sealedColumns(Database& db, const std::string& table) {
  RECOURSE_ASSIGN_OR_RETURN(auto all, db.sealedColumns(table));
  std::vector<std::string> out;
  for (auto& c : all) {
    if (!isSkipped(table, c)) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

StatusOr<long long> resealClient(Database& db, const std::string& client_id, const SecretKey& from,
                                 const SecretKey& to) {
  long long count = 0;
  for (const ClientTable& place : clientTables()) {
    const std::string table = place.table;
    RECOURSE_ASSIGN_OR_RETURN(auto columns, sealedColumns(db, table));
    if (columns.empty()) continue;
    std::string sql = std::string("SELECT ") + place.id_column;
    for (const auto& c : columns) sql += ", " + c;
    sql += " FROM " + table + " WHERE " + place.where;
    RECOURSE_ASSIGN_OR_RETURN(auto rows, db.select(sql, {client_id}));
    for (const auto& row : rows) {
      const std::string id = row.text(0);
      std::string update = "UPDATE " + table + " SET ";
      std::vector<Value> args;
      for (size_t i = 0; i < columns.size(); ++i) {
        const std::string& column = columns[i];
        if (i > 0) update += ", ";
        update += column + " = ?";
        if (row.isNull(i + 1)) {
          args.emplace_back(std::monostate{});
          continue;
        }
        const std::string ad = sealContext(table, column, id);
        if (isKeyColumn(table, column)) {
          RECOURSE_ASSIGN_OR_RETURN(SecretKey inner, openKey(from, row.blob(i + 1), ad));
          args.emplace_back(sealKey(to, inner, ad));
        } else {
          RECOURSE_ASSIGN_OR_RETURN(std::string plain, open(from, row.blob(i + 1), ad));
          args.emplace_back(seal(to, plain, ad));
        }
        ++count;
      }
      update += std::string(" WHERE ") + place.id_column + " = ?";
      args.emplace_back(id);
      RECOURSE_RETURN_IF_ERROR(db.execute(update, args));
    }
  }
  return count;
}

}  // namespace recourse::store
