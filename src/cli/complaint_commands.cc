// `recourse complaint review|packet`: the complaint workflows (service/complaint.h), parsed
// from options and printed.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "cli/command.h"
#include "service/complaint.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Object;

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
    return {{"case", "ID", "the case (required)", false, "case_id"},
            {"set", "FIELD=VALUE", "change one answer (FIELD.PART=VALUE for a part)", true},
            {"answers", "FILE", "answers as a JSON object (- for stdin)"}};
  }
  core::Status run(Context& ctx) override {
    service::ReviewComplaint req;
    req.case_id = ctx.args().get("case");
    if (req.case_id.empty()) return core::invalidArgument("is required").withField("--case");
    if (ctx.args().has("answers")) {
      RECOURSE_ASSIGN_OR_RETURN(req.answers, ctx.readJsonOption("answers"));
    }
    req.set = ctx.args().all("set");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto r, service::reviewComplaint(session->services(), req));

    auto& out = ctx.out();
    out << "Complaint to "
        << (r.board_name.empty() ? "a licensing board (none found yet)" : r.board_name) << " about "
        << r.provider_name << ", on the form \"" << r.form_title << "\".\n";
    if (r.board_name.empty()) out << "  (" << r.board_note << ")\n";
    for (const auto& step : r.steps) {
      out << "\n" << step.title << "\n";
      for (const auto& f : step.fields) {
        out << "  " << f.label << " [" << f.id << "]: "
            << (f.value.empty() ? (f.required ? "(needed)" : "-") : truncateForDisplay(f.value, 70))
            << "\n";
      }
    }
    out << "\nTimeline: " << plural(r.incidents, "incident", "incidents")
        << "; exhibits: " << r.exhibits << ".\n";
    for (const auto& w : r.warnings) out << "Note: " << w.text << "\n";
    out << "\nChange any answer: recourse complaint review --case " << r.case_id
        << " --set FIELD=VALUE\n";
    if (r.missing > 0) {
      out << r.missing << " answer" << (r.missing == 1 ? " is" : "s are")
          << " still needed before the packet can be made.\n";
    } else {
      out << "When it reads right: recourse complaint packet --case " << r.case_id
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
  std::string usage() const override {
    return "complaint packet --case ID --out FILE.pdf [--running-number]";
  }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"},
            {"out", "FILE", "where to write the PDF (must not exist)", false, "out_path"},
            {"running-number", "", "a running number on every page, exhibits included"}};
  }
  core::Status run(Context& ctx) override {
    service::ComplaintPacketRequest req{ctx.args().get("case"), ctx.args().get("out")};
    req.running_number = ctx.args().has("running-number");
    if (req.out_path.empty()) return core::invalidArgument("is required").withField("--out");
    if (req.case_id.empty()) return core::invalidArgument("is required").withField("--case");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto made = service::makeComplaintPacket(session->services(), req);
    if (!made.isOk()) {
      const core::Status& st = made.status();
      const std::string review = "recourse complaint review --case " + req.case_id;
      if (st.field() == "review") {
        return core::Status(st.code(), st.message() + ": " + review, "--case");
      }
      if (st.field() == "answers") {
        return core::Status(st.code(),
                            st.message() + "\nGive them with: " + review + " --set FIELD=VALUE");
      }
      return st;
    }
    const auto& r = *made;
    if (ctx.args().json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("out", req.out_path);
      o->set("pages", static_cast<Poco::Int64>(r.pages));
      o->set("incidents", static_cast<Poco::UInt64>(r.incidents));
      o->set("exhibits", static_cast<Poco::UInt64>(r.exhibits));
      o->set("board", r.board_name);
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& s : r.warnings) w->add(s);
      o->set("warnings", w);
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << "Wrote " << req.out_path << " ("
              << plural(static_cast<size_t>(r.pages), "page", "pages")
              << "): cover letter, complaint with " << plural(r.incidents, "incident", "incidents")
              << " in timeline order, exhibit index, and "
              << plural(r.exhibits, "exhibit", "exhibits") << " ("
              << plural(r.exhibit_pages, "page", "pages") << ").\n";
    for (const auto& w : r.warnings) ctx.out() << "Note: " << w << "\n";
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
