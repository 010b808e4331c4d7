#include "service/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace recourse::service {

core::Status writeFileAtomically(const std::string& path, const std::vector<std::uint8_t>& bytes,
                                 const std::string& what) {
  const std::string tmp = path + ".partial";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return core::ioError(what + ": cannot write: " + std::strerror(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fflush(f) == 0 && ok;
  const int saved = errno;
  ok = std::fclose(f) == 0 && ok;
  std::error_code ec;
  if (!ok) {
    std::filesystem::remove(tmp, ec);
    return core::ioError(what + ": writing failed (" + std::strerror(saved ? saved : errno) +
                         "); nothing was written");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);  // a failed rename leaves no .partial behind
    return core::ioError(what + ": cannot create it: " + why);
  }
  return core::Status::ok();
}

core::Status requireNewFile(const std::string& path, const std::string& field) {
  if (path.empty()) return core::Status::ok();
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return core::ioError("cannot check " + path + ": " + ec.message()).withField(field);
  }
  if (std::filesystem::exists(st)) {
    return core::invalidArgument(path + " already exists; choose a new file name").withField(field);
  }
  return core::Status::ok();
}

}  // namespace recourse::service
