// The real `recourse` binary as a user runs it: process exit codes and `serve`.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fakes/subprocess.h"
#include "fakes/temp_dir.h"

namespace {

using recourse::testing::Child;
using recourse::testing::readUntil;
using recourse::testing::runMeasured;
using recourse::testing::runToEnd;
using recourse::testing::spawn;
using recourse::testing::waitExit;

TEST(BinaryTest, ExitCodes) {
  recourse::testing::TempDir tmp;
  const std::string pass = "RECOURSE_PASSPHRASE=correct horse battery staple";
  std::string out;
  EXPECT_EQ(runToEnd({"--data-dir", tmp.path(), "init", "--kdf", "interactive"}, {pass}, &out), 0);
  EXPECT_EQ(runToEnd({"--data-dir", tmp.path(), "client", "add", "--name", "Zoë"}, {pass}, &out),
            0);
  EXPECT_NE(out.find("Added Zoë"), std::string::npos);
  EXPECT_EQ(runToEnd({"--data-dir", tmp.path(), "client", "add"}, {pass}, &out), 2);
  EXPECT_EQ(runToEnd({"--data-dir", tmp.path(), "client", "list"},
                     {"RECOURSE_PASSPHRASE=wrong passphrase"}, &out),
            1);
  // No terminal and no passphrase given: a clear usage error, not a hang.
  EXPECT_EQ(runToEnd({"--data-dir", tmp.path(), "client", "list"}, {}, &out), 2);
}

TEST(BinaryTest, AnExportImportsIntoANewDataDirectoryInAFreshProcess) {
  // Each step its own process: nothing set up by an earlier step in memory.
  recourse::testing::TempDir tmp;
  const std::string pass = "RECOURSE_PASSPHRASE=correct horse battery staple";
  const std::string a = tmp.file("a");
  const std::string b = tmp.file("b");
  std::string out;
  ASSERT_EQ(runToEnd({"--data-dir", a, "init", "--kdf", "interactive"}, {pass}, &out), 0);
  ASSERT_EQ(runToEnd({"--data-dir", a, "client", "add", "--name", "Zoë"}, {pass}, &out), 0);
  ASSERT_EQ(runToEnd({"--data-dir", a, "export", "--out", tmp.file("x.recourse")}, {pass}, &out),
            0);
  EXPECT_EQ(runToEnd({"--data-dir", b, "import", tmp.file("x.recourse")}, {pass}, &out), 0) << out;
  EXPECT_EQ(runToEnd({"--data-dir", b, "client", "list"}, {pass}, &out), 0);
  EXPECT_NE(out.find("Zoë"), std::string::npos) << out;
}

TEST(BinaryTest, ServePrintsItsUrlAnswersAndStopsCleanly) {
  recourse::testing::TempDir tmp;
  Child c = spawn({"serve", "--port", "0", "--data-dir", tmp.file("data")}, {});
  std::string out = readUntil(c.out_fd, "/\n", std::chrono::seconds(30));
  const std::string prefix = "Recourse is running at http://127.0.0.1:";
  size_t at = out.find(prefix);
  ASSERT_NE(at, std::string::npos) << out;
  int port = std::stoi(out.substr(at + prefix.size()));
  ASSERT_GT(port, 0);

  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest req("GET", "/api/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
  EXPECT_EQ(resp.getStatus(), 200);
  EXPECT_NE(body.find("\"vault\":\"none\""), std::string::npos);
  // The data directory was made private.
  struct stat s {};
  ASSERT_EQ(::stat(tmp.file("data").c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 0777, 0700u);

  kill(c.pid, SIGTERM);
  out = readUntil(c.out_fd, "locked", std::chrono::seconds(30));
  EXPECT_NE(out.find("Stopped"), std::string::npos);
  close(c.out_fd);
  EXPECT_EQ(waitExit(c.pid), 0);
}

TEST(BinaryTest, ServeReportsABusyPort) {
  recourse::testing::TempDir tmp;
  Child first = spawn({"serve", "--port", "0", "--data-dir", tmp.file("a")}, {});
  std::string out = readUntil(first.out_fd, "/\n", std::chrono::seconds(30));
  const std::string prefix = "http://127.0.0.1:";
  size_t at = out.find(prefix);
  ASSERT_NE(at, std::string::npos) << out;
  std::string port = std::to_string(std::stoi(out.substr(at + prefix.size())));
  std::string second_out;
  int code = runToEnd({"serve", "--port", port, "--data-dir", tmp.file("b")}, {}, &second_out);
  EXPECT_EQ(code, 1);
  kill(first.pid, SIGTERM);
  close(first.out_fd);
  EXPECT_EQ(waitExit(first.pid), 0);
}

// The names `client list` shows for the vault in `data_dir`.
std::set<std::string> clientNames(const std::string& data_dir, const std::string& pass) {
  std::string out;
  EXPECT_EQ(runToEnd({"--data-dir", data_dir, "client", "list"}, {pass}, &out), 0) << out;
  std::set<std::string> names;
  std::istringstream in(out);
  std::string word;
  while (in >> word) {
    if (word.rfind("W", 0) == 0 || word == "Before" || word == "Exported") names.insert(word);
  }
  return names;
}

TEST(BinaryTest, NoAcknowledgedWriteIsLostToAnImportRunningAtTheSameTime) {
  // Three programs keep adding clients while a fourth replaces the vault with an export.
  // Every client a writer was told was added must be in the vault afterwards or in the
  // backup the import kept of the vault it replaced.
  recourse::testing::TempDir tmp;
  const std::string pass = "RECOURSE_PASSPHRASE=correct horse battery staple";
  const std::string data = tmp.file("data");
  std::string out;
  ASSERT_EQ(runToEnd({"--data-dir", data, "init", "--kdf", "interactive"}, {pass}, &out), 0);
  ASSERT_EQ(runToEnd({"--data-dir", data, "client", "add", "--name", "Exported"}, {pass}, &out), 0);
  ASSERT_EQ(runToEnd({"--data-dir", data, "export", "--out", tmp.file("x.recourse"), "--kdf",
                      "interactive"},
                     {pass}, &out),
            0)
      << out;
  ASSERT_EQ(runToEnd({"--data-dir", data, "client", "add", "--name", "Before"}, {pass}, &out), 0);

  constexpr int kWriters = 3;
  constexpr int kEach = 8;
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<bool> import_done{false};
  std::vector<std::string> after_import;  // acknowledged once the import had finished
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; n < kEach; ++n) {
        const std::string name = "W" + std::to_string(w) + "-" + std::to_string(n);
        const bool late = import_done.load();
        std::string said;
        const int code =
            runToEnd({"--data-dir", data, "client", "add", "--name", name}, {pass}, &said, true);
        if (code == 0 && said.find("Added " + name) != std::string::npos) {
          std::lock_guard lk(mu);
          acknowledged.push_back(name);
          if (late) after_import.push_back(name);
        } else {
          // Not acknowledged: it must say why (waiting on the import too long).
          EXPECT_NE(said.find("backup is being put in place"), std::string::npos) << said;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string imported;
  const int import_code = runToEnd(
      {"--data-dir", data, "import", "--replace", tmp.file("x.recourse")}, {pass}, &imported, true);
  import_done = true;
  for (auto& t : writers) t.join();
  ASSERT_EQ(import_code, 0) << imported;

  std::set<std::string> now = clientNames(data, pass);
  EXPECT_EQ(now.count("Exported"), 1u);
  EXPECT_EQ(now.count("Before"), 0u);  // replaced
  // The backup the import kept, opened as a vault of its own.
  std::string backup;
  for (const auto& e : std::filesystem::directory_iterator(data)) {
    const std::string f = e.path().filename().string();
    if (f.rfind("recourse.db.before-import-", 0) == 0 && f.find(".evidence") == std::string::npos) {
      backup = e.path().string();
    }
  }
  ASSERT_FALSE(backup.empty());
  std::filesystem::create_directories(tmp.file("old"));
  std::filesystem::copy_file(backup, tmp.file("old/recourse.db"));
  std::set<std::string> before = clientNames(tmp.file("old"), pass);
  EXPECT_EQ(before.count("Before"), 1u);

  EXPECT_GT(acknowledged.size(), static_cast<size_t>(kWriters));
  for (const auto& name : acknowledged) {
    EXPECT_TRUE(now.count(name) + before.count(name) == 1)
        << name << " was acknowledged, and is in " << now.count(name) << " of the new vault and "
        << before.count(name) << " of the backup";
  }
  for (const auto& name : after_import) EXPECT_EQ(now.count(name), 1u) << name;
}

TEST(BinaryTest, ImportSaysWhichProgramHasTheVaultOpenAndChangesNothing) {
  recourse::testing::TempDir tmp;
  const std::string pass = "RECOURSE_PASSPHRASE=correct horse battery staple";
  const std::string data = tmp.file("data");
  std::string out;
  ASSERT_EQ(runToEnd({"--data-dir", data, "init", "--kdf", "interactive"}, {pass}, &out), 0);
  ASSERT_EQ(runToEnd({"--data-dir", data, "export", "--out", tmp.file("x.recourse"), "--kdf",
                      "interactive"},
                     {pass}, &out),
            0);
  Child server = spawn({"serve", "--port", "0", "--data-dir", data}, {});
  ASSERT_NE(readUntil(server.out_fd, "/\n", std::chrono::seconds(30)).find("http://"),
            std::string::npos);
  const int code = runToEnd({"--data-dir", data, "import", "--replace", tmp.file("x.recourse")},
                            {pass}, &out, true);
  kill(server.pid, SIGTERM);
  close(server.out_fd);
  EXPECT_EQ(waitExit(server.pid), 0);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("in use by another Recourse program (recourse serve, process " +
                     std::to_string(server.pid) + ")"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("nothing was changed"), std::string::npos) << out;
  for (const auto& e : std::filesystem::directory_iterator(data)) {
    EXPECT_EQ(e.path().filename().string().find("before-import"), std::string::npos) << e.path();
  }
}

TEST(BinaryTest, ImportingALargeExportTakesLittleMoreMemoryThanOpeningTheVault) {
  // 48 MB of evidence: read whole (as imports once were), the import alone would hold it
  // several times over. Streamed, it holds about what any command holds (the passphrase's
  // key derivation dominates both).
  recourse::testing::TempDir tmp;
  const std::string pass = "RECOURSE_PASSPHRASE=correct horse battery staple";
  const std::string data = tmp.file("data");
  std::string out;
  ASSERT_EQ(runToEnd({"--data-dir", data, "init", "--kdf", "interactive"}, {pass}, &out), 0);
  ASSERT_EQ(runToEnd({"--data-dir", data, "client", "add", "--name", "Zoë"}, {pass}, &out), 0);
  const std::string client = out.substr(out.find("cl_"), 13);
  ASSERT_EQ(
      runToEnd({"--data-dir", data, "case", "add", "--client", client, "--provider-name", "Dr. P"},
               {pass}, &out),
      0)
      << out;
  const std::string kase = out.substr(out.find("cs_"), 13);
  for (const char* name : {"a.bin", "b.bin"}) {
    std::string bytes(24u << 20, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
    recourse::testing::writeFile(tmp.file(name), bytes);
    ASSERT_EQ(runToEnd({"--data-dir", data, "evidence", "add", "--case", kase, tmp.file(name)},
                       {pass}, &out, true),
              0)
        << out;
  }
  ASSERT_EQ(runToEnd({"--data-dir", data, "export", "--out", tmp.file("x.recourse"), "--kdf",
                      "interactive"},
                     {pass}, &out),
            0);
  ASSERT_GT(std::filesystem::file_size(tmp.file("x.recourse")), 48u << 20);

  long import_peak = 0;
  long list_peak = 0;
  ASSERT_EQ(runMeasured({"--data-dir", tmp.file("new"), "import", tmp.file("x.recourse")}, {pass},
                        &out, &import_peak),
            0)
      << out;
  ASSERT_EQ(runMeasured({"--data-dir", tmp.file("new"), "evidence", "list", "--case", kase}, {pass},
                        &out, &list_peak),
            0)
      << out;
  EXPECT_NE(out.find("a.bin"), std::string::npos) << out;
  EXPECT_NE(out.find("b.bin"), std::string::npos) << out;
  EXPECT_LT(import_peak, list_peak + 16 * 1024)
      << "import peak " << import_peak << " KiB, opening the vault " << list_peak << " KiB";
}

}  // namespace
