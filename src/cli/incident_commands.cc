#include <Poco/JSON/Array.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "server/json_codec.h"
#include "service/case_history.h"
#include "service/evidence.h"
#include "service/files.h"
#include "service/incidents.h"

namespace recourse::cli {

using service::describeWhen;
using service::writeFileAtomically;
namespace {

// An incident id that is not there is named as the ID argument; other errors pass as they are.
core::Status idError(const core::Status& st) {
  return st.field() == "incident_id" ? st.withField("ID") : st;
}

std::vector<OptionSpec> incidentOptions() {
  return {
      {"summary", "TEXT", "a short description, in your own words", false, "summary"},
      {"date", "YYYY-MM-DD", "when it happened, or when it started", false, "date"},
      {"date-end", "YYYY-MM-DD", "when it ended (for a stretch of time)", false, "date_end"},
      {"approximate", "", "the date is a best guess"},
      {"recurring", "", "it happened more than once over the dates given"},
      {"when", "TEXT", "the date in your own words, e.g. \"spring 2024\"", false, "date_text"},
      {"channel", "WHERE",
       "in_session, video, phone, text, email, social_media, outside_sessions, other", false,
       "channel"},
      {"narrative", "TEXT", "what happened, as much or as little as you want", false, "narrative"},
      {"narrative-file", "FILE", "read the narrative from FILE (- for standard input)"},
      {"impact", "TEXT", "how it affected you (optional)", false, "impact"},
      {"harm", "KIND",
       "a kind of harm, in its plain words or its short name (listed below), e.g. abandonment",
       true, "harm_kinds"},
      {"witnesses", "TEXT", "anyone who saw or knows about it", false, "witnesses"},
  };
}

// The kinds of harm --harm takes, for --help: short name, then the plain words.
std::string harmKindsHelp(Context& ctx) {
  std::string out = "\nKinds of harm (--harm takes the short name or the words):\n";
  for (const auto& [id, label] : service::harmKinds(*ctx.catalog())) {
    out += "  " + pad(id, 28) + label + "\n";
  }
  return out;
}

// The narrative from --narrative or --narrative-file (FILE, or - for standard input), when
// one of them is given.
core::Status readNarrative(Context& ctx, std::optional<std::string>* out) {
  const auto& a = ctx.args();
  if (a.has("narrative") && a.has("narrative-file")) {
    return core::invalidArgument("--narrative-file: give either --narrative or --narrative-file");
  }
  if (a.has("narrative")) *out = a.get("narrative");
  if (!a.has("narrative-file")) return core::Status::ok();
  const std::string f = a.get("narrative-file");
  if (f == "-") {
    *out = std::string(std::istreambuf_iterator<char>(ctx.env().in), {});
    return core::Status::ok();
  }
  std::ifstream in(f, std::ios::binary);
  if (!in) return core::invalidArgument("--narrative-file: cannot read " + f);
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return core::Status::ok();
}

// The options given for a new incident.
core::Status newIncidentFromOptions(Context& ctx, service::NewIncident* i) {
  const auto& a = ctx.args();
  // Said in the command line's words (the workflow names the API's member, "date").
  if (a.has("date-end") && !a.has("date")) {
    return core::invalidArgument("--date-end: also give --date (the start)");
  }
  i->case_id = a.get("case");
  i->summary = a.get("summary");
  i->date = a.get("date");
  i->date_end = a.get("date-end");
  i->date_text = a.get("when");
  i->approximate = a.has("approximate");
  i->recurring = a.has("recurring");
  i->channel = a.get("channel");
  i->impact = a.get("impact");
  i->witnesses = a.get("witnesses");
  i->harm_kinds = a.all("harm");
  std::optional<std::string> narrative;
  RECOURSE_RETURN_IF_ERROR(readNarrative(ctx, &narrative));
  if (narrative) i->narrative = *narrative;
  return core::Status::ok();
}

class IncidentAdd final : public Command {
 public:
  std::string name() const override { return "incident add"; }
  std::string summary() const override {
    return "note something that happened (only a short description is needed)";
  }
  std::string usage() const override {
    return "incident add --case ID --summary TEXT [--date YYYY-MM-DD] [--when TEXT] ...";
  }
  std::string moreHelp(Context& ctx) const override { return harmKindsHelp(ctx); }
  std::vector<OptionSpec> options() const override {
    auto o = incidentOptions();
    o.insert(o.begin(), {"case", "ID", "the case (required)", false, "case_id"});
    o[1].help += " (required)";
    return o;
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("case")) return core::invalidArgument("--case: is required (a case id)");
    if (!a.has("summary")) return core::invalidArgument("--summary: is required");
    service::NewIncident i;
    RECOURSE_RETURN_IF_ERROR(newIncidentFromOptions(ctx, &i));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto added = service::recordIncident(session->services(), i);
    if (!added.isOk()) {
      const core::Status& e = added.status();
      if (e.code() == core::StatusCode::kNotFound && e.field() == "case_id") {
        return core::Status(e.code(), e.message() + " (see: recourse case list)", "--case");
      }
      return e;
    }
    if (a.json) {
      ctx.printJson(server::incidentToJson(*added));
    } else {
      ctx.out() << "Saved incident " << added->id << " (" << describeWhen(*added) << ").\n";
    }
    return core::Status::ok();
  }
};

class IncidentEdit final : public Command {
 public:
  std::string name() const override { return "incident edit"; }
  std::string summary() const override {
    return "change what an incident says (only what you give changes)";
  }
  std::string usage() const override {
    return "incident edit ID [--summary TEXT] [--narrative TEXT] [--date-end \"\"] "
           "[--precision P] [--clear FIELD] ...";
  }
  std::string moreHelp(Context& ctx) const override { return harmKindsHelp(ctx); }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    auto o = incidentOptions();
    for (auto& opt : o) {
      if (opt.name != "summary" && !opt.value_name.empty() && opt.name != "narrative-file") {
        opt.help += " (\"\" empties it)";
      }
    }
    o.push_back({"precision", "P",
                 "how well the date is known: exact, approximate, range, recurring, unknown "
                 "(e.g. to say it was not recurring after all)",
                 false, "precision"});
    o.push_back({"clear", "FIELD",
                 "empty a field: date, when, channel, narrative, impact, harm, witnesses", true});
    return o;
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("ID: name the incident");
    service::IncidentEdit edit;
    edit.incident_id = a.positionals[0];
    edit.clear = a.all("clear");
    auto given = [&](const std::string& option) -> std::optional<std::string> {
      if (!a.has(option)) return std::nullopt;
      return a.get(option);
    };
    edit.summary = given("summary");
    edit.date = given("date");
    edit.date_end = given("date-end");
    edit.date_text = given("when");
    edit.channel = given("channel");
    edit.impact = given("impact");
    edit.witnesses = given("witnesses");
    edit.precision = given("precision");
    edit.approximate = a.has("approximate");
    edit.recurring = a.has("recurring");
    if (a.has("harm")) edit.harm_kinds = a.all("harm");
    RECOURSE_RETURN_IF_ERROR(readNarrative(ctx, &edit.narrative));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto saved = service::editIncident(session->services(), edit);
    if (!saved.isOk()) return idError(saved.status());
    if (a.json) {
      ctx.printJson(server::incidentToJson(*saved));
    } else {
      ctx.out() << "Saved the changes to incident " << saved->id << " (" << describeWhen(*saved)
                << ").\n";
    }
    return core::Status::ok();
  }
};

class IncidentDelete final : public Command {
 public:
  std::string name() const override { return "incident delete"; }
  std::string summary() const override {
    return "delete an incident (its evidence stays in the case; asks first)";
  }
  std::string usage() const override { return "incident delete ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("ID: name the incident");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto found = service::getIncident(services, a.positionals[0]);
    if (!found.isOk()) return idError(found.status());
    RECOURSE_ASSIGN_OR_RETURN(
        bool go, confirmDeletion(ctx, "Delete incident " + found->id + " (" +
                                          truncateForDisplay(found->summary, 60) + ", " +
                                          describeWhen(*found) + ")?"));
    if (!go) return core::Status::ok();
    auto deleted = service::deleteIncident(services, found->id);
    if (!deleted.isOk()) return idError(deleted);
    ctx.out() << "Deleted incident " << found->id
              << ". Evidence that was linked to it stays in the case.\n";
    return core::Status::ok();
  }
};

class IncidentShow final : public Command {
 public:
  std::string name() const override { return "incident show"; }
  std::string summary() const override { return "everything an incident says, and its evidence"; }
  std::string usage() const override { return "incident show ID"; }
  size_t maxPositionals() const override { return 1; }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("ID: name the incident");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto i = service::getIncident(services, a.positionals[0]);
    if (!i.isOk()) return idError(i.status());
    auto evidence = service::listEvidence(services, i->case_id);
    if (!evidence.isOk()) return evidence.status();
    std::vector<core::EvidenceItem> linked;
    for (const auto& e : *evidence) {
      if (e.incident_id == i->id) linked.push_back(e);
    }
    if (a.json) {
      auto o = server::incidentToJson(*i);
      Poco::JSON::Array::Ptr ev = new Poco::JSON::Array;
      for (const auto& e : linked) ev->add(e.id);
      o->set("evidence", ev);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << "Incident " << i->id << "\n";
    out << "  when:      " << describeWhen(*i) << "\n";
    out << "  summary:   " << i->summary << "\n";
    if (!i->channel.empty()) {
      out << "  where/how: " << service::channelLabel(services.catalog.forms(), i->channel) << "\n";
    }
    if (!i->harm_kinds.empty()) {
      std::string labels;
      for (const auto& l : service::harmLabels(services.catalog, i->harm_kinds)) {
        labels += (labels.empty() ? "" : "; ") + l;
      }
      out << "  harm:      " << labels << "\n";
    }
    if (!i->witnesses.empty()) out << "  witnesses: " << i->witnesses << "\n";
    if (!i->impact.empty()) out << "  impact:    " << i->impact << "\n";
    if (!i->narrative.empty()) out << "\nIn your words:\n" << i->narrative << "\n";
    if (!linked.empty()) out << "\nEvidence:\n";
    for (const auto& e : linked) {
      out << "  " << e.id << "  " << e.original_name
          << (e.description.empty() ? "" : " — " + e.description) << "\n";
    }
    return core::Status::ok();
  }
};

class IncidentList final : public Command {
 public:
  std::string name() const override { return "incident list"; }
  std::string summary() const override { return "list a case's incidents in timeline order"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("case")) return core::invalidArgument("--case: is required (a case id)");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto incidents,
                              service::listIncidents(session->services(), ctx.args().get("case")));
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& i : incidents) arr->add(server::incidentToJson(i));
      ctx.printJson(arr);
      return core::Status::ok();
    }
    if (incidents.empty()) {
      ctx.out() << "Nothing noted yet for this case.\n";
      return core::Status::ok();
    }
    ctx.out() << pad("ID", 15) << pad("WHEN", 30) << "SUMMARY\n";
    for (const auto& i : incidents) {
      ctx.out() << pad(i.id, 15) << pad(truncateForDisplay(describeWhen(i), 28), 30)
                << truncateForDisplay(i.summary, 60) << "\n";
    }
    return core::Status::ok();
  }
};

class TimelineCommand final : public Command {
 public:
  std::string name() const override { return "timeline"; }
  std::string summary() const override {
    return "a case's incidents in date order (approximate dates stay approximate), or a PDF";
  }
  std::string usage() const override { return "timeline --case ID [--pdf FILE]"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"},
            {"pdf", "FILE", "also write it as a PDF (must not exist)"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("case")) return core::invalidArgument("--case: is required (a case id)");
    const std::string pdf_path = a.get("pdf");
    RECOURSE_RETURN_IF_ERROR(service::requireNewFile(pdf_path, "--pdf"));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    RECOURSE_ASSIGN_OR_RETURN(auto t, service::timeline(services, a.get("case")));
    if (a.json && pdf_path.empty()) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& i : t.incidents) {
        auto o = server::incidentToJson(i);
        o->set("when", describeWhen(i));
        arr->add(o);
      }
      ctx.printJson(arr);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    if (!a.json) {
      out << "Timeline: " << t.kase.provider.name << " ("
          << plural(t.incidents.size(), "incident", "incidents") << ")\n";
      for (const auto& i : t.incidents) {
        std::string harms;
        for (const auto& l : service::harmLabels(services.catalog, i.harm_kinds)) {
          harms += (harms.empty() ? "" : "; ") + l;
        }
        out << "  " << pad(truncateForDisplay(describeWhen(i), 30), 32)
            << truncateForDisplay(i.summary, 60)
            << (i.channel.empty()
                    ? ""
                    : "  [" + service::channelLabel(services.catalog.forms(), i.channel) + "]")
            << (harms.empty() ? "" : "  (" + harms + ")") << "\n";
      }
      if (t.incidents.empty()) out << "  Nothing noted yet.\n";
      RECOURSE_ASSIGN_OR_RETURN(auto history, service::caseHistory(services, t.kase.id));
      if (!history.empty()) out << "\nRecords requests and the complaint:\n";
      for (const auto& h : history) {
        out << "  " << pad(h.on.toString(), 32) << h.what << "\n";
        if (!h.notes.empty()) out << "  " << pad("", 32) << truncateForDisplay(h.notes, 60) << "\n";
      }
    }
    if (pdf_path.empty()) return core::Status::ok();
    RECOURSE_ASSIGN_OR_RETURN(auto doc, service::timelinePdf(services, t.kase.id));
    RECOURSE_RETURN_IF_ERROR(writeFileAtomically(pdf_path, doc.pdf, "--pdf: " + pdf_path));
    if (a.json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("pdf", pdf_path);
      o->set("pages", doc.pages);
      o->set("incidents", static_cast<Poco::UInt64>(doc.incidents));
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& s : doc.warnings) w->add(s);
      o->set("warnings", w);
      ctx.printJson(o);
    } else {
      out << "Wrote " << pdf_path << " (" << plural(static_cast<size_t>(doc.pages), "page", "pages")
          << ").\n";
      for (const auto& s : doc.warnings) out << "Note: " << s << "\n";
    }
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeTimelineCommand() { return std::make_unique<TimelineCommand>(); }

std::vector<std::unique_ptr<Command>> makeIncidentCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<IncidentAdd>());
  v.push_back(std::make_unique<IncidentEdit>());
  v.push_back(std::make_unique<IncidentList>());
  v.push_back(std::make_unique<IncidentShow>());
  v.push_back(std::make_unique<IncidentDelete>());
  v.push_back(makeTimelineCommand());
  return v;
}

}  // namespace recourse::cli
