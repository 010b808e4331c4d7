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

// Migrations in ascending version order, for each engine. Both reach the same schema at
// each version: PostgreSQL's were written when that engine came in (at version 12), as one
// step that makes the whole schema, and move with SQLite's from then on.
const std::vector<Migration>& sqliteMigrations();
const std::vector<Migration>& postgresMigrations();
// Every table of records, in an order where each comes after the tables it refers to: what
// a move between engines copies.
const std::vector<std::string>& schemaTables();
// The tables of what is worked out from the records and made again when missing (the
// deadline digests, deadline_digests.h): not copied.
const std::vector<std::string>& derivedTables();
// The schema version this build writes.
int latestSchemaVersion();

}  // namespace recourse::store
