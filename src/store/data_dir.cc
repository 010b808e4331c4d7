#include "store/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

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

bool isPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redactedUrl(std::string_view url) {
  std::string out(url);
  auto scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  auto at = out.find('@', scheme + 3);
  auto slash = out.find('/', scheme + 3);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // A password given as a parameter (?password=…) is hidden too.
  auto p = out.find("password=");
  if (p != std::string::npos) {
    auto end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

std::string organizationDatabaseFile(const std::string& dir) { return dir + "/database.url"; }

core::StatusOr<std::string> organizationDatabase(const std::string& dir) {
  const std::string path = organizationDatabaseFile(dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return core::ioError("cannot look at " + path + ": " + ec.message());
    }
    return std::string();
  }
  std::ifstream in(path);
  std::string url;
  if (!in || !std::getline(in, url)) {
    if (in.eof() && url.empty()) return std::string();
    return core::ioError("cannot read " + path);
  }
  while (!url.empty() && (url.back() == '\r' || url.back() == ' ')) url.pop_back();
  if (url.empty()) return std::string();
  if (!isPostgresUrl(url)) {
    return core::invalidArgument(path + " does not hold a PostgreSQL URL (postgresql://…)")
        .withField("database");
  }
  return url;
}

core::Status setOrganizationDatabase(const std::string& dir, const std::string& url) {
  const std::string path = organizationDatabaseFile(dir);
  if (url.empty()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) return core::ioError("cannot remove " + path + ": " + ec.message());
    return core::Status::ok();
  }
  if (!isPostgresUrl(url)) {
    return core::invalidArgument("give a PostgreSQL URL, postgresql://user@host:port/database")
        .withField("database");
  }
  // Written private from its first byte, then renamed into place.
  const std::string tmp = path + ".new";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::ioError("cannot write " + tmp + ": " + std::strerror(errno));
  const std::string line = url + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return core::ioError("cannot write " + path + ": " + std::strerror(errno));
  }
  return core::Status::ok();
}

}  // namespace recourse::store
