#include "service/transfer.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "service/evidence.h"
#include "service/files.h"
#include "service/vault.h"
#include "store/archive.h"
#include "store/crypto.h"
#include "store/data_dir.h"
#include "store/store.h"

namespace recourse::service {

namespace fs = std::filesystem;

core::StatusOr<long long> exportVault(Services& s, const ExportVault& in) {
  if (in.out_path.empty()) return core::invalidArgument("is required").withField("out_path");
  RECOURSE_RETURN_IF_ERROR(requireNewFile(in.out_path, "out_path"));
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(in.strength));
  // The file opens with the passphrase it is sealed with: one that does not open this
  // vault would make a backup nobody can open.
  core::Status pass = s.store.checkPassphrase(in.passphrase);
  if (!pass.isOk()) return pass.withField("passphrase");
  core::Status written =
      store::exportArchive(s.store, in.passphrase, params, in.out_path, evidenceDir(s.data_dir));
  if (!written.isOk()) {
    return written.field() == "out" ? written.withField("out_path") : written;
  }
  std::error_code ec;
  const auto size = fs::file_size(in.out_path, ec);
  if (ec) return core::ioError("cannot read back " + in.out_path + ": " + ec.message());
  return static_cast<long long>(size);
}

namespace {

// FailedPrecondition about "data_dir" when the data directory points at an organization
// database: an import replaces a vault file, and that database is no file to replace.
core::Status refuseOrganizationDatabase(const std::string& data_dir) {
  RECOURSE_ASSIGN_OR_RETURN(std::string url, store::organizationDatabase(data_dir));
  if (url.empty()) return core::Status::ok();
  return core::failedPrecondition(data_dir +
                                  " uses an organization database, which an import does not "
                                  "replace; nothing was changed. Bring a vault into it with "
                                  "recourse migrate --to")
      .withField("data_dir")
      .withReason("organization_database");
}

std::string errnoText() { return std::error_code(errno, std::generic_category()).message(); }

// Conflict about "data_dir" when a vault is in `data_dir` and `replace` is false.
core::Status checkNothingInTheWay(const std::string& data_dir, bool replace,
                                  const core::Clock& clock) {
  std::error_code ec;
  const std::string db = store::databasePath(data_dir);
  if (replace || !fs::exists(db, ec)) return core::Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(auto existing,
                            store::Store::openFile(db, store::Store::OpenMode::kExisting, clock));
  if (existing->hasVault()) {
    return core::conflict("a vault already exists in " + data_dir + "; nothing was changed")
        .withField("data_dir");
  }
  return core::Status::ok();
}

// How long a leftover of an import cut off by a crash is kept before it is removed (an
// import running now is younger than that).
constexpr auto kLeftoverAge = std::chrono::minutes(10);

// An export file unpacked beside the vault it is to replace: its database and its evidence
// folder under names of their own, written a chunk at a time as the file is read (memory
// stays small whatever its size). Removed when destroyed unless placed.
struct Unpacked {
  std::string token;
  std::string db;      // DATA_DIR/recourse.db.importing-TOKEN
  std::string ev_dir;  // DATA_DIR/evidence.importing-TOKEN
  Unpacked() = default;
  Unpacked(const Unpacked&) = delete;
  Unpacked& operator=(const Unpacked&) = delete;
  ~Unpacked() {
    std::error_code ec;
    if (!db.empty()) {
      for (const char* end : {"", "-wal", "-shm", "-journal"}) fs::remove(db + end, ec);
    }
    if (!ev_dir.empty()) fs::remove_all(ev_dir, ec);
  }
};

// Removes what work cut off by a crash left in `data_dir` (older than kLeftoverAge): files
// and folders whose names hold `marker`.
void removeLeftovers(const std::string& data_dir, std::string_view marker) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& e : fs::directory_iterator(data_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.find(marker) == std::string::npos) continue;
    const auto when = fs::last_write_time(e.path(), ec);
    if (ec || now - when < kLeftoverAge) continue;
    fs::remove_all(e.path(), ec);
  }
}

// A new private file, written as bytes come and made durable at the end (nullptr, 0).
core::StatusOr<store::ByteSink> fileSink(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return core::ioError("cannot write " + path + ": " + errnoText());
  auto owned = std::shared_ptr<int>(new int(fd), [](int* f) {
    if (*f >= 0) ::close(*f);
    delete f;
  });
  return store::ByteSink([owned, path](const std::uint8_t* p, size_t n) -> core::Status {
    if (p == nullptr) {
      if (::fsync(*owned) != 0 || ::close(*owned) != 0) {
        *owned = -1;
        return core::ioError("writing " + path + " failed (is the disk full?)");
      }
      *owned = -1;
      return core::Status::ok();
    }
    while (n > 0) {
      const ssize_t w = ::write(*owned, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return core::ioError("writing " + path + " failed (is the disk full?)");
      p += w;
      n -= static_cast<size_t>(w);
    }
    return core::Status::ok();
  });
}

// Reads an export file into `data_dir` beside the vault there (nothing of that vault is
// touched), then checks the database it carries and that `passphrase` opens its vault (as
// account `user`, "" for its only one; a vault made before accounts is not upgraded here:
// its first unlock does that, and shows the recovery code).
// InvalidArgument about "file" (no such file); Unauthenticated (the passphrase does not
// open it, or it was altered), Corruption (reason "cut_short" or "damaged"), IOError.
core::StatusOr<std::unique_ptr<Unpacked>> unpackBackup(const std::string& file,
                                                       const std::string& passphrase,
                                                       const std::string& data_dir,
                                                       const core::Clock& clock,
                                                       const std::string& user = "") {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return core::invalidArgument("no file at " + file).withField("file");
  }
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(data_dir));
  removeLeftovers(data_dir, ".importing");
  auto out = std::make_unique<Unpacked>();
  const std::string token = randomToken(6);
  out->token = token;
  const std::string db = store::databasePath(data_dir) + ".importing-" + token;
  const std::string ev_dir = evidenceDir(data_dir) + ".importing-" + token;
  if (!fs::create_directory(ev_dir, ec) || ec) {
    return core::ioError("cannot create " + ev_dir + ": " + ec.message());
  }
  out->ev_dir = ev_dir;
  fs::permissions(ev_dir, fs::perms::owner_all, ec);
  store::ArchiveOutput output;
  std::set<std::string> names;
  output.open = [&](std::string_view name, std::uint64_t) -> core::StatusOr<store::ByteSink> {
    if (name.empty()) {
      out->db = db;
      return fileSink(db);
    }
    // Written by Recourse, a name is there once; twice, the file was not made by it.
    if (!names.insert(std::string(name)).second) {
      return core::corruption(file + ": the export's contents are damaged (a file given twice)");
    }
    return fileSink(ev_dir + "/" + std::string(name));
  };
  RECOURSE_RETURN_IF_ERROR(store::streamArchive(file, passphrase, output));
  if (out->db.empty()) return core::corruption(file + ": the export holds no database");
  // The database it carries: brought up to this version's schema, and opened with the
  // passphrase, as the vault will be. Closed again before it is moved into place.
  {
    auto st = store::Store::openFile(db, store::Store::OpenMode::kExisting, clock,
                                     store::Store::Locking::kHeldByCaller);
    if (!st.isOk()) return st.status().withContext(file);
    core::Status opened = (*st)->checkOpens(user, passphrase);
    if (!opened.isOk()) return opened.withContext(file);
  }
  return out;
}

// Makes what was renamed in `dir` durable (the directory's own entries).
void syncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// The swap's journal: written (and made durable) before the first rename of a swap and
// removed after the last, so that a swap cut off between its renames is finished the next
// time the vault is opened (finishInterruptedImport) instead of leaving the old database
// with the new evidence, or with none.
std::string journalPath(const std::string& data_dir) {
  return store::databasePath(data_dir) + ".import-journal";
}

core::Status writeJournal(const std::string& data_dir, const std::string& token,
                          const std::string& ev_backup) {
  const std::string path = journalPath(data_dir);
  const std::string text = token + "\n" + ev_backup + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::ioError("cannot write " + path + ": " + errnoText());
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return core::ioError("writing " + path + " failed (is the disk full?)");
  syncDirectory(data_dir);
  return core::Status::ok();
}

// After the journal is written, every rename of the swap; each may already have been made
// (finishing a swap cut off part way). Testing seam: `after_step` runs after each.
core::Status finishSwap(const std::string& data_dir, const std::string& token,
                        const std::string& ev_backup) {
  std::error_code ec;
  const std::string db = store::databasePath(data_dir);
  const std::string ev_dir = evidenceDir(data_dir);
  const std::string incoming_db = db + ".importing-" + token;
  const std::string incoming_ev = ev_dir + ".importing-" + token;
  if (fs::exists(incoming_ev, ec)) {
    // The current evidence goes beside its database backup, then the imported takes its place.
    if (fs::exists(ev_dir, ec)) {
      fs::rename(ev_dir, ev_backup.empty() ? ev_dir + ".before-import" : ev_backup, ec);
      if (ec) return core::ioError("cannot set the current evidence aside: " + ec.message());
    }
    if (transfer_testing::after_swap_step) transfer_testing::after_swap_step(1);
    fs::rename(incoming_ev, ev_dir, ec);
    if (ec) return core::ioError("cannot put the imported evidence in place: " + ec.message());
    if (transfer_testing::after_swap_step) transfer_testing::after_swap_step(2);
  }
  if (fs::exists(incoming_db, ec)) {
    fs::remove(db + "-wal", ec);
    fs::remove(db + "-shm", ec);
    fs::rename(incoming_db, db, ec);
    if (ec) return core::ioError("cannot put the imported vault in place: " + ec.message());
  }
  syncDirectory(data_dir);
  fs::remove(journalPath(data_dir), ec);
  syncDirectory(data_dir);
  return core::Status::ok();
}

// Puts an unpacked backup in place in `data_dir`. REQUIRES: the caller holds the vault's
// lock exclusively (store/vault_lock.h), so nothing else has the database open. Conflict
// about "data_dir" when a vault is there and `replace` is false; IOError.
core::StatusOr<ImportedVault> placeBackup(Unpacked& incoming, const std::string& data_dir,
                                          bool replace, const core::Clock& clock) {
  std::error_code ec;
  const std::string db = store::databasePath(data_dir);
  std::unique_ptr<store::Store> existing;
  if (fs::exists(db, ec)) {
    RECOURSE_ASSIGN_OR_RETURN(existing,
                              store::Store::openFile(db, store::Store::OpenMode::kExisting, clock,
                                                     store::Store::Locking::kHeldByCaller));
    if (existing->hasVault() && !replace) {
      return core::conflict("a vault already exists in " + data_dir + "; nothing was changed")
          .withField("data_dir");
    }
  }
  const std::string ev_dir = evidenceDir(data_dir);
  ImportedVault out;
  if (existing) {
    // A database with no vault in it (a data directory the app was opened in once) holds
    // nothing to keep.
    if (existing->hasVault()) {
      out.backup = db + ".before-import-" + core::formatTimestamp(clock.now());
      std::replace(out.backup.begin(), out.backup.end(), ':', '-');
      RECOURSE_RETURN_IF_ERROR(existing->saveAs(out.backup));
    }
    existing.reset();
    fs::remove(db + "-wal", ec);
    fs::remove(db + "-shm", ec);
  }
  // The replaced vault's evidence goes beside its database backup. From the journal on, the
  // swap is finished even if this process is cut off (finishInterruptedImport).
  const std::string ev_backup =
      out.backup.empty() ? ev_dir + ".before-import" : out.backup + ".evidence";
  fs::remove_all(ev_backup, ec);
  RECOURSE_RETURN_IF_ERROR(writeJournal(data_dir, incoming.token, ev_backup));
  core::Status swapped = finishSwap(data_dir, incoming.token, ev_backup);
  if (!swapped.isOk()) {
    // Left for the next open to finish: the journal says what is where.
    incoming.db.clear();
    incoming.ev_dir.clear();
    return swapped;
  }
  incoming.db.clear();
  incoming.ev_dir.clear();
  return out;
}

}  // namespace

core::Status finishInterruptedImport(const std::string& data_dir) {
  const std::string journal = journalPath(data_dir);
  std::error_code ec;
  if (!fs::exists(journal, ec)) return core::Status::ok();
  auto held =
      store::VaultLock::take(store::databasePath(data_dir), store::VaultLock::Mode::kExclusive);
  if (!held.isOk() && held.status().code() != core::StatusCode::kPermissionDenied) {
    return held.status();
  }
  if (!fs::exists(journal, ec)) return core::Status::ok();  // another program finished it
  std::ifstream in(journal);
  std::string token;
  std::string ev_backup;
  std::getline(in, token);
  std::getline(in, ev_backup);
  if (token.empty() || token.find('/') != std::string::npos ||
      ev_backup.find("/../") != std::string::npos) {
    return core::corruption(journal +
                            ": the record of an import cut off part way cannot be read; "
                            "move it aside to open the vault as it is");
  }
  return finishSwap(data_dir, token, ev_backup);
}

core::StatusOr<MigratedVault> migrateVault(Services& s, const MigrateVault& in) {
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  if (me.role != "admin") {
    return core::permissionDenied("only an administrator may move the whole vault")
        .withReason("admin_only");
  }
  const bool to_local = in.to == "local";
  if (!to_local && !store::isPostgresUrl(in.to)) {
    return core::invalidArgument(
               "give a PostgreSQL URL (postgresql://user@host:port/database) or local")
        .withField("to");
  }
  RECOURSE_ASSIGN_OR_RETURN(std::string current, store::organizationDatabase(s.data_dir));
  if ((to_local && current.empty()) || (!to_local && current == in.to)) {
    return core::failedPrecondition("the vault is there already; nothing was changed")
        .withField("to");
  }
  if (!to_local && !current.empty()) {
    return core::failedPrecondition(
               "this data directory uses another organization database; move the vault to "
               "this computer first (migrate --to local), then on")
        .withField("to");
  }
  MigratedVault out;
  RECOURSE_ASSIGN_OR_RETURN(out.from, databaseOf(s.data_dir));
  const std::string file = store::databasePath(s.data_dir);
  const std::string stamp = core::formatTimestamp(s.clock.now()).substr(0, 10);
  if (!to_local) {
    // No other program may write to the file while it moves (vault_lock.h): a write it
    // acknowledged afterwards would be in neither place.
    if (store::VaultLock* held = s.store.vaultLock(); held != nullptr) {
      RECOURSE_RETURN_IF_ERROR(held->makeExclusive());
    }
    RECOURSE_ASSIGN_OR_RETURN(auto target, store::Store::openPostgres(in.to, s.clock));
    // The evidence files go into the database with the records.
    const std::string ev_dir = evidenceDir(s.data_dir);
    RECOURSE_ASSIGN_OR_RETURN(out.rows, s.store.copyInto(*target, ev_dir));
    // The vault as it was stays, under a name no Recourse opens, until the person has
    // checked the move; then the data directory points at the database.
    out.kept = file + ".moved-" + stamp;
    if (fs::exists(out.kept)) out.kept += "-" + randomToken(3);
    RECOURSE_RETURN_IF_ERROR(s.store.saveAs(out.kept));
    // Its evidence folder stays beside it, set aside before the data directory points at
    // the database (which holds every file now).
    std::error_code ec;
    if (fs::exists(ev_dir, ec)) {
      const std::string kept_ev = out.kept + ".evidence";
      fs::rename(ev_dir, kept_ev, ec);
      if (ec) {
        fs::remove(out.kept, ec);
        return core::ioError("cannot set the evidence folder aside as " + kept_ev + ": " +
                             ec.message() + "; the vault stays on this computer");
      }
      out.kept_evidence = kept_ev;
    }
    if (core::Status pointed = store::setOrganizationDatabase(s.data_dir, in.to); !pointed.isOk()) {
      if (!out.kept_evidence.empty()) fs::rename(out.kept_evidence, ev_dir, ec);
      return pointed;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file + suffix, ec);
    out.to = store::redactedUrl(in.to);
    return out;
  }
  // Nobody else may be writing meanwhile: what they saved after the copy would not be in it.
  RECOURSE_ASSIGN_OR_RETURN(long long others, s.store.otherConnections());
  if (others > 0) {
    return core::conflict(std::to_string(others) + " other Recourse program" +
                          (others == 1 ? " has" : "s have") +
                          " the organization database open; ask them to close it first, "
                          "then move it. Nothing was changed")
        .withField("to");
  }
  // One consistent snapshot of every table, into a new file first; only a whole copy takes
  // the place of the vault file.
  const std::string fresh = file + ".migrating-" + randomToken(6);
  {
    core::Status saved = s.store.saveAs(fresh);
    if (!saved.isOk()) {
      fs::remove(fresh);
      return saved;
    }
    core::Status counted;
    {
      // Read back from the new file itself, then closed before anything moves.
      auto copy = store::Store::openFile(fresh, store::Store::OpenMode::kExisting, s.clock,
                                         store::Store::Locking::kHeldByCaller);
      if (copy.isOk()) {
        auto counts = (*copy)->rowCounts();
        if (counts.isOk()) {
          out.rows = std::move(counts).value();
          // Its evidence files into this computer's evidence folder, where a vault of one
          // computer keeps them.
          auto unpacked = (*copy)->unpackEvidence(evidenceDir(s.data_dir));
          if (!unpacked.isOk()) counted = unpacked.status();
          out.rows.erase("evidence_parts");
        } else {
          counted = counts.status();
        }
      } else {
        counted = copy.status();
      }
    }
    if (!counted.isOk()) {
      fs::remove(fresh);
      return counted;
    }
  }
  // A file left from before the vault moved out is set aside whole, with its journal, or
  // nothing moves (a journal left beside the new file would be read into it).
  std::error_code ec;
  if (fs::exists(file, ec)) {
    out.kept = file + ".before-" + stamp;
    if (fs::exists(out.kept)) out.kept += "-" + randomToken(3);
    std::vector<std::pair<std::string, std::string>> moved;
    for (const char* suffix : {"-wal", "-shm", ""}) {
      if (!fs::exists(file + suffix)) continue;
      fs::rename(file + suffix, out.kept + suffix, ec);
      if (ec) {
        std::error_code back;
        for (const auto& [from, to] : moved) fs::rename(to, from, back);
        fs::remove(fresh);
        return core::ioError("cannot set aside " + file + suffix + ": " + ec.message());
      }
      moved.emplace_back(file + suffix, out.kept + suffix);
    }
  }
  fs::rename(fresh, file, ec);
  if (ec) {
    fs::remove(fresh);
    std::error_code back;
    if (!out.kept.empty()) fs::rename(out.kept, file, back);
    return core::ioError("cannot put the vault in place at " + file + ": " + ec.message());
  }
  RECOURSE_RETURN_IF_ERROR(store::setOrganizationDatabase(s.data_dir, ""));
  out.to = "this computer";
  return out;
}

core::StatusOr<ImportedVault> importVault(const ImportVault& in, const core::Clock& clock) {
  std::error_code ec;
  if (!fs::is_regular_file(in.file, ec)) {
    return core::invalidArgument("no file at " + in.file).withField("file");
  }
  RECOURSE_RETURN_IF_ERROR(refuseOrganizationDatabase(in.data_dir));
  RECOURSE_RETURN_IF_ERROR(finishInterruptedImport(in.data_dir));
  RECOURSE_RETURN_IF_ERROR(checkNothingInTheWay(in.data_dir, in.replace, clock));
  const std::string db = store::databasePath(in.data_dir);
  // A place without locks (PermissionDenied: no write access, or a file system without
  // them) is imported into as before there was a lock.
  auto lockUnlessUnsupported = [&]() -> core::StatusOr<std::unique_ptr<store::VaultLock>> {
    auto taken = store::VaultLock::take(db, store::VaultLock::Mode::kExclusive);
    if (!taken.isOk() && taken.status().code() == core::StatusCode::kPermissionDenied) {
      return std::unique_ptr<store::VaultLock>();
    }
    return taken;
  };
  if (fs::exists(db, ec)) {
    // Said before the passphrase is asked: a program using the vault (a server) has to stop
    // first. Taken for good once the file is read.
    RECOURSE_RETURN_IF_ERROR(lockUnlessUnsupported().status());
  }
  RECOURSE_ASSIGN_OR_RETURN(std::string pass, in.passphrase());
  RECOURSE_ASSIGN_OR_RETURN(auto unpacked,
                            unpackBackup(in.file, pass, in.data_dir, clock, in.user));
  RECOURSE_ASSIGN_OR_RETURN(auto held, lockUnlessUnsupported());
  return placeBackup(*unpacked, in.data_dir, in.replace, clock);
}

core::StatusOr<std::unique_ptr<IncomingBackup>> IncomingBackup::receive(const std::string& data_dir,
                                                                        const Source& source,
                                                                        long long max_bytes) {
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(data_dir));
  const std::string path = data_dir + "/restore-" + randomToken(8) + ".part";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return core::ioError("cannot keep the backup while it arrives: " + errnoText());
  std::unique_ptr<IncomingBackup> out(new IncomingBackup(path));  // removes it on failure
  std::vector<std::uint8_t> buf(size_t{64} * 1024);
  long long total = 0;
  core::Status st = core::Status::ok();
  while (st.isOk()) {
    auto got = source(buf.data(), buf.size());
    if (!got.isOk()) {
      st = got.status();
      break;
    }
    if (*got == 0) break;
    total += static_cast<long long>(*got);
    if (total > max_bytes) {
      st = core::resourceExhausted("the backup is larger than the " + describeSize(max_bytes) +
                                   " Recourse takes; nothing was changed")
               .withField("file")
               .withReason("backup_too_large", {{"max", describeSize(max_bytes)}});
      break;
    }
    size_t done = 0;
    while (done < *got) {
      const ssize_t n = ::write(fd, buf.data() + done, *got - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        st = core::ioError("cannot keep the backup while it arrives: " + errnoText());
        break;
      }
      done += static_cast<size_t>(n);
    }
  }
  if (::close(fd) != 0 && st.isOk()) {
    st = core::ioError("cannot keep the backup while it arrives: " + errnoText());
  }
  if (!st.isOk()) return st;
  if (total == 0) {
    return core::invalidArgument("the file is empty").withField("file").withReason("backup_empty");
  }
  return out;
}

IncomingBackup::~IncomingBackup() {
  std::error_code ec;
  fs::remove(path_, ec);
}

core::StatusOr<AuditReport> auditLog(Services& s) {
  AuditReport r;
  RECOURSE_ASSIGN_OR_RETURN(r.events, s.store.auditEvents());
  r.chain = s.store.verifyAuditChain();
  // Someone who is not an administrator sees what they did and what was done to the
  // records they may open; the chain is checked whole all the same.
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  if (me.role != "admin") {
    RECOURSE_ASSIGN_OR_RETURN(auto mine, s.store.myClientIds());
    const std::set<std::string> open(mine.begin(), mine.end());
    std::erase_if(r.events, [&](const core::AuditEvent& e) {
      return e.user_id != me.id && open.count(e.client_id) == 0;
    });
  }
  return r;
}

// Here rather than in vault.cc: it is importVault in two steps, with the vault's own
// connection closed between them.
core::StatusOr<ImportedVault> Vault::importFile(const std::string& file,
                                                const std::string& passphrase, bool replace) {
  if (data_dir_.empty()) {
    return core::failedPrecondition(
               "this vault is kept in memory only; there is nowhere to "
               "put a backup")
        .withField("file");
  }
  RECOURSE_RETURN_IF_ERROR(refuseOrganizationDatabase(data_dir_));
  if (store_->hasVault() && !replace) {
    return core::conflict("a vault already exists in " + data_dir_ + "; nothing was changed")
        .withField("data_dir");
  }
  // Read and checked first: a file that does not open changes nothing, and this vault
  // stays as it was (unlocked, if it was).
  auto read = unpackBackup(file, passphrase, data_dir_, clock_);
  if (!read.isOk()) {
    // The file came from the person (its path here is where it arrived, which means
    // nothing to them): a damaged one is bad input, not a damaged vault.
    const core::Status& st = read.status();
    if (st.reason() == "cut_short") {
      return core::invalidArgument(
                 "this backup is cut short: the file ends before its contents do (it may not "
                 "have finished copying); nothing was changed")
          .withField("file")
          .withReason("backup_cut_short");
    }
    if (st.code() == core::StatusCode::kCorruption ||
        st.code() == core::StatusCode::kInvalidArgument) {
      return core::invalidArgument(
                 "this is not a Recourse backup, or it is damaged; nothing "
                 "was changed")
          .withField("file")
          .withReason("not_a_backup");
    }
    if (st.code() == core::StatusCode::kUnauthenticated) {
      return core::unauthenticated(
                 "that passphrase does not open this backup, or the file "
                 "was changed since it was made; nothing was changed")
          .withField("passphrase")
          .withReason("backup_passphrase");
    }
    return st;
  }
  std::unique_ptr<Unpacked> unpacked = std::move(read).value();
  // No other program may have the database open while it is replaced: they are waited for
  // briefly, and otherwise this vault stays as it was.
  std::unique_ptr<store::VaultLock> held = store_->releaseVaultLock();
  if (held == nullptr) {
    auto taken =
        store::VaultLock::take(store::databasePath(data_dir_), store::VaultLock::Mode::kShared);
    // PermissionDenied: a place without locks, imported into as before there was a lock.
    if (!taken.isOk() && taken.status().code() != core::StatusCode::kPermissionDenied) {
      return taken.status();
    }
    if (taken.isOk()) held = std::move(taken).value();
  }
  if (held != nullptr) {
    if (core::Status excl = held->makeExclusive(); !excl.isOk()) {
      store_->adoptVaultLock(std::move(held));
      return excl;
    }
  }
  // The database is put in place of this one: this connection closes first and opens
  // whatever is there afterwards.
  store_->lock();
  services_.reset();
  store_.reset();
  auto imported = placeBackup(*unpacked, data_dir_, replace, clock_);
  held.reset();
  auto reopened = store::Store::openFile(store::databasePath(data_dir_),
                                         store::Store::OpenMode::kCreate, clock_);
  core::Status opened = reopened.status();
  if (opened.isOk()) {
    store_ = std::move(reopened).value();
  } else {
    // The data directory cannot be read now: an empty vault in memory stands in, so the
    // server goes on answering (with "no vault") instead of failing on every call.
    auto stand_in = store::Store::openInMemory(clock_);
    if (!stand_in.isOk()) return stand_in.status();
    store_ = std::move(stand_in).value();
  }
  services_.emplace(Services{*catalog_, *store_, clock_, data_dir_});
  if (!imported.isOk()) return imported.status();
  if (!opened.isOk()) return opened;
  RECOURSE_RETURN_IF_ERROR(store_->unlock(passphrase));
  store_->setVia("browser");
  if (auto code = store_->takeRecoveryCode()) recovery_code_ = std::move(code);
  return imported;
}

namespace {

// Where a handover makes the person's vault: DATA_DIR/handover.making-PID-TOKEN.
constexpr char kScratchPrefix[] = "handover.making-";

// Removes what handovers cut off by a crash left in `data_dir`: folders whose process is
// gone (one still running, however long it takes, keeps its own).
void removeHandoverLeftovers(const std::string& data_dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(data_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kScratchPrefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + sizeof(kScratchPrefix) - 1, nullptr, 10);
    if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
    fs::remove_all(e.path(), ec);
  }
}

// A private folder in the data directory for a vault being made, removed with everything
// in it when this goes.
struct ScratchVault {
  std::string dir;
  explicit ScratchVault(std::string d) : dir(std::move(d)) {}
  ScratchVault(const ScratchVault&) = delete;
  ScratchVault& operator=(const ScratchVault&) = delete;
  ~ScratchVault() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

core::StatusOr<HandedOver> handOverClient(Services& s, const HandOverClient& in) {
  if (in.client_id.empty()) {
    return core::invalidArgument("is required: which client's records").withField("client_id");
  }
  if (in.out_path.empty()) return core::invalidArgument("is required").withField("out_path");
  RECOURSE_RETURN_IF_ERROR(requireNewFile(in.out_path, "out_path"));
  RECOURSE_RETURN_IF_ERROR(checkNewPassphrase(in.passphrase));
  RECOURSE_RETURN_IF_ERROR(checkKdfStrength(in.strength));
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(in.strength));
  auto client = s.store.getClient(in.client_id);
  if (!client.isOk()) return client.status().withField("client_id");

  // Every evidence file of theirs must be here to go with them. An organization's database
  // holds them all; only one an earlier version kept in another office computer's folder,
  // not yet moved in (that computer does so when it next opens the vault), is elsewhere.
  const std::string ev_dir = evidenceDir(s.data_dir);
  RECOURSE_ASSIGN_OR_RETURN(auto cases, s.store.listCases(in.client_id));
  std::vector<std::string> elsewhere;
  for (const auto& c : cases) {
    RECOURSE_ASSIGN_OR_RETURN(auto items, s.store.listEvidence(c.id));
    for (const auto& e : items) {
      RECOURSE_ASSIGN_OR_RETURN(bool here, s.store.hasSealedFile(e.id, ev_dir));
      if (!here) elsewhere.push_back(e.id);
    }
  }
  if (!elsewhere.empty()) {
    std::string ids;
    for (const auto& id : elsewhere) ids += (ids.empty() ? "" : ", ") + id;
    const std::string count = std::to_string(elsewhere.size()) + " evidence file(s) of this client";
    if (s.store.engine() == "PostgreSQL") {
      return core::failedPrecondition(
                 count + " are not in the organization's database yet (" + ids +
                 "): another office computer keeps them in its own folder. Open Recourse there "
                 "once (it moves them in), then try again; nothing was written")
          .withField("client_id")
          .withReason("evidence_elsewhere");
    }
    return core::failedPrecondition(count + " are missing from " + ev_dir + " (" + ids +
                                    "); nothing was written. recourse evidence verify says more")
        .withField("client_id")
        .withReason("evidence_missing");
  }

  // Their vault, made beside this one and removed once it is written into the file (one a
  // crash left behind is removed by the next handover).
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(s.data_dir));
  removeHandoverLeftovers(s.data_dir);
  ScratchVault scratch(s.data_dir + "/" + kScratchPrefix + std::to_string(::getpid()) + "-" +
                       randomToken(6));
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(scratch.dir));
  const std::string scratch_ev = evidenceDir(scratch.dir);
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(scratch_ev));
  RECOURSE_ASSIGN_OR_RETURN(
      auto theirs,
      store::Store::openDataDir(scratch.dir, store::Store::OpenMode::kCreate, s.clock));
  auto made = theirs->createVault(in.user, in.passphrase, params, /*with_recovery=*/false);
  if (!made.isOk())
    return made.status().field() == "name" ? made.status().withField("user") : made.status();
  RECOURSE_ASSIGN_OR_RETURN(auto copy, s.store.copyClientInto(in.client_id, *theirs));
  HandedOver out;
  out.rows = copy.rows;
  for (const auto& [id, hash] : copy.evidence) {
    // Into their folder, as their own computer keeps a file, from wherever it is kept here.
    RECOURSE_RETURN_IF_ERROR(s.store.writeSealedFile(id, ev_dir, scratch_ev + "/" + id + ".sealed")
                                 .withContext("cannot copy evidence file " + id));
    ++out.evidence_files;
  }
  // Read back before it is written out: every file opens (its file key unwrapped with their
  // new key) and matches its custody entries, and their audit log verifies.
  RECOURSE_ASSIGN_OR_RETURN(auto problems, theirs->verifyEvidence(scratch_ev));
  if (!problems.empty()) {
    return core::internalError("the copy did not check (" + problems.front() +
                               "); no file was written");
  }
  RECOURSE_RETURN_IF_ERROR(theirs->verifyAuditChain());
  // Written under a name of its own, logged here, and only then given its name: a copy this
  // vault has no record of giving is never where the person would take it from.
  const std::string unlogged = scratch.dir + "/handover.recourse";
  core::Status written = store::exportArchive(*theirs, in.passphrase, params, unlogged, scratch_ev);
  if (!written.isOk()) return core::Status(written.code(), written.message());
  std::error_code ec;
  const auto size = fs::file_size(unlogged, ec);
  if (ec) return core::ioError("cannot read back the file: " + ec.message());
  RECOURSE_RETURN_IF_ERROR(requireNewFile(in.out_path, "out_path"));
  RECOURSE_RETURN_IF_ERROR(s.store.noteHandedOver(in.client_id, copy));
  fs::rename(unlogged, in.out_path, ec);
  if (ec) {
    // Across file systems a rename cannot be done: copied instead (it never replaces a file).
    ec.clear();
    fs::copy_file(unlogged, in.out_path, fs::copy_options::none, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(in.out_path, ignored);
      return core::ioError("cannot write " + in.out_path + ": " + ec.message() +
                           " (the activity log says the copy was made; make it again)")
          .withField("out_path");
    }
  }
  out.bytes = static_cast<long long>(size);
  return out;
}

}  // namespace recourse::service
