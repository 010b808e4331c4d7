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
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "fakes/temp_dir.h"

extern char** environ;

namespace {

struct Child {
  pid_t pid = -1;
  int out_fd = -1;
};

// Starts the binary with `args`, stdout piped, stdin from /dev/null, plus extra env vars.
Child spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> argv_s = {RECOURSE_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("RECOURSE_", 0) != 0) env_s.emplace_back(*e);
  }
  env_s.insert(env_s.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  Child c;
  EXPECT_EQ(posix_spawn(&c.pid, RECOURSE_BINARY, &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  c.out_fd = fds[0];
  return c;
}

// Reads from fd until `needle` appears or the time runs out.
std::string readUntil(int fd, const std::string& needle, std::chrono::seconds limit) {
  std::string got;
  auto end = std::chrono::steady_clock::now() + limit;
  while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

int waitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int runToEnd(const std::vector<std::string>& args, const std::vector<std::string>& env,
             std::string* out) {
  Child c = spawn(args, env);
  *out = readUntil(c.out_fd, "\x04never", std::chrono::seconds(60));
  close(c.out_fd);
  return waitExit(c.pid);
}

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

}  // namespace
