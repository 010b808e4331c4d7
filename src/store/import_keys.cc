#include "store/import_keys.h"

#include <algorithm>

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

StatusOr<std::string> ImportKeysRepo::keyOf(std::string_view kind, std::string_view material) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  std::string text = std::string(kind) + '\0' + std::string(material);
  return keyedHashHex(p_.keys.importKey(), text);
}

Status ImportKeysRepo::remember(std::string_view kind, std::string_view material,
                                const std::string& entity_id) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  return p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(auto row,
                              p_.db.firstRow("SELECT 1 FROM import_keys WHERE key = ?", {key}));
    if (row) return core::conflict("this " + std::string(kind) + " was already imported");
    RECOURSE_RETURN_IF_ERROR(
        p_.db.insert("import_keys", {{"key", key},
                                     {"kind", std::string(kind)},
                                     {"entity_id", entity_id},
                                     {"created_at", core::formatTimestamp(p_.clock.now())}}));
    learn(key, entity_id);
    return Status::ok();
  });
}

std::optional<std::string>* ImportKeysRepo::known(const std::string& key) {
  const long long mark = p_.db.transactionMark();
  if (mark == 0 || mark != known_mark_) return nullptr;
  auto it = known_.find(key);
  return it == known_.end() ? nullptr : &it->second;
}

void ImportKeysRepo::learn(const std::string& key, const std::string& entity_id) {
  if (std::optional<std::string>* k = known(key)) *k = entity_id;
}

Status ImportKeysRepo::prefetch(const std::vector<std::pair<std::string, std::string>>& wanted) {
  const long long mark = p_.db.transactionMark();
  if (mark == 0 || wanted.empty()) return Status::ok();  // each find reads for itself
  if (mark != known_mark_) {
    known_.clear();
    known_mark_ = mark;
  }
  std::vector<std::string> keys;
  keys.reserve(wanted.size());
  for (const auto& [kind, material] : wanted) {
    RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
    if (known_.count(key) == 0) keys.push_back(std::move(key));
  }
  // In statements of kGroup keys (the last group repeats its first key to fill it): one
  // statement text, prepared once.
  constexpr size_t kGroup = 128;
  std::string sql = "SELECT key, entity_id FROM import_keys WHERE key IN (?";
  for (size_t i = 1; i < kGroup; ++i) sql += ", ?";
  sql += ")";
  for (size_t at = 0; at < keys.size(); at += kGroup) {
    std::vector<Value> args;
    args.reserve(kGroup);
    for (size_t i = 0; i < kGroup; ++i) {
      args.emplace_back(keys[at + i < keys.size() ? at + i : at]);
    }
    RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(sql, args));
    for (size_t i = at; i < std::min(keys.size(), at + kGroup); ++i) known_[keys[i]];
    for (const auto& r : rows) known_[r.text(0)] = r.text(1);
  }
  return Status::ok();
}

StatusOr<std::optional<std::string>> ImportKeysRepo::find(std::string_view kind,
                                                          std::string_view material) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  if (const std::optional<std::string>* k = known(key)) return *k;  // prefetched
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT entity_id FROM import_keys WHERE key = ?", {key}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

Status ImportKeysRepo::rememberLatest(std::string_view kind, std::string_view material,
                                      const std::string& entity_id) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  RECOURSE_RETURN_IF_ERROR(
      p_.db.execute("INSERT INTO import_keys (key, kind, entity_id, created_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET entity_id = excluded.entity_id",
                    {key, std::string(kind), entity_id, core::formatTimestamp(p_.clock.now())}));
  learn(key, entity_id);
  return Status::ok();
}

// ---- Batch rows -------------------------------------------------------------------------------

namespace {
constexpr char kBatchRows[] = "batch_rows";

// The data key of the client a request belongs to. NotFound when there is no such request.
StatusOr<const SecretKey*> keyOfRequest(StoreParts& p, const std::string& request_id) {
  if (const AuditTrail::Owner* made = p.audit.knownOwner("request", request_id)) {
    return p.keys.storedClientKey(made->client_id);  // made in this transaction
  }
  RECOURSE_ASSIGN_OR_RETURN(auto owner,
                            p.db.firstRow("SELECT c.client_id FROM records_requests r JOIN cases c"
                                          " ON c.id = r.case_id WHERE r.id = ?",
                                          {request_id}));
  if (!owner) {
    return core::notFound("no records request with id " + request_id).withField("request_id");
  }
  return p.keys.storedClientKey(owner->text(0));
}
}  // namespace

Status ImportKeysRepo::rememberBatchRow(const BatchRow& in, bool kept) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(p_, in.request_id));
  Value ref = sealedOrNull(*key, kBatchRows, "client_ref", in.request_id, in.client_ref);
  // One statement either way (no read first): a batch sends an INSERT along with the next.
  if (kept) {
    return p_.db.execute("UPDATE batch_rows SET csv_row = ?, client_ref = ? WHERE request_id = ?",
                         {in.csv_row, std::move(ref), in.request_id});
  }
  return p_.db.insert(kBatchRows, {{"request_id", in.request_id},
                                   {"letter_no", in.letter_no},
                                   {"csv_row", in.csv_row},
                                   {"client_ref", std::move(ref)}});
}

StatusOr<std::optional<BatchRow>> ImportKeysRepo::batchRowOf(const std::string& request_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT letter_no, csv_row, client_ref FROM batch_rows"
                                           " WHERE request_id = ?",
                                           {request_id}));
  if (!row) return std::optional<BatchRow>();
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(p_, request_id));
  BatchRow out;
  out.request_id = request_id;
  out.letter_no = row->integer(0);
  out.csv_row = row->integer(1);
  RECOURSE_ASSIGN_OR_RETURN(out.client_ref,
                            unsealAt(*row, 2, *key, kBatchRows, "client_ref", request_id));
  return std::optional<BatchRow>(std::move(out));
}

StatusOr<long long> ImportKeysRepo::lastLetterNumber() {
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT COALESCE(MAX(letter_no), 0) FROM batch_rows"));
  return row ? row->integer(0) : 0;
}

}  // namespace recourse::store
