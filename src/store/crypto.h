// Thin, typed wrappers over libsodium: key memory, Argon2id, XChaCha20-Poly1305 sealing,
// SHA-256 and random ids. Nothing here touches the database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace recourse::store {

using Bytes = std::vector<std::uint8_t>;

// Initialises libsodium once. Returns false when it cannot (no usable random source).
bool cryptoInit();

// 32 bytes of key material in sodium_malloc memory (guard pages, no swap where the OS
// allows, zeroed on free). Move-only.
class SecretKey {
 public:
  static constexpr size_t kSize = 32;
  SecretKey();  // allocates; contents zero
  ~SecretKey();
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  static SecretKey random();
  // Another key with the same bytes (in memory of its own): a key a cache may drop.
  SecretKey copy() const;
  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }

 private:
  std::uint8_t* data_ = nullptr;
};

// Cost of Argon2id key derivation. Stored with the vault so old vaults keep opening.
struct KdfParams {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;
};
// Named strengths: "interactive" (~0.1 s, 64 MiB), "moderate" (~0.5-1 s, 256 MiB, the
// default), "sensitive" (several seconds, 1 GiB).
core::StatusOr<KdfParams> kdfParamsNamed(std::string_view name);
constexpr size_t kSaltSize = 16;

// Derives a key from a passphrase with Argon2id. Fails only when memory is short.
core::StatusOr<SecretKey> deriveKey(std::string_view passphrase, const Bytes& salt,
                                    const KdfParams& params);

// Seals plaintext with XChaCha20-Poly1305 under key, binding `ad` (associated data: which
// table, column and row the value belongs to). Output: version byte || nonce || ciphertext.
Bytes seal(const SecretKey& key, std::string_view plaintext, std::string_view ad);
// Opens a sealed value. On failure (wrong key, tampered bytes, moved to another row)
// returns Corruption.
core::StatusOr<std::string> open(const SecretKey& key, const Bytes& sealed, std::string_view ad);
// Same for key material: the result never lives in an ordinary std::string.
Bytes sealKey(const SecretKey& kek, const SecretKey& key, std::string_view ad);
core::StatusOr<SecretKey> openKey(const SecretKey& kek, const Bytes& sealed, std::string_view ad);

// A key for one purpose derived from `key` (libsodium crypto_kdf; `purpose` is its
// 8-character context, e.g. "importky"). Knowing it reveals nothing of `key`.
SecretKey deriveSubkey(const SecretKey& key, std::string_view purpose);
// A keyed hash (BLAKE2b-256, hex) of `text`: the same key and text always give the same
// hash; without the key it reveals nothing of the text.
std::string keyedHashHex(const SecretKey& key, std::string_view text);

// --- files (evidence) -------------------------------------------------------------------
// Streams a file through libsodium crypto_secretstream (XChaCha20-Poly1305, 64 KiB chunks,
// the last one tagged final, `ad` bound into every chunk), never holding it whole.

// SHA-256 of a file, read in chunks. IOError naming the file when it cannot be read.
core::StatusOr<std::string> sha256File(const std::string& path);
// Where sealStream reads from: fills up to `cap` bytes of `buf` and says how many; 0 at the
// end. An error stops the sealing and is returned as it is.
using ByteSource = std::function<core::StatusOr<size_t>(std::uint8_t* buf, size_t cap)>;
struct SealedStream {
  std::string sha256_hex;  // of the bytes sealed
  long long size = 0;      // how many
};
// Seals what `source` gives, chunk by chunk, into `out` (created, must not exist), never
// holding more than two chunks. ResourceExhausted (field "file") as soon as more than
// `max_bytes` arrive. On failure `out` may be left partly written: the caller removes it.
core::StatusOr<SealedStream> sealStream(const SecretKey& key, const ByteSource& source,
                                        const std::string& out, std::string_view ad,
                                        long long max_bytes);
// Seals the file at `in` into `out` (created, must not exist). Returns the SHA-256 of the
// bytes it sealed, so the caller can compare it with a hash taken before.
core::StatusOr<std::string> sealFile(const SecretKey& key, const std::string& in,
                                     const std::string& out, std::string_view ad);
// Opens a sealed file, passing the original bytes to `sink` chunk by chunk, and returns
// their SHA-256. Corruption when the file is missing, was altered, cut short or moved to
// another record (the authentication fails); nothing after the damage reaches the sink.
// IOError when it cannot be read.
core::StatusOr<std::string> openFile(
    const SecretKey& key, const std::string& sealed, std::string_view ad,
    const std::function<core::Status(const std::uint8_t*, size_t)>& sink);
// The same for sealed bytes that `source` gives (from wherever they are kept); `name` says
// where, in the messages.
core::StatusOr<std::string> openStream(
    const SecretKey& key, const ByteSource& source, const std::string& name, std::string_view ad,
    const std::function<core::Status(const std::uint8_t*, size_t)>& sink);

// --- public keys (people's accounts) ------------------------------------------------------
// A person's two key pairs, both derived from one random 32-byte seed (so that only the seed
// need be sealed under their passphrase): X25519 to receive keys sealed to them
// (crypto_box_seal), Ed25519 to sign what they grant. Public halves are 32 bytes each.
struct PublicKeys {
  Bytes box;   // X25519
  Bytes sign;  // Ed25519
};
PublicKeys publicKeysOf(const SecretKey& seed);
// `key` sealed to the holder of `box_public` (crypto_box_seal: anonymous sender, 80 bytes).
// An empty result when `box_public` is not a public key.
Bytes sealToPublicKey(const SecretKey& key, const Bytes& box_public);
// Opens what sealToPublicKey sealed to the person whose seed is `seed`. Corruption when it
// was not sealed to them, or was altered.
core::StatusOr<SecretKey> openSealedToMe(const SecretKey& seed, const Bytes& sealed);
// An Ed25519 signature (64 bytes) of `message` by the person whose seed is `seed`.
Bytes signMessage(const SecretKey& seed, std::string_view message);
// Whether `signature` is the holder of `sign_public`'s signature of `message`.
bool signatureValid(const Bytes& sign_public, std::string_view message, const Bytes& signature);
// A short, readable fingerprint of a person's public keys, for two people to compare
// aloud or on paper: 16 bytes of BLAKE2b over both keys, as eight groups of four hex
// digits ("3f2a 9c01 …").
std::string fingerprintOf(const PublicKeys& keys);

Bytes randomBytes(size_t n);
// A short random id with a type prefix, e.g. "cl_k3m9x2qa7d" (50 random bits).
std::string randomId(std::string_view prefix);

std::string sha256Hex(std::string_view data);
std::string toHex(const std::uint8_t* data, size_t n);

}  // namespace recourse::store
