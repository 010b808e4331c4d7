// `recourse deadlines`: what is due across every case, soonest first, optionally as an
// iCalendar file.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

#include "cli/command.h"
#include "jurisdiction/request_tracking.h"

namespace recourse::cli {
namespace {

struct Item {
  core::Date date;
  std::string what;
  std::string case_id;
  std::string ref;  // request id, or case id
  bool unverified = false;
};

// RFC 5545 text escaping.
std::string icsText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string icsDate(const core::Date& d) {
  std::string s = d.toString();
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

class DeadlinesCommand final : public Command {
 public:
  std::string name() const override { return "deadlines"; }
  std::string summary() const override {
    return "what is due across all cases, soonest first (--ics FILE for a calendar)";
  }
  std::vector<OptionSpec> options() const override {
    return {{"within", "DAYS",
             "only what falls within this many days (e.g. 14 or 14d); overdue "
             "items are always shown"},
            {"ics", "FILE", "also write an iCalendar file any calendar app can import"}};
  }
  core::Status run(Context& ctx) override {
    std::optional<int> within;
    if (ctx.args().has("within")) {
      std::string w = ctx.args().get("within");
      if (!w.empty() && w.back() == 'd') w.pop_back();
      int n = 0;
      auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
      if (ec != std::errc() || ptr != w.data() + w.size() || n < 0 || n > 3650) {
        return core::invalidArgument("--within: expected a number of days such as 14 or 14d");
      }
      within = n;
    }
    const std::string ics = ctx.args().get("ics");
    if (!ics.empty() && std::filesystem::exists(ics)) {
      return core::invalidArgument("--ics: " + ics + " already exists; choose a new file name");
    }
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    const core::Date today = ctx.env().clock.today();
    jurisdiction::Registry reg = jurisdiction::Registry::loadDirectory(ctx.jurisdictionsDir());
    std::vector<Item> items;

    auto requests = (*st)->listRequests("");
    if (!requests.isOk()) return requests.status();
    for (const auto& r : *requests) {
      auto events = (*st)->listRequestEvents(r.id);
      if (!events.isOk()) return events.status();
      auto kase = (*st)->getCase(r.case_id);
      if (!kase.isOk()) return kase.status();
      std::string jid = r.jurisdiction.empty() ? kase->provider.jurisdiction : r.jurisdiction;
      auto s = jurisdiction::deriveRequestState(jid, *events, reg, today);
      using core::RequestStatus;
      if (s.due && (s.status == RequestStatus::kAwaiting || s.status == RequestStatus::kExtended ||
                    s.status == RequestStatus::kOverdue)) {
        const auto& gov = s.deadline->deadlines[s.deadline->governing];
        items.push_back(
            {*s.due, "Records due from " + r.custodian_name, r.case_id, r.id, !gov.meta->verified});
      }
      for (const auto& n : s.next) {
        if (n.by) {
          items.push_back({*n.by, n.label + " (request to " + r.custodian_name + ")", r.case_id,
                           r.id, n.note.find("UNVERIFIED") != std::string::npos});
        }
      }
    }
    auto cases = (*st)->listCases("");
    if (!cases.isOk()) return cases.status();
    for (const auto& c : *cases) {
      auto boards = reg.findBoards(c.provider.jurisdiction, c.provider.license_type);
      if (!boards.isOk()) continue;
      const auto& b = *(*boards)[0].board;
      if (!b.complaint_time_limit || !b.complaint_time_limit->years) continue;
      auto incidents = (*st)->listIncidents(c.id);
      if (!incidents.isOk()) return incidents.status();
      std::optional<core::Date> first;
      for (const auto& i : *incidents) {
        if (i.date_start && (!first || *i.date_start < *first)) first = i.date_start;
      }
      if (!first) continue;
      int months = static_cast<int>(*b.complaint_time_limit->years * 12);
      items.push_back({jurisdiction::addMonths(*first, months),
                       b.name + ": time limit counted from the earliest incident (" +
                           b.complaint_time_limit->meta.source.citation + ")",
                       c.id, c.id, !b.complaint_time_limit->meta.verified});
    }
    std::sort(items.begin(), items.end(),
              [](const Item& x, const Item& y) { return x.date < y.date; });
    if (within) {
      core::Date limit = jurisdiction::addDays(today, *within);
      items.erase(std::remove_if(items.begin(), items.end(),
                                 [&](const Item& it) { return limit < it.date; }),
                  items.end());
    }

    if (!ics.empty()) {
      std::ofstream f(ics + ".partial", std::ios::binary | std::ios::trunc);
      if (!f) return core::invalidArgument("--ics: cannot write " + ics);
      f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Recourse//Deadlines//EN\r\n";
      const std::string stamp = [&] {
        std::string t = core::formatTimestamp(ctx.env().clock.now());
        t.erase(std::remove_if(t.begin(), t.end(), [](char ch) { return ch == '-' || ch == ':'; }),
                t.end());
        return t;
      }();
      for (const auto& it : items) {
        f << "BEGIN:VEVENT\r\nUID:" << it.ref << "-" << icsDate(it.date) << "@recourse.local\r\n"
          << "DTSTAMP:" << stamp << "\r\nDTSTART;VALUE=DATE:" << icsDate(it.date) << "\r\n"
          << "DTEND;VALUE=DATE:" << icsDate(jurisdiction::addDays(it.date, 1)) << "\r\n"
          << "SUMMARY:" << icsText(it.what + (it.unverified ? " (unverified rule)" : ""))
          << "\r\nEND:VEVENT\r\n";
      }
      f << "END:VCALENDAR\r\n";
      f.close();
      if (!f) return core::ioError("--ics: writing " + ics + " failed");
      std::filesystem::rename(ics + ".partial", ics);
    }

    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& it : items) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("date", it.date.toString());
        o->set("what", it.what);
        o->set("case_id", it.case_id);
        o->set("ref", it.ref);
        o->set("overdue", it.date < today);
        o->set("verified", !it.unverified);
        arr->add(o);
      }
      ctx.printJson(arr);
      return core::Status::ok();
    }
    if (items.empty()) {
      ctx.out() << "Nothing is due" << (within ? " in that time" : "") << ".\n";
    }
    for (const auto& it : items) {
      long days = static_cast<long>((it.date.days() - today.days()).count());
      std::string when = days < 0    ? std::to_string(-days) + " days ago"
                         : days == 0 ? "today"
                                     : "in " + std::to_string(days) + " days";
      ctx.out() << it.date.toString() << "  " << pad(when, 14) << it.what
                << (it.unverified ? " [UNVERIFIED]" : "") << "  (" << it.ref << ")\n";
    }
    if (!ics.empty()) ctx.out() << "Wrote " << ics << " (" << items.size() << " events).\n";
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeDeadlinesCommand() { return std::make_unique<DeadlinesCommand>(); }

}  // namespace recourse::cli
