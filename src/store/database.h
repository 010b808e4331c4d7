// The database under the store, whichever engine holds it: SQLite (sqlite_db.h, a file or
// memory, the default) or PostgreSQL (pg_db.h, an organization's shared server). The
// repositories speak one dialect through this interface: `?` placeholders, the tables of
// schema.cc, ON CONFLICT clauses, and `rowid` for the order rows were added in (both
// engines' schemas have one). Nothing above it sees an exception or an engine's handle.
//
// Thread safety: none of its own. The Store serialises every call with its mutex.
#pragma once

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

// A statement and the values bound to it (Database::readAhead).
struct Query {
  std::string sql;
  std::vector<Value> args;
};

// A whole result another library keeps (a PostgreSQL answer), whose cells a Row reads
// where they are: a view across a caseload reads tens of thousands of cells, and copying
// each into a Value first took a fifth of its time.
class HeldCells {
 public:
  // How a column's cells read: as text, as a blob in the engine's text form, as an
  // integer's digits, or as a truth value ("t"/"f").
  enum class Kind { kText, kBlob, kInteger, kBool };
  // One cell: its column's kind, whether it is NULL, and what is held (valid while the
  // HeldCells lives; ends in a NUL). `binary`: held in the engine's binary form instead (a
  // blob's bytes as they are, a whole number in network byte order, a truth value as one
  // byte; text is the same either way).
  struct Cell {
    Kind kind = Kind::kText;
    bool null = true;
    bool binary = false;
    std::string_view raw;
  };
  virtual ~HeldCells() = default;
  virtual size_t columns() const = 0;
  // `col` is below columns().
  virtual Cell cell(int row, size_t col) const = 0;
  // A kBlob cell's bytes from what is held in the engine's text form (empty if it is not one).
  virtual Bytes blob(std::string_view raw) const = 0;
};

// One row of a result, read in full before its statement is reset: its own Values, or a
// row of cells held for it (HeldCells, kept alive by every row of the result). Either reads
// the same: an integer column as text gives its digits, a truth value reads as 1 or 0.
// A column past the row's end throws std::out_of_range, as vector::at does.
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  Row(std::shared_ptr<const HeldCells> held, int row) : held_(std::move(held)), row_(row) {}

  size_t size() const { return held_ ? held_->columns() : cells_.size(); }
  Value value(size_t col) const;
  bool isNull(size_t col) const;
  // NULL reads as "", 0 and an empty blob.
  std::string text(size_t col) const;
  long long integer(size_t col) const;
  Bytes blob(size_t col) const;
  // The blob this row keeps as its own Value, without copying it; nullptr when it keeps
  // none there (NULL, another type, or a held cell: blob() then gives it).
  const Bytes* ownBlob(size_t col) const;
  // A stored date (NULL: nullopt) or timestamp. Corruption naming `column` when the text
  // is not one: what the store wrote always is.
  core::StatusOr<std::optional<core::Date>> date(size_t col, std::string_view column) const;
  core::StatusOr<core::Timestamp> timestamp(size_t col, std::string_view column) const;
  // A text cell where it is (held, or a Value's string), valid while the row is; nullopt
  // for NULL and any other type.
  std::optional<std::string_view> view(size_t col) const;

 private:
  // The held cell at `col`, checked like vector::at.
  HeldCells::Cell heldCell(size_t col) const;
  // Cell `col` as text: where it is when it is text, else text(col) kept in *copy.
  std::string_view spelled(size_t col, std::string* copy) const;

  std::vector<Value> cells_;
  std::shared_ptr<const HeldCells> held_;
  int row_ = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  // "SQLite" or "PostgreSQL", for messages.
  virtual std::string_view engine() const = 0;
  // Whether every reference between rows (a request's case, a case's client) is kept by the
  // engine for every connection, so that no row can name one that is gone. PostgreSQL: yes.
  // SQLite: no (anything that opens the file may turn its foreign keys off), so listings also
  // look for such rows, to report them as damage.
  virtual bool referencesEnforced() const { return false; }
  // Inside a transaction, a number that stays the same for as long as nothing this
  // connection wrote in it has been undone (it moves when a transaction begins or ends and
  // when a savepoint is rolled back to); 0 outside one, or when the engine keeps none. What
  // was read under a lock held to the transaction's end stays true while it is unchanged
  // (HashChain keeps its chain's head so).
  virtual long long transactionMark() const { return 0; }
  // Brings the engine's statistics about the tables up to date, so that its planner picks
  // indexes after many rows arrived at once (a vault moved in), and (PostgreSQL) vacuums
  // them. Nothing where the engine keeps none worth refreshing. REQUIRES: outside any
  // transaction.
  virtual core::Status refreshStatistics() { return core::Status::ok(); }

  // Runs every migration newer than the database's schema version, each in its own
  // transaction (PostgreSQL: under an advisory lock, so that two processes opening a new
  // database together do not both migrate it). FailedPrecondition, with nothing written,
  // when the database was written by a newer version; Corruption when it is not one.
  virtual core::Status migrate() = 0;
  // The schema version, or -1 when it cannot be read.
  virtual int userVersion() = 0;

  // What has changed the database: the rows this connection has written since it opened,
  // and a count that moves whenever another connection (another Recourse process) commits.
  // Equal counts mean the database reads as it did when they were taken. Cheap: no
  // statement runs.
  struct ChangeCounts {
    long long own = 0;
    unsigned others = 0;
    bool operator==(const ChangeCounts&) const = default;
  };
  virtual ChangeCounts changeCounts() = 0;

  // Runs `body` as one transaction: committed when it returns OK, rolled back otherwise.
  // Inside another transaction it is a savepoint instead, undoing only its own writes on
  // failure and leaving the outer transaction to decide about the rest.
  virtual core::Status inTransaction(const std::function<core::Status()>& body) = 0;
  // As inTransaction, for a body that stops at its first failure and passes it on (a batch
  // of rows): the engine may hold writes back and send them together with the next
  // statement or with the commit (PostgreSQL: one round trip for many rows' inserts), so a
  // write the database itself refuses (a constraint, a lost connection) may come back as the
  // failure of a later call in the body, or of the commit. Either way nothing of the
  // transaction is kept. SQLite: inTransaction.
  virtual core::Status inBulkTransaction(const std::function<core::Status()>& body) {
    return inTransaction(body);
  }
  // Runs `body`, which only reads, against one consistent view of every table, however
  // many others write meanwhile. A file's own transaction gives that; PostgreSQL takes a
  // REPEATABLE READ, READ ONLY one. REQUIRES: not inside a transaction.
  virtual core::Status readSnapshot(const std::function<core::Status()>& body) {
    return inTransaction(body);
  }
  // Runs `body`, which reads the last link of the chain `name` (an audit or custody log)
  // and appends the next, so that no other connection appends to that chain in between:
  // the chain stays unbroken however many processes write at once. Also for any other
  // read-then-write that must not interleave (one complaint per case).
  virtual core::Status appendingTo(std::string_view name,
                                   const std::function<core::Status()>& body) = 0;

  // Errors come back as Status: Conflict for a constraint violation or a database locked
  // by another process, IOError for a full disk or a failed read or write or a lost
  // connection, PermissionDenied, Corruption for a damaged database. Bound values never
  // appear in them.
  virtual core::Status insert(std::string_view table, const std::vector<Column>& cols);
  // Many rows into `table`, each with a value for every one of `columns`, in order: one
  // INSERT each here; PostgreSQL sends them all in one COPY (moving a vault of millions of
  // rows into an organization database). Errors as insert; on failure the caller's
  // transaction decides (nothing of it is kept when it rolls back).
  virtual core::Status insertMany(std::string_view table, const std::vector<std::string>& columns,
                                  const std::vector<std::vector<Value>>& rows);
  // UPDATE table SET cols WHERE id = id.
  virtual core::Status update(std::string_view table, const std::string& id,
                              std::vector<Column> cols);
  // The same for a record that carries a version (schema version 13): the version goes up
  // by one, and when `expected` is more than 0 the change is made only if the record is
  // still at that version, in one statement, so no other writer can come in between.
  // Returns the record's new version. Conflict with the reason "changed_meanwhile" and the
  // field "version" when it has moved on; NotFound when there is no such record.
  virtual core::StatusOr<long long> updateVersioned(std::string_view table, const std::string& id,
                                                    std::vector<Column> cols, long long expected);
  // How many rows the last INSERT, UPDATE or DELETE changed.
  virtual long long changedRows() = 0;
  virtual core::Status execute(const std::string& sql, const std::vector<Value>& args = {}) = 0;
  // The first row of a query, or nullopt when there is none.
  virtual core::StatusOr<std::optional<Row>> firstRow(const std::string& sql,
                                                      const std::vector<Value>& args = {}) = 0;
  // Every row of a query.
  virtual core::StatusOr<std::vector<Row>> select(const std::string& sql,
                                                  const std::vector<Value>& args = {}) = 0;
  // Says that select() of each of `queries` comes next, in this order (a view's reads): an
  // engine that answers over a network sends them all at once now, so that it works on the
  // later ones while this process reads the first. Any other statement drops those not yet
  // taken (each select then reads for itself). Nothing where reads are function calls
  // (SQLite), or inside a transaction.
  virtual void readAhead(std::vector<Query> queries) { (void)queries; }
  // Drops what readAhead sent and no select has taken yet (a view that ended early).
  virtual void dropReadAhead() {}
  // How many answers selects have taken from what readAhead sent, so far (for tests and
  // benchmarks: a view whose reads stop matching what it sends ahead is only slower).
  virtual long long answersTakenAhead() const { return 0; }

  // How many other Recourse connections have this store open now (PostgreSQL: by their
  // application name, one per store).
  virtual core::StatusOr<long long> otherConnections() = 0;
  // The columns of `table`, in their order in the table (without PostgreSQL's `rowid`,
  // which SQLite keeps out of sight).
  virtual core::StatusOr<std::vector<std::string>> columnsOf(const std::string& table) = 0;
  // The columns of `table` that hold sealed values (typed BLOB in schema.cc, bytea in
  // PostgreSQL), in their order in the table.
  virtual core::StatusOr<std::vector<std::string>> sealedColumns(const std::string& table) = 0;
  // Takes away and puts back the triggers that keep an append-only log so (for re-linking
  // a chain made before schema version 5, the one time its rows are rewritten).
  virtual core::Status setAppendOnly(const std::string& table, const std::string& name,
                                     bool on) = 0;

  // A consistent copy of the whole database as an SQLite file's bytes (what an export
  // holds, whichever engine it came from).
  virtual core::StatusOr<Bytes> serialize() = 0;
  // Writes this database to a new SQLite file at `path` (which must not exist), synced.
  virtual core::Status saveAs(const std::string& path) = 0;
};

// Copies every row of every table of the schema (schema.h, schemaTables) from `from` into
// `to`, which must be empty and at the same schema version, in the order the rows were
// added. Runs in whatever transactions the caller holds.
// Returns how many rows each table gave.
// `page` rows are read and written at a time (tests make it small).
core::StatusOr<std::map<std::string, long long>> copyAll(Database& from, Database& to,
                                                         int page = 5000);

}  // namespace recourse::store
