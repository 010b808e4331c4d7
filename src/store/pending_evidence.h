// An evidence file sealed into the evidence folder but not yet recorded: an upload while it
// is being checked (Store::sealEvidence, Store::commitEvidence).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "store/crypto.h"

namespace recourse::store {

class EvidenceRepo;

// A file sealed into the evidence folder under a fresh key but not yet recorded (an upload
// being checked). Its partial file is removed when this is destroyed uncommitted.
class PendingEvidence {
 public:
  ~PendingEvidence();
  PendingEvidence(const PendingEvidence&) = delete;
  PendingEvidence& operator=(const PendingEvidence&) = delete;

  const std::string& sha256Hex() const { return sealed_.sha256_hex; }
  long long size() const { return sealed_.size; }
  // Passes the sealed bytes back to `sink` (to check what the file is). Corruption when the
  // partial file was altered.
  core::Status read(const std::function<core::Status(const std::uint8_t*, size_t)>& sink) const;

 private:
  friend class EvidenceRepo;
  PendingEvidence() = default;
  std::string id_;
  std::string case_id_;
  std::string partial_;  // DIR/ID.sealed.partial
  std::string final_;    // DIR/ID.sealed
  SecretKey file_key_;
  SealedStream sealed_;
  bool committed_ = false;
};

}  // namespace recourse::store
