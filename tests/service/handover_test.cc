// One client's records handed over as a vault of their own (service::handOverClient): what
// goes and what does not, that it opens with their passphrase alone and checks whole, that
// both logs say so, and bad input that writes and logs nothing. Runs on both engines (the
// "pg." run hands a client over out of an organization database).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fakes/service_fixture.h"
#include "service/evidence.h"
#include "service/transfer.h"
#include "store/crypto.h"

namespace recourse::service {
namespace {

constexpr char kTheirs[] = "maya's own passphrase";
constexpr char kOffice[] = "correct horse battery";  // the fixture's vault

class HandoverTest : public testing::ServiceTest {
 protected:
  HandOverClient request(const std::string& client_id) {
    HandOverClient in;
    in.client_id = client_id;
    in.out_path = tmp_.file("maya.recourse");
    in.passphrase = kTheirs;
    in.strength = "interactive";
    return in;
  }

  // Imports `file` into a data directory of its own, as the person would on their computer.
  core::StatusOr<std::unique_ptr<store::Store>> openAsTheyWould(const std::string& file,
                                                                const std::string& passphrase,
                                                                const std::string& dir) {
    ImportVault in;
    in.file = file;
    in.data_dir = dir;
    in.passphrase = [passphrase]() -> core::StatusOr<std::string> { return passphrase; };
    RECOURSE_RETURN_IF_ERROR(importVault(in, clock_).status());
    RECOURSE_ASSIGN_OR_RETURN(
        auto st, store::Store::openDataDir(dir, store::Store::OpenMode::kExisting, clock_));
    RECOURSE_RETURN_IF_ERROR(st->unlock(passphrase));
    return st;
  }

  static bool logged(const std::vector<core::AuditEvent>& events, const std::string& action) {
    return std::any_of(events.begin(), events.end(),
                       [&](const core::AuditEvent& e) { return e.action == action; });
  }

  std::string addEvidenceFile(const std::string& case_id, const std::string& content) {
    const std::string path = tmp_.file("texts.txt");
    testing::writeFile(path, content);
    AddEvidence in;
    in.case_id = case_id;
    in.source_path = path;
    in.description = "Texts from the therapist";
    auto added = addEvidence(services(), in);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? added->id : "";
  }
};

TEST_F(HandoverTest, TheirRecordsGoIntoAVaultOfTheirOwnAndNothingElseDoes) {
  const core::Case kase = addCase();
  const core::Incident incident = addIncident(kase.id, "2024-03-01");
  const std::string content = "She wrote: don't come back. Zoë";
  const std::string evidence = addEvidenceFile(kase.id, content);
  core::RecordsRequest req;
  req.case_id = kase.id;
  req.custodian_name = "Bay Clinic records office";
  auto request_made = store().addRequest(req);
  ASSERT_TRUE(request_made.isOk()) << request_made.status().toString();
  // Someone else's records, which stay.
  const core::Case other_case = addCase();
  (void)addEvidenceFile(other_case.id, "Not Maya's.");
  (void)addIncident(other_case.id, "2023-05-06");

  clock_.advance(std::chrono::hours(24 * 30));
  auto done = handOverClient(services(), request(kase.client_id));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->rows.at("clients"), 1);
  EXPECT_EQ(done->rows.at("cases"), 1);
  EXPECT_EQ(done->rows.at("incidents"), 1);
  EXPECT_EQ(done->rows.at("evidence"), 1);
  EXPECT_EQ(done->rows.at("records_requests"), 1);
  EXPECT_EQ(done->evidence_files, 1);
  EXPECT_GT(done->bytes, 0);
  // Nothing is left of the vault it was made in.
  for (const auto& e : std::filesystem::directory_iterator(tmp_.path())) {
    EXPECT_EQ(e.path().filename().string().find("handover"), std::string::npos) << e.path();
  }

  // The office's passphrase does not open it; theirs does.
  EXPECT_FALSE(openAsTheyWould(tmp_.file("maya.recourse"), kOffice, tmp_.file("wrong")).isOk());
  const std::string theirs_dir = tmp_.file("theirs");
  auto theirs = openAsTheyWould(tmp_.file("maya.recourse"), kTheirs, theirs_dir);
  ASSERT_TRUE(theirs.isOk()) << theirs.status().toString();
  store::Store& mine = **theirs;
  // Their account alone, whose recovery code is made now, for them.
  auto accounts = mine.accounts();
  ASSERT_TRUE(accounts.isOk());
  ASSERT_EQ(accounts->size(), 1U);
  EXPECT_TRUE(mine.takeRecoveryCode().has_value());

  auto clients = mine.listClients();
  ASSERT_TRUE(clients.isOk()) << clients.status().toString();
  ASSERT_EQ(clients->size(), 1U);
  EXPECT_EQ((*clients)[0].id, kase.client_id);
  EXPECT_EQ((*clients)[0].name, "Maya Okafor");
  EXPECT_EQ((*clients)[0].address, "12 Elm Street, Oakland, CA 94601");
  EXPECT_FALSE(mine.getClient(other_case.client_id).isOk());
  // Nothing of anyone else's, nor of the office's, is in it at all.
  auto counts = mine.rowCounts();
  ASSERT_TRUE(counts.isOk()) << counts.status().toString();
  EXPECT_EQ(counts->at("clients"), 1);
  EXPECT_EQ(counts->at("cases"), 1);
  EXPECT_EQ(counts->at("incidents"), 1);
  EXPECT_EQ(counts->at("evidence"), 1);
  EXPECT_EQ(counts->at("users"), 1);
  EXPECT_EQ(counts->at("key_grants"), 1);
  EXPECT_EQ(counts->at("custody_log"), 2);
  EXPECT_EQ(counts->at("import_keys"), 0);
  EXPECT_EQ(counts->at("drafts"), 0);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(evidenceDir(theirs_dir)),
                          std::filesystem::directory_iterator()),
            1);
  auto cases = mine.listCases(kase.client_id);
  ASSERT_TRUE(cases.isOk());
  ASSERT_EQ(cases->size(), 1U);
  EXPECT_EQ((*cases)[0].provider.name, "Dr. Jane Smith");
  auto incidents = mine.listIncidents(kase.id);
  ASSERT_TRUE(incidents.isOk());
  ASSERT_EQ(incidents->size(), 1U);
  EXPECT_EQ((*incidents)[0].id, incident.id);
  EXPECT_EQ((*incidents)[0].summary, incident.summary);
  EXPECT_EQ((*incidents)[0].created_at, incident.created_at);  // when it was written down
  auto requests = mine.listRequests(kase.id);
  ASSERT_TRUE(requests.isOk());
  ASSERT_EQ(requests->size(), 1U);
  EXPECT_EQ((*requests)[0].custodian_name, "Bay Clinic records office");

  // The file opens under its new key, byte for byte, and its history came with it.
  std::string read;
  ASSERT_TRUE(mine.readEvidence(evidence, evidenceDir(theirs_dir), "",
                                [&](const std::uint8_t* p, size_t n) {
                                  read.append(reinterpret_cast<const char*>(p), n);
                                  return core::Status::ok();
                                })
                  .isOk());
  EXPECT_EQ(read, content);
  auto problems = mine.verifyEvidence(evidenceDir(theirs_dir));
  ASSERT_TRUE(problems.isOk());
  EXPECT_TRUE(problems->empty()) << problems->front();
  auto custody = mine.custodyLog();
  ASSERT_TRUE(custody.isOk());
  ASSERT_EQ(custody->size(), 2U);
  EXPECT_EQ((*custody)[0].action, "intake");
  EXPECT_EQ((*custody)[0].evidence_id, evidence);
  EXPECT_EQ((*custody)[1].action, "handover");
  EXPECT_TRUE(mine.verifyAuditChain().isOk());
  auto their_log = mine.auditEvents();
  ASSERT_TRUE(their_log.isOk());
  EXPECT_TRUE(logged(*their_log, "client.received"));

  // The office keeps its records, and its logs say they were handed over.
  EXPECT_TRUE(store().getClient(kase.client_id).isOk());
  auto office_log = store().auditEvents();
  ASSERT_TRUE(office_log.isOk());
  EXPECT_TRUE(logged(*office_log, "client.handover"));
  auto office_custody = store().custodyLog();
  ASSERT_TRUE(office_custody.isOk());
  ASSERT_FALSE(office_custody->empty());
  EXPECT_EQ(office_custody->back().action, "handover");
  EXPECT_TRUE(store().verifyAuditChain().isOk());
}

TEST_F(HandoverTest, BadInputIsRefusedAndNothingIsWrittenOrLogged) {
  const core::Case kase = addCase();
  const std::string evidence = addEvidenceFile(kase.id, "A letter.");
  auto expectRefused = [&](const HandOverClient& in, const std::string& field) {
    auto r = handOverClient(services(), in);
    EXPECT_FALSE(r.isOk());
    EXPECT_EQ(r.status().field(), field) << r.status().toString();
    return r.status();
  };
  auto in = request("");
  (void)expectRefused(in, "client_id");
  in = request("cl_nothere");
  EXPECT_EQ(expectRefused(in, "client_id").code(), core::StatusCode::kNotFound);
  in = request(kase.client_id);
  in.passphrase = "short";
  (void)expectRefused(in, "passphrase");
  in = request(kase.client_id);
  in.strength = "feeble";
  (void)expectRefused(in, "kdf");
  in = request(kase.client_id);
  in.user = " owner";
  (void)expectRefused(in, "user");
  in = request(kase.client_id);
  in.out_path = tmp_.file("taken.recourse");
  testing::writeFile(in.out_path, "already here");
  (void)expectRefused(in, "out_path");
  EXPECT_EQ(testing::readFile(in.out_path), "already here");
  // A file missing from the evidence folder (on PostgreSQL every file is in the database:
  // tests/cli/organization_cli_test.cc hands one over from a second computer, and
  // tests/store/pg_store_test.cc reads one only a computer's folder holds).
  if (testing::testEngine() == "SQLite") {
    std::filesystem::rename(evidenceDir(tmp_.path()) + "/" + evidence + ".sealed",
                            tmp_.file("elsewhere.sealed"));
    auto elsewhere = expectRefused(request(kase.client_id), "client_id");
    EXPECT_EQ(elsewhere.reason(), "evidence_missing");
    EXPECT_NE(elsewhere.message().find(evidence), std::string::npos) << elsewhere.message();
    std::filesystem::rename(tmp_.file("elsewhere.sealed"),
                            evidenceDir(tmp_.path()) + "/" + evidence + ".sealed");
  }

  // Someone who may open their records but does not keep them may not take them all away.
  auto params = store::kdfParamsNamed("interactive");
  ASSERT_TRUE(params.isOk());
  ASSERT_TRUE(store().addAccount("jo", "advocate", "jo's own passphrase", "", *params).isOk());
  ASSERT_TRUE(store().grantAccess(kase.client_id, "jo", "helping Maya").isOk());
  store().lock();
  ASSERT_TRUE(store().unlock("jo", "jo's own passphrase").isOk());
  auto not_theirs = expectRefused(request(kase.client_id), "client_id");
  EXPECT_EQ(not_theirs.code(), core::StatusCode::kPermissionDenied);
  EXPECT_EQ(not_theirs.reason(), "may_not_hand_over");
  store().lock();
  ASSERT_TRUE(store().unlock("owner", kOffice).isOk());

  EXPECT_FALSE(std::filesystem::exists(tmp_.file("maya.recourse")));
  auto log = store().auditEvents();
  ASSERT_TRUE(log.isOk());
  EXPECT_FALSE(logged(*log, "client.handover"));
  for (const auto& e : std::filesystem::directory_iterator(tmp_.path())) {
    EXPECT_EQ(e.path().filename().string().find("handover"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace recourse::service
