// A GoogleTest fixture for running the `recourse` command line in process: a private data
// directory, a fake clock, a fake environment and fake streams. Every CLI test derives from it.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.h"
#include "core/date.h"
#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"

namespace recourse::testing {

// The passphrase the harness puts in RECOURSE_PASSPHRASE.
inline constexpr char kPassphrase[] = "correct horse battery staple";

// `case add` options for the case most tests use: Dr. Ana Pérez, a California LMFT
// (license 12345), whose board is the Board of Behavioral Sciences.
inline const std::vector<std::string> kCaliforniaLmft = {
    "--provider-name",  "Dr. Ana Pérez", "--license-type", "LMFT",
    "--license-number", "12345",         "--jurisdiction", "us-ca"};

// What one command did: its exit code and everything it wrote.
struct CliResult {
  int code = -1;
  std::string out;
  std::string err;

  // Standard output (of a --json command) parsed as an object or an array.
  // REQUIRES: `out` holds JSON of that kind (Poco throws otherwise, failing the test).
  Poco::JSON::Object::Ptr json() const {
    Poco::JSON::Parser p;
    return p.parse(out).extract<Poco::JSON::Object::Ptr>();
  }
  Poco::JSON::Array::Ptr jsonArray() const {
    Poco::JSON::Parser p;
    return p.parse(out).extract<Poco::JSON::Array::Ptr>();
  }
  // The "id" of the record a --json command made or showed.
  std::string id() const { return json()->getValue<std::string>("id"); }
};

class CliHarness : public ::testing::Test {
 protected:
  using Result = CliResult;

  // Runs `recourse <args>` with --data-dir dataDir() in front; `stdin_text` is its input.
  Result cli(std::vector<std::string> args, const std::string& stdin_text = "") {
    return cliIn(dataDir(), std::move(args), stdin_text);
  }
  // The same with another data directory (a second computer, a restored backup).
  Result cliIn(const std::string& data_dir, std::vector<std::string> args,
               const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--data-dir", data_dir});
    return cliAsGiven(std::move(args), stdin_text);
  }
  // Runs `recourse <args>` exactly as given: no --data-dir added.
  Result cliAsGiven(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    std::istringstream in(stdin_text);
    std::ostringstream out;
    std::ostringstream err;
    recourse::cli::CliEnv env{in, out, err, vars_, clock_, nullptr};
    env.progress = progress_;
    env.interactive = interactive_;
    int code = recourse::cli::runCli(args, env);
    return {code, out.str(), err.str()};
  }

  // Makes the vault in dataDir() with the fast key derivation. Fails the test (fatally, for
  // ASSERT_NO_FATAL_FAILURE) when `init` does not succeed.
  void initVault() {
    Result r = cli({"init", "--kdf", "interactive"});
    ASSERT_EQ(r.code, 0) << r.err;
  }

  // Adds a client called `name` with these further `client add` options; returns its id.
  // On failure: a test failure and "".
  std::string addClient(const std::string& name, const std::vector<std::string>& options = {}) {
    std::vector<std::string> args = {"client", "add", "--name", name, "--json"};
    args.insert(args.end(), options.begin(), options.end());
    return idOfNew(cli(args));
  }

  // Adds a case for `client` with these `case add` options; returns its id.
  // On failure: a test failure and "".
  std::string addCase(const std::string& client,
                      const std::vector<std::string>& options = kCaliforniaLmft) {
    std::vector<std::string> args = {"case", "add", "--client", client, "--json"};
    args.insert(args.end(), options.begin(), options.end());
    return idOfNew(cli(args));
  }

  // Makes the vault, a client called `client_name` (with these further `client add` options)
  // and a case of theirs (with these `case add` options); their ids go to client_ and case_.
  // Fails the test (fatally, for ASSERT_NO_FATAL_FAILURE) at the first step that fails.
  void initVaultWithCase(const std::string& client_name,
                         const std::vector<std::string>& client_options = {},
                         const std::vector<std::string>& case_options = kCaliforniaLmft) {
    ASSERT_NO_FATAL_FAILURE(initVault());
    client_ = addClient(client_name, client_options);
    ASSERT_FALSE(client_.empty());
    case_ = addCase(client_, case_options);
    ASSERT_FALSE(case_.empty());
  }

  // Moves the fake clock (forward or back) to 09:00 UTC on that day.
  void setToday(int year, unsigned month, unsigned day) {
    core::Timestamp target(std::chrono::sys_days(core::Date(year, month, day).days()) +
                           std::chrono::hours(9));
    clock_.advance(std::chrono::duration_cast<std::chrono::seconds>(target - clock_.now()));
  }

  std::string dataDir() const { return tmp_.file("data"); }

  TempDir tmp_;
  FakeClock clock_;  // starts 2026-03-02 09:00 UTC
  // The process environment: the passphrase, and a home directory of the test's own.
  std::map<std::string, std::string> vars_{{"RECOURSE_PASSPHRASE", kPassphrase},
                                           {"HOME", tmp_.file("home")}};
  bool progress_ = false;     // as if standard error were a terminal
  bool interactive_ = false;  // as if standard input were a terminal
  std::string client_;        // set by initVaultWithCase
  std::string case_;

 private:
  static std::string idOfNew(const Result& r) {
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? r.id() : "";
  }
};

}  // namespace recourse::testing
