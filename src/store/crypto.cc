#include "store/crypto.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
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
  return core::invalidArgument("kdf: \"" + std::string(name.substr(0, 20)) +
                               "\" is not one of interactive, moderate, sensitive");
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

core::StatusOr<std::string> open(const SecretKey& key, const Bytes& sealed, std::string_view ad) {
  if (sealed.size() < 1 + kNonce + kTag) {
    return core::corruption("sealed value for " + std::string(ad) + " is truncated");
  }
  std::string out(sealed.size() - 1 - kNonce - kTag, '\0');
  if (!openRaw(key, sealed, ad, reinterpret_cast<std::uint8_t*>(out.data()))) {
    return core::corruption("sealed value for " + std::string(ad) + " failed authentication");
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
