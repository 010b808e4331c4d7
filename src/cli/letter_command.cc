// `recourse letter`: a document from a form definition, the case's facts and the law.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "cli/command.h"
#include "service/files.h"
#include "service/letter.h"

namespace recourse::cli {

namespace {

using Poco::JSON::Object;

class LetterCommand final : public Command {
 public:
  std::string name() const override { return "letter"; }
  std::string summary() const override {
    return "make a letter or complaint (PDF) from a form, the case and the law";
  }
  std::string usage() const override {
    return "letter --form ID --case ID --out FILE.pdf [--set FIELD=VALUE ...] [--answers FILE]";
  }
  std::vector<OptionSpec> options() const override {
    return {{"form", "ID", "which document (see: recourse forms list)", false, "form_id"},
            {"case", "ID", "the case it is about", false, "case_id"},
            {"out", "FILE", "where to write the PDF (must not exist)"},
            {"answers", "FILE", "answers as a JSON object (- for stdin)"},
            {"set", "FIELD=VALUE",
             "one answer, e.g. --set scope=all or --set date_range.start=2023-01-01 "
             "(true/false for yes/no, commas between choices)",
             true},
            {"sent-on", "YYYY-MM-DD", "the day the letter will be received (default: today)"},
            {"request", "ID",
             "a tracked records request: its case, custodian, answers, dates and the letter its "
             "state calls for (follow-up when overdue, review when refused)",
             false, "request_id"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    service::LetterRequest req;
    req.form_id = a.get("form");
    req.case_id = a.get("case");
    req.request_id = a.get("request");
    const bool from_request = !req.request_id.empty();
    if (!from_request && req.form_id.empty()) {
      return core::invalidArgument("is required").withField("--form");
    }
    if (!from_request && req.case_id.empty()) {
      return core::invalidArgument("is required").withField("--case");
    }
    const std::string out = a.get("out");
    if (out.empty()) return core::invalidArgument("is required").withField("--out");
    RECOURSE_RETURN_IF_ERROR(service::requireNewFile(out, "--out"));
    if (a.has("answers")) {
      RECOURSE_ASSIGN_OR_RETURN(req.answers, ctx.readJsonOption("answers"));
    }
    req.set = a.all("set");
    if (a.has("sent-on")) {
      RECOURSE_ASSIGN_OR_RETURN(req.sent_on, core::Date::parse(a.get("sent-on"), "--sent-on"));
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto made = service::makeLetter(session->services(), req);
    if (!made.isOk()) {
      const core::Status& st = made.status();
      if (st.field() == "answers") {
        return core::Status(st.code(),
                            "the document needs a few more answers (give them with "
                            "--set FIELD=VALUE):" +
                                st.message().substr(st.message().find(':') + 1));
      }
      if (st.field() == "form_id" && st.code() == core::StatusCode::kNotFound) {
        return core::Status(st.code(), st.message() + " (see: recourse forms list)", "--form");
      }
      return st;
    }
    const service::Letter& letter = *made;
    RECOURSE_RETURN_IF_ERROR(service::writeFileAtomically(out, letter.pdf, "--out: " + out));
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("out", out);
      o->set("pages", letter.pages);
      o->set("due_date", letter.due_date);
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& s : letter.warnings) w->add(s);
      o->set("warnings", w);
      ctx.printJson(o);
    } else {
      ctx.out() << "Wrote " << out << " ("
                << plural(static_cast<size_t>(letter.pages), "page", "pages") << ").\n";
      for (const auto& s : letter.warnings) ctx.out() << "Note: " << s << "\n";
    }
    return core::Status::ok();
  }
};

}  // namespace

// `request letter ID`: the letter a tracked request calls for, through `letter --request`.
class RequestLetter final : public Command {
 public:
  std::string name() const override { return "request letter"; }
  std::string summary() const override {
    return "the letter a request calls for now (request, follow-up or review) as a PDF";
  }
  std::string usage() const override { return "request letter ID --out FILE.pdf [--form ID]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    std::vector<OptionSpec> all = LetterCommand().options();
    std::vector<OptionSpec> out;
    for (auto& o : all) {
      if (o.name != "case" && o.name != "request") out.push_back(o);
    }
    return out;
  }
  core::Status run(Context& ctx) override {
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("ID: name the request (see: recourse request list)");
    }
    ParsedArgs args = ctx.args();
    args.options["request"] = {args.positionals[0]};
    args.positionals.clear();
    Context inner(ctx.env(), std::move(args));
    core::Status st = LetterCommand().run(inner);
    return st.field() == "request_id" ? st.withField("ID") : st;
  }
};

std::unique_ptr<Command> makeLetterCommand() { return std::make_unique<LetterCommand>(); }
std::unique_ptr<Command> makeRequestLetterCommand() { return std::make_unique<RequestLetter>(); }

}  // namespace recourse::cli
