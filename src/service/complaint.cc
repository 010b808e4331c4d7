#include "service/complaint.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/validation.h"
#include "forms/interview.h"
#include "jurisdiction/json_reader.h"
#include "pdf/combine.h"
#include "pdf/document.h"
#include "service/complaint_tracking.h"
#include "service/errors.h"
#include "service/files.h"
#include "service/incidents.h"
#include "service/letters.h"
#include "service/time_limits.h"
#include "store/store.h"

namespace recourse::service {

using Poco::JSON::Object;

std::string answerText(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "";
  if (v.isString()) return v.extract<std::string>();
  if (v.type() == typeid(bool)) return v.extract<bool>() ? "yes" : "no";
  if (v.type() == typeid(Object::Ptr)) {
    auto o = v.extract<Object::Ptr>();
    std::string out;
    for (const char* k : {"name", "relationship", "line1", "line2", "city", "region", "postal_code",
                          "country", "address", "email", "phone", "text", "date", "start", "end"}) {
      if (o->has(k) && o->get(k).isString() && !o->get(k).extract<std::string>().empty()) {
        out += (out.empty()               ? ""
                : std::string(k) == "end" ? " to "
                                          : ", ") +
               o->get(k).extract<std::string>();
      }
    }
    return out;
  }
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto a = v.extract<Poco::JSON::Array::Ptr>();
    std::string out;
    for (size_t i = 0; i < a->size(); ++i) {
      out += (i ? ", " : "") + a->get(static_cast<unsigned>(i)).convert<std::string>();
    }
    return out;
  }
  return v.convert<std::string>();
}

namespace {

// Everything a complaint is made from, loaded once.
struct ComplaintInputs {
  core::Case kase;
  core::Client client;
  std::vector<core::Incident> incidents;
  std::vector<core::EvidenceItem> evidence;
  const forms::Form* form = nullptr;
  const jurisdiction::Board* board = nullptr;
  std::string board_note;  // why no board was found
  std::optional<core::Complaint> saved;
  Object::Ptr answers;
};

core::Status load(Services& s, const std::string& case_id, ComplaintInputs* in) {
  if (case_id.empty()) return core::invalidArgument("is required").withField("case_id");
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) {
    if (kase.status().code() == core::StatusCode::kNotFound) {
      return core::notFound("no case with id " + case_id).withField("case_id");
    }
    return kase.status();
  }
  in->kase = *kase;
  RECOURSE_ASSIGN_OR_RETURN(in->client, s.store.getClient(in->kase.client_id));
  RECOURSE_ASSIGN_OR_RETURN(in->incidents, s.store.listIncidents(in->kase.id));
  sortByWhen(&in->incidents);
  RECOURSE_ASSIGN_OR_RETURN(in->evidence, s.store.listEvidence(in->kase.id));
  RECOURSE_ASSIGN_OR_RETURN(in->saved, s.store.complaintOfCase(in->kase.id));
  const core::Provider& p = in->kase.provider;
  auto boards = s.catalog.law().findBoards(p.jurisdiction, p.license_type);
  if (boards.isOk()) {
    in->board = (*boards)[0].board;
  } else {
    in->board_note = boards.status().message();
  }
  // The board's own form when Recourse has one, else the general complaint.
  const forms::FormSet& set = s.catalog.forms();
  if (in->board != nullptr) in->form = set.find("board-complaint-" + in->board->id);
  if (in->form == nullptr) in->form = set.find("board-complaint");
  if (in->form == nullptr) {
    return core::failedPrecondition("the board-complaint form is missing or has problems");
  }
  in->answers = new Object;
  if (in->saved && !in->saved->answers_json.empty()) {
    std::vector<forms::Problem> problems;
    auto stored = jurisdiction::parseJsonObject(in->saved->answers_json, "complaint", &problems);
    if (!stored) {
      return core::corruption("the saved answers of the complaint about case " + in->kase.id +
                              " cannot be read");
    }
    for (const auto& n : stored->getNames()) {
      if (in->form->findField(n) != nullptr) in->answers->set(n, stored->get(n));
    }
  }
  return core::Status::ok();
}

// "Exhibit 2", "Exhibits 2 and 5", "Exhibits 2, 5 and 7": the evidence tied to an incident,
// numbered as in the packet; "" when none is.
std::string exhibitsOf(const core::Incident& incident,
                       const std::vector<core::EvidenceItem>& evidence) {
  std::vector<std::string> numbers;
  for (size_t i = 0; i < evidence.size(); ++i) {
    if (!incident.id.empty() && evidence[i].incident_id == incident.id) {
      numbers.push_back(std::to_string(i + 1));
    }
  }
  if (numbers.empty()) return "";
  std::string out = numbers.size() == 1 ? "Exhibit " : "Exhibits ";
  for (size_t k = 0; k < numbers.size(); ++k) {
    out += (k == 0 ? "" : k + 1 == numbers.size() ? " and " : ", ") + numbers[k];
  }
  return out;
}

// The incident an exhibit shows, as the timeline names it: "2024-04-02: Ended therapy by
// text"; "" when it is not tied to one.
std::string incidentsOf(const core::EvidenceItem& e, const std::vector<core::Incident>& incidents) {
  for (const auto& i : incidents) {
    if (!e.incident_id.empty() && i.id == e.incident_id) return describeWhen(i) + ": " + i.summary;
  }
  return "";
}

// The text of a file that is plain text (an email or a note saved as .txt): valid UTF-8
// with no control characters but tabs, line and page breaks, at most 2 MB. Line ends become
// newlines. None for anything else.
std::optional<std::string> printableText(const std::vector<std::uint8_t>& bytes) {
  constexpr size_t kMax = size_t{2} * 1024 * 1024;
  if (bytes.size() > kMax) return std::nullopt;
  std::string t(bytes.begin(), bytes.end());
  if (t.rfind("\xEF\xBB\xBF", 0) == 0) t.erase(0, 3);
  if (!core::isValidUtf8(t)) return std::nullopt;
  std::string out;
  out.reserve(t.size());
  for (size_t k = 0; k < t.size(); ++k) {
    const auto c = static_cast<unsigned char>(t[k]);
    if (c == '\r') {
      if (k + 1 < t.size() && t[k + 1] == '\n') continue;
      out += '\n';
    } else if (c == '\f') {
      out += '\n';
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      return std::nullopt;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The ethics-code sections for each kind of harm the incidents name, those of the
// therapist's own profession first (an LMFT's conduct against the AAMFT code), each
// unverified one marked so; and packet.ethics_note saying what they are.
void applyEthics(Services& s, const ComplaintInputs& in, pdf::DocumentContext* dc) {
  const auto& taxonomy = s.catalog.forms().taxonomy;
  if (!taxonomy) return;
  const jurisdiction::Registry& law = s.catalog.law();
  const core::Provider& p = in.kase.provider;
  const std::string license = law.resolveLicense(p.license_type, p.jurisdiction);
  std::string license_label;
  for (const auto& t : law.licenseTypes()) {
    if (t.id == license) license_label = t.label;
  }
  std::vector<std::string> own;  // the codes of the therapist's profession
  std::string own_names;
  std::vector<std::string> chain;
  for (const auto* j : law.chain(p.jurisdiction)) chain.push_back(j->id);
  for (const auto& c : taxonomy->codes) {
    if (c.ownFor(license, chain)) {
      own.push_back(c.id);
      own_names += (own_names.empty() ? "" : " and ") + c.name;
    }
  }
  std::vector<std::string> ids;
  for (const auto& i : in.incidents) {
    for (const auto& h : i.harm_kinds) {
      if (std::find(ids.begin(), ids.end(), h) == ids.end()) ids.push_back(h);
    }
  }
  dc->harms.clear();
  bool unverified = false;
  bool cites_own = false;
  for (const auto& id : ids) {
    const forms::HarmKind* kind = taxonomy->find(id);
    if (kind == nullptr || kind->ethics.empty()) continue;
    std::string mine;
    std::string others;
    for (const auto& c : kind->ethics) {
      std::string cite = upper(c.code) + " " + c.section;
      if (!c.title.empty()) cite += " (" + c.title + ")";
      if (!c.verified) {
        cite += " [unverified]";
        unverified = true;
      }
      const bool is_own = std::find(own.begin(), own.end(), c.code) != own.end();
      std::string& to = is_own ? mine : others;
      to += (to.empty() ? "" : "; ") + cite;
    }
    std::string ethics = mine;
    if (!mine.empty()) cites_own = true;
    if (!others.empty()) {
      ethics += mine.empty() ? others : ". In other professions' codes: " + others;
    }
    dc->harms.push_back({kind->label, kind->description, ethics});
  }
  if (dc->harms.empty()) {
    dc->values.erase("packet.ethics_note");
    return;
  }
  std::string note =
      "These sections of professional codes of ethics concern the kinds of harm described "
      "above.";
  if (cites_own && !license_label.empty()) {
    std::string lower = license_label;
    lower[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[0])));
    note += " The therapist is licensed as a " + lower + ", so the sections of the " + own_names +
            " come first.";
  }
  if (unverified) {
    note +=
        " A section marked [unverified] was read in a reproduction of the code, not in its "
        "publisher's own text, and should be checked against the code.";
  }
  dc->values["packet.ethics_note"] = note;
}

bool onBehalf(const Object::Ptr& answers) {
  if (!answers->has("relationship") || !answers->get("relationship").isString()) return false;
  const std::string r = answers->get("relationship").extract<std::string>();
  return r == "parent_guardian" || r == "representative";
}

std::string text(const Object::Ptr& o, const std::string& k) {
  if (!o->has(k) || !o->get(k).isString()) return {};
  return o->get(k).extract<std::string>();
}

// What the case knows that only the complaint asks for (kept apart from the letters'
// prefillAnswers): the practice address, and for a complaint made on someone's behalf the
// client's name from the case. Then the person making it on someone's behalf is not the
// client: answers about the complainant that are the client's own (filled in from the
// client before the relationship was given) are taken out, so their own are asked for.
void prefillComplaint(const forms::Form& form, const core::Client& client, const core::Case& kase,
                      Object::Ptr answers) {
  const core::Provider& p = kase.provider;
  if (form.findField("practice_address") != nullptr && !answers->has("practice_address") &&
      !p.address.empty()) {
    Object::Ptr a = new Object;
    a->set("line1", p.address);
    answers->set("practice_address", a);
  }
  if (!onBehalf(answers)) return;
  if (form.findField("client_name") != nullptr && text(answers, "client_name").empty() &&
      !client.name.empty()) {
    answers->set("client_name", client.name);
  }
  auto dropIf = [&](const char* id, const std::string& clients) {
    if (!clients.empty() && text(answers, id) == clients) answers->remove(id);
  };
  dropIf("complainant_name", client.name);
  dropIf("complainant_email", client.email);
  dropIf("complainant_phone", client.phone);
  if (answers->has("complainant_address") &&
      answers->get("complainant_address").type() == typeid(Object::Ptr)) {
    auto a = answers->getObject("complainant_address");
    if (!client.address.empty() && a->size() == 1 && text(a, "line1") == client.address) {
      answers->remove("complainant_address");
    }
  }
}

}  // namespace

core::StatusOr<ComplaintReview> reviewComplaint(Services& s, const ReviewComplaint& req) {
  ComplaintInputs in;
  RECOURSE_RETURN_IF_ERROR(load(s, req.case_id, &in));
  if (req.answers) {
    for (const auto& n : req.answers->getNames()) in.answers->set(n, req.answers->get(n));
  }
  RECOURSE_RETURN_IF_ERROR(applySetOptions(*in.form, req.set, in.answers));
  if (!in.answers->has("relationship") && in.form->findField("relationship") != nullptr) {
    in.answers->set("relationship", "client");
  }
  prefillAnswers(*in.form, in.client, in.kase, in.answers);
  prefillComplaint(*in.form, in.client, in.kase, in.answers);
  // Wrong answers (not missing ones) are refused before anything is saved.
  for (const auto& p : forms::checkAnswers(*in.form, in.answers, s.clock.today())) {
    const std::string id = p.field.substr(0, p.field.find('.'));
    if (!in.answers->has(id) || answerText(in.answers->get(id)).empty()) continue;  // not yet
    // An answer given as such (a page of the interview) is named itself; one given with
    // --set FIELD=VALUE is named in the message, about the option.
    if (req.answers && req.answers->has(id)) {
      return core::invalidArgument(p.message).withField(p.field).withReason(p.reason, p.args);
    }
    return core::invalidArgument(p.field + ": " + p.message)
        .withField("set")
        .withReason(p.reason, p.args);
  }
  core::Complaint c;
  c.case_id = in.kase.id;
  c.board_id = in.board != nullptr ? in.board->id : "";
  c.jurisdiction = in.kase.provider.jurisdiction;
  std::ostringstream os;
  in.answers->stringify(os);
  c.answers_json = os.str();
  RECOURSE_ASSIGN_OR_RETURN(auto before, s.store.complaintOfCase(in.kase.id));
  // A later review keeps how and when it was sent and the board's reference.
  if (before) {
    c.filed_on = before->filed_on;
    c.filed_via = before->filed_via;
    c.board_reference = before->board_reference;
  }
  if (!req.look_only) {
    auto saved = s.store.saveComplaint(c);
    if (!saved.isOk()) return saved.status();
  }

  ComplaintReview out;
  out.case_id = in.kase.id;
  out.filed_on = c.filed_on;
  out.saved = (before.has_value() && !before->answers_json.empty()) || !req.look_only;
  out.form_id = in.form->id;
  out.answers = in.answers;
  out.provider_name = in.kase.provider.name;
  out.board_name = in.board != nullptr ? in.board->name : "";
  out.board_note = in.board_note;
  out.form_title = in.form->title.get("en");
  for (const auto* step : forms::visibleSteps(*in.form, in.answers)) {
    ReviewedStep rs;
    rs.id = step->id;
    rs.title = step->title.get("en");
    for (const auto& f : step->fields) {
      if (!forms::fieldVisible(*in.form, f, in.answers)) continue;
      std::string value = in.answers->has(f.id) ? answerText(in.answers->get(f.id)) : "";
      for (const auto& o : f.options) {
        if (o.value == value) value = o.label.get("en");
      }
      // Each choice of a list in the form's words, never its code.
      if (f.type == forms::FieldType::kMultiChoice && in.answers->has(f.id) &&
          in.answers->get(f.id).type() == typeid(Poco::JSON::Array::Ptr)) {
        auto chosen = in.answers->get(f.id).extract<Poco::JSON::Array::Ptr>();
        value.clear();
        for (size_t k = 0; k < chosen->size(); ++k) {
          std::string one = chosen->get(static_cast<unsigned>(k)).convert<std::string>();
          for (const auto& o : f.options) {
            if (o.value == one) one = o.label.get("en");
          }
          value += (value.empty() ? "" : ", ") + one;
        }
      }
      const bool needed = forms::fieldNeeded(*in.form, f, in.answers);
      if (value.empty() && needed) ++out.missing;
      rs.fields.push_back({f.id, f.label.get("en"), value, needed});
    }
    out.steps.push_back(std::move(rs));
  }
  out.incidents = in.incidents.size();
  out.exhibits = in.evidence.size();
  out.warnings = timeLimitWarnings(in.board, in.incidents, s.clock.today());
  return out;
}

core::StatusOr<ComplaintPacket> makeComplaintPacket(Services& s,
                                                    const ComplaintPacketRequest& req) {
  if (!req.in_memory) {
    if (req.out_path.empty()) return core::invalidArgument("is required").withField("out_path");
    RECOURSE_RETURN_IF_ERROR(requireNewFile(req.out_path, "out_path"));
  }
  ComplaintInputs in;
  RECOURSE_RETURN_IF_ERROR(load(s, req.case_id, &in));
  // A complaint recorded only as filed elsewhere (recordComplaintFiling) was never reviewed.
  if (!in.saved || in.saved->answers_json.empty()) {
    return core::invalidArgument("review the complaint first, so nothing goes out unseen")
        .withField("review")
        .withReason("complaint_not_checked");
  }
  auto problems = forms::checkAnswers(*in.form, in.answers, s.clock.today());
  if (!problems.empty()) {
    std::string msg = "the complaint needs a few more answers:";
    for (const auto& p : problems) msg += "\n  " + p.field + ": " + p.message;
    return core::invalidArgument(msg).withField("answers");
  }
  RECOURSE_ASSIGN_OR_RETURN(const pdf::FontKit* fonts, s.catalog.fonts());
  const core::Date today = s.clock.today();
  const core::Timestamp now = s.clock.now();
  std::vector<std::string> warnings =
      core::noticeTexts(timeLimitWarnings(in.board, in.incidents, today));
  const std::string out = req.out_path;
  // The complaint, with the exhibit index.
  pdf::DocumentContext dc;
  buildLetterContext(s.catalog.forms(), s.catalog.law(), *in.form, in.client, in.kase, in.incidents,
                     today, today, in.answers, &dc, &warnings);
  const bool us = dc.values["jurisdiction.id"].rfind("us", 0) == 0;
  applyPacket(in.evidence, in.incidents.size(), &dc);
  // Which exhibit shows which incident (dc.incidents are in.incidents, in order).
  for (size_t k = 0; k < in.incidents.size() && k < dc.incidents.size(); ++k) {
    dc.incidents[k].exhibits = exhibitsOf(in.incidents[k], in.evidence);
  }
  applyEthics(s, in, &dc);
  const std::string who = answerText(in.answers->get("complainant_name"));
  pdf::DocInfo info{in.form->document_title.get("en"), who.empty() ? in.client.name : who,
                    "Complaint to " + (in.board ? in.board->name : std::string("the board")), now};
  // Pages are numbered across the whole packet, so each part is made first (without its own
  // page numbers) and counted, then written with the packet's numbers.
  pdf::RenderOptions parts_options;
  parts_options.page_numbers = false;
  struct Part {
    std::vector<std::uint8_t> pdf;  // a part Recourse made (empty for an original)
    std::string label;              // its bookmark
    size_t evidence = 0;            // for an exhibit's original PDF: its index in in.evidence
    bool original = false;
    long pages = 0;
  };
  std::vector<Part> parts;
  std::vector<char32_t> glyphs;  // characters written as [U+XXXX], in any part

  // 1. Cover letter to the board, from the complaint's own answers (the complainant, who may
  // be someone acting for the client).
  const forms::Form* cover = s.catalog.forms().find("complaint-cover-letter");
  if (cover != nullptr) {
    Object::Ptr ca = new Object;
    for (const char* k : {"complainant_name", "complainant_address"}) {
      if (in.answers->has(k)) ca->set(k, in.answers->get(k));
    }
    if (onBehalf(in.answers) && in.answers->has("client_name")) {
      ca->set("client_name", in.answers->get("client_name"));
    }
    if (forms::checkAnswers(*cover, ca, today).empty()) {
      pdf::DocumentContext cdc;
      std::vector<std::string> ignored;
      buildLetterContext(s.catalog.forms(), s.catalog.law(), *cover, in.client, in.kase,
                         in.incidents, today, today, ca, &cdc, &ignored);
      applyPacket(in.evidence, in.incidents.size(), &cdc);
      auto doc = pdf::renderForm(*cover, ca, cdc, *fonts, info, parts_options);
      if (!doc.isOk()) return doc.status();
      glyphs.insert(glyphs.end(), doc->fallbacks.begin(), doc->fallbacks.end());
      parts.push_back({std::move(doc->pdf), "Cover letter", 0, false, doc->pages});
    }
  }
  // 2. The complaint: narrative, timeline, harms and standards, exhibit index.
  {
    auto doc = pdf::renderForm(*in.form, in.answers, dc, *fonts, info, parts_options);
    if (!doc.isOk()) return doc.status();
    glyphs.insert(glyphs.end(), doc->fallbacks.begin(), doc->fallbacks.end());
    parts.push_back({std::move(doc->pdf), "Complaint", 0, false, doc->pages});
  }
  // 3. Each exhibit behind its cover sheet.
  auto readEvidence =
      [&](const core::EvidenceItem& e) -> core::StatusOr<std::vector<std::uint8_t>> {
    std::vector<std::uint8_t> bytes;
    RECOURSE_RETURN_IF_ERROR(s.store.readEvidence(e.id, evidenceDir(s.data_dir), "",
                                                  [&](const std::uint8_t* p, size_t n) {
                                                    bytes.insert(bytes.end(), p, p + n);
                                                    return core::Status::ok();
                                                  }));
    return bytes;
  };
  size_t exhibit_pages = 0;
  for (size_t i = 0; i < in.evidence.size(); ++i) {
    const auto& e = in.evidence[i];
    const std::string number = std::to_string(i + 1);
    RECOURSE_ASSIGN_OR_RETURN(auto bytes, readEvidence(e));
    pdf::ExhibitSheet sheet;
    sheet.number = number;
    sheet.description = e.description;
    sheet.date = e.date ? pdf::longDate(*e.date, us) : "";
    sheet.incidents = incidentsOf(e, in.incidents);
    sheet.original_name = e.original_name;
    sheet.sha256 = e.sha256_hex;
    sheet.page_size = dc.page_size;
    const bool is_pdf = e.media_type == "application/pdf";
    if (e.media_type == "image/png" || e.media_type == "image/jpeg") {
      sheet.image = bytes;
      sheet.image_type = e.media_type == "image/png" ? pdf::ImageType::kPng : pdf::ImageType::kJpeg;
      sheet.note = "The image follows on the next page, as it was saved.";
    } else if (is_pdf) {
      sheet.note =
          "The pages that follow are the original document. Each is shown whole, slightly "
          "reduced, with this exhibit's number above it.";
    } else if (auto shown = printableText(bytes)) {
      sheet.text = std::move(shown);
      sheet.note = "The text of the file follows on the next page, as it was saved.";
    } else {
      sheet.note =
          "This file cannot be shown on paper. The SHA-256 fingerprint above identifies it; "
          "the file itself can be provided on request.";
    }
    const std::string label =
        "Exhibit " + number + ": " + (e.description.empty() ? e.original_name : e.description);
    auto rendered = pdf::renderExhibit(sheet, *fonts, info, parts_options);
    if (!rendered.isOk()) {
      return core::Status(rendered.status().code(),
                          "exhibit " + number + " (" + e.id + "): " + rendered.status().text());
    }
    exhibit_pages += static_cast<size_t>(rendered->pages);
    glyphs.insert(glyphs.end(), rendered->fallbacks.begin(), rendered->fallbacks.end());
    parts.push_back({std::move(rendered->pdf), label, i, false, rendered->pages});
    if (is_pdf) {
      auto original = pdf::takeApart(bytes, e.id);
      if (!original.isOk()) {
        return core::corruption("exhibit " + number + " (" + e.id +
                                "): the PDF cannot be read: " + original.status().text());
      }
      exhibit_pages += original->pages.size();
      parts.push_back({{}, "", i, true, static_cast<long>(original->pages.size())});
    }
  }

  long total = 0;
  for (const auto& p : parts) total += p.pages;
  ComplaintPacket result;
  auto combined = req.in_memory ? pdf::PdfConcatenator::createInMemory(&result.pdf)
                                : pdf::PdfConcatenator::create(out);
  if (!combined.isOk()) return combined.status();
  long first = 1;
  for (const auto& p : parts) {
    pdf::PageMarks marks;
    marks.first = first;
    marks.total = total;
    marks.running_number = req.running_number;
    std::vector<std::uint8_t> original;
    if (p.original) {
      const auto& e = in.evidence[p.evidence];
      RECOURSE_ASSIGN_OR_RETURN(original, readEvidence(e));
      marks.stamp = "Exhibit " + std::to_string(p.evidence + 1);
    }
    auto taken = pdf::takeApart(p.original ? original : p.pdf,
                                p.original ? in.evidence[p.evidence].id : p.label, marks);
    if (!taken.isOk()) return taken.status();
    RECOURSE_RETURN_IF_ERROR((*combined)->append(*taken, p.label));
    first += p.pages;
  }
  RECOURSE_RETURN_IF_ERROR((*combined)->finish(info.title, now));
  // Only now that the packet exists: each exhibit's inclusion goes in its custody log.
  std::vector<std::string> ids;
  for (const auto& e : in.evidence) ids.push_back(e.id);
  RECOURSE_RETURN_IF_ERROR(s.store.recordCustody(ids, "packet"));

  result.pages = (*combined)->pages();
  result.incidents = in.incidents.size();
  result.exhibits = in.evidence.size();
  result.exhibit_pages = exhibit_pages;
  result.board_name = in.board != nullptr ? in.board->name : "";
  result.warnings = std::move(warnings);
  std::vector<char32_t> once;
  for (char32_t cp : glyphs) {
    if (std::find(once.begin(), once.end(), cp) == once.end()) once.push_back(cp);
  }
  for (auto& note : glyphNotes(once)) result.warnings.push_back(std::move(note));
  result.unshown = std::move(once);
  return result;
}

core::StatusOr<ComplaintReview> recordComplaintSent(Services& s, const std::string& case_id,
                                                    std::optional<core::Date> on) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, s.store.complaintOfCase(case_id));
  if (!complaint) {
    return core::failedPrecondition(
               "the complaint has not been checked and saved yet; check "
               "your answers first")
        .withField("filed_on")
        .withReason("complaint_not_checked");
  }
  if (on && s.clock.today() < *on) {
    return dayInFuture(*on, "filed_on");
  }
  // The steps after filing build on the day: as recordComplaintFiling checks it.
  RECOURSE_RETURN_IF_ERROR(checkFilingDay(s, *complaint, on));
  complaint->filed_on = on;
  RECOURSE_RETURN_IF_ERROR(s.store.saveComplaint(*complaint).status());
  ReviewComplaint look;
  look.case_id = case_id;
  look.look_only = true;
  return reviewComplaint(s, look);
}

}  // namespace recourse::service
