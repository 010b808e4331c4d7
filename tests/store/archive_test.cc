#include "store/archive.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"

namespace recourse::store {
namespace {

using core::StatusCode;
using testing::readFile;
using testing::writeFile;

constexpr char kPass[] = "a long enough passphrase";

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::openInMemory(clock_)).value();
    ASSERT_TRUE(store_->createVault(kPass, params_).isOk());
    core::Client c;
    c.name = "Zoë Müller";
    c.notes = std::string(200000, 'n');  // several 64 KiB chunks
    client_id_ = store_->addClient(c)->id;
    path_ = dir_.file("vault.recourse");
    ASSERT_TRUE(exportArchive(*store_, kPass, params_, path_).isOk());
  }

  KdfParams params_ = *kdfParamsNamed("interactive");
  testing::FakeClock clock_;
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::string client_id_;
  std::string path_;
};

TEST_F(ArchiveTest, RoundTrips) {
  auto back = readArchive(path_, kPass, clock_);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  auto c = (*back)->getClient(client_id_);
  ASSERT_TRUE(c.isOk());
  EXPECT_EQ(c->name, "Zoë Müller");
  EXPECT_EQ(c->notes.size(), 200000u);
  EXPECT_TRUE((*back)->verifyAuditChain().isOk());
  EXPECT_EQ(readFile(path_).find("Zoë Müller"), std::string::npos);
}

TEST_F(ArchiveTest, ExistingFileIsNotOverwritten) {
  std::string before = readFile(path_);
  core::Status s = exportArchive(*store_, kPass, params_, path_);
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(s.field(), "out");
  EXPECT_EQ(s.message(), path_ + " already exists; choose a new file name");
  EXPECT_EQ(readFile(path_), before);
}

TEST_F(ArchiveTest, WrongPassphraseIsRefused) {
  auto back = readArchive(path_, "wrong passphrase", clock_);
  ASSERT_FALSE(back.isOk());
  EXPECT_EQ(back.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(ArchiveTest, AlteredOrTruncatedFilesAreRefused) {
  std::string bytes = readFile(path_);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x20;
  writeFile(dir_.file("flipped"), flipped);
  // Past the first chunk the passphrase has proved right: the file is damaged, and said so.
  auto altered = readArchive(dir_.file("flipped"), kPass, clock_);
  EXPECT_EQ(altered.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(altered.status().reason(), "damaged");
  EXPECT_NE(altered.status().message().find("the passphrase opens it"), std::string::npos);
  // With a wrong passphrase the same file is refused as the passphrase.
  EXPECT_EQ(readArchive(dir_.file("flipped"), "wrong passphrase", clock_).status().code(),
            StatusCode::kUnauthenticated);

  // Cut at a chunk boundary: every chunk present authenticates, but FINAL is missing; cut in
  // the middle of a chunk, or of the first one, whatever the passphrase: cut short, said so.
  for (const size_t cut :
       {size_t{16 + 1 + 16 + 16 + 24 + 4 + 65536 + 17}, bytes.size() - 10, size_t{300}}) {
    writeFile(dir_.file("short"), bytes.substr(0, cut));
    for (const char* pass : {kPass, "wrong passphrase"}) {
      auto cutShort = readArchive(dir_.file("short"), pass, clock_);
      // Cut exactly between two chunks, nothing but the passphrase can tell: a wrong one is
      // refused as the passphrase.
      if (cut == size_t{16 + 1 + 16 + 16 + 24 + 4 + 65536 + 17} && pass != kPass) {
        EXPECT_EQ(cutShort.status().code(), StatusCode::kUnauthenticated);
        continue;
      }
      EXPECT_EQ(cutShort.status().code(), StatusCode::kCorruption) << cut;
      EXPECT_EQ(cutShort.status().reason(), "cut_short") << cut;
      EXPECT_NE(cutShort.status().message().find("is cut short"), std::string::npos);
    }
  }

  std::string header = bytes;
  header[17] ^= 0x01;  // the stored cost parameters are bound to the first chunk
  writeFile(dir_.file("header"), header);
  EXPECT_FALSE(readArchive(dir_.file("header"), kPass, clock_).isOk());

  // A crafted file asking for an enormous Argon2 cost is refused before any work is done.
  std::string costly = bytes;
  costly[20] = '\x7f';
  writeFile(dir_.file("costly"), costly);
  EXPECT_EQ(readArchive(dir_.file("costly"), kPass, clock_).status().code(),
            StatusCode::kCorruption);

  writeFile(dir_.file("other"), "not an export at all");
  auto other = readArchive(dir_.file("other"), kPass, clock_);
  EXPECT_EQ(other.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(readArchive(dir_.file("missing"), kPass, clock_).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace recourse::store
