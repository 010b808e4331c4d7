// What only the organization database has to show: its schema matches SQLite's column for
// column, many processes append to one audit chain without breaking it, a second process
// sees another's commits, migrations run once however many open a new database together,
// a newer schema is refused untouched, bad URLs and unreachable servers are named, and the
// server holds nothing of what was sealed (pg_dump). These run as "pg.PgStoreTest.*"
// against ctest's throwaway server (tests/pg_fixture.sh); without one they are skipped.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "fakes/test_store.h"
#include "store/crypto.h"
#include "store/data_dir.h"
#include "store/evidence.h"
#include "store/hash_chain.h"
#include "store/pg_db.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace recourse::store {
namespace {

constexpr char kPass[] = "a long enough passphrase";

std::string serverUrl() {
  const char* file = std::getenv("RECOURSE_TEST_POSTGRES_FILE");
  if (file == nullptr || *file == 0) return {};
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = serverUrl();
    if (base_.empty()) {
      // Skipped, not failed, in the plain run: ctest runs these again as pg.* with the
      // fixture's server (tests/CMakeLists.txt), and that is where they count.
      GTEST_SKIP() << "needs the test PostgreSQL server: runs as pg.PgStoreTest.* under ctest";
    }
    std::random_device rd;
    schema_ = "p" + std::to_string(rd()) + "_" + std::to_string(rd());
    url_ = base_ + "?options=-csearch_path%3D" + schema_;
  }

  std::unique_ptr<Store> open() {
    auto st = Store::openPostgres(url_, clock_);
    EXPECT_TRUE(st.isOk()) << st.status().toString();
    return st.isOk() ? std::move(st).value() : nullptr;
  }

  std::unique_ptr<PgDb> connect() {
    auto db = PgDb::connect(url_);
    EXPECT_TRUE(db.isOk()) << db.status().toString();
    return db.isOk() ? std::move(db).value() : nullptr;
  }

  // Runs `command` and returns what it printed.
  static std::string output(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return out;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
    return out;
  }

  testing::FakeClock clock_;
  std::string base_;
  std::string schema_;
  std::string url_;
};

TEST_F(PgStoreTest, SchemaMatchesSqliteColumnForColumn) {
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  ASSERT_TRUE(pg->migrate().isOk());
  auto lite = SqliteDb::openInMemory();
  ASSERT_TRUE(lite.isOk());
  ASSERT_TRUE((*lite)->migrate().isOk());
  EXPECT_EQ(pg->userVersion(), latestSchemaVersion());
  EXPECT_EQ((*lite)->userVersion(), latestSchemaVersion());
  // Every SQLite table is one the copy (schemaTables) knows or one made again from those
  // (derivedTables), and no other.
  auto tables = (*lite)->select(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  ASSERT_TRUE(tables.isOk());
  std::set<std::string> in_sqlite;
  for (const auto& r : *tables) in_sqlite.insert(r.text(0));
  std::vector<std::string> every = schemaTables();
  every.insert(every.end(), derivedTables().begin(), derivedTables().end());
  std::set<std::string> listed(every.begin(), every.end());
  EXPECT_EQ(in_sqlite, listed);
  EXPECT_EQ(listed.size(), every.size());  // none in both lists
  for (const auto& table : every) {
    auto a = (*lite)->columnsOf(table);
    auto b = pg->columnsOf(table);
    ASSERT_TRUE(a.isOk() && b.isOk()) << table;
    EXPECT_EQ(std::set<std::string>(a->begin(), a->end()),
              std::set<std::string>(b->begin(), b->end()))
        << table;
    auto sa = (*lite)->sealedColumns(table);
    auto sb = pg->sealedColumns(table);
    ASSERT_TRUE(sa.isOk() && sb.isOk()) << table;
    EXPECT_EQ(std::set<std::string>(sa->begin(), sa->end()),
              std::set<std::string>(sb->begin(), sb->end()))
        << table;
  }
}

// Text compares bytes in every column (schema version 15), whatever locale the database was
// made with (the test server's is C.UTF-8): an index lookup is a plain comparison.
// An answer whose every column is text, bytea, a whole number or a truth value comes in
// binary (PgDb::resultFormatOf), any other in text: a row reads the same either way, bytes
// that look like the text form of a bytea ("\x…") included.
TEST_F(PgStoreTest, AnswersInBinaryReadAsAnswersInText) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  const Bytes tricky = {'\\', 'x', '4', '1', 0x00, 0xff, 0x80, '\n'};
  const std::string columns =
      "SELECT ?::bytea, ?::bigint, ?::bigint, -7::int2, 2147483647::int4, true, false, "
      "'Zoë'::text, NULL::bytea, NULL::bigint, ''::bytea";
  // The same columns beside a numeric, which keeps the whole answer in text.
  for (const std::string& sql : {columns, columns + ", 1.5::numeric"}) {
    SCOPED_TRACE(sql);
    auto rows = db->select(sql, {tricky, -1099511627776LL, 42LL});
    ASSERT_TRUE(rows.isOk()) << rows.status().toString();
    ASSERT_EQ(rows->size(), 1u);
    const Row& r = rows->front();
    EXPECT_EQ(r.blob(0), tricky);
    EXPECT_EQ(std::get<Bytes>(r.value(0)), tricky);
    EXPECT_EQ(r.integer(1), -1099511627776LL);
    EXPECT_EQ(r.text(2), "42");
    EXPECT_EQ(std::get<long long>(r.value(2)), 42);
    EXPECT_EQ(r.integer(3), -7);
    EXPECT_EQ(r.integer(4), 2147483647);
    EXPECT_EQ(r.integer(5), 1);
    EXPECT_EQ(r.integer(6), 0);
    EXPECT_EQ(r.text(7), "Zoë");
    EXPECT_EQ(r.view(7), std::optional<std::string_view>("Zoë"));
    EXPECT_TRUE(r.isNull(8));
    EXPECT_TRUE(r.blob(8).empty());
    EXPECT_TRUE(r.isNull(9));
    EXPECT_EQ(r.integer(9), 0);
    EXPECT_FALSE(r.isNull(10));
    EXPECT_TRUE(r.blob(10).empty());
  }
}

TEST_F(PgStoreTest, EveryTextColumnComparesBytes) {
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  ASSERT_TRUE(pg->migrate().isOk());
  auto text = pg->select(
      "SELECT c.table_name || '.' || c.column_name, c.collation_name FROM "
      "information_schema.columns c JOIN information_schema.tables t ON t.table_schema = "
      "c.table_schema AND t.table_name = c.table_name WHERE c.table_schema = current_schema() "
      "AND t.table_type = 'BASE TABLE' AND c.data_type = 'text' ORDER BY 1");
  ASSERT_TRUE(text.isOk()) << text.status().toString();
  EXPECT_GT(text->size(), 50u);  // ids, codes, dates, names of every table
  for (const auto& r : *text) EXPECT_EQ(r.text(1), "C") << r.text(0);
}

TEST_F(PgStoreTest, ProcessesOpeningANewDatabaseTogetherMigrateItOnce) {
  constexpr int kOpeners = 6;
  std::vector<std::thread> threads;
  std::array<std::string, kOpeners> errors;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto st = Store::openPostgres(url_, clock_);
      if (!st.isOk()) errors[static_cast<size_t>(i)] = st.status().toString();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  auto rows = pg->select("SELECT version FROM recourse_schema");
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 1U);
  EXPECT_EQ(rows->front().integer(0), latestSchemaVersion());
}

TEST_F(PgStoreTest, ConcurrentWritersKeepOneUnbrokenAuditChain) {
  {
    auto first = open();
    ASSERT_NE(first, nullptr);
    ASSERT_TRUE(first->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  }
  constexpr int kWriters = 4;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  std::array<int, kWriters> saved{};
  std::array<std::string, kWriters> errors;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      // Each writer is its own connection, as another Recourse process would be.
      auto st = Store::openPostgres(url_, clock_);
      if (!st.isOk() || !(*st)->unlock(kPass).isOk()) {
        errors[static_cast<size_t>(w)] = "could not open";
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        core::Client c;
        c.name = "Writer " + std::to_string(w) + " client " + std::to_string(i);
        auto added = (*st)->addClient(c);
        if (added.isOk()) {
          ++saved[static_cast<size_t>(w)];
        } else {
          errors[static_cast<size_t>(w)] = added.status().toString();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  auto check = open();
  ASSERT_NE(check, nullptr);
  ASSERT_TRUE(check->unlock(kPass).isOk());
  // Every acknowledged write is there, and the chain links all of them.
  auto clients = check->listClients();
  ASSERT_TRUE(clients.isOk());
  EXPECT_EQ(clients->size(), static_cast<size_t>(kWriters * kEach));
  for (int w = 0; w < kWriters; ++w) EXPECT_EQ(saved[static_cast<size_t>(w)], kEach);
  EXPECT_TRUE(check->verifyAuditChain().isOk()) << check->verifyAuditChain().toString();
  auto events = check->auditEvents();
  ASSERT_TRUE(events.isOk());
  long long adds = 0;
  for (const auto& e : *events) adds += e.action == "client.add" ? 1 : 0;
  EXPECT_EQ(adds, kWriters * kEach);
}

TEST_F(PgStoreTest, AnotherProcessesCommitMovesTheChangeStamp) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  ASSERT_TRUE(b->unlock(kPass).isOk());
  const auto before = b->changeStamp();
  EXPECT_EQ(b->changeStamp(), before);  // nothing happened: the same
  core::Client c;
  c.name = "Seen by the other";
  ASSERT_TRUE(a->addClient(c).isOk());
  // The notification is on its way; it arrives within moments.
  bool moved = false;
  for (int i = 0; i < 100 && !moved; ++i) {
    moved = !(b->changeStamp() == before);
    if (!moved) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(moved);
}

// A full disk on the server: here the organization's tables live on a filesystem of 4 MB (a
// tablespace on a tmpfs this test mounts), and an evidence file larger than that is refused
// with a message that says the server's disk is full. Nothing of it is kept, the logs'
// chains still verify, and what was there before still reads.
TEST_F(PgStoreTest, AFullDiskOnTheServerIsNamedAndNothingIsHalfWritten) {
  std::ifstream where(std::string(std::getenv("RECOURSE_TEST_POSTGRES_FILE")) + ".dir");
  std::string top;
  std::getline(where, top);
  if (top.empty()) {
    // Only a server tests/pg_fixture.sh started says where its files are, and so which
    // account owns them; against another one this test cannot make its tablespace.
    GTEST_SKIP() << "the test server's folder is not known (tests/pg_fixture.sh)";
  }
  struct stat server_files {};
  ASSERT_EQ(::stat(top.c_str(), &server_files), 0) << top;
  testing::TempDir here;
  const std::string disk = here.file("small-disk");
  ASSERT_TRUE(std::filesystem::create_directory(disk));
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=4m,mode=0700") != 0) {
    // Skipped where this process may not mount a filesystem (it needs root, with the
    // capability to mount): there is no other way to fill only the server's disk.
    GTEST_SKIP() << "cannot mount a small filesystem to fill: " << std::strerror(errno);
  }
  struct Unmount {
    std::string dir;
    ~Unmount() {
      // Lazily only if something still holds it (the tablespace was dropped before this).
      if (::umount2(dir.c_str(), 0) != 0) ::umount2(dir.c_str(), MNT_DETACH);
    }
  } unmount{disk};
  // The server's own account owns the folder it keeps the tablespace in, and may pass
  // through the one around it.
  ASSERT_EQ(::chown(disk.c_str(), server_files.st_uid, server_files.st_gid), 0);
  ASSERT_EQ(::chmod(here.path().c_str(), 0711), 0);
  auto admin = connect();
  ASSERT_NE(admin, nullptr);
  const std::string space = "small_" + schema_;
  auto made = admin->executeScript("CREATE TABLESPACE " + space + " LOCATION '" + disk + "'");
  ASSERT_TRUE(made.isOk()) << made.toString();
  // Whatever happens below, the schema and the tablespace go before the filesystem does (a
  // tablespace whose files vanished would fail the server's checkpoints, and so the other
  // tests); the store's connection closes first, at the end of the block below.
  struct DropAfterwards {
    PgDb& db;
    std::string schema;
    std::string space;
    ~DropAfterwards() {
      (void)db.executeScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      (void)db.executeScript("DROP TABLESPACE IF EXISTS " + space);
    }
  } drop{*admin, schema_, space};
  {
    auto opened = Store::openPostgres(url_ + "%20-cdefault_tablespace%3D" + space, clock_);
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    Store& st = **opened;
    ASSERT_TRUE(st.createVault(kPass, *kdfParamsNamed("interactive")).isOk());
    core::Client c;
    c.name = "Dana Reyes";
    auto client = st.addClient(c);
    ASSERT_TRUE(client.isOk()) << client.status().toString();
    core::Case k;
    k.client_id = client->id;
    k.provider.name = "Dr. P";
    auto kase = st.addCase(k);
    ASSERT_TRUE(kase.isOk()) << kase.status().toString();
    const std::string source = here.file("recording.m4a");
    {
      std::ofstream out(source, std::ios::binary);
      std::mt19937 bytes(7);
      for (int i = 0; i < 6 * 1024 * 1024 / 4; ++i) {
        const std::uint32_t v = bytes();
        out.write(reinterpret_cast<const char*>(&v), sizeof v);
      }
    }
    core::EvidenceItem e;
    e.case_id = kase->id;
    e.original_name = "recording.m4a";
    e.sha256_hex = *sha256File(source);
    const std::string evidence_dir = here.file("evidence");
    auto added = st.addEvidence(e, source, evidence_dir);
    ASSERT_FALSE(added.isOk());
    EXPECT_EQ(added.status().code(), core::StatusCode::kIOError) << added.status().toString();
    EXPECT_NE(added.status().message().find("the database server's disk is full"),
              std::string::npos)
        << added.status().toString();
    // Nothing of it was kept: no record, no custody entry, no part, no file left here.
    auto items = st.listEvidence(kase->id);
    ASSERT_TRUE(items.isOk()) << items.status().toString();
    EXPECT_TRUE(items->empty());
    auto custody = st.custodyLog();
    ASSERT_TRUE(custody.isOk());
    EXPECT_TRUE(custody->empty());
    auto parts = admin->firstRow("SELECT count(*) FROM evidence_parts");
    ASSERT_TRUE(parts.isOk() && *parts);
    EXPECT_EQ((*parts)->integer(0), 0);
    std::error_code ec;
    EXPECT_TRUE(!std::filesystem::exists(evidence_dir, ec) ||
                std::filesystem::is_empty(evidence_dir, ec));
    EXPECT_TRUE(st.verifyAuditChain().isOk());
    auto problems = st.verifyEvidence(evidence_dir);  // the custody chain too
    ASSERT_TRUE(problems.isOk()) << problems.status().toString();
    EXPECT_TRUE(problems->empty()) << problems->front();
    auto back = st.getClient(client->id);
    ASSERT_TRUE(back.isOk()) << back.status().toString();
    EXPECT_EQ(back->name, "Dana Reyes");
  }
}

TEST_F(PgStoreTest, NewerSchemaIsRefusedAndLeftAlone) {
  {
    auto st = open();
    ASSERT_NE(st, nullptr);
  }
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  ASSERT_TRUE(pg->execute("UPDATE recourse_schema SET version = 999").isOk());
  auto st = Store::openPostgres(url_, clock_);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.status().message().find("newer version of Recourse"), std::string::npos);
  EXPECT_EQ(pg->userVersion(), 999);
}

TEST_F(PgStoreTest, BadUrlsAndUnreachableServersAreNamedWithoutThePassword) {
  auto bad = Store::openPostgres("postgresql://me:s3cret@[::1", clock_);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "database");
  EXPECT_EQ(bad.status().message().find("s3cret"), std::string::npos);
  // A port nothing listens on (port 1 needs root to listen; nothing does).
  auto down = Store::openPostgres("postgresql://me:s3cret@127.0.0.1:1/recourse", clock_);
  ASSERT_FALSE(down.isOk());
  EXPECT_EQ(down.status().code(), core::StatusCode::kIOError);
  EXPECT_NE(down.status().message().find("127.0.0.1:1/recourse"), std::string::npos);
  EXPECT_EQ(down.status().message().find("s3cret"), std::string::npos) << down.status().message();
  EXPECT_EQ(redactedUrl("postgresql://me:s3cret@host/db"), "postgresql://me:***@host/db");
  EXPECT_EQ(redactedUrl("postgresql://host/db?password=s3cret&x=1"),
            "postgresql://host/db?password=***&x=1");
}

TEST_F(PgStoreTest, AppendOnlyLogsRefuseChangesOnTheServer) {
  auto st = open();
  ASSERT_NE(st, nullptr);
  ASSERT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  auto changed = pg->execute("UPDATE audit_log SET action = 'x'");
  EXPECT_EQ(changed.code(), core::StatusCode::kConflict);
  EXPECT_NE(changed.message().find("append-only"), std::string::npos);
  EXPECT_EQ(pg->execute("DELETE FROM custody_log").code(), core::StatusCode::kOk);  // empty
  auto rows = pg->select("SELECT count(*) FROM audit_log");
  ASSERT_TRUE(rows.isOk());
  EXPECT_GE(rows->front().integer(0), 1);
  EXPECT_NE(pg->execute("DELETE FROM audit_log").code(), core::StatusCode::kOk);
}

TEST_F(PgStoreTest, TheServerHoldsNothingThatWasSealed) {
  const std::string canary = "Canary7Q Zyxwvut";
  auto st = open();
  ASSERT_NE(st, nullptr);
  ASSERT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  core::Client c;
  c.name = canary + " name";
  c.email = "canary7q@example.org";
  c.phone = canary + " phone";
  c.address = canary + " address";
  c.notes = canary + " notes";
  auto client = st->addClient(c);
  ASSERT_TRUE(client.isOk());
  core::Case k;
  k.client_id = client->id;
  k.provider.name = canary + " therapist";
  k.provider.license_number = canary + " license";
  k.provider.practice = canary + " practice";
  k.title = canary + " title";
  k.notes = canary + " case notes";
  auto kase = st->addCase(k);
  ASSERT_TRUE(kase.isOk());
  core::Incident i;
  i.case_id = kase->id;
  i.summary = canary + " summary";
  i.narrative = canary + " narrative";
  i.impact = canary + " impact";
  i.date_precision = core::DatePrecision::kUnknown;
  i.date_text = canary + " date";
  ASSERT_TRUE(st->addIncident(i).isOk());
  core::RecordsRequest r;
  r.case_id = kase->id;
  r.custodian_name = canary + " custodian";
  r.custodian_address = canary + " custodian address";
  auto request = st->addRequest(r);
  ASSERT_TRUE(request.isOk());
  core::RequestEvent sent;
  sent.request_id = request->id;
  sent.on = core::Date{2026, 3, 2};
  sent.via = "mail";
  sent.details = canary + " event details";
  ASSERT_TRUE(st->addRequestEvent(sent).isOk());
  core::Complaint complaint;
  complaint.case_id = kase->id;
  complaint.board_id = "ca-bbs";
  complaint.jurisdiction = "us-ca";
  complaint.answers_json = "{\"what_happened\": \"" + canary + " answers\"}";
  complaint.filed_on = core::Date{2026, 3, 1};
  complaint.filed_via = "online";
  complaint.board_reference = canary + " reference";
  auto saved_complaint = st->saveComplaint(complaint);
  ASSERT_TRUE(saved_complaint.isOk()) << saved_complaint.status().toString();
  core::ComplaintEvent asked;
  asked.complaint_id = saved_complaint->id;
  asked.type = core::ComplaintEventType::kInfoRequested;
  asked.on = core::Date{2026, 3, 2};
  asked.reply_by = core::Date{2026, 3, 20};
  asked.details = canary + " complaint step";
  ASSERT_TRUE(st->addComplaintEvent(asked).isOk());
  // An evidence file, its name and its description: the file's bytes go into the database.
  testing::TempDir here;
  const std::string source = here.file("canary7q-notes.txt");
  {
    std::ofstream out(source, std::ios::binary);
    for (int n = 0; n < 2000; ++n) out << canary << " evidence file line " << n << "\n";
  }
  core::EvidenceItem e;
  e.case_id = kase->id;
  e.original_name = canary + " name.txt";
  e.description = canary + " description";
  e.media_type = "text/plain";
  auto hash = sha256File(source);
  ASSERT_TRUE(hash.isOk());
  e.sha256_hex = *hash;
  auto item = st->addEvidence(e, source, here.file("evidence"));
  ASSERT_TRUE(item.isOk()) << item.status().toString();
  std::string file_back;
  ASSERT_TRUE(
      st->readEvidence(item->id, here.file("evidence"), "", [&](const std::uint8_t* p, size_t n) {
          file_back.append(reinterpret_cast<const char*>(p), n);
          return core::Status::ok();
        }).isOk());
  EXPECT_NE(file_back.find(canary + " evidence file line 1999"), std::string::npos);
  ASSERT_TRUE(st->saveDraft("page", canary + " draft").isOk());
  // Read back through the app: the canary is there for the key holder.
  auto back = st->getClient(client->id);
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(back->name, canary + " name");

  // pg_dump, as an organization's backup takes it: no trace of the canary, in any case.
  const std::string dump_tool = [] {
    for (const char* v : {"17", "16", "15"}) {
      std::string p = std::string("/usr/lib/postgresql/") + v + "/bin/pg_dump";
      if (std::ifstream(p).good()) return p;
    }
    return std::string("pg_dump");
  }();
  const std::string dump = output(dump_tool + " --no-owner -n " + schema_ + " '" + base_ + "'");
  ASSERT_NE(dump.find("CREATE TABLE " + schema_ + ".clients"), std::string::npos)
      << "pg_dump gave no dump";
  ASSERT_NE(dump.find("COPY " + schema_ + ".clients"), std::string::npos);
  ASSERT_NE(dump.find("COPY " + schema_ + ".evidence_parts"), std::string::npos);
  std::string lower = dump;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(lower.find("canary7q"), std::string::npos);
  EXPECT_EQ(lower.find("zyxwvut"), std::string::npos);

  // Nor in any file of the server's own: its tables, its write-ahead log, its log file (the
  // test server's folder, tests/pg_fixture.sh). A checkpoint first, so that what was
  // written has reached the table files too.
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  ASSERT_TRUE(pg->executeScript("CHECKPOINT").isOk());
  std::ifstream where(std::string(std::getenv("RECOURSE_TEST_POSTGRES_FILE")) + ".dir");
  std::string top;
  std::getline(where, top);
  ASSERT_FALSE(top.empty()) << "the test server's folder is not known";
  size_t files = 0;
  size_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           top, std::filesystem::directory_options::skip_permission_denied)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto& ch : content) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_EQ(content.find("canary7q"), std::string::npos) << entry.path();
    EXPECT_EQ(content.find("zyxwvut"), std::string::npos) << entry.path();
    ++files;
    bytes += content.size();
  }
  EXPECT_GT(files, 100u);  // the data directory was read, not skipped
  EXPECT_GT(bytes, 10u * 1024 * 1024);
}

// Evidence files live in the organization's database, in parts, so that any office
// computer reads one another added; damage to a part is found; removing an item removes its
// parts; a file an earlier version kept in a computer's folder moves in when it opens.
TEST_F(PgStoreTest, EvidenceFilesAreKeptInTheDatabaseAndEveryOfficeComputerReadsThem) {
  testing::TempDir first_computer;
  testing::TempDir second_computer;
  const std::string first_dir = first_computer.file("evidence");
  const std::string second_dir = second_computer.file("evidence");
  auto a = open();
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  core::Client c;
  c.name = "Dana Reyes";
  core::Case k;
  k.client_id = a->addClient(c)->id;
  k.provider.name = "Dr. P";
  const std::string case_id = a->addCase(k)->id;
  // Two and a half parts, every byte value, a chunk boundary inside each part.
  std::string original(EvidenceRepo::kPartBytes * 5 / 2 + 7, '\0');
  for (size_t i = 0; i < original.size(); ++i) original[i] = static_cast<char>(i * 7 + i / 251);
  const std::string source = first_computer.file("recording.m4a");
  std::ofstream(source, std::ios::binary) << original;
  auto add = [&]() {
    core::EvidenceItem e;
    e.case_id = case_id;
    e.original_name = "recording.m4a";
    e.sha256_hex = *sha256File(source);
    return a->addEvidence(e, source, first_dir);
  };
  auto item = add();
  ASSERT_TRUE(item.isOk()) << item.status().toString();
  EXPECT_FALSE(std::filesystem::exists(first_dir + "/" + item->id + ".sealed"));
  auto pg = connect();
  ASSERT_NE(pg, nullptr);
  auto count = [&](const std::string& id) {
    auto row = pg->firstRow("SELECT count(*) FROM evidence_parts WHERE evidence_id = ?", {id});
    return row.isOk() && *row ? (*row)->integer(0) : -1;
  };
  EXPECT_EQ(count(item->id), 3);

  // The second computer has nothing in its folder and reads it byte for byte.
  auto b = open();
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->unlock(kPass).isOk());
  auto read = [&](Store& st, const std::string& id, const std::string& dir, std::string* out) {
    out->clear();
    return st.readEvidence(id, dir, "export", [&](const std::uint8_t* p, size_t n) {
      out->append(reinterpret_cast<const char*>(p), n);
      return core::Status::ok();
    });
  };
  std::string back;
  ASSERT_TRUE(read(*b, item->id, second_dir, &back).isOk());
  EXPECT_TRUE(back == original) << back.size() << " bytes back of " << original.size();
  auto problems = b->verifyEvidence(second_dir);
  ASSERT_TRUE(problems.isOk()) << problems.status().toString();
  EXPECT_TRUE(problems->empty()) << problems->front();

  // A part altered on the server, or one gone, is found.
  ASSERT_TRUE(pg->execute("UPDATE evidence_parts SET bytes = set_byte(bytes, 999, "
                          "get_byte(bytes, 999) # 255) WHERE evidence_id = ? AND part = 1",
                          {item->id})
                  .isOk());
  core::Status damaged = read(*b, item->id, second_dir, &back);
  EXPECT_EQ(damaged.code(), core::StatusCode::kCorruption) << damaged.toString();
  EXPECT_NE(damaged.message().find("altered"), std::string::npos) << damaged.message();
  ASSERT_TRUE(
      pg->execute("DELETE FROM evidence_parts WHERE evidence_id = ? AND part = 2", {item->id})
          .isOk());
  problems = b->verifyEvidence(second_dir);
  ASSERT_TRUE(problems.isOk());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE((*problems)[0].find(item->id), std::string::npos) << (*problems)[0];
  // Removing the item removes its parts.
  auto removed = b->removeEvidence(item->id, second_dir);
  ASSERT_TRUE(removed.isOk()) << removed.status().toString();
  EXPECT_EQ(count(item->id), 0);

  // A file an earlier version kept in the first computer's folder (its parts not in the
  // database) is read there only, until that computer moves it in.
  auto legacy = add();
  ASSERT_TRUE(legacy.isOk());
  {
    std::ofstream out(first_dir + "/" + legacy->id + ".sealed", std::ios::binary);
    ASSERT_TRUE(a->copySealedFile(legacy->id, first_dir, [&](const std::uint8_t* p, size_t n) {
                   out.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
                   return core::Status::ok();
                 }).isOk());
  }
  ASSERT_TRUE(pg->execute("DELETE FROM evidence_parts WHERE evidence_id = ?", {legacy->id}).isOk());
  EXPECT_EQ(read(*b, legacy->id, second_dir, &back).code(), core::StatusCode::kCorruption);
  EXPECT_FALSE(*b->hasSealedFile(legacy->id, second_dir));
  ASSERT_TRUE(read(*a, legacy->id, first_dir, &back).isOk());
  EXPECT_EQ(*b->moveEvidenceIn(second_dir), 0);  // not there
  auto moved = a->moveEvidenceIn(first_dir);
  ASSERT_TRUE(moved.isOk()) << moved.status().toString();
  EXPECT_EQ(*moved, 1);
  EXPECT_FALSE(std::filesystem::exists(first_dir + "/" + legacy->id + ".sealed"));
  EXPECT_EQ(count(legacy->id), 3);
  ASSERT_TRUE(read(*b, legacy->id, second_dir, &back).isOk());
  EXPECT_TRUE(back == original);
  problems = b->verifyEvidence(second_dir);
  ASSERT_TRUE(problems.isOk());
  EXPECT_TRUE(problems->empty()) << problems->front();

  // A folder's copy that differs from the database's, one too short to be a sealed file and
  // one no record names are neither moved in nor removed.
  std::string sealed_bytes;
  ASSERT_TRUE(a->copySealedFile(legacy->id, first_dir, [&](const std::uint8_t* p, size_t n) {
                 sealed_bytes.append(reinterpret_cast<const char*>(p), n);
                 return core::Status::ok();
               }).isOk());
  sealed_bytes[sealed_bytes.size() / 2] ^= 1;
  std::ofstream(first_dir + "/" + legacy->id + ".sealed", std::ios::binary) << sealed_bytes;
  std::ofstream(first_dir + "/ev_cutshort.sealed", std::ios::binary) << "x";
  std::ofstream(first_dir + "/ev_nobody.sealed", std::ios::binary) << sealed_bytes;
  EXPECT_EQ(*a->moveEvidenceIn(first_dir), 0);
  EXPECT_TRUE(std::filesystem::exists(first_dir + "/" + legacy->id + ".sealed"));
  EXPECT_TRUE(std::filesystem::exists(first_dir + "/ev_cutshort.sealed"));
  EXPECT_TRUE(std::filesystem::exists(first_dir + "/ev_nobody.sealed"));
  // The same bytes as the database's: that copy goes.
  sealed_bytes[sealed_bytes.size() / 2] ^= 1;
  std::ofstream(first_dir + "/" + legacy->id + ".sealed", std::ios::binary) << sealed_bytes;
  EXPECT_EQ(*a->moveEvidenceIn(first_dir), 0);  // nothing new in the database
  EXPECT_FALSE(std::filesystem::exists(first_dir + "/" + legacy->id + ".sealed"));
  EXPECT_EQ(count(legacy->id), 3);
}

// A vault moves into the organization's database with every evidence file or not at all.
TEST_F(PgStoreTest, AVaultWhoseEvidenceFileIsMissingIsNotMovedIn) {
  testing::TempDir here;
  auto file = Store::openDataDir(here.path(), Store::OpenMode::kCreate, clock_);
  ASSERT_TRUE(file.isOk()) << file.status().toString();
  Store& vault = **file;
  ASSERT_TRUE(vault.createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  core::Client c;
  c.name = "Dana Reyes";
  core::Case k;
  k.client_id = vault.addClient(c)->id;
  k.provider.name = "Dr. P";
  const std::string case_id = vault.addCase(k)->id;
  const std::string source = here.file("note.txt");
  std::ofstream(source) << "a note";
  core::EvidenceItem e;
  e.case_id = case_id;
  e.original_name = "note.txt";
  e.sha256_hex = *sha256File(source);
  auto item = vault.addEvidence(e, source, here.file("evidence"));
  ASSERT_TRUE(item.isOk()) << item.status().toString();
  std::filesystem::remove(here.file("evidence") + "/" + item->id + ".sealed");

  auto org = open();
  ASSERT_NE(org, nullptr);
  auto copied = vault.copyInto(*org, here.file("evidence"));
  EXPECT_EQ(copied.status().code(), core::StatusCode::kCorruption) << copied.status().toString();
  EXPECT_NE(copied.status().message().find(item->id), std::string::npos)
      << copied.status().message();
  auto counts = org->rowCounts();
  ASSERT_TRUE(counts.isOk());
  for (const auto& [table, n] : *counts) EXPECT_EQ(n, 0) << table;
}

TEST_F(PgStoreTest, AnExportOfTheOrganizationDatabaseOpensAsAVault) {
  auto st = open();
  ASSERT_NE(st, nullptr);
  ASSERT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  core::Client c;
  c.name = "Carried Over";
  auto client = st->addClient(c);
  ASSERT_TRUE(client.isOk());
  auto snapshot = st->serialize();
  ASSERT_TRUE(snapshot.isOk()) << snapshot.status().toString();
  auto copy = Store::fromSnapshot(*snapshot, clock_);
  ASSERT_TRUE(copy.isOk()) << copy.status().toString();
  EXPECT_EQ((*copy)->engine(), "SQLite");
  ASSERT_TRUE((*copy)->unlock(kPass).isOk());
  auto back = (*copy)->getClient(client->id);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back->name, "Carried Over");
  EXPECT_TRUE((*copy)->verifyAuditChain().isOk());
}

TEST_F(PgStoreTest, OfTwoProcessesSavingFromTheSameVersionOnlyOneWins) {
  auto a = open();
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  core::Client c;
  c.name = "Shared";
  auto client = a->addClient(c);
  ASSERT_TRUE(client.isOk());
  constexpr int kEditors = 6;
  std::vector<std::thread> threads;
  std::array<int, kEditors> outcome{};  // 1 saved, 2 refused as changed meanwhile, 3 other
  for (int w = 0; w < kEditors; ++w) {
    threads.emplace_back([&, w] {
      auto st = Store::openPostgres(url_, clock_);
      if (!st.isOk() || !(*st)->unlock(kPass).isOk()) {
        outcome[static_cast<size_t>(w)] = 3;
        return;
      }
      core::Client edit = *client;  // every editor saw version 1
      edit.notes = "editor " + std::to_string(w);
      auto saved = (*st)->updateClient(edit);
      outcome[static_cast<size_t>(w)] = saved.isOk()                                     ? 1
                                        : saved.status().reason() == "changed_meanwhile" ? 2
                                                                                         : 3;
    });
  }
  for (auto& t : threads) t.join();
  int won = 0;
  int refused = 0;
  for (int o : outcome) {
    won += o == 1 ? 1 : 0;
    refused += o == 2 ? 1 : 0;
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(refused, kEditors - 1);
  auto now = a->getClient(client->id);
  ASSERT_TRUE(now.isOk());
  EXPECT_EQ(now->version, 2);
  EXPECT_TRUE(a->verifyAuditChain().isOk());
}

}  // namespace
}  // namespace recourse::store

namespace recourse::store {
namespace {

// Savepoints go to the server with the statement after them (one round trip, not three):
// an inner transaction whose statement fails is still undone alone, and the outer one goes
// on and commits what it wrote before and after; a failure the outer body passes on undoes
// everything.
TEST_F(PgStoreTest, AFailedInnerStepIsUndoneAloneAndTheRestCommits) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->migrate().isOk());  // makes the test's schema
  ASSERT_TRUE(db->executeScript("CREATE TABLE scratch (x BIGINT PRIMARY KEY)").isOk());
  auto put = [&](long long x) { return db->insert("scratch", {{"x", x}}); };
  core::Status outer = db->inTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(put(1));
    core::Status inner = db->inTransaction([&]() -> core::Status {
      RECOURSE_RETURN_IF_ERROR(put(2));
      return put(1);  // the same key again: refused by the server
    });
    EXPECT_FALSE(inner.isOk());
    // Nested again, with nothing sent inside: nothing to undo.
    EXPECT_TRUE(db->inTransaction([] { return core::Status::ok(); }).isOk());
    return db->inTransaction([&] { return put(3); });
  });
  ASSERT_TRUE(outer.isOk()) << outer.toString();
  auto rows = db->select("SELECT x FROM scratch ORDER BY x");
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].integer(0), 1);
  EXPECT_EQ((*rows)[1].integer(0), 3);

  core::Status failed = db->inTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(db->inTransaction([&] { return put(4); }));
    return put(3);  // refused: the whole transaction goes, 4 with it
  });
  EXPECT_FALSE(failed.isOk());
  rows = db->select("SELECT count(*) FROM scratch");
  ASSERT_TRUE(rows.isOk());
  EXPECT_EQ(rows->front().integer(0), 2);
  // The connection is usable again at once.
  EXPECT_TRUE(put(5).isOk());
}

// A chain appended to several times in one transaction links each entry to the one before
// without reading it back, and an entry undone with its savepoint is not linked to: the
// next one reads the chain's head again.
TEST_F(PgStoreTest, AChainAppendedInOneTransactionStaysWholeWhenAStepIsUndone) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->migrate().isOk());
  ASSERT_TRUE(db->executeScript("CREATE TABLE scratch (x BIGINT PRIMARY KEY)").isOk());
  HashChain chain(*db, "custody_log", {"action", "evidence_id", "sha256"}, "custody log");
  const ChainLink link = ChainLink::plainSha256();
  auto entry = [&](const std::string& what) {
    return chain.append(link, "2026-12-05T10:00:00Z", {what, "ev_1", "5e3c"});
  };
  core::Status outer = db->inTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(entry("first"));
    RECOURSE_RETURN_IF_ERROR(entry("second"));
    core::Status undone = db->inTransaction([&]() -> core::Status {
      RECOURSE_RETURN_IF_ERROR(entry("undone"));
      RECOURSE_RETURN_IF_ERROR(db->insert("scratch", {{"x", 1LL}}));
      return db->insert("scratch", {{"x", 1LL}});  // refused: the entry goes with it
    });
    EXPECT_FALSE(undone.isOk());
    return entry("third");
  });
  ASSERT_TRUE(outer.isOk()) << outer.toString();
  ASSERT_TRUE(entry("next transaction").isOk());
  auto entries = chain.entries();
  ASSERT_TRUE(entries.isOk()) << entries.status().toString();
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[2].fields[0], "third");
  EXPECT_EQ((*entries)[2].seq, 3);
  EXPECT_TRUE(chain.verify(*entries, link).empty()) << chain.verify(*entries, link).front();
}

// An answer's rows read their cells where libpq keeps them; each reads exactly as a row of
// the Values the engine's types stand for (SQLite's rows, and this engine's before).
TEST_F(PgStoreTest, AnAnswersRowsReadTheirCellsAsRowsOfValuesDo) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  auto rows = db->select(
      "SELECT true, false, 42::int8, 7::int4, 12.0::numeric, NULL::text, '\\x0102ff'::bytea, "
      "'abc'::text, ''::text, '2026-03-02'::text, '2026-03-02T10:20:30Z'::text, NULL::bytea");
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 1u);
  const Row& held = rows->front();
  const Row owned({1LL, 0LL, 42LL, 7LL, 12LL, std::monostate{}, Bytes{1, 2, 255},
                   std::string("abc"), std::string(), std::string("2026-03-02"),
                   std::string("2026-03-02T10:20:30Z"), std::monostate{}});
  ASSERT_EQ(held.size(), owned.size());
  for (size_t c = 0; c < owned.size(); ++c) {
    SCOPED_TRACE("column " + std::to_string(c));
    EXPECT_EQ(held.isNull(c), owned.isNull(c));
    EXPECT_EQ(held.text(c), owned.text(c));
    EXPECT_EQ(held.integer(c), owned.integer(c));
    EXPECT_EQ(held.blob(c), owned.blob(c));
    EXPECT_EQ(held.value(c), owned.value(c));
    EXPECT_EQ(held.view(c), owned.view(c));
  }
  EXPECT_EQ(held.text(2), "42");
  EXPECT_EQ(held.blob(6), (Bytes{1, 2, 255}));
  EXPECT_EQ(held.view(5), std::nullopt);  // NULL
  EXPECT_EQ(*held.date(9, "day"), owned.date(9, "day").value());
  EXPECT_EQ(*held.timestamp(10, "at"), *owned.timestamp(10, "at"));
  EXPECT_EQ(held.ownBlob(6), nullptr);  // held, not owned: blob() gives it
  EXPECT_THROW((void)held.text(12), std::out_of_range);
  EXPECT_THROW((void)owned.text(12), std::out_of_range);
  // A copy of a row, kept after the answer's other rows are gone, still reads.
  const Row kept = rows->front();
  rows = db->select("SELECT 1");
  EXPECT_EQ(kept.text(7), "abc");
}

// A view's reads sent ahead in one pipeline come back to their selects in order; anything
// else sent in between drops the rest, so nothing is read from before a write.
TEST_F(PgStoreTest, ReadsSentAheadAnswerTheirSelectsAndNeverHideALaterWrite) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->migrate().isOk());
  ASSERT_TRUE(db->executeScript("CREATE TABLE scratch (x BIGINT PRIMARY KEY)").isOk());
  for (long long x : {1LL, 2LL, 3LL}) ASSERT_TRUE(db->insert("scratch", {{"x", x}}).isOk());
  const Query above{"SELECT x FROM scratch WHERE x > ? ORDER BY x", {1LL}};
  const Query count{"SELECT count(*) FROM scratch", {}};
  auto xs = [](const std::vector<Row>& rows) {
    std::vector<long long> out;
    for (const auto& r : rows) out.push_back(r.integer(0));
    return out;
  };

  db->readAhead({above, count});
  auto first = db->select(above.sql, above.args);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(xs(*first), (std::vector<long long>{2, 3}));
  auto second = db->select(count.sql);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->front().integer(0), 3);
  EXPECT_EQ(db->answersTakenAhead(), 2);  // both answers came from the pipeline

  // A write after the first: the second reads afresh and sees it.
  db->readAhead({above, count});
  ASSERT_TRUE(db->select(above.sql, above.args).isOk());
  ASSERT_TRUE(db->insert("scratch", {{"x", 4LL}}).isOk());
  second = db->select(count.sql);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->front().integer(0), 4);
  EXPECT_EQ(db->answersTakenAhead(), 3);  // the first only

  // Other values than those sent ahead: read afresh, not the answer sent ahead.
  db->readAhead({above, count});
  first = db->select(above.sql, {3LL});
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(xs(*first), (std::vector<long long>{4}));
  second = db->select(count.sql);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->front().integer(0), 4);

  // One that fails: its select says so; the next, which the server skipped, runs itself.
  EXPECT_EQ(db->answersTakenAhead(), 3);
  const Query failing{"SELECT 1 / (x - x) FROM scratch", {}};
  db->readAhead({failing, count});
  auto failed = db->select(failing.sql);
  EXPECT_FALSE(failed.isOk());
  EXPECT_EQ(db->answersTakenAhead(), 4);
  second = db->select(count.sql);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->front().integer(0), 4);

  // Never taken: dropped by the next transaction, which works as ever.
  db->readAhead({above, count});
  ASSERT_TRUE(db->inTransaction([&] { return db->insert("scratch", {{"x", 5LL}}); }).isOk());
  second = db->select(count.sql);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->front().integer(0), 5);
}

// A view across a caseload sends its reads ahead (Store::readAheadCaseload: the second on a
// connection of its own, the others in one pipeline) and every one of them is answered from
// there, with what each read gives on its own: the view waits for no round trip of its own,
// and the server works on two reads at once and on the later ones while this side opens the
// first (each client's deadline digest, made by the view before).
TEST_F(PgStoreTest, ACaseloadsReadsAllComeAheadAndMatchTheReadsMadeAlone) {
  auto st = open();
  ASSERT_NE(st, nullptr);
  ASSERT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  std::vector<std::string> sent_requests;
  for (int n = 0; n < 3; ++n) {
    core::Client c;
    c.name = "Client " + std::to_string(n);
    auto client = st->addClient(c);
    ASSERT_TRUE(client.isOk());
    core::Case k;
    k.client_id = client->id;
    k.provider.name = "Therapist " + std::to_string(n);
    auto kase = st->addCase(k);
    ASSERT_TRUE(kase.isOk());
    for (unsigned day = 3; day >= 1; --day) {  // added latest first: read back by date
      core::Incident i;
      i.case_id = kase->id;
      i.summary = "Incident";
      i.date_precision = core::DatePrecision::kExact;
      i.date_start = core::Date{2025, 4, day};
      ASSERT_TRUE(st->addIncident(i).isOk());
    }
    core::RecordsRequest r;
    r.case_id = kase->id;
    r.custodian_name = "Clinic " + std::to_string(n);
    auto request = st->addRequest(r);
    ASSERT_TRUE(request.isOk());
    ASSERT_TRUE(st->addRequest(r).isOk());  // a draft: not under way
    core::RequestEvent e;
    e.request_id = request->id;
    e.on = core::Date{2026, 3, 2};
    e.via = "mail";
    ASSERT_TRUE(st->addRequestEvent(e).isOk());
    sent_requests.push_back(request->id);
  }
  using Fields = Store::Fields;
  // Alone first (and so each case's reads are logged already, and each client's digest made:
  // the view below writes nothing).
  auto inputs = st->deadlineInputs("", nullptr);
  auto cases = st->listCases("", nullptr, Fields::kSummary);
  auto clients = st->listClients(nullptr, Fields::kSummary);
  ASSERT_TRUE(inputs.isOk() && cases.isOk() && clients.isOk());
  EXPECT_EQ(inputs->read_afresh, 3);
  const auto& incidents = inputs->incidents;
  ASSERT_EQ(inputs->under_way.requests.size(), 3u);
  for (size_t n = 0; n < 3; ++n) EXPECT_EQ(inputs->under_way.requests[n].id, sent_requests[n]);

  const long long before = st->answersTakenAhead();
  st->readAheadCaseload(Fields::kSummary);
  auto ahead_inputs = st->deadlineInputs("", nullptr);
  auto ahead_cases = st->listCases("", nullptr, Fields::kSummary);
  auto ahead_clients = st->listClients(nullptr, Fields::kSummary);
  st->endReadAhead();
  EXPECT_EQ(st->answersTakenAhead() - before, 3);
  ASSERT_TRUE(ahead_inputs.isOk() && ahead_cases.isOk() && ahead_clients.isOk());
  EXPECT_EQ(ahead_inputs->from_digests, 3);
  EXPECT_EQ(ahead_inputs->read_afresh, 0);
  const auto& ahead_incidents = ahead_inputs->incidents;
  const auto& ahead_under_way = ahead_inputs->under_way;
  ASSERT_EQ(ahead_incidents.by_case.size(), 3u);
  for (const auto& [kase, list] : incidents.by_case) {
    const auto& ahead = ahead_incidents.by_case.at(kase);
    ASSERT_EQ(ahead.size(), 3u);
    EXPECT_EQ(ahead.front().date_start, (core::Date{2025, 4, 1}));
    for (size_t n = 0; n < list.size(); ++n) EXPECT_EQ(ahead[n].id, list[n].id);
  }
  ASSERT_EQ(ahead_under_way.requests.size(), 3u);
  for (size_t n = 0; n < 3; ++n) {
    EXPECT_EQ(ahead_under_way.requests[n].id, sent_requests[n]);
    EXPECT_EQ(ahead_under_way.requests[n].custodian_name, "Clinic " + std::to_string(n));
    EXPECT_EQ(ahead_under_way.histories.by_request.at(sent_requests[n]).size(), 1u);
  }
  ASSERT_EQ(ahead_cases->size(), 3u);
  ASSERT_EQ(ahead_clients->size(), 3u);
  for (size_t n = 0; n < 3; ++n) {
    EXPECT_EQ((*ahead_cases)[n].id, (*cases)[n].id);
    EXPECT_EQ((*ahead_clients)[n].name, "Client " + std::to_string(n));
  }

  // The second read went to a connection of its own, which is not taken for another
  // program's (a handover waits for those to close).
  auto others = st->otherConnections();
  ASSERT_TRUE(others.isOk()) << others.status().toString();
  EXPECT_EQ(*others, 0);
  auto admin = connect();  // (this one is counted: it carries the program's name)
  ASSERT_NE(admin, nullptr);
  const std::string side_name = "recourse-reads/" + schema_;
  auto sides = [&]() -> long long {
    auto rows = admin->select("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                              {side_name});
    EXPECT_TRUE(rows.isOk()) << rows.status().toString();
    return rows.isOk() ? rows->front().integer(0) : -1;
  };
  EXPECT_EQ(sides(), 1);

  // That connection lost (the server restarted it, a network fault): the view reads all it
  // needs on the main one, the same; the next view opens it afresh.
  ASSERT_TRUE(admin
                  ->select("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                           "application_name = ?",
                           {side_name})
                  .isOk());
  for (int i = 0; i < 50 && sides() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (int round = 0; round < 2; ++round) {
    const long long taken = st->answersTakenAhead();
    st->readAheadCaseload(Fields::kSummary);
    auto again_inputs = st->deadlineInputs("", nullptr);
    auto again_cases = st->listCases("", nullptr, Fields::kSummary);
    auto again_clients = st->listClients(nullptr, Fields::kSummary);
    st->endReadAhead();
    ASSERT_TRUE(again_inputs.isOk() && again_cases.isOk() && again_clients.isOk())
        << "round " << round;
    EXPECT_EQ(again_inputs->incidents.by_case.size(), 3u);
    const auto& again_under_way = again_inputs->under_way;
    ASSERT_EQ(again_under_way.requests.size(), 3u) << "round " << round;
    for (size_t n = 0; n < 3; ++n) {
      EXPECT_EQ(again_under_way.requests[n].id, sent_requests[n]);
      EXPECT_EQ(again_under_way.histories.by_request.at(sent_requests[n]).size(), 1u);
    }
    EXPECT_EQ(again_cases->size(), 3u);
    EXPECT_EQ(again_clients->size(), 3u);
    // The first time, the lost connection is found either when its read is sent (then all
    // three go in the one pipeline) or when its answer is awaited (then the digests came
    // from the pipeline and the rest ran on their own); the next time, all three ahead again.
    const long long ahead = st->answersTakenAhead() - taken;
    if (round == 0) {
      EXPECT_TRUE(ahead == 1 || ahead == 3) << ahead;
    } else {
      EXPECT_EQ(ahead, 3);
    }
  }
  EXPECT_EQ(sides(), 1);
}

// An office's server reached over TLS (sslmode=require, as a database on another machine
// should be): every kind of exchange answers as over plain TCP (PgDb::nextResult leaves the
// reading to libpq there), with answers of many TLS records: a bulk transaction's waiting
// writes, a caseload's reads sent ahead on both connections, and a case page's; and every
// connection the store made is encrypted. A server of its own, started with a certificate
// (scripts/pg_cluster.sh, PG_CLUSTER_TLS=1).
TEST_F(PgStoreTest, OverTlsEveryKindOfExchangeAnswersAsOverPlainTcp) {
  testing::TempDir here;
  const std::string urlfile = here.path() + "/tls.url";
  const std::string fixture = std::string(RECOURSE_SOURCE_DIR) + "/tests/pg_fixture.sh";
  struct Server {
    std::string stop;
    ~Server() { (void)std::system(stop.c_str()); }
  } server{"bash '" + fixture + "' stop '" + urlfile + "'"};
  ASSERT_EQ(
      std::system(("PG_CLUSTER_TLS=1 bash '" + fixture + "' start '" + urlfile + "'").c_str()), 0);
  std::ifstream in(urlfile);
  std::string url;
  std::getline(in, url);
  ASSERT_FALSE(url.empty());
  url += "?sslmode=require";

  auto opened = Store::openPostgres(url, clock_);
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  auto& st = *opened;
  ASSERT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  std::vector<core::Case> cases;
  ASSERT_TRUE(st->inOneTransaction([&]() -> core::Status {  // a bulk transaction
                  for (int n = 0; n < 3; ++n) {
                    core::Client c;
                    c.name = "Client " + std::to_string(n);
                    RECOURSE_ASSIGN_OR_RETURN(auto client, st->addClient(c));
                    core::Case k;
                    k.client_id = client.id;
                    k.provider.name = "Therapist " + std::to_string(n);
                    RECOURSE_ASSIGN_OR_RETURN(auto kase, st->addCase(k));
                    // Answers of many TLS records (a case page's incidents: about 1 MB).
                    for (unsigned day = 1; day <= 250; ++day) {
                      core::Incident i;
                      i.case_id = kase.id;
                      i.summary = "Incident";
                      i.narrative = std::string(4000, 'n');
                      i.date_precision = core::DatePrecision::kExact;
                      i.date_start = core::Date{2025, 1 + day % 12, 1 + day % 28};
                      RECOURSE_RETURN_IF_ERROR(st->addIncident(i).status());
                    }
                    core::RecordsRequest r;
                    r.case_id = kase.id;
                    r.custodian_name = "Clinic " + std::to_string(n);
                    RECOURSE_ASSIGN_OR_RETURN(auto request, st->addRequest(r));
                    core::RequestEvent e;
                    e.request_id = request.id;
                    e.on = core::Date{2026, 3, 2};
                    e.via = "mail";
                    RECOURSE_RETURN_IF_ERROR(st->addRequestEvent(e).status());
                    cases.push_back(kase);
                  }
                  return core::Status::ok();
                })
                  .isOk());

  using Fields = Store::Fields;
  // Alone first: the first view makes each client's digest and logs the reads (writes, which
  // would come between the reads sent ahead below).
  ASSERT_TRUE(st->deadlineInputs("", nullptr).isOk());
  ASSERT_TRUE(st->listCases("", nullptr, Fields::kSummary).isOk());
  ASSERT_TRUE(st->listClients(nullptr, Fields::kSummary).isOk());
  const long long before = st->answersTakenAhead();
  st->readAheadCaseload(Fields::kSummary);
  auto inputs = st->deadlineInputs("", nullptr);
  auto listed = st->listCases("", nullptr, Fields::kSummary);
  auto clients = st->listClients(nullptr, Fields::kSummary);
  st->endReadAhead();
  ASSERT_TRUE(inputs.isOk()) << inputs.status().toString();
  ASSERT_TRUE(listed.isOk() && clients.isOk());
  EXPECT_EQ(st->answersTakenAhead() - before, 3);
  EXPECT_EQ(inputs->incidents.by_case.size(), 3u);
  EXPECT_EQ(inputs->under_way.requests.size(), 3u);
  ASSERT_EQ(listed->size(), 3u);
  ASSERT_EQ(clients->size(), 3u);
  for (size_t n = 0; n < 3; ++n) {
    EXPECT_EQ((*listed)[n].id, cases[n].id);
    EXPECT_EQ((*clients)[n].name, "Client " + std::to_string(n));
  }
  {
    Store::HeldReads page(*st);
    auto kase = st->getCase(cases[1].id);
    ASSERT_TRUE(kase.isOk()) << kase.status().toString();
    const long long ahead = st->answersTakenAhead();
    st->readAheadCase(*kase);
    auto client = st->getClient(kase->client_id);
    auto incidents = st->listIncidents(kase->id);
    auto evidence = st->listEvidence(kase->id);
    auto requests = st->listRequests(kase->id);
    auto complaint = st->complaintOfCase(kase->id);
    auto done = st->tasksDone(kase->id);
    auto histories = st->requestEventsOfCase(kase->id);
    st->endReadAhead();
    EXPECT_EQ(st->answersTakenAhead() - ahead, 7);
    ASSERT_TRUE(client.isOk() && incidents.isOk() && evidence.isOk() && requests.isOk() &&
                complaint.isOk() && done.isOk() && histories.isOk());
    EXPECT_EQ(client->name, "Client 1");
    ASSERT_EQ(incidents->size(), 250u);
    EXPECT_EQ(incidents->back().narrative, std::string(4000, 'n'));
    ASSERT_EQ(requests->size(), 1u);
    EXPECT_EQ((*requests)[0].custodian_name, "Clinic 1");
    EXPECT_EQ(histories->by_request.size(), 1u);
    ASSERT_TRUE(page.write().isOk());
  }
  // Every connection this store made (its own and the one for reads sent ahead) is TLS.
  auto admin = PgDb::connect(url);
  ASSERT_TRUE(admin.isOk()) << admin.status().toString();
  auto tls = (*admin)->select(
      "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl) FROM "
      "pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid WHERE a.datname = 'recourse'");
  ASSERT_TRUE(tls.isOk()) << tls.status().toString();
  EXPECT_GE(tls->front().integer(0), 3);  // the store's two and this one
  EXPECT_EQ(tls->front().integer(1), 0);
  EXPECT_TRUE(st->verifyAuditChain().isOk());
}

// In a bulk transaction (a batch's chunk of rows) INSERTs wait and go to the server with
// the next read or the commit; what fails is still undone exactly as in any transaction.
TEST_F(PgStoreTest, ABulkTransactionsWaitingWritesAreKeptOrUndoneAsAnyTransactionsAre) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->migrate().isOk());
  ASSERT_TRUE(db->executeScript("CREATE TABLE scratch (x BIGINT PRIMARY KEY)").isOk());
  auto put = [&](long long x) { return db->insert("scratch", {{"x", x}}); };
  auto count = [&]() -> long long {
    auto rows = db->select("SELECT count(*) FROM scratch");
    EXPECT_TRUE(rows.isOk()) << rows.status().toString();
    return rows.isOk() ? rows->front().integer(0) : -1;
  };
  HashChain chain(*db, "custody_log", {"action", "evidence_id", "sha256"}, "custody log");
  const ChainLink link = ChainLink::plainSha256();
  auto entry = [&](const std::string& what) {
    return chain.append(link, "2026-12-06T10:00:00Z", {what, "ev_1", "5e3c"});
  };

  core::Status outer = db->inBulkTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(put(1));
    RECOURSE_RETURN_IF_ERROR(entry("first"));
    // A step that fails before anything of it reached the server: its writes are dropped,
    // and the chain's next entry does not link to the one it made.
    core::Status unsent = db->inTransaction([&]() -> core::Status {
      RECOURSE_RETURN_IF_ERROR(put(2));
      RECOURSE_RETURN_IF_ERROR(entry("dropped"));
      return core::invalidArgument("row 2: stop");
    });
    EXPECT_EQ(unsent.code(), core::StatusCode::kInvalidArgument);
    RECOURSE_RETURN_IF_ERROR(entry("second"));
    // One that fails after a read sent its writes: rolled back to its savepoint.
    core::Status sent = db->inTransaction([&]() -> core::Status {
      RECOURSE_RETURN_IF_ERROR(put(3));
      EXPECT_EQ(count(), 2);  // 1 and 3: what waited went first
      return core::invalidArgument("row 3: stop");
    });
    EXPECT_EQ(sent.code(), core::StatusCode::kInvalidArgument);
    // One that succeeds with nothing of it sent: its writes join the transaction's.
    EXPECT_TRUE(db->inTransaction([&] { return put(8); }).isOk());
    // More than a pipeline's worth waits at once: sent in parts.
    for (long long x = 100; x < 700; ++x) RECOURSE_RETURN_IF_ERROR(put(x));
    return put(4);
  });
  ASSERT_TRUE(outer.isOk()) << outer.toString();
  EXPECT_EQ(count(), 603);
  auto kept = db->select("SELECT x FROM scratch WHERE x < 100 ORDER BY x");
  ASSERT_TRUE(kept.isOk());
  ASSERT_EQ(kept->size(), 3u);  // 1, 4 and 8; not 2 or 3
  EXPECT_EQ((*kept)[0].integer(0), 1);
  EXPECT_EQ((*kept)[1].integer(0), 4);
  EXPECT_EQ((*kept)[2].integer(0), 8);
  auto entries = chain.entries();
  ASSERT_TRUE(entries.isOk()) << entries.status().toString();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].fields[0], "second");
  EXPECT_TRUE(chain.verify(*entries, link).empty()) << chain.verify(*entries, link).front();

  // An INSERT the server refuses fails the step that next reads, and nothing of the
  // transaction is kept.
  core::Status refused_at_read = db->inBulkTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(put(5));
    EXPECT_TRUE(put(1).isOk());  // waits: the server has not seen it yet
    auto rows = db->select("SELECT count(*) FROM scratch");
    EXPECT_FALSE(rows.isOk());
    return rows.status();
  });
  EXPECT_EQ(refused_at_read.code(), core::StatusCode::kConflict) << refused_at_read.toString();
  // ...or the commit, when nothing reads after it.
  core::Status refused_at_commit = db->inBulkTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(put(6));
    RECOURSE_RETURN_IF_ERROR(entry("not kept"));
    EXPECT_TRUE(put(4).isOk());  // waits
    return core::Status::ok();
  });
  EXPECT_EQ(refused_at_commit.code(), core::StatusCode::kConflict) << refused_at_commit.toString();
  EXPECT_EQ(count(), 603);
  entries = chain.entries();
  ASSERT_TRUE(entries.isOk());
  EXPECT_EQ(entries->size(), 2u);
  // The connection goes on, the chain with it.
  EXPECT_TRUE(put(7).isOk());
  ASSERT_TRUE(entry("third").isOk());
  entries = chain.entries();
  ASSERT_TRUE(entries.isOk());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_TRUE(chain.verify(*entries, link).empty()) << chain.verify(*entries, link).front();
}

}  // namespace
}  // namespace recourse::store

namespace recourse::store {
namespace {

// Rows go into the organization database in one COPY, every kind of value as it was
// (text with tabs, newlines and backslashes, NULL, every byte of a sealed value, numbers),
// and a move between engines reads and writes them page by page in their order.
TEST_F(PgStoreTest, ManyRowsAreCopiedInOneGoPageByPageAndComeBackAsTheyWere) {
  auto db = connect();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->migrate().isOk());
  ASSERT_TRUE(db->executeScript("CREATE TABLE scratch (n BIGINT, t TEXT, b BYTEA, rowid BIGSERIAL)")
                  .isOk());
  Bytes every_byte(256);
  for (size_t i = 0; i < every_byte.size(); ++i) every_byte[i] = static_cast<std::uint8_t>(i);
  const std::string awkward = "tab\there\nnew line \\ back\\slash\r and \\N, Zoë";
  std::vector<std::vector<Value>> rows = {{1LL, awkward, every_byte},
                                          {-2LL, std::monostate{}, Bytes{}},
                                          {3LL, std::string(), std::monostate{}}};
  ASSERT_TRUE(db->inTransaction([&] {
                  return db->insertMany("scratch", {"n", "t", "b"}, rows);
                }).isOk());
  auto back = db->select("SELECT n, t, b FROM scratch ORDER BY rowid");
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0].integer(0), 1);
  EXPECT_EQ((*back)[0].text(1), awkward);
  EXPECT_EQ((*back)[0].blob(2), every_byte);
  EXPECT_EQ((*back)[1].integer(0), -2);
  EXPECT_TRUE((*back)[1].isNull(1));
  EXPECT_FALSE((*back)[1].isNull(2));  // an empty value, not none
  EXPECT_TRUE((*back)[2].isNull(2));
  // A row the table refuses: the whole COPY is refused, and the transaction with it.
  core::Status refused = db->inTransaction([&] {
    return db->insertMany("scratch", {"n", "t", "b"},
                          {{std::string("not a number"), std::string("x"), Bytes{}}});
  });
  EXPECT_FALSE(refused.isOk());
  EXPECT_EQ(db->select("SELECT n FROM scratch")->size(), 3u);

  // A move from a vault file: page by page (two rows a page here), in order.
  auto file = SqliteDb::openInMemory();
  ASSERT_TRUE(file.isOk());
  ASSERT_TRUE((*file)->migrate().isOk());
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE((*file)
                    ->insert("import_keys", {{"key", "k" + std::to_string(i)},
                                             {"kind", std::string("client")},
                                             {"entity_id", "cl_" + std::to_string(i)},
                                             {"created_at", std::string("2026-12-05T10:00:00Z")}})
                    .isOk());
    ASSERT_TRUE((*file)
                    ->insert("custody_log", {{"seq", static_cast<long long>(i)},
                                             {"at", std::string("2026-12-05T10:00:00Z")},
                                             {"action", std::string("add")},
                                             {"evidence_id", std::string("ev_1")},
                                             {"sha256", std::string("5e3c")},
                                             {"prev_hash", std::string("p")},
                                             {"hash", "h" + std::to_string(i)}})
                    .isOk());
  }
  auto counts = db->inTransaction([&]() -> core::Status {
    auto copied = copyAll(**file, *db, 2);
    if (!copied.isOk()) return copied.status();
    EXPECT_EQ(copied->at("import_keys"), 5);
    EXPECT_EQ(copied->at("custody_log"), 5);
    return core::Status::ok();
  });
  ASSERT_TRUE(counts.isOk()) << counts.toString();
  auto keys = db->select("SELECT entity_id FROM import_keys ORDER BY rowid");
  ASSERT_TRUE(keys.isOk());
  ASSERT_EQ(keys->size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*keys)[i].text(0), "cl_" + std::to_string(i + 1));
  auto chain = db->select("SELECT seq, hash FROM custody_log ORDER BY seq");
  ASSERT_TRUE(chain.isOk());
  ASSERT_EQ(chain->size(), 5u);
  EXPECT_EQ((*chain)[4].text(1), "h5");
}

}  // namespace
}  // namespace recourse::store
