#include "store/crypto.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

namespace recourse::store {
namespace {
constexpr std::uint8_t kSealVersion = 1;
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

Bytes sealRaw(const SecretKey& key, const std::uint8_t* msg, size_t len, std::string_view ad) {
  Bytes out(1 + kNonce + len + kTag);
  out[0] = kSealVersion;
  randombytes_buf(out.data() + 1, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + 1 + kNonce, &clen, msg, len,
                                             reinterpret_cast<const unsigned char*>(ad.data()),
                                             ad.size(), nullptr, out.data() + 1, key.data());
  return out;
}

// Decrypts into `out` (which must hold sealed.size() - overhead bytes).
bool openRaw(const SecretKey& key, const Bytes& sealed, std::string_view ad, std::uint8_t* out) {
  if (sealed.size() < 1 + kNonce + kTag || sealed[0] != kSealVersion) return false;
  unsigned long long mlen = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             out, &mlen, nullptr, sealed.data() + 1 + kNonce, sealed.size() - 1 - kNonce,
             reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), sealed.data() + 1,
             key.data()) == 0;
}
}  // namespace

bool cryptoInit() { return sodium_init() >= 0; }

SecretKey::SecretKey() {
  data_ = static_cast<std::uint8_t*>(sodium_malloc(kSize));
  if (data_ == nullptr) throw std::bad_alloc();
  sodium_memzero(data_, kSize);
}
SecretKey::~SecretKey() {
  if (data_ != nullptr) sodium_free(data_);  // sodium_free zeroes before releasing
}
SecretKey::SecretKey(SecretKey&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
  }
  return *this;
}
SecretKey SecretKey::random() {
  SecretKey k;
  randombytes_buf(k.data(), kSize);
  return k;
}

SecretKey SecretKey::copy() const {
  SecretKey k;
  std::memcpy(k.data(), data_, kSize);
  return k;
}

core::StatusOr<KdfParams> kdfParamsNamed(std::string_view name) {
  if (name == "interactive") {
    return KdfParams{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
  }
  if (name == "moderate") {
    return KdfParams{crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  }
  if (name == "sensitive") {
    return KdfParams{crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
  }
  return core::invalidArgument("\"" + std::string(name.substr(0, 20)) +
                               "\" is not one of interactive, moderate, sensitive")
      .withField("kdf");
}

core::StatusOr<SecretKey> deriveKey(std::string_view passphrase, const Bytes& salt,
                                    const KdfParams& params) {
  if (salt.size() != crypto_pwhash_SALTBYTES) {
    return core::corruption("the stored key-derivation salt has the wrong size");
  }
  // Parameters come from files a stranger could hand us: never above "sensitive", so a
  // crafted file cannot make us spin or allocate without bound.
  if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      params.opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      params.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
      params.memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    return core::corruption("the stored key-derivation parameters are out of range");
  }
  SecretKey key;
  if (crypto_pwhash(key.data(), SecretKey::kSize, passphrase.data(), passphrase.size(), salt.data(),
                    params.opslimit, static_cast<size_t>(params.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::resourceExhausted("not enough memory to derive the vault key (Argon2id needs " +
                                   std::to_string(params.memlimit >> 20) + " MiB)");
  }
  return key;
}

Bytes seal(const SecretKey& key, std::string_view plaintext, std::string_view ad) {
  return sealRaw(key, reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size(),
                 ad);
}

namespace {

// "record in_… is damaged: its summary (incidents)" for the associated data
// "recourse/v1/incidents/summary/in_…"; the associated data as it is otherwise.
std::string damagedRecord(std::string_view ad) {
  const std::string_view prefix = "recourse/v1/";
  if (ad.substr(0, prefix.size()) == prefix) {
    const std::string_view rest = ad.substr(prefix.size());
    const size_t a = rest.find('/');
    const size_t b = a == std::string_view::npos ? a : rest.find('/', a + 1);
    if (b != std::string_view::npos && rest.find('/', b + 1) == std::string_view::npos) {
      return "record " + std::string(rest.substr(b + 1)) + " is damaged: its " +
             std::string(rest.substr(a + 1, b - a - 1)) + " (" + std::string(rest.substr(0, a)) +
             ")";
    }
  }
  return "the sealed value " + std::string(ad) + " is damaged";
}

}  // namespace

core::StatusOr<std::string> open(const SecretKey& key, const Bytes& sealed, std::string_view ad) {
  if (sealed.size() < 1 + kNonce + kTag) {
    return core::corruption(damagedRecord(ad) + " is cut short");
  }
  std::string out(sealed.size() - 1 - kNonce - kTag, '\0');
  if (!openRaw(key, sealed, ad, reinterpret_cast<std::uint8_t*>(out.data()))) {
    return core::corruption(damagedRecord(ad) +
                            " does not open with this vault's key: it was changed outside "
                            "Recourse");
  }
  return out;
}

SecretKey deriveSubkey(const SecretKey& key, std::string_view purpose) {
  char context[crypto_kdf_CONTEXTBYTES] = {};
  std::memcpy(context, purpose.data(), std::min(purpose.size(), sizeof context));
  SecretKey sub;
  crypto_kdf_derive_from_key(sub.data(), SecretKey::kSize, 1, context, key.data());
  return sub;
}

std::string keyedHashHex(const SecretKey& key, std::string_view text) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), key.data(), SecretKey::kSize);
  return toHex(out, sizeof out);
}

namespace {

constexpr size_t kChunk = size_t{64} * 1024;

struct File {
  std::FILE* f = nullptr;
  ~File() {
    if (f != nullptr) std::fclose(f);
  }
};

}  // namespace

core::StatusOr<std::string> sha256File(const std::string& path) {
  File in{std::fopen(path.c_str(), "rb")};
  if (in.f == nullptr) return core::ioError(path + ": cannot be read: " + std::strerror(errno));
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<unsigned char> buf(kChunk);
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), in.f)) > 0) {
    crypto_hash_sha256_update(&st, buf.data(), n);
  }
  if (std::ferror(in.f)) return core::ioError(path + ": reading failed");
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  return toHex(out, sizeof out);
}

core::StatusOr<SealedStream> sealStream(const SecretKey& key, const ByteSource& source,
                                        const std::string& out_path, std::string_view ad,
                                        long long max_bytes) {
  File out{std::fopen(out_path.c_str(), "wbx")};
  if (out.f == nullptr) {
    return core::ioError(out_path + ": cannot be written: " + std::strerror(errno));
  }
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key.data());
  if (std::fwrite(header, 1, sizeof header, out.f) != sizeof header) {
    return core::ioError(out_path + ": writing failed (is the disk full?)");
  }
  crypto_hash_sha256_state hs;
  crypto_hash_sha256_init(&hs);
  long long total = 0;
  // Fills `buf` as far as the source goes (a network source gives a little at a time).
  auto fill = [&](std::vector<unsigned char>& buf) -> core::StatusOr<size_t> {
    size_t got = 0;
    while (got < buf.size()) {
      RECOURSE_ASSIGN_OR_RETURN(size_t n, source(buf.data() + got, buf.size() - got));
      if (n == 0) break;
      got += n;
      total += static_cast<long long>(n);
      if (total > max_bytes) {
        return core::resourceExhausted("more than " + std::to_string(max_bytes) + " bytes")
            .withField("file");
      }
    }
    return got;
  };
  std::vector<unsigned char> buf(kChunk);
  std::vector<unsigned char> next(kChunk);
  std::vector<unsigned char> sealed(kChunk + crypto_secretstream_xchacha20poly1305_ABYTES);
  // Read one chunk ahead so the last one can carry the final tag.
  RECOURSE_ASSIGN_OR_RETURN(size_t n, fill(buf));
  for (;;) {
    size_t m = 0;
    if (n == kChunk) {
      RECOURSE_ASSIGN_OR_RETURN(m, fill(next));
    }
    const bool last = m == 0;
    crypto_hash_sha256_update(&hs, buf.data(), n);
    unsigned long long len = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &st, sealed.data(), &len, buf.data(), n, reinterpret_cast<const unsigned char*>(ad.data()),
        ad.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
             : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    if (std::fwrite(sealed.data(), 1, len, out.f) != len) {
      return core::ioError(out_path + ": writing failed (is the disk full?)");
    }
    if (last) break;
    buf.swap(next);
    n = m;
  }
  sodium_memzero(buf.data(), buf.size());
  sodium_memzero(next.data(), next.size());
  if (std::fflush(out.f) != 0 || fsync(fileno(out.f)) != 0) {
    return core::ioError(out_path + ": writing failed (is the disk full?)");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&hs, digest);
  return SealedStream{toHex(digest, sizeof digest), total};
}

core::StatusOr<std::string> sealFile(const SecretKey& key, const std::string& in_path,
                                     const std::string& out_path, std::string_view ad) {
  File in{std::fopen(in_path.c_str(), "rb")};
  if (in.f == nullptr) {
    return core::ioError(in_path + ": cannot be read: " + std::strerror(errno));
  }
  ByteSource source = [&](std::uint8_t* buf, size_t cap) -> core::StatusOr<size_t> {
    const size_t n = std::fread(buf, 1, cap, in.f);
    if (std::ferror(in.f)) return core::ioError(in_path + ": reading failed");
    return n;
  };
  RECOURSE_ASSIGN_OR_RETURN(SealedStream sealed, sealStream(key, source, out_path, ad,
                                                            std::numeric_limits<long long>::max()));
  return sealed.sha256_hex;
}

core::StatusOr<std::string> openStream(
    const SecretKey& key, const ByteSource& source, const std::string& name, std::string_view ad,
    const std::function<core::Status(const std::uint8_t*, size_t)>& sink) {
  // Fills `buf` as far as the source goes (a source may give less than asked before its end).
  auto fill = [&](unsigned char* buf, size_t cap) -> core::StatusOr<size_t> {
    size_t have = 0;
    while (have < cap) {
      RECOURSE_ASSIGN_OR_RETURN(size_t n, source(buf + have, cap - have));
      if (n == 0) break;
      have += n;
    }
    return have;
  };
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_state st;
  RECOURSE_ASSIGN_OR_RETURN(size_t got, fill(header, sizeof header));
  if (got != sizeof header ||
      crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key.data()) != 0) {
    return core::corruption(name + ": the sealed file is damaged (its header)");
  }
  crypto_hash_sha256_state hs;
  crypto_hash_sha256_init(&hs);
  std::vector<unsigned char> buf(kChunk + crypto_secretstream_xchacha20poly1305_ABYTES);
  std::vector<unsigned char> plain(kChunk);
  bool final = false;
  size_t n = 0;
  long chunk = 0;
  for (;;) {
    RECOURSE_ASSIGN_OR_RETURN(n, fill(buf.data(), buf.size()));
    if (n == 0 || final) break;
    unsigned long long len = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &st, plain.data(), &len, &tag, buf.data(), n,
            reinterpret_cast<const unsigned char*>(ad.data()), ad.size()) != 0) {
      return core::corruption(name +
                              ": the sealed file was altered or belongs elsewhere "
                              "(chunk " +
                              std::to_string(chunk + 1) + " does not authenticate)");
    }
    crypto_hash_sha256_update(&hs, plain.data(), len);
    RECOURSE_RETURN_IF_ERROR(sink(plain.data(), len));
    final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    ++chunk;
  }
  if (!final || n > 0) {
    return core::corruption(name + (final ? ": the sealed file has extra bytes at its end"
                                          : ": the sealed file was cut short"));
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&hs, digest);
  return toHex(digest, sizeof digest);
}

core::StatusOr<std::string> openFile(
    const SecretKey& key, const std::string& sealed_path, std::string_view ad,
    const std::function<core::Status(const std::uint8_t*, size_t)>& sink) {
  File in{std::fopen(sealed_path.c_str(), "rb")};
  if (in.f == nullptr) {
    // The record exists, so its file is damage when it is gone, never "not found".
    const int err = errno;
    if (err == ENOENT) return core::corruption(sealed_path + ": the sealed file is missing");
    return core::ioError(sealed_path + ": the sealed file cannot be read: " + std::strerror(err));
  }
  ByteSource from_file = [&](std::uint8_t* buf, size_t cap) -> core::StatusOr<size_t> {
    const size_t n = std::fread(buf, 1, cap, in.f);
    if (std::ferror(in.f)) return core::ioError(sealed_path + ": reading failed");
    return n;
  };
  return openStream(key, from_file, sealed_path, ad, sink);
}

Bytes sealKey(const SecretKey& kek, const SecretKey& key, std::string_view ad) {
  return sealRaw(kek, key.data(), SecretKey::kSize, ad);
}

core::StatusOr<SecretKey> openKey(const SecretKey& kek, const Bytes& sealed, std::string_view ad) {
  if (sealed.size() != 1 + kNonce + SecretKey::kSize + kTag) {
    return core::corruption("wrapped key for " + std::string(ad) + " has the wrong size");
  }
  SecretKey key;
  if (!openRaw(kek, sealed, ad, key.data())) {
    return core::unauthenticated("wrapped key for " + std::string(ad) + " does not open");
  }
  return key;
}

namespace {

// Secret-key bytes of one size, in sodium_malloc memory, wiped when it goes.
class SecretBuffer {
 public:
  explicit SecretBuffer(size_t n) : n_(n) {
    data_ = static_cast<std::uint8_t*>(sodium_malloc(n));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  ~SecretBuffer() { sodium_free(data_); }
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  std::uint8_t* data() { return data_; }
  size_t size() const { return n_; }

 private:
  std::uint8_t* data_;
  size_t n_;
};

// The X25519 pair and the Ed25519 pair of a person's seed (subkeys of it, one each).
void boxPair(const SecretKey& seed, std::uint8_t* pk, SecretBuffer& sk) {
  SecretKey box_seed = deriveSubkey(seed, "boxseed_");
  crypto_box_seed_keypair(pk, sk.data(), box_seed.data());
}
void signPair(const SecretKey& seed, std::uint8_t* pk, SecretBuffer& sk) {
  SecretKey sign_seed = deriveSubkey(seed, "signseed");
  crypto_sign_seed_keypair(pk, sk.data(), sign_seed.data());
}

static_assert(crypto_box_SECRETKEYBYTES == SecretKey::kSize);

}  // namespace

PublicKeys publicKeysOf(const SecretKey& seed) {
  PublicKeys keys{Bytes(crypto_box_PUBLICKEYBYTES), Bytes(crypto_sign_PUBLICKEYBYTES)};
  SecretBuffer box_sk(crypto_box_SECRETKEYBYTES);
  SecretBuffer sign_sk(crypto_sign_SECRETKEYBYTES);
  boxPair(seed, keys.box.data(), box_sk);
  signPair(seed, keys.sign.data(), sign_sk);
  return keys;
}

Bytes sealToPublicKey(const SecretKey& key, const Bytes& box_public) {
  if (box_public.size() != crypto_box_PUBLICKEYBYTES) return {};
  Bytes out(crypto_box_SEALBYTES + SecretKey::kSize);
  if (crypto_box_seal(out.data(), key.data(), SecretKey::kSize, box_public.data()) != 0) return {};
  return out;
}

core::StatusOr<SecretKey> openSealedToMe(const SecretKey& seed, const Bytes& sealed) {
  if (sealed.size() != crypto_box_SEALBYTES + SecretKey::kSize) {
    return core::corruption("a key sealed to this person has the wrong size");
  }
  std::uint8_t pk[crypto_box_PUBLICKEYBYTES];
  SecretBuffer sk(crypto_box_SECRETKEYBYTES);
  boxPair(seed, pk, sk);
  SecretKey key;
  if (crypto_box_seal_open(key.data(), sealed.data(), sealed.size(), pk, sk.data()) != 0) {
    return core::corruption("a key sealed to this person does not open with their key");
  }
  return key;
}

Bytes signMessage(const SecretKey& seed, std::string_view message) {
  std::uint8_t pk[crypto_sign_PUBLICKEYBYTES];
  SecretBuffer sk(crypto_sign_SECRETKEYBYTES);
  signPair(seed, pk, sk);
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk.data());
  return sig;
}

bool signatureValid(const Bytes& sign_public, std::string_view message, const Bytes& signature) {
  if (sign_public.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), sign_public.data()) == 0;
}

std::string fingerprintOf(const PublicKeys& keys) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 16);
  crypto_generichash_update(&st, keys.box.data(), keys.box.size());
  crypto_generichash_update(&st, keys.sign.data(), keys.sign.size());
  unsigned char out[16];
  crypto_generichash_final(&st, out, sizeof out);
  const std::string hex = toHex(out, sizeof out);
  std::string grouped;
  for (size_t i = 0; i < hex.size(); i += 4) {
    if (i > 0) grouped += ' ';
    grouped += hex.substr(i, 4);
  }
  return grouped;
}

Bytes randomBytes(size_t n) {
  Bytes b(n);
  randombytes_buf(b.data(), n);
  return b;
}

std::string randomId(std::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford
  std::string id(prefix);
  id.push_back('_');
  for (int i = 0; i < 10; ++i) id.push_back(kAlphabet[randombytes_uniform(32)]);
  return id;
}

std::string toHex(const std::uint8_t* data, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, n);
  hex.pop_back();
  return hex;
}

std::string sha256Hex(std::string_view data) {
  std::uint8_t out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return toHex(out, sizeof out);
}

}  // namespace recourse::store
