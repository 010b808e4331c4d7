// Helpers shared by the fuzz targets.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace recourse::fuzz {

// A file that holds the current input, for the readers that only take a path. It lives in
// /dev/shm (memory, so a million inputs do not wear a disk) under a name of its own per
// process, is rewritten for every input, and is removed when the process exits.
class InputFile {
 public:
  explicit InputFile(const std::string& what)
      : path_("/dev/shm/recourse-fuzz-" + what + "-" + std::to_string(::getpid())) {}
  ~InputFile() { std::remove(path_.c_str()); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Writes the bytes; aborts when it cannot, since every later input would then be a
  // false finding.
  const std::string& write(const std::uint8_t* data, size_t size) {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (size != 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    if (std::fclose(f) != 0) std::abort();
    return path_;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string text(const std::uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// The file name a data file's "id" says it must have ("us-ca" -> "us-ca.json"): the loaders
// refuse a file whose id and name differ, so naming every input alike would stop each one
// there. Found by a plain text search for the first "id" member, not a JSON parse.
inline std::string fileNameFromId(const std::string& text) {
  const std::string key = "\"id\"";
  size_t at = text.find(key);
  if (at == std::string::npos) return "fuzz.json";
  at = text.find('"', text.find(':', at + key.size()) + 1);
  if (at == std::string::npos) return "fuzz.json";
  const size_t end = text.find('"', at + 1);
  if (end == std::string::npos) return "fuzz.json";
  return text.substr(at + 1, end - at - 1) + ".json";
}

}  // namespace recourse::fuzz
