// The vault's lock: a database in use is not replaced, and an import is not overrun.
#include "store/vault_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "store/data_dir.h"
#include "store/store.h"

namespace recourse::store {
namespace {

using core::StatusCode;
using std::chrono::milliseconds;

class VaultLockTest : public ::testing::Test {
 protected:
  void SetUp() override { VaultLock::setWaits(milliseconds(300), milliseconds(300)); }
  void TearDown() override { VaultLock::setWaits(milliseconds(60'000), milliseconds(5'000)); }

  std::string db() const { return databasePath(dir_.path()); }
  core::StatusOr<std::unique_ptr<Store>> open() {
    return Store::openFile(db(), Store::OpenMode::kCreate, clock_);
  }

  testing::FakeClock clock_;
  testing::TempDir dir_;
};

TEST_F(VaultLockTest, AnOpenStoreKeepsAnImportOutUntilItCloses) {
  auto a = open();
  ASSERT_TRUE(a.isOk()) << a.status().toString();
  auto b = open();  // several readers and writers at once are fine
  ASSERT_TRUE(b.isOk()) << b.status().toString();
  ASSERT_NE((*a)->vaultLock(), nullptr);
  EXPECT_EQ((*a)->vaultLock()->mode(), VaultLock::Mode::kShared);

  auto excl = VaultLock::take(db(), VaultLock::Mode::kExclusive);
  ASSERT_FALSE(excl.isOk());
  EXPECT_EQ(excl.status().code(), StatusCode::kConflict);
  EXPECT_EQ(excl.status().reason(), "vault_busy");
  EXPECT_EQ(excl.status().field(), "data_dir");
  EXPECT_NE(excl.status().message().find("nothing was changed"), std::string::npos);

  a->reset();
  EXPECT_FALSE(VaultLock::take(db(), VaultLock::Mode::kExclusive).isOk());  // b is still open
  b->reset();
  EXPECT_TRUE(VaultLock::take(db(), VaultLock::Mode::kExclusive).isOk());
}

TEST_F(VaultLockTest, OpeningWaitsForAnImportAndThenOpensWhatItLeft) {
  { ASSERT_TRUE(open().isOk()); }
  auto excl = VaultLock::take(db(), VaultLock::Mode::kExclusive);
  ASSERT_TRUE(excl.isOk()) << excl.status().toString();

  // Held past the wait: a clear refusal, nothing opened.
  auto refused = open();
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(refused.status().reason(), "vault_importing");
  EXPECT_NE(refused.status().message().find("try again when it has finished"), std::string::npos);

  // Released during the wait: the opener goes on.
  VaultLock::setWaits(milliseconds(5'000), milliseconds(300));
  std::thread release([&] {
    std::this_thread::sleep_for(milliseconds(200));
    excl->reset();
  });
  const auto start = std::chrono::steady_clock::now();
  auto opened = open();
  release.join();
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(150));
}

TEST_F(VaultLockTest, ASharedLockMadeExclusiveOrLeftSharedWhenOthersAreIn) {
  auto a = open();
  ASSERT_TRUE(a.isOk());
  auto b = open();
  ASSERT_TRUE(b.isOk());
  core::Status s = (*a)->vaultLock()->makeExclusive();
  EXPECT_EQ(s.reason(), "vault_busy") << s.toString();
  // Still shared: another opener gets in, an import does not.
  EXPECT_EQ((*a)->vaultLock()->mode(), VaultLock::Mode::kShared);
  EXPECT_TRUE(open().isOk());
  EXPECT_FALSE(VaultLock::take(db(), VaultLock::Mode::kExclusive).isOk());
  b->reset();
  ASSERT_TRUE((*a)->vaultLock()->makeExclusive().isOk());
  EXPECT_EQ((*a)->vaultLock()->mode(), VaultLock::Mode::kExclusive);
  EXPECT_EQ(open().status().reason(), "vault_importing");
}

TEST_F(VaultLockTest, TheProgramHoldingTheVaultIsNamed) {
  { ASSERT_TRUE(open().isOk()); }
  int ready[2];
  int done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Another process with the vault open until told to stop.
    auto held = VaultLock::take(db(), VaultLock::Mode::kShared);
    char c = held.isOk() ? 'y' : 'n';
    (void)!write(ready[1], &c, 1);
    (void)!read(done[0], &c, 1);
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto excl = VaultLock::take(db(), VaultLock::Mode::kExclusive);
  (void)!write(done[1], "x", 1);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_FALSE(excl.isOk());
  const std::string msg = excl.status().message();
  EXPECT_NE(msg.find("(store_tests, process " + std::to_string(child) + ")"), std::string::npos)
      << msg;
  ASSERT_EQ(excl.status().reasonArgs().size(), 1u);
  EXPECT_EQ(excl.status().reasonArgs()[0].second, "store_tests, process " + std::to_string(child));
  for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
}

}  // namespace
}  // namespace recourse::store
