// `recourse complaint review|packet`: a licensing-board complaint, reviewed answer by
// answer, then assembled into one packet: cover letter, the complaint (narrative,
// timeline, harms with the ethics standards they break, exhibit index), and every exhibit
// behind its cover sheet with each page stamped with its number.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <filesystem>
#include <sstream>

#include "cli/command.h"
#include "cli/evidence.h"
#include "forms/interview.h"
#include "jurisdiction/registry.h"
#include "pdf/combine.h"
#include "pdf/document.h"
#include "service/letters.h"

namespace recourse::cli {

using service::applySetOptions;
using service::buildLetterContext;
using service::prefillAnswers;
namespace {

using Poco::JSON::Object;

std::string jsonText(const Poco::Dynamic::Var& v) {
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

// Everything a complaint is made from, loaded once.
struct ComplaintInputs {
  std::unique_ptr<store::Store> store;
  jurisdiction::Registry reg;
  forms::FormSet forms;
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

core::Status load(Context& ctx, ComplaintInputs* in) {
  const auto& a = ctx.args();
  if (!a.has("case")) return core::invalidArgument("--case: is required");
  auto st = ctx.openUnlocked();
  if (!st.isOk()) return st.status();
  in->store = std::move(st).value();
  auto kase = in->store->getCase(a.get("case"));
  if (!kase.isOk()) return core::notFound("--case: no case with id " + a.get("case"));
  in->kase = *kase;
  RECOURSE_ASSIGN_OR_RETURN(in->client, in->store->getClient(in->kase.client_id));
  RECOURSE_ASSIGN_OR_RETURN(in->incidents, in->store->listIncidents(in->kase.id));
  RECOURSE_ASSIGN_OR_RETURN(in->evidence, in->store->listEvidence(in->kase.id));
  RECOURSE_ASSIGN_OR_RETURN(in->saved, in->store->complaintOfCase(in->kase.id));
  in->reg = jurisdiction::Registry::loadDirectory(ctx.jurisdictionsDir());
  in->forms = forms::loadFormDirectory(ctx.formsDir());
  const core::Provider& p = in->kase.provider;
  auto boards = in->reg.findBoards(p.jurisdiction, p.license_type);
  if (boards.isOk()) {
    in->board = (*boards)[0].board;
  } else {
    in->board_note = boards.status().text();
  }
  // The board's own form when Recourse has one, else the general complaint.
  if (in->board != nullptr) in->form = in->forms.find("board-complaint-" + in->board->id);
  if (in->form == nullptr) in->form = in->forms.find("board-complaint");
  if (in->form == nullptr) return core::notFound("the board-complaint form is missing");
  in->answers = new Object;
  if (in->saved && !in->saved->answers_json.empty()) {
    std::vector<forms::Problem> problems;
    auto stored = jurisdiction::parseJsonObject(in->saved->answers_json, "complaint", &problems);
    if (stored) {
      for (const auto& n : stored->getNames()) {
        if (in->form->findField(n) != nullptr) in->answers->set(n, stored->get(n));
      }
    }
  }
  return core::Status::ok();
}

// Plain warnings when incidents are near or past the board's time limit. Never a refusal.
std::vector<std::string> timeLimitWarnings(const ComplaintInputs& in, const core::Date& today) {
  std::vector<std::string> out;
  if (in.board == nullptr || !in.board->complaint_time_limit) return out;
  const auto& limit = *in.board->complaint_time_limit;
  const std::string cite =
      limit.meta.source.citation.empty() ? std::string() : " (" + limit.meta.source.citation + ")";
  const std::string unverified = limit.meta.verified ? ""
                                                     : " Recourse could not confirm this "
                                                       "limit from the law itself (marked "
                                                       "UNVERIFIED); check with the board.";
  if (!limit.years) {
    if (!limit.summary.empty()) {
      out.push_back("The board's time limit: " + limit.summary + cite + "." + unverified);
    }
    return out;
  }
  const int whole_years = static_cast<int>(*limit.years);
  const int extra_months = static_cast<int>((*limit.years - whole_years) * 12 + 0.5);
  size_t past = 0;
  std::optional<core::Date> oldest_past;
  std::optional<std::pair<core::Date, core::Date>> nearest;  // incident date, limit date
  for (const auto& i : in.incidents) {
    std::optional<core::Date> last = i.date_end ? i.date_end : i.date_start;
    if (!last) continue;
    auto ymd = std::chrono::year_month_day(std::chrono::sys_days(last->days()));
    auto shifted = ymd + std::chrono::years(whole_years) + std::chrono::months(extra_months);
    if (!shifted.ok()) shifted = shifted.year() / shifted.month() / std::chrono::last;
    core::Date ends(static_cast<int>(shifted.year()), static_cast<unsigned>(shifted.month()),
                    static_cast<unsigned>(shifted.day()));
    if (ends < today) {
      ++past;
      if (!oldest_past || *last < *oldest_past) oldest_past = *last;
    } else if ((ends.days() - today.days()).count() <= 90) {
      if (!nearest || ends < nearest->second) nearest = std::make_pair(*last, ends);
    }
  }
  if (past > 0) {
    out.push_back(std::to_string(past) + " of the incidents (the oldest on " +
                  oldest_past->toString() +
                  ") are older than the board's time limit: " + limit.summary + cite +
                  ". You can still file: boards can sometimes act on older events, for example "
                  "when harm continued. Say why in your complaint, or ask the board." +
                  unverified);
  }
  if (nearest) {
    out.push_back("The board's time limit (" + limit.summary + cite + ") for the incident of " +
                  nearest->first.toString() + " ends on " + nearest->second.toString() + ", in " +
                  std::to_string((nearest->second.days() - today.days()).count()) +
                  " days. File before then if you can." + unverified);
  }
  return out;
}

class ComplaintReview final : public Command {
 public:
  std::string name() const override { return "complaint review"; }
  std::string summary() const override {
    return "the complaint's answers, prefilled from the case, to check and change";
  }
  std::string usage() const override {
    return "complaint review --case ID [--set FIELD=VALUE ...] [--answers FILE]";
  }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)"},
            {"set", "FIELD=VALUE", "change one answer (FIELD.PART=VALUE for a part)", true},
            {"answers", "FILE", "answers as a JSON object (- for stdin)"}};
  }
  core::Status run(Context& ctx) override {
    ComplaintInputs in;
    RECOURSE_RETURN_IF_ERROR(load(ctx, &in));
    if (ctx.args().has("answers")) {
      auto read = ctx.readJsonOption("answers");
      if (!read.isOk()) return read.status();
      for (const auto& n : (*read)->getNames()) in.answers->set(n, (*read)->get(n));
    }
    RECOURSE_RETURN_IF_ERROR(applySetOptions(*in.form, ctx.args().all("set"), in.answers));
    prefillAnswers(*in.form, in.client, in.kase, in.answers);
    if (!in.answers->has("relationship") && in.form->findField("relationship") != nullptr) {
      in.answers->set("relationship", "client");
    }
    // Wrong answers (not missing ones) are refused before anything is saved.
    for (const auto& p : forms::checkAnswers(*in.form, in.answers)) {
      const std::string id = p.field.substr(0, p.field.find('.'));
      if (!in.answers->has(id) || jsonText(in.answers->get(id)).empty()) continue;  // not yet
      return core::invalidArgument("--set: " + p.field + ": " + p.message);
    }
    core::Complaint c;
    c.case_id = in.kase.id;
    c.board_id = in.board != nullptr ? in.board->id : "";
    c.jurisdiction = in.kase.provider.jurisdiction;
    std::ostringstream os;
    in.answers->stringify(os);
    c.answers_json = os.str();
    auto saved = in.store->saveComplaint(c);
    if (!saved.isOk()) return saved.status();

    auto& out = ctx.out();
    out << "Complaint to "
        << (in.board != nullptr ? in.board->name : "a licensing board (none found yet)")
        << " about " << in.kase.provider.name << ", on the form \"" << in.form->title.get("en")
        << "\".\n";
    if (in.board == nullptr) out << "  (" << in.board_note << ")\n";
    size_t missing = 0;
    for (const auto* step : forms::visibleSteps(*in.form, in.answers)) {
      out << "\n" << step->title.get("en") << "\n";
      for (const auto& f : step->fields) {
        if (!forms::fieldVisible(*in.form, f, in.answers)) continue;
        std::string value = in.answers->has(f.id) ? jsonText(in.answers->get(f.id)) : "";
        for (const auto& o : f.options) {
          if (o.value == value) value = o.label.get("en");
        }
        if (value.empty() && f.required) ++missing;
        out << "  " << f.label.get("en") << " [" << f.id << "]: "
            << (value.empty() ? (f.required ? "(needed)" : "-") : truncateForDisplay(value, 70))
            << "\n";
      }
    }
    out << "\nTimeline: " << plural(in.incidents.size(), "incident", "incidents")
        << "; exhibits: " << in.evidence.size() << ".\n";
    for (const auto& w : timeLimitWarnings(in, ctx.env().clock.today()))
      out << "Note: " << w << "\n";
    out << "\nChange any answer: recourse complaint review --case " << in.kase.id
        << " --set FIELD=VALUE\n";
    if (missing > 0) {
      out << missing << " answer" << (missing == 1 ? " is" : "s are")
          << " still needed before the packet can be made.\n";
    } else {
      out << "When it reads right: recourse complaint packet --case " << in.kase.id
          << " --out complaint.pdf\n";
    }
    return core::Status::ok();
  }
};

class ComplaintPacket final : public Command {
 public:
  std::string name() const override { return "complaint packet"; }
  std::string summary() const override {
    return "the complaint packet PDF: cover letter, complaint, timeline, exhibits";
  }
  std::string usage() const override { return "complaint packet --case ID --out FILE.pdf"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)"},
            {"out", "FILE", "where to write the PDF (must not exist)"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("out")) return core::invalidArgument("--out: is required");
    const std::string out = ctx.args().get("out");
    if (std::filesystem::exists(out)) {
      return core::invalidArgument("--out: " + out + " already exists; choose a new file name");
    }
    ComplaintInputs in;
    RECOURSE_RETURN_IF_ERROR(load(ctx, &in));
    if (!in.saved) {
      return core::invalidArgument(
          "--case: review the complaint first, so nothing goes out unseen: recourse complaint "
          "review --case " +
          in.kase.id);
    }
    auto problems = forms::checkAnswers(*in.form, in.answers);
    if (!problems.empty()) {
      std::string msg =
          "the complaint needs a few more answers (recourse complaint review --case " + in.kase.id +
          " --set FIELD=VALUE):";
      for (const auto& p : problems) msg += "\n  " + p.field + ": " + p.message;
      return core::invalidArgument(msg);
    }
    auto data_dir = ctx.dataDir();
    if (!data_dir.isOk()) return data_dir.status();
    auto fonts = pdf::FontKit::load();
    if (!fonts.isOk()) return fonts.status();
    const core::Date today = ctx.env().clock.today();
    const core::Timestamp now = ctx.env().clock.now();
    std::vector<std::string> warnings = timeLimitWarnings(in, today);

    // The complaint, with the exhibit index.
    pdf::DocumentContext dc;
    buildLetterContext(in.forms, in.reg, *in.form, in.client, in.kase, in.incidents, today, today,
                       in.answers, &dc, &warnings);
    const bool us = dc.values["jurisdiction.id"].rfind("us", 0) == 0;
    for (size_t i = 0; i < in.evidence.size(); ++i) {
      const auto& e = in.evidence[i];
      dc.exhibits.push_back({std::to_string(i + 1),
                             e.description.empty() ? e.original_name : e.description,
                             // ISO dates fit the index's narrow column on one line.
                             e.date ? e.date->toString() : "", e.sha256_hex});
    }
    dc.values["packet.incident_count"] = std::to_string(in.incidents.size());
    dc.values["packet.exhibit_count"] = std::to_string(in.evidence.size());
    const std::string who = jsonText(in.answers->get("complainant_name"));
    pdf::DocInfo info{in.form->document_title.get("en"), who.empty() ? in.client.name : who,
                      "Complaint to " + (in.board ? in.board->name : std::string("the board")),
                      now};

    auto combined = pdf::PdfConcatenator::create(out);
    if (!combined.isOk()) return combined.status();
    auto append = [&](const std::vector<std::uint8_t>& bytes, const std::string& label,
                      const std::string& stamp) -> core::Status {
      auto parts = pdf::takeApart(bytes, label, stamp);
      if (!parts.isOk()) return parts.status();
      return (*combined)->append(*parts, label);
    };

    // 1. Cover letter to the board.
    const forms::Form* cover = in.forms.find("complaint-cover-letter");
    if (cover != nullptr) {
      Object::Ptr ca = new Object;
      for (const char* k : {"complainant_name", "complainant_address"}) {
        if (in.answers->has(k)) ca->set(k, in.answers->get(k));
      }
      prefillAnswers(*cover, in.client, in.kase, ca);
      if (forms::checkAnswers(*cover, ca).empty()) {
        pdf::DocumentContext cdc;
        std::vector<std::string> ignored;
        buildLetterContext(in.forms, in.reg, *cover, in.client, in.kase, in.incidents, today, today,
                           ca, &cdc, &ignored);
        cdc.values["packet.incident_count"] = dc.values["packet.incident_count"];
        cdc.values["packet.exhibit_count"] = dc.values["packet.exhibit_count"];
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
      RECOURSE_RETURN_IF_ERROR(in.store->readEvidence(e.id, evidenceDir(*data_dir), "",
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
        sheet.image_type =
            e.media_type == "image/png" ? pdf::ImageType::kPng : pdf::ImageType::kJpeg;
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
    RECOURSE_RETURN_IF_ERROR(in.store->recordCustody(ids, "packet"));

    const long pages = (*combined)->pages();
    if (ctx.args().json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("out", out);
      o->set("pages", static_cast<Poco::Int64>(pages));
      o->set("incidents", static_cast<Poco::UInt64>(in.incidents.size()));
      o->set("exhibits", static_cast<Poco::UInt64>(in.evidence.size()));
      o->set("board", in.board != nullptr ? in.board->name : "");
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& s : warnings) w->add(s);
      o->set("warnings", w);
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << "Wrote " << out << " (" << plural(static_cast<size_t>(pages), "page", "pages")
              << "): cover letter, complaint with "
              << plural(in.incidents.size(), "incident", "incidents")
              << " in timeline order, exhibit index, and "
              << plural(in.evidence.size(), "exhibit", "exhibits") << " ("
              << plural(exhibit_pages, "page", "pages") << ").\n";
    for (const auto& w : warnings) ctx.out() << "Note: " << w << "\n";
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeComplaintCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<ComplaintReview>());
  v.push_back(std::make_unique<ComplaintPacket>());
  return v;
}

}  // namespace recourse::cli
