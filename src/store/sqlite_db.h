// The SQLite connection under the store (database.h): the Poco::Data session, statements
// prepared once and kept, transactions and savepoints, schema migrations, snapshots, and the
// one place where what Poco::Data and SQLite throw becomes a Status.
//
// Thread safety: none of its own. The Store serialises every call with its mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/crypto.h"
#include "store/database.h"

namespace Poco::Data {
class Session;
}
struct sqlite3;
struct sqlite3_stmt;

namespace recourse::store {

class SqliteDb final : public Database {
 public:
  // Opens the database file at `path`. NotFound when it does not exist and `create` is
  // false; when it is created, it is created private (mode 0600) from its first byte.
  // Nothing is written to an existing file here (see migrate()).
  static core::StatusOr<std::unique_ptr<SqliteDb>> openFile(const std::string& path, bool create);
  // A fresh, private in-memory database.
  static core::StatusOr<std::unique_ptr<SqliteDb>> openInMemory();
  // An in-memory database loaded from a serialize()d copy, checked with SQLite's
  // integrity check (Corruption when it fails or the bytes are not a database).
  static core::StatusOr<std::unique_ptr<SqliteDb>> fromSnapshot(const Bytes& snapshot);
  ~SqliteDb() override;

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  std::string_view engine() const override { return "SQLite"; }
  // Also sets the connection's pragmas (WAL, foreign keys, secure_delete,
  // temp_store=MEMORY, busy_timeout). The schema version is SQLite's user_version.
  core::Status migrate() override;
  int userVersion() override;
  // `others` is SQLite's data version of the file.
  ChangeCounts changeCounts() override;
  core::Status inTransaction(const std::function<core::Status()>& body) override;
  // Runs `body` as it is: SQLite lets one writer at a time into the file.
  core::Status appendingTo(std::string_view /*name*/,
                           const std::function<core::Status()>& body) override {
    return body();
  }

  // Statements are prepared once per distinct SQL text and kept for the life of the
  // connection.
  core::Status execute(const std::string& sql, const std::vector<Value>& args = {}) override;
  long long changedRows() override;
  core::StatusOr<std::optional<Row>> firstRow(const std::string& sql,
                                              const std::vector<Value>& args = {}) override;
  core::StatusOr<std::vector<Row>> select(const std::string& sql,
                                          const std::vector<Value>& args = {}) override;
  core::StatusOr<std::vector<std::string>> columnsOf(const std::string& table) override;
  // None counted: the file's VaultLock keeps others out while it matters.
  core::StatusOr<long long> otherConnections() override { return 0LL; }
  core::StatusOr<std::vector<std::string>> sealedColumns(const std::string& table) override;
  core::Status setAppendOnly(const std::string& table, const std::string& name, bool on) override;

  core::StatusOr<Bytes> serialize() override;
  core::Status saveAs(const std::string& path) override;

 private:
  explicit SqliteDb(std::unique_ptr<Poco::Data::Session> session);
  sqlite3_stmt* prepared(const std::string& sql);
  void bindAll(sqlite3_stmt* st, const std::vector<Value>& args);
  // Runs a prepared statement to its end, passing each row to `on_row` (which may return
  // false to stop). Throws what Poco::Data throws; the public methods translate it.
  void run(const std::string& sql, const std::vector<Value>& args,
           const std::function<bool(Row)>& on_row);
  void check(int rc);

  std::unique_ptr<Poco::Data::Session> session_;
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;  // finalized before session_ closes
  int tx_depth_ = 0;  // > 0 inside a transaction: nested ones become savepoints
};

}  // namespace recourse::store
