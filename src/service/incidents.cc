#include "service/incidents.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

#include "core/validation.h"
#include "pdf/document.h"
#include "service/case_history.h"
#include "service/errors.h"
#include "service/letters.h"
#include "store/store.h"

namespace recourse::service {

std::string describeWhen(const core::Incident& i) {
  std::string when;
  if (i.date_start) {
    const std::string start = i.date_start->toString();
    const std::string end = i.date_end ? i.date_end->toString() : "";
    switch (i.date_precision) {
      case core::DatePrecision::kApproximate:
        when = "around " + start;
        break;
      case core::DatePrecision::kRange:
        when = start + " to " + (end.empty() ? "?" : end);
        break;
      case core::DatePrecision::kRecurring:
        when = "repeatedly from " + start + (end.empty() ? "" : " to " + end);
        break;
      default:
        when = start;
    }
  }
  if (!i.date_text.empty()) return when.empty() ? i.date_text : i.date_text + " (" + when + ")";
  return when.empty() ? "date not given" : when;
}

std::optional<core::Date> earliestPossibleDay(const core::Incident& i) {
  if (i.date_start) return i.date_start;
  if (i.date_text.empty()) return std::nullopt;
  std::string t;
  for (char c : i.date_text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The year: the first run of exactly four digits.
  int year = 0;
  size_t year_at = 0;
  for (size_t k = 0; k < t.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(t[k]))) continue;
    size_t end = k;
    while (end < t.size() && std::isdigit(static_cast<unsigned char>(t[end]))) ++end;
    if (end - k == 4) {
      year = std::stoi(t.substr(k, 4));
      year_at = k;
      // "2024-06" or "2024/06": a month after the year.
      if (end < t.size() && (t[end] == '-' || t[end] == '/')) {
        size_t m = end + 1;
        size_t mend = m;
        while (mend < t.size() && std::isdigit(static_cast<unsigned char>(t[mend]))) ++mend;
        if (mend > m && mend - m <= 2) {
          const int month = std::stoi(t.substr(m, mend - m));
          if (month >= 1 && month <= 12) return core::Date(year, static_cast<unsigned>(month), 1);
        }
      }
      break;
    }
    k = end;
  }
  if (year == 0) return std::nullopt;
  // The words just before the year say which part of it ("March 2024", "15 March 2024",
  // "the summer of 2021", "end of 2023", "mid-2024"). Only those: a word elsewhere ("it may
  // have been 2020", "late one night in 2020") says nothing about the month, and then the
  // year's first day counts, so that no limit is worked out later than it could be.
  std::vector<std::string> before;  // nearest first
  {
    std::string w;
    for (size_t k = year_at; k-- > 0;) {
      const char c = t[k];
      if (std::isalpha(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c))) {
        w.insert(w.begin(), c);
        continue;
      }
      if (!w.empty()) before.push_back(w);
      w.clear();
      if (before.size() >= 6) break;
    }
    if (!w.empty() && before.size() < 6) before.push_back(w);
  }
  static const char* kMonths[] = {"january",   "february", "march",    "april",
                                  "may",       "june",     "july",     "august",
                                  "september", "october",  "november", "december"};
  const std::pair<const char*, unsigned> kParts[] = {
      {"spring", 3}, {"summer", 6}, {"autumn", 9},   {"fall", 9}, {"mid", 4},
      {"middle", 4}, {"late", 9},   {"end", 9},      {"half", 7}, {"winter", 1},
      {"early", 1},  {"start", 1},  {"beginning", 1}};
  auto monthOf = [&](const std::string& w) -> unsigned {
    for (unsigned m = 0; m < 12; ++m) {
      const std::string name = kMonths[m];
      if (w == name || w == name.substr(0, 3) || (m == 8 && w == "sept")) return m + 1;
    }
    for (const auto& [part, m] : kParts) {
      if (w == part) return m;
    }
    return 0;
  };
  unsigned month = 1;
  for (const auto& w : before) {
    const bool day = std::isdigit(static_cast<unsigned char>(w[0]));  // "15", "15th"
    if (day || w == "of" || w == "in" || w == "the" || w == "second") continue;
    if (unsigned m = monthOf(w)) month = m;
    break;  // the nearest word that is not a day or a joining word decides
  }
  return core::Date(year, month, 1);
}

void sortByWhen(std::vector<core::Incident>* incidents) {
  std::stable_sort(incidents->begin(), incidents->end(),
                   [](const core::Incident& a, const core::Incident& b) {
                     auto da = earliestPossibleDay(a);
                     auto db = earliestPossibleDay(b);
                     if (!db) return da.has_value();
                     if (!da) return false;
                     return *da < *db;
                   });
}

std::string channelLabel(const forms::FormSet& forms, const std::string& code) {
  const forms::Form* form = forms.find("incident-log");
  const forms::Field* field = form != nullptr ? form->findField("channel") : nullptr;
  if (field != nullptr) {
    for (const auto& o : field->options) {
      if (o.value == code) return o.label.get("en");
    }
  }
  return code;
}

core::DatePrecision datePrecisionFor(const core::Incident& i, bool approximate, bool recurring) {
  if (recurring) return core::DatePrecision::kRecurring;
  if (i.date_start && i.date_end) return core::DatePrecision::kRange;
  if (i.date_start) {
    return approximate ? core::DatePrecision::kApproximate : core::DatePrecision::kExact;
  }
  if (!i.date_text.empty()) return core::DatePrecision::kApproximate;
  return core::DatePrecision::kUnknown;
}

core::Status checkHarmKinds(const Catalog& catalog, const std::vector<std::string>& kinds) {
  return resolveHarmKinds(catalog, kinds).status();
}

core::StatusOr<std::vector<std::string>> resolveHarmKinds(const Catalog& catalog,
                                                          const std::vector<std::string>& kinds) {
  std::vector<std::string> ids;
  if (kinds.empty()) return ids;
  const auto& taxonomy = catalog.forms().taxonomy;
  if (!taxonomy) {
    return core::failedPrecondition(
        "the harm taxonomy could not be loaded (see the forms check); nothing was saved");
  }
  for (const auto& k : kinds) {
    const forms::HarmKind* kind = taxonomy->resolve(k);
    if (kind == nullptr) {
      std::string known;
      for (const auto& h : taxonomy->harms) known += (known.empty() ? "" : ", ") + h.id;
      return core::invalidArgument("\"" + k.substr(0, 40) +
                                   "\" is not a kind of harm Recourse knows. Known kinds: " + known)
          .withField("harm_kinds");
    }
    if (std::find(ids.begin(), ids.end(), kind->id) == ids.end()) ids.push_back(kind->id);
  }
  return ids;
}

std::vector<std::pair<std::string, std::string>> harmKinds(const Catalog& catalog) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!catalog.forms().taxonomy) return out;
  for (const auto& h : catalog.forms().taxonomy->harms) out.emplace_back(h.id, h.label);
  return out;
}

std::vector<std::string> harmLabels(const Catalog& catalog, const std::vector<std::string>& kinds) {
  std::vector<std::string> out;
  const auto& taxonomy = catalog.forms().taxonomy;
  for (const auto& h : kinds) {
    const forms::HarmKind* k = taxonomy ? taxonomy->find(h) : nullptr;
    out.push_back(k != nullptr ? k->label : h);
  }
  return out;
}

core::Status clearIncidentField(core::Incident* i, const std::string& f) {
  if (f == "date") {
    i->date_start.reset();
    i->date_end.reset();
    i->date_precision =
        i->date_text.empty() ? core::DatePrecision::kUnknown : core::DatePrecision::kApproximate;
  } else if (f == "when") {
    i->date_text.clear();
    if (!i->date_start) i->date_precision = core::DatePrecision::kUnknown;
  } else if (f == "channel") {
    i->channel.clear();
  } else if (f == "narrative") {
    i->narrative.clear();
  } else if (f == "impact") {
    i->impact.clear();
  } else if (f == "harm") {
    i->harm_kinds.clear();
  } else if (f == "witnesses") {
    i->witnesses.clear();
  } else {
    return core::invalidArgument("\"" + f.substr(0, 20) +
                                 "\" is not one of date, when, channel, narrative, impact, "
                                 "harm, witnesses")
        .withField("clear");
  }
  return core::Status::ok();
}

namespace {

// A day something happened: a date, and one that has come.
core::StatusOr<core::Date> pastDay(Services& s, const std::string& text, const std::string& field) {
  RECOURSE_ASSIGN_OR_RETURN(core::Date day, parseDateAbout(text, field));
  if (s.clock.today() < day) return dayInFuture(day, field);
  return day;
}

}  // namespace

core::StatusOr<core::Incident> addIncident(Services& s, const core::Incident& given) {
  core::Incident incident = given;
  RECOURSE_ASSIGN_OR_RETURN(incident.harm_kinds, resolveHarmKinds(s.catalog, given.harm_kinds));
  RECOURSE_RETURN_IF_ERROR(core::validateIncident(incident));
  auto added = s.store.addIncident(incident);
  if (!added.isOk())
    return notFoundAs(added.status(), "no case with id " + incident.case_id, "case_id");
  return added;
}

core::StatusOr<core::Incident> recordIncident(Services& s, const NewIncident& in) {
  core::Incident i;
  i.case_id = in.case_id;
  i.summary = in.summary;
  i.date_text = in.date_text;
  i.channel = in.channel;
  i.narrative = in.narrative;
  i.impact = in.impact;
  i.witnesses = in.witnesses;
  for (const auto& h : in.harm_kinds) {
    if (!h.empty()) i.harm_kinds.push_back(h);
  }
  if (!in.date.empty()) {
    RECOURSE_ASSIGN_OR_RETURN(i.date_start, pastDay(s, in.date, "date"));
  }
  if (!in.date_end.empty()) {
    RECOURSE_ASSIGN_OR_RETURN(i.date_end, pastDay(s, in.date_end, "date_end"));
    if (!i.date_start) {
      return core::invalidArgument("also give the start (date)")
          .withField("date_end")
          .withReason("range_needs_start");
    }
  }
  const bool dates_given = i.date_start || !in.date_text.empty() || in.approximate || in.recurring;
  if (dates_given) i.date_precision = datePrecisionFor(i, in.approximate, in.recurring);
  return addIncident(s, i);
}

core::StatusOr<core::Incident> getIncident(Services& s, const std::string& id) {
  auto found = s.store.getIncident(id);
  if (!found.isOk()) return notFoundAs(found.status(), "no incident with id " + id, "incident_id");
  return found;
}

core::StatusOr<core::Incident> saveIncident(Services& s, const core::Incident& given) {
  core::Incident incident = given;
  RECOURSE_ASSIGN_OR_RETURN(incident.harm_kinds, resolveHarmKinds(s.catalog, given.harm_kinds));
  RECOURSE_RETURN_IF_ERROR(core::validateIncident(incident));
  auto saved = s.store.updateIncident(incident);
  if (!saved.isOk())
    return notFoundAs(saved.status(), "no incident with id " + incident.id, "incident_id");
  return saved;
}

core::StatusOr<core::Incident> editIncident(Services& s, const IncidentEdit& in) {
  RECOURSE_ASSIGN_OR_RETURN(core::Incident i, getIncident(s, in.incident_id));
  // A best guess of a day stays a best guess when the day changes (a date in words only is
  // "approximate" too, but a day given later is not a guess).
  const bool was_approximate =
      i.date_precision == core::DatePrecision::kApproximate && i.date_start.has_value();
  const bool was_recurring = i.date_precision == core::DatePrecision::kRecurring;
  for (const auto& f : in.clear) RECOURSE_RETURN_IF_ERROR(clearIncidentField(&i, f));
  if (in.summary && in.summary->empty()) {
    return core::invalidArgument("cannot be emptied: a few words are enough")
        .withField("summary")
        .withReason("required");
  }
  for (const auto& [given, field] :
       std::initializer_list<std::pair<const std::optional<std::string>*, std::string*>>{
           {&in.summary, &i.summary},
           {&in.date_text, &i.date_text},
           {&in.channel, &i.channel},
           {&in.narrative, &i.narrative},
           {&in.impact, &i.impact},
           {&in.witnesses, &i.witnesses}}) {
    if (*given) *field = **given;
  }
  if (in.harm_kinds) {
    i.harm_kinds.clear();
    for (const auto& h : *in.harm_kinds) {
      if (!h.empty()) i.harm_kinds.push_back(h);
    }
  }
  if (in.date && in.date->empty()) {
    i.date_start.reset();
    i.date_end.reset();
  } else if (in.date) {
    RECOURSE_ASSIGN_OR_RETURN(i.date_start, pastDay(s, *in.date, "date"));
  }
  if (in.date_end && in.date_end->empty()) {
    i.date_end.reset();
  } else if (in.date_end) {
    RECOURSE_ASSIGN_OR_RETURN(i.date_end, pastDay(s, *in.date_end, "date_end"));
    if (!i.date_start) {
      return core::invalidArgument("also give the start (date)")
          .withField("date_end")
          .withReason("range_needs_start");
    }
  }
  const bool dates_given = in.date || in.date_end || in.date_text || in.approximate || in.recurring;
  if (in.precision) {
    if (in.approximate || in.recurring) {
      return core::invalidArgument("give either a precision or approximate/recurring")
          .withField("precision");
    }
    auto p = core::parseDatePrecision(*in.precision);
    if (!p) {
      return core::invalidArgument("\"" + in.precision->substr(0, 20) +
                                   "\" is not one of exact, approximate, range, recurring, "
                                   "unknown")
          .withField("precision");
    }
    i.date_precision = *p;
    if (*p == core::DatePrecision::kUnknown) {
      i.date_start.reset();
      i.date_end.reset();
    }
    if (*p == core::DatePrecision::kExact || *p == core::DatePrecision::kApproximate) {
      i.date_end.reset();
    }
  } else if (dates_given) {
    const bool approximate = in.approximate || was_approximate;
    const bool recurring = (in.recurring || was_recurring) && i.date_start.has_value();
    i.date_precision = datePrecisionFor(i, approximate, recurring);
  }
  if (in.version > 0) i.version = in.version;
  return saveIncident(s, i);
}

core::Status deleteIncident(Services& s, const std::string& id) {
  auto removed = s.store.deleteIncident(id);
  if (!removed.isOk())
    return notFoundAs(removed.status(), "no incident with id " + id, "incident_id");
  return core::Status::ok();
}

core::StatusOr<std::vector<core::Incident>> listIncidents(Services& s, const std::string& case_id) {
  auto list = s.store.listIncidents(case_id);
  if (!list.isOk()) return notFoundAs(list.status(), "no case with id " + case_id, "case_id");
  sortByWhen(&*list);
  return list;
}

core::StatusOr<Timeline> timeline(Services& s, const std::string& case_id) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  RECOURSE_ASSIGN_OR_RETURN(auto incidents, s.store.listIncidents(kase->id));
  sortByWhen(&incidents);
  return Timeline{*kase, std::move(incidents)};
}

core::StatusOr<TimelinePdf> timelinePdf(Services& s, const std::string& case_id) {
  RECOURSE_ASSIGN_OR_RETURN(Timeline t, timeline(s, case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(t.kase.client_id));
  const forms::Form* form = s.catalog.forms().find("timeline");
  if (form == nullptr) {
    return core::failedPrecondition("the timeline form is missing or has problems");
  }
  Poco::JSON::Object::Ptr answers = new Poco::JSON::Object;
  pdf::DocumentContext dc;
  std::vector<std::string> warnings;
  const core::Date today = s.clock.today();
  buildLetterContext(s.catalog.forms(), s.catalog.law(), *form, client, t.kase, t.incidents, today,
                     today, answers, &dc, &warnings);
  RECOURSE_ASSIGN_OR_RETURN(auto history, caseHistory(s, case_id));
  for (auto& h : history) {
    dc.history.push_back({h.on.toString(), std::move(h.what), std::move(h.notes)});
  }
  RECOURSE_ASSIGN_OR_RETURN(const pdf::FontKit* fonts, s.catalog.fonts());
  pdf::DocInfo info{form->document_title.get("en"), client.name, form->title.get("en"),
                    s.clock.now()};
  RECOURSE_ASSIGN_OR_RETURN(auto doc, pdf::renderForm(*form, answers, dc, *fonts, info));
  return TimelinePdf{std::move(doc.pdf), doc.pages, t.incidents.size(), glyphNotes(doc.fallbacks),
                     doc.fallbacks};
}

}  // namespace recourse::service
