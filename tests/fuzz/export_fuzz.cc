// Fuzzes the export reader (store::readArchive): the input is a backup file as a person
// might be handed one. Everything after the header is authenticated encryption, so what the
// fuzzer reaches is the header, the key derivation's parameter checks and the chunk framing;
// the seed (corpus/export/, made by fuzz_make_export_seed) is a real export with the
// fixed passphrase below, so inputs that keep its header and chunks decrypt and reach the
// database snapshot and the evidence list inside. A refusal (Unauthenticated, Corruption,
// InvalidArgument, ...) is the expected answer; only a crash, a sanitizer report or a hang is
// a finding.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fakes/fake_clock.h"
#include "fuzz/fuzz_util.h"
#include "store/archive.h"

namespace {

// The passphrase the seed was made with (make_export_seed.cc).
constexpr char kPassphrase[] = "fuzzing passphrase";

std::uint64_t u64At(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Whether the header asks for an Argon2id run costlier than a few milliseconds. Parameters
// within libsodium's range up to "sensitive" (1 GiB, several seconds) are legal and the
// reader runs them, which would make each such input take seconds and tell the fuzzer
// nothing new: Argon2id is libsodium's, not Recourse's. Out-of-range parameters are not
// skipped: refusing them is Recourse's own check.
bool costlyKdf(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMagic = 16;  // "RECOURSE-EXPORT\n", then the version byte
  if (size < kMagic + 17) return false;
  const std::uint64_t ops = u64At(data + kMagic + 1);
  const std::uint64_t mem = u64At(data + kMagic + 9);
  const bool in_range =
      ops >= crypto_pwhash_OPSLIMIT_MIN && ops <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
      mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= crypto_pwhash_MEMLIMIT_SENSITIVE;
  return in_range && (ops > 3 || mem > std::uint64_t{1} << 20);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static recourse::testing::FakeClock* clock = new recourse::testing::FakeClock;
  // A plain static: its destructor removes the file when the fuzzer exits.
  static recourse::fuzz::InputFile file("export");
  if (costlyKdf(data, size)) return -1;  // -1: not added to the corpus
  const std::string& path = file.write(data, size);
  std::vector<recourse::store::ArchiveFile> evidence;
  auto store = recourse::store::readArchive(path, kPassphrase, *clock, &evidence);
  (void)store;
  return 0;
}
