// The `recourse` command line. runCli is the whole program minus the real environment:
// src/app/main.cc hands it the real streams, clock, environment and terminal prompt; tests
// hand it fakes.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace recourse::cli {

struct CliEnv {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  std::map<std::string, std::string> vars;  // the process environment
  const core::Clock& clock;
  // Reads a secret from the terminal without echo. Empty when there is no terminal.
  std::function<core::StatusOr<std::string>(const std::string& prompt)> read_secret;
  // True when `err` is a terminal: long runs show a progress line there.
  bool progress = false;
  // True when `in` is a terminal: a deletion asks there for confirmation (else it needs
  // --yes).
  bool interactive = false;
};

// Runs one command. `args` excludes the program name. Returns the process exit code:
// 0 ok, 2 bad usage or input (the message names the argument), 1 any other failure.
int runCli(const std::vector<std::string>& args, CliEnv& env);

}  // namespace recourse::cli
