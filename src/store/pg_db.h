// The PostgreSQL connection under the store (database.h), for an organization's shared
// database, through libpq (the library Poco's PostgreSQL connector wraps; see connect()):
// statements prepared once per connection, with `?` placeholders turned into `$n`.
//
// The server holds what the SQLite file holds: sealed fields as ciphertext (bytea), ids,
// dates, codes and hashes. Keys never leave the machine that runs this process.
//
// Several Recourse processes may write one database at once:
//   - migrations run under a session advisory lock, so only one process migrates;
//   - appending to an audit or custody chain takes a transaction advisory lock, so the
//     chain stays unbroken (appendingTo);
//   - every write statement notifies the channel "recourse_changes" (statement triggers in
//     the schema), which changeCounts() reads without a round trip to see other
//     processes' commits.
//
// Thread safety: none of its own. The Store serialises every call with its mutex.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/database.h"

struct pg_conn;
struct pg_result;

namespace recourse::store {

class PgDb final : public Database {
 public:
  // Connects to the database at `url` (a libpq connection URI, postgresql://user@host:port/
  // dbname?…). IOError naming the server (never a password) when it cannot.
  static core::StatusOr<std::unique_ptr<PgDb>> connect(const std::string& url);
  ~PgDb() override;

  PgDb(const PgDb&) = delete;
  PgDb& operator=(const PgDb&) = delete;

  std::string_view engine() const override { return "PostgreSQL"; }
  bool referencesEnforced() const override { return true; }
  long long transactionMark() const override { return tx_depth_ > 0 ? mark_ : 0; }
  // VACUUM (ANALYZE) of this store's tables: after a bulk load, as PostgreSQL advises, so the
  // first views find statistics, hint bits and the visibility map in place rather than
  // autovacuum working through millions of new rows while people use them.
  core::Status refreshStatistics() override;
  // The schema version lives in the table recourse_schema (one row).
  core::Status migrate() override;
  int userVersion() override;
  ChangeCounts changeCounts() override;
  core::Status inTransaction(const std::function<core::Status()>& body) override;
  // Inside it, every INSERT waits (see defer) and goes to the server with the next statement
  // that reads, or with the COMMIT: a batch's rows cost a round trip each for what they
  // read, none for what they write.
  core::Status inBulkTransaction(const std::function<core::Status()>& body) override;
  core::Status appendingTo(std::string_view name,
                           const std::function<core::Status()>& body) override;

  core::Status execute(const std::string& sql, const std::vector<Value>& args = {}) override;
  long long changedRows() override { return last_changed_; }
  core::StatusOr<std::optional<Row>> firstRow(const std::string& sql,
                                              const std::vector<Value>& args = {}) override;
  core::StatusOr<std::vector<Row>> select(const std::string& sql,
                                          const std::vector<Value>& args = {}) override;
  // Sends the queries in one pipeline, but the second on a connection of its own
  // (side_), so that the server works on two at once; run() takes their results in order
  // (ahead_).
  void readAhead(std::vector<Query> queries) override;
  void dropReadAhead() override { (void)dropAhead(); }
  long long answersTakenAhead() const override { return taken_ahead_; }
  core::StatusOr<std::vector<std::string>> columnsOf(const std::string& table) override;
  core::StatusOr<long long> otherConnections() override;
  core::StatusOr<std::vector<std::string>> sealedColumns(const std::string& table) override;
  core::Status setAppendOnly(const std::string& table, const std::string& name, bool on) override;

  core::Status readSnapshot(const std::function<core::Status()>& body) override;
  core::StatusOr<Bytes> serialize() override;
  core::Status saveAs(const std::string& path) override;

  // Runs SQL with no parameters and no result as it is (several statements allowed), for
  // set-up and tests: creating a schema, dropping one.
  // One COPY for every row (see Database::insertMany).
  core::Status insertMany(std::string_view table, const std::vector<std::string>& columns,
                          const std::vector<std::vector<Value>>& rows) override;

  core::Status executeScript(const std::string& sql);

 private:
  PgDb(pg_conn* conn, const std::string& url,
       std::vector<std::pair<std::string, std::string>> params);
  // What every connection sets up first (and again after a reconnect).
  core::Status startSession();
  // Runs one statement (prepared on first use) and hands back its result, or the error as
  // a Status. `what` says what was being done, for the message.
  core::StatusOr<std::vector<Row>> run(const std::string& sql, const std::vector<Value>& args,
                                       std::string_view what, size_t max_rows);
  core::Status statusOf(pg_result* res, std::string_view what);
  core::Status reconnectIfLost();
  // The columns of `table` in this schema that meet `condition` (SQL on information_schema).
  core::StatusOr<std::vector<std::string>> columnsWhere(const std::string& table,
                                                        const std::string& condition);
  void readNotifications();
  // A statement waiting to be sent: plain SQL, or a prepared statement and its values
  // (bytea in binary, everything else as text; nullopt for NULL).
  struct Waiting {
    std::string sql;  // the SQL, or the prepared statement's name
    bool prepared = false;
    std::vector<std::optional<std::string>> values;
    std::vector<int> formats;
    int result_format = 0;  // 1: the answer in binary (resultFormatOf)
  };
  Waiting bound(const std::string& name, const std::vector<Value>& args) const;
  // Whether the prepared statement `name`'s answer is asked for in binary: when every column
  // is text, bytea, a whole number or a truth value (learned when it was prepared), whose
  // binary forms Row reads as they are. A sealed value then comes as its bytes, not twice as
  // many hex digits to decode (a caseload's answers are megabytes of them).
  int resultFormatOf(const std::string& name) const { return binary_results_.count(name); }
  // Notes whether `name`, just prepared on `conn`, can answer in binary (one round trip).
  void learnResultFormat(pg_conn* conn, const std::string& name);
  // Sends `w` into the connection's pipeline.
  static bool send(pg_conn* conn, const Waiting& w);
  // libpq's view of w's values: a pointer (null for NULL) and a length each. Valid while `w`
  // is.
  struct Pointers {
    std::vector<const char*> values;
    std::vector<int> lengths;
  };
  static Pointers pointers(const Waiting& w);
  // The name of `sql` prepared on this connection (prepared now if it is not yet).
  core::StatusOr<std::string> prepared(const std::string& sql, size_t args, std::string_view what);
  // Savepoints are set and released without a round trip of their own, and (in a bulk
  // transaction) INSERTs are sent without waiting for their answer: the statements wait in
  // `deferred_` and go to the server together with the next statement (libpq's pipeline
  // mode), or with the COMMIT. A savepoint whose statements are all still waiting when it
  // ends is never sent at all: on success they join the enclosing transaction's, on failure
  // they are dropped.
  void defer(Waiting statement);
  void defer(std::string statement);
  // Sends what waits (if anything) on its own; the first failure, if one did.
  core::Status flushDeferred();
  // Sends what waits, then `last` when given, in one pipeline, and reads every answer: the
  // result of `last` (null when not given, or on failure, with `failed` set to the first
  // failure of the pipeline).
  pg_result* pipeline(const Waiting* last, core::Status* failed);
  // The result read ahead for `sql` with `args` when it is the next one (null otherwise:
  // then every result still ahead is dropped, as before any other statement).
  pg_result* takeAhead(const std::string& sql, const std::vector<Value>& args);
  // Waits for the reader, drops every answer not taken, and leaves pipeline mode: before
  // anything else uses the connection. False when the connection broke meanwhile (then it
  // is started afresh).
  bool dropAhead();
  // The error for a step the connection could not carry out.
  core::Status lostMidway() const;
  // Ends a transaction the connection could not finish: the connection is started again
  // (the server drops what it had of the transaction); `s`, or lostMidway() when s is OK.
  core::Status restartAfterBreak(const core::Status& s);
  // Runs a transaction's body one level deeper; an exception it throws becomes an error.
  core::Status runInside(const std::function<core::Status()>& body);

  pg_conn* conn_;       // owned
  std::string server_;  // host and database, for messages
  // The connection's parameters (parametersOf), for the second connection.
  std::vector<std::pair<std::string, std::string>> params_;
  std::map<std::string, std::string> statements_;  // SQL text -> prepared statement name
  std::set<std::string> binary_results_;           // the prepared statements answered in binary
  int next_statement_ = 0;
  int tx_depth_ = 0;               // > 0 inside a transaction: nested ones become savepoints
  std::vector<Waiting> deferred_;  // SAVEPOINT / RELEASE / ROLLBACK TO / INSERT not yet sent
  // For each savepoint open now, innermost last: where its SAVEPOINT waits in deferred_, or
  // kSent once it has gone to the server.
  static constexpr size_t kSent = static_cast<size_t>(-1);
  std::vector<size_t> savepoint_at_;
  bool bulk_ = false;  // inside inBulkTransaction: INSERTs wait
  // Queries sent by readAhead whose results are not taken yet, in order.
  std::deque<Query> ahead_;
  // Their answers, read by `reader_` as the server sends them, so that the server never
  // waits for this side to read while it unseals the one before (a caseload's answers are
  // megabytes). While it runs, the reader alone uses the connection: everything else that
  // does waits for it first (dropAhead).
  std::thread reader_;
  std::mutex answers_mu_;
  std::condition_variable answers_cv_;
  std::deque<pg_result*> answers_;  // read, not yet taken
  bool reader_ok_ = true;           // false: the pipeline did not end cleanly
  long long taken_ahead_ = 0;
  // A second connection, for reads sent ahead only: the server runs one statement at a time
  // per connection, and a caseload's second read (its requests, 10 ms at 100,000 clients)
  // waited for the first. Opened on first use, named apart (otherConnections does not count
  // it), never in a transaction, and closed and opened afresh after any failure.
  static constexpr size_t kNone = static_cast<size_t>(-1);
  pg_conn* side_ = nullptr;                             // owned
  std::map<std::string, std::string> side_statements_;  // as statements_, on side_
  std::thread side_reader_;
  size_t side_index_ = kNone;         // which of the queries sent ahead went there (0: the first)
  size_t next_ahead_ = 0;             // how many of the queries sent ahead were taken
  pg_result* side_answer_ = nullptr;  // under answers_mu_
  bool side_answered_ = false;        // side_answer_ is set (null: the connection failed)
  // When the side connection last could not be opened (it is not tried again for a while).
  std::optional<std::chrono::steady_clock::time_point> side_failed_at_;
  // The side connection, opened if it is not (null when it cannot be).
  pg_conn* sideConnection();
  void closeSide();
  // The name of `sql` prepared on side_ (prepared now if it is not yet); empty on failure.
  std::string preparedOnSide(const std::string& sql, size_t args);
  long long mark_ = 0;  // transactionMark
  // Set when a pipeline could not be sent or read whole: the rest of the transaction is
  // refused, and the connection is started afresh when it ends.
  bool broken_ = false;
  // The advisory locks (appendingTo) this transaction holds: taken once per transaction.
  std::set<std::string> held_locks_;
  long long own_changes_ = 0;
  long long last_changed_ = 0;  // rows the last write changed
  unsigned others_ = 0;
  int backend_pid_ = 0;
  // When the connection last read from the server (a statement's answer brings any
  // notifications with it): changeCounts reads the socket only when it has not for a moment.
  std::chrono::steady_clock::time_point last_read_{};
};

}  // namespace recourse::store
