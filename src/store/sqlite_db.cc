#include "store/sqlite_db.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "store/schema.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;
using Poco::Data::Session;
using namespace Poco::Data::Keywords;  // NOLINT(google-build-using-namespace)

namespace {

void registerConnectorOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

// Maps what Poco::Data / SQLite throw to a Status. Messages carry no bound values.
Status translate(const Poco::Exception& e, std::string_view what) {
  std::string msg = std::string(what) + ": " + e.displayText();
  if (dynamic_cast<const Poco::Data::SQLite::CorruptImageException*>(&e) != nullptr ||
      msg.find("not a database") != std::string::npos) {
    return core::corruption(std::string(what) +
                            ": the data file is not a Recourse database or is damaged");
  }
  if (dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&e) != nullptr) {
    return core::conflict(msg);
  }
  if (dynamic_cast<const Poco::Data::SQLite::ReadOnlyException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Data::SQLite::DBAccessDeniedException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&e) != nullptr) {
    return core::permissionDenied(msg);
  }
  if (dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&e) != nullptr) {
    return core::ioError(std::string(what) + ": the disk is full");
  }
  if (dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&e) != nullptr) {
    return core::conflict(std::string(what) + ": the data file is in use by another process");
  }
  return core::ioError(msg);
}

constexpr std::string_view kReading = "reading the database";
constexpr std::string_view kWriting = "writing to the database";

}  // namespace

// ---- opening ---------------------------------------------------------------------------

SqliteDb::SqliteDb(std::unique_ptr<Session> session)
    : session_(std::move(session)), db_(Poco::Data::SQLite::Utility::dbHandle(*session_)) {}

SqliteDb::~SqliteDb() {
  for (auto& [sql, st] : statements_) sqlite3_finalize(st);
}

StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::openFile(const std::string& path, bool create) {
  registerConnectorOnce();
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (ec) return core::ioError("cannot look at " + path + ": " + ec.message());
  if (!exists && !create) return core::notFound("no Recourse data at " + path);
  if (exists && !std::filesystem::is_regular_file(path, ec)) {
    return core::invalidArgument(path + " is not a regular file");
  }
  if (!exists) {
    // Create the file ourselves so that it is private (0600) from its first byte.
    FILE* f = std::fopen(path.c_str(), "wx");
    if (f == nullptr) {
      return core::permissionDenied("cannot create " + path + ": " + std::strerror(errno));
    }
    std::fclose(f);
    ::chmod(path.c_str(), 0600);
  }
  try {
    return std::unique_ptr<SqliteDb>(new SqliteDb(std::make_unique<Session>("SQLite", path)));
  } catch (const Poco::Exception& e) {
    return translate(e, "opening " + path);
  }
}

StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::openInMemory() {
  registerConnectorOnce();
  try {
    return std::unique_ptr<SqliteDb>(new SqliteDb(std::make_unique<Session>("SQLite", ":memory:")));
  } catch (const Poco::Exception& e) {
    return translate(e, "opening an in-memory database");
  }
}

StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::fromSnapshot(const Bytes& snapshot) {
  RECOURSE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, openInMemory());
  auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(snapshot.size()));
  if (buf == nullptr) return core::resourceExhausted("not enough memory for the snapshot");
  std::copy(snapshot.begin(), snapshot.end(), buf);
  // A snapshot of a WAL-mode database says so in its header (bytes 18-19 = 2); an in-memory
  // database cannot use WAL, so mark it as a rollback-journal database (1) before loading.
  if (snapshot.size() >= 100 && buf[18] == 2 && buf[19] == 2) buf[18] = buf[19] = 1;
  int rc = sqlite3_deserialize(db->db_, "main", buf, static_cast<sqlite3_int64>(snapshot.size()),
                               static_cast<sqlite3_int64>(snapshot.size()),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) return core::corruption("the snapshot is not a database");
  auto check = db->select("PRAGMA integrity_check");
  if (!check.isOk()) return check.status().withContext("checking the snapshot");
  if (check->size() != 1 || check->front().text(0) != "ok") {
    return core::corruption("the snapshot failed SQLite's integrity check");
  }
  return db;
}

Status SqliteDb::migrate() {
  const std::vector<Migration>& migrations = sqliteMigrations();
  try {
    Session& s = *session_;
    // Reading the schema version first fails cleanly (and writes nothing) on a file that is
    // not a database.
    int version = 0;
    s << "PRAGMA user_version", into(version), now;
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (version > latest) {
      return core::failedPrecondition(
          "this data was written by a newer version of Recourse (schema " +
          std::to_string(version) + "; this version understands up to " + std::to_string(latest) +
          "). Nothing was changed; update Recourse.");
    }
    s << "PRAGMA foreign_keys = ON", now;
    s << "PRAGMA secure_delete = ON", now;
    s << "PRAGMA temp_store = MEMORY", now;
    s << "PRAGMA busy_timeout = 5000", now;
    std::string journal;
    s << "PRAGMA journal_mode = WAL", into(journal), now;
    for (const auto& m : migrations) {
      if (m.version <= version) continue;
      s.begin();
      try {
        for (const auto& sql : m.statements) s << sql, now;
        s << "PRAGMA user_version = " + std::to_string(m.version), now;
        s.commit();
      } catch (...) {
        s.rollback();
        throw;
      }
      version = m.version;
    }
  } catch (const Poco::Exception& e) {
    return translate(e, "opening the database");
  }
  return Status::ok();
}

int SqliteDb::userVersion() {
  int version = 0;
  try {
    *session_ << "PRAGMA user_version", into(version), now;
  } catch (const Poco::Exception&) {
    return -1;
  }
  return version;
}

SqliteDb::ChangeCounts SqliteDb::changeCounts() {
  ChangeCounts out;
  out.own = sqlite3_total_changes64(db_);
  // The pragma (not SQLITE_FCNTL_DATA_VERSION, which only moves once a transaction has
  // looked at the file again) sees another connection's commit at once.
  bool read = false;
  try {
    sqlite3_stmt* st = prepared("PRAGMA data_version");
    read = sqlite3_step(st) == SQLITE_ROW;
    if (read) out.others = static_cast<unsigned>(sqlite3_column_int64(st, 0));
    sqlite3_reset(st);
  } catch (const Poco::Exception&) {
    read = false;
  }
  if (!read) {
    // Unknown: counts that never repeat, so nothing is taken as unchanged.
    static std::atomic<unsigned> unknown{0};
    out.others = ++unknown;
    out.own = -1;
  }
  return out;
}

// ---- transactions ----------------------------------------------------------------------

Status SqliteDb::inTransaction(const std::function<Status()>& body) {
  const bool nested = tx_depth_ > 0;
  const std::string sp = "sp" + std::to_string(tx_depth_);
  bool entered = false;
  auto undo = [&] {
    if (entered) --tx_depth_;
    try {
      if (nested) {
        *session_ << "ROLLBACK TO " + sp, now;
        *session_ << "RELEASE " + sp, now;
      } else if (session_->isTransaction()) {
        session_->rollback();
      }
    } catch (const Poco::Exception&) {
      // The original error is the one worth reporting.
    }
  };
  try {
    if (nested) {
      *session_ << "SAVEPOINT " + sp, now;
    } else {
      session_->begin();
    }
    ++tx_depth_;
    entered = true;
    Status s = body();
    --tx_depth_;
    entered = false;
    if (nested) {
      if (!s.isOk()) *session_ << "ROLLBACK TO " + sp, now;
      *session_ << "RELEASE " + sp, now;
    } else if (s.isOk()) {
      session_->commit();
    } else {
      session_->rollback();
    }
    return s;
  } catch (const Poco::Exception& e) {
    undo();
    return translate(e, kWriting);
  } catch (const std::exception& e) {
    undo();
    return core::internalError(std::string(kWriting) + ": " + e.what());
  }
}

// ---- prepared statements ---------------------------------------------------------------
//
// Poco::Data prepares a statement anew on every execution; for a batch of thousands of rows
// the parsing alone outweighs the writing, so statements go through SQLite's own API here,
// each prepared once. Errors become the same Poco exceptions Poco::Data throws, so
// translate() reports them alike.

sqlite3_stmt* SqliteDb::prepared(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* st = nullptr;
  check(sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &st, nullptr));
  statements_.emplace(sql, st);
  return st;
}

void SqliteDb::check(int rc) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  Poco::Data::SQLite::Utility::throwException(db_, rc, sqlite3_errmsg(db_));
}

void SqliteDb::bindAll(sqlite3_stmt* st, const std::vector<Value>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    int idx = static_cast<int>(i) + 1;
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return sqlite3_bind_null(st, idx);
          } else if constexpr (std::is_same_v<T, std::string>) {
            return sqlite3_bind_text64(st, idx, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            // An empty blob is a blob of no bytes, not NULL (which a null pointer would bind).
            if (v.empty()) return sqlite3_bind_zeroblob(st, idx, 0);
            return sqlite3_bind_blob64(st, idx, v.data(), v.size(), SQLITE_TRANSIENT);
          } else {
            return sqlite3_bind_int64(st, idx, v);
          }
        },
        args[i]);
    if (rc != SQLITE_OK) {
      sqlite3_clear_bindings(st);
      check(rc);
    }
  }
}

void SqliteDb::run(const std::string& sql, const std::vector<Value>& args,
                   const std::function<bool(Row)>& on_row) {
  sqlite3_stmt* st = prepared(sql);
  bindAll(st, args);
  int rc = SQLITE_DONE;
  const int columns = sqlite3_column_count(st);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<Value> cells;
    cells.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL:
          cells.emplace_back(std::monostate{});
          break;
        case SQLITE_INTEGER:
          cells.emplace_back(static_cast<long long>(sqlite3_column_int64(st, c)));
          break;
        case SQLITE_BLOB: {
          const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, c));
          auto n = static_cast<size_t>(sqlite3_column_bytes(st, c));
          cells.emplace_back(p == nullptr ? Bytes() : Bytes(p, p + n));
          break;
        }
        default: {  // text (and floats, as text)
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
          auto n = static_cast<size_t>(sqlite3_column_bytes(st, c));
          cells.emplace_back(p == nullptr ? std::string() : std::string(p, n));
          break;
        }
      }
    }
    if (!on_row(Row(std::move(cells)))) {
      rc = SQLITE_DONE;
      break;
    }
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) check(rc);
}

long long SqliteDb::changedRows() { return sqlite3_changes64(db_); }

Status SqliteDb::execute(const std::string& sql, const std::vector<Value>& args) {
  try {
    run(sql, args, [](const Row&) { return true; });
    return Status::ok();
  } catch (const Poco::Exception& e) {
    return translate(e, kWriting);
  }
}

StatusOr<std::optional<Row>> SqliteDb::firstRow(const std::string& sql,
                                                const std::vector<Value>& args) {
  try {
    std::optional<Row> row;
    run(sql, args, [&](Row r) {
      row.emplace(std::move(r));
      return false;
    });
    return row;
  } catch (const Poco::Exception& e) {
    return translate(e, kReading);
  }
}

StatusOr<std::vector<Row>> SqliteDb::select(const std::string& sql,
                                            const std::vector<Value>& args) {
  try {
    std::vector<Row> rows;
    run(sql, args, [&](Row r) {
      rows.push_back(std::move(r));
      return true;
    });
    return rows;
  } catch (const Poco::Exception& e) {
    return translate(e, kReading);
  }
}

StatusOr<std::vector<std::string>> SqliteDb::columnsOf(const std::string& table) {
  RECOURSE_ASSIGN_OR_RETURN(auto rows, select("SELECT name FROM pragma_table_info(?)", {table}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

StatusOr<std::vector<std::string>> SqliteDb::sealedColumns(const std::string& table) {
  RECOURSE_ASSIGN_OR_RETURN(auto rows,
                            select("SELECT name, type FROM pragma_table_info(?)", {table}));
  std::vector<std::string> out;
  for (const auto& r : rows) {
    if (r.text(1) == "BLOB") out.push_back(r.text(0));
  }
  return out;
}

Status SqliteDb::setAppendOnly(const std::string& table, const std::string& name, bool on) {
  for (const char* event : {"update", "delete"}) {
    const std::string trigger = table + "_no_" + event;
    RECOURSE_RETURN_IF_ERROR(execute(
        on ? "CREATE TRIGGER IF NOT EXISTS " + trigger + " BEFORE " + event + " ON " + table +
                 " BEGIN SELECT RAISE(ABORT, 'the " + name + " is append-only'); END"
           : "DROP TRIGGER IF EXISTS " + trigger));
  }
  return Status::ok();
}

// ---- snapshots -------------------------------------------------------------------------

StatusOr<Bytes> SqliteDb::serialize() {
  sqlite3_int64 size = 0;
  unsigned char* data = sqlite3_serialize(db_, "main", &size, 0);
  if (data == nullptr) return core::ioError("could not take a snapshot of the database");
  Bytes out(data, data + size);
  sqlite3_free(data);
  return out;
}

Status SqliteDb::saveAs(const std::string& path) {
  if (std::filesystem::exists(path)) return core::conflict(path + " already exists");
  sqlite3* dst = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc == SQLITE_OK) {
    ::chmod(path.c_str(), 0600);
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", db_, "main");
    if (b == nullptr) {
      rc = sqlite3_errcode(dst);
    } else {
      sqlite3_backup_step(b, -1);
      rc = sqlite3_backup_finish(b);
    }
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;", nullptr,
                      nullptr, nullptr);
  }
  std::string err = dst ? sqlite3_errmsg(dst) : "out of memory";
  sqlite3_close(dst);
  if (rc != SQLITE_OK) {
    std::filesystem::remove(path);
    return core::ioError("could not write " + path + ": " + err);
  }
  return Status::ok();
}

}  // namespace recourse::store
