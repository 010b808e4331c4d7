#include "service/complaint.h"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "forms/interview.h"
#include "jurisdiction/json_reader.h"
#include "pdf/combine.h"
#include "pdf/document.h"
#include "service/files.h"
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

}  // namespace

core::StatusOr<ComplaintReview> reviewComplaint(Services& s, const ReviewComplaint& req) {
  ComplaintInputs in;
  RECOURSE_RETURN_IF_ERROR(load(s, req.case_id, &in));
  if (req.answers) {
    for (const auto& n : req.answers->getNames()) in.answers->set(n, req.answers->get(n));
  }
  RECOURSE_RETURN_IF_ERROR(applySetOptions(*in.form, req.set, in.answers));
  prefillAnswers(*in.form, in.client, in.kase, in.answers);
  if (!in.answers->has("relationship") && in.form->findField("relationship") != nullptr) {
    in.answers->set("relationship", "client");
  }
  // Wrong answers (not missing ones) are refused before anything is saved.
  for (const auto& p : forms::checkAnswers(*in.form, in.answers)) {
    const std::string id = p.field.substr(0, p.field.find('.'));
    if (!in.answers->has(id) || answerText(in.answers->get(id)).empty()) continue;  // not yet
    return core::invalidArgument(p.field + ": " + p.message).withField("set");
  }
  core::Complaint c;
  c.case_id = in.kase.id;
  c.board_id = in.board != nullptr ? in.board->id : "";
  c.jurisdiction = in.kase.provider.jurisdiction;
  std::ostringstream os;
  in.answers->stringify(os);
  c.answers_json = os.str();
  auto saved = s.store.saveComplaint(c);
  if (!saved.isOk()) return saved.status();

  ComplaintReview out;
  out.case_id = in.kase.id;
  out.provider_name = in.kase.provider.name;
  out.board_name = in.board != nullptr ? in.board->name : "";
  out.board_note = in.board_note;
  out.form_title = in.form->title.get("en");
  for (const auto* step : forms::visibleSteps(*in.form, in.answers)) {
    ReviewedStep rs;
    rs.title = step->title.get("en");
    for (const auto& f : step->fields) {
      if (!forms::fieldVisible(*in.form, f, in.answers)) continue;
      std::string value = in.answers->has(f.id) ? answerText(in.answers->get(f.id)) : "";
      for (const auto& o : f.options) {
        if (o.value == value) value = o.label.get("en");
      }
      if (value.empty() && f.required) ++out.missing;
      rs.fields.push_back({f.id, f.label.get("en"), value, f.required});
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
  if (req.out_path.empty()) return core::invalidArgument("is required").withField("out_path");
  RECOURSE_RETURN_IF_ERROR(requireNewFile(req.out_path, "out_path"));
  ComplaintInputs in;
  RECOURSE_RETURN_IF_ERROR(load(s, req.case_id, &in));
  if (!in.saved) {
    return core::invalidArgument("review the complaint first, so nothing goes out unseen")
        .withField("review");
  }
  auto problems = forms::checkAnswers(*in.form, in.answers);
  if (!problems.empty()) {
    std::string msg = "the complaint needs a few more answers:";
    for (const auto& p : problems) msg += "\n  " + p.field + ": " + p.message;
    return core::invalidArgument(msg).withField("answers");
  }
  RECOURSE_ASSIGN_OR_RETURN(const pdf::FontKit* fonts, s.catalog.fonts());
  const core::Date today = s.clock.today();
  const core::Timestamp now = s.clock.now();
  std::vector<std::string> warnings = timeLimitWarnings(in.board, in.incidents, today);
  const std::string out = req.out_path;

  // The complaint, with the exhibit index.
  pdf::DocumentContext dc;
  buildLetterContext(s.catalog.forms(), s.catalog.law(), *in.form, in.client, in.kase, in.incidents,
                     today, today, in.answers, &dc, &warnings);
  const bool us = dc.values["jurisdiction.id"].rfind("us", 0) == 0;
  applyPacket(in.evidence, in.incidents.size(), &dc);
  const std::string who = answerText(in.answers->get("complainant_name"));
  pdf::DocInfo info{in.form->document_title.get("en"), who.empty() ? in.client.name : who,
                    "Complaint to " + (in.board ? in.board->name : std::string("the board")), now};

  auto combined = pdf::PdfConcatenator::create(out);
  if (!combined.isOk()) return combined.status();
  auto append = [&](const std::vector<std::uint8_t>& bytes, const std::string& label,
                    const std::string& stamp) -> core::Status {
    auto parts = pdf::takeApart(bytes, label, stamp);
    if (!parts.isOk()) return parts.status();
    return (*combined)->append(*parts, label);
  };

  // 1. Cover letter to the board.
  const forms::Form* cover = s.catalog.forms().find("complaint-cover-letter");
  if (cover != nullptr) {
    Object::Ptr ca = new Object;
    for (const char* k : {"complainant_name", "complainant_address"}) {
      if (in.answers->has(k)) ca->set(k, in.answers->get(k));
    }
    prefillAnswers(*cover, in.client, in.kase, ca);
    if (forms::checkAnswers(*cover, ca).empty()) {
      pdf::DocumentContext cdc;
      std::vector<std::string> ignored;
      buildLetterContext(s.catalog.forms(), s.catalog.law(), *cover, in.client, in.kase,
                         in.incidents, today, today, ca, &cdc, &ignored);
      applyPacket(in.evidence, in.incidents.size(), &cdc);
      auto doc = pdf::renderForm(*cover, ca, cdc, *fonts, info);
      if (!doc.isOk()) return doc.status();
      RECOURSE_RETURN_IF_ERROR(append(doc->pdf, "Cover letter", ""));
    }
  }
  // 2. The complaint: narrative, timeline, harms and standards, exhibit index.
  auto doc = pdf::renderForm(*in.form, in.answers, dc, *fonts, info);
  if (!doc.isOk()) return doc.status();
  RECOURSE_RETURN_IF_ERROR(append(doc->pdf, "Complaint", ""));
  // 3. Each exhibit behind its cover sheet, one at a time.
  size_t exhibit_pages = 0;
  for (size_t i = 0; i < in.evidence.size(); ++i) {
    const auto& e = in.evidence[i];
    const std::string number = std::to_string(i + 1);
    std::vector<std::uint8_t> bytes;
    RECOURSE_RETURN_IF_ERROR(s.store.readEvidence(e.id, evidenceDir(s.data_dir), "",
                                                  [&](const std::uint8_t* p, size_t n) {
                                                    bytes.insert(bytes.end(), p, p + n);
                                                    return core::Status::ok();
                                                  }));
    pdf::ExhibitSheet sheet;
    sheet.number = number;
    sheet.description = e.description;
    sheet.date = e.date ? pdf::longDate(*e.date, us) : "";
    sheet.original_name = e.original_name;
    sheet.media_type = e.media_type;
    sheet.size_bytes = e.size_bytes;
    sheet.intake = core::formatTimestamp(e.intake_at);
    sheet.sha256 = e.sha256_hex;
    sheet.page_size = dc.page_size;
    const bool is_pdf = e.media_type == "application/pdf";
    if (e.media_type == "image/png" || e.media_type == "image/jpeg") {
      sheet.image = bytes;
      sheet.image_type = e.media_type == "image/png" ? pdf::ImageType::kPng : pdf::ImageType::kJpeg;
      sheet.note = "The image follows on the next page, as it was saved.";
    } else if (is_pdf) {
      sheet.note =
          "The pages that follow are the original PDF, each stamped with this exhibit's "
          "number.";
    } else {
      sheet.note =
          "This file cannot be shown on paper. The SHA-256 fingerprint above identifies it; "
          "the file itself can be provided on request.";
    }
    const std::string label =
        "Exhibit " + number + ": " + (e.description.empty() ? e.original_name : e.description);
    auto rendered = pdf::renderExhibit(sheet, *fonts, info);
    if (!rendered.isOk()) {
      return core::Status(rendered.status().code(),
                          "exhibit " + number + " (" + e.id + "): " + rendered.status().text());
    }
    exhibit_pages += static_cast<size_t>(rendered->pages);
    RECOURSE_RETURN_IF_ERROR(append(rendered->pdf, label, ""));
    if (is_pdf) {
      auto parts = pdf::takeApart(bytes, e.id, "Exhibit " + number);
      if (!parts.isOk()) {
        return core::corruption("exhibit " + number + " (" + e.id +
                                "): the PDF cannot be read: " + parts.status().text());
      }
      exhibit_pages += parts->pages.size();
      RECOURSE_RETURN_IF_ERROR((*combined)->append(*parts, ""));
    }
  }
  RECOURSE_RETURN_IF_ERROR((*combined)->finish(info.title, now));
  // Only now that the packet exists: each exhibit's inclusion goes in its custody log.
  std::vector<std::string> ids;
  for (const auto& e : in.evidence) ids.push_back(e.id);
  RECOURSE_RETURN_IF_ERROR(s.store.recordCustody(ids, "packet"));

  ComplaintPacket result;
  result.pages = (*combined)->pages();
  result.incidents = in.incidents.size();
  result.exhibits = in.evidence.size();
  result.exhibit_pages = exhibit_pages;
  result.board_name = in.board != nullptr ? in.board->name : "";
  result.warnings = std::move(warnings);
  return result;
}

}  // namespace recourse::service
