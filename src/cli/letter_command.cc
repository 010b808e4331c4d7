// `recourse letter`: a document from a form definition, the case's facts and the law.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/command.h"
#include "forms/interview.h"
#include "forms/loader.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/registry.h"
#include "jurisdiction/request_tracking.h"
#include "pdf/document.h"
#include "service/files.h"
#include "service/letters.h"

namespace recourse::cli {

using service::applyRequestState;
using service::applySetOptions;
using service::buildLetterContext;
using service::prefillAnswers;
using service::requestAnswers;
using service::writeFileAtomically;
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
    return {{"form", "ID", "which document (see: recourse forms list)"},
            {"case", "ID", "the case it is about"},
            {"out", "FILE", "where to write the PDF (must not exist)"},
            {"answers", "FILE", "answers as a JSON object (- for stdin)"},
            {"set", "FIELD=VALUE",
             "one answer, e.g. --set scope=all or --set date_range.start=2023-01-01 "
             "(true/false for yes/no, commas between choices)",
             true},
            {"sent-on", "YYYY-MM-DD", "the day the letter will be received (default: today)"},
            {"request", "ID",
             "a tracked records request: its case, custodian, answers, dates and the letter its "
             "state calls for (follow-up when overdue, review when refused)"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    const bool from_request = a.has("request");
    for (const char* req : {"form", "case", "out"}) {
      if (!a.has(req) && !(from_request && std::string(req) != "out")) {
        return core::invalidArgument(std::string("--") + req + ": is required");
      }
    }
    const std::string out = a.get("out");
    if (std::filesystem::exists(out)) {
      return core::invalidArgument("--out: " + out + " already exists; choose a new file name");
    }
    // A tracked request supplies the case, the custodian, its answers and its dates.
    std::unique_ptr<store::Store> store;
    std::optional<core::RecordsRequest> request;
    std::optional<jurisdiction::RequestState> state;
    std::vector<core::RequestEvent> events;
    std::string case_id = a.get("case");
    std::string form_id = a.get("form");
    const jurisdiction::Registry reg =
        jurisdiction::Registry::loadDirectory(ctx.jurisdictionsDir());
    if (from_request) {
      auto opened = ctx.openUnlocked();
      if (!opened.isOk()) return opened.status();
      store = std::move(opened).value();
      auto r = store->getRequest(a.get("request"));
      if (!r.isOk())
        return core::notFound("--request: no records request with id " + a.get("request"));
      request = *r;
      auto ev = store->listRequestEvents(request->id);
      if (!ev.isOk()) return ev.status();
      events = *ev;
      case_id = request->case_id;
      auto kase = store->getCase(case_id);
      if (!kase.isOk()) return kase.status();
      std::string jid =
          request->jurisdiction.empty() ? kase->provider.jurisdiction : request->jurisdiction;
      state = jurisdiction::deriveRequestState(jid, events, reg, ctx.env().clock.today());
      if (form_id.empty()) {
        form_id = state->status == core::RequestStatus::kDenied ? "denial-review"
                  : state->status == core::RequestStatus::kOverdue ||
                          state->status == core::RequestStatus::kPartiallyFulfilled
                      ? "records-followup"
                      : "records-request";
      }
    }
    forms::FormSet set = forms::loadFormDirectory(ctx.formsDir());
    const forms::Form* form = set.find(form_id);
    if (form == nullptr) {
      return core::notFound("--form: no form \"" + form_id.substr(0, 40) +
                            "\" (see: recourse forms list)");
    }
    Object::Ptr answers = new Object;
    if (request) requestAnswers(*form, *request, answers);
    if (a.has("answers")) {
      auto read = ctx.readJsonOption("answers");
      if (!read.isOk()) return read.status();
      answers = *read;
    }
    RECOURSE_RETURN_IF_ERROR(applySetOptions(*form, a.all("set"), answers));
    core::Date sent_on = ctx.env().clock.today();
    if (state && state->sent_on) sent_on = *state->sent_on;
    if (a.has("sent-on")) {
      auto d = core::Date::parse(a.get("sent-on"), "--sent-on");
      if (!d.isOk()) return d.status();
      sent_on = *d;
    }

    if (!store) {
      auto opened = ctx.openUnlocked();
      if (!opened.isOk()) return opened.status();
      store = std::move(opened).value();
    }
    auto kase = store->getCase(case_id);
    if (!kase.isOk()) {
      if (kase.status().code() == core::StatusCode::kNotFound) {
        return core::notFound("--case: no case with id " + case_id);
      }
      return kase.status();
    }
    auto client = store->getClient(kase->client_id);
    if (!client.isOk()) return client.status();
    auto incidents = store->listIncidents(kase->id);
    if (!incidents.isOk()) return incidents.status();

    prefillAnswers(*form, *client, *kase, answers);
    auto problems = forms::checkAnswers(*form, answers);
    if (!problems.empty()) {
      std::string msg = "the document needs a few more answers (give them with --set FIELD=VALUE):";
      for (const auto& p : problems) {
        const forms::Field* f = form->findField(p.field.substr(0, p.field.find('.')));
        msg += "\n  " + p.field + ": " + p.message;
        if (f != nullptr && !f->options.empty()) {
          msg += " (";
          for (size_t i = 0; i < f->options.size(); ++i) {
            msg += (i ? ", " : "") + f->options[i].value;
          }
          msg += ")";
        }
      }
      return core::invalidArgument(msg);
    }

    pdf::DocumentContext dc;
    std::vector<std::string> warnings;
    buildLetterContext(set, reg, *form, *client, *kase, *incidents, sent_on,
                       ctx.env().clock.today(), answers, &dc, &warnings);
    // The tracked request's own dates, not ones assumed from --sent-on.
    if (request && state) applyRequestState(*request, *state, events, &dc);
    auto fonts = pdf::FontKit::load();
    if (!fonts.isOk()) return fonts.status();
    pdf::DocInfo info{form->document_title.get("en"), client->name, form->title.get("en"),
                      ctx.env().clock.now()};
    auto doc = pdf::renderForm(*form, answers, dc, *fonts, info);
    if (!doc.isOk()) return doc.status();
    RECOURSE_RETURN_IF_ERROR(writeFileAtomically(out, doc->pdf, "--out: " + out));
    for (char32_t cp : doc->fallbacks) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
      warnings.push_back(std::string("the font has no glyph for ") + buf + "; it is written as [" +
                         buf + "] in the document");
    }
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("out", out);
      o->set("pages", doc->pages);
      o->set("due_date", dc.values["due_date"]);
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& s : warnings) w->add(s);
      o->set("warnings", w);
      ctx.printJson(o);
    } else {
      ctx.out() << "Wrote " << out << " (" << doc->pages << " page" << (doc->pages == 1 ? "" : "s")
                << ").\n";
      for (const auto& s : warnings) ctx.out() << "Note: " << s << "\n";
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
    return LetterCommand().run(inner);
  }
};

std::unique_ptr<Command> makeLetterCommand() { return std::make_unique<LetterCommand>(); }
std::unique_ptr<Command> makeRequestLetterCommand() { return std::make_unique<RequestLetter>(); }

}  // namespace recourse::cli
