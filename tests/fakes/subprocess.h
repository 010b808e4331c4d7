// Running the real `recourse` binary as a person does: a child process with its own
// environment, its output read back, its exit code (or the signal that ended it).
// REQUIRES: RECOURSE_BINARY, the binary's path (cli_tests defines it).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

extern char** environ;

namespace recourse::testing {

struct Child {
  pid_t pid = -1;
  int out_fd = -1;
};

// Starts the binary with `args`, stdout (and stderr, with `with_err`) piped, stdin from
// /dev/null, plus extra env vars. With `max_file_kib`, no file it writes may grow past that
// many KiB: a write beyond fails (EFBIG) as on a full disk, rather than ending the process.
inline Child spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                   bool with_err = false, long max_file_kib = 0) {
  int fds[2];
  EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  if (with_err) posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> argv_s = {RECOURSE_BINARY};
  std::string program = RECOURSE_BINARY;
  if (max_file_kib > 0) {
    // The shell sets the limit (in 1 KiB blocks), ignores SIGXFSZ (inherited through exec)
    // and becomes the binary.
    program = "/bin/sh";
    argv_s = {"sh", "-c",
              "trap '' XFSZ; ulimit -f " + std::to_string(max_file_kib) + "; exec \"$0\" \"$@\"",
              RECOURSE_BINARY};
  }
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
  EXPECT_EQ(posix_spawn(&c.pid, program.c_str(), &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  c.out_fd = fds[0];
  return c;
}

// Reads from fd until `needle` appears or the time runs out.
inline std::string readUntil(int fd, const std::string& needle, std::chrono::seconds limit) {
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

inline int waitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Like runToEnd, and the most memory the process held at once (its peak RSS, in KiB).
inline int runMeasured(const std::vector<std::string>& args, const std::vector<std::string>& env,
                       std::string* out, long* peak_kib) {
  Child c = spawn(args, env, true);
  *out = readUntil(c.out_fd, "\x04never", std::chrono::seconds(120));
  close(c.out_fd);
  int status = 0;
  rusage usage{};
  wait4(c.pid, &status, 0, &usage);
  *peak_kib = usage.ru_maxrss;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline int runToEnd(const std::vector<std::string>& args, const std::vector<std::string>& env,
                    std::string* out, bool with_err = false) {
  Child c = spawn(args, env, with_err);
  *out = readUntil(c.out_fd, "\x04never", std::chrono::seconds(60));
  close(c.out_fd);
  return waitExit(c.pid);
}

}  // namespace recourse::testing
