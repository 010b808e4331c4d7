#include "store/store.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <variant>

#include "core/validation.h"
#include "store/schema.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;
using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using namespace Poco::Data::Keywords;  // NOLINT(google-build-using-namespace)

namespace {

constexpr int kKdfVersion = 1;  // Argon2id13 + XChaCha20-Poly1305 key wrapping
constexpr std::string_view kVaultCheck = "recourse vault check v1";

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

// Unwrapped client keys kept in memory at most.
constexpr size_t kMaxCachedKeys = 64;

// A value for one column of an INSERT.
using Value = std::variant<std::monostate, std::string, Bytes, long long>;
struct Column {
  std::string name;
  Value value;
};

// Runs a SELECT with string parameters and returns its rows.
RecordSet query(Session& session, const std::string& sql, const std::vector<std::string>& args) {
  Statement st(session);
  st << sql;
  for (const auto& a : args) st.addBind(bind(a));
  st.execute();
  return RecordSet(st);
}

std::string textAt(RecordSet& rs, size_t col, size_t row) {
  if (rs.isNull(col, row)) return {};
  return rs.value(col, row).convert<std::string>();
}

long long intAt(RecordSet& rs, size_t col, size_t row) {
  if (rs.isNull(col, row)) return 0;
  return rs.value(col, row).convert<Poco::Int64>();
}

Bytes blobAt(RecordSet& rs, size_t col, size_t row) {
  if (rs.isNull(col, row)) return {};
  const auto& blob = rs.value<Poco::Data::BLOB>(col, row);
  return Bytes(blob.rawContent(), blob.rawContent() + blob.size());
}

// Seals `plain` for table/column/id; empty text is stored as NULL.
Value sealed(const SecretKey& key, std::string_view table, std::string_view column,
             const std::string& id, const std::string& plain) {
  if (plain.empty()) return std::monostate{};
  return seal(key, plain, sealContext(table, column, id));
}

Value textOrNull(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

Value dateOrNull(const std::optional<core::Date>& d) {
  if (!d) return std::monostate{};
  return d->toString();
}

// Opens a sealed column of a result row; NULL reads as "".
StatusOr<std::string> unsealAt(RecordSet& rs, size_t col, size_t row, const SecretKey& key,
                               std::string_view table, std::string_view column,
                               const std::string& id) {
  if (rs.isNull(col, row)) return std::string();
  return open(key, blobAt(rs, col, row), sealContext(table, column, id));
}

StatusOr<std::optional<core::Date>> dateAt(RecordSet& rs, size_t col, size_t row,
                                           std::string_view field) {
  std::string s = textAt(rs, col, row);
  if (s.empty()) return std::optional<core::Date>();
  auto d = core::Date::parse(s, field);
  if (!d.isOk()) return core::corruption("stored " + std::string(field) + " is not a date");
  return std::optional<core::Date>(*d);
}

StatusOr<core::Timestamp> timeAt(RecordSet& rs, size_t col, size_t row, std::string_view field) {
  auto t = core::parseTimestamp(textAt(rs, col, row), field);
  if (!t.isOk()) return core::corruption("stored " + std::string(field) + " is not a timestamp");
  return *t;
}

std::string joinKinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const auto& k : kinds) out += (out.empty() ? "" : "\n") + k;
  return out;
}

std::vector<std::string> splitKinds(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

#define ASSIGN_OR_RETURN(lhs, expr) RECOURSE_ASSIGN_OR_RETURN(lhs, expr)

}  // namespace

std::string sealContext(std::string_view table, std::string_view column, std::string_view id) {
  std::string ad = "recourse/v1/";
  ad.append(table).append("/").append(column).append("/").append(id);
  return ad;
}

// Prepared statements kept for the life of the connection. Poco::Data prepares a statement
// anew on every execution; for a batch of thousands of rows the parsing alone outweighs the
// writing, so the INSERTs and the small lookups the store repeats go through SQLite's own
// API here, each prepared once. Errors become the same Poco exceptions Poco::Data throws,
// so translate() reports them alike.
struct Store::Statements {
  explicit Statements(sqlite3* db) : db_(db) {}
  ~Statements() {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
  }
  Statements(const Statements&) = delete;
  Statements& operator=(const Statements&) = delete;

  void insert(std::string_view table, const std::vector<Column>& cols) {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string marks;
    for (size_t i = 0; i < cols.size(); ++i) {
      sql += (i ? ", " : "") + cols[i].name;
      marks += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    run(sql, cols);
  }

  void run(const std::string& sql, const std::vector<Column>& cols) {
    sqlite3_stmt* st = prepared(sql);
    for (size_t i = 0; i < cols.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              return sqlite3_bind_null(st, idx);
            } else if constexpr (std::is_same_v<T, std::string>) {
              return sqlite3_bind_text64(st, idx, v.data(), v.size(), SQLITE_TRANSIENT,
                                         SQLITE_UTF8);
            } else if constexpr (std::is_same_v<T, Bytes>) {
              return sqlite3_bind_blob64(st, idx, v.data(), v.size(), SQLITE_TRANSIENT);
            } else {
              return sqlite3_bind_int64(st, idx, v);
            }
          },
          cols[i].value);
      check(rc);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) check(rc);
  }

  // UPDATE table SET cols WHERE id = id.
  void update(std::string_view table, const std::string& id, std::vector<Column> cols) {
    std::string sql = "UPDATE " + std::string(table) + " SET ";
    for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i].name + " = ?";
    sql += " WHERE id = ?";
    cols.push_back({"id", id});
    run(sql, cols);
  }

  // The first row of a SELECT over text parameters, its columns as text; nullopt if none.
  std::optional<std::vector<std::string>> firstRow(const std::string& sql,
                                                   const std::vector<std::string>& args) {
    sqlite3_stmt* st = prepared(sql);
    for (size_t i = 0; i < args.size(); ++i) {
      check(sqlite3_bind_text64(st, static_cast<int>(i) + 1, args[i].data(), args[i].size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    int rc = sqlite3_step(st);
    std::optional<std::vector<std::string>> row;
    if (rc == SQLITE_ROW) {
      row.emplace();
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* text = sqlite3_column_text(st, c);
        row->emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(st, c)));
      }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) check(rc);
    return row;
  }

 private:
  sqlite3_stmt* prepared(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &st, nullptr));
    cache_.emplace(sql, st);
    return st;
  }
  void check(int rc) {
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
    Poco::Data::SQLite::Utility::throwException(db_, rc, sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> cache_;
};

Store::Store(std::unique_ptr<Session> session, const core::Clock& clock)
    : session_(std::move(session)),
      stmts_(std::make_unique<Statements>(Poco::Data::SQLite::Utility::dbHandle(*session_))),
      clock_(clock) {}

Store::~Store() { lock(); }

StatusOr<std::unique_ptr<Store>> Store::openFile(const std::string& path, OpenMode mode,
                                                 const core::Clock& clock) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  registerConnectorOnce();
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (ec) return core::ioError("cannot look at " + path + ": " + ec.message());
  if (!exists && mode == OpenMode::kExisting) {
    return core::notFound("no Recourse data at " + path);
  }
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
  std::unique_ptr<Session> session;
  try {
    session = std::make_unique<Session>("SQLite", path);
  } catch (const Poco::Exception& e) {
    return translate(e, "opening " + path);
  }
  std::unique_ptr<Store> store(new Store(std::move(session), clock));
  Status s = store->configureAndMigrate();
  if (!s.isOk()) return s.withContext(path);
  return store;
}

StatusOr<std::unique_ptr<Store>> Store::openInMemory(const core::Clock& clock) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  registerConnectorOnce();
  std::unique_ptr<Session> session;
  try {
    session = std::make_unique<Session>("SQLite", ":memory:");
  } catch (const Poco::Exception& e) {
    return translate(e, "opening an in-memory database");
  }
  std::unique_ptr<Store> store(new Store(std::move(session), clock));
  RECOURSE_RETURN_IF_ERROR(store->configureAndMigrate());
  return store;
}

StatusOr<std::unique_ptr<Store>> Store::fromSnapshot(const Bytes& snapshot,
                                                     const core::Clock& clock) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  registerConnectorOnce();
  std::unique_ptr<Session> session;
  try {
    session = std::make_unique<Session>("SQLite", ":memory:");
  } catch (const Poco::Exception& e) {
    return translate(e, "opening an in-memory database");
  }
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(*session);
  auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(snapshot.size()));
  if (buf == nullptr) return core::resourceExhausted("not enough memory for the snapshot");
  std::copy(snapshot.begin(), snapshot.end(), buf);
  // A snapshot of a WAL-mode database says so in its header (bytes 18-19 = 2); an in-memory
  // database cannot use WAL, so mark it as a rollback-journal database (1) before loading.
  if (snapshot.size() >= 100 && buf[18] == 2 && buf[19] == 2) buf[18] = buf[19] = 1;
  int rc = sqlite3_deserialize(db, "main", buf, static_cast<sqlite3_int64>(snapshot.size()),
                               static_cast<sqlite3_int64>(snapshot.size()),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) return core::corruption("the snapshot is not a database");
  std::unique_ptr<Store> store(new Store(std::move(session), clock));
  try {
    RecordSet rs = query(*store->session_, "PRAGMA integrity_check", {});
    if (rs.rowCount() != 1 || textAt(rs, 0, 0) != "ok") {
      return core::corruption("the snapshot failed SQLite's integrity check");
    }
  } catch (const Poco::Exception& e) {
    return translate(e, "checking the snapshot");
  }
  RECOURSE_RETURN_IF_ERROR(store->configureAndMigrate());
  return store;
}

Status Store::configureAndMigrate() {
  try {
    Session& s = *session_;
    // Reading the schema version first fails cleanly (and writes nothing) on a file that is
    // not a database.
    int version = 0;
    s << "PRAGMA user_version", into(version), now;
    if (version > latestSchemaVersion()) {
      return core::failedPrecondition(
          "this data was written by a newer version of Recourse (schema " +
          std::to_string(version) + "; this version understands up to " +
          std::to_string(latestSchemaVersion()) + "). Nothing was changed; update Recourse.");
    }
    s << "PRAGMA foreign_keys = ON", now;
    s << "PRAGMA secure_delete = ON", now;
    s << "PRAGMA temp_store = MEMORY", now;
    s << "PRAGMA busy_timeout = 5000", now;
    std::string journal;
    s << "PRAGMA journal_mode = WAL", into(journal), now;
    for (const auto& m : migrations()) {
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

template <typename F>
Status Store::inTransaction(F&& body) {
  // Inside inOneTransaction a nested transaction is a savepoint: it undoes only its own
  // writes on failure and lets the outer transaction decide about the rest.
  const bool nested = tx_depth_ > 0;
  const std::string sp = "sp" + std::to_string(tx_depth_);
  bool entered = false;
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
    return translate(e, "writing to the database");
  } catch (const std::exception& e) {
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
    return core::internalError(std::string("writing to the database: ") + e.what());
  }
}

Status Store::inOneTransaction(const std::function<Status()>& body) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  return inTransaction([&]() -> Status { return body(); });
}

StatusOr<std::string> Store::importKey(std::string_view kind, std::string_view material) {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  std::string text = std::string(kind) + '\0' + std::string(material);
  if (!import_key_) import_key_ = deriveSubkey(*kek_, "importky");
  return keyedHashHex(*import_key_, text);
}

Status Store::rememberImported(std::string_view kind, std::string_view material,
                               const std::string& entity_id) {
  std::lock_guard lk(mu_);
  ASSIGN_OR_RETURN(std::string key, importKey(kind, material));
  return inTransaction([&]() -> Status {
    if (stmts_->firstRow("SELECT 1 FROM import_keys WHERE key = ?", {key})) {
      return core::conflict(std::string(kind) + ": already imported");
    }
    stmts_->insert("import_keys", {{"key", key},
                                   {"kind", std::string(kind)},
                                   {"entity_id", entity_id},
                                   {"created_at", core::formatTimestamp(clock_.now())}});
    return Status::ok();
  });
}

StatusOr<std::optional<std::string>> Store::findImported(std::string_view kind,
                                                         std::string_view material) {
  std::lock_guard lk(mu_);
  ASSIGN_OR_RETURN(std::string key, importKey(kind, material));
  try {
    auto row = stmts_->firstRow("SELECT entity_id FROM import_keys WHERE key = ?", {key});
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>((*row)[0]);
  } catch (const Poco::Exception& e) {
    return translate(e, "reading import keys");
  }
}

int Store::schemaVersion() {
  std::lock_guard lk(mu_);
  int version = 0;
  try {
    *session_ << "PRAGMA user_version", into(version), now;
  } catch (const Poco::Exception&) {
    return -1;
  }
  return version;
}

// ---- vault ---------------------------------------------------------------------------

bool Store::hasVault() {
  std::lock_guard lk(mu_);
  try {
    int n = 0;
    *session_ << "SELECT count(*) FROM vault", into(n), now;
    return n > 0;
  } catch (const Poco::Exception&) {
    return false;
  }
}

Status Store::createVault(std::string_view passphrase, const KdfParams& params) {
  if (passphrase.empty()) return core::invalidArgument("passphrase: must not be empty");
  std::lock_guard lk(mu_);
  Bytes salt = randomBytes(kSaltSize);
  ASSIGN_OR_RETURN(SecretKey kek, deriveKey(passphrase, salt, params));
  Bytes check = seal(kek, kVaultCheck, "recourse/v1/vault/check");
  Status s = inTransaction([&]() -> Status {
    int n = 0;
    *session_ << "SELECT count(*) FROM vault", into(n), now;
    if (n > 0) return core::conflict("a vault already exists here; nothing was changed");
    stmts_->insert("vault", {{"id", 1LL},
                             {"kdf_version", static_cast<long long>(kKdfVersion)},
                             {"opslimit", static_cast<long long>(params.opslimit)},
                             {"memlimit", static_cast<long long>(params.memlimit)},
                             {"salt", salt},
                             {"check_value", check},
                             {"created_at", core::formatTimestamp(clock_.now())}});
    return appendAudit("vault.create", "vault", "1");
  });
  if (s.isOk()) kek_ = std::move(kek);
  return s;
}

Status Store::unlock(std::string_view passphrase) {
  std::lock_guard lk(mu_);
  Bytes salt;
  Bytes check;
  KdfParams params;
  try {
    RecordSet rs = query(
        *session_, "SELECT kdf_version, opslimit, memlimit, salt, check_value FROM vault", {});
    if (rs.rowCount() == 0) {
      return core::failedPrecondition(
          "there is no vault here yet; create one with 'recourse init'");
    }
    if (intAt(rs, 0, 0) != kKdfVersion) {
      return core::failedPrecondition("the vault uses key-derivation version " +
                                      std::to_string(intAt(rs, 0, 0)) +
                                      ", which this version of Recourse does not know");
    }
    params.opslimit = static_cast<std::uint64_t>(intAt(rs, 1, 0));
    params.memlimit = static_cast<std::uint64_t>(intAt(rs, 2, 0));
    salt = blobAt(rs, 3, 0);
    check = blobAt(rs, 4, 0);
  } catch (const Poco::Exception& e) {
    return translate(e, "reading the vault");
  }
  ASSIGN_OR_RETURN(SecretKey kek, deriveKey(passphrase, salt, params));
  auto opened = open(kek, check, "recourse/v1/vault/check");
  if (!opened.isOk() || *opened != kVaultCheck) {
    return core::unauthenticated("that passphrase does not open this vault; nothing was changed");
  }
  client_keys_.clear();
  import_key_.reset();
  custody_key_.reset();
  kek_ = std::move(kek);
  return Status::ok();
}

void Store::lock() {
  std::lock_guard lk(mu_);
  client_keys_.clear();  // SecretKey destructors wipe
  import_key_.reset();
  custody_key_.reset();
  kek_.reset();
}

bool Store::isUnlocked() {
  std::lock_guard lk(mu_);
  return kek_.has_value();
}

Status Store::requireUnlocked() {
  if (!kek_) return core::unauthenticated("the vault is locked; unlock it with the passphrase");
  return Status::ok();
}

StatusOr<const SecretKey*> Store::clientKey(const std::string& client_id) {
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  auto it = client_keys_.find(client_id);
  if (it != client_keys_.end()) return &it->second;
  RecordSet rs = query(*session_, "SELECT wrapped_key FROM clients WHERE id = ?", {client_id});
  if (rs.rowCount() == 0) return core::notFound("client: no client with id " + client_id);
  auto key = openKey(*kek_, blobAt(rs, 0, 0), sealContext("clients", "wrapped_key", client_id));
  if (!key.isOk()) {
    return core::corruption("the key of client " + client_id + " does not open with this vault");
  }
  // Keep a bounded number: a batch of thousands of clients must not pin thousands of
  // locked pages. Pointers from earlier calls are not used across a later call.
  if (client_keys_.size() >= kMaxCachedKeys) client_keys_.clear();
  auto [pos, inserted] = client_keys_.emplace(client_id, std::move(key).value());
  return &pos->second;
}

StatusOr<std::string> Store::clientOfCase(const std::string& case_id) {
  auto row = stmts_->firstRow("SELECT client_id FROM cases WHERE id = ?", {case_id});
  if (!row) return core::notFound("case: no case with id " + case_id);
  return (*row)[0];
}

Status Store::appendAudit(std::string_view action, std::string_view type, std::string_view id) {
  auto last = stmts_->firstRow("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {});
  long long seq = last ? std::stoll((*last)[0]) + 1 : 1;
  std::string prev = last ? (*last)[1] : "";
  std::string at = core::formatTimestamp(clock_.now());
  std::string material = prev + "|" + std::to_string(seq) + "|" + at + "|" + std::string(action) +
                         "|" + std::string(type) + "|" + std::string(id);
  stmts_->insert("audit_log", {{"seq", seq},
                               {"at", at},
                               {"action", std::string(action)},
                               {"entity_type", std::string(type)},
                               {"entity_id", std::string(id)},
                               {"prev_hash", prev},
                               {"hash", sha256Hex(material)}});
  return Status::ok();
}

// ---- clients -------------------------------------------------------------------------

StatusOr<core::Client> Store::addClient(const core::Client& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateClient(in));
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::Client c = in;
  c.id = randomId("cl");
  c.created_at = c.updated_at = clock_.now();
  SecretKey key = SecretKey::random();
  Status s = inTransaction([&]() -> Status {
    const std::string& id = c.id;
    stmts_->insert("clients",
                   {{"id", id},
                    {"wrapped_key", sealKey(*kek_, key, sealContext("clients", "wrapped_key", id))},
                    {"name", sealed(key, "clients", "name", id, c.name)},
                    {"email", sealed(key, "clients", "email", id, c.email)},
                    {"phone", sealed(key, "clients", "phone", id, c.phone)},
                    {"address", sealed(key, "clients", "address", id, c.address)},
                    {"notes", sealed(key, "clients", "notes", id, c.notes)},
                    {"created_at", core::formatTimestamp(c.created_at)},
                    {"updated_at", core::formatTimestamp(c.updated_at)}});
    return appendAudit("client.add", "client", id);
  });
  if (!s.isOk()) return s;
  if (client_keys_.size() >= kMaxCachedKeys) client_keys_.clear();
  client_keys_.emplace(c.id, std::move(key));
  return c;
}

namespace {
constexpr const char* kClientColumns =
    "SELECT id, name, email, phone, address, notes, created_at, updated_at FROM clients";
}

StatusOr<core::Client> Store::getClient(const std::string& id) {
  auto all = listClientsWhere(id);
  if (!all.isOk()) return all.status();
  if (all->empty()) return core::notFound("client: no client with id " + id);
  return all->front();
}

StatusOr<std::vector<core::Client>> Store::listClients() { return listClientsWhere(""); }

StatusOr<std::vector<core::Client>> Store::listClientsWhere(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    RecordSet rs = id.empty()
                       ? query(*session_, std::string(kClientColumns) + " ORDER BY rowid", {})
                       : query(*session_, std::string(kClientColumns) + " WHERE id = ?", {id});
    std::vector<core::Client> out;
    for (size_t r = 0; r < rs.rowCount(); ++r) {
      core::Client c;
      c.id = textAt(rs, 0, r);
      ASSIGN_OR_RETURN(const SecretKey* key, clientKey(c.id));
      ASSIGN_OR_RETURN(c.name, unsealAt(rs, 1, r, *key, "clients", "name", c.id));
      ASSIGN_OR_RETURN(c.email, unsealAt(rs, 2, r, *key, "clients", "email", c.id));
      ASSIGN_OR_RETURN(c.phone, unsealAt(rs, 3, r, *key, "clients", "phone", c.id));
      ASSIGN_OR_RETURN(c.address, unsealAt(rs, 4, r, *key, "clients", "address", c.id));
      ASSIGN_OR_RETURN(c.notes, unsealAt(rs, 5, r, *key, "clients", "notes", c.id));
      ASSIGN_OR_RETURN(c.created_at, timeAt(rs, 6, r, "created_at"));
      ASSIGN_OR_RETURN(c.updated_at, timeAt(rs, 7, r, "updated_at"));
      out.push_back(std::move(c));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return translate(e, "reading clients");
  }
}

// ---- cases ---------------------------------------------------------------------------

StatusOr<core::Case> Store::addCase(const core::Case& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateCase(in));
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::Case c = in;
  c.id = randomId("cs");
  c.provider.id = randomId("pv");
  c.provider.client_id = c.client_id;
  c.created_at = c.updated_at = clock_.now();
  try {
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(c.client_id));
    const SecretKey& key = *keyp;
    Status s = inTransaction([&]() -> Status {
      const core::Provider& p = c.provider;
      const std::string& pid = p.id;
      std::string now_text = core::formatTimestamp(c.created_at);
      stmts_->insert(
          "providers",
          {{"id", pid},
           {"client_id", c.client_id},
           {"name", sealed(key, "providers", "name", pid, p.name)},
           {"credentials", sealed(key, "providers", "credentials", pid, p.credentials)},
           {"license_type", textOrNull(p.license_type)},
           {"license_number", sealed(key, "providers", "license_number", pid, p.license_number)},
           {"jurisdiction", textOrNull(p.jurisdiction)},
           {"practice", sealed(key, "providers", "practice", pid, p.practice)},
           {"address", sealed(key, "providers", "address", pid, p.address)},
           {"email", sealed(key, "providers", "email", pid, p.email)},
           {"phone", sealed(key, "providers", "phone", pid, p.phone)},
           {"created_at", now_text}});
      stmts_->insert("cases", {{"id", c.id},
                               {"client_id", c.client_id},
                               {"provider_id", pid},
                               {"title", sealed(key, "cases", "title", c.id, c.title)},
                               {"treatment_start", dateOrNull(c.treatment_start)},
                               {"treatment_end", dateOrNull(c.treatment_end)},
                               {"notes", sealed(key, "cases", "notes", c.id, c.notes)},
                               {"created_at", now_text},
                               {"updated_at", now_text}});
      return appendAudit("case.add", "case", c.id);
    });
    if (!s.isOk()) return s;
  } catch (const Poco::Exception& e) {
    return translate(e, "adding a case");
  }
  return c;
}

StatusOr<core::Case> Store::getCase(const std::string& id) {
  auto all = listCasesWhere("cases.id = ?", id);
  if (!all.isOk()) return all.status();
  if (all->empty()) return core::notFound("case: no case with id " + id);
  return all->front();
}

StatusOr<std::vector<core::Case>> Store::listCases(const std::string& client_id) {
  if (client_id.empty()) return listCasesWhere("", "");
  {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(requireUnlocked());
    try {
      RecordSet rs = query(*session_, "SELECT 1 FROM clients WHERE id = ?", {client_id});
      if (rs.rowCount() == 0) return core::notFound("client: no client with id " + client_id);
    } catch (const Poco::Exception& e) {
      return translate(e, "reading cases");
    }
  }
  return listCasesWhere("cases.client_id = ?", client_id);
}

StatusOr<std::vector<core::Case>> Store::listCasesWhere(const std::string& where,
                                                        const std::string& arg) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  std::string sql =
      "SELECT cases.id, cases.client_id, cases.title, cases.treatment_start, cases.treatment_end,"
      " cases.notes, cases.created_at, cases.updated_at, p.id, p.name, p.credentials,"
      " p.license_type, p.license_number, p.jurisdiction, p.practice, p.address, p.email, p.phone"
      " FROM cases JOIN providers p ON p.id = cases.provider_id";
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY cases.rowid";
  try {
    RecordSet rs = where.empty() ? query(*session_, sql, {}) : query(*session_, sql, {arg});
    std::vector<core::Case> out;
    for (size_t r = 0; r < rs.rowCount(); ++r) {
      core::Case c;
      c.id = textAt(rs, 0, r);
      c.client_id = textAt(rs, 1, r);
      ASSIGN_OR_RETURN(const SecretKey* key, clientKey(c.client_id));
      ASSIGN_OR_RETURN(c.title, unsealAt(rs, 2, r, *key, "cases", "title", c.id));
      ASSIGN_OR_RETURN(c.treatment_start, dateAt(rs, 3, r, "treatment_start"));
      ASSIGN_OR_RETURN(c.treatment_end, dateAt(rs, 4, r, "treatment_end"));
      ASSIGN_OR_RETURN(c.notes, unsealAt(rs, 5, r, *key, "cases", "notes", c.id));
      ASSIGN_OR_RETURN(c.created_at, timeAt(rs, 6, r, "created_at"));
      ASSIGN_OR_RETURN(c.updated_at, timeAt(rs, 7, r, "updated_at"));
      core::Provider& p = c.provider;
      p.id = textAt(rs, 8, r);
      p.client_id = c.client_id;
      ASSIGN_OR_RETURN(p.name, unsealAt(rs, 9, r, *key, "providers", "name", p.id));
      ASSIGN_OR_RETURN(p.credentials, unsealAt(rs, 10, r, *key, "providers", "credentials", p.id));
      p.license_type = textAt(rs, 11, r);
      ASSIGN_OR_RETURN(p.license_number,
                       unsealAt(rs, 12, r, *key, "providers", "license_number", p.id));
      p.jurisdiction = textAt(rs, 13, r);
      ASSIGN_OR_RETURN(p.practice, unsealAt(rs, 14, r, *key, "providers", "practice", p.id));
      ASSIGN_OR_RETURN(p.address, unsealAt(rs, 15, r, *key, "providers", "address", p.id));
      ASSIGN_OR_RETURN(p.email, unsealAt(rs, 16, r, *key, "providers", "email", p.id));
      ASSIGN_OR_RETURN(p.phone, unsealAt(rs, 17, r, *key, "providers", "phone", p.id));
      out.push_back(std::move(c));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return translate(e, "reading cases");
  }
}

// ---- incidents -----------------------------------------------------------------------

StatusOr<core::Incident> Store::addIncident(const core::Incident& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateIncident(in));
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::Incident i = in;
  i.id = randomId("in");
  i.created_at = i.updated_at = clock_.now();
  try {
    ASSIGN_OR_RETURN(std::string client_id, clientOfCase(i.case_id));
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(client_id));
    const SecretKey& key = *keyp;
    Status s = inTransaction([&]() -> Status {
      const std::string& id = i.id;
      std::string now_text = core::formatTimestamp(i.created_at);
      stmts_->insert(
          "incidents",
          {{"id", id},
           {"case_id", i.case_id},
           {"summary", sealed(key, "incidents", "summary", id, i.summary)},
           {"date_precision", std::string(core::datePrecisionName(i.date_precision))},
           {"date_start", dateOrNull(i.date_start)},
           {"date_end", dateOrNull(i.date_end)},
           {"date_text", sealed(key, "incidents", "date_text", id, i.date_text)},
           {"channel", textOrNull(i.channel)},
           {"narrative", sealed(key, "incidents", "narrative", id, i.narrative)},
           {"impact", sealed(key, "incidents", "impact", id, i.impact)},
           {"harm_kinds", sealed(key, "incidents", "harm_kinds", id, joinKinds(i.harm_kinds))},
           {"witnesses", sealed(key, "incidents", "witnesses", id, i.witnesses)},
           {"created_at", now_text},
           {"updated_at", now_text}});
      return appendAudit("incident.add", "incident", id);
    });
    if (!s.isOk()) return s;
  } catch (const Poco::Exception& e) {
    return translate(e, "adding an incident");
  }
  return i;
}

StatusOr<std::vector<core::Incident>> Store::listIncidents(const std::string& case_id) {
  {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(requireUnlocked());
    try {
      ASSIGN_OR_RETURN(std::string client_id, clientOfCase(case_id));
    } catch (const Poco::Exception& e) {
      return translate(e, "reading incidents");
    }
  }
  return listIncidentsWhere("i.case_id = ?", case_id);
}

StatusOr<core::Incident> Store::getIncident(const std::string& id) {
  ASSIGN_OR_RETURN(auto all, listIncidentsWhere("i.id = ?", id));
  if (all.empty()) return core::notFound("incident: no incident with id " + id);
  return all.front();
}

StatusOr<std::vector<core::Incident>> Store::listIncidentsWhere(const std::string& where,
                                                                const std::string& arg) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    RecordSet rs = query(
        *session_,
        "SELECT i.id, i.case_id, c.client_id, i.summary, i.date_precision, i.date_start,"
        " i.date_end, i.date_text, i.channel, i.narrative, i.impact, i.harm_kinds, i.witnesses,"
        " i.created_at, i.updated_at FROM incidents i JOIN cases c ON c.id = i.case_id WHERE " +
            where + " ORDER BY i.date_start IS NULL, i.date_start, i.rowid",
        {arg});
    std::vector<core::Incident> out;
    for (size_t r = 0; r < rs.rowCount(); ++r) {
      core::Incident i;
      i.id = textAt(rs, 0, r);
      i.case_id = textAt(rs, 1, r);
      ASSIGN_OR_RETURN(const SecretKey* key, clientKey(textAt(rs, 2, r)));
      ASSIGN_OR_RETURN(i.summary, unsealAt(rs, 3, r, *key, "incidents", "summary", i.id));
      auto precision = core::parseDatePrecision(textAt(rs, 4, r));
      if (!precision) return core::corruption("incident " + i.id + ": unknown date precision");
      i.date_precision = *precision;
      ASSIGN_OR_RETURN(i.date_start, dateAt(rs, 5, r, "date_start"));
      ASSIGN_OR_RETURN(i.date_end, dateAt(rs, 6, r, "date_end"));
      ASSIGN_OR_RETURN(i.date_text, unsealAt(rs, 7, r, *key, "incidents", "date_text", i.id));
      i.channel = textAt(rs, 8, r);
      ASSIGN_OR_RETURN(i.narrative, unsealAt(rs, 9, r, *key, "incidents", "narrative", i.id));
      ASSIGN_OR_RETURN(i.impact, unsealAt(rs, 10, r, *key, "incidents", "impact", i.id));
      ASSIGN_OR_RETURN(std::string kinds,
                       unsealAt(rs, 11, r, *key, "incidents", "harm_kinds", i.id));
      i.harm_kinds = splitKinds(kinds);
      ASSIGN_OR_RETURN(i.witnesses, unsealAt(rs, 12, r, *key, "incidents", "witnesses", i.id));
      ASSIGN_OR_RETURN(i.created_at, timeAt(rs, 13, r, "created_at"));
      ASSIGN_OR_RETURN(i.updated_at, timeAt(rs, 14, r, "updated_at"));
      out.push_back(std::move(i));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return translate(e, "reading incidents");
  }
}

StatusOr<core::Incident> Store::updateIncident(const core::Incident& in) {
  RECOURSE_RETURN_IF_ERROR(core::validateIncident(in));
  ASSIGN_OR_RETURN(core::Incident before, getIncident(in.id));
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::Incident i = in;
  i.case_id = before.case_id;
  i.created_at = before.created_at;
  i.updated_at = clock_.now();
  try {
    ASSIGN_OR_RETURN(std::string client_id, clientOfCase(i.case_id));
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(client_id));
    const SecretKey& key = *keyp;
    Status s = inTransaction([&]() -> Status {
      const std::string& id = i.id;
      stmts_->update(
          "incidents", id,
          {{"summary", sealed(key, "incidents", "summary", id, i.summary)},
           {"date_precision", std::string(core::datePrecisionName(i.date_precision))},
           {"date_start", dateOrNull(i.date_start)},
           {"date_end", dateOrNull(i.date_end)},
           {"date_text", sealed(key, "incidents", "date_text", id, i.date_text)},
           {"channel", textOrNull(i.channel)},
           {"narrative", sealed(key, "incidents", "narrative", id, i.narrative)},
           {"impact", sealed(key, "incidents", "impact", id, i.impact)},
           {"harm_kinds", sealed(key, "incidents", "harm_kinds", id, joinKinds(i.harm_kinds))},
           {"witnesses", sealed(key, "incidents", "witnesses", id, i.witnesses)},
           {"updated_at", core::formatTimestamp(i.updated_at)}});
      return appendAudit("incident.edit", "incident", id);
    });
    if (!s.isOk()) return s;
  } catch (const Poco::Exception& e) {
    return translate(e, "changing an incident");
  }
  return i;
}

// ---- records requests ----------------------------------------------------------------

StatusOr<core::RecordsRequest> Store::addRequest(const core::RecordsRequest& in) {
  if (in.case_id.empty()) return core::invalidArgument("case: must name the case");
  if (in.custodian_name.find_first_not_of(" \t") == std::string::npos) {
    return core::invalidArgument("custodian_name: must not be empty");
  }
  for (const auto* f :
       {&in.custodian_name, &in.custodian_address, &in.custodian_email, &in.reference}) {
    if (f->size() > core::kMaxShortText * 4 || !core::isValidUtf8(*f)) {
      return core::invalidArgument("custodian: a field is too long or not valid UTF-8 text");
    }
  }
  if (!in.jurisdiction.empty() && !core::isJurisdictionCode(in.jurisdiction)) {
    return core::invalidArgument("jurisdiction: \"" + in.jurisdiction.substr(0, 20) +
                                 "\" is not a jurisdiction code");
  }
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::RecordsRequest r = in;
  r.id = randomId("rq");
  r.created_at = clock_.now();
  try {
    ASSIGN_OR_RETURN(std::string client_id, clientOfCase(r.case_id));
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(client_id));
    const SecretKey& key = *keyp;
    Status s = inTransaction([&]() -> Status {
      const std::string& id = r.id;
      stmts_->insert(
          "records_requests",
          {{"id", id},
           {"case_id", r.case_id},
           {"custodian_name",
            seal(key, r.custodian_name, sealContext("records_requests", "custodian_name", id))},
           {"custodian_address",
            sealed(key, "records_requests", "custodian_address", id, r.custodian_address)},
           {"custodian_email",
            sealed(key, "records_requests", "custodian_email", id, r.custodian_email)},
           {"jurisdiction", textOrNull(r.jurisdiction)},
           {"reference", sealed(key, "records_requests", "reference", id, r.reference)},
           {"answers", sealed(key, "records_requests", "answers", id, r.answers_json)},
           {"created_at", core::formatTimestamp(r.created_at)}});
      return appendAudit("request.add", "request", id);
    });
    if (!s.isOk()) return s;
  } catch (const Poco::Exception& e) {
    return translate(e, "adding a records request");
  }
  return r;
}

StatusOr<core::RecordsRequest> Store::getRequest(const std::string& id) {
  auto all = listRequestsWhere("r.id = ?", id);
  if (!all.isOk()) return all.status();
  if (all->empty()) return core::notFound("request: no records request with id " + id);
  return all->front();
}

StatusOr<std::vector<core::RecordsRequest>> Store::listRequests(const std::string& case_id) {
  if (case_id.empty()) return listRequestsWhere("", "");
  {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(requireUnlocked());
    try {
      auto c = clientOfCase(case_id);
      if (!c.isOk()) return c.status();
    } catch (const Poco::Exception& e) {
      return translate(e, "reading requests");
    }
  }
  return listRequestsWhere("r.case_id = ?", case_id);
}

StatusOr<std::vector<core::RecordsRequest>> Store::listRequestsWhere(const std::string& where,
                                                                     const std::string& arg) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  std::string sql =
      "SELECT r.id, r.case_id, c.client_id, r.custodian_name, r.custodian_address,"
      " r.custodian_email, r.jurisdiction, r.reference, r.answers, r.created_at"
      " FROM records_requests r JOIN cases c ON c.id = r.case_id";
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY r.rowid";
  try {
    RecordSet rs = where.empty() ? query(*session_, sql, {}) : query(*session_, sql, {arg});
    std::vector<core::RecordsRequest> out;
    for (size_t i = 0; i < rs.rowCount(); ++i) {
      core::RecordsRequest r;
      r.id = textAt(rs, 0, i);
      r.case_id = textAt(rs, 1, i);
      ASSIGN_OR_RETURN(const SecretKey* key, clientKey(textAt(rs, 2, i)));
      const char* t = "records_requests";
      ASSIGN_OR_RETURN(r.custodian_name, unsealAt(rs, 3, i, *key, t, "custodian_name", r.id));
      ASSIGN_OR_RETURN(r.custodian_address, unsealAt(rs, 4, i, *key, t, "custodian_address", r.id));
      ASSIGN_OR_RETURN(r.custodian_email, unsealAt(rs, 5, i, *key, t, "custodian_email", r.id));
      r.jurisdiction = textAt(rs, 6, i);
      ASSIGN_OR_RETURN(r.reference, unsealAt(rs, 7, i, *key, t, "reference", r.id));
      ASSIGN_OR_RETURN(r.answers_json, unsealAt(rs, 8, i, *key, t, "answers", r.id));
      ASSIGN_OR_RETURN(r.created_at, timeAt(rs, 9, i, "created_at"));
      out.push_back(std::move(r));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return translate(e, "reading requests");
  }
}

StatusOr<core::RequestEvent> Store::addRequestEvent(const core::RequestEvent& in) {
  if (in.details.size() > core::kMaxLongText || !core::isValidUtf8(in.details)) {
    return core::invalidArgument("details: too long or not valid UTF-8 text");
  }
  if (!in.via.empty()) {
    const auto& channels = core::sendChannels();
    if (std::find(channels.begin(), channels.end(), in.via) == channels.end()) {
      return core::invalidArgument("via: \"" + in.via.substr(0, 20) +
                                   "\" is not one of mail, email, fax, portal, in_person");
    }
  }
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::RequestEvent e = in;
  e.id = randomId("ev");
  e.recorded_at = clock_.now();
  try {
    auto owner = stmts_->firstRow(
        "SELECT c.client_id FROM records_requests r JOIN cases c ON c.id = r.case_id WHERE "
        "r.id = ?",
        {e.request_id});
    if (!owner) return core::notFound("request: no records request with id " + e.request_id);
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey((*owner)[0]));
    const SecretKey& key = *keyp;
    Status s = inTransaction([&]() -> Status {
      stmts_->insert("request_events",
                     {{"id", e.id},
                      {"request_id", e.request_id},
                      {"type", std::string(core::requestEventName(e.type))},
                      {"on_date", e.on.toString()},
                      {"via", textOrNull(e.via)},
                      {"details", sealed(key, "request_events", "details", e.id, e.details)},
                      {"recorded_at", core::formatTimestamp(e.recorded_at)}});
      return appendAudit("request.event", "request", e.request_id);
    });
    if (!s.isOk()) return s;
  } catch (const Poco::Exception& ex) {
    return translate(ex, "recording a request event");
  }
  return e;
}

StatusOr<std::vector<core::RequestEvent>> Store::listRequestEvents(const std::string& request_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    RecordSet owner = query(*session_,
                            "SELECT c.client_id FROM records_requests r JOIN cases c ON c.id = "
                            "r.case_id WHERE r.id = ?",
                            {request_id});
    if (owner.rowCount() == 0) {
      return core::notFound("request: no records request with id " + request_id);
    }
    ASSIGN_OR_RETURN(const SecretKey* key, clientKey(textAt(owner, 0, 0)));
    RecordSet rs = query(*session_,
                         "SELECT id, type, on_date, via, details, recorded_at FROM request_events"
                         " WHERE request_id = ? ORDER BY on_date, rowid",
                         {request_id});
    std::vector<core::RequestEvent> out;
    for (size_t i = 0; i < rs.rowCount(); ++i) {
      core::RequestEvent e;
      e.id = textAt(rs, 0, i);
      e.request_id = request_id;
      auto type = core::parseRequestEvent(textAt(rs, 1, i));
      if (!type) return core::corruption("request event " + e.id + ": unknown type");
      e.type = *type;
      ASSIGN_OR_RETURN(std::optional<core::Date> on, dateAt(rs, 2, i, "on_date"));
      if (!on) return core::corruption("request event " + e.id + ": no date");
      e.on = *on;
      e.via = textAt(rs, 3, i);
      ASSIGN_OR_RETURN(e.details, unsealAt(rs, 4, i, *key, "request_events", "details", e.id));
      ASSIGN_OR_RETURN(e.recorded_at, timeAt(rs, 5, i, "recorded_at"));
      out.push_back(std::move(e));
    }
    return out;
  } catch (const Poco::Exception& ex) {
    return translate(ex, "reading request events");
  }
}

// ---- audit log -----------------------------------------------------------------------

StatusOr<std::vector<core::AuditEvent>> Store::auditEvents() {
  std::lock_guard lk(mu_);
  try {
    RecordSet rs = query(*session_,
                         "SELECT seq, at, action, entity_type, entity_id, prev_hash, hash"
                         " FROM audit_log ORDER BY seq",
                         {});
    std::vector<core::AuditEvent> out;
    for (size_t r = 0; r < rs.rowCount(); ++r) {
      core::AuditEvent e;
      e.seq = intAt(rs, 0, r);
      ASSIGN_OR_RETURN(e.at, timeAt(rs, 1, r, "at"));
      e.action = textAt(rs, 2, r);
      e.entity_type = textAt(rs, 3, r);
      e.entity_id = textAt(rs, 4, r);
      e.prev_hash = textAt(rs, 5, r);
      e.hash = textAt(rs, 6, r);
      out.push_back(std::move(e));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return translate(e, "reading the audit log");
  }
}

Status Store::verifyAuditChain() {
  auto events = auditEvents();
  if (!events.isOk()) return events.status();
  std::string prev;
  long long expected_seq = 1;
  for (const auto& e : *events) {
    if (e.seq != expected_seq) {
      return core::corruption("audit log: entry " + std::to_string(expected_seq) + " is missing");
    }
    std::string material = prev + "|" + std::to_string(e.seq) + "|" + core::formatTimestamp(e.at) +
                           "|" + e.action + "|" + e.entity_type + "|" + e.entity_id;
    if (e.prev_hash != prev || e.hash != sha256Hex(material)) {
      return core::corruption("audit log: entry " + std::to_string(e.seq) +
                              " does not match the chain");
    }
    prev = e.hash;
    ++expected_seq;
  }
  return Status::ok();
}

// ---- evidence ------------------------------------------------------------------------

namespace {
std::string sealedPath(const std::string& dir, const std::string& id) {
  return dir + "/" + id + ".sealed";
}
std::string custodyMaterial(const std::string& prev, long long seq, const std::string& at,
                            std::string_view action, const std::string& evidence_id,
                            const std::string& sha256) {
  return prev + "|" + std::to_string(seq) + "|" + at + "|" + std::string(action) + "|" +
         evidence_id + "|" + sha256;
}
}  // namespace

std::string Store::custodyLink(const std::string& material) {
  if (!custody_key_) custody_key_ = deriveSubkey(*kek_, "custodyl");
  return keyedHashHex(*custody_key_, material);
}

Status Store::appendCustody(std::string_view action, const std::string& evidence_id,
                            const std::string& sha256_hex) {
  auto last = stmts_->firstRow("SELECT seq, hash FROM custody_log ORDER BY seq DESC LIMIT 1", {});
  long long seq = last ? std::stoll((*last)[0]) + 1 : 1;
  std::string prev = last ? (*last)[1] : "";
  std::string at = core::formatTimestamp(clock_.now());
  stmts_->insert(
      "custody_log",
      {{"seq", seq},
       {"at", at},
       {"action", std::string(action)},
       {"evidence_id", evidence_id},
       {"sha256", sha256_hex},
       {"prev_hash", prev},
       {"hash", custodyLink(custodyMaterial(prev, seq, at, action, evidence_id, sha256_hex))}});
  return Status::ok();
}

StatusOr<core::EvidenceItem> Store::addEvidence(const core::EvidenceItem& in,
                                                const std::string& source, const std::string& dir) {
  if (in.original_name.empty() || in.original_name.size() > core::kMaxShortText ||
      !core::isValidUtf8(in.original_name)) {
    return core::invalidArgument("original_name: must be a file name of up to " +
                                 std::to_string(core::kMaxShortText) + " characters");
  }
  if (in.description.size() > core::kMaxLongText || !core::isValidUtf8(in.description)) {
    return core::invalidArgument("description: too long or not valid UTF-8 text");
  }
  if (in.sha256_hex.size() != 64) return core::invalidArgument("sha256: must be taken first");
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  core::EvidenceItem e = in;
  e.id = randomId("ev");
  e.intake_at = clock_.now();
  const std::string path = sealedPath(dir, e.id);
  const std::string partial = path + ".partial";
  try {
    ASSIGN_OR_RETURN(std::string client_id, clientOfCase(e.case_id));
    if (!e.incident_id.empty()) {
      auto owner = stmts_->firstRow("SELECT case_id FROM incidents WHERE id = ?", {e.incident_id});
      if (!owner || (*owner)[0] != e.case_id) {
        return core::notFound("incident: no incident " + e.incident_id + " in this case");
      }
    }
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(client_id));
    const SecretKey& key = *keyp;
    SecretKey file_key = SecretKey::random();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return core::ioError(dir + ": cannot create the evidence folder: " + ec.message());
    auto sealed_hash = sealFile(file_key, source, partial, sealContext("evidence", "file", e.id));
    if (!sealed_hash.isOk()) {
      std::filesystem::remove(partial, ec);
      return sealed_hash.status();
    }
    if (*sealed_hash != e.sha256_hex) {
      std::filesystem::remove(partial, ec);
      return core::conflict(e.original_name +
                            ": the file changed while it was being added; nothing was kept. "
                            "Add it again once nothing is writing to it.");
    }
    std::filesystem::rename(partial, path, ec);
    if (ec) {
      std::filesystem::remove(partial, ec);
      return core::ioError(path + ": cannot create: " + ec.message());
    }
    Status s = inTransaction([&]() -> Status {
      const std::string& id = e.id;
      stmts_->insert("evidence",
                     {{"id", id},
                      {"case_id", e.case_id},
                      {"incident_id", textOrNull(e.incident_id)},
                      {"original_name",
                       seal(key, e.original_name, sealContext("evidence", "original_name", id))},
                      {"media_type", textOrNull(e.media_type)},
                      {"size_bytes", static_cast<long long>(e.size_bytes)},
                      {"sha256", e.sha256_hex},
                      {"description", sealed(key, "evidence", "description", id, e.description)},
                      {"added_by", textOrNull(e.added_by)},
                      {"intake_at", core::formatTimestamp(e.intake_at)},
                      {"file_key", sealKey(key, file_key, sealContext("evidence", "file_key", id))},
                      {"exhibit_date", dateOrNull(e.date)}});
      RECOURSE_RETURN_IF_ERROR(appendCustody("intake", id, e.sha256_hex));
      return appendAudit("evidence.add", "evidence", id);
    });
    if (!s.isOk()) {
      std::filesystem::remove(path, ec);
      return s;
    }
  } catch (const Poco::Exception& ex) {
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    std::filesystem::remove(path, ec);
    return translate(ex, "adding evidence");
  }
  return e;
}

StatusOr<core::EvidenceItem> Store::getEvidence(const std::string& id) {
  ASSIGN_OR_RETURN(auto all, listEvidenceWhere("e.id = ?", id));
  if (all.empty()) return core::notFound("evidence: no evidence with id " + id);
  return all.front();
}

StatusOr<std::vector<core::EvidenceItem>> Store::listEvidence(const std::string& case_id) {
  {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(requireUnlocked());
    try {
      ASSIGN_OR_RETURN(std::string client_id, clientOfCase(case_id));
    } catch (const Poco::Exception& e) {
      return translate(e, "reading evidence");
    }
  }
  return listEvidenceWhere("e.case_id = ?", case_id);
}

StatusOr<std::vector<core::EvidenceItem>> Store::listEvidenceWhere(const std::string& where,
                                                                   const std::string& arg) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    std::string sql =
        "SELECT e.id, e.case_id, c.client_id, e.incident_id, e.original_name, e.media_type,"
        " e.size_bytes, e.sha256, e.description, e.added_by, e.intake_at, e.exhibit_date"
        " FROM evidence e JOIN cases c ON c.id = e.case_id";
    if (!where.empty()) sql += " WHERE " + where;
    sql += " ORDER BY e.rowid";
    RecordSet rs = where.empty() ? query(*session_, sql, {}) : query(*session_, sql, {arg});
    std::vector<core::EvidenceItem> out;
    for (size_t r = 0; r < rs.rowCount(); ++r) {
      core::EvidenceItem e;
      e.id = textAt(rs, 0, r);
      e.case_id = textAt(rs, 1, r);
      ASSIGN_OR_RETURN(const SecretKey* key, clientKey(textAt(rs, 2, r)));
      e.incident_id = textAt(rs, 3, r);
      ASSIGN_OR_RETURN(e.original_name,
                       unsealAt(rs, 4, r, *key, "evidence", "original_name", e.id));
      e.media_type = textAt(rs, 5, r);
      e.size_bytes = intAt(rs, 6, r);
      e.sha256_hex = textAt(rs, 7, r);
      ASSIGN_OR_RETURN(e.description, unsealAt(rs, 8, r, *key, "evidence", "description", e.id));
      e.added_by = textAt(rs, 9, r);
      ASSIGN_OR_RETURN(e.intake_at, timeAt(rs, 10, r, "intake_at"));
      ASSIGN_OR_RETURN(e.date, dateAt(rs, 11, r, "exhibit_date"));
      out.push_back(std::move(e));
    }
    return out;
  } catch (const Poco::Exception& ex) {
    return translate(ex, "reading evidence");
  }
}

StatusOr<std::string> Store::openSealedEvidence(
    const core::EvidenceItem& e, const std::string& dir,
    const std::function<Status(const std::uint8_t*, size_t)>& sink) {
  ASSIGN_OR_RETURN(std::string client_id, clientOfCase(e.case_id));
  ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(client_id));
  RecordSet rs = query(*session_, "SELECT file_key FROM evidence WHERE id = ?", {e.id});
  if (rs.rowCount() == 0 || rs.isNull(0, 0)) {
    return core::corruption("the evidence has no file key");
  }
  auto file_key = openKey(*keyp, blobAt(rs, 0, 0), sealContext("evidence", "file_key", e.id));
  if (!file_key.isOk()) return core::corruption("its file key does not open");
  return store::openFile(*file_key, sealedPath(dir, e.id), sealContext("evidence", "file", e.id),
                         sink);
}

Status Store::readEvidence(const std::string& id, const std::string& dir, std::string_view action,
                           const std::function<Status(const std::uint8_t*, size_t)>& sink) {
  ASSIGN_OR_RETURN(core::EvidenceItem e, getEvidence(id));
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    auto opened = openSealedEvidence(e, dir, sink);
    if (!opened.isOk()) return opened.status().withContext(id);
    const std::string& hash = *opened;
    if (hash != e.sha256_hex) {
      return core::corruption(id + ": the file's SHA-256 is " + hash + ", not " + e.sha256_hex +
                              " as recorded at intake");
    }
    if (action.empty()) return Status::ok();
    return inTransaction([&]() -> Status { return appendCustody(action, id, e.sha256_hex); });
  } catch (const Poco::Exception& ex) {
    return translate(ex, "reading evidence");
  }
}

Status Store::recordCustody(const std::vector<std::string>& ids, std::string_view action) {
  std::vector<core::EvidenceItem> items;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(core::EvidenceItem e, getEvidence(id));
    items.push_back(std::move(e));
  }
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    return inTransaction([&]() -> Status {
      for (const auto& e : items)
        RECOURSE_RETURN_IF_ERROR(appendCustody(action, e.id, e.sha256_hex));
      return Status::ok();
    });
  } catch (const Poco::Exception& ex) {
    return translate(ex, "writing the custody log");
  }
}

StatusOr<std::vector<core::CustodyEntry>> Store::custodyLog() {
  std::lock_guard lk(mu_);
  try {
    RecordSet rs = query(*session_,
                         "SELECT seq, at, action, evidence_id, sha256, prev_hash, hash"
                         " FROM custody_log ORDER BY seq",
                         {});
    std::vector<core::CustodyEntry> out;
    for (size_t r = 0; r < rs.rowCount(); ++r) {
      core::CustodyEntry c;
      c.seq = intAt(rs, 0, r);
      ASSIGN_OR_RETURN(c.at, timeAt(rs, 1, r, "at"));
      c.action = textAt(rs, 2, r);
      c.evidence_id = textAt(rs, 3, r);
      c.sha256_hex = textAt(rs, 4, r);
      c.prev_hash = textAt(rs, 5, r);
      c.hash = textAt(rs, 6, r);
      out.push_back(std::move(c));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return translate(e, "reading the custody log");
  }
}

StatusOr<std::vector<std::string>> Store::verifyEvidence(const std::string& dir) {
  std::vector<std::string> problems;
  ASSIGN_OR_RETURN(auto log, custodyLog());
  std::string prev;
  long long expected = 1;
  std::map<std::string, std::string> intake;  // evidence id -> hash at intake
  for (const auto& c : log) {
    if (c.seq != expected) {
      problems.push_back("custody log: entry " + std::to_string(expected) + " is missing");
      expected = c.seq;
    }
    std::string material = custodyMaterial(prev, c.seq, core::formatTimestamp(c.at), c.action,
                                           c.evidence_id, c.sha256_hex);
    std::string link;
    {
      std::lock_guard lk(mu_);
      RECOURSE_RETURN_IF_ERROR(requireUnlocked());
      link = custodyLink(material);
    }
    if (c.prev_hash != prev || c.hash != link) {
      problems.push_back("custody log: entry " + std::to_string(c.seq) +
                         " does not match the chain (it was changed, or one before it was)");
    }
    if (c.action == "intake") intake.emplace(c.evidence_id, c.sha256_hex);
    prev = c.hash;
    ++expected;
  }
  ASSIGN_OR_RETURN(auto all, listEvidenceWhere("", ""));
  for (const auto& e : all) {
    auto it = intake.find(e.id);
    if (it == intake.end()) {
      problems.push_back(e.id + ": has no intake entry in the custody log");
    } else if (it->second != e.sha256_hex) {
      problems.push_back(e.id + ": its recorded SHA-256 differs from the one logged at intake");
    }
    std::lock_guard lk(mu_);
    try {
      auto hash =
          openSealedEvidence(e, dir, [](const std::uint8_t*, size_t) { return Status::ok(); });
      if (!hash.isOk()) {
        problems.push_back(e.id + ": " + hash.status().message());
      } else if (*hash != e.sha256_hex) {
        problems.push_back(e.id + ": the file's SHA-256 is " + *hash + ", not " + e.sha256_hex +
                           " as recorded at intake");
      }
    } catch (const Poco::Exception& ex) {
      return translate(ex, "checking evidence");
    }
  }
  return problems;
}

// ---- complaints ----------------------------------------------------------------------

StatusOr<std::optional<core::Complaint>> Store::complaintOfCase(const std::string& case_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireUnlocked());
  try {
    ASSIGN_OR_RETURN(std::string client_id, clientOfCase(case_id));
    ASSIGN_OR_RETURN(const SecretKey* key, clientKey(client_id));
    RecordSet rs = query(*session_,
                         "SELECT id, board_id, jurisdiction, filed_on, answers, created_at,"
                         " updated_at FROM complaints WHERE case_id = ? ORDER BY rowid LIMIT 1",
                         {case_id});
    if (rs.rowCount() == 0) return std::optional<core::Complaint>();
    core::Complaint c;
    c.id = textAt(rs, 0, 0);
    c.case_id = case_id;
    c.board_id = textAt(rs, 1, 0);
    c.jurisdiction = textAt(rs, 2, 0);
    ASSIGN_OR_RETURN(c.filed_on, dateAt(rs, 3, 0, "filed_on"));
    ASSIGN_OR_RETURN(c.answers_json, unsealAt(rs, 4, 0, *key, "complaints", "answers", c.id));
    ASSIGN_OR_RETURN(c.created_at, timeAt(rs, 5, 0, "created_at"));
    if (!rs.isNull(6, 0)) {
      ASSIGN_OR_RETURN(c.updated_at, timeAt(rs, 6, 0, "updated_at"));
    }
    return std::optional<core::Complaint>(c);
  } catch (const Poco::Exception& e) {
    return translate(e, "reading the complaint");
  }
}

StatusOr<core::Complaint> Store::saveComplaint(const core::Complaint& in) {
  if (in.answers_json.size() > core::kMaxLongText * 4 || !core::isValidUtf8(in.answers_json)) {
    return core::invalidArgument("answers: too long or not valid UTF-8 text");
  }
  ASSIGN_OR_RETURN(auto existing, complaintOfCase(in.case_id));
  std::lock_guard lk(mu_);
  core::Complaint c = in;
  c.updated_at = clock_.now();
  if (existing) {
    c.id = existing->id;
    c.created_at = existing->created_at;
  } else {
    c.id = randomId("co");
    c.created_at = c.updated_at;
  }
  try {
    ASSIGN_OR_RETURN(std::string client_id, clientOfCase(c.case_id));
    ASSIGN_OR_RETURN(const SecretKey* keyp, clientKey(client_id));
    const SecretKey& key = *keyp;
    Status s = inTransaction([&]() -> Status {
      std::vector<Column> cols = {
          {"board_id", textOrNull(c.board_id)},
          {"jurisdiction", textOrNull(c.jurisdiction)},
          {"filed_on", dateOrNull(c.filed_on)},
          {"answers", sealed(key, "complaints", "answers", c.id, c.answers_json)},
          {"updated_at", core::formatTimestamp(c.updated_at)}};
      if (existing) {
        stmts_->update("complaints", c.id, cols);
        return appendAudit("complaint.edit", "complaint", c.id);
      }
      cols.push_back({"id", c.id});
      cols.push_back({"case_id", c.case_id});
      cols.push_back({"created_at", core::formatTimestamp(c.created_at)});
      stmts_->insert("complaints", cols);
      return appendAudit("complaint.add", "complaint", c.id);
    });
    if (!s.isOk()) return s;
  } catch (const Poco::Exception& e) {
    return translate(e, "saving the complaint");
  }
  return c;
}

// ---- snapshot ------------------------------------------------------------------------

StatusOr<Bytes> Store::serialize() {
  std::lock_guard lk(mu_);
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(*session_);
  sqlite3_int64 size = 0;
  unsigned char* data = sqlite3_serialize(db, "main", &size, 0);
  if (data == nullptr) return core::ioError("could not take a snapshot of the database");
  Bytes out(data, data + size);
  sqlite3_free(data);
  return out;
}

Status Store::saveAs(const std::string& path) {
  std::lock_guard lk(mu_);
  if (std::filesystem::exists(path)) return core::conflict(path + " already exists");
  sqlite3* src = Poco::Data::SQLite::Utility::dbHandle(*session_);
  sqlite3* dst = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc == SQLITE_OK) {
    ::chmod(path.c_str(), 0600);
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
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
