// The only place that builds the real environment: streams, clock, process environment and
// the terminal prompt. Everything else receives them.
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "core/clock.h"

extern char** environ;

namespace {

// Reads one line from the controlling terminal with echo off.
recourse::core::StatusOr<std::string> readSecretFromTerminal(const std::string& prompt) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) {
    return recourse::core::invalidArgument(
        "passphrase: no terminal to ask on; use --passphrase-file or RECOURSE_PASSPHRASE");
  }
  int fd = fileno(tty);
  termios old{};
  bool restore = tcgetattr(fd, &old) == 0;
  if (restore) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::fputs(prompt.c_str(), tty);
  std::fflush(tty);
  std::string line;
  int ch = 0;
  while ((ch = std::fgetc(tty)) != EOF && ch != '\n') line.push_back(static_cast<char>(ch));
  if (restore) tcsetattr(fd, TCSAFLUSH, &old);
  std::fclose(tty);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  ::umask(077);  // every file Recourse creates is private to this user
  // No core dumps, and other processes of the same user cannot attach to read memory.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  std::map<std::string, std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) vars.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  recourse::core::SystemClock clock;
  recourse::cli::CliEnv env{std::cin, std::cout, std::cerr, std::move(vars), clock, nullptr};
  if (isatty(STDIN_FILENO) != 0) env.read_secret = readSecretFromTerminal;
  env.progress = isatty(STDERR_FILENO) != 0;
  env.interactive = isatty(STDIN_FILENO) != 0;
  std::vector<std::string> args(argv + 1, argv + argc);
  return recourse::cli::runCli(args, env);
}
