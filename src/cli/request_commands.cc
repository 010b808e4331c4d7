// `recourse request ...`: records requests tracked from the first letter to the end.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "core/request.h"
#include "jurisdiction/deadline.h"
#include "server/json_codec.h"
#include "service/letter.h"
#include "service/requests.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

core::StatusOr<std::string> requestId(Context& ctx) {
  if (ctx.args().positionals.empty()) {
    return core::invalidArgument("ID: name the request (see: recourse request list)");
  }
  return ctx.args().positionals[0];
}

// A request id that is not there is named as the ID argument.
core::Status idError(const core::Status& st) {
  return st.field() == "request_id" ? st.withField("ID") : st;
}

Object::Ptr stateJson(const service::TrackedRequest& t) {
  return server::trackedRequestToJson(t, /*with_commands=*/true);
}

class RequestAdd final : public Command {
 public:
  std::string name() const override { return "request add"; }
  std::string summary() const override { return "start tracking a records request on a case"; }
  std::string usage() const override {
    return "request add --case ID [--kind access|amendment|accounting|claims] [--custodian NAME] "
           "[--address TEXT] [--email EMAIL] [--answers FILE]";
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"case", "ID", "the case (required)", false, "case_id"},
        {"kind", "KIND",
         "what it asks for: access (a copy of the records, the default), amendment (a "
         "correction), accounting (a list of who they were disclosed to) or claims (a health "
         "plan's records of what was billed for the therapist's services)"},
        {"custodian", "NAME",
         "who holds the records (default: the practice or therapist; for claims, the health plan "
         "or insurer, required)",
         false, "custodian_name"},
        {"address", "TEXT", "their postal address", false, "custodian_address"},
        {"email", "EMAIL", "their email", false, "custodian_email"},
        {"reference", "TEXT", "their reference number, if any"},
        {"jurisdiction", "CODE", "whose law applies (default: where the therapist is licensed)"},
        {"answers", "FILE",
         "the letter's answers as a JSON object (recourse forms show records-request lists "
         "them); the letter asks for any left out",
         false, "answers"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("case")) return core::invalidArgument("is required").withField("--case");
    service::NewRequest req;
    req.case_id = a.get("case");
    if (a.has("custodian")) req.custodian_name = a.get("custodian");
    if (a.has("address")) req.custodian_address = a.get("address");
    if (a.has("email")) req.custodian_email = a.get("email");
    req.reference = a.get("reference");
    req.jurisdiction = a.get("jurisdiction");
    req.kind = a.get("kind");
    if (a.has("answers")) {
      RECOURSE_ASSIGN_OR_RETURN(req.answers, ctx.readJsonOption("answers"));
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto added, service::addRequest(session->services(), req));
    if (a.json) {
      ctx.printJson(stateJson(added));
    } else {
      const core::RequestKind kind = added.request.kind;
      ctx.out() << "Tracking "
                << (kind == core::RequestKind::kAmendment    ? "a correction request "
                    : kind == core::RequestKind::kAccounting ? "a request for a list of "
                                                               "disclosures "
                    : kind == core::RequestKind::kClaims     ? "a request for claims records "
                                                             : "request ")
                << added.request.id << " to " << added.request.custodian_name
                << ". When it goes out: recourse request send " << added.request.id
                << " --on YYYY-MM-DD --via mail\n";
    }
    return core::Status::ok();
  }
};

class RequestEventCommand final : public Command {
 public:
  RequestEventCommand(std::string name, std::string summary, bool fixed_send)
      : name_(std::move(name)), summary_(std::move(summary)), send_(fixed_send) {}
  std::string name() const override { return name_; }
  std::string summary() const override { return summary_; }
  std::string usage() const override {
    return send_ ? "request send ID --on YYYY-MM-DD --via mail|email|fax|portal|in_person"
                 : "request event ID --type TYPE --on YYYY-MM-DD [--details TEXT]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    std::vector<OptionSpec> o = {
        {"on", "YYYY-MM-DD",
         send_ ? "the day they received it (the clock starts then)" : "the day it happened"},
        {"via", "CHANNEL", "mail, email, fax, portal or in_person"},
        {"details", "TEXT", "notes in your own words (optional)"}};
    if (!send_) {
      std::string types;
      for (const auto& t : core::requestEventNames()) types += (types.empty() ? "" : ", ") + t;
      o.insert(o.begin(), {"type", "TYPE", "one of " + types});
      o.push_back({"reply-within", "DAYS",
                   "for followup_sent: the days the letter gave them to reply (default 14)", false,
                   "reply_within_days"});
    }
    return o;
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    auto id = requestId(ctx);
    if (!id.isOk()) return id.status();
    core::RequestEvent e;
    e.request_id = *id;
    if (send_) {
      e.type = core::RequestEventType::kSent;
    } else {
      if (!a.has("type")) return core::invalidArgument("--type: is required");
      auto t = core::parseRequestEvent(a.get("type"));
      if (!t) {
        std::string types;
        for (const auto& n : core::requestEventNames()) types += (types.empty() ? "" : ", ") + n;
        return core::invalidArgument("--type: \"" + a.get("type").substr(0, 30) +
                                     "\" is not one of " + types);
      }
      e.type = *t;
    }
    if (!a.has("on")) return core::invalidArgument("--on: is required (YYYY-MM-DD)");
    service::NewEvent ev;
    ev.request_id = e.request_id;
    ev.type = e.type;
    RECOURSE_ASSIGN_OR_RETURN(ev.on, core::Date::parse(a.get("on"), "--on"));
    ev.via = a.get("via");
    ev.details = a.get("details");
    if (a.has("reply-within")) {
      if (ev.type != core::RequestEventType::kFollowUpSent) {
        return core::invalidArgument("is only given with --type followup_sent")
            .withField("--reply-within");
      }
      const std::string d = a.get("reply-within");
      if (d.empty() || d.size() > 3 || d.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(d) < 1) {
        return core::invalidArgument("\"" + d.substr(0, 10) + "\" is not a number of days")
            .withField("--reply-within");
      }
      ev.reply_within_days = std::stoi(d);
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    // A second send corrects the sent date: say so.
    std::optional<core::Date> was_sent;
    if (send_) {
      auto before = service::showRequest(session->services(), ev.request_id);
      if (before.isOk()) was_sent = before->state.sent_on;
    }
    auto recorded = service::recordEvent(session->services(), ev);
    if (!recorded.isOk()) {
      const core::Status& st = recorded.status();
      if (st.field() == "type" && st.code() == core::StatusCode::kInvalidArgument &&
          ev.type != core::RequestEventType::kSent) {
        return core::Status(
            st.code(),
            st.message() + " (recourse request send " + ev.request_id + " --on DATE --via ...)",
            "--type");
      }
      return idError(st);
    }
    const auto& state = recorded->state;
    e.on = ev.on;
    if (a.json) {
      ctx.printJson(stateJson(*recorded));
    } else {
      if (was_sent) {
        ctx.out() << "Corrected the sent date from " << was_sent->toString() << " to "
                  << e.on.toString() << ". Status: " << core::requestStatusName(state.status);
      } else {
        ctx.out() << "Recorded: " << core::requestEventName(e.type) << " on " << e.on.toString()
                  << ". Status: " << core::requestStatusName(state.status);
      }
      if (state.due) ctx.out() << "; answer due " << state.due->toString();
      if (state.clock_stopped) {
        ctx.out() << "; the clock is stopped until the fee is paid ("
                  << plural(static_cast<size_t>(std::max(0L, state.days_left)), "day", "days")
                  << " left)";
      }
      ctx.out() << ".\n";
    }
    return core::Status::ok();
  }

 private:
  std::string name_;
  std::string summary_;
  bool send_;
};

class RequestShow final : public Command {
 public:
  std::string name() const override { return "request show"; }
  std::string summary() const override {
    return "where a request stands: status, due date and why, what to do next";
  }
  std::string usage() const override { return "request show ID [--explain]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"explain", "", "show how the due date was counted"}};
  }
  core::Status run(Context& ctx) override {
    auto id = requestId(ctx);
    if (!id.isOk()) return id.status();
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto shown = service::showRequest(session->services(), *id);
    if (!shown.isOk()) return idError(shown.status());
    if (ctx.args().json) {
      ctx.printJson(stateJson(*shown));
      return core::Status::ok();
    }
    const core::RecordsRequest* r = &shown->request;
    const auto* events = &shown->events;
    const jurisdiction::RequestState& s = shown->state;
    auto& out = ctx.out();
    out << "Request " << r->id << " to " << r->custodian_name << "\n";
    out << "  for:      " << shown->client_name << " (" << shown->client_id << "), case "
        << r->case_id << " " << shown->case_label << "\n";
    out << "  status:   " << core::requestStatusName(s.status) << "\n";
    if (s.sent_on) out << "  received: " << s.sent_on->toString() << "\n";
    if (s.clock_stopped) {
      out << "  due:      the clock stopped on " << s.stopped_on->toString()
          << " until the fee is paid; "
          << (s.days_left >= 0 ? plural(static_cast<size_t>(s.days_left), "day", "days") +
                                     " will be left when it runs again"
                               : "it was already overdue then")
          << " (record the payment: recourse request event " << r->id
          << " --type fee_paid --on YYYY-MM-DD)\n";
    } else if (s.due) {
      out << "  due:      " << s.due->toString();
      if (s.days_left > 0) out << " (" << s.days_left << " days left)";
      if (s.days_left < 0) out << " (" << -s.days_left << " days ago)";
      out << "\n";
    } else if (!s.no_due.text.empty() && s.sent_on) {
      out << "  due:      no due date: " << s.no_due.text << "\n";
    }
    if (s.followup_sent_on) {
      out << "  follow-up: sent " << s.followup_sent_on->toString() << "; their reply "
          << (s.awaiting_followup_reply ? "is due by " : "was due by ")
          << s.followup_reply_by->toString() << "\n";
    }
    out << "Events:\n";
    for (const auto& e : *events) {
      std::string what = e.via.empty() ? "" : "via " + e.via;
      if (!e.details.empty()) what += (what.empty() ? "" : " ") + truncateForDisplay(e.details, 50);
      const std::string name = core::requestEventName(e.type);
      out << "  " << e.on.toString() << "  " << pad(e.id, 15)
          << (what.empty() ? name : pad(name, 18) + what) << "\n";
    }
    if (events->empty()) out << "  (none yet)\n";
    if (!events->empty()) {
      out << "  (to correct one: recourse request event-edit EVENT_ID --on YYYY-MM-DD ...;"
             " to remove one: recourse request event-delete EVENT_ID)\n";
    }
    if (!s.next.empty()) out << "What you can do next:\n";
    const core::Date today = ctx.env().clock.today();
    for (const auto& n : s.next) {
      out << "  - " << n.label;
      if (n.by && today <= *n.by) out << " by " << n.by->toString();
      // A limit that has passed is said plainly; some bodies still accept a late complaint
      // (HHS, for good cause), so the step stays listed.
      if (n.by && *n.by < today) {
        out << " (the usual time limit was " << n.by->toString() << ", "
            << (today.days() - n.by->days()).count() << " days ago)";
      }
      if (!n.note.empty()) out << " — " << n.note;
      out << "\n      " << service::suggestedLetterCommand(r->id, n.form) << "\n";
    }
    if (ctx.args().has("explain") && s.deadline) {
      out << "\n";
      for (const auto& d : s.deadline->deadlines) {
        for (const auto& line : jurisdiction::explain(d)) out << line << "\n";
      }
    }
    return core::Status::ok();
  }
};

class RequestEdit final : public Command {
 public:
  std::string name() const override { return "request edit"; }
  std::string summary() const override {
    return "correct a request: custodian, address, reference, law, or the day it was received";
  }
  std::string usage() const override {
    return "request edit ID [--custodian NAME] [--address TEXT] [--email EMAIL] "
           "[--reference TEXT] [--jurisdiction CODE] [--sent-on YYYY-MM-DD]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {
        {"custodian", "NAME", "who holds the records (cannot be emptied)", false, "custodian_name"},
        {"address", "TEXT", "their postal address (\"\" empties it)", false, "custodian_address"},
        {"email", "EMAIL", "their email (\"\" empties it)", false, "custodian_email"},
        {"reference", "TEXT", "their reference number (\"\" empties it)", false, "reference"},
        {"jurisdiction", "CODE", "whose law applies (\"\" for where the therapist is licensed)",
         false, "jurisdiction"},
        {"sent-on", "YYYY-MM-DD",
         "the corrected day they received it: the due date is counted again from it", false,
         "sent_on"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    auto id = requestId(ctx);
    if (!id.isOk()) return id.status();
    service::RequestEdit edit;
    edit.request_id = *id;
    auto given = [&](const std::string& option) -> std::optional<std::string> {
      if (!a.has(option)) return std::nullopt;
      return a.get(option);
    };
    edit.custodian_name = given("custodian");
    edit.custodian_address = given("address");
    edit.custodian_email = given("email");
    edit.reference = given("reference");
    edit.jurisdiction = given("jurisdiction");
    if (a.has("sent-on")) {
      RECOURSE_ASSIGN_OR_RETURN(edit.sent_on, core::Date::parse(a.get("sent-on"), "--sent-on"));
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto saved = service::editRequest(session->services(), edit);
    if (!saved.isOk()) return idError(saved.status());
    if (a.json) {
      ctx.printJson(stateJson(*saved));
    } else {
      ctx.out() << "Saved the changes to request " << saved->request.id << " to "
                << saved->request.custodian_name << ".";
      if (saved->state.sent_on) ctx.out() << " Received: " << saved->state.sent_on->toString();
      if (saved->state.due) ctx.out() << "; answer due " << saved->state.due->toString();
      if (saved->state.sent_on) ctx.out() << ".";
      ctx.out() << "\n";
    }
    return core::Status::ok();
  }
};

class RequestDelete final : public Command {
 public:
  std::string name() const override { return "request delete"; }
  std::string summary() const override {
    return "stop tracking a request and delete it with its events (asks first)";
  }
  std::string usage() const override { return "request delete ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    auto id = requestId(ctx);
    if (!id.isOk()) return id.status();
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto shown = service::showRequest(services, *id);
    if (!shown.isOk()) return idError(shown.status());
    RECOURSE_ASSIGN_OR_RETURN(
        bool go,
        confirmDeletion(ctx, "Delete records request " + *id + " to " +
                                 shown->request.custodian_name + " and its " +
                                 plural(shown->events.size(), "recorded event", "recorded events") +
                                 "?"));
    if (!go) return core::Status::ok();
    RECOURSE_RETURN_IF_ERROR(idError(service::deleteRequest(services, *id)));
    ctx.out() << "Deleted records request " << *id
              << ". Letters already saved as files are not touched.\n";
    return core::Status::ok();
  }
};

// An event id that is not there is named as the ID argument.
core::Status eventIdError(const core::Status& st) {
  return st.field() == "event_id" ? st.withField("ID") : st;
}

core::StatusOr<std::string> eventId(Context& ctx) {
  if (ctx.args().positionals.empty()) {
    return core::invalidArgument("ID: name the event (see: recourse request show REQUEST_ID)");
  }
  return ctx.args().positionals[0];
}

class RequestEventEdit final : public Command {
 public:
  std::string name() const override { return "request event-edit"; }
  std::string summary() const override {
    return "correct a recorded event: its day, channel, notes or reply time";
  }
  std::string usage() const override {
    return "request event-edit ID [--on YYYY-MM-DD] [--via CHANNEL] [--details TEXT] "
           "[--reply-within DAYS]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"on", "YYYY-MM-DD", "the day it happened"},
            {"via", "CHANNEL", "mail, email, fax, portal or in_person (\"\" empties it)"},
            {"details", "TEXT", "notes in your own words (\"\" empties them)"},
            {"reply-within", "DAYS", "for followup_sent: the days the letter gave them to reply",
             false, "reply_within_days"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    auto id = eventId(ctx);
    if (!id.isOk()) return id.status();
    service::EventEdit edit;
    edit.event_id = *id;
    if (a.has("on")) {
      RECOURSE_ASSIGN_OR_RETURN(edit.on, core::Date::parse(a.get("on"), "--on"));
    }
    if (a.has("via")) edit.via = a.get("via");
    if (a.has("details")) edit.details = a.get("details");
    if (a.has("reply-within")) {
      const std::string d = a.get("reply-within");
      if (d.empty() || d.size() > 3 || d.find_first_not_of("0123456789") != std::string::npos) {
        return core::invalidArgument("\"" + d.substr(0, 10) + "\" is not a number of days")
            .withField("--reply-within");
      }
      edit.reply_within_days = std::stoi(d);
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto saved = service::editEvent(session->services(), edit);
    if (!saved.isOk()) return eventIdError(saved.status());
    if (a.json) {
      ctx.printJson(stateJson(*saved));
      return core::Status::ok();
    }
    ctx.out() << "Saved the correction to event " << edit.event_id
              << ". Status: " << core::requestStatusName(saved->state.status);
    if (saved->state.due) ctx.out() << "; answer due " << saved->state.due->toString();
    ctx.out() << ".\n";
    return core::Status::ok();
  }
};

class RequestEventDelete final : public Command {
 public:
  std::string name() const override { return "request event-delete"; }
  std::string summary() const override {
    return "remove an event recorded by mistake (asks first)";
  }
  std::string usage() const override { return "request event-delete ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    auto id = eventId(ctx);
    if (!id.isOk()) return id.status();
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto shown = service::showEvent(services, *id);
    if (!shown.isOk()) return eventIdError(shown.status());
    RECOURSE_ASSIGN_OR_RETURN(
        bool go,
        confirmDeletion(ctx, "Remove the " + std::string(core::requestEventName(shown->type)) +
                                 " recorded on " + shown->on.toString() + " from request " +
                                 shown->request_id + "?"));
    if (!go) return core::Status::ok();
    auto left = service::deleteEvent(services, *id);
    if (!left.isOk()) return eventIdError(left.status());
    if (ctx.args().json) {
      ctx.printJson(stateJson(*left));
      return core::Status::ok();
    }
    ctx.out() << "Removed the event. Status: " << core::requestStatusName(left->state.status);
    if (left->state.due) ctx.out() << "; answer due " << left->state.due->toString();
    ctx.out() << ".\n";
    return core::Status::ok();
  }
};

class RequestList final : public Command {
 public:
  std::string name() const override { return "request list"; }
  std::string summary() const override { return "every request with its status and due date"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "only this case's requests", false, "case_id"},
            {"client", "ID", "only this person's requests", false, "client_id"}};
  }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    std::vector<std::string> damaged;
    RECOURSE_ASSIGN_OR_RETURN(auto requests,
                              service::listRequests(session->services(), ctx.args().get("case"),
                                                    ctx.args().get("client"), &damaged));
    Array::Ptr arr = new Array;
    if (!ctx.args().json) {
      ctx.out() << pad("ID", 15) << pad("CUSTODIAN", 24) << pad("STATUS", 20) << pad("DUE", 12)
                << "CLIENT, CASE\n";
    }
    for (const auto& t : requests) {
      if (ctx.args().json) {
        arr->add(stateJson(t));
      } else {
        ctx.out() << pad(t.request.id, 15)
                  << pad(truncateForDisplay(t.request.custodian_name, 22), 24)
                  << pad(core::requestStatusName(t.state.status), 20)
                  << pad(t.state.due                                       ? t.state.due->toString()
                         : t.state.clock_stopped                           ? "stopped (fee)"
                         : t.state.sent_on && !t.state.no_due.text.empty() ? "no due date"
                                                                           : "-",
                         12)
                  << truncateForDisplay(t.client_name, 24) << ", "
                  << truncateForDisplay(t.case_label, 40) << " (" << t.request.case_id << ")\n";
      }
    }
    if (!ctx.args().json && requests.empty()) ctx.out() << "(no records requests)\n";
    if (ctx.args().json) ctx.printJson(arr);
    return damagedLeftOut(damaged);
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeRequestCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<RequestAdd>());
  v.push_back(std::make_unique<RequestEventCommand>(
      "request send", "record when the request went out and arrived (starts the clock)", true));
  v.push_back(std::make_unique<RequestEventCommand>(
      "request event", "record what happened: acknowledged, extension, fee, records, denied, ...",
      false));
  v.push_back(std::make_unique<RequestShow>());
  v.push_back(std::make_unique<RequestEventEdit>());
  v.push_back(std::make_unique<RequestEventDelete>());
  v.push_back(std::make_unique<RequestEdit>());
  v.push_back(std::make_unique<RequestDelete>());
  v.push_back(std::make_unique<RequestList>());
  v.push_back(makeRequestLetterCommand());
  v.push_back(makeRequestBatchCommand());
  v.push_back(makeRequestFollowupsCommand());
  v.push_back(makeDeadlinesCommand());
  v.push_back(makeCaseloadCommand());
  return v;
}

}  // namespace recourse::cli
