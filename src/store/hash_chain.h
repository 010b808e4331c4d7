// One hash-chained, append-only log in one table: the audit log and the custody log are
// both made of this. A table has the columns
//   seq INTEGER PRIMARY KEY, at TEXT, <fields...> TEXT, prev_hash TEXT, hash TEXT
// and triggers <table>_no_update / <table>_no_delete that refuse changes. Entry n's hash
// links "prev_hash|seq|at|field1|field2|..." (prev_hash is "" for the first entry), so
// changing, inserting or removing an entry breaks every link after it.
//
// The links are BLAKE2b-256 keyed with a subkey of the vault key (ChainLink::keyed): someone
// who can write the database but lacks the passphrase cannot recompute a consistent chain.
// Plain SHA-256 links (ChainLink::plainSha256) exist only for an audit log written before
// schema version 5: to check it and re-link it, or to extend it when it is broken and so
// was not re-linked (see audit_log.h).
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "store/crypto.h"
#include "store/database.h"

namespace recourse::store {

// How a chain's links are computed.
class ChainLink {
 public:
  // BLAKE2b-256 keyed with `key`, which must outlive the ChainLink.
  static ChainLink keyed(const SecretKey& key) { return ChainLink(&key); }
  static ChainLink plainSha256() { return ChainLink(nullptr); }

  // The link (hex) over `material`.
  std::string operator()(std::string_view material) const;

 private:
  explicit ChainLink(const SecretKey* key) : key_(key) {}
  const SecretKey* key_;
};

// One entry as stored: `fields` in the order the chain names them.
struct ChainEntry {
  long long seq = 0;
  std::string at;
  std::vector<std::string> fields;
  std::string prev_hash;
  std::string hash;
};

class HashChain {
 public:
  // `name` ("audit log") begins every problem reported; `fields` are the table's columns
  // between `at` and `prev_hash`, in the order they are linked. Fields from index
  // `optional_from` on were added to the table later: when all of them are empty they are
  // left out of the link, so entries written before they existed keep their links (an
  // entry that sets any of them links them all).
  HashChain(Database& db, std::string table, std::vector<std::string> fields, std::string name,
            size_t optional_from = SIZE_MAX);

  // Appends an entry after the last one. REQUIRES: values.size() == the number of fields;
  // inside the transaction of the change the entry records.
  core::Status append(const ChainLink& link, const std::string& at,
                      const std::vector<std::string>& values);
  // Every entry, oldest first.
  core::StatusOr<std::vector<ChainEntry>> entries();
  // Every entry, oldest first, as a T (core::AuditEvent, core::CustodyEntry): seq, at,
  // prev_hash and hash are set here, the rest by `fill(fields, &t)` from the table's fields
  // in their order. Corruption, naming the log and the entry, when an entry's time does not
  // read as one.
  template <typename T, typename Fill>
  core::StatusOr<std::vector<T>> entriesAs(Fill fill) {
    RECOURSE_ASSIGN_OR_RETURN(auto entries, this->entries());
    std::vector<T> out;
    out.reserve(entries.size());
    for (auto& c : entries) {
      T e;
      e.seq = c.seq;
      auto at = core::parseTimestamp(c.at, "at");
      if (!at.isOk()) {
        return core::corruption(name_ + ": entry " + std::to_string(c.seq) + " has no valid time");
      }
      e.at = *at;
      fill(std::move(c.fields), &e);
      e.prev_hash = std::move(c.prev_hash);
      e.hash = std::move(c.hash);
      out.push_back(std::move(e));
    }
    return out;
  }
  // Re-computes the chain over `entries` and returns one line per break found, in order
  // ("audit log: entry 3 is missing", "audit log: entry 4 does not match the chain (it was
  // changed, or one before it was)"); empty when the chain is intact.
  std::vector<std::string> verify(const std::vector<ChainEntry>& entries,
                                  const ChainLink& link) const;
  // Checks the chain with `from` and, when it is intact, computes every link again with
  // `to` (the guard triggers are dropped and created again around the rewrite). Corruption
  // naming the first break when it is not, and nothing is changed: a damaged chain is never
  // re-linked into one that looks intact. REQUIRES: inside a transaction.
  core::Status relink(const ChainLink& from, const ChainLink& to);

 private:
  std::string material(const std::string& prev, long long seq, const std::string& at,
                       const std::vector<std::string>& values) const;

  Database& db_;
  std::string table_;
  std::vector<std::string> fields_;
  std::string name_;
  size_t optional_from_;
  std::string last_sql_;  // the last entry's seq and hash
  // The entry this store last appended, with the transaction mark it was written under
  // (Database::transactionMark): the next append in the same transaction links to it
  // without reading it back.
  struct Head {
    long long mark = 0;
    long long seq = 0;
    std::string hash;
  };
  std::optional<Head> head_;
  std::string entries_sql_;  // every entry, oldest first
};

}  // namespace recourse::store
