#include "store/pg_db.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "store/data_dir.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr std::string_view kReading = "reading the organization database";
constexpr std::string_view kWriting = "writing to the organization database";
constexpr const char* kChannel = "recourse_changes";

// PostgreSQL's type ids for the columns the store reads (pg_type.h).
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kNumeric = 1700;
constexpr Oid kText = 25;
constexpr Oid kVarchar = 1043;

// `?` placeholders as PostgreSQL's `$1`, `$2`, … (outside quoted text and names).
std::string numberedPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// Each byte's value as a hex digit, or kNotHex (a table: a view across a caseload reads
// megabytes of sealed fields).
constexpr std::uint8_t kNotHex = 0xff;
constexpr std::array<std::uint8_t, 256> kHexDigits = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kNotHex;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) {
    t[static_cast<size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
  }
  for (int c = 'A'; c <= 'F'; ++c) {
    t[static_cast<size_t>(c)] = static_cast<std::uint8_t>(c - 'A' + 10);
  }
  return t;
}();

// Acknowledges at once what the server sent (TCP_QUICKACK, Linux), rather than after the
// kernel's pause for a reply to carry the acknowledgment (40 ms and more). An answer of
// hundreds of kilobytes otherwise stalls now and then: the server, waiting for that
// acknowledgment, sends a probe, the kernel takes the data for lost and halves how much it
// sends before the next acknowledgment (a caseload's view over loopback TCP: one view in
// ten 40 ms slower; docs/performance.md). Nothing on a Unix socket.
void acknowledgeAtOnce(int sock) {
#ifdef TCP_QUICKACK
  int one = 1;
  (void)setsockopt(sock, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
  (void)sock;
#endif
}

// PQgetResult, with this side reading the socket as the answer arrives, each read
// acknowledged at once (acknowledgeAtOnce). What fails is PQgetResult's to say. Over TLS
// libpq reads for itself: what the TLS layer holds already decrypted would not wake poll().
PGresult* nextResult(PGconn* c) {
  if (PQsslInUse(c) != 0) return PQgetResult(c);
  while (PQisBusy(c) != 0) {
    const int sock = PQsocket(c);
    if (sock < 0) break;
    pollfd p{sock, POLLIN, 0};
    if (poll(&p, 1, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    const bool read = PQconsumeInput(c) != 0;
    acknowledgeAtOnce(sock);
    if (!read) break;
  }
  return PQgetResult(c);
}

// PQexecPrepared, reading its answer with nextResult: the last result, or the first that
// failed.
PGresult* execPrepared(PGconn* c, const char* name, int n, const char* const* values,
                       const int* lengths, const int* formats, int result_format) {
  if (PQsendQueryPrepared(c, name, n, values, lengths, formats, result_format) == 0) {
    return nullptr;
  }
  PGresult* last = nullptr;
  while (PGresult* r = nextResult(c)) {
    if (last != nullptr && PQresultStatus(last) == PGRES_FATAL_ERROR) {
      PQclear(r);
      continue;
    }
    PQclear(last);
    last = r;
  }
  return last;
}

// A bytea in text form ("\x0a1b…", PostgreSQL's default output since 9.0).
Bytes byteaFromText(const char* p, size_t n) {
  if (n < 2 || p[0] != '\\' || p[1] != 'x' || n % 2 != 0) return {};
  Bytes out((n - 2) / 2);
  const auto* in = reinterpret_cast<const unsigned char*>(p + 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const std::uint8_t hi = kHexDigits[in[2 * i]];
    const std::uint8_t lo = kHexDigits[in[2 * i + 1]];
    if (hi == kNotHex || lo == kNotHex) return {};
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

// An answer's cells, read where libpq keeps them (Row); the answer is freed with the last
// row that reads it.
class PgCells final : public HeldCells {
 public:
  explicit PgCells(PGresult* res) : res_(res) {
    const int ncols = PQnfields(res);
    kinds_.reserve(static_cast<size_t>(ncols));
    binary_.reserve(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      binary_.push_back(PQfformat(res, c) == 1);
      switch (PQftype(res, c)) {
        case kBytea:
          kinds_.push_back(Kind::kBlob);
          break;
        case kBool:
          kinds_.push_back(Kind::kBool);
          break;
        case kInt8:
        case kInt4:
        case kInt2:
        case kNumeric:
          kinds_.push_back(Kind::kInteger);
          break;
        default:
          kinds_.push_back(Kind::kText);
          break;
      }
    }
  }
  ~PgCells() override { PQclear(res_); }
  PgCells(const PgCells&) = delete;
  PgCells& operator=(const PgCells&) = delete;

  size_t columns() const override { return kinds_.size(); }
  Cell cell(int row, size_t col) const override {
    const int c = static_cast<int>(col);
    Cell out;
    out.kind = kinds_[col];
    out.binary = binary_[col];
    out.null = PQgetisnull(res_, row, c) != 0;
    if (!out.null)
      out.raw = {PQgetvalue(res_, row, c), static_cast<size_t>(PQgetlength(res_, row, c))};
    return out;
  }
  Bytes blob(std::string_view raw) const override { return byteaFromText(raw.data(), raw.size()); }

 private:
  PGresult* res_;
  std::vector<Kind> kinds_;
  std::vector<bool> binary_;
};

// The host, port and database of a URL, for messages (no user, no password).
std::string serverOf(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "the organization database";
  std::string rest = url.substr(scheme + 3);
  auto at = rest.find('@');
  auto slash = rest.find('/');
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    rest = rest.substr(at + 1);
  }
  auto query = rest.find('?');
  if (query != std::string::npos) rest = rest.substr(0, query);
  return "the organization database at " + rest;
}

// The connection parameters of a URL, as libpq reads it, with a connect timeout unless one
// is given (an unreachable server is reported, not waited on forever) and the program's
// name. InvalidArgument about "database" when libpq cannot read it (its own message quotes
// the URL, password and all, so it is not passed on).
StatusOr<std::vector<std::pair<std::string, std::string>>> parametersOf(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    if (error != nullptr) PQfreemem(error);
    return core::invalidArgument(
               "the database URL cannot be read; write it as "
               "postgresql://user@host:port/database")
        .withField("database");
  }
  std::vector<std::pair<std::string, std::string>> out;
  bool timeout = false;
  bool named = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    timeout = timeout || std::strcmp(o->keyword, "connect_timeout") == 0;
    named = named || std::strcmp(o->keyword, "application_name") == 0;
    out.emplace_back(o->keyword, o->val);
  }
  PQconninfoFree(options);
  if (!timeout) out.emplace_back("connect_timeout", "10");
  if (!named) out.emplace_back("application_name", "recourse");
  return out;
}

}  // namespace

// ---- opening ---------------------------------------------------------------------------

namespace {
// A connection with `params` as libpq's separate keywords and values (null: no memory).
PGconn* connectWith(const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  return PQconnectdbParams(keys.data(), values.data(), 0);
}
}  // namespace

PgDb::PgDb(pg_conn* conn, const std::string& url,
           std::vector<std::pair<std::string, std::string>> params)
    : conn_(conn), server_(serverOf(url)), params_(std::move(params)) {}

PgDb::~PgDb() {
  (void)dropAhead();
  closeSide();
  PQfinish(conn_);
}

StatusOr<std::unique_ptr<PgDb>> PgDb::connect(const std::string& url) {
  // libpq directly, with the parameters as separate values: Poco 1.11's connector splits a
  // connection string on spaces, so a password with one would neither work nor stay out of
  // its error message.
  RECOURSE_ASSIGN_OR_RETURN(auto params, parametersOf(url));
  PGconn* conn = connectWith(params);
  if (conn == nullptr) return core::resourceExhausted("not enough memory to connect");
  std::unique_ptr<PgDb> db(new PgDb(conn, url, params));
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host and what went wrong; it never holds the password.
    std::string why = PQerrorMessage(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    for (auto& ch : why) {
      if (ch == '\n' || ch == '\t') ch = ' ';
    }
    return core::ioError("cannot connect to " + serverOf(url) + ": " + why);
  }
  RECOURSE_RETURN_IF_ERROR(db->startSession());
  return db;
}

Status PgDb::startSession() {
  backend_pid_ = PQbackendPID(conn_);
  // Quiet: notices ("relation already exists, skipping") are not for the person. Sealed
  // values come back as hex, whatever the server's default.
  // Every Recourse connection to one store carries the same name (its schema's), so that
  // otherConnections() can count the others.
  // Recourse reads one caseload at a time through the indexes (a few hundred clients of a
  // hundred thousand), from pages a working server holds in memory or on SSD: there a page
  // found through an index costs about what the next page of a full scan costs, and
  // PostgreSQL's default (4 times as much, for spinning disks) has the planner scan whole
  // tables instead (docs/deployment.md). For this connection only.
  return executeScript(
      "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET bytea_output = 'hex'; "
      "SET random_page_cost = 1.1; "
      "SELECT set_config('application_name', 'recourse/' || split_part(current_setting("
      "'search_path'), ',', 1), false) WHERE current_setting('application_name') = 'recourse'; "
      "LISTEN " +
      std::string(kChannel));
}

// ---- errors ----------------------------------------------------------------------------

// PostgreSQL's own messages can quote the values of a row ("Key (name)=(…) already
// exists"), so only the SQLSTATE, the constraint's name and a plain description go into a
// Status: nothing of what was bound.
Status PgDb::statusOf(pg_result* res, std::string_view what) {
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return core::ioError(std::string(what) + ": the connection to " + server_ +
                         " was lost; nothing was written by the step that failed. Try again "
                         "when the server is back.");
  }
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "";
  const char* constraint =
      res != nullptr ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  std::string tail = " (PostgreSQL " + (code.empty() ? std::string("error") : code);
  if (constraint != nullptr) tail += std::string(", ") + constraint;
  tail += ")";
  const std::string head = std::string(what) + ": ";
  if (code.starts_with("23"))
    return core::conflict(head + "a record like this exists already" + tail);
  if (code == "40001" || code == "40P01" || code == "55P03") {
    return core::conflict(head + "someone else was changing the same records; try again" + tail);
  }
  if (code == "P0001") {
    // RAISE in the schema's own triggers: the append-only logs' message, written by us.
    const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    return core::conflict(head + (msg != nullptr ? msg : "refused") + tail);
  }
  if (code == "53100") return core::ioError(head + "the database server's disk is full" + tail);
  if (code.starts_with("53"))
    return core::ioError(head + "the database server is out of resources" + tail);
  if (code == "42501" || code.starts_with("28")) {
    return core::permissionDenied(head + "the database refused this account" + tail);
  }
  if (code.starts_with("08") || code.starts_with("57")) {
    return core::ioError(head + "the database server is not answering" + tail);
  }
  if (code == "XX001" || code == "XX002") {
    return core::corruption(head + "the database server reports damaged data" + tail);
  }
  if (code.starts_with("42")) {
    return core::internalError(head + "the database does not have the expected tables" + tail);
  }
  return core::ioError(head + "the database server refused the step" + tail);
}

Status PgDb::reconnectIfLost() {
  if (broken_) return lostMidway();  // until the transaction it broke in ends
  (void)dropAhead();
  if (PQstatus(conn_) != CONNECTION_BAD) return Status::ok();
  // Inside a transaction the server has rolled it back: the caller must start again.
  if (tx_depth_ > 0) {
    return core::ioError("the connection to " + server_ +
                         " was lost; nothing of this step was "
                         "written. Try again when the server is back.");
  }
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return core::ioError("cannot reach " + server_ +
                         "; nothing was written. Try again when the "
                         "server is back.");
  }
  statements_.clear();  // prepared statements live and die with their connection
  return startSession();
}

// ---- statements ------------------------------------------------------------------------

void PgDb::defer(Waiting statement) { deferred_.push_back(std::move(statement)); }

void PgDb::defer(std::string statement) {
  Waiting w;
  w.sql = std::move(statement);
  defer(std::move(w));
}

Status PgDb::lostMidway() const {
  return core::ioError(std::string(kWriting) + ": the connection to " + server_ +
                       " was lost; nothing of this step was written. Try again when the "
                       "server is back.");
}

PgDb::Waiting PgDb::bound(const std::string& name, const std::vector<Value>& args) const {
  Waiting w;
  w.sql = name;
  w.prepared = true;
  w.result_format = resultFormatOf(name);
  w.values.reserve(args.size());
  w.formats.assign(args.size(), 0);
  for (size_t i = 0; i < args.size(); ++i) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            w.values.emplace_back(std::nullopt);
          } else if constexpr (std::is_same_v<T, std::string>) {
            w.values.emplace_back(v);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            // Binary: no escaping of ciphertext.
            w.values.emplace_back(std::string(v.begin(), v.end()));
            w.formats[i] = 1;
          } else {
            w.values.emplace_back(std::to_string(v));
          }
        },
        args[i]);
  }
  return w;
}

Status PgDb::flushDeferred() {
  if (broken_) return lostMidway();
  if (deferred_.empty()) return Status::ok();
  Status failed;
  (void)pipeline(nullptr, &failed);
  return failed;
}

PGresult* PgDb::pipeline(const Waiting* last, Status* failed) {
  (void)dropAhead();
  // Whatever happens now, each open savepoint has been sent (or is lost with the pipeline).
  std::fill(savepoint_at_.begin(), savepoint_at_.end(), kSent);
  std::vector<Waiting> waiting;
  waiting.swap(deferred_);
  // One pipeline: each waiting statement, then `last`, then a sync; their results come back
  // in that order. A failure aborts the rest of the pipeline (and the transaction).
  if (PQenterPipelineMode(conn_) == 0) {
    broken_ = true;  // what waits cannot be sent: the transaction cannot be finished
    *failed = lostMidway();
    return nullptr;
  }
  bool sent = true;
  for (const auto& w : waiting) sent = sent && send(conn_, w);
  if (last != nullptr) sent = sent && send(conn_, *last);
  sent = sent && PQpipelineSync(conn_) != 0;
  PGresult* mine = nullptr;
  Status first;
  const size_t answers = waiting.size() + (last != nullptr ? 1 : 0);
  // Reads results up to the sync: one per statement sent, each followed by a null.
  for (size_t i = 0; sent && i < answers; ++i) {
    PGresult* r = nextResult(conn_);
    while (PGresult* extra = nextResult(conn_)) PQclear(extra);  // up to its null
    const auto st = PQresultStatus(r);
    const bool good = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (i < waiting.size()) {
      if (!good && first.isOk()) first = statusOf(r, kWriting);
      PQclear(r);
    } else {
      mine = r;
    }
  }
  // The sync's own result, then out of pipeline mode.
  while (PGresult* r = nextResult(conn_)) {
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) break;
  }
  last_read_ = std::chrono::steady_clock::now();  // any notifications came with the answers
  if (PQexitPipelineMode(conn_) == 0 || !sent) {
    // Part of the pipeline may not have gone, or its answers are not all read: nothing more
    // can be sent on this connection in this transaction (inTransaction starts it afresh).
    broken_ = true;
    PQclear(mine);
    *failed = lostMidway();
    return nullptr;
  }
  if (!first.isOk()) {
    PQclear(mine);
    *failed = first;
    return nullptr;
  }
  if (mine == nullptr) *failed = Status::ok();
  return mine;
}

PgDb::Pointers PgDb::pointers(const Waiting& w) {
  static const char kEmpty = 0;
  const size_t n = w.values.size();
  Pointers p{std::vector<const char*>(n, nullptr), std::vector<int>(n, 0)};
  for (size_t i = 0; i < n; ++i) {
    if (!w.values[i]) continue;  // NULL
    p.values[i] = w.values[i]->empty() ? &kEmpty : w.values[i]->data();
    p.lengths[i] = static_cast<int>(w.values[i]->size());
  }
  return p;
}

bool PgDb::send(pg_conn* conn, const Waiting& w) {
  if (!w.prepared) {
    return PQsendQueryParams(conn, w.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 0;
  }
  const Pointers p = pointers(w);
  return PQsendQueryPrepared(conn, w.sql.c_str(), static_cast<int>(p.values.size()),
                             p.values.data(), p.lengths.data(), w.formats.data(),
                             w.result_format) != 0;
}

namespace {
// `v` as COPY's text format writes a field: \N for NULL, backslash escapes for the
// characters that end a field or a row, bytea as "\\x" and hex.
void appendCopyField(const Value& v, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out->append("\\N");
        } else if constexpr (std::is_same_v<T, std::string>) {
          for (char c : x) {
            switch (c) {
              case '\\':
                out->append("\\\\");
                break;
              case '\t':
                out->append("\\t");
                break;
              case '\n':
                out->append("\\n");
                break;
              case '\r':
                out->append("\\r");
                break;
              default:
                out->push_back(c);
            }
          }
        } else if constexpr (std::is_same_v<T, Bytes>) {
          out->append("\\\\x");
          for (std::uint8_t b : x) {
            out->push_back(kHex[b >> 4]);
            out->push_back(kHex[b & 0x0f]);
          }
        } else {
          out->append(std::to_string(x));
        }
      },
      v);
}
}  // namespace

Status PgDb::insertMany(std::string_view table, const std::vector<std::string>& columns,
                        const std::vector<std::vector<Value>>& rows) {
  if (rows.empty()) return Status::ok();
  (void)dropAhead();
  RECOURSE_RETURN_IF_ERROR(reconnectIfLost());
  RECOURSE_RETURN_IF_ERROR(flushDeferred());
  std::string sql = "COPY " + std::string(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
  sql += ") FROM STDIN";
  PGresult* res = PQexec(conn_, sql.c_str());
  if (PQresultStatus(res) != PGRES_COPY_IN) {
    Status s = statusOf(res, kWriting);
    PQclear(res);
    return s;
  }
  PQclear(res);
  constexpr size_t kChunk = 1 << 20;
  std::string buf;
  bool sent = true;
  for (const auto& row : rows) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) buf.push_back('\t');
      appendCopyField(row.at(i), &buf);
    }
    buf.push_back('\n');
    if (buf.size() >= kChunk) {
      sent = sent && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) == 1;
      buf.clear();
    }
  }
  if (!buf.empty()) {
    sent = sent && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) == 1;
  }
  (void)PQputCopyEnd(conn_, sent ? nullptr : "the rows could not all be sent");
  Status out;
  while ((res = PQgetResult(conn_)) != nullptr) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK && out.isOk()) out = statusOf(res, kWriting);
    PQclear(res);
  }
  last_read_ = std::chrono::steady_clock::now();
  if (out.isOk() && !sent) {
    out = core::ioError(std::string(kWriting) + ": the connection to " + server_ +
                        " was lost while copying");
  }
  if (out.isOk()) {
    last_changed_ = static_cast<long long>(rows.size());
    own_changes_ += last_changed_;
  }
  return out;
}

Status PgDb::executeScript(const std::string& sql) {
  if (broken_) return lostMidway();
  (void)dropAhead();
  PGresult* res = nullptr;
  if (!deferred_.empty() && sql.find(';') == std::string::npos) {
    // One statement (a COMMIT): in the same round trip as what waits.
    Waiting w;
    w.sql = sql;
    Status failed;
    res = pipeline(&w, &failed);
    if (res == nullptr && !failed.isOk()) return failed;
  } else {
    RECOURSE_RETURN_IF_ERROR(flushDeferred());  // a script goes after what waits
    res = PQexec(conn_, sql.c_str());
  }
  const auto st = PQresultStatus(res);
  Status out =
      (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? Status::ok() : statusOf(res, kWriting);
  PQclear(res);
  return out;
}

void PgDb::closeSide() {
  if (side_ != nullptr) PQfinish(side_);
  side_ = nullptr;
  side_statements_.clear();
}

pg_conn* PgDb::sideConnection() {
  if (side_ != nullptr && PQstatus(side_) == CONNECTION_OK) return side_;
  closeSide();
  // One that could not be opened is not tried again for a while: each try would hold up a
  // view (and leave a failed login in the server's log).
  constexpr auto kRetryAfter = std::chrono::minutes(1);
  const auto now = std::chrono::steady_clock::now();
  if (side_failed_at_ && now - *side_failed_at_ < kRetryAfter) return nullptr;
  // The URL's parameters, but to the server the main connection reached (a URL may name
  // several), and told to find out within a minute that a quiet connection is gone: it
  // is idle between views, and a network that drops it silently would otherwise hold a
  // view until the system gives up on it (hours).
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& [k, v] : params_) {
    if (k == "host" || k == "hostaddr" || k == "port" || k == "target_session_attrs" ||
        k.rfind("keepalives", 0) == 0 || k == "tcp_user_timeout") {
      continue;
    }
    params.emplace_back(k, v);
  }
  if (const char* host = PQhost(conn_); host != nullptr && *host != 0) {
    params.emplace_back("host", host);
  }
  if (const char* addr = PQhostaddr(conn_); addr != nullptr && *addr != 0) {
    params.emplace_back("hostaddr", addr);
  }
  if (const char* port = PQport(conn_); port != nullptr && *port != 0) {
    params.emplace_back("port", port);
  }
  for (const auto& [k, v] :
       std::initializer_list<std::pair<const char*, const char*>>{{"keepalives", "1"},
                                                                  {"keepalives_idle", "30"},
                                                                  {"keepalives_interval", "10"},
                                                                  {"keepalives_count", "3"},
                                                                  {"tcp_user_timeout", "60000"}}) {
    params.emplace_back(k, v);
  }
  PGconn* side = connectWith(params);
  // As startSession, under a name of its own, listening to nothing (it only reads), and
  // planning each read for its own values: one plan for every account's share of the
  // grants took the requests' read from 10 ms to 365.
  PGresult* res = side == nullptr || PQstatus(side) != CONNECTION_OK
                      ? nullptr
                      : PQexec(side,
                               "SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
                               "SET bytea_output = 'hex'; SET random_page_cost = 1.1; "
                               "SET plan_cache_mode = force_custom_plan; "
                               "SELECT set_config('application_name', 'recourse-reads/' || "
                               "split_part(current_setting('search_path'), ',', 1), false)");
  const bool ok = res != nullptr && PQresultStatus(res) == PGRES_TUPLES_OK;
  PQclear(res);
  if (!ok) {
    if (side != nullptr) PQfinish(side);
    side_failed_at_ = now;
    return nullptr;
  }
  side_failed_at_.reset();
  side_ = side;
  return side_;
}

std::string PgDb::preparedOnSide(const std::string& sql, size_t args) {
  auto it = side_statements_.find(sql);
  if (it != side_statements_.end()) return it->second;
  std::string name = "r" + std::to_string(++next_statement_);
  PGresult* prep = PQprepare(side_, name.c_str(), numberedPlaceholders(sql).c_str(),
                             static_cast<int>(args), nullptr);
  const bool ok = PQresultStatus(prep) == PGRES_COMMAND_OK;
  PQclear(prep);
  if (!ok) return {};
  learnResultFormat(side_, name);
  side_statements_.emplace(sql, name);
  return name;
}

void PgDb::readAhead(std::vector<Query> queries) {
  if (queries.empty() || tx_depth_ > 0 || !deferred_.empty() || broken_) return;
  if (!dropAhead() || !reconnectIfLost().isOk()) return;
  std::vector<Waiting> sends;
  for (const auto& q : queries) {
    auto name = prepared(q.sql, q.args.size(), kReading);
    if (!name.isOk()) return;  // each select will say what is wrong
    sends.push_back(bound(*name, q.args));
  }
  // The second goes to the side connection, so that the server works on it while it works
  // on the first; if it cannot, it goes with the others.
  size_t side_index = kNone;
  if (queries.size() > 1 && sideConnection() != nullptr) {
    const Query& q = queries[1];
    const std::string name = preparedOnSide(q.sql, q.args.size());
    const Waiting w = name.empty() ? Waiting{} : bound(name, q.args);
    const Pointers p = pointers(w);
    if (!name.empty() &&
        PQsendQueryPrepared(side_, name.c_str(), static_cast<int>(q.args.size()), p.values.data(),
                            p.lengths.data(), w.formats.data(), w.result_format) == 1) {
      side_index = 1;
    } else {
      closeSide();  // opened afresh next time
    }
  }
  if (side_index != kNone) {
    side_index_ = side_index;
    side_answered_ = false;
    side_reader_ = std::thread([this] {
      PGresult* r = nextResult(side_);
      while (PGresult* extra = nextResult(side_)) PQclear(extra);  // up to its null
      std::lock_guard lk(answers_mu_);
      side_answer_ = r;
      side_answered_ = true;
      answers_cv_.notify_all();
    });
  }
  if (PQenterPipelineMode(conn_) == 0) {
    (void)dropAhead();
    return;
  }
  bool sent = true;
  // Each answer is asked for as soon as it is whole: the server otherwise keeps the end of
  // one in its output buffer until the next fills it, and the incidents' last rows waited
  // for the requests' query to finish (10 ms at 100,000 clients).
  for (size_t i = 0; i < sends.size(); ++i) {
    if (i == side_index) continue;
    sent = sent && send(conn_, sends[i]) && PQsendFlushRequest(conn_) != 0;
  }
  sent = sent && PQpipelineSync(conn_) != 0;
  const size_t n = queries.size() - (side_index == kNone ? 0 : 1);
  for (auto& q : queries) ahead_.push_back(std::move(q));
  next_ahead_ = 0;
  reader_ok_ = true;
  if (!sent) {
    reader_ok_ = false;
    (void)dropAhead();  // the selects read for themselves
    return;
  }
  reader_ = std::thread([this, n] {
    bool ok = true;
    for (size_t i = 0; i < n; ++i) {
      PGresult* r = ok ? nextResult(conn_) : nullptr;
      if (r == nullptr) {
        ok = false;  // the connection broke
      } else {
        while (PGresult* extra = nextResult(conn_)) PQclear(extra);  // up to its null
      }
      std::lock_guard lk(answers_mu_);
      answers_.push_back(r);
      answers_cv_.notify_all();
    }
    // The sync's own result, then out of pipeline mode.
    int nulls = 0;
    while (ok) {
      PGresult* r = nextResult(conn_);
      if (r == nullptr) {  // between results, once; more, or a broken connection: give up
        ok = ++nulls < 2 && PQstatus(conn_) == CONNECTION_OK;
        continue;
      }
      const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      PQclear(r);
      if (sync) break;
    }
    ok = ok && PQexitPipelineMode(conn_) != 0;
    std::lock_guard lk(answers_mu_);
    reader_ok_ = ok;
  });
}

PGresult* PgDb::takeAhead(const std::string& sql, const std::vector<Value>& args) {
  if (ahead_.empty()) return nullptr;
  if (ahead_.front().sql != sql || ahead_.front().args != args) {
    (void)dropAhead();
    return nullptr;
  }
  ahead_.pop_front();
  PGresult* res = nullptr;
  if (next_ahead_++ == side_index_) {
    {
      std::unique_lock lk(answers_mu_);
      answers_cv_.wait(lk, [&] { return side_answered_; });
      res = side_answer_;
      side_answer_ = nullptr;
    }
    if (res == nullptr || PQresultStatus(res) != PGRES_TUPLES_OK) {
      // The side connection failed it (the main one says how, if it fails there too): run
      // on the main connection, and the side connection opened afresh next time.
      PQclear(res);
      if (side_reader_.joinable()) side_reader_.join();
      closeSide();
      (void)dropAhead();
      return nullptr;
    }
  } else {
    std::unique_lock lk(answers_mu_);
    answers_cv_.wait(lk, [&] { return !answers_.empty(); });
    res = answers_.front();
    answers_.pop_front();
  }
  if (res == nullptr || PQresultStatus(res) == PGRES_PIPELINE_ABORTED) {
    // The connection broke, or one before it failed (and said so): this one runs on its own.
    PQclear(res);
    (void)dropAhead();
    return nullptr;
  }
  ++taken_ahead_;
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    // A failure, which run() reads from the connection too: the reader ends first (the rest
    // of the pipeline was skipped).
    (void)dropAhead();
    return res;
  }
  if (ahead_.empty() && !dropAhead()) {
    PQclear(res);
    return nullptr;
  }
  last_read_ = std::chrono::steady_clock::now();  // any notifications came with the answers
  return res;
}

bool PgDb::dropAhead() {
  if (reader_.joinable()) reader_.join();
  if (side_reader_.joinable()) side_reader_.join();
  for (PGresult* r : answers_) PQclear(r);
  answers_.clear();
  ahead_.clear();
  PQclear(side_answer_);  // not taken (nothing when null)
  side_answer_ = nullptr;
  side_answered_ = false;
  side_index_ = kNone;
  next_ahead_ = 0;
  if (reader_ok_ && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return true;
  reader_ok_ = true;
  // Answers this side cannot account for: start the connection afresh (outside any
  // transaction, so nothing is lost).
  PQreset(conn_);
  statements_.clear();
  if (PQstatus(conn_) == CONNECTION_OK) (void)startSession();
  return false;
}

StatusOr<std::string> PgDb::prepared(const std::string& sql, size_t args, std::string_view what) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  (void)dropAhead();
  RECOURSE_RETURN_IF_ERROR(flushDeferred());
  std::string name = "r" + std::to_string(++next_statement_);
  PGresult* prep = PQprepare(conn_, name.c_str(), numberedPlaceholders(sql).c_str(),
                             static_cast<int>(args), nullptr);
  if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
    Status s = statusOf(prep, what);
    PQclear(prep);
    return s;
  }
  PQclear(prep);
  learnResultFormat(conn_, name);
  statements_.emplace(sql, name);
  return name;
}

void PgDb::learnResultFormat(pg_conn* conn, const std::string& name) {
  PGresult* desc = PQdescribePrepared(conn, name.c_str());
  bool binary = PQresultStatus(desc) == PGRES_COMMAND_OK && PQnfields(desc) > 0;
  for (int c = 0; binary && c < PQnfields(desc); ++c) {
    switch (PQftype(desc, c)) {
      case kText:
      case kVarchar:
      case kBytea:
      case kInt2:
      case kInt4:
      case kInt8:
      case kBool:
        break;
      default:
        binary = false;  // a numeric, a timestamp, …: read in text
    }
  }
  PQclear(desc);
  if (binary) binary_results_.insert(name);
}

StatusOr<std::vector<Row>> PgDb::run(const std::string& sql, const std::vector<Value>& args,
                                     std::string_view what, size_t max_rows) {
  PGresult* res = takeAhead(sql, args);  // sent already (readAhead)?
  if (res == nullptr) {
    RECOURSE_RETURN_IF_ERROR(reconnectIfLost());
    RECOURSE_ASSIGN_OR_RETURN(std::string name, prepared(sql, args.size(), what));
    const Waiting w = bound(name, args);
    if (deferred_.empty()) {
      const Pointers p = pointers(w);
      res = execPrepared(conn_, name.c_str(), static_cast<int>(args.size()), p.values.data(),
                         p.lengths.data(), w.formats.data(), w.result_format);
      last_read_ = std::chrono::steady_clock::now();  // notifications came with the answer
    } else {
      Status deferred_failed;
      res = pipeline(&w, &deferred_failed);
      if (res == nullptr && !deferred_failed.isOk()) return deferred_failed;
    }
    if (res == nullptr) return statusOf(nullptr, what);
  }
  const auto st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Status s = statusOf(res, what);
    PQclear(res);
    return s;
  }
  std::vector<Row> rows;
  if (st == PGRES_COMMAND_OK) {
    const char* affected = PQcmdTuples(res);
    last_changed_ = affected != nullptr && *affected != 0 ? std::strtoll(affected, nullptr, 10) : 0;
    own_changes_ += last_changed_;
  }
  const int nrows = PQntuples(res);
  if (nrows == 0) {
    PQclear(res);
    return rows;
  }
  // The rows read their cells in the answer itself, which lives as long as one of them does.
  std::unique_ptr<PGresult, void (*)(PGresult*)> owned(res, PQclear);
  auto held = std::make_shared<const PgCells>(owned.get());
  (void)owned.release();  // held frees it now
  rows.reserve(std::min(static_cast<size_t>(nrows), max_rows));
  for (int r = 0; r < nrows && rows.size() < max_rows; ++r) rows.emplace_back(held, r);
  return rows;
}

Status PgDb::execute(const std::string& sql, const std::vector<Value>& args) {
  if (bulk_ && tx_depth_ > 0 && sql.rfind("INSERT ", 0) == 0) {
    // Its answer is read with the next statement's (pipeline): nothing reads what an
    // INSERT returns but its failure, which then fails that statement, or the commit.
    if (broken_) return lostMidway();
    RECOURSE_ASSIGN_OR_RETURN(std::string name, prepared(sql, args.size(), kWriting));
    defer(bound(name, args));
    last_changed_ = 1;
    ++own_changes_;
    // A pipeline's answers wait in the socket until read: a few hundred at a time stay far
    // below what it holds, so the server never waits on this process while it sends.
    constexpr size_t kMostWaiting = 256;
    if (deferred_.size() >= kMostWaiting) return flushDeferred();
    return Status::ok();
  }
  auto rows = run(sql, args, kWriting, 0);
  return rows.status();
}

StatusOr<std::optional<Row>> PgDb::firstRow(const std::string& sql,
                                            const std::vector<Value>& args) {
  RECOURSE_ASSIGN_OR_RETURN(auto rows, run(sql, args, kReading, 1));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

StatusOr<std::vector<Row>> PgDb::select(const std::string& sql, const std::vector<Value>& args) {
  return run(sql, args, kReading, static_cast<size_t>(-1));
}

// ---- transactions ----------------------------------------------------------------------

Status PgDb::inTransaction(const std::function<Status()>& body) {
  const bool nested = tx_depth_ > 0;
  const std::string sp = "sp" + std::to_string(tx_depth_);
  if (!nested) RECOURSE_RETURN_IF_ERROR(reconnectIfLost());
  if (nested) {
    savepoint_at_.push_back(deferred_.size());
    defer("SAVEPOINT " + sp);
  } else {
    RECOURSE_RETURN_IF_ERROR(executeScript("BEGIN"));
    held_locks_.clear();
    ++mark_;
  }
  Status s = runInside(body);
  // A failed statement the body did not pass on still leaves the transaction aborted, and
  // COMMIT would then roll it back while answering OK: say so instead.
  if (s.isOk() && PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    // A failure the body dealt with may be undone by a rollback that is still waiting.
    (void)flushDeferred();
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      s = core::ioError(std::string(kWriting) + ": a step failed, so nothing of this was saved");
    }
  }
  if (nested) {
    const size_t at = savepoint_at_.back();
    savepoint_at_.pop_back();
    if (at != kSent) {
      // Nothing of it has gone to the server: the savepoint is not needed.
      if (s.isOk()) {
        deferred_.erase(deferred_.begin() + static_cast<std::ptrdiff_t>(at));  // its writes stay
      } else {
        if (at + 1 < deferred_.size()) ++mark_;  // writes of it are dropped, unsent
        deferred_.resize(at);
      }
      return s;
    }
    if (!s.isOk()) {
      // Back to where it began; a lock taken since may be gone with it (taken again).
      held_locks_.clear();
      ++mark_;
      defer("ROLLBACK TO " + sp);
      defer("RELEASE " + sp);
      return s;
    }
    defer("RELEASE " + sp);
    return s;
  }
  held_locks_.clear();
  ++mark_;
  if (broken_) return restartAfterBreak(s);
  if (!s.isOk()) {
    deferred_.clear();  // the whole transaction goes
    (void)executeScript("ROLLBACK");
    return s;
  }
  Status committed = executeScript("COMMIT");  // with any release or insert still waiting
  if (broken_) {
    // Lost while the COMMIT was on its way: the server may or may not have carried it out.
    return restartAfterBreak(core::ioError(
        std::string(kWriting) + ": the connection to " + server_ +
        " was lost while this step was being saved; it may or may not have been saved. Look "
        "before trying again (a batch run again adds only what is missing)."));
  }
  if (!committed.isOk() && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    (void)executeScript("ROLLBACK");
  }
  return committed;
}

Status PgDb::inBulkTransaction(const std::function<Status()>& body) {
  if (tx_depth_ > 0) return inTransaction(body);
  bulk_ = true;
  Status s = inTransaction(body);
  bulk_ = false;
  return s;
}

Status PgDb::refreshStatistics() {
  if (tx_depth_ > 0) return core::internalError("VACUUM runs outside any transaction");
  std::string tables;
  for (const auto& t : schemaTables()) tables += (tables.empty() ? "" : ", ") + t;
  return executeScript("VACUUM (ANALYZE) " + tables);
}

Status PgDb::restartAfterBreak(const Status& s) {
  // The connection cannot finish this transaction: start it afresh (the server rolls back
  // what it had of it), and say so.
  deferred_.clear();
  (void)dropAhead();
  broken_ = false;
  PQreset(conn_);
  statements_.clear();
  if (PQstatus(conn_) == CONNECTION_OK) (void)startSession();
  return s.isOk() ? lostMidway() : s;
}

Status PgDb::appendingTo(std::string_view name, const std::function<Status()>& body) {
  return inTransaction([&]() -> Status {
    // Held until the transaction ends: taken once however many appends it makes.
    if (held_locks_.count(std::string(name)) == 0) {
      RECOURSE_RETURN_IF_ERROR(
          execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/' || ?))",
                  {std::string(name)}));
      held_locks_.insert(std::string(name));
    }
    return body();
  });
}

// ---- schema ----------------------------------------------------------------------------

int PgDb::userVersion() {
  auto exists = firstRow("SELECT to_regclass('recourse_schema') IS NOT NULL");
  if (!exists.isOk() || !exists->has_value()) return -1;
  if ((*exists)->integer(0) == 0) return 0;
  auto row = firstRow("SELECT version FROM recourse_schema");
  if (!row.isOk() || !row->has_value()) return -1;
  return static_cast<int>((*row)->integer(0));
}

Status PgDb::migrate() {
  const std::vector<Migration>& migrations = postgresMigrations();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  // One process migrates at a time, keyed on the schema the connection asks for (its
  // search_path's first entry), so even making that schema is done once; the others wait
  // here, then find nothing left to do.
  constexpr const char* kKey =
      "hashtext(split_part(current_setting('search_path'), ',', 1) || '/recourse-migrate')";
  RECOURSE_RETURN_IF_ERROR(execute(std::string("SELECT pg_advisory_lock(") + kKey + ")"));
  auto unlock = [&] { (void)execute(std::string("SELECT pg_advisory_unlock(") + kKey + ")"); };
  RECOURSE_ASSIGN_OR_RETURN(auto schema, firstRow("SELECT current_schema()"));
  if (!schema || schema->isNull(0)) {
    // The first schema the search_path names (?options=-csearch_path%3D…) is made when it
    // is not there yet: one database can hold several organizations' stores apart.
    auto wanted =
        firstRow("SELECT trim(both '\" ' from split_part(current_setting('search_path'), ',', 1))");
    const std::string name = wanted.isOk() && wanted->has_value() ? (*wanted)->text(0) : "";
    if (name.empty() ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      unlock();
      return core::failedPrecondition(server_ +
                                      " has no schema to write into: check the search_path "
                                      "in the connection settings");
    }
    Status made = executeScript("CREATE SCHEMA IF NOT EXISTS " + name);
    if (!made.isOk()) {
      unlock();
      return made.withContext("making the schema " + name);
    }
  }
  int version = userVersion();
  if (version < 0) {
    unlock();
    return core::ioError("cannot read the schema version of " + server_);
  }
  if (version > latest) {
    unlock();
    return core::failedPrecondition(
        "this data was written by a newer version of Recourse (schema " + std::to_string(version) +
        "; this version understands up to " + std::to_string(latest) +
        "). Nothing was changed; update Recourse.");
  }
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    Status s = inTransaction([&]() -> Status {
      for (const auto& sql : m.statements) RECOURSE_RETURN_IF_ERROR(executeScript(sql));
      return execute("UPDATE recourse_schema SET version = ?", {static_cast<long long>(m.version)});
    });
    if (!s.isOk()) {
      unlock();
      return s.withContext("setting up the tables of " + server_);
    }
    version = m.version;
  }
  unlock();
  return Status::ok();
}

Database::ChangeCounts PgDb::changeCounts() {
  readNotifications();
  return ChangeCounts{own_changes_, others_};
}

void PgDb::readNotifications() {
  // While answers are read ahead, the reader alone uses the connection: what it brought is
  // read once it is done.
  if (reader_.joinable()) return;
  // A listing asks once per record (the key cache checks that nothing changed): reading the
  // socket each time would be a system call per record. What arrived with the last answer
  // is queued already; the socket is read again once a millisecond has passed.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_read_ >= std::chrono::milliseconds(1)) {
    if (PQconsumeInput(conn_) == 0) {
      ++others_;  // unknown: take it as changed
      return;
    }
    last_read_ = now;
  }
  while (PGnotify* n = PQnotifies(conn_)) {
    if (n->be_pid != backend_pid_) ++others_;
    PQfreemem(n);
  }
}

StatusOr<long long> PgDb::otherConnections() {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, firstRow("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         " AND application_name = current_setting('application_name')"
                         " AND pid <> pg_backend_pid()"));
  return row ? row->integer(0) : 0;
}

StatusOr<std::vector<std::string>> PgDb::columnsWhere(const std::string& table,
                                                      const std::string& condition) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto rows, select("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                        "current_schema() AND table_name = ? AND " +
                            condition + " ORDER BY ordinal_position",
                        {table}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

StatusOr<std::vector<std::string>> PgDb::columnsOf(const std::string& table) {
  return columnsWhere(table, "column_name <> 'rowid'");
}

StatusOr<std::vector<std::string>> PgDb::sealedColumns(const std::string& table) {
  return columnsWhere(table, "data_type = 'bytea'");
}

Status PgDb::setAppendOnly(const std::string& table, const std::string& /*name*/, bool on) {
  // The guard function (schema.cc) names the log in its message from the table's name.
  return executeScript(on ? "CREATE OR REPLACE TRIGGER " + table +
                                "_append_only BEFORE UPDATE OR DELETE ON " + table +
                                " FOR EACH ROW EXECUTE FUNCTION recourse_append_only()"
                          : "DROP TRIGGER IF EXISTS " + table + "_append_only ON " + table);
}

// ---- snapshots -------------------------------------------------------------------------

Status PgDb::runInside(const std::function<Status()>& body) {
  ++tx_depth_;
  Status s;
  try {
    s = body();
  } catch (const std::exception& e) {
    s = core::internalError(std::string(kWriting) + ": " + e.what());
  }
  --tx_depth_;
  return s;
}

Status PgDb::readSnapshot(const std::function<Status()>& body) {
  if (tx_depth_ > 0) return core::internalError("a snapshot is taken outside any transaction");
  RECOURSE_RETURN_IF_ERROR(reconnectIfLost());
  RECOURSE_RETURN_IF_ERROR(executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Status s = runInside(body);
  if (broken_) return restartAfterBreak(s);
  deferred_.clear();  // only reads: nothing waits that matters
  (void)executeScript(s.isOk() ? "COMMIT" : "ROLLBACK");
  return s;
}

StatusOr<Bytes> PgDb::serialize() {
  RECOURSE_ASSIGN_OR_RETURN(auto copy, SqliteDb::openInMemory());
  RECOURSE_RETURN_IF_ERROR(copy->migrate());
  // One consistent view of every table, however many others write meanwhile.
  RECOURSE_RETURN_IF_ERROR(readSnapshot([&] { return copyAll(*this, *copy).status(); }));
  return copy->serialize();
}

Status PgDb::saveAs(const std::string& path) {
  // Page by page into the file itself: an organization's store (its evidence files with it)
  // may be far larger than memory.
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return core::conflict(path + " already exists");
  Status s;
  {
    auto copy = SqliteDb::openFile(path, /*create=*/true);
    s = copy.status();
    if (s.isOk()) {
      ::chmod(path.c_str(), 0600);
      s = (*copy)->migrate();
    }
    if (s.isOk()) {
      s = (*copy)->inTransaction(
          [&] { return readSnapshot([&] { return copyAll(*this, **copy).status(); }); });
    }
  }
  if (!s.isOk()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    return s.withContext("writing " + path);
  }
  return Status::ok();
}

}  // namespace recourse::store
