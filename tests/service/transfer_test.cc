// Export, import and the audit log at the workflow level.
#include "service/transfer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "fakes/service_fixture.h"
#include "fakes/temp_dir.h"
#include "service/evidence.h"
#include "service/people.h"

namespace recourse::service {
namespace {

constexpr char kPass[] = "correct horse battery";
int cut_at = 0;  // the swap step an import is cut off after, in a forked child

class TransferTest : public testing::ServiceTest {
 protected:
  std::function<core::StatusOr<std::string>()> pass(std::string p = kPass) {
    return [p] { return core::StatusOr<std::string>(p); };
  }
};

TEST_F(TransferTest, AnExportOpensElsewhereWithTheSamePassphrase) {
  auto kase = addCase();
  const std::string file = tmp_.file("vault.export");
  auto bytes = exportVault(services(), {file, kPass, "interactive"});
  ASSERT_TRUE(bytes.isOk()) << bytes.status().toString();
  EXPECT_GT(*bytes, 0);
  EXPECT_EQ(exportVault(services(), {file, kPass, "interactive"}).status().field(), "out_path");
  EXPECT_EQ(exportVault(services(), {tmp_.file("x"), kPass, "weak"}).status().field(), "kdf");
  // A file sealed with another passphrase than the vault's would open for nobody.
  auto other = exportVault(services(), {tmp_.file("y"), "not the vault's", "interactive"});
  EXPECT_EQ(other.status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(other.status().field(), "passphrase");
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("y")));

  const std::string dir = tmp_.file("elsewhere");
  auto wrong = importVault({file, dir, false, pass("not the passphrase"), ""}, clock_);
  EXPECT_EQ(wrong.status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_FALSE(std::filesystem::exists(dir + "/recourse.db"));

  auto imported = importVault({file, dir, false, pass(), ""}, clock_);
  ASSERT_TRUE(imported.isOk()) << imported.status().toString();
  EXPECT_TRUE(imported->backup.empty());
  auto session = openVault(catalog_, clock_, {dir, "", "cli", pass()});
  ASSERT_TRUE(session.isOk()) << session.status().toString();
  auto shown = showCase((*session)->services(), kase.id);
  ASSERT_TRUE(shown.isOk()) << shown.status().toString();
  EXPECT_EQ(shown->client.name, "Maya Okafor");

  // A second import into the same place is refused unless told to replace, and then the
  // vault it replaces is kept.
  bool asked = false;
  auto again = importVault({file, dir, false,
                            [&] {
                              asked = true;
                              return core::StatusOr<std::string>(kPass);
                            },
                            ""},
                           clock_);
  EXPECT_EQ(again.status().code(), core::StatusCode::kConflict);
  EXPECT_FALSE(asked);  // not asked for a passphrase for an import that cannot go ahead
  session->reset();
  auto replaced = importVault({file, dir, true, pass(), ""}, clock_);
  ASSERT_TRUE(replaced.isOk()) << replaced.status().toString();
  EXPECT_FALSE(replaced->backup.empty());
  EXPECT_TRUE(std::filesystem::exists(replaced->backup));

  EXPECT_EQ(importVault({tmp_.file("none"), dir, true, pass(), ""}, clock_).status().field(),
            "file");
}

// An import cut off between the renames that put the new vault in place (a crash, a power
// cut) is finished the next time the vault opens: the imported vault whole, and the one it
// replaced kept whole beside it, never the old database with the new evidence or none.
TEST_F(TransferTest, AnImportCutOffMidSwapIsFinishedWhenTheVaultOpens) {
  auto kase = addCase();
  testing::writeFile(tmp_.file("imported.txt"), "in the export");
  AddEvidence first;
  first.case_id = kase.id;
  first.source_path = tmp_.file("imported.txt");
  ASSERT_TRUE(addEvidence(services(), first).isOk());
  const std::string file = tmp_.file("vault.export");
  ASSERT_TRUE(exportVault(services(), {file, kPass, "interactive"}).isOk());

  for (int step : {1, 2}) {
    SCOPED_TRACE("cut off after step " + std::to_string(step));
    const std::string dir = tmp_.file("vault-" + std::to_string(step));
    ASSERT_TRUE(importVault({file, dir, false, pass(), ""}, clock_).isOk());
    {
      // The vault there gets a person and a file of its own: the old vault differs.
      auto session = openVault(catalog_, clock_, {dir, "", "cli", pass()});
      ASSERT_TRUE(session.isOk()) << session.status().toString();
      core::Client extra;
      extra.name = "Only in the old vault";
      ASSERT_TRUE(addClient((*session)->services(), extra).isOk());
      testing::writeFile(tmp_.file("old.txt"), "only in the old vault");
      AddEvidence old;
      old.case_id = kase.id;
      old.source_path = tmp_.file("old.txt");
      ASSERT_TRUE(addEvidence((*session)->services(), old).isOk());
    }
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      transfer_testing::after_swap_step = [](int at) {
        if (at == cut_at) _exit(0);
      };
      cut_at = step;
      (void)importVault({file, dir, true, pass(), ""}, clock_);
      _exit(1);  // the cut never came
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_TRUE(std::filesystem::exists(dir + "/recourse.db.import-journal"));

    auto session = openVault(catalog_, clock_, {dir, "", "cli", pass()});
    ASSERT_TRUE(session.isOk()) << session.status().toString();
    EXPECT_FALSE(std::filesystem::exists(dir + "/recourse.db.import-journal"));
    auto people = listClients((*session)->services());
    ASSERT_TRUE(people.isOk());
    ASSERT_EQ(people->size(), 1u);  // the imported vault's one person
    auto items = listEvidence((*session)->services(), kase.id);
    ASSERT_TRUE(items.isOk()) << items.status().toString();
    ASSERT_EQ(items->size(), 1u);
    EXPECT_EQ(items->front().original_name, "imported.txt");
    auto check = verifyEvidence((*session)->services());
    ASSERT_TRUE(check.isOk()) << check.status().toString();
    EXPECT_TRUE(check->problems.empty());
    // The vault it replaced, with its evidence, is kept beside it.
    size_t kept = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (name.find("before-import") != std::string::npos && e.is_directory()) {
        for ([[maybe_unused]] const auto& f : std::filesystem::directory_iterator(e.path())) ++kept;
      }
    }
    // Both of the old vault's files. One came in the export: from an organization's
    // database (the PostgreSQL run) its file stays in the database file, not the folder.
    EXPECT_EQ(kept, testing::testEngine() == "SQLite" ? 2u : 1u);
  }
}

TEST_F(TransferTest, TheAuditLogListsWhatHappenedAndItsChainHolds) {
  addCase();
  auto report = auditLog(services());
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_TRUE(report->chain.isOk()) << report->chain.toString();
  std::vector<std::string> actions;
  for (const auto& e : report->events) actions.push_back(e.action);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "client.add"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "case.add"), actions.end());
}

}  // namespace
}  // namespace recourse::service
