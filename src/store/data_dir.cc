#include "store/data_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace recourse::store {

core::StatusOr<std::string> defaultDataDir(const std::map<std::string, std::string>& env) {
  auto xdg = env.find("XDG_DATA_HOME");
  if (xdg != env.end() && !xdg->second.empty() && xdg->second.front() == '/') {
    return xdg->second + "/recourse";
  }
  auto home = env.find("HOME");
  if (home != env.end() && !home->second.empty()) {
    return home->second + "/.local/share/recourse";
  }
  return core::invalidArgument(
             "no home directory is known (HOME is not set); name a data directory")
      .withField("data_dir");
}

core::Status ensureDataDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) {
      return core::permissionDenied("cannot create the data directory " + dir + ": " +
                                    ec.message());
    }
    ::chmod(dir.c_str(), 0700);
  }
  if (!fs::is_directory(dir, ec)) {
    return core::invalidArgument(dir + " is not a directory").withField("data_dir");
  }
  if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return core::permissionDenied("the data directory " + dir +
                                  " cannot be written by this user; check its permissions");
  }
  return core::Status::ok();
}

std::string databasePath(const std::string& dir) { return dir + "/recourse.db"; }

}  // namespace recourse::store
