// Versioned schema migrations. The schema version lives in SQLite's user_version. Opening
// a database runs every migration newer than its version, each in its own transaction; a
// database written by a newer Recourse is refused and left untouched.
#pragma once

#include <string>
#include <vector>

namespace recourse::store {

struct Migration {
  int version;
  std::vector<std::string> statements;
};

// Migrations in ascending version order.
const std::vector<Migration>& migrations();
// The schema version this build writes.
int latestSchemaVersion();

}  // namespace recourse::store
