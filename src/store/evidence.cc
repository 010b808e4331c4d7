#include "store/evidence.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/validation.h"
#include "store/cases.h"
#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr char kTable[] = "evidence";

std::string sealedPath(const std::string& dir, const std::string& id) {
  return dir + "/" + id + ".sealed";
}

struct File {
  std::FILE* f;
  explicit File(std::FILE* file) : f(file) {}
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() {
    if (f != nullptr) std::fclose(f);
  }
};

// A file's bytes in order, as a ByteSource reads them.
ByteSource readerOf(const File& file, const std::string& path) {
  return [&file, path](std::uint8_t* buf, size_t cap) -> StatusOr<size_t> {
    const size_t n = std::fread(buf, 1, cap, file.f);
    if (std::ferror(file.f)) return core::ioError(path + ": reading failed");
    return n;
  };
}

// The fewest bytes a sealed file has: the stream's header and a last, empty chunk.
constexpr std::uintmax_t kSealedMinBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES +
                                           crypto_secretstream_xchacha20poly1305_ABYTES;

// What the messages call sealed bytes kept in the database.
constexpr char kInDatabase[] = "its sealed file in the database";

// An item's incident, when it names one, must be of its case. NotFound about "incident_id".
Status checkIncidentOfCase(Database& db, const core::EvidenceItem& e) {
  if (e.incident_id.empty()) return Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(
      auto owner, db.firstRow("SELECT case_id FROM incidents WHERE id = ?", {e.incident_id}));
  if (!owner || owner->text(0) != e.case_id) {
    return core::notFound("no incident " + e.incident_id + " in this case")
        .withField("incident_id");
  }
  return Status::ok();
}

}  // namespace

EvidenceRepo::EvidenceRepo(StoreParts parts)
    : p_(parts),
      custody_(parts.db, "custody_log", {"action", "evidence_id", "sha256"}, "custody log") {}

Status EvidenceRepo::appendCustody(std::string_view action, const std::string& evidence_id,
                                   const std::string& sha256_hex) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return custody_.append(ChainLink::keyed(p_.keys.custodyKey()),
                         core::formatTimestamp(p_.clock.now()),
                         {std::string(action), evidence_id, sha256_hex});
}

Status EvidenceRepo::carryCustody(const std::string& at, std::string_view action,
                                  const std::string& evidence_id, const std::string& sha256_hex) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return custody_.append(ChainLink::keyed(p_.keys.custodyKey()), at,
                         {std::string(action), evidence_id, sha256_hex});
}

Status EvidenceRepo::logRemoval(const std::string& evidence_id, const std::string& sha256_hex) {
  return appendCustody("remove", evidence_id, sha256_hex);
}

std::string EvidenceRepo::sealedFilePath(const std::string& dir, const std::string& id) {
  return sealedPath(dir, id);
}

PendingEvidence::~PendingEvidence() {
  if (committed_ || partial_.empty()) return;
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
}

Status PendingEvidence::read(const std::function<Status(const std::uint8_t*, size_t)>& sink) const {
  RECOURSE_ASSIGN_OR_RETURN(std::string hash,
                            openFile(file_key_, partial_, sealContext(kTable, "file", id_), sink));
  if (hash != sealed_.sha256_hex) return core::corruption(id_ + ": the upload changed on disk");
  return Status::ok();
}

Status EvidenceRepo::checkCase(const std::string& case_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  return p_.audit.clientOfCase(case_id).status();
}

StatusOr<std::unique_ptr<PendingEvidence>> EvidenceRepo::seal(const std::string& case_id,
                                                              const ByteSource& source,
                                                              const std::string& dir,
                                                              long long max_bytes) {
  std::unique_ptr<PendingEvidence> p(new PendingEvidence);
  p->id_ = randomId("ev");
  p->case_id_ = case_id;
  p->final_ = sealedPath(dir, p->id_);
  p->file_key_ = SecretKey::random();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::ioError(dir + ": cannot create the evidence folder: " + ec.message());
  p->partial_ = p->final_ + ".partial";
  // From here the destructor removes whatever was written.
  RECOURSE_ASSIGN_OR_RETURN(p->sealed_, sealStream(p->file_key_, source, p->partial_,
                                                   sealContext(kTable, "file", p->id_), max_bytes));
  return p;
}

StatusOr<core::EvidenceItem> EvidenceRepo::add(const core::EvidenceItem& in,
                                               const std::string& source, const std::string& dir) {
  RECOURSE_RETURN_IF_ERROR(core::validateEvidenceItem(in));
  RECOURSE_RETURN_IF_ERROR(checkCase(in.case_id));
  File file{std::fopen(source.c_str(), "rb")};
  if (file.f == nullptr) return core::ioError(source + ": cannot be read");
  const ByteSource from_file = readerOf(file, source);
  RECOURSE_ASSIGN_OR_RETURN(
      auto pending, seal(in.case_id, from_file, dir, std::numeric_limits<long long>::max()));
  if (pending->sha256Hex() != in.sha256_hex) {
    return core::conflict(in.original_name +
                          ": the file changed while it was being added; nothing was kept. "
                          "Add it again once nothing is writing to it.");
  }
  return commit(std::move(pending), in);
}

StatusOr<core::EvidenceItem> EvidenceRepo::commit(std::unique_ptr<PendingEvidence> pending,
                                                  const core::EvidenceItem& in) {
  core::EvidenceItem e = in;
  e.id = pending->id_;
  e.case_id = pending->case_id_;
  e.sha256_hex = pending->sealed_.sha256_hex;
  e.size_bytes = pending->sealed_.size;
  e.intake_at = p_.clock.now();
  e.version = 1;
  RECOURSE_RETURN_IF_ERROR(core::validateEvidenceItem(e));
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, p_.audit.clientOfCase(e.case_id));
  RECOURSE_RETURN_IF_ERROR(checkIncidentOfCase(p_.db, e));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, p_.keys.storedClientKey(client_id));
  const SecretKey& key = *keyp;
  const std::string& path = pending->final_;
  // In the folder, the sealed file is in place before its row is committed, and removed if
  // the commit fails; in the database, its parts are written with its row. Never a record
  // without a file, nor a kept file without a record.
  const bool in_database = filesInDatabase();
  std::error_code ec;
  if (!in_database) {
    std::filesystem::rename(pending->partial_, path, ec);
    if (ec) return core::ioError(path + ": cannot create: " + ec.message());
    pending->committed_ = true;
  }
  const std::string& id = e.id;
  Status s = p_.db.inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(
        kTable,
        {{"id", id},
         {"case_id", e.case_id},
         {"incident_id", textOrNull(e.incident_id)},
         {"original_name", sealedValue(key, kTable, "original_name", id, e.original_name)},
         {"media_type", textOrNull(e.media_type)},
         {"size_bytes", static_cast<long long>(e.size_bytes)},
         {"sha256", e.sha256_hex},
         {"description", sealedOrNull(key, kTable, "description", id, e.description)},
         {"added_by", textOrNull(e.added_by)},
         {"intake_at", core::formatTimestamp(e.intake_at)},
         {"file_key", sealKey(key, pending->file_key_, sealContext(kTable, "file_key", id))},
         {"exhibit_date", dateOrNull(e.date)}}));
    // The partial file goes when `pending` does, kept or not.
    if (in_database) RECOURSE_RETURN_IF_ERROR(storePartsFromFile(id, pending->partial_));
    RECOURSE_RETURN_IF_ERROR(appendCustody("intake", id, e.sha256_hex));
    return p_.audit.append("evidence.add", "evidence", id);
  });
  if (!s.isOk()) {
    if (!in_database) std::filesystem::remove(path, ec);
    return s;
  }
  return e;
}

StatusOr<core::EvidenceItem> EvidenceRepo::update(const core::EvidenceItem& in) {
  RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, get(in.id));
  e.description = in.description;
  e.date = in.date;
  e.incident_id = in.incident_id;
  RECOURSE_RETURN_IF_ERROR(core::validateEvidenceItem(e));
  RECOURSE_RETURN_IF_ERROR(checkIncidentOfCase(p_.db, e));
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, p_.audit.clientOfCase(e.case_id));
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(client_id));
  std::vector<Column> cols = {
      {"incident_id", textOrNull(e.incident_id)},
      {"description", sealedOrNull(*key, kTable, "description", e.id, e.description)},
      {"exhibit_date", dateOrNull(e.date)}};
  Status saved = p_.db.inTransaction([&]() -> Status {
    RECOURSE_ASSIGN_OR_RETURN(e.version,
                              p_.db.updateVersioned(kTable, e.id, std::move(cols), in.version));
    return p_.audit.append("evidence.edit", "evidence", e.id);
  });
  if (!saved.isOk()) return p_.audit.explainChanged(saved, "evidence", e.id);
  return e;
}

StatusOr<core::EvidenceItem> EvidenceRepo::get(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto all, readWhere(readQuery("e.id = ?", id)));
  if (all.empty()) return core::notFound("no evidence with id " + id).withField("evidence_id");
  return all.front();
}

StatusOr<std::vector<core::EvidenceItem>> EvidenceRepo::list(const std::string& case_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, p_.audit.clientOfCase(case_id));
  return readWhere(caseQuery(case_id));
}

StatusOr<std::vector<core::EvidenceItem>> EvidenceRepo::listAll() {
  // The evidence of every client the unlocked account may open (and any whose case is
  // gone, which is damage to report).
  return readWhere(readQuery(
      "c.client_id IS NULL OR c.client_id IN (SELECT client_id FROM key_grants WHERE user_id = ?)",
      p_.keys.me().id));
}

Query EvidenceRepo::readQuery(const std::string& where, const std::string& arg) {
  // LEFT JOIN: an item whose case is gone is damage to report, not missing evidence.
  std::string sql =
      "SELECT e.id, e.case_id, c.client_id, e.incident_id, e.original_name, e.media_type,"
      " e.size_bytes, e.sha256, e.description, e.added_by, e.intake_at, e.exhibit_date,"
      " e.version FROM evidence e LEFT JOIN cases c ON c.id = e.case_id";
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY e.rowid";
  if (where.empty()) return {sql, {}};
  return {sql, {arg}};
}

StatusOr<std::vector<core::EvidenceItem>> EvidenceRepo::readWhere(const Query& q) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(q.sql, q.args));
  std::vector<core::EvidenceItem> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    core::EvidenceItem e;
    e.id = r.text(0);
    e.case_id = r.text(1);
    if (r.isNull(2)) return core::corruption("evidence " + e.id + ": its case is missing");
    RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(r.text(2)));
    e.incident_id = r.text(3);
    RECOURSE_ASSIGN_OR_RETURN(e.original_name, unsealAt(r, 4, *key, kTable, "original_name", e.id));
    e.media_type = r.text(5);
    e.size_bytes = r.integer(6);
    e.sha256_hex = r.text(7);
    RECOURSE_ASSIGN_OR_RETURN(e.description, unsealAt(r, 8, *key, kTable, "description", e.id));
    e.added_by = r.text(9);
    RECOURSE_ASSIGN_OR_RETURN(e.intake_at, r.timestamp(10, "intake_at"));
    RECOURSE_ASSIGN_OR_RETURN(e.date, r.date(11, "exhibit_date"));
    e.version = r.integer(12);
    out.push_back(std::move(e));
  }
  return out;
}

StatusOr<std::string> EvidenceRepo::openSealed(const core::EvidenceItem& e, const std::string& dir,
                                               const Sink& sink) {
  auto client_id = p_.audit.clientOfCase(e.case_id);
  if (client_id.status().code() == core::StatusCode::kNotFound) {
    return core::corruption("its case is missing");
  }
  if (!client_id.isOk()) return client_id.status();
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(*client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT file_key FROM evidence WHERE id = ?", {e.id}));
  if (!row || row->isNull(0)) return core::corruption("the evidence has no file key");
  auto file_key = openKey(*key, row->blob(0), sealContext(kTable, "file_key", e.id));
  if (!file_key.isOk()) return core::corruption("its file key does not open");
  const std::string ad = sealContext(kTable, "file", e.id);
  RECOURSE_ASSIGN_OR_RETURN(long long parts, partsOf(e.id));
  if (parts == 0) return openFile(*file_key, sealedPath(dir, e.id), ad, sink);
  SealedParts kept(parts, [&](long long n) { return part(e.id, n); });
  return openStream(*file_key, kept.source(), kInDatabase, ad, sink);
}

StatusOr<EvidenceRepo::Readable> EvidenceRepo::readable(const std::string& id,
                                                        const std::string& dir) {
  RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, get(id));
  auto client_id = p_.audit.clientOfCase(e.case_id);
  if (client_id.status().code() == core::StatusCode::kNotFound) {
    return core::corruption(id + ": its case is missing");
  }
  if (!client_id.isOk()) return client_id.status();
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKey(*client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            p_.db.firstRow("SELECT file_key FROM evidence WHERE id = ?", {e.id}));
  if (!row || row->isNull(0)) return core::corruption(id + ": the evidence has no file key");
  auto file_key = openKey(*key, row->blob(0), sealContext(kTable, "file_key", e.id));
  if (!file_key.isOk()) return core::corruption(id + ": its file key does not open");
  RECOURSE_ASSIGN_OR_RETURN(long long parts, partsOf(id));
  Readable r{std::move(e), std::move(file_key).value(), sealedPath(dir, id), parts,
             sealContext(kTable, "file", id)};
  return r;
}

StatusOr<size_t> SealedParts::read(std::uint8_t* buf, size_t cap) {
  if (at_ == part_.size()) {
    if (next_ == count_) return size_t{0};
    RECOURSE_ASSIGN_OR_RETURN(part_, fetch_(next_));
    ++next_;
    at_ = 0;
  }
  const size_t n = std::min(cap, part_.size() - at_);
  std::memcpy(buf, part_.data() + at_, n);
  at_ += n;
  return n;
}

bool EvidenceRepo::filesInDatabase() const { return p_.db.engine() == "PostgreSQL"; }

StatusOr<long long> EvidenceRepo::partsOf(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, p_.db.firstRow("SELECT count(*) FROM evidence_parts WHERE evidence_id = ?", {id}));
  return row ? row->integer(0) : 0;
}

StatusOr<Bytes> EvidenceRepo::part(const std::string& id, long long n) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row,
      p_.db.firstRow("SELECT bytes FROM evidence_parts WHERE evidence_id = ? AND part = ?",
                     {id, n}));
  if (!row || row->isNull(0)) {
    // Read a part at a time: someone may have removed the item meanwhile.
    RECOURSE_ASSIGN_OR_RETURN(auto item,
                              p_.db.firstRow("SELECT id FROM evidence WHERE id = ?", {id}));
    if (!item) return core::notFound("evidence " + id + " was removed meanwhile");
    return core::corruption(std::string(kInDatabase) + ": part " + std::to_string(n + 1) +
                            " is missing");
  }
  return row->blob(0);
}

Status EvidenceRepo::storeParts(const std::string& id, const ByteSource& source) {
  Bytes buf(kPartBytes);
  for (long long n = 0;; ++n) {
    size_t have = 0;
    while (have < kPartBytes) {
      RECOURSE_ASSIGN_OR_RETURN(size_t got, source(buf.data() + have, kPartBytes - have));
      if (got == 0) break;
      have += got;
    }
    if (have == 0) break;
    RECOURSE_RETURN_IF_ERROR(p_.db.insert(
        "evidence_parts",
        {{"evidence_id", id},
         {"part", n},
         {"bytes", Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(have))}}));
    if (have < kPartBytes) break;
  }
  return Status::ok();
}

Status EvidenceRepo::storePartsFromFile(const std::string& id, const std::string& path) {
  File file{std::fopen(path.c_str(), "rb")};
  if (file.f == nullptr) return core::ioError(path + ": cannot be read");
  return storeParts(id, readerOf(file, path));
}

Status EvidenceRepo::writeSealedFile(const std::string& id, const std::string& dir,
                                     const std::string& path) {
  const std::string partial = path + ".partial";
  std::FILE* f = std::fopen(partial.c_str(), "wbx");
  if (f == nullptr) return core::ioError(partial + ": cannot be created");
  Status s = copySealed(id, dir, [f](const std::uint8_t* p, size_t n) -> Status {
    if (std::fwrite(p, 1, n, f) != n) return core::ioError("writing failed");
    return Status::ok();
  });
  if ((std::fflush(f) != 0 || ::fsync(::fileno(f)) != 0) && s.isOk()) {
    s = core::ioError("writing failed");
  }
  if (std::fclose(f) != 0 && s.isOk()) s = core::ioError("writing failed");
  std::error_code ec;
  if (s.isOk()) std::filesystem::rename(partial, path, ec);
  if (s.isOk() && !ec) return Status::ok();
  std::filesystem::remove(partial, ec);
  return s.isOk() ? core::ioError(path + ": cannot be created")
                  : s.withContext("writing evidence " + id + " to " + path);
}

Status EvidenceRepo::copySealed(const std::string& id, const std::string& dir, const Sink& sink) {
  RECOURSE_ASSIGN_OR_RETURN(long long parts, partsOf(id));
  if (parts > 0) {
    for (long long n = 0; n < parts; ++n) {
      RECOURSE_ASSIGN_OR_RETURN(Bytes bytes, part(id, n));
      RECOURSE_RETURN_IF_ERROR(sink(bytes.data(), bytes.size()));
    }
    return Status::ok();
  }
  const std::string path = sealedPath(dir, id);
  File file{std::fopen(path.c_str(), "rb")};
  if (file.f == nullptr) return core::corruption(path + ": the sealed file is missing");
  const ByteSource from_file = readerOf(file, path);
  std::vector<std::uint8_t> buf(size_t{64} * 1024);
  for (;;) {
    RECOURSE_ASSIGN_OR_RETURN(size_t n, from_file(buf.data(), buf.size()));
    if (n == 0) return Status::ok();
    RECOURSE_RETURN_IF_ERROR(sink(buf.data(), n));
  }
}

StatusOr<long long> EvidenceRepo::moveFilesIn(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  std::vector<std::string> ids;
  for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
    if (f.path().extension() == ".sealed") ids.push_back(f.path().stem().string());
  }
  if (ec) return core::ioError(dir + ": cannot be read: " + ec.message());
  long long moved = 0;
  Status first_failure;
  for (const auto& id : ids) {
    const std::string path = sealedPath(dir, id);
    // Shorter than a sealed file's header and last chunk: damage for verify to report, not
    // a file to move (nor to remove).
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size < kSealedMinBytes) continue;
    bool stored = false;
    bool same = false;
    Status s = p_.db.inTransaction([&]() -> Status {
      RECOURSE_ASSIGN_OR_RETURN(auto named,
                                p_.db.firstRow("SELECT id FROM evidence WHERE id = ?", {id}));
      if (!named) return Status::ok();  // no record names it: left for verify to report
      File file{std::fopen(path.c_str(), "rb")};
      if (file.f == nullptr) return core::ioError(path + ": cannot be read");
      const ByteSource from_file = readerOf(file, path);
      RECOURSE_ASSIGN_OR_RETURN(long long parts, partsOf(id));
      if (parts > 0) {
        // Kept there already (moved by another program that shares this folder meanwhile):
        // the file goes only if it is byte for byte what the database holds.
        same = true;
        Bytes mine(size_t{64} * 1024);
        RECOURSE_RETURN_IF_ERROR(copySealed(id, dir, [&](const std::uint8_t* p, size_t n) {
          while (same && n > 0) {
            auto got = from_file(mine.data(), std::min(n, mine.size()));
            if (!got.isOk()) return got.status();
            if (*got == 0 || std::memcmp(mine.data(), p, *got) != 0) same = false;
            p += *got;
            n -= *got;
          }
          return Status::ok();
        }));
        if (same) {
          auto rest = from_file(mine.data(), 1);
          same = rest.isOk() && *rest == 0;
        }
        return Status::ok();
      }
      stored = true;
      return storeParts(id, from_file);
    });
    if (!s.isOk()) {
      // The others are still moved; this one stays where it is, read from there.
      if (first_failure.isOk()) {
        first_failure = s.withContext("moving evidence " + id + " into the database");
      }
      continue;
    }
    if (stored || same) std::filesystem::remove(path, ec);
    if (stored) ++moved;
  }
  if (!first_failure.isOk()) return first_failure;
  return moved;
}

Status EvidenceRepo::read(const std::string& id, const std::string& dir, std::string_view action,
                          const Sink& sink) {
  RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, get(id));
  auto opened = openSealed(e, dir, sink);
  if (!opened.isOk()) return opened.status().withContext(id);
  const std::string& hash = *opened;
  if (hash != e.sha256_hex) {
    return core::corruption(id + ": the file's SHA-256 is " + hash + ", not " + e.sha256_hex +
                            " as recorded at intake");
  }
  if (action.empty()) return Status::ok();
  return p_.db.inTransaction([&]() -> Status { return appendCustody(action, id, e.sha256_hex); });
}

Status EvidenceRepo::recordCustody(const std::vector<std::string>& ids, std::string_view action) {
  std::vector<core::EvidenceItem> items;
  items.reserve(ids.size());
  for (const auto& id : ids) {
    RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, get(id));
    items.push_back(std::move(e));
  }
  return p_.db.inTransaction([&]() -> Status {
    for (const auto& e : items) RECOURSE_RETURN_IF_ERROR(appendCustody(action, e.id, e.sha256_hex));
    return Status::ok();
  });
}

StatusOr<std::vector<core::CustodyEntry>> EvidenceRepo::custodyLog() {
  return custody_.entriesAs<core::CustodyEntry>(
      [](std::vector<std::string> fields, core::CustodyEntry* e) {
        e->action = std::move(fields[0]);
        e->evidence_id = std::move(fields[1]);
        e->sha256_hex = std::move(fields[2]);
      });
}

StatusOr<EvidenceRepo::CustodyCheck> EvidenceRepo::checkCustodyLog() {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto entries, custody_.entries());
  CustodyCheck check;
  check.problems = custody_.verify(entries, ChainLink::keyed(p_.keys.custodyKey()));
  for (const auto& c : entries) {
    if (c.fields[0] == "intake") check.intake.emplace(c.fields[1], c.fields[2]);
  }
  return check;
}

Status EvidenceRepo::checkItem(const core::EvidenceItem& e, const CustodyCheck& log,
                               const std::string& dir, std::vector<std::string>* problems) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  auto it = log.intake.find(e.id);
  if (it == log.intake.end()) {
    problems->push_back(e.id + ": has no intake entry in the custody log");
  } else if (it->second != e.sha256_hex) {
    problems->push_back(e.id + ": its recorded SHA-256 differs from the one logged at intake");
  }
  auto hash = openSealed(e, dir, [](const std::uint8_t*, size_t) { return Status::ok(); });
  if (!hash.isOk()) {
    problems->push_back(e.id + ": " + hash.status().message());
  } else if (*hash != e.sha256_hex) {
    problems->push_back(e.id + ": the file's SHA-256 is " + *hash + ", not " + e.sha256_hex +
                        " as recorded at intake");
  }
  return Status::ok();
}

}  // namespace recourse::store
