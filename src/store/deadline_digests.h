// What a deadlines view needs of each client's records, kept between views: the dates,
// dates in words and kinds of harm of their incidents, and their requests under way with
// those requests' histories (Store::Fields::kSummary's fields), as one value per client
// sealed under the client's key (crypto.h, bound to the client and to the change it was made
// after). A view across hundreds of clients then opens one value each instead of reading
// and opening thousands of rows.
//
// A digest is named by the last change to its client's records: the hash of the newest
// entry of the audit log about that client that is not a read (every write to a client's
// records appends one, in the same transaction, and the log's lock makes their order the
// order of commits). A digest whose name is not that hash any more, that does not open, or
// that there is none of, is not used: the client's records are read as they are, and a new
// digest made from them. So a digest can be out of date, never believed when it is. The
// hash is read before the records a digest is made from: a change committed in between
// leaves a digest under the older name, which is then not used either.
//
// Digests are not copied by a move between engines or into a client's own vault
// (they are derivedTables, not schemaTables): the copy makes its own when first viewed.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"
#include "store/incidents.h"
#include "store/requests.h"
#include "store/store_parts.h"

namespace recourse::store {

class DeadlineDigests {
 public:
  DeadlineDigests(StoreParts parts, IncidentsRepo& incidents, RequestsRepo& requests)
      : p_(parts), incidents_(incidents), requests_(requests) {}

  struct Inputs {
    IncidentsRepo::ByCase incidents;
    RequestsRepo::UnderWay under_way;  // requests in the order added, across clients
    // How many clients were read from their digest, and how many from their records (each
    // of those given a new digest when nothing of it was damaged).
    long long from_digests = 0;
    long long read_afresh = 0;
    long long saved = 0;
  };
  // Every incident and every request under way of `client_id`'s cases ("" for every client
  // the unlocked account may open), as IncidentsRepo::listAll and RequestsRepo::underWay
  // give them with all_fields false. Records that do not read are named as those name them
  // (and their client gets no digest until they read). A digest that cannot be saved (the
  // database busy, read-only, full) is not an error: the next view reads afresh again.
  core::StatusOr<Inputs> read(const std::string& client_id);
  // The statement read() runs first (Database::readAhead).
  Query namesQuery(const std::string& client_id);

  // Up to this many clients whose digest is out of date are read one by one; more than
  // that, and every client's records are read at once (one statement each, not 2 per client).
  // On SQLite, where a request whose case is gone is named only by reading everyone's at
  // once, every client is read afresh as soon as one is.
  static constexpr size_t kOneByOne = 24;

 private:
  StoreParts p_;
  IncidentsRepo& incidents_;
  RequestsRepo& requests_;
};

// The encoding inside the seal (exposed for tests). decode: Corruption when `bytes` is not
// one encode() made.
struct DigestContent {
  std::vector<core::Incident> incidents;  // each case's in the order listAll gives
  struct Request {
    long long place = 0;  // its rowid: the order requests were added in
    core::RecordsRequest request;
    std::vector<core::RequestEvent> events;  // in order
  };
  std::vector<Request> requests;
};
std::string encodeDigest(const DigestContent& c);
core::StatusOr<DigestContent> decodeDigest(std::string_view bytes);

}  // namespace recourse::store
