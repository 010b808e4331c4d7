#include <Poco/JSON/Array.h>

#include <algorithm>

#include "cli/command.h"
#include "service/accounts.h"
#include "service/files.h"
#include "service/transfer.h"

namespace recourse::cli {
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
    service::ExportVault req;
    req.out_path = ctx.args().get("out");
    if (ctx.args().has("kdf")) req.strength = ctx.args().get("kdf");
    RECOURSE_RETURN_IF_ERROR(service::checkKdfStrength(req.strength));
    RECOURSE_RETURN_IF_ERROR(service::requireNewFile(req.out_path, "--out"));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(req.passphrase, ctx.passphrase(false));
    RECOURSE_ASSIGN_OR_RETURN(long long bytes, service::exportVault(session->services(), req));
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("out", req.out_path);
      o->set("bytes", static_cast<Poco::Int64>(bytes));
      ctx.printJson(o);
    } else {
      ctx.out() << "Exported the vault to " << req.out_path
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
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("FILE: name the export file to import (import FILE)");
    }
    service::ImportVault req;
    req.file = ctx.args().positionals[0];
    RECOURSE_ASSIGN_OR_RETURN(req.data_dir, ctx.dataDir());
    req.replace = ctx.args().has("replace");
    req.user = ctx.user();
    req.passphrase = [&ctx] { return ctx.passphrase(false); };
    auto imported = service::importVault(req, ctx.env().clock);
    if (!imported.isOk()) {
      const core::Status& st = imported.status();
      if (st.code() == core::StatusCode::kConflict && st.field() == "data_dir") {
        return core::conflict(st.message() + ". Use another --data-dir, or --replace");
      }
      return st.field() == "file" ? st.withField("FILE") : st;
    }
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("data_dir", req.data_dir);
      if (!imported->backup.empty()) o->set("backup", imported->backup);
      ctx.printJson(o);
    } else {
      ctx.out() << "Imported the vault into " << req.data_dir << ".\n";
      if (!imported->backup.empty()) {
        ctx.out() << "The previous vault was kept as " << imported->backup << ".\n";
      }
    }
    return core::Status::ok();
  }
};

class MigrateCommand final : public Command {
 public:
  std::string name() const override { return "migrate"; }
  std::string summary() const override {
    return "move the whole vault into an organization's PostgreSQL database, or back";
  }
  std::string usage() const override { return "migrate --to URL|local"; }
  std::vector<OptionSpec> options() const override {
    return {{"to", "URL",
             "postgresql://user@host:port/database, or local for this computer's own file", false,
             "to"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("to")) {
      return core::invalidArgument("--to: is required (a PostgreSQL URL, or local)");
    }
    service::MigrateVault req;
    req.to = ctx.args().get("to");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto moved, service::migrateVault(session->services(), req));
    long long total = 0;
    for (const auto& [table, n] : moved.rows) {
      if (table != "evidence_parts") total += n;  // pieces of the evidence files
    }
    const long long files = moved.rows.count("evidence") != 0 ? moved.rows.at("evidence") : 0;
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("from", moved.from);
      o->set("to", moved.to);
      o->set("kept", moved.kept);
      if (!moved.kept_evidence.empty()) o->set("kept_evidence", moved.kept_evidence);
      Poco::JSON::Object::Ptr rows = new Poco::JSON::Object;
      for (const auto& [table, n] : moved.rows) rows->set(table, static_cast<Poco::Int64>(n));
      o->set("rows", rows);
      ctx.printJson(o);
    } else {
      ctx.out() << "Moved the vault (" << total << " records and log entries) from " << moved.from
                << " to " << moved.to << ", with its " << files
                << " evidence file(s). The same accounts and passphrases open it.\n";
      if (!moved.kept.empty()) {
        ctx.out() << "The vault as it was is kept in " << moved.kept
                  << (moved.kept_evidence.empty()
                          ? ""
                          : " (its evidence files in " + moved.kept_evidence + ")")
                  << ": remove it once you have checked the move.\n";
      }
    }
    return core::Status::ok();
  }
};

class AuditCommand final : public Command {
 public:
  std::string name() const override { return "audit"; }
  std::string summary() const override {
    return "check the tamper-evident activity log and list its entries (--client: one "
           "person's access history)";
  }
  std::vector<OptionSpec> options() const override {
    return {{"client", "ID",
             "only what was read or changed of this client's records, by whom and through what",
             false, "client_id"}};
  }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    if (ctx.args().has("client")) return clientHistory(ctx, session->services());
    RECOURSE_ASSIGN_OR_RETURN(auto report, service::auditLog(session->services()));
    const auto* events = &report.events;
    const core::Status& chain = report.chain;
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
        j->set("user_id", e.user_id);
        j->set("via", e.via);
        j->set("client_id", e.client_id);
        j->set("hash", e.hash);
        arr->add(j);
      }
      o->set("events", arr);
      ctx.printJson(o);
    } else {
      size_t action_width = 0;  // the widest action, so the ids line up
      for (const auto& e : *events) action_width = std::max(action_width, e.action.size());
      for (const auto& e : *events) {
        ctx.out() << pad(std::to_string(e.seq), 6) << core::formatTimestamp(e.at) << "  "
                  << pad(e.action, action_width + 2) << e.entity_id << "\n";
      }
      const auto reads = std::count_if(events->begin(), events->end(), [](const auto& e) {
        return e.action.rfind("read.", 0) == 0;
      });
      ctx.out() << (chain.isOk()
                        ? "The log is intact (" + std::to_string(events->size()) + " entries: " +
                              std::to_string(events->size() - static_cast<size_t>(reads)) +
                              " changes, " + std::to_string(reads) +
                              " reads; hash chain verified).\n"
                        : "PROBLEM: " + chain.text() + "\n");
    }
    return chain;
  }

 private:
  // One client's history: who read or changed what of their records, when, through what.
  static core::Status clientHistory(Context& ctx, service::Services& s) {
    const std::string client = ctx.args().get("client");
    RECOURSE_ASSIGN_OR_RETURN(auto history, service::clientHistory(s, client));
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("client_id", client);
      o->set("chain_ok", history.chain.isOk());
      if (!history.chain.isOk()) o->set("problem", history.chain.text());
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& e : history.entries) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("seq", e.seq);
        j->set("at", core::formatTimestamp(e.at));
        j->set("action", e.action);
        j->set("what", e.what);
        j->set("entity_id", e.entity_id);
        j->set("user", e.user);
        j->set("role", e.role);
        j->set("via", e.via);
        arr->add(j);
      }
      o->set("entries", arr);
      ctx.printJson(o);
      return history.chain;
    }
    size_t who_width = 4;
    for (const auto& e : history.entries) who_width = std::max(who_width, e.user.size() + 1);
    ctx.out() << pad("WHEN", 22) << pad("WHO", who_width) << pad("VIA", 9) << "WHAT\n";
    for (const auto& e : history.entries) {
      const bool read = e.action.rfind("read.", 0) == 0;
      ctx.out() << pad(core::formatTimestamp(e.at), 22) << pad(e.user, who_width)
                << pad(e.via.empty() ? "-" : e.via, 9) << (read ? "read " : "") << e.what
                << (read ? "" : " (" + e.action + ")") << "\n";
    }
    ctx.out() << (history.chain.isOk() ? std::to_string(history.entries.size()) +
                                             " entries; the log is intact (hash chain verified).\n"
                                       : "PROBLEM: " + history.chain.text() + "\n");
    return history.chain;
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeVaultCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<ExportCommand>());
  v.push_back(std::make_unique<ImportCommand>());
  v.push_back(std::make_unique<MigrateCommand>());
  v.push_back(std::make_unique<AuditCommand>());
  return v;
}

}  // namespace recourse::cli
