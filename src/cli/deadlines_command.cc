// `recourse deadlines`: what is due across every case, soonest first, optionally as an
// iCalendar file. The workflow is service::listDeadlines.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>

#include "cli/command.h"
#include "service/deadlines.h"
#include "service/files.h"

namespace recourse::cli {
namespace {

class DeadlinesCommand final : public Command {
 public:
  std::string name() const override { return "deadlines"; }
  std::string summary() const override {
    return "what is due across all cases, soonest first (--ics FILE for a calendar)";
  }
  std::vector<OptionSpec> options() const override {
    return {{"within", "DAYS",
             "only what falls within this many days (e.g. 14 or 14d); overdue "
             "items are always shown",
             false, "within_days"},
            {"client", "ID", "only this person's cases", false, "client_id"},
            {"as-of", "YYYY-MM-DD", "count as if today were this day (plan ahead)", false, "as_of"},
            {"ics", "FILE", "also write an iCalendar file any calendar app can import"}};
  }
  core::Status run(Context& ctx) override {
    service::DeadlinesQuery q;
    if (ctx.args().has("within")) {
      std::string w = ctx.args().get("within");
      if (!w.empty() && w.back() == 'd') w.pop_back();
      int n = 0;
      auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
      if (ec != std::errc() || ptr != w.data() + w.size() || n < 0 || n > 3650) {
        return core::invalidArgument("expected a number of days such as 14 or 14d")
            .withField("--within");
      }
      q.within_days = n;
    }
    q.client_id = ctx.args().get("client");
    if (ctx.args().has("as-of")) {
      RECOURSE_ASSIGN_OR_RETURN(q.as_of, core::Date::parse(ctx.args().get("as-of"), "--as-of"));
    }
    const std::string ics = ctx.args().get("ics");
    RECOURSE_RETURN_IF_ERROR(service::requireNewFile(ics, "--ics"));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    std::vector<std::string> damaged;
    RECOURSE_ASSIGN_OR_RETURN(auto items, service::listDeadlines(session->services(), q, &damaged));
    if (!ics.empty()) {
      const std::string cal = service::toICalendar(items, ctx.env().clock.now());
      RECOURSE_RETURN_IF_ERROR(service::writeFileAtomically(
          ics, std::vector<std::uint8_t>(cal.begin(), cal.end()), "--ics: " + ics));
    }
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& it : items) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        if (it.kind == service::DeadlineItem::Kind::kNoDueDate) {
          o->set("date", Poco::Dynamic::Var());
        } else {
          o->set("date", it.date.toString());
        }
        o->set("what", it.what.text);
        o->set("client_id", it.client_id);
        o->set("client_name", it.client_name);
        o->set("case_id", it.case_id);
        o->set("case", it.case_label);
        o->set("ref", it.ref);
        o->set("overdue", it.days_from_today < 0);
        o->set("verified", it.verified);
        if (!it.command.empty()) o->set("command", it.command);
        arr->add(o);
      }
      ctx.printJson(arr);
      return damagedLeftOut(damaged);
    }
    if (items.empty()) {
      ctx.out() << "Nothing is due" << (q.within_days ? " in that time" : "") << ".\n";
    }
    if (q.as_of) ctx.out() << "As of " << q.as_of->toString() << ":\n";
    for (const auto& it : items) {
      const long days = it.days_from_today;
      std::string when = days < 0    ? plural(static_cast<size_t>(-days), "day", "days") + " ago"
                         : days == 0 ? "today"
                                     : "in " + plural(static_cast<size_t>(days), "day", "days");
      if (it.kind == service::DeadlineItem::Kind::kNoDueDate) {
        ctx.out() << pad("no due date", 12) << pad("", 14);
      } else {
        ctx.out() << it.date.toString() << "  " << pad(when, 14);
      }
      ctx.out() << it.what.text << (it.verified ? "" : " (not confirmed)") << " — "
                << it.client_name << ", " << it.case_label << " (" << it.ref << ")\n";
      if (!it.command.empty()) ctx.out() << "            " << it.command << "\n";
    }
    if (!ics.empty()) ctx.out() << "Wrote " << ics << " (" << items.size() << " events).\n";
    return damagedLeftOut(damaged);
  }
};

}  // namespace

std::unique_ptr<Command> makeDeadlinesCommand() { return std::make_unique<DeadlinesCommand>(); }

}  // namespace recourse::cli
