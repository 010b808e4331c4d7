// The store on real files: persistence, sealing at rest, migrations, damaged files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "store/data_dir.h"
#include "store/schema.h"
#include "store/store.h"

namespace recourse::store {
namespace {

using core::StatusCode;
using testing::allBytesUnder;
using testing::readFile;
using testing::writeFile;

constexpr char kPass[] = "a long enough passphrase";

// Runs SQL on the file directly, as someone with the device (not through the app) could.
void rawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

// The rows of a query run on the file directly, each column as text (blobs as bytes).
std::vector<std::vector<std::string>> rawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  std::vector<std::vector<std::string>> rows;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
        row.emplace_back(p == nullptr ? "" : std::string(p, sqlite3_column_bytes(st, c)));
      }
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

int rawExecCode(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

// The audit entries that record changes (reads are entries too, "read.…").
std::vector<core::AuditEvent> changesOf(Store& st) {
  std::vector<core::AuditEvent> out;
  auto all = st.auditEvents();
  for (auto& e : *all) {
    if (e.action.rfind("read.", 0) != 0) out.push_back(e);
  }
  return out;
}

class FileStoreTest : public ::testing::Test {
 protected:
  std::string db() const { return databasePath(dir_.path()); }

  std::unique_ptr<Store> open(Store::OpenMode mode = Store::OpenMode::kExisting) {
    auto st = Store::openFile(db(), mode, clock_);
    EXPECT_TRUE(st.isOk()) << st.status().toString();
    return st.isOk() ? std::move(st).value() : nullptr;
  }

  // tests/data/vault-v11: a vault made by the release before accounts (its README says
  // how), copied here with its evidence.
  static constexpr char kReleasePass[] = "release vault passphrase";
  static constexpr char kReleaseClient[] = "cl_zkxp2ym30k";
  static constexpr char kReleaseCase[] = "cs_3ca7vkxhkf";
  void copyReleaseVault() {
    ASSERT_TRUE(cryptoInit());
    const std::filesystem::path from =
        std::filesystem::path(RECOURSE_SOURCE_DIR) / "tests/data/vault-v11";
    std::filesystem::copy_file(from / "recourse.db", db());
    std::filesystem::copy(from / "evidence", std::filesystem::path(dir_.path()) / "evidence",
                          std::filesystem::copy_options::recursive);
  }

  std::unique_ptr<Store> createWithVault() {
    auto st = open(Store::OpenMode::kCreate);
    EXPECT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
    return st;
  }

  testing::FakeClock clock_;
  testing::TempDir dir_;
};

TEST_F(FileStoreTest, DataSurvivesReopening) {
  std::string id;
  {
    auto st = createWithVault();
    core::Client c;
    c.name = "Zoë Müller";
    id = st->addClient(c)->id;
  }
  auto st = open();
  ASSERT_TRUE(st->hasVault());
  EXPECT_FALSE(st->isUnlocked());
  ASSERT_TRUE(st->unlock(kPass).isOk());
  EXPECT_EQ(st->getClient(id)->name, "Zoë Müller");
}

TEST_F(FileStoreTest, TheChangeStampMovesWithEveryChangeByAnyone) {
  auto a = createWithVault();
  core::Client c;
  c.name = "Zoë Müller";
  const std::string id = a->addClient(c)->id;
  const Store::ChangeStamp first = a->changeStamp();
  // Reading changes nothing.
  ASSERT_TRUE(a->getClient(id).isOk());
  ASSERT_TRUE(a->listClients().isOk());
  EXPECT_EQ(a->changeStamp(), first);

  // A change through this store.
  core::Client renamed = *a->getClient(id);
  renamed.name = "Zoë M.";
  ASSERT_TRUE(a->updateClient(renamed).isOk());
  const Store::ChangeStamp second = a->changeStamp();
  EXPECT_FALSE(second == first);
  EXPECT_EQ(a->changeStamp(), second);

  // A change by another process (here another connection to the same file).
  {
    auto b = open();
    ASSERT_TRUE(b->unlock(kPass).isOk());
    core::Client other;
    other.name = "Ana";
    ASSERT_TRUE(b->addClient(other).isOk());
  }
  const Store::ChangeStamp third = a->changeStamp();
  EXPECT_FALSE(third == second);

  // Locking and unlocking again: what was read with the old keys is not current.
  a->lock();
  ASSERT_TRUE(a->unlock(kPass).isOk());
  EXPECT_FALSE(a->changeStamp() == third);
}

TEST_F(FileStoreTest, FilesArePrivate) {
  auto st = createWithVault();
  struct stat s {};
  ASSERT_EQ(::stat(db().c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 0777, 0600u);
}

TEST_F(FileStoreTest, MissingFileIsNotCreatedWhenOpeningExisting) {
  auto st = Store::openFile(db(), Store::OpenMode::kExisting, clock_);
  EXPECT_EQ(st.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(db()));
}

// A unique string written through the app into every sealed field must appear in no file
// of the data directory: not the database, not the WAL, not any temp file.
TEST_F(FileStoreTest, CanaryNeverReachesTheDisk) {
  const std::string canary = "CANARY-7f3a9c-Zoë";
  auto st = createWithVault();
  core::Client c;
  c.name = canary + "-name";
  c.email = canary + "@example.org";
  c.phone = canary + "-phone";
  c.address = canary + "-address";
  c.notes = canary + "-notes";
  auto client = st->addClient(c);
  ASSERT_TRUE(client.isOk());
  core::Case k;
  k.client_id = client->id;
  k.title = canary + "-title";
  k.notes = canary + "-case-notes";
  k.provider.name = canary + "-provider";
  k.provider.credentials = canary + "-cred";
  k.provider.license_number = canary + "-licno";
  k.provider.practice = canary + "-practice";
  k.provider.address = canary + "-paddress";
  k.provider.email = canary + "@provider.example";
  k.provider.phone = canary + "-pphone";
  auto kase = st->addCase(k);
  ASSERT_TRUE(kase.isOk()) << kase.status().toString();
  core::Incident i;
  i.case_id = kase->id;
  i.summary = canary + "-summary";
  i.date_text = canary + "-when";
  i.narrative = canary + "-narrative " + std::string(20000, 'x');
  i.impact = canary + "-impact";
  i.harm_kinds = {canary + "-kind"};
  i.witnesses = canary + "-witness";
  ASSERT_TRUE(st->addIncident(i).isOk());
  core::RecordsRequest r;
  r.case_id = kase->id;
  r.custodian_name = canary + "-custodian";
  r.custodian_address = canary + "-caddress";
  r.custodian_email = canary + "@custodian.example";
  r.reference = canary + "-ref";
  r.answers_json = "{\"note\": \"" + canary + "-answers\"}";
  auto req = st->addRequest(r);
  ASSERT_TRUE(req.isOk()) << req.status().toString();
  core::RequestEvent ev;
  ev.request_id = req->id;
  ev.on = core::Date(2026, 3, 2);
  ev.details = canary + "-event";
  ASSERT_TRUE(st->addRequestEvent(ev).isOk());
  core::Complaint complaint;
  complaint.case_id = kase->id;
  complaint.answers_json = "{\"what_happened\": \"" + canary + "-complaint\"}";
  complaint.filed_on = core::Date(2026, 3, 1);
  complaint.filed_via = "mail";
  complaint.board_reference = canary + "-board-ref";
  auto filed = st->saveComplaint(complaint);
  ASSERT_TRUE(filed.isOk()) << filed.status().toString();
  core::ComplaintEvent step;
  step.complaint_id = filed->id;
  step.type = core::ComplaintEventType::kOutcome;
  step.outcome = core::ComplaintOutcome::kClosedNoAction;
  step.on = core::Date(2026, 3, 2);
  step.details = canary + "-complaint-step";
  ASSERT_TRUE(st->addComplaintEvent(step).isOk());
  ASSERT_TRUE(
      st->saveDraft("place", "{\"path\":\"/x\",\"values\":{\"summary\":\"" + canary + "-draft\"}}")
          .isOk());

  // While the store is open the WAL holds the recent pages.
  ASSERT_TRUE(std::filesystem::exists(db() + "-wal"));
  std::string bytes = allBytesUnder(dir_.path());
  EXPECT_EQ(bytes.find("CANARY-7f3a9c"), std::string::npos);
  EXPECT_NE(bytes.find(kase->id), std::string::npos);  // the scan does see the data
  st.reset();
  bytes = allBytesUnder(dir_.path());
  EXPECT_EQ(bytes.find("CANARY-7f3a9c"), std::string::npos);
  EXPECT_EQ(bytes.find(kPass), std::string::npos);
}

TEST_F(FileStoreTest, ADraftIsSealedReplacedReadBackAndGoneWithTheLock) {
  auto st = createWithVault();
  EXPECT_FALSE(st->draft("place")->has_value());
  ASSERT_TRUE(st->saveDraft("place", "first").isOk());
  ASSERT_TRUE(st->saveDraft("place", "second").isOk());
  auto d = st->draft("place");
  ASSERT_TRUE(d.isOk()) << d.status().toString();
  ASSERT_TRUE(d->has_value());
  EXPECT_EQ(**d, "second");
  st->lock();
  EXPECT_EQ(st->draft("place").status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(st->saveDraft("place", "x").code(), core::StatusCode::kUnauthenticated);
  ASSERT_TRUE(st->unlock(kPass).isOk());
  EXPECT_EQ(**st->draft("place"), "second");
  ASSERT_TRUE(st->deleteDraft("place").isOk());
  EXPECT_FALSE(st->draft("place")->has_value());
  ASSERT_TRUE(st->saveDraft("a", "1").isOk());
  ASSERT_TRUE(st->clearDrafts().isOk());
  EXPECT_FALSE(st->draft("a")->has_value());
}

// A digest of what a deadlines view needs (deadline_digests.h) that was altered, moved to
// another client, or put back after a change is not believed: that client is read afresh.
// Deleting a client deletes theirs.
TEST_F(FileStoreTest, ADeadlineDigestAlteredMovedOrPutBackIsNotBelieved) {
  std::string ana;
  std::string bea;
  std::string ana_case;
  {
    auto st = createWithVault();
    for (const char* name : {"Ana", "Bea"}) {
      core::Client c;
      c.name = name;
      const std::string id = st->addClient(c)->id;
      core::Case k;
      k.client_id = id;
      k.provider.name = "Dr. P";
      const std::string kase = st->addCase(k)->id;
      core::Incident i;
      i.case_id = kase;
      i.summary = "s";
      i.date_precision = core::DatePrecision::kExact;
      i.date_start = core::Date(2025, 1, 2);
      ASSERT_TRUE(st->addIncident(i).isOk());
      (name[0] == 'A' ? ana : bea) = id;
      if (name[0] == 'A') ana_case = kase;
    }
    auto first = st->deadlineInputs("", nullptr);
    ASSERT_TRUE(first.isOk());
    EXPECT_EQ(first->read_afresh, 2);
  }
  size_t ana_incidents = 1;
  // `afresh`: whether Ana's records are read afresh; on SQLite that means everyone's are.
  auto view = [&](bool afresh) {
    auto st = open();
    ASSERT_TRUE(st->unlock(kPass).isOk());
    auto in = st->deadlineInputs("", nullptr);
    ASSERT_TRUE(in.isOk()) << in.status().toString();
    EXPECT_EQ(in->read_afresh, afresh ? 2 : 0);
    EXPECT_EQ(in->from_digests, afresh ? 0 : 2);
    EXPECT_EQ(in->incidents.by_case.size(), 2u);
    EXPECT_EQ(in->incidents.by_case.at(ana_case).size(), ana_incidents);
  };
  view(false);
  const std::string of_ana = " WHERE client_id = '" + ana + "'";
  const std::string of_bea = " WHERE client_id = '" + bea + "'";
  {
    SCOPED_TRACE("one byte of Ana's changed");
    rawExec(db(), "UPDATE deadline_digests SET sealed = randomblob(length(sealed))" + of_ana);
    view(true);
    view(false);
  }
  {
    SCOPED_TRACE("Bea's put in Ana's place, under Ana's name");
    rawExec(db(), "UPDATE deadline_digests SET sealed = (SELECT sealed FROM deadline_digests" +
                      of_bea + ")" + of_ana);
    view(true);
  }
  // Ana's digest as it is now, then a change to her records.
  const auto old = rawQuery(db(), "SELECT last_change, hex(sealed) FROM deadline_digests" + of_ana);
  ASSERT_EQ(old.size(), 1u);
  {
    auto st = open();
    ASSERT_TRUE(st->unlock(kPass).isOk());
    core::Incident i;
    i.case_id = ana_case;
    i.summary = "later";
    ASSERT_TRUE(st->addIncident(i).isOk());
    ana_incidents = 2;
  }
  {
    SCOPED_TRACE("the change seen, and kept");
    view(true);
    view(false);
  }
  {
    SCOPED_TRACE("the old one put back");
    rawExec(db(), "UPDATE deadline_digests SET last_change = '" + old[0][0] + "', sealed = x'" +
                      old[0][1] + "'" + of_ana);
    view(true);
  }
  {
    SCOPED_TRACE("the old one put back under the newest change's name");
    const std::string newest =
        rawQuery(db(), "SELECT last_change FROM deadline_digests" + of_ana)[0][0];
    rawExec(db(), "UPDATE deadline_digests SET last_change = '" + newest + "', sealed = x'" +
                      old[0][1] + "'" + of_ana);
    view(true);
  }
  {
    auto st = open();
    ASSERT_TRUE(st->unlock(kPass).isOk());
    ASSERT_TRUE(st->deleteClient(ana, dir_.path() + "/evidence").isOk());
  }
  EXPECT_TRUE(rawQuery(db(), "SELECT 1 FROM deadline_digests" + of_ana).empty());
  EXPECT_EQ(rawQuery(db(), "SELECT 1 FROM deadline_digests" + of_bea).size(), 1u);
}

TEST_F(FileStoreTest, SealedValueMovedToAnotherRowIsDetected) {
  std::string a_id;
  std::string b_id;
  {
    auto st = createWithVault();
    core::Client a;
    a.name = "Alice";
    core::Client b;
    b.name = "Bea";
    a_id = st->addClient(a)->id;
    b_id = st->addClient(b)->id;
  }
  // Someone copies a sealed name (and key) onto another row.
  rawExec(db(), "UPDATE clients SET name = (SELECT name FROM clients WHERE id = '" + a_id +
                    "'), wrapped_key = (SELECT wrapped_key FROM clients WHERE id = '" + a_id +
                    "') WHERE id = '" + b_id + "'");
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  EXPECT_EQ(st->getClient(a_id)->name, "Alice");
  EXPECT_EQ(st->getClient(b_id).status().code(), StatusCode::kCorruption);
  // Said as damage to that record, in words: never "not found".
  EXPECT_EQ(st->getClient(b_id).status().message().rfind("record " + b_id + " is damaged: its ", 0),
            0u)
      << st->getClient(b_id).status().message();
  EXPECT_NE(st->getClient(b_id).status().message().find("was changed outside Recourse"),
            std::string::npos);
}

// One damaged record does not take down a listing that asks to go on: the rest is listed
// and the damaged one named; a listing that does not ask still fails as a whole.
TEST_F(FileStoreTest, ADamagedRecordIsNamedAndTheRestListed) {
  std::string a_id;
  std::string b_id;
  std::string case_b;
  {
    auto st = createWithVault();
    core::Client a;
    a.name = "Alice";
    core::Client b;
    b.name = "Bea";
    a_id = st->addClient(a)->id;
    b_id = st->addClient(b)->id;
    for (const auto& id : {a_id, b_id}) {
      core::Case k;
      k.client_id = id;
      k.provider.name = "Dr. X";
      auto added = st->addCase(k);
      ASSERT_TRUE(added.isOk()) << added.status().toString();
      core::RecordsRequest r;
      r.case_id = added->id;
      r.custodian_name = "Clinic";
      ASSERT_TRUE(st->addRequest(r).isOk());
      if (id == b_id) case_b = added->id;
    }
  }
  rawExec(db(), "UPDATE clients SET name = (SELECT name FROM clients WHERE id = '" + a_id +
                    "') WHERE id = '" + b_id + "'");
  rawExec(db(),
          "UPDATE records_requests SET custodian_name = X'00' WHERE case_id = '" + case_b + "'");
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  EXPECT_EQ(st->listClients().status().code(), StatusCode::kCorruption);
  std::vector<std::string> damaged;
  auto clients = st->listClients(&damaged);
  ASSERT_TRUE(clients.isOk()) << clients.status().toString();
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ((*clients)[0].name, "Alice");
  EXPECT_EQ(damaged, std::vector<std::string>{"client " + b_id});
  damaged.clear();
  auto requests = st->listRequests("", &damaged);
  ASSERT_TRUE(requests.isOk()) << requests.status().toString();
  EXPECT_EQ(requests->size(), 1u);
  ASSERT_EQ(damaged.size(), 1u);
  EXPECT_EQ(damaged[0].rfind("request rq_", 0), 0u) << damaged[0];
  damaged.clear();
  auto cases = st->listCases("", &damaged);
  ASSERT_TRUE(cases.isOk());
  EXPECT_EQ(cases->size(), 2u);  // the cases themselves are intact
  EXPECT_TRUE(damaged.empty());
  EXPECT_EQ(st->listRequests("").status().code(), StatusCode::kCorruption);
}

TEST_F(FileStoreTest, DatabaseFromNewerVersionIsRefusedUntouched) {
  createWithVault().reset();
  rawExec(db(), "PRAGMA user_version = 99");
  std::string before = readFile(db());
  auto st = Store::openFile(db(), Store::OpenMode::kExisting, clock_);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.status().message().find("newer version of Recourse (schema 99"), std::string::npos);
  EXPECT_EQ(readFile(db()), before);
}

TEST_F(FileStoreTest, OlderDatabaseIsUpgraded) {
  // Version 0: a database file from before the first migration.
  rawExec(db(), "CREATE TABLE unrelated (x INTEGER)");
  auto st = open();
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->schemaVersion(), latestSchemaVersion());
  EXPECT_FALSE(st->hasVault());
  EXPECT_TRUE(st->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
}

TEST_F(FileStoreTest, VersionOneDataUpgradesToTheLatest) {
  const std::string client_id = kReleaseClient;
  const std::string case_id = kReleaseCase;
  copyReleaseVault();
  // Turn the file back into a version-1 database, as an older Recourse left it.
  rawExec(db(),
          "DROP TABLE case_tasks_done; DROP TABLE drafts; DROP TABLE batch_rows; ALTER TABLE "
          "clients DROP COLUMN date_of_birth; ALTER TABLE records_requests DROP COLUMN kind;"
          " ALTER TABLE vault DROP COLUMN audit_chain;"
          " DROP TABLE custody_log; ALTER TABLE evidence DROP COLUMN file_key;"
          " ALTER TABLE evidence DROP COLUMN exhibit_date;"
          " ALTER TABLE complaints DROP COLUMN answers;"
          " ALTER TABLE complaints DROP COLUMN updated_at;"
          " DROP TABLE import_keys;"
          " DROP INDEX request_events_request; DROP TABLE request_events;"
          " ALTER TABLE records_requests DROP COLUMN custodian_email;"
          " ALTER TABLE records_requests DROP COLUMN reference;"
          " ALTER TABLE records_requests DROP COLUMN answers; PRAGMA user_version = 1;");
  auto st = open();
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->schemaVersion(), latestSchemaVersion());
  ASSERT_TRUE(st->unlock(kReleasePass).isOk());
  EXPECT_EQ(st->getClient(client_id)->name, "Dana CANARY-v11-name Reyes");
  core::RecordsRequest r;
  r.case_id = case_id;
  r.custodian_name = "Bay Clinic";
  r.custodian_email = "records@example.org";
  auto added = st->addRequest(r);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  core::RequestEvent e;
  e.request_id = added->id;
  e.on = core::Date(2026, 3, 2);
  e.via = "email";
  ASSERT_TRUE(st->addRequestEvent(e).isOk());
  EXPECT_EQ(st->getRequest(added->id)->custodian_email, "records@example.org");
  EXPECT_EQ(st->listRequestEvents(added->id)->size(), 1u);
  EXPECT_TRUE(st->verifyAuditChain().isOk());
}

TEST_F(FileStoreTest, CorruptFileIsReportedAndLeftAlone) {
  std::string garbage(8192, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 131) % 251);
  writeFile(db(), garbage);
  auto st = Store::openFile(db(), Store::OpenMode::kExisting, clock_);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.status().code(), StatusCode::kCorruption);
  EXPECT_NE(st.status().message().find("not a Recourse database or is damaged"), std::string::npos);
  EXPECT_EQ(readFile(db()), garbage);
  EXPECT_FALSE(std::filesystem::exists(db() + "-wal"));
}

TEST_F(FileStoreTest, AuditLogIsAppendOnlyAndTamperingIsDetected) {
  {
    auto st = createWithVault();
    core::Client c;
    c.name = "Zoë";
    ASSERT_TRUE(st->addClient(c).isOk());
  }
  EXPECT_NE(rawExecCode(db(), "UPDATE audit_log SET action = 'x' WHERE seq = 2"), SQLITE_OK);
  EXPECT_NE(rawExecCode(db(), "DELETE FROM audit_log WHERE seq = 2"), SQLITE_OK);
  // Someone who drops the guard and rewrites history is still caught by the chain.
  rawExec(db(),
          "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET entity_id = 'cl_other' "
          "WHERE seq = 2");
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  core::Status s = st->verifyAuditChain();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message(),
            "audit log: entry 2 does not match the chain (it was changed, or one before it was)");
}

TEST_F(FileStoreTest, AnEntryWhoseTimeDoesNotReadIsCorruptionNamingTheLogAndEntry) {
  {
    auto st = createWithVault();
    core::Client c;
    c.name = "Zoë";
    ASSERT_TRUE(st->addClient(c).isOk());
  }
  rawExec(db(), "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET at = 'soon' WHERE seq = 2");
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  auto events = st->auditEvents();
  ASSERT_FALSE(events.isOk());
  EXPECT_EQ(events.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(events.status().message(), "audit log: entry 2 has no valid time");
}

TEST_F(FileStoreTest, ForeignKeysAreEnforced) {
  createWithVault().reset();
  // Through a connection with foreign keys on (as the store's), an orphan row is refused.
  EXPECT_NE(rawExecCode(db(),
                        "PRAGMA foreign_keys = ON; INSERT INTO incidents (id, case_id, summary, "
                        "date_precision, created_at, updated_at) VALUES ('in_x', 'cs_none', "
                        "x'00', 'unknown', 't', 't')"),
            SQLITE_OK);
}

// ---- the audit chain, keyed -------------------------------------------------------------

// Rewrites the audit log's links from entry `from_seq` on as plain SHA-256 over
// "prev|seq|at|action|entity_type|entity_id": what Recourse wrote before schema version 5,
// and what a forger who knows the format but not the passphrase can compute.
void writePlainAuditLinks(const std::string& path, long long from_seq) {
  auto rows = rawQuery(path,
                       "SELECT seq, at, action, entity_type, entity_id, hash FROM audit_log"
                       " ORDER BY seq");
  std::string sql = "DROP TRIGGER IF EXISTS audit_log_no_update;";
  std::string prev;
  for (const auto& r : rows) {
    if (std::stoll(r[0]) < from_seq) {
      prev = r[5];
      continue;
    }
    std::string hash =
        sha256Hex(prev + "|" + r[0] + "|" + r[1] + "|" + r[2] + "|" + r[3] + "|" + r[4]);
    sql += "UPDATE audit_log SET prev_hash = '" + prev + "', hash = '" + hash +
           "' WHERE seq = " + r[0] + ";";
    prev = hash;
  }
  sql +=
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
      " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";
  rawExec(path, sql);
}

class AuditChainTest : public FileStoreTest {
 protected:
  // A vault as Recourse left it before schema version 5: user_version 4, no
  // vault.audit_chain, the check value of that version, a plain SHA-256 audit chain.
  void makeVersionFourVault() {
    copyReleaseVault();
    auto vault = rawQuery(db(), "SELECT salt, opslimit, memlimit FROM vault");
    ASSERT_EQ(vault.size(), 1u);
    Bytes salt(vault[0][0].begin(), vault[0][0].end());
    auto kek = deriveKey(kReleasePass, salt, {std::stoull(vault[0][1]), std::stoull(vault[0][2])});
    ASSERT_TRUE(kek.isOk());
    Bytes sealed = seal(*kek, "recourse vault check v1", "recourse/v1/vault/check");
    std::string check = toHex(sealed.data(), sealed.size());
    rawExec(db(), "UPDATE vault SET check_value = x'" + check +
                      "'; DROP TABLE case_tasks_done; DROP TABLE drafts; DROP TABLE batch_rows; "
                      "ALTER TABLE records_requests DROP COLUMN kind; "
                      "ALTER TABLE vault DROP COLUMN "
                      "audit_chain;"
                      " ALTER TABLE request_events DROP COLUMN reply_within_days;"
                      " ALTER TABLE clients DROP COLUMN date_of_birth; PRAGMA user_version = 4;");
    writePlainAuditLinks(db(), 1);
  }

  std::vector<std::string> hashes() {
    std::vector<std::string> out;
    for (const auto& r : rawQuery(db(), "SELECT hash FROM audit_log ORDER BY seq")) {
      out.push_back(r[0]);
    }
    return out;
  }
  std::string chainColumn() { return rawQuery(db(), "SELECT audit_chain FROM vault")[0][0]; }
};

TEST_F(AuditChainTest, APlainChainIsReLinkedAtTheFirstUnlockAfterTheUpgrade) {
  makeVersionFourVault();
  std::vector<std::string> plain = hashes();
  ASSERT_EQ(plain.size(), 8u);  // what the release vault's README lists
  {
    auto st = open();
    ASSERT_NE(st, nullptr);
    EXPECT_EQ(st->schemaVersion(), latestSchemaVersion());
    EXPECT_EQ(st->verifyAuditChain().code(), StatusCode::kUnauthenticated);  // needs the key
  }
  EXPECT_EQ(chainColumn(), "sha256");  // the migration recorded: waiting to be re-linked
  EXPECT_EQ(hashes(), plain);          // nothing re-linked without the key

  auto st = open();
  ASSERT_TRUE(st->unlock(kReleasePass).isOk());
  EXPECT_EQ(chainColumn(), "keyed");
  std::vector<std::string> keyed = hashes();
  ASSERT_EQ(keyed.size(), plain.size() + 1);  // and "vault.upgrade" (accounts)
  for (size_t i = 0; i < plain.size(); ++i) EXPECT_NE(keyed[i], plain[i]) << i;
  EXPECT_TRUE(st->verifyAuditChain().isOk()) << st->verifyAuditChain().toString();
  auto events = st->auditEvents();
  ASSERT_TRUE(events.isOk());
  EXPECT_EQ((*events)[1].prev_hash, (*events)[0].hash);
  EXPECT_EQ((*events)[0].action, "vault.create");
  // The guard is back in place after the re-link.
  core::Client c;
  c.name = "Ana";
  ASSERT_TRUE(st->addClient(c).isOk());
  EXPECT_TRUE(st->verifyAuditChain().isOk());
  st.reset();
  EXPECT_NE(rawExecCode(db(), "UPDATE audit_log SET action = 'x' WHERE seq = 1"), SQLITE_OK);

  // Later unlocks find the chain keyed and leave it alone.
  std::vector<std::string> after = hashes();
  st = open();
  ASSERT_TRUE(st->unlock(kReleasePass).isOk());
  EXPECT_EQ(hashes(), after);
  EXPECT_TRUE(st->verifyAuditChain().isOk());
}

TEST_F(AuditChainTest, ABrokenPlainChainIsNotReLinked) {
  makeVersionFourVault();
  // Damage from before the upgrade: entry 2 changed, its link left as it was.
  rawExec(db(),
          "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET entity_id = 'cl_other' "
          "WHERE seq = 2");
  std::vector<std::string> before = hashes();
  auto st = open();
  // The vault opens (the person's data stays reachable) but the history is not laundered:
  // the entries are as they were, followed by the upgrade's own.
  ASSERT_TRUE(st->unlock(kReleasePass).isOk());
  std::vector<std::string> now = hashes();
  ASSERT_EQ(now.size(), before.size() + 1);
  now.pop_back();
  EXPECT_EQ(now, before);
  EXPECT_EQ(chainColumn(), "sha256");
  core::Status s = st->verifyAuditChain();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message().rfind("audit log: entry 2 does not match the chain", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("not re-linked"), std::string::npos) << s.message();
  // New entries extend the plain chain; the break stays reported, unlock after unlock.
  core::Client c;
  c.name = "Ana";
  ASSERT_TRUE(st->addClient(c).isOk());
  st.reset();
  st = open();
  ASSERT_TRUE(st->unlock(kReleasePass).isOk());
  EXPECT_EQ(chainColumn(), "sha256");
  EXPECT_EQ(st->verifyAuditChain().code(), StatusCode::kCorruption);
}

TEST_F(AuditChainTest, AForgedEntryWithAPlainSha256LinkIsCaught) {
  {
    auto st = createWithVault();
    for (const char* name : {"Zoë", "Ana", "Bea"}) {
      core::Client c;
      c.name = name;
      ASSERT_TRUE(st->addClient(c).isOk());
    }
    ASSERT_TRUE(st->verifyAuditChain().isOk());
  }
  // A forger changes entry 3 and recomputes its link and every later one with SHA-256,
  // exactly as the format says; without the passphrase they cannot compute the keyed one.
  rawExec(db(),
          "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET entity_id = 'cl_other' "
          "WHERE seq = 3");
  writePlainAuditLinks(db(), 3);
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  core::Status s = st->verifyAuditChain();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message(),
            "audit log: entry 3 does not match the chain (it was changed, or one before it was)");
}

TEST_F(AuditChainTest, MarkingTheChainPlainAgainDoesNotGetAForgeryReLinked) {
  {
    auto st = createWithVault();
    core::Client c;
    c.name = "Zoë";
    ASSERT_TRUE(st->addClient(c).isOk());
  }
  // A forger rewrites the history as a plain chain and marks the vault as not re-linked
  // yet, hoping the next unlock re-links the forgery. The store goes by the sealed check
  // value, which they cannot make say so.
  rawExec(db(),
          "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET entity_id = 'cl_other' "
          "WHERE seq = 2; UPDATE vault SET audit_chain = 'sha256';");
  writePlainAuditLinks(db(), 1);
  std::vector<std::string> forged = hashes();
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  EXPECT_EQ(hashes(), forged);
  core::Status s = st->verifyAuditChain();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message().rfind("audit log: entry 1 does not match the chain", 0), 0u) << s.message();
}

// Only a missing row is NotFound. A record whose parent row is gone, or a table that
// cannot be read, is damage: reporting it as "no such record" would hide it.
TEST_F(FileStoreTest, DamageIsNeverReportedAsNotFound) {
  std::string client_id;
  std::string case_id;
  std::string other_case;
  std::string request_id;
  std::string incident_id;
  std::string third_client;
  std::string third_case;
  {
    auto st = createWithVault();
    core::Client c;
    c.name = "Zoë";
    client_id = st->addClient(c)->id;
    core::Client d;
    d.name = "Ana";
    std::string other_client = st->addClient(d)->id;
    core::Case k;
    k.client_id = client_id;
    k.provider.name = "Dr. P";
    case_id = st->addCase(k)->id;
    k.client_id = other_client;
    other_case = st->addCase(k)->id;
    core::RecordsRequest r;
    r.case_id = other_case;
    r.custodian_name = "Bay Clinic";
    request_id = st->addRequest(r)->id;
    core::RequestEvent sent;  // under way: a view of what is due reads it
    sent.request_id = request_id;
    sent.on = core::Date(2026, 3, 1);
    ASSERT_TRUE(st->addRequestEvent(sent).isOk());
    core::Incident i;
    i.case_id = other_case;
    i.summary = "s";
    incident_id = st->addIncident(i)->id;
    core::Client b;
    b.name = "Bea";
    third_client = st->addClient(b)->id;
    k.client_id = third_client;
    third_case = st->addCase(k)->id;
  }
  // Rows removed behind the app's back (foreign keys are off on this connection).
  rawExec(db(), "DELETE FROM providers WHERE id = (SELECT provider_id FROM cases WHERE id = '" +
                    case_id + "'); DELETE FROM cases WHERE id = '" + other_case + "';");
  auto st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  EXPECT_EQ(st->getCase(case_id).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(st->listCases(client_id).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(st->getRequest(request_id).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(st->listRequests("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(st->requestsUnderWay("", nullptr).status().code(), StatusCode::kCorruption);
  {
    // A view of what is due names it and goes on (a draft whose case is gone has nothing
    // due, and is named by the listings of requests instead).
    std::vector<std::string> damaged;
    auto under_way = st->requestsUnderWay("", &damaged);
    ASSERT_TRUE(under_way.isOk()) << under_way.status().toString();
    EXPECT_TRUE(under_way->requests.empty());
    ASSERT_EQ(damaged.size(), 1u);
    EXPECT_NE(damaged[0].find(request_id), std::string::npos) << damaged[0];
  }
  EXPECT_EQ(st->listRequestEvents(request_id).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(st->getIncident(incident_id).status().code(), StatusCode::kCorruption);
  core::RequestEvent e;
  e.request_id = request_id;
  e.on = core::Date(2026, 3, 2);
  EXPECT_EQ(st->addRequestEvent(e).status().code(), StatusCode::kCorruption);
  // What is really missing still is NotFound, naming what was asked for as data.
  auto missing = st->getCase("cs_nothere");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "case_id");
  EXPECT_EQ(missing.status().message(), "no case with id cs_nothere");
  EXPECT_EQ(st->getCase(other_case).status().code(), StatusCode::kNotFound);

  // A client whose row is gone while its case remains.
  st.reset();
  rawExec(db(), "DELETE FROM clients WHERE id = '" + third_client + "'");
  st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  core::Status gone = st->getCase(third_case).status();
  EXPECT_EQ(gone.code(), StatusCode::kCorruption);
  EXPECT_NE(gone.message().find(third_client), std::string::npos) << gone.message();
  EXPECT_EQ(st->getClient(third_client).status().code(), StatusCode::kNotFound);

  // A table that cannot be read is an error of its own, not an empty answer.
  st.reset();
  rawExec(db(), "DROP TABLE request_events; DROP TABLE records_requests;");
  st = open();
  ASSERT_TRUE(st->unlock(kPass).isOk());
  core::Status unreadable = st->getRequest(request_id).status();
  EXPECT_FALSE(unreadable.isOk());
  EXPECT_NE(unreadable.code(), StatusCode::kNotFound) << unreadable.toString();
  EXPECT_NE(st->listRequests("").status().code(), StatusCode::kNotFound);
}

TEST(DataDirTest, DefaultFollowsXdgThenHome) {
  EXPECT_EQ(*defaultDataDir({{"HOME", "/home/zoe"}}), "/home/zoe/.local/share/recourse");
  EXPECT_EQ(*defaultDataDir({{"HOME", "/home/zoe"}, {"XDG_DATA_HOME", "/data"}}), "/data/recourse");
  core::Status none = defaultDataDir({}).status();
  EXPECT_EQ(none.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(none.field(), "data_dir");
  EXPECT_EQ(none.message(), "no home directory is known (HOME is not set); name a data directory");
}

TEST(DataDirTest, CreatesPrivateDirectoryAndRejectsFiles) {
  testing::TempDir tmp;
  const std::string dir = tmp.file("nested/data");
  ASSERT_TRUE(ensureDataDir(dir).isOk());
  struct stat s {};
  ASSERT_EQ(::stat(dir.c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 0777, 0700u);
  writeFile(tmp.file("plainfile"), "x");
  core::Status file = ensureDataDir(tmp.file("plainfile"));
  EXPECT_EQ(file.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(file.field(), "data_dir");
  EXPECT_EQ(file.message(), tmp.file("plainfile") + " is not a directory");
  core::Status under_file = ensureDataDir(tmp.file("plainfile/data"));
  EXPECT_FALSE(under_file.isOk());
  EXPECT_NE(under_file.message().find("plainfile/data"), std::string::npos);
}

}  // namespace
}  // namespace recourse::store

namespace recourse::store {
namespace {

// Evidence: sealed files beside the database, read back byte for byte, a custody chain.
class EvidenceStoreTest : public FileStoreTest {
 protected:
  void SetUp() override {
    st_ = createWithVault();
    core::Client c;
    c.name = "Zoë Müller";
    core::Case k;
    k.client_id = st_->addClient(c)->id;
    k.provider.name = "Dr. P";
    case_id_ = st_->addCase(k)->id;
    // Bytes of every value, with a chunk boundary (64 KiB) inside.
    original_.resize(200 * 1024 + 7);
    for (size_t i = 0; i < original_.size(); ++i) original_[i] = static_cast<char>(i * 7 + i / 251);
    writeFile(dir_.file("screenshot.png"), original_);
  }

  core::StatusOr<core::EvidenceItem> add(const std::string& hash) {
    core::EvidenceItem e;
    e.case_id = case_id_;
    e.original_name = "screenshot.png";
    e.media_type = "image/png";
    e.size_bytes = static_cast<long long>(original_.size());
    e.sha256_hex = hash;
    e.description = "Text from Dr. P, 2 April";
    return st_->addEvidence(e, dir_.file("screenshot.png"), evidenceDir());
  }
  std::string evidenceDir() { return dir_.file("evidence"); }
  std::string readBack(const std::string& id, core::Status* status) {
    std::string out;
    *status = st_->readEvidence(id, evidenceDir(), "export", [&](const std::uint8_t* p, size_t n) {
      out.append(reinterpret_cast<const char*>(p), n);
      return core::Status::ok();
    });
    return out;
  }

  std::unique_ptr<Store> st_;
  std::string case_id_;
  std::string original_;
};

TEST_F(EvidenceStoreTest, SealedFilesComeBackByteForByteAndEveryReadIsLogged) {
  std::string hash = sha256Hex(original_);
  auto added = add(*sha256File(dir_.file("screenshot.png")));
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->sha256_hex, hash);
  std::string sealed = readFile(evidenceDir() + "/" + added->id + ".sealed");
  EXPECT_EQ(sealed.find(original_.substr(1000, 64)), std::string::npos);  // not in the clear
  EXPECT_GT(sealed.size(), original_.size());
  core::Status s;
  EXPECT_EQ(readBack(added->id, &s), original_);
  ASSERT_TRUE(s.isOk()) << s.toString();
  auto log = st_->custodyLog();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].action, "intake");
  EXPECT_EQ((*log)[1].action, "export");
  EXPECT_EQ((*log)[1].sha256_hex, hash);
  EXPECT_TRUE(st_->verifyEvidence(evidenceDir())->empty());
  auto listed = st_->listEvidence(case_id_);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].original_name, "screenshot.png");
  EXPECT_EQ((*listed)[0].description, "Text from Dr. P, 2 April");
}

TEST_F(EvidenceStoreTest, AFileThatChangedSinceItWasHashedIsNotKept) {
  size_t audit_before = changesOf(*st_).size();
  auto added = add(sha256Hex("something else"));
  ASSERT_FALSE(added.isOk());
  EXPECT_EQ(added.status().code(), StatusCode::kConflict);
  EXPECT_TRUE(st_->listEvidence(case_id_)->empty());
  EXPECT_TRUE(st_->custodyLog()->empty());
  EXPECT_EQ(changesOf(*st_).size(), audit_before);
  EXPECT_TRUE(std::filesystem::is_empty(evidenceDir()));
}

TEST_F(EvidenceStoreTest, TamperingWithASealedFileOrTheCustodyLogIsFound) {
  auto a = add(sha256Hex(original_));
  auto b = add(sha256Hex(original_));
  ASSERT_TRUE(a.isOk() && b.isOk());
  // One byte flipped in the middle of a's sealed file; b's file cut short.
  std::string path_a = evidenceDir() + "/" + a->id + ".sealed";
  std::string bytes = readFile(path_a);
  bytes[bytes.size() / 2] ^= 0x01;
  writeFile(path_a, bytes);
  std::string path_b = evidenceDir() + "/" + b->id + ".sealed";
  std::string bytes_b = readFile(path_b);
  writeFile(path_b, bytes_b.substr(0, bytes_b.size() - 100));
  core::Status s;
  readBack(a->id, &s);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  auto problems = st_->verifyEvidence(evidenceDir());
  ASSERT_TRUE(problems.isOk());
  ASSERT_EQ(problems->size(), 2u);
  EXPECT_NE((*problems)[0].find(a->id), std::string::npos);
  EXPECT_NE((*problems)[0].find("altered"), std::string::npos) << (*problems)[0];
  EXPECT_NE((*problems)[1].find(b->id), std::string::npos);
  EXPECT_NE((*problems)[1].find("altered"), std::string::npos) << (*problems)[1];
  EXPECT_EQ(st_->custodyLog()->size(), 2u);  // a failed read is not logged as an export

  // The log refuses changes; someone who drops the guard is caught by the chain, even if
  // they recompute it with SHA-256: its links are keyed with the vault key.
  auto entries = st_->custodyLog();
  ASSERT_EQ(entries->size(), 2u);
  const core::CustodyEntry first = (*entries)[0];
  st_.reset();
  EXPECT_NE(rawExecCode(db(), "UPDATE custody_log SET action = 'x' WHERE seq = 1"), SQLITE_OK);
  std::string forged = sha256Hex("|1|2026-01-01T00:00:00Z|" + first.action + "|" +
                                 first.evidence_id + "|" + first.sha256_hex);
  rawExec(db(),
          "DROP TRIGGER custody_log_no_update; UPDATE custody_log SET at = "
          "'2026-01-01T00:00:00Z', hash = '" +
              forged + "' WHERE seq = 1");
  st_ = open();
  ASSERT_TRUE(st_->unlock(kPass).isOk());
  problems = st_->verifyEvidence(evidenceDir());
  ASSERT_TRUE(problems.isOk());
  bool chain = false;
  for (const auto& p : *problems) chain |= p.find("custody log: entry 1 does not match") == 0;
  EXPECT_TRUE(chain) << problems->front();
}

TEST_F(EvidenceStoreTest, AMissingSealedFileIsDamageNotAMissingRecord) {
  auto a = add(sha256Hex(original_));
  ASSERT_TRUE(a.isOk());
  std::filesystem::remove(evidenceDir() + "/" + a->id + ".sealed");
  core::Status s;
  readBack(a->id, &s);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.toString();
  EXPECT_NE(s.message().find("missing"), std::string::npos) << s.message();
  auto problems = st_->verifyEvidence(evidenceDir());
  ASSERT_TRUE(problems.isOk());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE((*problems)[0].find("missing"), std::string::npos) << (*problems)[0];
  auto unknown = st_->getEvidence("ev_nothere");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().field(), "evidence_id");
}

TEST_F(EvidenceStoreTest, EvidenceForAnotherCasesIncidentIsRefused) {
  core::EvidenceItem e;
  e.case_id = case_id_;
  e.incident_id = "in_nothere";
  e.original_name = "x.png";
  e.sha256_hex = sha256Hex(original_);
  auto added = st_->addEvidence(e, dir_.file("screenshot.png"), evidenceDir());
  EXPECT_EQ(added.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(added.status().field(), "incident_id");
  EXPECT_EQ(added.status().message(), "no incident in_nothere in this case");
  EXPECT_TRUE(st_->listEvidence(case_id_)->empty());
}

TEST_F(EvidenceStoreTest, ItemsAreCheckedBeforeAnythingIsWritten) {
  core::EvidenceItem e;
  e.case_id = case_id_;
  e.original_name = "screenshot.png";
  e.sha256_hex = "not a hash";
  auto added = st_->addEvidence(e, dir_.file("screenshot.png"), evidenceDir());
  EXPECT_EQ(added.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(added.status().field(), "sha256");
  e.sha256_hex = sha256Hex(original_);
  e.description = std::string("\xC3\x28");
  added = st_->addEvidence(e, dir_.file("screenshot.png"), evidenceDir());
  EXPECT_EQ(added.status().field(), "description");
  EXPECT_EQ(added.status().message(), "is not valid UTF-8 text");
  EXPECT_TRUE(st_->listEvidence(case_id_)->empty());
  EXPECT_FALSE(std::filesystem::exists(evidenceDir()));
}

TEST_F(EvidenceStoreTest, RemovedEvidenceLosesItsSealedFileAndTheLogsKeepOnlyTheFact) {
  auto a = add(sha256Hex(original_));
  auto b = add(sha256Hex(original_));
  ASSERT_TRUE(a.isOk() && b.isOk());
  const std::string path_a = evidenceDir() + "/" + a->id + ".sealed";
  ASSERT_TRUE(std::filesystem::exists(path_a));
  auto removed = st_->removeEvidence(a->id, evidenceDir());
  ASSERT_TRUE(removed.isOk()) << removed.status().toString();
  EXPECT_FALSE(std::filesystem::exists(path_a));
  EXPECT_TRUE(std::filesystem::exists(evidenceDir() + "/" + b->id + ".sealed"));
  EXPECT_EQ(st_->getEvidence(a->id).status().code(), StatusCode::kNotFound);
  ASSERT_EQ(st_->listEvidence(case_id_)->size(), 1u);
  auto log = st_->custodyLog();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ(log->back().action, "remove");
  EXPECT_EQ(log->back().evidence_id, a->id);
  EXPECT_EQ(log->back().sha256_hex, a->sha256_hex);
  auto audit = std::optional(changesOf(*st_));
  EXPECT_EQ(audit->back().action, "evidence.remove");
  EXPECT_EQ(audit->back().entity_id, a->id);
  // Nothing is wrong with what is left, and the chains hold.
  EXPECT_TRUE(st_->verifyEvidence(evidenceDir())->empty());
  EXPECT_TRUE(st_->verifyAuditChain().isOk());
  EXPECT_EQ(st_->removeEvidence(a->id, evidenceDir()).status().field(), "evidence_id");
  // The logs hold no name or description.
  st_.reset();
  for (const auto& row : rawQuery(db(), "SELECT * FROM custody_log")) {
    for (const auto& cell : row) {
      EXPECT_EQ(cell.find("screenshot"), std::string::npos);
      EXPECT_EQ(cell.find("Dr. P"), std::string::npos);
    }
  }
}

TEST_F(EvidenceStoreTest, DeletingAClientRemovesEverythingOfTheirsAndTheirSealedBytes) {
  auto ev = add(sha256Hex(original_));
  ASSERT_TRUE(ev.isOk());
  const std::string client_id = st_->getCase(case_id_)->client_id;
  core::Incident i;
  i.case_id = case_id_;
  i.summary = "CANARY-d3l3t3-summary";
  ASSERT_TRUE(st_->addIncident(i).isOk());
  core::RecordsRequest r;
  r.case_id = case_id_;
  r.custodian_name = "CANARY-d3l3t3-custodian";
  ASSERT_TRUE(st_->addRequest(r).isOk());
  core::Client other;
  other.name = "Someone else";
  auto other_added = st_->addClient(other);
  ASSERT_TRUE(other_added.isOk());
  // The sealed bytes of the rows to be deleted, as they sit in the file.
  std::vector<std::string> sealed;
  for (const auto& q :
       {"SELECT name FROM clients WHERE id = '" + client_id + "'",
        "SELECT sealed_key FROM key_grants WHERE client_id = '" + client_id + "'",
        std::string("SELECT summary FROM incidents"), std::string("SELECT name FROM providers"),
        std::string("SELECT custodian_name FROM records_requests"),
        std::string("SELECT original_name FROM evidence")}) {
    auto rows = rawQuery(db(), q);
    ASSERT_EQ(rows.size(), 1u) << q;
    sealed.push_back(rows[0][0]);
  }

  auto removed = st_->deleteClient(client_id, evidenceDir());
  ASSERT_TRUE(removed.isOk()) << removed.status().toString();
  EXPECT_EQ(removed->cases.size(), 1u);
  EXPECT_EQ(removed->incidents.size(), 1u);
  EXPECT_EQ(removed->evidence.size(), 1u);
  EXPECT_EQ(removed->requests.size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(evidenceDir() + "/" + ev->id + ".sealed"));
  EXPECT_EQ(st_->getClient(client_id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(st_->listCases("")->empty());
  EXPECT_TRUE(st_->listRequests("")->empty());
  EXPECT_EQ(st_->listClients()->size(), 1u);
  EXPECT_EQ(st_->custodyLog()->back().action, "remove");
  EXPECT_EQ(changesOf(*st_).back().action, "client.delete");
  EXPECT_EQ(changesOf(*st_).back().entity_id, client_id);
  EXPECT_TRUE(st_->verifyAuditChain().isOk());
  EXPECT_EQ(st_->deleteClient(client_id, evidenceDir()).status().field(), "client_id");

  st_.reset();
  const std::string bytes = allBytesUnder(dir_.path());
  EXPECT_EQ(bytes.find("CANARY-d3l3t3"), std::string::npos);
  for (const auto& s : sealed) {
    ASSERT_GT(s.size(), 16u);
    EXPECT_EQ(bytes.find(s), std::string::npos) << "a deleted sealed value is still on disk";
  }
  for (const auto* table : {"clients", "providers", "cases", "incidents", "evidence",
                            "records_requests", "request_events"}) {
    size_t expected = std::string(table) == "clients" ? 1u : 0u;
    EXPECT_EQ(rawQuery(db(), std::string("SELECT id FROM ") + table).size(), expected) << table;
  }
}

}  // namespace
}  // namespace recourse::store
