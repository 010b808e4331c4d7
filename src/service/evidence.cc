#include "service/evidence.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/validation.h"
#include "pdf/combine.h"
#include "pdf/document.h"
#include "service/errors.h"
#include "service/files.h"
#include "store/crypto.h"
#include "store/pending_evidence.h"
#include "store/store.h"

namespace recourse::service {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

core::Status fileError(const std::string& message) {
  return core::invalidArgument(message).withField("file");
}

struct Kind {
  std::string media_type;
  std::optional<pdf::ImageType> image;
  bool pdf = false;
};

// What the file is, from its first bytes (`head`); what its name claims, from the extension
// of `name`. InvalidArgument about "file" when the two disagree.
core::StatusOr<Kind> sniff(const std::string& head, const std::string& name) {
  Kind k;
  if (head.find("%PDF-") != std::string::npos) {
    k.media_type = "application/pdf";
    k.pdf = true;
  } else if (head.rfind("\x89PNG\r\n\x1a\n", 0) == 0) {
    k.media_type = "image/png";
    k.image = pdf::ImageType::kPng;
  } else if (head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0xFF &&
             static_cast<unsigned char>(head[1]) == 0xD8 &&
             static_cast<unsigned char>(head[2]) == 0xFF) {
    k.media_type = "image/jpeg";
    k.image = pdf::ImageType::kJpeg;
  } else {
    k.media_type = "application/octet-stream";
  }
  std::string ext = lower(std::filesystem::path(name).extension().string());
  if (ext == ".pdf" && !k.pdf) {
    return fileError(name +
                     ": its name says PDF but it is not a PDF file (it does not start like one); "
                     "nothing was added")
        .withReason("file_not_what_name_says", {{"name", name}, {"kind", "PDF"}});
  }
  if ((ext == ".png" && k.image != pdf::ImageType::kPng) ||
      ((ext == ".jpg" || ext == ".jpeg") && k.image != pdf::ImageType::kJpeg)) {
    return fileError(name + ": its name says " + ext.substr(1) +
                     " image but it is not one; nothing was added")
        .withReason("file_not_what_name_says", {{"name", name}, {"kind", upper(ext.substr(1))}});
  }
  return k;
}

constexpr size_t kHead = 1024;  // how much of a file sniff looks at

// Checks that a file is what it starts like: a PDF that opens, an image that decodes.
core::Status checkContent(const Kind& kind, const std::vector<std::uint8_t>& bytes,
                          const std::string& name) {
  if (kind.pdf && !pdf::pdfPageCount(bytes, name).isOk()) {
    return fileError(name +
                     " starts like a PDF but cannot be read as one (damaged or incomplete); "
                     "nothing was added")
        .withReason("file_damaged", {{"name", name}, {"kind", "PDF"}});
  }
  if (kind.image && !pdf::checkImage(bytes, *kind.image).isOk()) {
    return fileError(name + " looks like a " +
                     (kind.image == pdf::ImageType::kPng ? "PNG" : "JPEG") +
                     " image but is damaged and cannot be shown; nothing was added")
        .withReason(
            "file_damaged",
            {{"name", name}, {"kind", kind.image == pdf::ImageType::kPng ? "PNG" : "JPEG"}});
  }
  return core::Status::ok();
}

core::Status tooLarge(const std::string& name, long long size, long long max_bytes) {
  const std::string what = size > 0 ? name + " is " + describeSize(size) : name + " is larger";
  return core::resourceExhausted(what + "; the largest file Recourse keeps is " +
                                 describeSize(max_bytes) + "; nothing was added")
      .withField("file")
      .withReason("file_too_large", {{"name", name}, {"max", describeSize(max_bytes)}});
}

// The incident, when one is named, must be of the case. NotFound about "incident_id".
core::Status checkIncidentOfCase(Services& s, const std::string& case_id,
                                 const std::string& incident_id) {
  if (incident_id.empty()) return core::Status::ok();
  auto inc = s.store.getIncident(incident_id);
  if (!inc.isOk() || inc->case_id != case_id) {
    if (!inc.isOk() && inc.status().code() != core::StatusCode::kNotFound) return inc.status();
    return core::notFound("no incident " + incident_id + " in this case").withField("incident_id");
  }
  return core::Status::ok();
}

}  // namespace

core::StatusOr<long long> parseEvidenceLimitMb(const std::string& text, const std::string& field) {
  char* end = nullptr;
  errno = 0;
  long long mb = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == text.c_str() || *end != '\0' || errno != 0 || mb < 1 ||
      mb > 1024LL * 1024) {
    return core::invalidArgument("\"" + text.substr(0, 20) +
                                 "\" is not a size in MB (a whole number from 1)")
        .withField(field);
  }
  return mb * 1024 * 1024;
}

std::string describeSize(long long bytes) {
  char buf[64];
  if (bytes >= 1024LL * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  } else if (bytes >= 1024LL * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024));
  } else if (bytes >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lld bytes", bytes);
  }
  return buf;
}

core::StatusOr<core::EvidenceItem> addEvidence(Services& s, const AddEvidence& in) {
  const std::string& path = in.source_path;
  if (path.empty()) return fileError("name the file to add");
  const std::string shown = std::filesystem::path(path).filename().string();
  // What the file system says, before reading a byte.
  struct stat sb {};
  if (::stat(path.c_str(), &sb) != 0) {
    return fileError(path + " cannot be read: " + std::strerror(errno));
  }
  if (!S_ISREG(sb.st_mode)) return fileError(path + " is not a regular file");
  if (sb.st_size == 0) return fileError(shown + " is empty (0 bytes); nothing was added");
  if (sb.st_size > in.max_bytes) return tooLarge(shown, sb.st_size, in.max_bytes);
  if (::access(path.c_str(), R_OK) != 0) {
    return fileError(path + " cannot be read: " + std::strerror(errno));
  }
  auto kase = s.store.getCase(in.case_id);
  if (!kase.isOk()) {
    return notFoundAs(kase.status(), "no case with id " + in.case_id, "case_id");
  }
  RECOURSE_RETURN_IF_ERROR(checkIncidentOfCase(s, in.case_id, in.incident_id));
  core::EvidenceItem item;
  item.case_id = in.case_id;
  item.incident_id = in.incident_id;
  item.description = in.description;
  item.date = in.date;
  item.added_by = in.added_by;
  // The fingerprint first: nothing else has read the file yet.
  auto hash = store::sha256File(path);
  if (!hash.isOk()) return fileError(hash.status().text());
  item.sha256_hex = *hash;
  item.size_bytes = sb.st_size;
  item.original_name = shown;
  std::string head(kHead, '\0');
  {
    std::ifstream f(path, std::ios::binary);
    f.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(f.gcount()));
  }
  RECOURSE_ASSIGN_OR_RETURN(Kind kind, sniff(head, shown));
  item.media_type = kind.media_type;
  if (kind.pdf || kind.image) {
    std::ifstream f(path, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
    RECOURSE_RETURN_IF_ERROR(checkContent(kind, bytes, shown));
  }
  return s.store.addEvidence(item, path, evidenceDir(s.data_dir));
}

core::StatusOr<core::EvidenceItem> uploadEvidence(Services& s, const UploadEvidence& in) {
  // Only the last part of a path, whichever system's separator it uses.
  const size_t cut = in.original_name.find_last_of("/\\");
  const std::string name =
      cut == std::string::npos ? in.original_name : in.original_name.substr(cut + 1);
  if (name.empty() || name == "." || name == "..") {
    return core::invalidArgument("must be the file's name").withField("name");
  }
  if (name.size() > core::kMaxShortText || !core::isValidUtf8(name)) {
    return fileError("its name is longer than " + std::to_string(core::kMaxShortText) +
                     " bytes or is not text; rename it, then add it again")
        .withReason("file_name_too_long", {{"max", std::to_string(core::kMaxShortText)}});
  }
  auto kase = s.store.getCase(in.case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + in.case_id, "case_id");
  RECOURSE_RETURN_IF_ERROR(checkIncidentOfCase(s, in.case_id, in.incident_id));
  // The first bytes are kept as they pass, to tell what the file is.
  std::string head;
  store::ByteSource source = [&](std::uint8_t* buf, size_t cap) -> core::StatusOr<size_t> {
    RECOURSE_ASSIGN_OR_RETURN(size_t n, in.source(buf, cap));
    if (head.size() < kHead) {
      head.append(reinterpret_cast<const char*>(buf), std::min(n, kHead - head.size()));
    }
    return n;
  };
  auto pending = s.store.sealEvidence(in.case_id, source, evidenceDir(s.data_dir), in.max_bytes);
  if (!pending.isOk()) {
    if (pending.status().code() == core::StatusCode::kResourceExhausted) {
      return tooLarge(name, 0, in.max_bytes);
    }
    return notFoundAs(pending.status(), "no case with id " + in.case_id, "case_id");
  }
  if ((*pending)->size() == 0) {
    return fileError(name + " is empty (0 bytes); nothing was added")
        .withReason("file_empty", {{"name", name}});
  }
  RECOURSE_ASSIGN_OR_RETURN(Kind kind, sniff(head, name));
  if (kind.pdf || kind.image) {
    // Read back from the sealed copy: the bytes checked are the bytes kept.
    std::vector<std::uint8_t> bytes;
    bytes.reserve(static_cast<size_t>((*pending)->size()));
    RECOURSE_RETURN_IF_ERROR((*pending)->read([&](const std::uint8_t* p, size_t n) {
      bytes.insert(bytes.end(), p, p + n);
      return core::Status::ok();
    }));
    RECOURSE_RETURN_IF_ERROR(checkContent(kind, bytes, name));
  }
  core::EvidenceItem item;
  item.case_id = in.case_id;
  item.incident_id = in.incident_id;
  item.description = in.description;
  item.date = in.date;
  item.added_by = in.added_by;
  item.original_name = name;
  item.media_type = kind.media_type;
  return s.store.commitEvidence(std::move(pending).value(), item);
}

core::StatusOr<std::vector<core::EvidenceItem>> listEvidence(Services& s,
                                                             const std::string& case_id) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  return s.store.listEvidence(case_id);
}

core::StatusOr<core::EvidenceItem> exportEvidence(Services& s, const std::string& evidence_id,
                                                  const std::string& out) {
  if (out.empty()) return core::invalidArgument("is required").withField("out_path");
  RECOURSE_RETURN_IF_ERROR(requireNewFile(out, "out_path"));
  auto e = s.store.getEvidence(evidence_id);
  if (!e.isOk()) {
    return notFoundAs(e.status(), "no evidence with id " + evidence_id, "evidence_id");
  }
  const std::string tmp = out + ".partial";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return core::ioError("cannot write " + out + ": " + std::strerror(errno)).withField("out_path");
  }
  const core::Status failed = core::ioError("writing " + out + " failed").withField("out_path");
  core::Status st = s.store.readEvidence(
      e->id, evidenceDir(s.data_dir), "", [&](const std::uint8_t* p, size_t n) {
        return std::fwrite(p, 1, n, f) == n ? core::Status::ok() : failed;
      });
  if (std::fflush(f) != 0 && st.isOk()) st = failed;
  if (std::fclose(f) != 0 && st.isOk()) st = failed;
  std::error_code ec;
  if (!st.isOk()) {
    std::filesystem::remove(tmp, ec);
    return st;
  }
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    return core::ioError("cannot create " + out + ": " + why).withField("out_path");
  }
  // Only a complete, checked copy counts as an export in the custody log.
  RECOURSE_RETURN_IF_ERROR(s.store.recordCustody({e->id}, "export"));
  return e;
}

core::StatusOr<core::EvidenceItem> sendEvidence(
    Services& s, const std::string& evidence_id,
    const std::function<core::Status(const std::uint8_t*, size_t)>& sink) {
  RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, getEvidence(s, evidence_id));
  const std::string dir = evidenceDir(s.data_dir);
  // Whole and intact before a byte goes out: a download cannot be taken back.
  RECOURSE_RETURN_IF_ERROR(s.store.readEvidence(
      e.id, dir, "", [](const std::uint8_t*, size_t) { return core::Status::ok(); }));
  RECOURSE_RETURN_IF_ERROR(s.store.readEvidence(e.id, dir, "export", sink));
  return e;
}

core::StatusOr<std::vector<ItemCheck>> checkCaseEvidence(Services& s, const std::string& case_id) {
  RECOURSE_ASSIGN_OR_RETURN(auto items, listEvidence(s, case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto problems, s.store.verifyEvidence(evidenceDir(s.data_dir)));
  std::vector<ItemCheck> out;
  for (auto& e : items) {
    ItemCheck c{std::move(e), ""};
    for (const auto& line : problems) {
      if (line.rfind(c.item.id + ":", 0) == 0 || line.rfind(c.item.id + " ", 0) == 0) {
        c.problem += (c.problem.empty() ? "" : "; ") + line.substr(c.item.id.size() + 1);
      }
    }
    while (!c.problem.empty() && c.problem.front() == ' ') c.problem.erase(0, 1);
    out.push_back(std::move(c));
  }
  return out;
}

core::StatusOr<core::EvidenceItem> getEvidence(Services& s, const std::string& evidence_id) {
  auto item = s.store.getEvidence(evidence_id);
  if (!item.isOk()) {
    return notFoundAs(item.status(), "no evidence with id " + evidence_id, "evidence_id");
  }
  return item;
}

core::StatusOr<core::EvidenceItem> editEvidence(Services& s, const EvidenceEdit& in) {
  RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, getEvidence(s, in.evidence_id));
  if (in.description) e.description = *in.description;
  if (in.date) {
    if (in.date->empty()) {
      e.date.reset();
    } else {
      RECOURSE_ASSIGN_OR_RETURN(e.date, parseDateAbout(*in.date, "date"));
      if (s.clock.today() < *e.date) return dayInFuture(*e.date, "date");
    }
  }
  if (in.incident_id) e.incident_id = *in.incident_id;
  if (in.version > 0) e.version = in.version;
  return s.store.updateEvidence(e);
}

core::StatusOr<RemovedEvidence> removeEvidence(Services& s, const std::string& evidence_id) {
  auto item = s.store.getEvidence(evidence_id);
  if (!item.isOk()) {
    return notFoundAs(item.status(), "no evidence with id " + evidence_id, "evidence_id");
  }
  auto removed = s.store.removeEvidence(evidence_id, evidenceDir(s.data_dir));
  if (!removed.isOk()) {
    return notFoundAs(removed.status(), "no evidence with id " + evidence_id, "evidence_id");
  }
  return RemovedEvidence{std::move(item).value(), !removed->files_left.empty()};
}

core::StatusOr<EvidenceCheck> verifyEvidence(Services& s) {
  EvidenceCheck out;
  RECOURSE_ASSIGN_OR_RETURN(out.problems, s.store.verifyEvidence(evidenceDir(s.data_dir)));
  RECOURSE_ASSIGN_OR_RETURN(auto log, s.store.custodyLog());
  for (const auto& c : log) out.files += c.action == "intake" ? 1 : 0;
  out.custody_entries = log.size();
  return out;
}

}  // namespace recourse::service
