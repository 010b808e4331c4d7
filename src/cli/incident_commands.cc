#include <Poco/JSON/Array.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "cli/command.h"
#include "core/validation.h"
#include "forms/loader.h"
#include "server/json_codec.h"

namespace recourse::cli {
namespace {

std::string describeWhen(const core::Incident& i) {
  if (!i.date_text.empty()) return i.date_text;
  if (!i.date_start) return "date not given";
  std::string s = i.date_start->toString();
  switch (i.date_precision) {
    case core::DatePrecision::kApproximate:
      return "around " + s;
    case core::DatePrecision::kRange:
      return s + " to " + (i.date_end ? i.date_end->toString() : "?");
    case core::DatePrecision::kRecurring:
      return "repeatedly from " + s + (i.date_end ? " to " + i.date_end->toString() : "");
    default:
      return s;
  }
}

// Harm kinds come from forms/harm-taxonomy.json: data, not code.
core::Status checkHarmKinds(Context& ctx, const std::vector<std::string>& kinds) {
  forms::FormSet set = forms::loadFormDirectory(ctx.formsDir());
  if (!set.taxonomy) {
    return core::failedPrecondition(
        "the harm taxonomy could not be loaded (see: recourse forms "
        "check); nothing was saved");
  }
  for (const auto& k : kinds) {
    if (set.taxonomy->find(k) == nullptr) {
      std::string known;
      for (const auto& h : set.taxonomy->harms) known += (known.empty() ? "" : ", ") + h.id;
      return core::invalidArgument("--harm: \"" + k.substr(0, 40) +
                                   "\" is not a kind of harm "
                                   "Recourse knows. Known kinds: " +
                                   known);
    }
  }
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
  std::vector<OptionSpec> options() const override {
    return {
        {"case", "ID", "the case (required)", false, "case"},
        {"summary", "TEXT", "a short description, in your own words (required)", false, "summary"},
        {"date", "YYYY-MM-DD", "when it happened, or when it started", false, "date"},
        {"date-end", "YYYY-MM-DD", "when it ended (for a stretch of time)", false, "date_end"},
        {"approximate", "", "the date is a best guess"},
        {"recurring", "", "it happened more than once over the dates given"},
        {"when", "TEXT", "the date in your own words, e.g. \"spring 2024\"", false, "date_text"},
        {"channel", "WHERE",
         "in_session, video, phone, text, email, social_media, outside_sessions, other", false,
         "channel"},
        {"narrative", "TEXT", "what happened, as much or as little as you want", false,
         "narrative"},
        {"narrative-file", "FILE", "read the narrative from FILE (- for standard input)"},
        {"impact", "TEXT", "how it affected you (optional)", false, "impact"},
        {"harm", "KIND", "a kind of harm, e.g. abandonment, boundary_violation", true,
         "harm_kinds"},
        {"witnesses", "TEXT", "anyone who saw or knows about it", false, "witnesses"},
    };
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("case")) return core::invalidArgument("--case: is required (a case id)");
    if (!a.has("summary")) return core::invalidArgument("--summary: is required");
    core::Incident i;
    i.case_id = a.get("case");
    i.summary = a.get("summary");
    i.date_text = a.get("when");
    i.channel = a.get("channel");
    i.impact = a.get("impact");
    i.witnesses = a.get("witnesses");
    i.harm_kinds = a.all("harm");
    if (a.has("narrative") && a.has("narrative-file")) {
      return core::invalidArgument("--narrative-file: give either --narrative or --narrative-file");
    }
    i.narrative = a.get("narrative");
    if (a.has("narrative-file")) {
      const std::string f = a.get("narrative-file");
      if (f == "-") {
        i.narrative.assign(std::istreambuf_iterator<char>(ctx.env().in), {});
      } else {
        std::ifstream in(f, std::ios::binary);
        if (!in) return core::invalidArgument("--narrative-file: cannot read " + f);
        std::ostringstream ss;
        ss << in.rdbuf();
        i.narrative = ss.str();
      }
    }
    if (a.has("date")) {
      auto d = core::Date::parse(a.get("date"), "--date");
      if (!d.isOk()) return d.status();
      i.date_start = *d;
    }
    if (a.has("date-end")) {
      auto d = core::Date::parse(a.get("date-end"), "--date-end");
      if (!d.isOk()) return d.status();
      i.date_end = *d;
      if (!i.date_start) return core::invalidArgument("--date-end: also give --date (the start)");
    }
    if (a.has("recurring")) {
      i.date_precision = core::DatePrecision::kRecurring;
    } else if (i.date_start && i.date_end) {
      i.date_precision = core::DatePrecision::kRange;
    } else if (i.date_start) {
      i.date_precision =
          a.has("approximate") ? core::DatePrecision::kApproximate : core::DatePrecision::kExact;
    } else if (!i.date_text.empty()) {
      i.date_precision = core::DatePrecision::kApproximate;
    }
    RECOURSE_RETURN_IF_ERROR(toOptionError(core::validateIncident(i), options()));
    if (!i.harm_kinds.empty()) RECOURSE_RETURN_IF_ERROR(checkHarmKinds(ctx, i.harm_kinds));
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto added = (*st)->addIncident(i);
    if (!added.isOk()) {
      if (added.status().code() == core::StatusCode::kNotFound) {
        return core::notFound("--case: no case with id " + i.case_id +
                              " (see: recourse case list)");
      }
      return added.status();
    }
    if (a.json) {
      ctx.printJson(server::incidentToJson(*added));
    } else {
      ctx.out() << "Saved incident " << added->id << " (" << describeWhen(*added) << ").\n";
    }
    return core::Status::ok();
  }
};

class IncidentList final : public Command {
 public:
  std::string name() const override { return "incident list"; }
  std::string summary() const override { return "list a case's incidents in timeline order"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("case")) return core::invalidArgument("--case: is required (a case id)");
    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    auto incidents = (*st)->listIncidents(ctx.args().get("case"));
    if (!incidents.isOk()) {
      if (incidents.status().code() == core::StatusCode::kNotFound) {
        return core::notFound("--case: no case with id " + ctx.args().get("case"));
      }
      return incidents.status();
    }
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& i : *incidents) arr->add(server::incidentToJson(i));
      ctx.printJson(arr);
      return core::Status::ok();
    }
    if (incidents->empty()) {
      ctx.out() << "Nothing noted yet for this case.\n";
      return core::Status::ok();
    }
    ctx.out() << pad("ID", 15) << pad("WHEN", 30) << "SUMMARY\n";
    for (const auto& i : *incidents) {
      ctx.out() << pad(i.id, 15) << pad(truncateForDisplay(describeWhen(i), 28), 30)
                << truncateForDisplay(i.summary, 60) << "\n";
    }
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeIncidentCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<IncidentAdd>());
  v.push_back(std::make_unique<IncidentList>());
  return v;
}

}  // namespace recourse::cli
