// `recourse complaint review|packet|filed|event|event-edit|event-delete|status`: the
// complaint workflows (service/complaint.h, service/complaint_tracking.h), parsed from
// options and printed.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "cli/command.h"
#include "service/complaint.h"
#include "service/complaint_tracking.h"
#include "service/letter.h"

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

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// A day option, when given: InvalidArgument naming the option otherwise.
core::StatusOr<std::optional<core::Date>> dayOption(Context& ctx, const std::string& name) {
  if (!ctx.args().has(name)) return std::optional<core::Date>();
  RECOURSE_ASSIGN_OR_RETURN(auto d, core::Date::parse(ctx.args().get(name), "--" + name));
  return std::optional<core::Date>(d);
}

// The service's fields as this command's options.
core::Status asOptions(const core::Status& st) {
  static const std::map<std::string, std::string> kOptions = {
      {"case_id", "--case"},    {"filed_on", "--on"},
      {"filed_via", "--via"},   {"board_reference", "--reference"},
      {"on", "--on"},           {"reply_by", "--reply-by"},
      {"outcome", "--outcome"}, {"details", "--details"},
      {"type", "--type"},       {"event_id", "ID"}};
  auto it = kOptions.find(st.field());
  return it == kOptions.end() ? st : st.withField(it->second);
}

Object::Ptr eventJson(const core::ComplaintEvent& e) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", e.id);
  o->set("type", std::string(core::complaintEventName(e.type)));
  o->set("on", e.on.toString());
  if (e.reply_by) o->set("reply_by", e.reply_by->toString());
  if (e.outcome) o->set("outcome", std::string(core::complaintOutcomeName(*e.outcome)));
  o->set("details", e.details);
  o->set("version", static_cast<Poco::Int64>(e.version));
  return o;
}

Object::Ptr trackedJson(const service::TrackedComplaint& t) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("case_id", t.case_id);
  o->set("complaint_id", t.complaint_id);
  o->set("board_id", t.board_id);
  o->set("board", t.board_name);
  o->set("status", std::string(jurisdiction::complaintStatusName(t.state.status)));
  o->set("filed_on",
         t.filed_on ? Poco::Dynamic::Var(t.filed_on->toString()) : Poco::Dynamic::Var());
  o->set("filed_via", t.filed_via);
  o->set("board_reference", t.board_reference);
  if (t.state.outcome) {
    o->set("outcome", std::string(core::complaintOutcomeName(*t.state.outcome)));
  }
  Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
  for (const auto& e : t.events) events->add(eventJson(e));
  o->set("events", events);
  Poco::JSON::Array::Ptr next = new Poco::JSON::Array;
  for (const auto& step : t.state.next) {
    Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("key", step.key);
    j->set("text", step.what.text);
    j->set("by", step.by ? Poco::Dynamic::Var(step.by->toString()) : Poco::Dynamic::Var());
    j->set("deadline", step.deadline);
    if (!step.citation.empty()) j->set("citation", step.citation);
    j->set("verified", step.verified);
    if (!step.caution.empty()) j->set("caution", step.caution);
    if (!step.form.empty()) j->set("command", service::suggestedComplaintLetterCommand(t.case_id));
    next->add(j);
  }
  o->set("next", next);
  Poco::JSON::Array::Ptr facts = new Poco::JSON::Array;
  for (const auto& f : t.state.board_facts) {
    Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("key", f.key);
    j->set("text", f.text);
    j->set("citation", f.citation);
    j->set("verified", f.verified);
    if (!f.caution.empty()) j->set("caution", f.caution);
    facts->add(j);
  }
  o->set("board_facts", facts);
  return o;
}

// Where it stands and what comes next, as `complaint status` and every change print it.
void printTracked(Context& ctx, const service::TrackedComplaint& t, bool whole) {
  if (ctx.args().json) {
    ctx.printJson(trackedJson(t));
    return;
  }
  auto& out = ctx.out();
  if (!t.filed_on) {
    out << "The complaint is not recorded as filed. When it is sent: recourse complaint filed "
           "--case "
        << t.case_id << " --on YYYY-MM-DD\n";
    return;
  }
  out << "Complaint to " << (t.board_name.empty() ? "the board" : t.board_name) << ", filed "
      << t.filed_on->toString() << (t.filed_via.empty() ? "" : " (" + t.filed_via + ")")
      << (t.board_reference.empty() ? "" : ", reference " + t.board_reference) << ".\n";
  out << "Status: " << jurisdiction::complaintStatusName(t.state.status);
  if (t.state.outcome) out << " (" << core::complaintOutcomeName(*t.state.outcome) << ")";
  out << ".\n";
  if (whole) {
    if (!t.events.empty()) out << "\nWhat happened:\n";
    for (const auto& e : t.events) {
      out << "  " << e.on.toString() << "  " << pad(core::complaintEventName(e.type), 22);
      if (e.outcome) out << core::complaintOutcomeName(*e.outcome) << "  ";
      if (e.reply_by) out << "reply by " << e.reply_by->toString() << "  ";
      out << (e.details.empty() ? "" : truncateForDisplay(e.details, 50) + "  ") << "(" << e.id
          << ")\n";
    }
  }
  if (!t.state.next.empty()) out << "\nNext:\n";
  for (const auto& step : t.state.next) {
    out << "  " << step.what.text << (step.verified ? "" : " (not confirmed)") << "\n";
    if (!step.verified && !step.caution.empty()) out << "    " << step.caution << "\n";
    if (!step.form.empty()) {
      out << "    " << service::suggestedComplaintLetterCommand(t.case_id) << "\n";
    }
  }
  if (whole) {
    for (const auto& f : t.state.board_facts) {
      out << "\n"
          << (f.key == "process"              ? "What the board does: "
              : f.key == "published_timeline" ? "How long it says it takes: "
                                              : "If you disagree with the outcome: ")
          << f.text << (f.verified ? "" : " (not confirmed)") << " — " << f.citation << "\n";
    }
  }
}

class ComplaintFiled final : public Command {
 public:
  std::string name() const override { return "complaint filed"; }
  std::string summary() const override {
    return "record when and how the complaint reached the board, and its reference";
  }
  std::string usage() const override {
    return "complaint filed --case ID --on YYYY-MM-DD [--via CHANNEL] [--reference TEXT] | "
           "--not-sent";
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"case", "ID", "the case (required)", false, "case_id"},
        {"on", "YYYY-MM-DD", "the day it was sent", false, "filed_on"},
        {"via", "CHANNEL", "how: " + listed(core::complaintChannels()), false, "filed_via"},
        {"reference", "TEXT", "the board's reference for it", false, "board_reference"},
        {"not-sent", "", "it was not sent after all (only while nothing after it is recorded)"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    service::ComplaintFiling in;
    in.case_id = a.get("case");
    if (in.case_id.empty()) return core::invalidArgument("is required").withField("--case");
    RECOURSE_ASSIGN_OR_RETURN(in.filed_on, dayOption(ctx, "on"));
    in.clear_filed_on = a.has("not-sent");
    if (!in.filed_on && !in.clear_filed_on && !a.has("via") && !a.has("reference")) {
      return core::invalidArgument("is required: the day the complaint was sent").withField("--on");
    }
    if (a.has("via")) in.filed_via = a.get("via");
    if (a.has("reference")) in.board_reference = a.get("reference");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto t = service::recordComplaintFiling(session->services(), in);
    if (!t.isOk()) return asOptions(t.status());
    if (!ctx.args().json) ctx.out() << "Saved.\n";
    printTracked(ctx, *t, false);
    return core::Status::ok();
  }
};

class ComplaintEventAdd final : public Command {
 public:
  std::string name() const override { return "complaint event"; }
  std::string summary() const override {
    return "record what happened after filing: acknowledged, information asked, outcome, ...";
  }
  std::string usage() const override {
    return "complaint event --case ID --type TYPE --on YYYY-MM-DD [--reply-by YYYY-MM-DD] "
           "[--outcome OUTCOME] [--details TEXT]";
  }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"},
            {"type", "TYPE", "one of " + listed(core::complaintEventNames())},
            {"on", "YYYY-MM-DD",
             "the day it happened (for the outcome, the date on the decision letter)"},
            {"reply-by", "YYYY-MM-DD", "for info_requested: the day the board asked a reply by",
             false, "reply_by"},
            {"outcome", "OUTCOME", "for outcome: one of " + listed(core::complaintOutcomeNames())},
            {"details", "TEXT", "notes in your own words (optional)"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    service::NewComplaintEvent in;
    in.case_id = a.get("case");
    if (in.case_id.empty()) return core::invalidArgument("is required").withField("--case");
    in.type = a.get("type");
    RECOURSE_ASSIGN_OR_RETURN(in.on, dayOption(ctx, "on"));
    RECOURSE_ASSIGN_OR_RETURN(in.reply_by, dayOption(ctx, "reply-by"));
    in.outcome = a.get("outcome");
    in.details = a.get("details");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto t = service::recordComplaintEvent(session->services(), in);
    if (!t.isOk()) return asOptions(t.status());
    if (!ctx.args().json) ctx.out() << "Saved.\n";
    printTracked(ctx, *t, false);
    return core::Status::ok();
  }
};

core::StatusOr<std::string> complaintEventId(Context& ctx) {
  if (ctx.args().positionals.empty()) {
    return core::invalidArgument("ID: name the step (see: recourse complaint status --case ID)");
  }
  return ctx.args().positionals[0];
}

class ComplaintEventEdit final : public Command {
 public:
  std::string name() const override { return "complaint event-edit"; }
  std::string summary() const override {
    return "correct a recorded step: its day, reply date, outcome or notes";
  }
  std::string usage() const override {
    return "complaint event-edit ID [--on YYYY-MM-DD] [--reply-by YYYY-MM-DD | --no-reply-by] "
           "[--outcome OUTCOME] [--details TEXT]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"on", "YYYY-MM-DD",
             "the day it happened (for the outcome, the date on the decision letter)"},
            {"reply-by", "YYYY-MM-DD", "the day the board asked a reply by", false, "reply_by"},
            {"no-reply-by", "", "the board gave no such day"},
            {"outcome", "OUTCOME", "one of " + listed(core::complaintOutcomeNames())},
            {"details", "TEXT", "notes in your own words (\"\" clears them)"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    service::ComplaintEventEdit in;
    RECOURSE_ASSIGN_OR_RETURN(in.event_id, complaintEventId(ctx));
    RECOURSE_ASSIGN_OR_RETURN(in.on, dayOption(ctx, "on"));
    RECOURSE_ASSIGN_OR_RETURN(in.reply_by, dayOption(ctx, "reply-by"));
    in.clear_reply_by = a.has("no-reply-by");
    if (a.has("outcome")) in.outcome = a.get("outcome");
    if (a.has("details")) in.details = a.get("details");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto t = service::editComplaintEvent(session->services(), in);
    if (!t.isOk()) return asOptions(t.status());
    if (!ctx.args().json) ctx.out() << "Saved the correction.\n";
    printTracked(ctx, *t, false);
    return core::Status::ok();
  }
};

class ComplaintEventDelete final : public Command {
 public:
  std::string name() const override { return "complaint event-delete"; }
  std::string summary() const override { return "remove a step recorded by mistake (asks first)"; }
  std::string usage() const override { return "complaint event-delete ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto id, complaintEventId(ctx));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto shown = service::showComplaintEvent(services, id);
    if (!shown.isOk()) return asOptions(shown.status());
    RECOURSE_ASSIGN_OR_RETURN(
        bool go,
        confirmDeletion(ctx, "Remove the " + std::string(core::complaintEventName(shown->type)) +
                                 " recorded on " + shown->on.toString() + "?"));
    if (!go) return core::Status::ok();
    auto t = service::deleteComplaintEvent(services, id);
    if (!t.isOk()) return asOptions(t.status());
    if (!ctx.args().json) ctx.out() << "Removed.\n";
    printTracked(ctx, *t, false);
    return core::Status::ok();
  }
};

class ComplaintStatus final : public Command {
 public:
  std::string name() const override { return "complaint status"; }
  std::string summary() const override {
    return "where the complaint stands after filing, what happened, and what can come next";
  }
  std::string usage() const override { return "complaint status --case ID"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"}};
  }
  core::Status run(Context& ctx) override {
    const std::string case_id = ctx.args().get("case");
    if (case_id.empty()) return core::invalidArgument("is required").withField("--case");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto t = service::trackComplaint(session->services(), case_id);
    if (!t.isOk()) return asOptions(t.status());
    printTracked(ctx, *t, true);
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeComplaintCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<ComplaintReview>());
  v.push_back(std::make_unique<ComplaintPacket>());
  v.push_back(std::make_unique<ComplaintFiled>());
  v.push_back(std::make_unique<ComplaintEventAdd>());
  v.push_back(std::make_unique<ComplaintEventEdit>());
  v.push_back(std::make_unique<ComplaintEventDelete>());
  v.push_back(std::make_unique<ComplaintStatus>());
  return v;
}

}  // namespace recourse::cli
