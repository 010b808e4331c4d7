// Where Recourse keeps its data on disk, and making that place private.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace recourse::store {

// The default data directory: $XDG_DATA_HOME/recourse, else $HOME/.local/share/recourse.
// `env` is the process environment (injected so tests can choose). InvalidArgument about
// the field "data_dir" when neither is set: the caller must name one.
core::StatusOr<std::string> defaultDataDir(const std::map<std::string, std::string>& env);

// Creates `dir` (and parents) if missing with mode 0700 and checks it is a writable
// directory. On failure: PermissionDenied or IOError naming the directory and the reason,
// InvalidArgument about the field "data_dir" when it is not a directory.
core::Status ensureDataDir(const std::string& dir);

// The database file inside a data directory.
std::string databasePath(const std::string& dir);

// True when `location` names a PostgreSQL database ("postgresql://…" or "postgres://…").
bool isPostgresUrl(std::string_view location);
// The URL with any password replaced by "***", for messages.
std::string redactedUrl(std::string_view url);

// A data directory may point at an organization's PostgreSQL database instead of keeping
// its records in its own file: this file in it holds the database's URL (one line; private,
// mode 0600, as a URL may carry a password). Evidence files and everything else stay in the
// directory.
std::string organizationDatabaseFile(const std::string& dir);
// The URL the data directory points at, or "" when it keeps its own SQLite file. IOError
// when the file is there but cannot be read; InvalidArgument about "database" when it does
// not hold a PostgreSQL URL.
core::StatusOr<std::string> organizationDatabase(const std::string& dir);
// Points the data directory at `url` (a PostgreSQL URL; InvalidArgument about "database"
// otherwise), or back at its own file when `url` is "". The directory must exist.
core::Status setOrganizationDatabase(const std::string& dir, const std::string& url);

}  // namespace recourse::store
