// `recourse evidence add|list|export|verify|remove`: the evidence workflows (service/evidence.h),
// parsed from options and printed.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>

#include "cli/command.h"
#include "cli/evidence.h"
#include "server/json_codec.h"
#include "service/evidence.h"

namespace recourse::cli {

using service::describeSize;

core::StatusOr<long long> evidenceLimitBytes(Context& ctx) {
  if (ctx.args().has("max-size")) {
    return service::parseEvidenceLimitMb(ctx.args().get("max-size"), "--max-size");
  }
  auto it = ctx.env().vars.find("RECOURSE_EVIDENCE_MAX_MB");
  if (it != ctx.env().vars.end() && !it->second.empty()) {
    return service::parseEvidenceLimitMb(it->second, "RECOURSE_EVIDENCE_MAX_MB");
  }
  return service::kDefaultEvidenceLimitMb * 1024 * 1024;
}

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The file argument is FILE and an evidence id is ID on this command line.
core::Status argError(const core::Status& st) {
  if (st.field() == "file") return st.withField("FILE");
  if (st.field() == "evidence_id") return st.withField("ID");
  return st;
}

class EvidenceAdd final : public Command {
 public:
  std::string name() const override { return "evidence add"; }
  std::string summary() const override {
    return "keep a file as evidence: fingerprinted (SHA-256), then sealed in the vault";
  }
  std::string usage() const override {
    return "evidence add --case ID FILE [--incident ID] [--describe TEXT] [--date YYYY-MM-DD]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"},
            {"incident", "ID", "the incident it shows (optional)", false, "incident_id"},
            {"describe", "TEXT", "what it is, in your words (e.g. \"Text from Dr. P\")"},
            {"date", "YYYY-MM-DD", "when it is from (e.g. the day of the message)"},
            {"max-size", "MB",
             "largest file accepted (default " + std::to_string(service::kDefaultEvidenceLimitMb) +
                 "; also RECOURSE_EVIDENCE_MAX_MB)"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("case")) return core::invalidArgument("is required").withField("--case");
    if (a.positionals.empty())
      return core::invalidArgument("name the file to add").withField("FILE");
    service::AddEvidence req;
    req.case_id = a.get("case");
    req.incident_id = a.get("incident");
    req.description = a.get("describe");
    req.source_path = a.positionals[0];
    RECOURSE_ASSIGN_OR_RETURN(req.max_bytes, evidenceLimitBytes(ctx));
    if (a.has("date")) {
      RECOURSE_ASSIGN_OR_RETURN(req.date, core::Date::parse(a.get("date"), "--date"));
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto added = service::addEvidence(session->services(), req);
    if (!added.isOk()) {
      const core::Status& st = added.status();
      if (st.code() == core::StatusCode::kResourceExhausted) {
        return core::invalidArgument(st.message().substr(0, st.message().rfind(';')) +
                                     " (change it with --max-size MB or "
                                     "RECOURSE_EVIDENCE_MAX_MB); nothing was added")
            .withField("FILE");
      }
      return argError(st);
    }
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", added->id);
      o->set("case_id", added->case_id);
      o->set("original_name", added->original_name);
      o->set("media_type", added->media_type);
      o->set("size_bytes", static_cast<Poco::Int64>(added->size_bytes));
      o->set("sha256", added->sha256_hex);
      o->set("intake_at", core::formatTimestamp(added->intake_at));
      ctx.printJson(o);
    } else {
      ctx.out() << "Kept " << added->original_name << " as evidence " << added->id << " ("
                << added->media_type << ", " << describeSize(added->size_bytes) << ").\nSHA-256 "
                << added->sha256_hex
                << "\nThe original file is untouched; the sealed copy is in the vault.\n";
    }
    return core::Status::ok();
  }
};

class EvidenceList final : public Command {
 public:
  std::string name() const override { return "evidence list"; }
  std::string summary() const override { return "a case's evidence, with fingerprints"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case", false, "case_id"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("case")) return core::invalidArgument("is required").withField("--case");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto all,
                              service::listEvidence(session->services(), ctx.args().get("case")));
    if (ctx.args().json) {
      Array::Ptr arr = new Array;
      for (const auto& e : all) arr->add(server::evidenceToJson(e));
      ctx.printJson(arr);
      return core::Status::ok();
    }
    ctx.out() << pad("ID", 15) << pad("DATE", 12) << pad("TYPE", 26) << pad("SIZE", 10)
              << "FILE / DESCRIPTION / SHA-256\n";
    for (const auto& e : all) {
      ctx.out() << pad(e.id, 15) << pad(e.date ? e.date->toString() : "-", 12)
                << pad(e.media_type, 26) << pad(describeSize(e.size_bytes), 10)
                << truncateForDisplay(e.original_name, 40) << "\n";
      if (!e.description.empty()) {
        ctx.out() << std::string(63, ' ') << truncateForDisplay(e.description, 70) << "\n";
      }
      ctx.out() << std::string(63, ' ') << e.sha256_hex << "\n";
    }
    if (all.empty()) ctx.out() << "(no evidence yet: recourse evidence add --case ID FILE)\n";
    return core::Status::ok();
  }
};

class EvidenceExport final : public Command {
 public:
  std::string name() const override { return "evidence export"; }
  std::string summary() const override {
    return "write the original file back out, checked against its fingerprint";
  }
  std::string usage() const override { return "evidence export ID --out FILE"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"out", "FILE", "where to write it (must not exist)", false, "out_path"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("name the evidence").withField("ID");
    if (!a.has("out")) return core::invalidArgument("is required").withField("--out");
    const std::string out = a.get("out");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto e = service::exportEvidence(session->services(), a.positionals[0], out);
    if (!e.isOk()) return argError(e.status());
    ctx.out() << "Wrote " << out << " (" << describeSize(e->size_bytes)
              << "): the same bytes as when it was added (SHA-256 " << e->sha256_hex << ").\n";
    return core::Status::ok();
  }
};

class EvidenceVerify final : public Command {
 public:
  std::string name() const override { return "evidence verify"; }
  std::string summary() const override {
    return "check every sealed file against its fingerprint, and the custody log's chain";
  }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto check, service::verifyEvidence(session->services()));
    if (check.problems.empty()) {
      ctx.out() << "All " << plural(check.files, "evidence file", "evidence files")
                << " open and match their fingerprints; the custody log is intact ("
                << check.custody_entries << " entries, hash chain verified).\n";
      return core::Status::ok();
    }
    std::string msg = plural(check.problems.size(), "problem", "problems") + " found:";
    for (const auto& p : check.problems) msg += "\n  " + p;
    return core::corruption(msg);
  }
};

class EvidenceEditCommand final : public Command {
 public:
  std::string name() const override { return "evidence edit"; }
  std::string summary() const override {
    return "correct what is said about a file: its description, date or incident (the file "
           "never changes)";
  }
  std::string usage() const override {
    return "evidence edit ID [--describe TEXT] [--date YYYY-MM-DD] [--incident ID]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {
        {"describe", "TEXT", "what it is, in your words (\"\" empties it)", false, "description"},
        {"date", "YYYY-MM-DD", "when it is from (\"\" empties it)"},
        {"incident", "ID", "the incident it shows (\"\" for none)", false, "incident_id"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("name the evidence").withField("ID");
    service::EvidenceEdit edit;
    edit.evidence_id = a.positionals[0];
    if (a.has("describe")) edit.description = a.get("describe");
    if (a.has("date")) edit.date = a.get("date");
    if (a.has("incident")) edit.incident_id = a.get("incident");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto saved = service::editEvidence(session->services(), edit);
    if (!saved.isOk()) return argError(saved.status());
    if (a.json) {
      ctx.printJson(server::evidenceToJson(*saved));
      return core::Status::ok();
    }
    ctx.out() << "Saved the changes to evidence " << saved->id << " (" << saved->original_name
              << "). The file itself is unchanged.\n";
    return core::Status::ok();
  }
};

class EvidenceRemove final : public Command {
 public:
  std::string name() const override { return "evidence remove"; }
  std::string summary() const override {
    return "remove an evidence file from the case (its sealed copy is deleted)";
  }
  std::string usage() const override { return "evidence remove ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("name the evidence").withField("ID");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto e = service::getEvidence(services, a.positionals[0]);
    if (!e.isOk()) return argError(e.status());
    const std::string what =
        e->description.empty() ? e->original_name : e->description + " (" + e->original_name + ")";
    RECOURSE_ASSIGN_OR_RETURN(bool go, confirmDeletion(ctx, "Remove evidence " + e->id + ", " +
                                                                what + ", from its case?"));
    if (!go) return core::Status::ok();
    auto removed = service::removeEvidence(services, e->id);
    if (!removed.isOk()) return argError(removed.status());
    ctx.out() << "Removed evidence " << e->id
              << (removed->sealed_file_left
                      ? ". Its sealed copy could not be deleted from the evidence folder; it "
                        "can no longer be opened (its key is gone), and you may delete it."
                      : " and deleted its sealed copy.")
              << " It will not be in complaint packets made from now on. The custody log "
                 "keeps a record that it was removed (its id and fingerprint, not its name).\n";
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeEvidenceCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<EvidenceAdd>());
  v.push_back(std::make_unique<EvidenceList>());
  v.push_back(std::make_unique<EvidenceEditCommand>());
  v.push_back(std::make_unique<EvidenceExport>());
  v.push_back(std::make_unique<EvidenceVerify>());
  v.push_back(std::make_unique<EvidenceRemove>());
  return v;
}

}  // namespace recourse::cli
