// Where Recourse keeps its data on disk, and making that place private.
#pragma once

#include <map>
#include <string>

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

}  // namespace recourse::store
