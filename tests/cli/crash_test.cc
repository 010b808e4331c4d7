// Killed at any moment, nothing is half-done: a batch, an evidence add, an export and an
// import are each stopped with SIGKILL at several points of a run (fractions of how long a
// whole run takes here). After every kill the vault opens, SQLite's integrity check says ok,
// the activity log's and the custody log's chains verify, and no half-written record or
// file is there; a run afterwards completes with exact counts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fakes/subprocess.h"
#include "fakes/temp_dir.h"

namespace {

using recourse::testing::Child;
using recourse::testing::readUntil;
using recourse::testing::runToEnd;
using recourse::testing::spawn;
using recourse::testing::TempDir;
using recourse::testing::waitExit;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const std::string kPass = "RECOURSE_PASSPHRASE=correct horse battery staple";
// Where in a whole run the kills land.
constexpr double kKillAt[] = {0.1, 0.3, 0.5, 0.7, 0.9};

size_t countOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string integrity(const std::string& db) {
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(conn);
    return "cannot open";
  }
  std::string result;
  sqlite3_exec(
      conn, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0] != nullptr ? values[0] : "";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(conn);
  return result;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string out;
    ASSERT_EQ(run({"init", "--kdf", "interactive"}, &out), 0) << out;
    ASSERT_EQ(run({"client", "add", "--name", "Zoë Müller"}, &out), 0) << out;
    const std::string client = out.substr(out.find("cl_"), 13);
    ASSERT_EQ(run({"case", "add", "--client", client, "--provider-name", "Dr. P"}, &out), 0) << out;
    case_ = out.substr(out.find("cs_"), 13);
  }

  int run(std::vector<std::string> args, std::string* out, const std::string& dir = "") {
    args.insert(args.begin(), {"--data-dir", dir.empty() ? data_ : dir});
    return runToEnd(args, {kPass}, out, true);
  }

  // How long a whole run of `args` takes (run in `dir`, then thrown away by the caller).
  std::chrono::milliseconds timeOf(const std::vector<std::string>& args, const std::string& dir) {
    std::string out;
    const auto start = Clock::now();
    EXPECT_EQ(run(args, &out, dir), 0) << out;
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }

  // Starts `args` and kills it with SIGKILL after `after`; true when it was still running.
  bool killAfter(const std::vector<std::string>& args, std::chrono::milliseconds after) {
    std::vector<std::string> full = {"--data-dir", data_};
    full.insert(full.end(), args.begin(), args.end());
    Child c = spawn(full, {kPass}, true);
    std::this_thread::sleep_for(after);
    const bool killed = ::kill(c.pid, SIGKILL) == 0;
    const int code = waitExit(c.pid);
    close(c.out_fd);
    return killed && code == 128 + SIGKILL;
  }

  // What must hold after any kill.
  void expectWhole(const std::string& when) {
    SCOPED_TRACE(when);
    std::string out;
    EXPECT_EQ(integrity(data_ + "/recourse.db"), "ok");
    EXPECT_EQ(run({"client", "list"}, &out), 0) << out;
    EXPECT_EQ(run({"audit"}, &out), 0) << out;
    EXPECT_NE(out.find("chain"), std::string::npos) << out;
    EXPECT_EQ(run({"evidence", "verify"}, &out), 0) << out;
    // Every sealed file has its record and every record its file.
    size_t sealed = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(data_ + "/evidence", ec)) {
      sealed += e.path().extension() == ".sealed" ? 1 : 0;
    }
    EXPECT_EQ(run({"--json", "evidence", "list", "--case", case_}, &out), 0) << out;
    // One more file than records at most: an add killed between putting its sealed file in
    // place and committing its record (left for the check to remove once it is old).
    const size_t records = countOf(out, "\"sha256\"");
    EXPECT_TRUE(sealed == records || sealed == records + 1)
        << sealed << " sealed files, " << records << " records";
  }

  TempDir tmp_;
  const std::string data_ = tmp_.file("data");
  std::string case_;
};

TEST_F(CrashTest, ABatchKilledAnywhereResumesToExactlyItsRows) {
  constexpr int kRows = 300;
  std::string csv = "client_ref,client_name,client_email,jurisdiction,custodian_name\n";
  for (int i = 1; i <= kRows; ++i) {
    csv += "ref-" + std::to_string(i) + ",Client " + std::to_string(i) + ",c" + std::to_string(i) +
           "@example.org,us-ca,Bay Counseling " + std::to_string(i % 7) + "\n";
  }
  recourse::testing::writeFile(tmp_.file("rows.csv"), csv);
  // A whole run, in a vault of its own, to know where the kills land.
  std::string out;
  ASSERT_EQ(run({"init", "--kdf", "interactive"}, &out, tmp_.file("scratch")), 0);
  const auto whole = timeOf(
      {"request", "batch", "--csv", tmp_.file("rows.csv"), "--out", tmp_.file("scratch-out")},
      tmp_.file("scratch"));
  int killed = 0;
  for (double at : kKillAt) {
    killed +=
        killAfter({"request", "batch", "--csv", tmp_.file("rows.csv"), "--out", tmp_.file("out")},
                  std::chrono::milliseconds(static_cast<long>(whole.count() * at)))
            ? 1
            : 0;
    expectWhole("batch killed at " + std::to_string(at));
  }
  // Each killed run leaves less for the next, so the later kills may find it finished.
  EXPECT_GE(killed, 2) << "the kills should land while the batch runs";
  ASSERT_EQ(
      run({"request", "batch", "--csv", tmp_.file("rows.csv"), "--out", tmp_.file("out")}, &out), 0)
      << out;
  EXPECT_EQ(run({"--json", "request", "list"}, &out), 0);
  EXPECT_EQ(countOf(out, "\"id\": \"rq_"), static_cast<size_t>(kRows)) << out.substr(0, 2000);
  EXPECT_EQ(run({"--json", "client", "list"}, &out), 0);
  EXPECT_EQ(countOf(out, "\"id\": \"cl_"), static_cast<size_t>(kRows) + 1);
  size_t letters = 0;
  for (const auto& e : fs::directory_iterator(tmp_.file("out/letters"))) {
    letters += e.path().extension() == ".pdf" ? 1 : 0;
  }
  EXPECT_EQ(letters, static_cast<size_t>(kRows));
  expectWhole("after the batch ran to its end");
}

TEST_F(CrashTest, AnEvidenceAddKilledAnywhereLeavesAWholeFileOrNone) {
  std::string bytes(16u << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 11);
  recourse::testing::writeFile(tmp_.file("call.m4a"), bytes);
  std::string out;
  ASSERT_EQ(run({"init", "--kdf", "interactive"}, &out, tmp_.file("scratch")), 0);
  ASSERT_EQ(run({"client", "add", "--name", "X"}, &out, tmp_.file("scratch")), 0);
  const std::string client = out.substr(out.find("cl_"), 13);
  ASSERT_EQ(run({"case", "add", "--client", client, "--provider-name", "Dr. P"}, &out,
                tmp_.file("scratch")),
            0);
  const std::string scratch_case = out.substr(out.find("cs_"), 13);
  const auto whole = timeOf({"evidence", "add", "--case", scratch_case, tmp_.file("call.m4a")},
                            tmp_.file("scratch"));
  for (double at : kKillAt) {
    killAfter({"evidence", "add", "--case", case_, tmp_.file("call.m4a")},
              std::chrono::milliseconds(static_cast<long>(whole.count() * at)));
    expectWhole("evidence add killed at " + std::to_string(at));
  }
  EXPECT_EQ(run({"--json", "evidence", "list", "--case", case_}, &out), 0);
  const size_t before = countOf(out, "\"sha256\"");
  ASSERT_EQ(run({"evidence", "add", "--case", case_, tmp_.file("call.m4a")}, &out), 0) << out;
  EXPECT_EQ(run({"--json", "evidence", "list", "--case", case_}, &out), 0);
  EXPECT_EQ(countOf(out, "\"sha256\""), before + 1);
  expectWhole("after an add ran to its end");
}

TEST_F(CrashTest, AnExportOrImportKilledAnywhereLeavesTheOldVaultOrTheNewOne) {
  std::string out;
  std::string bytes(12u << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2246822519u) >> 9);
  recourse::testing::writeFile(tmp_.file("photo.bin"), bytes);
  ASSERT_EQ(run({"evidence", "add", "--case", case_, tmp_.file("photo.bin")}, &out), 0) << out;
  const std::string file = tmp_.file("backup.recourse");

  // Export: killed, it leaves no file where the export goes; run again, it is made whole.
  const auto whole = timeOf({"export", "--out", tmp_.file("first.recourse")}, data_);
  for (double at : kKillAt) {
    killAfter({"export", "--out", file},
              std::chrono::milliseconds(static_cast<long>(whole.count() * at)));
    expectWhole("export killed at " + std::to_string(at));
    // Killed before its end, it left nothing where the export goes; killed after (it had
    // finished), the file there is whole and opens.
    if (fs::exists(file)) {
      EXPECT_EQ(run({"import", file}, &out, tmp_.file("check-" + std::to_string(at))), 0) << out;
      fs::remove(file);
    }
  }
  ASSERT_EQ(run({"export", "--out", file}, &out), 0) << out;

  // The vault then changes (one more person), so the old and the new differ.
  ASSERT_EQ(run({"client", "add", "--name", "Added after the backup"}, &out), 0);
  const auto importWhole = timeOf({"import", "--replace", file}, tmp_.file("timing"));
  for (double at : kKillAt) {
    killAfter({"import", "--replace", file},
              std::chrono::milliseconds(static_cast<long>(importWhole.count() * at)));
    expectWhole("import killed at " + std::to_string(at));
    EXPECT_EQ(run({"client", "list"}, &out), 0);
    // Either vault, never a mix: the person added after the backup is there only in the old.
    const bool old_vault = out.find("Added after the backup") != std::string::npos;
    EXPECT_NE(out.find("Zoë Müller"), std::string::npos) << out;
    if (!old_vault) {
      EXPECT_EQ(countOf(out, "cl_"), 1u) << out;
    }
  }
  ASSERT_EQ(run({"import", "--replace", file}, &out), 0) << out;
  EXPECT_EQ(run({"client", "list"}, &out), 0);
  EXPECT_EQ(out.find("Added after the backup"), std::string::npos) << out;
  EXPECT_EQ(countOf(out, "cl_"), 1u) << out;
  EXPECT_EQ(run({"--json", "evidence", "list", "--case", case_}, &out), 0);
  EXPECT_EQ(countOf(out, "\"sha256\""), 1u) << out;
  expectWhole("after an import ran to its end");
}

// A full disk (here: no file may grow past a limit, so writes fail as they do on a full
// disk) stops the work with a message saying so, and leaves what was there as it was.
TEST_F(CrashTest, AFullDiskStopsTheWorkAndLeavesTheVaultAsItWas) {
  std::string out;
  std::string bytes(6u << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 7);
  recourse::testing::writeFile(tmp_.file("scan.bin"), bytes);
  auto limited = [&](std::vector<std::string> args, long kib) {
    args.insert(args.begin(), {"--data-dir", data_});
    Child c = spawn(args, {kPass}, true, kib);
    out = readUntil(c.out_fd, "\x04never", std::chrono::seconds(60));
    close(c.out_fd);
    return waitExit(c.pid);
  };
  // An evidence file larger than the disk can take: refused, nothing kept.
  EXPECT_EQ(limited({"evidence", "add", "--case", case_, tmp_.file("scan.bin")}, 2048), 1);
  EXPECT_NE(out.find("disk"), std::string::npos) << out;
  EXPECT_EQ(run({"--json", "evidence", "list", "--case", case_}, &out), 0);
  EXPECT_EQ(countOf(out, "\"sha256\""), 0u) << out;
  expectWhole("after an evidence add ran out of disk");

  // An export that does not fit: refused, no file left.
  ASSERT_EQ(run({"evidence", "add", "--case", case_, tmp_.file("scan.bin")}, &out), 0) << out;
  EXPECT_EQ(limited({"export", "--out", tmp_.file("backup.recourse")}, 2048), 1);
  EXPECT_NE(out.find("is the disk full?"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(tmp_.file("backup.recourse")));
  EXPECT_FALSE(fs::exists(tmp_.file("backup.recourse.partial")));
  expectWhole("after an export ran out of disk");

  // An import that does not fit: refused, the vault here as it was.
  ASSERT_EQ(run({"export", "--out", tmp_.file("backup.recourse")}, &out), 0) << out;
  ASSERT_EQ(run({"client", "add", "--name", "Added after the backup"}, &out), 0);
  EXPECT_EQ(limited({"import", "--replace", tmp_.file("backup.recourse")}, 2048), 1);
  EXPECT_NE(out.find("disk"), std::string::npos) << out;
  EXPECT_EQ(run({"client", "list"}, &out), 0);
  EXPECT_NE(out.find("Added after the backup"), std::string::npos) << out;
  for (const auto& e : fs::directory_iterator(data_)) {
    EXPECT_EQ(e.path().filename().string().find(".importing"), std::string::npos) << e.path();
  }
  expectWhole("after an import ran out of disk");
}

}  // namespace
