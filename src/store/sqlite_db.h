// The SQLite connection under the store: the Poco::Data session, statements prepared once
// and kept, transactions and savepoints, schema migrations, snapshots, and the one place
// where what Poco::Data and SQLite throw becomes a Status. Nothing above this file sees an
// exception or a sqlite3 handle.
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

#include "core/date.h"
#include "core/status.h"
#include "store/crypto.h"

namespace Poco::Data {
class Session;
}
struct sqlite3;
struct sqlite3_stmt;

namespace recourse::store {

struct Migration;

// A value bound to a statement or read from a column: NULL, text, blob or integer.
using Value = std::variant<std::monostate, std::string, Bytes, long long>;

// One column of an INSERT or UPDATE.
struct Column {
  std::string name;
  Value value;
};

// Empty text and absent dates are stored as NULL.
Value textOrNull(const std::string& s);
Value dateOrNull(const std::optional<core::Date>& d);

// One row of a result, read in full before its statement is reset.
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}

  size_t size() const { return cells_.size(); }
  bool isNull(size_t col) const;
  // NULL reads as "", 0 and an empty blob.
  std::string text(size_t col) const;
  long long integer(size_t col) const;
  Bytes blob(size_t col) const;
  // A stored date (NULL: nullopt) or timestamp. Corruption naming `column` when the text
  // is not one: what the store wrote always is.
  core::StatusOr<std::optional<core::Date>> date(size_t col, std::string_view column) const;
  core::StatusOr<core::Timestamp> timestamp(size_t col, std::string_view column) const;

 private:
  std::vector<Value> cells_;
};

class SqliteDb {
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
  ~SqliteDb();

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Sets the connection's pragmas (WAL, foreign keys, secure_delete, temp_store=MEMORY,
  // busy_timeout) and runs every migration newer than the file's user_version, each in its
  // own transaction. FailedPrecondition, with nothing written, when the file was written
  // by a newer version; Corruption when it is not a database.
  core::Status migrate(const std::vector<Migration>& migrations);
  // The schema version (SQLite's user_version), or -1 when it cannot be read.
  int userVersion();

  // What has changed the database: the rows this connection has inserted, updated or
  // deleted since it opened, and SQLite's data version of the file, which moves whenever
  // another connection (another Recourse process) commits. Equal counts mean the database
  // reads as it did when they were taken. Cheap: no statement runs.
  struct ChangeCounts {
    long long own = 0;
    unsigned others = 0;
    bool operator==(const ChangeCounts&) const = default;
  };
  ChangeCounts changeCounts();

  // Runs `body` as one transaction: committed when it returns OK, rolled back otherwise.
  // Inside another transaction it is a savepoint instead, undoing only its own writes on
  // failure and leaving the outer transaction to decide about the rest.
  core::Status inTransaction(const std::function<core::Status()>& body);

  // The statements below are prepared once per distinct SQL text and kept for the life of
  // the connection. Errors come back as Status: Conflict for a constraint violation or a
  // file locked by another process, IOError for a full disk or a failed read or write,
  // PermissionDenied, Corruption for a damaged file. Bound values never appear in them.
  core::Status insert(std::string_view table, const std::vector<Column>& cols);
  // UPDATE table SET cols WHERE id = id.
  core::Status update(std::string_view table, const std::string& id, std::vector<Column> cols);
  core::Status execute(const std::string& sql, const std::vector<Value>& args = {});
  // The first row of a query, or nullopt when there is none.
  core::StatusOr<std::optional<Row>> firstRow(const std::string& sql,
                                              const std::vector<Value>& args = {});
  // Every row of a query.
  core::StatusOr<std::vector<Row>> select(const std::string& sql,
                                          const std::vector<Value>& args = {});

  // A consistent copy of the whole database.
  core::StatusOr<Bytes> serialize();
  // Writes this database to a new file at `path` (which must not exist), synced to disk.
  core::Status saveAs(const std::string& path);

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
