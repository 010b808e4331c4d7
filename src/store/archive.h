// Export and import of a whole vault as one encrypted file.
//
// File format (version 2; version 1 is still read), all integers little-endian:
//   "RECOURSE-EXPORT\n" (16 bytes) | u8 version | u64 opslimit | u64 memlimit | salt (16)
//   | secretstream header (24) | chunks: u32 length, ciphertext ...
// The key is Argon2id(passphrase, salt). The content is libsodium crypto_secretstream
// (XChaCha20-Poly1305), in 64 KiB chunks, over: u64 length | a SQLite snapshot of the
// database | u32 count | per evidence file: u16 name length | name | u64 length | the
// sealed file as it is on disk (version 1 held the snapshot only). The first
// chunk binds the file header as associated data and the last carries the FINAL tag, so a
// truncated, reordered or altered file is refused. Inside, personal fields stay sealed
// under the vault key as they were on disk.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/crypto.h"
#include "store/store.h"

namespace recourse::store {

// Writes an export of `store` to `path` (which must not exist) via a temporary file and a
// rename, so a failed export leaves no partial file. Conflict when `path` exists, IOError
// when it cannot be written; both are about the field "out" (Status::field()).
// The sealed evidence files in `evidence_dir` (its *.sealed files) go in too.
core::Status exportArchive(Store& store, std::string_view passphrase, const KdfParams& params,
                           const std::string& path, const std::string& evidence_dir = "");

// A sealed evidence file carried in an export.
struct ArchiveFile {
  std::string name;  // "ev_....sealed"
  Bytes bytes;
};

// Takes an export's contents in pieces: p == nullptr (n == 0) marks the end of one part.
using ByteSink = std::function<core::Status(const std::uint8_t* p, size_t n)>;
struct ArchiveOutput {
  // Called for the database (name "") and then for each evidence file (its name, checked to
  // be a plain file name), with its size (0 when not known: a format 1 export's database),
  // before its bytes; the sink it returns takes them.
  std::function<core::StatusOr<ByteSink>(std::string_view name, std::uint64_t size)> open;
};

// Reads an export a chunk at a time (64 KiB), checking each as it is decrypted, and hands
// its parts to `output` as they come: memory stays small whatever the file's size. The
// parts are only known good once this returns OK (the end of the stream is checked last):
// on failure the caller discards what it was given. Failures as readArchive's, plus what
// a sink returns.
core::Status streamArchive(const std::string& path, std::string_view passphrase,
                           const ArchiveOutput& output);

// Reads and decrypts an export into memory (streamArchive), checks the database inside and that
// `passphrase` opens its vault. On success returns the database in memory, unlocked. On failure
// nothing is written anywhere: Unauthenticated (a wrong passphrase, or a file altered where that
// cannot be told apart), Corruption with reason "cut_short" (the file ends before its contents do)
// or "damaged" (the passphrase opens it, but a later part was changed), NotFound. The evidence
// files it carries go to `evidence` when given.
core::StatusOr<std::unique_ptr<Store>> readArchive(const std::string& path,
                                                   std::string_view passphrase,
                                                   const core::Clock& clock,
                                                   std::vector<ArchiveFile>* evidence = nullptr);

}  // namespace recourse::store
