#include "store/archive.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
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

// Plain bytes in, encrypted chunks out to `f`: a chunk is pushed only once a byte after it
// is known to exist, so that the last one, and only it, carries the FINAL tag.
class ChunkWriter {
 public:
  ChunkWriter(std::FILE* f, const SecretKey& key, const Bytes& file_header)
      : f_(f), header_(file_header) {
    std::uint8_t h[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&st_, h, key.data());
    ok_ = std::fwrite(h, 1, sizeof h, f_) == sizeof h;
    plain_.reserve(kChunk);
    cipher_.resize(4 + kChunk + crypto_secretstream_xchacha20poly1305_ABYTES);
  }
  ~ChunkWriter() {
    sodium_memzero(&st_, sizeof st_);
    if (!plain_.empty()) sodium_memzero(plain_.data(), plain_.size());
  }
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  void add(const std::uint8_t* p, size_t n) {
    while (n > 0 && ok_) {
      if (plain_.size() == kChunk) push(false);
      const size_t take = std::min(n, kChunk - plain_.size());
      plain_.insert(plain_.end(), p, p + take);
      p += take;
      n -= take;
    }
  }
  // Pushes what is left as the last chunk. False when a write failed.
  bool finish() {
    if (ok_) push(true);
    return ok_ && std::fflush(f_) == 0;
  }

 private:
  void push(bool last) {
    const size_t clen = plain_.size() + crypto_secretstream_xchacha20poly1305_ABYTES;
    cipher_[0] = static_cast<std::uint8_t>(clen);
    cipher_[1] = static_cast<std::uint8_t>(clen >> 8);
    cipher_[2] = static_cast<std::uint8_t>(clen >> 16);
    cipher_[3] = static_cast<std::uint8_t>(clen >> 24);
    crypto_secretstream_xchacha20poly1305_push(
        &st_, cipher_.data() + 4, nullptr, plain_.data(), plain_.size(),
        first_ ? header_.data() : nullptr, first_ ? header_.size() : 0,
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    first_ = false;
    ok_ = std::fwrite(cipher_.data(), 1, 4 + clen, f_) == 4 + clen;
    sodium_memzero(plain_.data(), plain_.size());
    plain_.clear();
  }

  std::FILE* f_;
  const Bytes& header_;
  crypto_secretstream_xchacha20poly1305_state st_{};
  Bytes plain_;
  Bytes cipher_;
  bool first_ = true;
  bool ok_ = true;
};

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

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
  // The size it will have, checked before anything is written: every chunk adds a 4-byte
  // length and a tag.
  std::uint64_t plain_size = 8 + snapshot->size() + 4;
  std::vector<std::uint64_t> sizes;
  for (const auto& f : files) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    if (ec) return core::ioError(f.string() + ": cannot be read for the export");
    sizes.push_back(size);
    plain_size += 2 + f.filename().string().size() + 8 + size;
  }
  const std::uint64_t file_size =
      kHeaderSize + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
      (plain_size / kChunk + 1) * (4 + crypto_secretstream_xchacha20poly1305_ABYTES) + plain_size;
  if (file_size > kMaxArchive) {
    return core::invalidArgument(
        "the vault with its evidence is larger than an export can hold (4 GiB)");
  }

  Bytes header(kMagic, kMagic + kMagicSize);
  header.reserve(kHeaderSize);
  header.push_back(kFormatVersion);
  putU64(header, params.opslimit);
  putU64(header, params.memlimit);
  Bytes salt = randomBytes(kSaltSize);
  header.insert(header.end(), salt.begin(), salt.end());
  auto key = deriveKey(passphrase, salt, params);
  if (!key.isOk()) return key.status();

  // Written as it is made, to a private file beside the target, renamed into place at the
  // end: a failed export leaves nothing.
  const std::string tmp = path + ".partial";
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return core::ioError(why).withField("out");
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return core::ioError("cannot write " + tmp + ": " + std::strerror(errno)).withField("out");
  File out(::fdopen(fd, "wb"));
  if (!out) {
    ::close(fd);
    return fail("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (std::fwrite(header.data(), 1, header.size(), out.get()) != header.size()) {
    out.reset();
    return fail("writing " + tmp + " failed (is the disk full?)");
  }
  bool ok = true;
  {
    ChunkWriter w(out.get(), *key, header);
    Bytes small;
    putU64(small, snapshot->size());
    w.add(small.data(), small.size());
    w.add(snapshot->data(), snapshot->size());
    small.clear();
    putU32(small, static_cast<std::uint32_t>(files.size()));
    w.add(small.data(), small.size());
    Bytes buf(kChunk);
    for (size_t i = 0; i < files.size() && ok; ++i) {
      const std::string name = files[i].filename().string();
      small.clear();
      small.push_back(static_cast<std::uint8_t>(name.size() & 0xFF));
      small.push_back(static_cast<std::uint8_t>(name.size() >> 8));
      small.insert(small.end(), name.begin(), name.end());
      putU64(small, sizes[i]);
      w.add(small.data(), small.size());
      File in(std::fopen(files[i].c_str(), "rb"));
      std::uint64_t left = sizes[i];
      while (in && left > 0) {
        const size_t n =
            std::fread(buf.data(), 1, std::min<std::uint64_t>(buf.size(), left), in.get());
        if (n == 0) break;
        w.add(buf.data(), n);
        left -= n;
      }
      if (!in || left != 0) {
        out.reset();
        return fail(files[i].string() + ": cannot be read for the export (did it change?)");
      }
    }
    ok = w.finish();
  }
  if (!ok || std::fflush(out.get()) != 0 || ::fsync(::fileno(out.get())) != 0) {
    out.reset();
    return fail("writing " + tmp + " failed (is the disk full?)");
  }
  out.reset();
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    return fail("cannot create " + path + ": " + why);
  }
  return core::Status::ok();
}

namespace {

// An export file's decrypted contents, read a piece at a time: each chunk is checked as it
// is opened, and the content ends only at the chunk with the FINAL tag.
class ChunkReader {
 public:
  ChunkReader(std::FILE* f, std::uint64_t file_size, std::uint64_t pos, const Bytes& file_header,
              crypto_secretstream_xchacha20poly1305_state* st,
              std::function<core::Status(bool opened)> damaged,
              std::function<core::Status()> cut_short)
      : f_(f),
        size_(file_size),
        pos_(pos),
        header_(file_header),
        st_(st),
        damaged_(std::move(damaged)),
        cut_short_(std::move(cut_short)) {}
  ~ChunkReader() {
    if (!plain_.empty()) sodium_memzero(plain_.data(), plain_.size());
  }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // Exactly n bytes, to `out` (n at a time, in pieces) or dropped when out is null.
  core::Status take(std::uint64_t n,
                    const std::function<core::Status(const std::uint8_t*, size_t)>& out) {
    while (n > 0) {
      if (at_ == plain_.size()) RECOURSE_RETURN_IF_ERROR(next());
      const size_t k = static_cast<size_t>(std::min<std::uint64_t>(n, plain_.size() - at_));
      if (out) RECOURSE_RETURN_IF_ERROR(out(plain_.data() + at_, k));
      at_ += k;
      n -= k;
    }
    return core::Status::ok();
  }
  core::Status takeInto(std::uint8_t* dst, size_t n) {
    return take(n, [&dst](const std::uint8_t* p, size_t k) {
      std::memcpy(dst, p, k);
      dst += k;
      return core::Status::ok();
    });
  }
  // After the last field: nothing may be left, and the stream must have ended.
  core::Status finish(const std::string& damaged_inside) {
    if (at_ != plain_.size()) return core::corruption(damaged_inside);
    while (!final_seen_) {
      RECOURSE_RETURN_IF_ERROR(next());
      if (!plain_.empty()) return core::corruption(damaged_inside);
    }
    if (pos_ != size_) return damaged_(true);  // something after the end
    return core::Status::ok();
  }
  // Everything up to the end of the stream (an export of format 1: the snapshot alone).
  core::Status takeRest(const ByteSink& out) {
    for (;;) {
      if (at_ < plain_.size()) {
        RECOURSE_RETURN_IF_ERROR(out(plain_.data() + at_, plain_.size() - at_));
        at_ = plain_.size();
      }
      if (final_seen_) return core::Status::ok();
      RECOURSE_RETURN_IF_ERROR(next());
    }
  }

 private:
  core::Status next() {
    if (final_seen_) return core::corruption("the export's contents end early");
    if (size_ - pos_ < 4) return cut_short_();
    std::uint8_t len[4];
    if (std::fread(len, 1, 4, f_) != 4) return cut_short_();
    pos_ += 4;
    const std::uint32_t clen = getU32(len);
    if (clen < crypto_secretstream_xchacha20poly1305_ABYTES) return damaged_(!first_);
    if (clen > size_ - pos_) return cut_short_();
    if (clen > kChunk + crypto_secretstream_xchacha20poly1305_ABYTES) return damaged_(!first_);
    cipher_.resize(clen);
    if (std::fread(cipher_.data(), 1, clen, f_) != clen) return cut_short_();
    pos_ += clen;
    plain_.resize(clen - crypto_secretstream_xchacha20poly1305_ABYTES);
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            st_, plain_.data(), nullptr, &tag, cipher_.data(), clen,
            first_ ? header_.data() : nullptr, first_ ? header_.size() : 0) != 0) {
      sodium_memzero(plain_.data(), plain_.size());
      plain_.clear();
      at_ = 0;
      return damaged_(!first_);
    }
    first_ = false;
    final_seen_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    at_ = 0;
    return core::Status::ok();
  }

  std::FILE* f_;
  std::uint64_t size_;
  std::uint64_t pos_;
  const Bytes& header_;
  crypto_secretstream_xchacha20poly1305_state* st_;
  std::function<core::Status(bool opened)> damaged_;
  std::function<core::Status()> cut_short_;
  Bytes cipher_;
  Bytes plain_;
  size_t at_ = 0;
  bool first_ = true;
  bool final_seen_ = false;
};

}  // namespace

core::Status streamArchive(const std::string& path, std::string_view passphrase,
                           const ArchiveOutput& output) {
  namespace fs = std::filesystem;
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return core::notFound("no export file at " + path);
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec || size > kMaxArchive) return core::invalidArgument(path + ": too large for an export");
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return core::ioError("cannot read " + path);
  const size_t hdr = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  Bytes header(kHeaderSize);
  std::uint8_t stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  if (size < kHeaderSize + hdr ||
      std::fread(header.data(), 1, kHeaderSize, f.get()) != kHeaderSize ||
      std::memcmp(header.data(), kMagic, kMagicSize) != 0 ||
      std::fread(stream_header, 1, hdr, f.get()) != hdr) {
    return core::invalidArgument(path + " is not a Recourse export file");
  }
  const std::uint8_t version = header[kMagicSize];
  if (version != 1 && version != kFormatVersion) {
    return core::failedPrecondition(path + " uses export format " + std::to_string(version) +
                                    ", which this version of Recourse does not know");
  }
  const std::string refused =
      "that passphrase does not open " + path + ", or the file was altered; nothing was imported";
  auto cutShort = [&]() {
    return core::corruption(path +
                            " is cut short: the file ends before its contents do (it may not "
                            "have finished copying); nothing was imported")
        .withReason("cut_short");
  };
  // The chunks' own lengths first: a file that ends inside one is cut short, which is told
  // before any key is tried.
  {
    std::uint64_t at = kHeaderSize + hdr;
    std::uint8_t len[4];
    while (at < size) {
      if (size - at < 4 || std::fseek(f.get(), static_cast<long>(at), SEEK_SET) != 0 ||
          std::fread(len, 1, 4, f.get()) != 4) {
        return cutShort();
      }
      at += 4;
      const std::uint32_t clen = getU32(len);
      if (clen > size - at) return cutShort();
      at += clen;
    }
    if (std::fseek(f.get(), static_cast<long>(kHeaderSize + hdr), SEEK_SET) != 0) {
      return core::ioError("cannot read " + path);
    }
  }
  KdfParams params{getU64(header.data() + kMagicSize + 1), getU64(header.data() + kMagicSize + 9)};
  Bytes salt(header.begin() + kMagicSize + 17, header.begin() + kHeaderSize);
  auto key = deriveKey(passphrase, salt, params);
  if (!key.isOk()) return key.status().withContext(path);
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, stream_header, key->data()) != 0) {
    return core::corruption(path + ": the export header is damaged");
  }
  // Until the first chunk opens, a wrong passphrase and an altered file look alike; once it
  // has, the passphrase is right and anything wrong after is damage.
  auto damaged = [&](bool opened) {
    return !opened ? core::unauthenticated(refused)
                   : core::corruption(path +
                                      " is damaged: the passphrase opens it, but part of it was "
                                      "changed or lost; nothing was imported")
                         .withReason("damaged");
  };
  ChunkReader in(f.get(), size, kHeaderSize + hdr, header, &st, damaged, cutShort);
  // The content authenticated, so a bad length inside means a writer's bug, not tampering;
  // it is still refused cleanly.
  const std::string inside = path + ": the export's contents are damaged";
  core::Status result = [&]() -> core::Status {
    if (version == 1) {
      // The snapshot alone, as long as the stream (its size is not said before it).
      RECOURSE_ASSIGN_OR_RETURN(ByteSink sink, output.open("", 0));
      RECOURSE_RETURN_IF_ERROR(in.takeRest(sink));
      RECOURSE_RETURN_IF_ERROR(sink(nullptr, 0));
      return in.finish(inside);
    }
    std::uint8_t num[8];
    RECOURSE_RETURN_IF_ERROR(in.takeInto(num, 8));
    const std::uint64_t db_len = getU64(num);
    if (db_len > kMaxArchive) return core::corruption(inside);
    {
      RECOURSE_ASSIGN_OR_RETURN(ByteSink sink, output.open("", db_len));
      RECOURSE_RETURN_IF_ERROR(in.take(db_len, sink));
      RECOURSE_RETURN_IF_ERROR(sink(nullptr, 0));
    }
    RECOURSE_RETURN_IF_ERROR(in.takeInto(num, 4));
    const std::uint32_t count = getU32(num);
    for (std::uint32_t i = 0; i < count; ++i) {
      RECOURSE_RETURN_IF_ERROR(in.takeInto(num, 2));
      const size_t name_len = num[0] | (static_cast<size_t>(num[1]) << 8);
      std::string name(name_len, '\0');
      RECOURSE_RETURN_IF_ERROR(in.takeInto(reinterpret_cast<std::uint8_t*>(name.data()), name_len));
      RECOURSE_RETURN_IF_ERROR(in.takeInto(num, 8));
      const std::uint64_t len = getU64(num);
      if (len > kMaxArchive || name.empty() || name.find('/') != std::string::npos ||
          name.find("..") != std::string::npos || name.find('\0') != std::string::npos) {
        return core::corruption(inside);
      }
      RECOURSE_ASSIGN_OR_RETURN(ByteSink sink, output.open(name, len));
      RECOURSE_RETURN_IF_ERROR(in.take(len, sink));
      RECOURSE_RETURN_IF_ERROR(sink(nullptr, 0));
    }
    return in.finish(inside);
  }();
  sodium_memzero(&st, sizeof st);
  return result;
}

core::StatusOr<std::unique_ptr<Store>> readArchive(const std::string& path,
                                                   std::string_view passphrase,
                                                   const core::Clock& clock,
                                                   std::vector<ArchiveFile>* evidence) {
  Bytes db;
  std::vector<ArchiveFile> files;
  ArchiveOutput output;
  output.open = [&](std::string_view name, std::uint64_t) -> core::StatusOr<ByteSink> {
    Bytes* to = &db;
    if (!name.empty()) {
      files.push_back(ArchiveFile{std::string(name), {}});
      to = &files.back().bytes;
    }
    return ByteSink([to](const std::uint8_t* p, size_t n) {
      if (p != nullptr) to->insert(to->end(), p, p + n);
      return core::Status::ok();
    });
  };
  RECOURSE_RETURN_IF_ERROR(streamArchive(path, passphrase, output));
  auto store = Store::fromSnapshot(db, clock);
  if (!store.isOk()) return store.status().withContext(path);
  core::Status s = (*store)->unlock(passphrase);
  if (!s.isOk()) return s.withContext(path);
  if (evidence != nullptr) *evidence = std::move(files);
  return store;
}

}  // namespace recourse::store
