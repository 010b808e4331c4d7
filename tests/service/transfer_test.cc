// Export, import and the audit log at the workflow level.
#include "service/transfer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "fakes/service_fixture.h"
#include "service/people.h"

namespace recourse::service {
namespace {

constexpr char kPass[] = "correct horse battery";

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
  auto wrong = importVault({file, dir, false, pass("not the passphrase")}, clock_);
  EXPECT_EQ(wrong.status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_FALSE(std::filesystem::exists(dir + "/recourse.db"));

  auto imported = importVault({file, dir, false, pass()}, clock_);
  ASSERT_TRUE(imported.isOk()) << imported.status().toString();
  EXPECT_TRUE(imported->backup.empty());
  auto session = openVault(catalog_, clock_, {dir, pass()});
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
                            }},
                           clock_);
  EXPECT_EQ(again.status().code(), core::StatusCode::kConflict);
  EXPECT_FALSE(asked);  // not asked for a passphrase for an import that cannot go ahead
  session->reset();
  auto replaced = importVault({file, dir, true, pass()}, clock_);
  ASSERT_TRUE(replaced.isOk()) << replaced.status().toString();
  EXPECT_FALSE(replaced->backup.empty());
  EXPECT_TRUE(std::filesystem::exists(replaced->backup));

  EXPECT_EQ(importVault({tmp_.file("none"), dir, true, pass()}, clock_).status().field(), "file");
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
