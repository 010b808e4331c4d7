#include "store/import_keys.h"

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
    return p_.db.insert("import_keys", {{"key", key},
                                        {"kind", std::string(kind)},
                                        {"entity_id", entity_id},
                                        {"created_at", core::formatTimestamp(p_.clock.now())}});
  });
}

StatusOr<std::optional<std::string>> ImportKeysRepo::find(std::string_view kind,
                                                          std::string_view material) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT entity_id FROM import_keys WHERE key = ?", {key}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

Status ImportKeysRepo::rememberLatest(std::string_view kind, std::string_view material,
                                      const std::string& entity_id) {
  RECOURSE_ASSIGN_OR_RETURN(std::string key, keyOf(kind, material));
  return p_.db.execute(
      "INSERT INTO import_keys (key, kind, entity_id, created_at) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (key) DO UPDATE SET entity_id = excluded.entity_id",
      {key, std::string(kind), entity_id, core::formatTimestamp(p_.clock.now())});
}

// ---- Batch rows -------------------------------------------------------------------------------

namespace {
constexpr char kBatchRows[] = "batch_rows";

// The data key of the client a request belongs to. NotFound when there is no such request.
StatusOr<const SecretKey*> keyOfRequest(StoreParts& p, const std::string& request_id) {
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

Status ImportKeysRepo::rememberBatchRow(const BatchRow& in) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, keyOfRequest(p_, in.request_id));
  Value ref = sealedOrNull(*key, kBatchRows, "client_ref", in.request_id, in.client_ref);
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT 1 FROM batch_rows WHERE request_id = ?", {in.request_id}));
  if (row) {
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
