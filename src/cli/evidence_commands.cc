// `recourse evidence add|list|export|verify`: files kept as evidence, sealed in the data
// directory, their SHA-256 taken before anything else reads them, every export and every
// packet written down in a hash-chained custody log.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli/command.h"
#include "cli/evidence.h"
#include "pdf/combine.h"
#include "pdf/document.h"

namespace recourse::cli {

std::string evidenceDir(const std::string& data_dir) { return data_dir + "/evidence"; }

core::StatusOr<long long> evidenceLimitBytes(Context& ctx) {
  std::string text = ctx.args().has("max-size") ? ctx.args().get("max-size") : "";
  const char* name = "--max-size";
  if (text.empty()) {
    auto it = ctx.env().vars.find("RECOURSE_EVIDENCE_MAX_MB");
    if (it != ctx.env().vars.end()) {
      text = it->second;
      name = "RECOURSE_EVIDENCE_MAX_MB";
    }
  }
  if (text.empty()) return kDefaultEvidenceLimitMb * 1024 * 1024;
  char* end = nullptr;
  long long mb = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || mb < 1 || mb > 1024 * 1024) {
    return core::invalidArgument(std::string(name) + ": \"" + text.substr(0, 20) +
                                 "\" is not a size in MB (a whole number from 1)");
  }
  return mb * 1024 * 1024;
}

std::string describeSize(long long bytes) {
  char buf[64];
  if (bytes >= 1024LL * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  } else if (bytes >= 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024));
  } else if (bytes >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lld bytes", bytes);
  }
  return buf;
}

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What the file is, from its first bytes; what its name claims, from its extension.
struct Kind {
  std::string media_type;
  std::optional<pdf::ImageType> image;
  bool pdf = false;
};

core::StatusOr<Kind> sniff(const std::string& path, const std::string& shown) {
  std::ifstream f(path, std::ios::binary);
  char head[1024] = {};
  f.read(head, sizeof head);
  std::string start(head, static_cast<size_t>(f.gcount()));
  Kind k;
  if (start.find("%PDF-") != std::string::npos) {
    k.media_type = "application/pdf";
    k.pdf = true;
  } else if (start.rfind("\x89PNG\r\n\x1a\n", 0) == 0) {
    k.media_type = "image/png";
    k.image = pdf::ImageType::kPng;
  } else if (start.size() >= 3 && static_cast<unsigned char>(start[0]) == 0xFF &&
             static_cast<unsigned char>(start[1]) == 0xD8 &&
             static_cast<unsigned char>(start[2]) == 0xFF) {
    k.media_type = "image/jpeg";
    k.image = pdf::ImageType::kJpeg;
  } else {
    k.media_type = "application/octet-stream";
  }
  std::string ext = lower(std::filesystem::path(path).extension().string());
  if (ext == ".pdf" && !k.pdf) {
    return core::invalidArgument(shown +
                                 ": its name says PDF but it is not a PDF file (it does "
                                 "not start like one); nothing was added");
  }
  if ((ext == ".png" && k.image != pdf::ImageType::kPng) ||
      ((ext == ".jpg" || ext == ".jpeg") && k.image != pdf::ImageType::kJpeg)) {
    return core::invalidArgument(shown + ": its name says " + ext.substr(1) +
                                 " image but it is not one; nothing was added");
  }
  return k;
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
    return {{"case", "ID", "the case (required)"},
            {"incident", "ID", "the incident it shows (optional)"},
            {"describe", "TEXT", "what it is, in your words (e.g. \"Text from Dr. P\")"},
            {"date", "YYYY-MM-DD", "when it is from (e.g. the day of the message)"},
            {"max-size", "MB",
             "largest file accepted (default " + std::to_string(kDefaultEvidenceLimitMb) +
                 "; also RECOURSE_EVIDENCE_MAX_MB)"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("case")) return core::invalidArgument("--case: is required");
    if (a.positionals.empty()) return core::invalidArgument("FILE: name the file to add");
    const std::string path = a.positionals[0];
    const std::string shown = std::filesystem::path(path).filename().string();
    RECOURSE_ASSIGN_OR_RETURN(long long limit, evidenceLimitBytes(ctx));
    core::EvidenceItem item;
    item.case_id = a.get("case");
    item.incident_id = a.get("incident");
    item.description = a.get("describe");
    item.added_by = "vault owner";
    if (a.has("date")) {
      auto d = core::Date::parse(a.get("date"), "--date");
      if (!d.isOk()) return d.status();
      item.date = *d;
    }
    // What the file system says, before reading a byte.
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0) {
      return core::invalidArgument("FILE: " + path + " cannot be read: " + std::strerror(errno));
    }
    if (!S_ISREG(sb.st_mode)) {
      return core::invalidArgument("FILE: " + path + " is not a regular file");
    }
    if (sb.st_size == 0) {
      return core::invalidArgument("FILE: " + shown + " is empty (0 bytes); nothing was added");
    }
    if (sb.st_size > limit) {
      return core::invalidArgument(
          "FILE: " + shown + " is " + describeSize(sb.st_size) + "; the largest file Recourse " +
          "keeps is " + describeSize(limit) +
          " (change it with --max-size MB or RECOURSE_EVIDENCE_MAX_MB); nothing was added");
    }
    if (::access(path.c_str(), R_OK) != 0) {
      return core::invalidArgument("FILE: " + path + " cannot be read: " + std::strerror(errno));
    }
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    if (!(*st)->getCase(item.case_id).isOk()) {
      return core::notFound("--case: no case with id " + item.case_id);
    }
    if (!item.incident_id.empty()) {
      auto inc = (*st)->getIncident(item.incident_id);
      if (!inc.isOk() || inc->case_id != item.case_id) {
        return core::notFound("--incident: no incident " + item.incident_id + " in this case");
      }
    }
    auto data_dir = ctx.dataDir();
    if (!data_dir.isOk()) return data_dir.status();

    // The fingerprint first: nothing else has read the file yet.
    auto hash = store::sha256File(path);
    if (!hash.isOk()) return core::invalidArgument("FILE: " + hash.status().text());
    item.sha256_hex = *hash;
    item.size_bytes = sb.st_size;
    item.original_name = shown;
    RECOURSE_ASSIGN_OR_RETURN(Kind kind, sniff(path, shown));
    item.media_type = kind.media_type;
    if (kind.pdf) {
      auto pages = pdf::pdfPageCount(path);
      if (!pages.isOk()) {
        return core::invalidArgument("FILE: " + shown +
                                     " starts like a PDF but cannot be read as one (damaged or "
                                     "incomplete); nothing was added");
      }
    } else if (kind.image) {
      std::ifstream f(path, std::ios::binary);
      std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
      if (!pdf::checkImage(bytes, *kind.image).isOk()) {
        return core::invalidArgument("FILE: " + shown + " looks like a " +
                                     (kind.image == pdf::ImageType::kPng ? "PNG" : "JPEG") +
                                     " image but is damaged and cannot be shown; nothing was "
                                     "added");
      }
    }
    auto added = (*st)->addEvidence(item, path, evidenceDir(*data_dir));
    if (!added.isOk()) return added.status();
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
      ctx.out() << "Kept " << shown << " as evidence " << added->id << " (" << added->media_type
                << ", " << describeSize(added->size_bytes) << ").\nSHA-256 " << added->sha256_hex
                << "\nThe original file is untouched; the sealed copy is in the vault.\n";
    }
    return core::Status::ok();
  }
};

class EvidenceList final : public Command {
 public:
  std::string name() const override { return "evidence list"; }
  std::string summary() const override { return "a case's evidence, with fingerprints"; }
  std::vector<OptionSpec> options() const override { return {{"case", "ID", "the case"}}; }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("case")) return core::invalidArgument("--case: is required");
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto all = (*st)->listEvidence(ctx.args().get("case"));
    if (!all.isOk()) {
      if (all.status().code() == core::StatusCode::kNotFound) {
        return core::notFound("--case: no case with id " + ctx.args().get("case"));
      }
      return all.status();
    }
    if (ctx.args().json) {
      Array::Ptr arr = new Array;
      for (const auto& e : *all) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", e.id);
        o->set("original_name", e.original_name);
        o->set("description", e.description);
        o->set("date", e.date ? Poco::Dynamic::Var(e.date->toString()) : Poco::Dynamic::Var());
        o->set("incident_id", e.incident_id);
        o->set("media_type", e.media_type);
        o->set("size_bytes", static_cast<Poco::Int64>(e.size_bytes));
        o->set("sha256", e.sha256_hex);
        o->set("intake_at", core::formatTimestamp(e.intake_at));
        arr->add(o);
      }
      ctx.printJson(arr);
      return core::Status::ok();
    }
    ctx.out() << pad("ID", 15) << pad("DATE", 12) << pad("TYPE", 26) << pad("SIZE", 10)
              << "FILE / SHA-256\n";
    for (const auto& e : *all) {
      ctx.out() << pad(e.id, 15) << pad(e.date ? e.date->toString() : "-", 12)
                << pad(e.media_type, 26) << pad(describeSize(e.size_bytes), 10)
                << truncateForDisplay(e.original_name, 40) << "\n"
                << std::string(63, ' ') << e.sha256_hex << "\n";
    }
    if (all->empty()) ctx.out() << "(no evidence yet: recourse evidence add --case ID FILE)\n";
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
    return {{"out", "FILE", "where to write it (must not exist)"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("ID: name the evidence");
    if (!a.has("out")) return core::invalidArgument("--out: is required");
    const std::string out = a.get("out");
    if (std::filesystem::exists(out)) {
      return core::invalidArgument("--out: " + out + " already exists; choose a new file name");
    }
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto e = (*st)->getEvidence(a.positionals[0]);
    if (!e.isOk()) return core::notFound("ID: no evidence with id " + a.positionals[0]);
    auto data_dir = ctx.dataDir();
    if (!data_dir.isOk()) return data_dir.status();
    const std::string tmp = out + ".partial";
    core::Status s;
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr)
      return core::ioError("--out: cannot write " + out + ": " + std::strerror(errno));
    s = (*st)->readEvidence(
        e->id, evidenceDir(*data_dir), "", [&](const std::uint8_t* p, size_t n) {
          return std::fwrite(p, 1, n, f) == n ? core::Status::ok()
                                              : core::ioError("--out: writing " + out + " failed");
        });
    if (std::fflush(f) != 0 && s.isOk()) s = core::ioError("--out: writing " + out + " failed");
    if (std::fclose(f) != 0 && s.isOk()) s = core::ioError("--out: writing " + out + " failed");
    std::error_code ec;
    if (!s.isOk()) {
      std::filesystem::remove(tmp, ec);
      return s;
    }
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
      std::filesystem::remove(tmp, ec);
      return core::ioError("--out: cannot create " + out + ": " + ec.message());
    }
    // Only a complete, checked copy counts as an export in the custody log.
    RECOURSE_RETURN_IF_ERROR((*st)->recordCustody({e->id}, "export"));
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
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto data_dir = ctx.dataDir();
    if (!data_dir.isOk()) return data_dir.status();
    auto problems = (*st)->verifyEvidence(evidenceDir(*data_dir));
    if (!problems.isOk()) return problems.status();
    auto log = (*st)->custodyLog();
    if (!log.isOk()) return log.status();
    size_t files = 0;
    for (const auto& c : *log) files += c.action == "intake" ? 1 : 0;
    if (problems->empty()) {
      ctx.out() << "All " << plural(files, "evidence file", "evidence files")
                << " open and match their fingerprints; the custody log is intact (" << log->size()
                << " entries, hash chain verified).\n";
      return core::Status::ok();
    }
    std::string msg = plural(problems->size(), "problem", "problems") + " found:";
    for (const auto& p : *problems) msg += "\n  " + p;
    return core::corruption(msg);
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeEvidenceCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<EvidenceAdd>());
  v.push_back(std::make_unique<EvidenceList>());
  v.push_back(std::make_unique<EvidenceExport>());
  v.push_back(std::make_unique<EvidenceVerify>());
  return v;
}

}  // namespace recourse::cli
