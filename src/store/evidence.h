// Evidence: files sealed beside the database (DIR/ID.sealed, crypto_secretstream under a
// fresh file key wrapped by the client's key) and the custody log, a hash chain
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

class EvidenceRepo {
 public:
  using Sink = std::function<core::Status(const std::uint8_t*, size_t)>;

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
  // the item, its unwrapped file key, where the file is and what is bound into it.
  struct Readable {
    core::EvidenceItem item;
    SecretKey file_key;
    std::string path;
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
  core::StatusOr<std::vector<core::EvidenceItem>> readWhere(const std::string& where,
                                                            const std::string& arg);
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
