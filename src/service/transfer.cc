#include "service/transfer.h"

#include <algorithm>
#include <filesystem>

#include "service/files.h"
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

core::StatusOr<ImportedVault> importVault(const ImportVault& in, const core::Clock& clock) {
  std::error_code ec;
  if (!fs::is_regular_file(in.file, ec)) {
    return core::invalidArgument("no file at " + in.file).withField("file");
  }
  const std::string db = store::databasePath(in.data_dir);
  std::unique_ptr<store::Store> existing;
  if (fs::exists(db, ec)) {
    RECOURSE_ASSIGN_OR_RETURN(existing,
                              store::Store::openFile(db, store::Store::OpenMode::kExisting, clock));
    if (existing->hasVault() && !in.replace) {
      return core::conflict("a vault already exists in " + in.data_dir + "; nothing was changed")
          .withField("data_dir");
    }
  }
  RECOURSE_ASSIGN_OR_RETURN(std::string pass, in.passphrase());
  std::vector<store::ArchiveFile> evidence;
  RECOURSE_ASSIGN_OR_RETURN(auto imported, store::readArchive(in.file, pass, clock, &evidence));
  RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(in.data_dir));
  // The evidence files go into a folder beside the current one first.
  const std::string ev_dir = evidenceDir(in.data_dir);
  const std::string ev_incoming = ev_dir + ".importing";
  fs::remove_all(ev_incoming, ec);
  fs::create_directories(ev_incoming, ec);
  if (ec) return core::ioError("cannot create " + ev_incoming + ": " + ec.message());
  for (const auto& f : evidence) {
    core::Status w =
        writeFileAtomically(ev_incoming + "/" + f.name, f.bytes, "evidence file " + f.name);
    if (!w.isOk()) {
      fs::remove_all(ev_incoming, ec);
      return w;
    }
  }
  // Write the new database beside the old one, keep a backup of the old one, then swap.
  const std::string incoming = db + ".importing";
  fs::remove(incoming, ec);
  core::Status saved = imported->saveAs(incoming);
  if (!saved.isOk()) {
    fs::remove_all(ev_incoming, ec);
    return saved;
  }
  ImportedVault out;
  if (existing) {
    out.backup = db + ".before-import-" + core::formatTimestamp(clock.now());
    std::replace(out.backup.begin(), out.backup.end(), ':', '-');
    core::Status s = existing->saveAs(out.backup);
    if (!s.isOk()) {
      fs::remove(incoming, ec);
      fs::remove_all(ev_incoming, ec);
      return s;
    }
    existing.reset();
    fs::remove(db + "-wal", ec);
    fs::remove(db + "-shm", ec);
  }
  // The replaced vault's evidence moves beside its database backup before the swap, so a
  // failure leaves either the old pair or the new one.
  std::string ev_backup;
  if (fs::exists(ev_dir, ec)) {
    ev_backup = out.backup.empty() ? ev_dir + ".before-import" : out.backup + ".evidence";
    fs::remove_all(ev_backup, ec);
    fs::rename(ev_dir, ev_backup, ec);
    if (ec) {
      const std::string why = ec.message();
      fs::remove(incoming, ec);
      fs::remove_all(ev_incoming, ec);
      return core::ioError("cannot set the current evidence aside: " + why);
    }
  }
  fs::rename(ev_incoming, ev_dir, ec);
  if (!ec) fs::rename(incoming, db, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(incoming, ec);
    fs::remove_all(ev_incoming, ec);
    if (!ev_backup.empty() && !fs::exists(ev_dir, ec)) fs::rename(ev_backup, ev_dir, ec);
    return core::ioError("cannot put the imported vault in place: " + why);
  }
  return out;
}

core::StatusOr<AuditReport> auditLog(Services& s) {
  AuditReport r;
  RECOURSE_ASSIGN_OR_RETURN(r.events, s.store.auditEvents());
  r.chain = s.store.verifyAuditChain();
  return r;
}

}  // namespace recourse::service
