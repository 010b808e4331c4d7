// Evidence: files sealed under a fresh file key wrapped by the client's key
// (crypto_secretstream), kept beside the database (DIR/ID.sealed) in a vault of one computer
// and in the database itself (evidence_parts) in an organization's, and the custody log, a
// hash chain
// (hash_chain.h) keyed with the vault's custody subkey that records intake, every export
// and every packet. The original file name and description are sealed; the id, case,
// media type, size, intake time and SHA-256 are not.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "store/crypto.h"
#include "store/hash_chain.h"
#include "store/pending_evidence.h"
#include "store/store_parts.h"

namespace recourse::store {

// The sealed bytes of an item kept in the database, read part after part through `fetch`
// (which a caller may wrap in a lock), as a ByteSource.
class SealedParts {
 public:
  using Fetch = std::function<core::StatusOr<Bytes>(long long part)>;
  SealedParts(long long count, Fetch fetch) : count_(count), fetch_(std::move(fetch)) {}
  core::StatusOr<size_t> read(std::uint8_t* buf, size_t cap);
  ByteSource source() {
    return [this](std::uint8_t* buf, size_t cap) { return read(buf, cap); };
  }

 private:
  long long count_;
  Fetch fetch_;
  long long next_ = 0;
  Bytes part_;
  size_t at_ = 0;
};

class EvidenceRepo {
 public:
  using Sink = std::function<core::Status(const std::uint8_t*, size_t)>;
  // The most sealed bytes one row of evidence_parts holds.
  static constexpr size_t kPartBytes = size_t{1} << 20;

  explicit EvidenceRepo(StoreParts parts);

  // The contracts of Store's evidence methods.
  core::StatusOr<core::EvidenceItem> add(const core::EvidenceItem& item, const std::string& source,
                                         const std::string& dir);
  // Store::sealEvidence's two parts: checking the case (under the store's lock) and sealing
  // (without it: an upload may take minutes and needs no key of the vault).
  core::Status checkCase(const std::string& case_id);
  static core::StatusOr<std::unique_ptr<PendingEvidence>> seal(const std::string& case_id,
                                                               const ByteSource& source,
                                                               const std::string& dir,
                                                               long long max_bytes);
  // Records a sealed file: `item` names it (case, incident, name, description, date); the
  // id, size and SHA-256 come from the sealing.
  core::StatusOr<core::EvidenceItem> commit(std::unique_ptr<PendingEvidence> pending,
                                            const core::EvidenceItem& item);
  core::StatusOr<core::EvidenceItem> get(const std::string& id);
  // Replaces what is said about an item: its description, the day it is from and the
  // incident it shows (of its own case, else NotFound about "incident_id"). The file, its
  // name, fingerprint and intake stay. Logged "evidence.edit"; the custody log, which is
  // about the file, is not touched. NotFound (field "evidence_id"); nothing changes on
  // failure.
  core::StatusOr<core::EvidenceItem> update(const core::EvidenceItem& item);
  core::StatusOr<std::vector<core::EvidenceItem>> list(const std::string& case_id);
  // Every item of every case, in the order they were added.
  core::StatusOr<std::vector<core::EvidenceItem>> listAll();
  core::Status read(const std::string& id, const std::string& dir, std::string_view action,
                    const Sink& sink);
  // What reading an item's file needs, so that the store's lock can be let go meanwhile:
  // the item, its unwrapped file key, where the file is (`parts` of it in the database, or
  // none and the file at `path`) and what is bound into it.
  struct Readable {
    core::EvidenceItem item;
    SecretKey file_key;
    std::string path;
    long long parts = 0;
    std::string ad;
  };
  core::StatusOr<Readable> readable(const std::string& id, const std::string& dir);
  core::Status recordCustody(const std::vector<std::string>& ids, std::string_view action);
  core::StatusOr<std::vector<core::CustodyEntry>> custodyLog();
  // Logs "remove" for the item (id and hash only) in the custody log. REQUIRES: unlocked,
  // inside the transaction that deletes its row.
  core::Status logRemoval(const std::string& evidence_id, const std::string& sha256_hex);
  // Appends an entry as it was written at `at` (one carried over from another vault's log,
  // linked into this one's chain). REQUIRES: unlocked, inside a transaction.
  core::Status carryCustody(const std::string& at, std::string_view action,
                            const std::string& evidence_id, const std::string& sha256_hex);
  // Where the sealed file of item `id` lives in folder `dir`.
  static std::string sealedFilePath(const std::string& dir, const std::string& id);
  // Whether a file added now is kept in the database (an organization's, which every office
  // computer reads) rather than in this computer's evidence folder.
  bool filesInDatabase() const;
  // How many parts of item `id`'s sealed file the database holds: 0 when it is in the folder.
  core::StatusOr<long long> partsOf(const std::string& id);
  // Part `n` (from 0) of it. Corruption when that part is not there.
  core::StatusOr<Bytes> part(const std::string& id, long long n);
  // Keeps the sealed bytes `source` gives as item `id`'s parts, in order. REQUIRES: inside a
  // transaction, the item's row written and no part of it kept yet.
  core::Status storeParts(const std::string& id, const ByteSource& source);
  // storeParts from the sealed file at `path`. IOError when it cannot be read.
  core::Status storePartsFromFile(const std::string& id, const std::string& path);
  // Passes item `id`'s sealed bytes as they are kept, from the database or from folder
  // `dir`, to `sink` (to copy the file, not to open it). Corruption when it is missing.
  core::Status copySealed(const std::string& id, const std::string& dir, const Sink& sink);
  // copySealed into a new file at `path`: written as PATH.partial, synced, then renamed, so
  // that nothing is left at either on failure.
  core::Status writeSealedFile(const std::string& id, const std::string& dir,
                               const std::string& path);
  // Moves the sealed files in folder `dir` whose items have no parts into the database, each
  // in a transaction of its own, removing a file once the database holds it; files no
  // record names stay (verify reports them). Returns how many moved.
  core::StatusOr<long long> moveFilesIn(const std::string& dir);

  // The statement list(case_id) runs, after its check that the case is there
  // (Database::readAhead).
  static Query caseQuery(const std::string& case_id) { return readQuery("e.case_id = ?", case_id); }

  // Store::verifyEvidence in two steps, so the Store can let other threads in between
  // items: the custody chain first, then each item against it and its sealed file.
  struct CustodyCheck {
    std::vector<std::string> problems;          // breaks of the chain
    std::map<std::string, std::string> intake;  // evidence id -> SHA-256 logged at intake
  };
  // REQUIRES: unlocked (Unauthenticated otherwise).
  core::StatusOr<CustodyCheck> checkCustodyLog();
  // Appends to `problems` what is wrong with `e`: no intake entry, a hash that differs from
  // the one logged, a sealed file (or its key) that is missing, altered, unreadable or does
  // not match its hash. REQUIRES: unlocked (Unauthenticated otherwise).
  core::Status checkItem(const core::EvidenceItem& e, const CustodyCheck& log,
                         const std::string& dir, std::vector<std::string>* problems);

 private:
  // The items `q` (a readQuery) reads.
  core::StatusOr<std::vector<core::EvidenceItem>> readWhere(const Query& q);
  static Query readQuery(const std::string& where, const std::string& arg);
  // Opens the sealed file of `e` (its file key unwrapped with the client's key), passing
  // the original bytes to `sink`; returns their SHA-256. A missing file is Corruption.
  core::StatusOr<std::string> openSealed(const core::EvidenceItem& e, const std::string& dir,
                                         const Sink& sink);
  core::Status appendCustody(std::string_view action, const std::string& evidence_id,
                             const std::string& sha256_hex);

  StoreParts p_;
  HashChain custody_;
};

}  // namespace recourse::store
