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
    std::filesystem::remove(tmp, ec);
    return core::ioError(what + ": cannot create it: " + ec.message());
  }
  return core::Status::ok();
}

}  // namespace recourse::service
