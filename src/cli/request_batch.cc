// `recourse request batch` and `recourse request followups`: records requests for many
// clients at once, from a spreadsheet, as legal aid offices work. The workflows are
// service::importRequestBatch and service::makeFollowups (service/batch.h); these commands
// parse the options, call them and print what they did.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>
#include <optional>

#include "cli/command.h"
#include "core/validation.h"
#include "service/batch.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Object;

// Where the command line sends a person to learn more.
service::SeeAlso seeAlso() {
  service::SeeAlso see;
  see.columns = "recourse request batch --help, or docs/user-guide.md";
  see.jurisdictions = "recourse jurisdictions list";
  return see;
}

// --threads N: a whole number (the workflow checks its range).
core::StatusOr<std::optional<int>> threadsOption(const ParsedArgs& a) {
  if (!a.has("threads")) return std::optional<int>();
  const std::string text = a.get("threads");
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return core::invalidArgument("\"" + text.substr(0, 40) + "\" is not a number from 1 to 64")
        .withField("--threads");
  }
  return std::optional<int>(n);
}

OptionSpec threadsSpec() {
  return {"threads", "N", "letters rendered at once (default: one per core)", false, "threads"};
}

class RequestBatch final : public Command {
 public:
  std::string name() const override { return "request batch"; }
  std::string summary() const override {
    return "many records requests from a spreadsheet (CSV): letters, one PDF to print, tracking";
  }
  std::string usage() const override {
    std::string u =
        "request batch --csv FILE --out DIR [--skip-invalid]\n"
        "request batch --template FILE   (an empty spreadsheet with one example row)\n\n"
        "The CSV's first row names its columns (any order; * = required):\n";
    for (const auto& c : service::batchColumns()) {
      std::string name = std::string(c.name) + (c.required ? " *" : "");
      std::string help = c.help;
      if (std::string(c.name) == "jurisdiction") help += " (" + seeAlso().jurisdictions + ")";
      u += "  " + (help.empty() ? name : pad(name, 30) + help) + "\n";
    }
    u += "Dates are YYYY-MM-DD. Rows are checked first: with any problem nothing is made.\n"
         "Run the same file again as letters go out (fill in sent_on) or to correct a cell: "
         "nothing is made twice, corrections are applied and listed by row, and letters already "
         "sent are not printed again.";
    return u;
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"csv", "FILE", "the spreadsheet, saved as CSV (UTF-8)", false, "csv"},
        {"out", "DIR", "where the letters, all-letters.pdf and tracking.csv go", false, "out_dir"},
        {"skip-invalid", "", "make what the good rows ask and list the rest in skipped.csv", false,
         "skip_invalid"},
        {"template", "FILE", "write an empty spreadsheet (the header and one example row) and stop",
         false, "template"},
        threadsSpec()};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.has("template")) {
      for (const char* other : {"csv", "out", "skip-invalid", "threads"}) {
        if (a.has(other)) {
          return core::invalidArgument("goes alone; it only writes the empty spreadsheet")
              .withField("--template");
        }
      }
      const std::string file = a.get("template");
      RECOURSE_RETURN_IF_ERROR(service::writeBatchTemplate(file));
      ctx.out() << "Wrote " << file
                << ": the columns Recourse reads and one example row. Replace the example with "
                   "one row per records request (leave sent_on empty until the letter has gone "
                   "out), then run: recourse request batch --csv "
                << file << " --out DIR\n";
      return core::Status::ok();
    }
    if (!a.has("csv")) return core::invalidArgument("is required").withField("--csv");
    if (!a.has("out")) return core::invalidArgument("is required").withField("--out");
    service::BatchImport req;
    req.csv_path = a.get("csv");
    req.out_dir = a.get("out");
    req.skip_invalid = a.has("skip-invalid");
    RECOURSE_ASSIGN_OR_RETURN(req.threads, threadsOption(a));
    req.progress = ctx.env().progress ? &ctx.env().err : nullptr;
    req.see = seeAlso();

    // Every row is checked before the vault is opened: a spreadsheet with problems is
    // reported without asking for the passphrase.
    RECOURSE_ASSIGN_OR_RETURN(service::BatchCheck check,
                              service::checkRequestBatch(*ctx.catalog(), ctx.env().clock, req));
    if (check.stopped) {
      std::string msg =
          check.source + ": " + plural(check.bad_rows, "row has", "rows have") +
          " problems; nothing was made" +
          (check.header_bad ? "" : " (fix them, or add --skip-invalid to make the rest)") + ":";
      for (const auto& p : check.problems) msg += "\n  " + service::describeProblem(p);
      return core::invalidArgument(msg);
    }
    RECOURSE_RETURN_IF_ERROR(check.verdict);

    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(
        service::BatchSummary done,
        service::importRequestBatch(session->services(), req, std::move(check)));

    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("rows_ready", static_cast<Poco::UInt64>(done.rows_ready));
      o->set("rows_skipped", static_cast<Poco::UInt64>(done.rows_skipped));
      o->set("requests_made", static_cast<Poco::UInt64>(done.requests_made));
      o->set("requests_existing", static_cast<Poco::UInt64>(done.requests_existing));
      o->set("requests_corrected", static_cast<Poco::UInt64>(done.requests_corrected));
      o->set("clients_made", static_cast<Poco::UInt64>(done.clients_made));
      o->set("marked_sent", static_cast<Poco::UInt64>(done.marked_sent));
      o->set("letters", static_cast<Poco::UInt64>(done.letters));
      o->set("letters_not_reprinted", static_cast<Poco::UInt64>(done.letters_not_reprinted));
      o->set("pages", static_cast<Poco::Int64>(done.pages));
      Poco::JSON::Array::Ptr c = new Poco::JSON::Array;
      for (const auto& line : done.corrections) c->add(line);
      o->set("corrections", c);
      o->set("combined", done.combined);
      o->set("tracking", done.tracking);
      if (!done.skipped.empty()) o->set("skipped", done.skipped);
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& n : done.notes) w->add(n);
      o->set("notes", w);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << "Checked " << plural(done.rows_ready + done.rows_skipped, "row", "rows") << ": "
        << done.rows_ready << " ready";
    if (done.rows_skipped > 0) {
      out << ", " << done.rows_skipped << " skipped (" << done.skipped << " says why)";
    }
    out << ".\n";
    out << "Made " << plural(done.requests_made, "new request", "new requests") << " ("
        << plural(done.clients_made, "new client", "new clients") << ")";
    if (done.requests_existing > 0) {
      out << "; " << done.requests_existing
          << " already made by an earlier run were not made again";
    }
    out << ".\n";
    if (!done.corrections.empty()) {
      out << "Corrected " << plural(done.requests_corrected, "request", "requests")
          << " from cells that changed:\n";
      for (const auto& line : done.corrections) out << "  " << line << "\n";
    }
    if (done.marked_sent > 0) {
      out << "Recorded " << done.marked_sent << " as sent (their clocks run).\n";
    }
    if (done.letters > 0) {
      out << "Wrote " << plural(done.letters, "letter", "letters") << " to " << done.letters_dir
          << "/, all of them in mailing order in " << done.combined << " ("
          << plural(static_cast<size_t>(done.pages), "page", "pages") << "), and " << done.tracking
          << ".\n";
    } else {
      out << "No letter to print. " << done.tracking << " lists every row.\n";
    }
    if (done.letters_not_reprinted > 0) {
      out << plural(done.letters_not_reprinted, "letter was", "letters were")
          << " already sent and not printed again.\n";
    }
    for (const auto& n : done.notes) out << "Note: " << n << "\n";
    return core::Status::ok();
  }
};

class RequestFollowups final : public Command {
 public:
  std::string name() const override { return "request followups"; }
  std::string summary() const override {
    return "a follow-up letter for every overdue request: letters, one PDF to print, tracking";
  }
  std::string usage() const override {
    return "request followups --out DIR [--case ID] [--as-of YYYY-MM-DD] [--sent-on YYYY-MM-DD "
           "--via mail]\n\n"
           "A request whose follow-up was recorded as sent gets no other until the days that "
           "follow-up asked for have passed.";
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"out", "DIR", "where the letters, all-letters.pdf and tracking.csv go", false, "out_dir"},
        {"case", "ID", "only this case's requests", false, "case_id"},
        {"as-of", "YYYY-MM-DD",
         "what will be overdue on this day, with letters dated that day (default today)", false,
         "as_of"},
        {"reply-within", "DAYS", "the reply the letters ask for: 7, 10 or 14 days (default 14)",
         false, "reply_within_days"},
        {"mention-escalation", "yes|no",
         "say where a complaint can go if there is no answer (default yes)", false,
         "mention_escalation"},
        {"sent-on", "YYYY-MM-DD", "also record the follow-ups as sent on this day", false,
         "sent_on"},
        {"via", "CHANNEL", "how they were sent (with --sent-on; default mail)", false, "via"},
        threadsSpec()};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("out")) return core::invalidArgument("is required").withField("--out");
    service::Followups req;
    req.out_dir = a.get("out");
    req.case_id = a.get("case");
    if (a.has("as-of")) {
      RECOURSE_ASSIGN_OR_RETURN(req.as_of, core::Date::parse(a.get("as-of"), "--as-of"));
    }
    if (a.has("reply-within")) req.reply_within_days = a.get("reply-within");
    const auto mention =
        a.has("mention-escalation") ? core::parseYesNo(a.get("mention-escalation")) : true;
    if (!mention) {
      return core::invalidArgument(std::string("takes ") + core::kYesNoWords)
          .withField("--mention-escalation");
    }
    req.mention_escalation = *mention;
    if (a.has("sent-on")) {
      RECOURSE_ASSIGN_OR_RETURN(req.sent_on, core::Date::parse(a.get("sent-on"), "--sent-on"));
    }
    req.via = a.get("via");
    if (a.has("via") && !a.has("sent-on")) {
      return core::invalidArgument("goes with --sent-on").withField("--via");
    }
    RECOURSE_ASSIGN_OR_RETURN(req.threads, threadsOption(a));
    req.progress = ctx.env().progress ? &ctx.env().err : nullptr;
    req.see = seeAlso();

    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(service::FollowupSummary done,
                              service::makeFollowups(session->services(), req));
    const std::string when =
        (a.has("as-of") ? "on " : "today (") + done.today.toString() + (a.has("as-of") ? "" : ")");
    const std::string waiting =
        done.waiting_on_followup == 0
            ? ""
            : plural(done.waiting_on_followup, "overdue request has", "overdue requests have") +
                  " a follow-up already sent that still waits for its answer; none was made "
                  "for them.\n";
    if (done.letters == 0) {
      if (a.json) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("letters", 0);
        o->set("waiting_on_followup", static_cast<Poco::UInt64>(done.waiting_on_followup));
        ctx.printJson(o);
      } else {
        ctx.out() << "No request needs a follow-up " << when << "; nothing to write.\n" << waiting;
      }
      return core::Status::ok();
    }
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("letters", static_cast<Poco::UInt64>(done.letters));
      o->set("waiting_on_followup", static_cast<Poco::UInt64>(done.waiting_on_followup));
      o->set("pages", static_cast<Poco::Int64>(done.pages));
      o->set("recorded_sent", done.recorded_sent_on.has_value());
      o->set("combined", done.combined);
      o->set("tracking", done.tracking);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << plural(done.letters, "request is", "requests are") << " overdue " << when << ".\n"
        << waiting;
    out << "Wrote " << plural(done.letters, "follow-up letter", "follow-up letters") << " to "
        << done.letters_dir << "/, all of them in mailing order in " << done.combined << " ("
        << plural(static_cast<size_t>(done.pages), "page", "pages") << "), and " << done.tracking
        << ".\n";
    if (done.recorded_sent_on) {
      out << "Recorded them as sent on " << done.recorded_sent_on->toString() << " via " << done.via
          << ".\n";
    } else {
      out << (a.has("as-of") ? "On the day they go out, record it" : "When they go out, record it")
          << ": recourse request followups --out DIR --sent-on YYYY-MM-DD, or one at a time "
             "with recourse request event ID --type followup_sent.\n";
    }
    for (const auto& n : done.notes) out << "Note: " << n << "\n";
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeRequestFollowupsCommand() {
  return std::make_unique<RequestFollowups>();
}

std::unique_ptr<Command> makeRequestBatchCommand() { return std::make_unique<RequestBatch>(); }

}  // namespace recourse::cli
