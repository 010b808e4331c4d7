#include "store/archive.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace recourse::store {
namespace {

constexpr char kMagic[] = "RECOURSE-EXPORT\n";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;
constexpr std::uint8_t kFormatVersion = 2;
constexpr size_t kHeaderSize = kMagicSize + 1 + 8 + 8 + kSaltSize;
constexpr size_t kChunk = size_t{64} * 1024;
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
                           const std::string& path, const std::string& evidence_dir) {
  namespace fs = std::filesystem;
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  if (fs::exists(path)) {
    return core::conflict(path + " already exists; choose a new file name").withField("out");
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

  Bytes plain;
  putU64(plain, snapshot->size());
  plain.insert(plain.end(), snapshot->begin(), snapshot->end());
  std::vector<fs::path> files;
  std::error_code dir_ec;
  if (!evidence_dir.empty() && fs::is_directory(evidence_dir, dir_ec)) {
    for (const auto& e : fs::directory_iterator(evidence_dir, dir_ec)) {
      if (e.is_regular_file(dir_ec) && e.path().extension() == ".sealed") {
        files.push_back(e.path());
      }
    }
    if (dir_ec) return core::ioError(evidence_dir + ": cannot be read: " + dir_ec.message());
  }
  std::sort(files.begin(), files.end());
  putU32(plain, static_cast<std::uint32_t>(files.size()));
  for (const auto& f : files) {
    std::string name = f.filename().string();
    plain.push_back(static_cast<std::uint8_t>(name.size() & 0xFF));
    plain.push_back(static_cast<std::uint8_t>(name.size() >> 8));
    plain.insert(plain.end(), name.begin(), name.end());
    std::ifstream in(f, std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), {});
    if (!in && !in.eof()) return core::ioError(f.string() + ": cannot be read for the export");
    putU64(plain, bytes.size());
    plain.insert(plain.end(), bytes.begin(), bytes.end());
    // The file adds a 4-byte length and a tag to every chunk; import checks its size.
    const size_t file_size =
        kHeaderSize + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
        (plain.size() / kChunk + 1) * (4 + crypto_secretstream_xchacha20poly1305_ABYTES) +
        plain.size();
    if (file_size > kMaxArchive) {
      return core::invalidArgument(
          "the vault with its evidence is larger than an export can hold (4 GiB)");
    }
  }
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
    if (!f) {
      return core::ioError("cannot write " + tmp + ": " + std::strerror(errno)).withField("out");
    }
    f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    f.flush();
    if (!f) {
      f.close();
      fs::remove(tmp);
      return core::ioError("writing " + tmp + " failed (is the disk full?)").withField("out");
    }
  }
  ::chmod(tmp.c_str(), 0600);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp);
    return core::ioError("cannot create " + path + ": " + ec.message()).withField("out");
  }
  return core::Status::ok();
}

core::StatusOr<std::unique_ptr<Store>> readArchive(const std::string& path,
                                                   std::string_view passphrase,
                                                   const core::Clock& clock,
                                                   std::vector<ArchiveFile>* evidence) {
  namespace fs = std::filesystem;
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
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
  const std::uint8_t version = in[kMagicSize];
  if (version != 1 && version != kFormatVersion) {
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
  // Until the first chunk opens, a wrong passphrase and an altered file look alike; once it
  // has, the passphrase is right and anything wrong after is damage. A file that ends
  // before its own lengths say is cut short, whatever the passphrase.
  const std::string refused =
      "that passphrase does not open " + path + ", or the file was altered; nothing was imported";
  auto damaged = [&]() {
    return first ? core::unauthenticated(refused)
                 : core::corruption(path +
                                    " is damaged: the passphrase opens it, but part of it was "
                                    "changed or lost; nothing was imported")
                       .withReason("damaged");
  };
  auto cutShort = [&]() {
    return core::corruption(path +
                            " is cut short: the file ends before its contents do (it may not "
                            "have finished copying); nothing was imported")
        .withReason("cut_short");
  };
  // The chunks' own lengths first: a file that ends inside one is cut short, which is told
  // before any key is tried.
  for (size_t at = pos; at < in.size();) {
    if (in.size() - at < 4) return cutShort();
    const std::uint32_t len = getU32(in.data() + at);
    at += 4;
    if (len > in.size() - at) return cutShort();
    at += len;
  }
  while (pos < in.size()) {
    if (final_seen) return damaged();  // something after the end
    if (in.size() - pos < 4) return cutShort();
    std::uint32_t clen = getU32(in.data() + pos);
    pos += 4;
    if (clen < crypto_secretstream_xchacha20poly1305_ABYTES) return damaged();
    if (clen > in.size() - pos) return cutShort();
    size_t old = plain.size();
    plain.resize(old + clen - crypto_secretstream_xchacha20poly1305_ABYTES);
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &st, plain.data() + old, nullptr, &tag, in.data() + pos, clen,
            first ? in.data() : nullptr, first ? kHeaderSize : 0) != 0) {
      sodium_memzero(plain.data(), plain.size());
      return damaged();
    }
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    pos += clen;
    first = false;
  }
  if (!final_seen) return cutShort();
  if (version >= 2) {
    // The snapshot, then the evidence files. The content authenticated, so a bad length
    // here means a writer's bug, not tampering; it is still refused cleanly.
    const std::string damaged = path + ": the export's contents are damaged";
    if (plain.size() < 8) return core::corruption(damaged);
    std::uint64_t db_len = getU64(plain.data());
    if (db_len > plain.size() - 8) return core::corruption(damaged);
    size_t at = 8 + db_len;
    if (plain.size() - at < 4) return core::corruption(damaged);
    std::uint32_t count = getU32(plain.data() + at);
    at += 4;
    std::vector<ArchiveFile> files;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (plain.size() - at < 2) return core::corruption(damaged);
      size_t name_len = plain[at] | (static_cast<size_t>(plain[at + 1]) << 8);
      at += 2;
      if (plain.size() - at < name_len + 8) return core::corruption(damaged);
      ArchiveFile f;
      f.name.assign(reinterpret_cast<const char*>(plain.data() + at), name_len);
      at += name_len;
      std::uint64_t len = getU64(plain.data() + at);
      at += 8;
      if (len > plain.size() - at || f.name.find('/') != std::string::npos ||
          f.name.find("..") != std::string::npos) {
        return core::corruption(damaged);
      }
      f.bytes.assign(plain.begin() + static_cast<long>(at),
                     plain.begin() + static_cast<long>(at + len));
      at += len;
      files.push_back(std::move(f));
    }
    plain.resize(8 + db_len);
    plain.erase(plain.begin(), plain.begin() + 8);
    if (evidence != nullptr) *evidence = std::move(files);
  }
  auto store = Store::fromSnapshot(plain, clock);
  if (!store.isOk()) return store.status().withContext(path);
  core::Status s = (*store)->unlock(passphrase);
  if (!s.isOk()) return s.withContext(path);
  return store;
}

}  // namespace recourse::store
