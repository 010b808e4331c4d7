// `recourse caseload`: an advocate's or staff member's view across the people who gave them
// access: each person, what is overdue, what is due this week, and the complaints waiting on
// a board. The workflow is service::caseload.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>

#include "cli/command.h"
#include "server/json_codec.h"
#include "service/caseload.h"

namespace recourse::cli {
namespace {

Poco::JSON::Object::Ptr itemJson(const service::DeadlineItem& it) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("date", it.date.toString());
  o->set("days_from_today", static_cast<Poco::Int64>(it.days_from_today));
  o->set("what", it.what.text);
  o->set("client_id", it.client_id);
  o->set("client_name", it.client_name);
  o->set("case_id", it.case_id);
  o->set("case", it.case_label);
  o->set("ref", it.ref);
  o->set("verified", it.verified);
  return o;
}

class CaseloadCommand final : public Command {
 public:
  std::string name() const override { return "caseload"; }
  std::string summary() const override {
    return "the people who gave you access: what is overdue, due this week, and waiting on a "
           "board";
  }
  std::vector<OptionSpec> options() const override {
    return {{"within", "DAYS", "what counts as due soon (7 by default)", false, "within_days"}};
  }
  core::Status run(Context& ctx) override {
    int within = 7;
    if (ctx.args().has("within")) {
      std::string w = ctx.args().get("within");
      if (!w.empty() && w.back() == 'd') w.pop_back();
      auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), within);
      if (ec != std::errc() || ptr != w.data() + w.size() || within < 0 || within > 3650) {
        return core::invalidArgument("expected a number of days such as 7 or 7d")
            .withField("--within");
      }
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto load, service::caseload(session->services(), within));
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      Poco::JSON::Array::Ptr people = new Poco::JSON::Array;
      for (const auto& p : load.clients) people->add(server::caseloadClientToJson(p));
      Poco::JSON::Array::Ptr late = new Poco::JSON::Array;
      for (const auto& d : load.overdue) late->add(itemJson(d));
      Poco::JSON::Array::Ptr soon = new Poco::JSON::Array;
      for (const auto& d : load.due_soon) soon->add(itemJson(d));
      Poco::JSON::Array::Ptr waiting = new Poco::JSON::Array;
      for (const auto& w : load.waiting) waiting->add(server::waitingComplaintToJson(w));
      out->set("within_days", within);
      out->set("clients", people);
      out->set("overdue", late);
      out->set("due_soon", soon);
      out->set("complaints_waiting", waiting);
      ctx.printJson(out);
      return damagedLeftOut(load.damaged);
    }
    if (load.clients.empty()) {
      ctx.out() << "No one has given you access to their records yet.\n";
      return damagedLeftOut(load.damaged);
    }
    size_t width = 7;
    for (const auto& p : load.clients) width = std::max(width, p.client.name.size() + 2);
    ctx.out() << pad("PERSON", width) << pad("OPEN", 6) << pad("DUE", 5) << pad("OVERDUE", 9)
              << "WAITING ON A BOARD\n";
    for (const auto& p : load.clients) {
      ctx.out() << pad(p.client.name, width) << pad(std::to_string(p.open_cases), 6)
                << pad(std::to_string(p.due_this_week), 5) << pad(std::to_string(p.overdue), 9)
                << p.complaints_waiting << "\n";
    }
    auto list = [&](const char* title, const std::vector<service::DeadlineItem>& items,
                    const char* none) {
      ctx.out() << "\n" << title << "\n";
      if (items.empty()) ctx.out() << "  " << none << "\n";
      for (const auto& it : items) {
        ctx.out() << "  " << it.date.toString() << "  " << it.what.text
                  << (it.verified ? "" : " (not confirmed)") << " — " << it.client_name << ", "
                  << it.case_label << " (" << it.ref << ")\n";
      }
    };
    list("Overdue:", load.overdue, "nothing is overdue");
    list(("Due within " + plural(static_cast<size_t>(within), "day", "days") + ":").c_str(),
         load.due_soon, "nothing is due");
    ctx.out() << "\nComplaints waiting on a board:\n";
    if (load.waiting.empty()) ctx.out() << "  none\n";
    for (const auto& w : load.waiting) {
      ctx.out() << "  " << w.client_name << ", " << w.case_label << ": sent to "
                << (w.board.empty() ? std::string("the board") : w.board) << " on "
                << w.filed_on.toString() << " ("
                << plural(static_cast<size_t>(std::max(0L, w.days_waiting)), "day", "days")
                << " ago)\n";
    }
    return damagedLeftOut(load.damaged);
  }
};

}  // namespace

std::unique_ptr<Command> makeCaseloadCommand() { return std::make_unique<CaseloadCommand>(); }

}  // namespace recourse::cli
