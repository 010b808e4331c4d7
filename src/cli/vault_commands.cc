#include <Poco/JSON/Array.h>

#include <filesystem>
#include <fstream>

#include "cli/command.h"
#include "server/json_codec.h"
#include "service/files.h"
#include "service/services.h"
#include "store/archive.h"
#include "store/data_dir.h"

namespace recourse::cli {

using service::writeFileAtomically;
namespace {

class ExportCommand final : public Command {
 public:
  std::string name() const override { return "export"; }
  std::string summary() const override {
    return "write the whole vault to one encrypted file (opens with the same passphrase)";
  }
  std::string usage() const override { return "export --out FILE"; }
  std::vector<OptionSpec> options() const override {
    return {{"out", "FILE", "the export file to create (must not exist)"},
            {"kdf", "STRENGTH", "key-derivation cost for the file (default moderate)"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("out")) return core::invalidArgument("--out: is required (a file path)");
    const std::string out = ctx.args().get("out");
    if (std::filesystem::exists(out)) {
      return core::invalidArgument("--out: " + out + " already exists; choose a new file name");
    }
    auto params = store::kdfParamsNamed(ctx.args().has("kdf") ? ctx.args().get("kdf") : "moderate");
    if (!params.isOk()) return params.status().withField("--kdf");
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto pass = ctx.passphrase(false);
    if (!pass.isOk()) return pass.status();
    auto data_dir = ctx.dataDir();
    if (!data_dir.isOk()) return data_dir.status();
    RECOURSE_RETURN_IF_ERROR(
        store::exportArchive(**st, *pass, *params, out, service::evidenceDir(*data_dir)));
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("out", out);
      o->set("bytes", static_cast<Poco::UInt64>(std::filesystem::file_size(out)));
      ctx.printJson(o);
    } else {
      ctx.out() << "Exported the vault to " << out
                << ". It opens with the same passphrase (recourse import).\n";
    }
    return core::Status::ok();
  }
};

class ImportCommand final : public Command {
 public:
  std::string name() const override { return "import"; }
  std::string summary() const override { return "restore a vault from an export file"; }
  std::string usage() const override { return "import FILE [--replace]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"replace", "",
             "replace the vault already in the data directory (it is kept as a backup file)"}};
  }
  core::Status run(Context& ctx) override {
    namespace fs = std::filesystem;
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("FILE: name the export file to import (import FILE)");
    }
    const std::string file = ctx.args().positionals[0];
    if (!fs::is_regular_file(file)) return core::invalidArgument("FILE: no file at " + file);
    auto dir = ctx.dataDir();
    if (!dir.isOk()) return dir.status();
    const std::string db = store::databasePath(*dir);
    const bool replace = ctx.args().has("replace");
    std::unique_ptr<store::Store> existing;
    if (fs::exists(db)) {
      auto st = store::Store::openFile(db, store::Store::OpenMode::kExisting, ctx.env().clock);
      if (!st.isOk()) return st.status();
      if ((*st)->hasVault() && !replace) {
        return core::conflict("a vault already exists in " + *dir +
                              "; nothing was changed. Use another --data-dir, or --replace");
      }
      existing = std::move(st).value();
    }
    auto pass = ctx.passphrase(false);
    if (!pass.isOk()) return pass.status();
    std::vector<store::ArchiveFile> evidence;
    auto imported = store::readArchive(file, *pass, ctx.env().clock, &evidence);
    if (!imported.isOk()) return imported.status();
    RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(*dir));
    // The evidence files go into a folder beside the current one first.
    const std::string ev_dir = service::evidenceDir(*dir);
    const std::string ev_incoming = ev_dir + ".importing";
    std::error_code ec;
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
    fs::remove(incoming);
    RECOURSE_RETURN_IF_ERROR((*imported)->saveAs(incoming));
    std::string backup;
    if (existing) {
      backup = db + ".before-import-" + core::formatTimestamp(ctx.env().clock.now());
      std::replace(backup.begin(), backup.end(), ':', '-');
      core::Status s = existing->saveAs(backup);
      if (!s.isOk()) {
        fs::remove(incoming);
        return s;
      }
      existing.reset();
      fs::remove(db + "-wal");
      fs::remove(db + "-shm");
    }
    // The replaced vault's evidence moves beside its database backup before the swap, so a
    // failure leaves either the old pair or the new one.
    std::string ev_backup;
    if (fs::exists(ev_dir, ec)) {
      ev_backup = backup.empty() ? ev_dir + ".before-import" : backup + ".evidence";
      fs::remove_all(ev_backup, ec);
      fs::rename(ev_dir, ev_backup, ec);
      if (ec) {
        fs::remove(incoming, ec);
        fs::remove_all(ev_incoming, ec);
        return core::ioError("cannot set the current evidence aside: " + ec.message());
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
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("data_dir", *dir);
      if (!backup.empty()) o->set("backup", backup);
      ctx.printJson(o);
    } else {
      ctx.out() << "Imported the vault into " << *dir << ".\n";
      if (!backup.empty()) ctx.out() << "The previous vault was kept as " << backup << ".\n";
    }
    return core::Status::ok();
  }
};

class AuditCommand final : public Command {
 public:
  std::string name() const override { return "audit"; }
  std::string summary() const override {
    return "check the tamper-evident activity log and list its entries";
  }
  core::Status run(Context& ctx) override {
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto events = (*st)->auditEvents();
    if (!events.isOk()) return events.status();
    core::Status chain = (*st)->verifyAuditChain();
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("chain_ok", chain.isOk());
      if (!chain.isOk()) o->set("problem", chain.text());
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& e : *events) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("seq", e.seq);
        j->set("at", core::formatTimestamp(e.at));
        j->set("action", e.action);
        j->set("entity_type", e.entity_type);
        j->set("entity_id", e.entity_id);
        j->set("hash", e.hash);
        arr->add(j);
      }
      o->set("events", arr);
      ctx.printJson(o);
    } else {
      for (const auto& e : *events) {
        ctx.out() << pad(std::to_string(e.seq), 6) << core::formatTimestamp(e.at) << "  "
                  << pad(e.action, 16) << e.entity_id << "\n";
      }
      ctx.out() << (chain.isOk() ? "The log is intact (" + std::to_string(events->size()) +
                                       " entries, hash chain verified).\n"
                                 : "PROBLEM: " + chain.text() + "\n");
    }
    return chain;
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeVaultCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<ExportCommand>());
  v.push_back(std::make_unique<ImportCommand>());
  v.push_back(std::make_unique<AuditCommand>());
  return v;
}

}  // namespace recourse::cli
