#include "store/archive.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace recourse::store {
namespace {

constexpr char kMagic[] = "RECOURSE-EXPORT\n";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;
constexpr std::uint8_t kFormatVersion = 1;
constexpr size_t kHeaderSize = kMagicSize + 1 + 8 + 8 + kSaltSize;
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxArchive = size_t{4} << 30;  // 4 GiB

void putU64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint64_t getU64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
void putU32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint32_t getU32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

}  // namespace

core::Status exportArchive(Store& store, std::string_view passphrase, const KdfParams& params,
                           const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::exists(path)) {
    return core::conflict("--out: " + path + " already exists; choose a new file name");
  }
  auto snapshot = store.serialize();
  if (!snapshot.isOk()) return snapshot.status();

  Bytes out;
  out.insert(out.end(), kMagic, kMagic + kMagicSize);
  out.push_back(kFormatVersion);
  putU64(out, params.opslimit);
  putU64(out, params.memlimit);
  Bytes salt = randomBytes(kSaltSize);
  out.insert(out.end(), salt.begin(), salt.end());
  auto key = deriveKey(passphrase, salt, params);
  if (!key.isOk()) return key.status();

  crypto_secretstream_xchacha20poly1305_state st;
  std::uint8_t header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key->data());
  out.insert(out.end(), header, header + sizeof header);

  const Bytes& plain = *snapshot;
  size_t pos = 0;
  bool first = true;
  do {
    size_t n = std::min(kChunk, plain.size() - pos);
    bool last = pos + n == plain.size();
    Bytes c(n + crypto_secretstream_xchacha20poly1305_ABYTES);
    crypto_secretstream_xchacha20poly1305_push(
        &st, c.data(), nullptr, plain.data() + pos, n, first ? out.data() : nullptr,
        first ? kHeaderSize : 0, last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    putU32(out, static_cast<std::uint32_t>(c.size()));
    out.insert(out.end(), c.begin(), c.end());
    pos += n;
    first = false;
  } while (pos < plain.size());
  sodium_memzero(&st, sizeof st);

  std::string tmp = path + ".partial";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return core::ioError("--out: cannot write " + tmp + ": " + std::strerror(errno));
    f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    f.flush();
    if (!f) {
      f.close();
      fs::remove(tmp);
      return core::ioError("--out: writing " + tmp + " failed (is the disk full?)");
    }
  }
  ::chmod(tmp.c_str(), 0600);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp);
    return core::ioError("--out: cannot create " + path + ": " + ec.message());
  }
  return core::Status::ok();
}

core::StatusOr<std::unique_ptr<Store>> readArchive(const std::string& path,
                                                   std::string_view passphrase,
                                                   const core::Clock& clock) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return core::notFound("no export file at " + path);
  auto size = fs::file_size(path, ec);
  if (ec || size > kMaxArchive) return core::invalidArgument(path + ": too large for an export");
  Bytes in(size);
  {
    std::ifstream f(path, std::ios::binary);
    if (!f) return core::ioError("cannot read " + path);
    f.read(reinterpret_cast<char*>(in.data()), static_cast<std::streamsize>(size));
    if (!f) return core::ioError("cannot read " + path);
  }
  const size_t hdr = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  if (in.size() < kHeaderSize + hdr || std::memcmp(in.data(), kMagic, kMagicSize) != 0) {
    return core::invalidArgument(path + " is not a Recourse export file");
  }
  if (in[kMagicSize] != kFormatVersion) {
    return core::failedPrecondition(path + " uses export format " + std::to_string(in[kMagicSize]) +
                                    ", which this version of Recourse does not know");
  }
  KdfParams params{getU64(in.data() + kMagicSize + 1), getU64(in.data() + kMagicSize + 9)};
  Bytes salt(in.begin() + kMagicSize + 17, in.begin() + kHeaderSize);
  auto key = deriveKey(passphrase, salt, params);
  if (!key.isOk()) return key.status().withContext(path);

  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, in.data() + kHeaderSize, key->data()) !=
      0) {
    return core::corruption(path + ": the export header is damaged");
  }
  Bytes plain;
  size_t pos = kHeaderSize + hdr;
  bool first = true;
  bool final_seen = false;
  const std::string refused =
      "that passphrase does not open " + path + ", or the file was altered; nothing was imported";
  while (pos < in.size()) {
    if (final_seen || in.size() - pos < 4) return core::unauthenticated(refused);
    std::uint32_t clen = getU32(in.data() + pos);
    pos += 4;
    if (clen < crypto_secretstream_xchacha20poly1305_ABYTES || clen > in.size() - pos) {
      return core::unauthenticated(refused);
    }
    size_t old = plain.size();
    plain.resize(old + clen - crypto_secretstream_xchacha20poly1305_ABYTES);
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &st, plain.data() + old, nullptr, &tag, in.data() + pos, clen,
            first ? in.data() : nullptr, first ? kHeaderSize : 0) != 0) {
      sodium_memzero(plain.data(), plain.size());
      return core::unauthenticated(refused);
    }
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    pos += clen;
    first = false;
  }
  if (!final_seen) return core::unauthenticated(path + " is truncated; nothing was imported");
  auto store = Store::fromSnapshot(plain, clock);
  if (!store.isOk()) return store.status().withContext(path);
  core::Status s = (*store)->unlock(passphrase);
  if (!s.isOk()) return s.withContext(path);
  return store;
}

}  // namespace recourse::store
