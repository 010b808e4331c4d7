// The store a repository or workflow test runs against. By default a fresh in-memory
// SQLite database. When RECOURSE_TEST_POSTGRES_FILE names a file holding a PostgreSQL URL
// (ctest's "pg." tests: tests/pg_fixture.sh starts a throwaway server and writes it), a
// fresh schema of its own in that database instead, so the same tests check both engines.
#pragma once

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace recourse::testing {

// The engine the tests of this process run against: "SQLite" or "PostgreSQL".
inline std::string testEngine() {
  const char* file = std::getenv("RECOURSE_TEST_POSTGRES_FILE");
  return file != nullptr && *file != 0 ? "PostgreSQL" : "SQLite";
}

// The test server's URL ("" without one).
inline std::string testServerUrl() {
  const char* file = std::getenv("RECOURSE_TEST_POSTGRES_FILE");
  if (file == nullptr || *file == 0) return {};
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

// The application_name the last store openTestStore opened on PostgreSQL connects with, so a
// test can find its connection among the server's (pg_stat_activity) and cut it off.
inline std::string& lastTestConnectionName() {
  static std::string name;
  return name;
}

inline core::StatusOr<std::unique_ptr<store::Store>> openTestStore(const core::Clock& clock) {
  const char* file = std::getenv("RECOURSE_TEST_POSTGRES_FILE");
  if (file == nullptr || *file == 0) return store::Store::openInMemory(clock);
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    return core::failedPrecondition(std::string("no PostgreSQL URL in ") + file +
                                    ": the test server did not start (tests/pg_fixture.sh)");
  }
  std::random_device rd;
  const std::string schema = "t" + std::to_string(rd()) + "_" + std::to_string(rd());
  lastTestConnectionName() = "recourse_" + schema;
  return store::Store::openPostgres(
      url + "?options=-csearch_path%3D" + schema + "&application_name=" + lastTestConnectionName(),
      clock);
}

}  // namespace recourse::testing
