#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>

#include "cli/command.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/holidays.h"
#include "jurisdiction/registry.h"

namespace recourse::cli {
namespace {

using jurisdiction::Board;
using jurisdiction::FactMeta;
using jurisdiction::Jurisdiction;
using jurisdiction::Registry;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string flag(const FactMeta& m) { return m.verified ? "" : " (not confirmed)"; }

Object::Ptr factJson(const FactMeta& m) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("citation", m.source.citation);
  if (!m.source.url.empty()) o->set("url", m.source.url);
  o->set("verified", m.verified);
  if (m.last_verified) o->set("last_verified", m.last_verified->toString());
  // The person-facing caution only: research notes stay in the data files.
  if (!m.caution.empty()) o->set("caution", m.caution);
  return o;
}

// A rule in days or months, with its source: what it counts, from what, and its words.
Object::Ptr dayRuleJson(const jurisdiction::DayRule& r) {
  Object::Ptr o = factJson(r.meta);
  if (r.count) {
    o->set(r.type == jurisdiction::DayType::kCalendarMonth ? "months" : "days", *r.count);
  }
  o->set("day_type", std::string(jurisdiction::dayTypeName(r.type)));
  if (!r.starts_on.empty()) o->set("starts_on", r.starts_on);
  if (!r.summary.empty()) o->set("summary", r.summary);
  return o;
}

// The law from the catalog; problems in some files do not stop the valid ones from being used.
const Registry& loadRegistry(Context& ctx) { return ctx.catalog()->law(); }

void printProblemsBrief(Context& ctx, const Registry& reg) {
  if (!reg.problems().empty()) {
    ctx.env().err << "recourse: note: " << reg.problems().size()
                  << " problem(s) in the jurisdiction files; the files with problems are "
                     "left out (see: recourse jurisdictions check)\n";
  }
}

class JurisdictionsList final : public Command {
 public:
  std::string name() const override { return "jurisdictions list"; }
  std::string summary() const override { return "list the jurisdictions Recourse has data for"; }
  core::Status run(Context& ctx) override {
    const Registry& reg = loadRegistry(ctx);
    printProblemsBrief(ctx, reg);
    if (ctx.args().json) {
      Array::Ptr arr = new Array;
      for (const Jurisdiction* j : reg.all()) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", j->id);
        o->set("name", j->name);
        o->set("parent", j->parent.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(j->parent));
        o->set("boards", static_cast<int>(j->boards.size()));
        o->set("records_access", j->records_access.has_value());
        arr->add(o);
      }
      ctx.printJson(arr);
      return core::Status::ok();
    }
    ctx.out() << pad("ID", 8) << pad("NAME", 34) << pad("PARENT", 8) << pad("BOARDS", 8)
              << "RECORDS DEADLINE\n";
    for (const Jurisdiction* j : reg.all()) {
      std::string deadline = "-";
      if (j->records_access && j->records_access->response) {
        const auto& r = *j->records_access->response;
        deadline = r.count ? std::to_string(*r.count) + " " +
                                 (r.type == jurisdiction::DayType::kCalendarMonth
                                      ? "month(s)"
                                      : std::string(jurisdiction::dayTypeName(r.type)) + " days")
                           : "no fixed number";
        deadline += flag(r.meta);
      }
      ctx.out() << pad(j->id, 8) << pad(j->name, 34) << pad(j->parent.empty() ? "-" : j->parent, 8)
                << pad(std::to_string(j->boards.size()), 8) << deadline << "\n";
    }
    return core::Status::ok();
  }
};

class JurisdictionsShow final : public Command {
 public:
  std::string name() const override { return "jurisdictions show"; }
  std::string summary() const override {
    return "what Recourse knows of one jurisdiction's law, boards and holidays, with sources";
  }
  std::string usage() const override { return "jurisdictions show ID [--year YYYY]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"year", "YYYY", "the year whose holidays to list (default: this year)"}};
  }
  core::Status run(Context& ctx) override {
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("ID: name the jurisdiction (see: recourse jurisdictions list)");
    }
    const Registry& reg = loadRegistry(ctx);
    printProblemsBrief(ctx, reg);
    const std::string id = ctx.args().positionals[0];
    const Jurisdiction* j = reg.find(id);
    if (j == nullptr) {
      return core::notFound("ID: no jurisdiction \"" + id.substr(0, 20) +
                            "\" (see: recourse jurisdictions list)");
    }
    int year = ctx.env().clock.today().year();
    if (ctx.args().has("year")) {
      const std::string y = ctx.args().get("year");
      if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos) {
        return core::invalidArgument("--year: expected a year such as 2026");
      }
      year = std::stoi(y);
    }
    auto& out = ctx.out();
    if (ctx.args().json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", j->id);
      o->set("name", j->name);
      o->set("parent", j->parent);
      o->set("file", j->file);
      if (j->records_access) {
        Object::Ptr ra = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        ra->set("law_name", j->records_access->law_name);
        ra->set("summary", j->records_access->summary);
        ra->set("source", factJson(j->records_access->meta));
        if (j->records_access->response && j->records_access->response->count) {
          ra->set("response_days", *j->records_access->response->count);
          ra->set("response_day_type",
                  std::string(jurisdiction::dayTypeName(j->records_access->response->type)));
        }
        o->set("records_access", ra);
      }
      Array::Ptr boards = new Array;
      for (const Board& b : j->boards) boards->add(boardJson(b));
      o->set("boards", boards);
      ctx.printJson(o);
      return core::Status::ok();
    }
    out << j->name << " (" << j->id << ")" << (j->parent.empty() ? "" : ", within " + j->parent)
        << "\n";
    if (!j->notes.empty()) out << "  " << j->notes << "\n";
    auto rule = [&](const char* label, const std::optional<jurisdiction::DayRule>& r) {
      if (!r) return;
      out << "  " << label << ": ";
      if (r->count) {
        out << *r->count << " "
            << (r->type == jurisdiction::DayType::kCalendarMonth
                    ? "calendar month(s)"
                    : std::string(jurisdiction::dayTypeName(r->type)) + " days")
            << " after " << r->starts_on;
      } else {
        out << "no fixed number of days";
      }
      out << flag(r->meta) << " — " << r->meta.source.citation << "\n";
      if (!r->meta.verified) out << "    " << r->meta.caution << "\n";
    };
    auto extension = [&](const std::optional<jurisdiction::ExtensionRule>& e) {
      if (!e) return;
      out << "  Extension: " << e->conditions << flag(e->meta) << " — " << e->meta.source.citation
          << "\n";
      if (!e->meta.verified) out << "    " << e->meta.caution << "\n";
    };
    if (j->records_access) {
      const auto& ra = *j->records_access;
      out << "\nRight to your records: " << ra.law_name << flag(ra.meta) << "\n  " << ra.summary
          << "\n  Source: " << ra.meta.source.citation << "  " << ra.meta.source.url << "\n";
      if (!ra.meta.verified) out << "  " << ra.meta.caution << "\n";
      rule("Copies due", ra.response);
      rule("Inspection due", ra.inspection);
      extension(ra.extension);
      auto text = [&](const char* label, const std::optional<jurisdiction::TextFact>& t) {
        if (!t) return;
        out << "  " << label << ": " << t->summary << flag(t->meta) << "\n";
        if (!t->meta.verified) out << "    " << t->meta.caution << "\n";
        for (const auto& [key, detail] : t->details) {
          if (key == "hipaa") out << "    Federal law: " << detail << "\n";
        }
      };
      text("Fees", ra.fees);
      text("Mental-health records", ra.mental_health);
      text("If refused", ra.denial_review);
      text("Electronic copy", ra.electronic_copy);
      text("Retaliation", ra.retaliation);
      if (const auto& t = ra.third_party_copy) {
        out << "  A copy sent to someone you name: " << t->summary << flag(t->meta) << "\n";
        if (!t->meta.verified) out << "    " << t->meta.caution << "\n";
        out << "    Source: " << t->meta.source.citation << "\n";
        if (t->consent) {
          out << "    Your written consent: " << t->consent->summary << flag(t->consent->meta)
              << "\n";
          if (!t->consent->meta.verified) out << "      " << t->consent->meta.caution << "\n";
          out << "      Source: " << t->consent->meta.source.citation << "\n";
        }
      }
      if (ra.escalation) {
        out << "  Where to complain: " << ra.escalation->body << flag(ra.escalation->meta)
            << (ra.escalation->url.empty() ? "" : " — " + ra.escalation->url) << "\n";
        if (!ra.escalation->meta.verified) out << "    " << ra.escalation->meta.caution << "\n";
        rule("Complaint time limit", ra.escalation->time_limit);
        text("What happens then", ra.escalation->process);
      }
    }
    for (const auto& [title, right] :
         {std::pair{"Correcting your records", &j->records_amendment},
          std::pair{"A list of who your records were disclosed to", &j->disclosures_accounting}}) {
      if (!*right) continue;
      const jurisdiction::RecordsRight& r = **right;
      out << "\n"
          << title << ": " << r.law_name << flag(r.meta) << "\n  " << r.summary
          << "\n  Source: " << r.meta.source.citation << "\n";
      if (!r.meta.verified) out << "  " << r.meta.caution << "\n";
      rule("Answer due", r.response);
      extension(r.extension);
    }
    if (!j->boards.empty()) out << "\nLicensing boards:\n";
    for (const Board& b : j->boards) printBoard(out, b);
    if (j->holidays) {
      out << "\nHolidays in " << year << " (for counting business days)" << flag(j->holidays->meta)
          << ":\n";
      for (const auto& h : jurisdiction::holidaysInYear(j->holidays->rules, year)) {
        out << "  " << h.date.toString() << " "
            << pad(jurisdiction::weekdayName(jurisdiction::weekdayOf(h.date)), 10) << h.name
            << "\n";
      }
    }
    return core::Status::ok();
  }

  static Object::Ptr boardJson(const Board& b) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", b.id);
    o->set("name", b.name);
    o->set("kind", std::string(jurisdiction::boardKindName(b.kind)));
    if (!b.region.empty()) o->set("region", b.region);
    Array::Ptr types = new Array;
    for (const auto& t : b.license_types) types->add(t);
    o->set("license_types", types);
    Array::Ptr titles = new Array;
    for (const auto& t : b.license_titles) titles->add(t.title);
    o->set("license_titles", titles);
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"address", b.address},
             {"phone", b.phone},
             {"fax", b.fax},
             {"email", b.email},
             {"website", b.website},
             {"complaint_url", b.complaint_url},
             {"complaint_requirements", b.complaint_requirements}}) {
      if (!v.empty()) o->set(k, v);
    }
    Array::Ptr methods = new Array;
    for (const auto& m : b.complaint_methods) methods->add(m);
    o->set("complaint_methods", methods);
    if (b.complaint_time_limit) {
      Object::Ptr tl = factJson(b.complaint_time_limit->meta);
      tl->set("summary", b.complaint_time_limit->summary);
      if (b.complaint_time_limit->years) tl->set("years", *b.complaint_time_limit->years);
      o->set("complaint_time_limit", tl);
    }
    for (const auto& [key, t] :
         {std::pair{"process", &b.process}, std::pair{"published_timeline", &b.published_timeline},
          std::pair{"complainant_protection", &b.complainant_protection}}) {
      if (!*t) continue;
      Object::Ptr j = factJson((*t)->meta);
      j->set("summary", (*t)->summary);
      o->set(key, j);
    }
    if (b.first_reply) o->set("first_reply", dayRuleJson(*b.first_reply));
    if (b.outcome_review) {
      const auto& r = *b.outcome_review;
      Object::Ptr j = factJson(r.meta);
      j->set("available", r.available);
      j->set("summary", r.summary);
      if (!r.body.empty()) j->set("body", r.body);
      if (!r.how.empty()) j->set("how", r.how);
      if (!r.url.empty()) j->set("url", r.url);
      Array::Ptr outcomes = new Array;
      for (const auto& name : r.outcomes) outcomes->add(name);
      j->set("outcomes", outcomes);
      if (r.time_limit) j->set("time_limit", dayRuleJson(*r.time_limit));
      o->set("outcome_review", j);
    }
    o->set("source", factJson(b.meta));
    return o;
  }

  static void printBoard(std::ostream& out, const Board& b) {
    out << "  " << b.name << flag(b.meta) << "\n";
    if (b.kind == jurisdiction::BoardKind::kComplaintsEntity) {
      out << "    what:       a health complaints body set up by law"
          << (b.region.empty() ? "" : " for " + b.region)
          << "; it can act on anyone giving a health service, registered or not\n";
    } else if (b.kind == jurisdiction::BoardKind::kProfessionalBody) {
      out << "    what:       a professional body, not a regulator set up by law; it can act "
             "only on its own members, and at most end or limit their membership\n";
    }
    std::string titles;
    for (const auto& t : b.license_titles) titles += (titles.empty() ? "" : ", ") + t.title;
    if (!titles.empty()) out << "    licenses:   " << titles << "\n";
    if (!b.address.empty()) out << "    address:    " << b.address << "\n";
    if (!b.phone.empty()) out << "    phone:      " << b.phone << "\n";
    if (!b.email.empty()) out << "    email:      " << b.email << "\n";
    if (!b.website.empty()) out << "    website:    " << b.website << "\n";
    if (!b.complaint_url.empty()) out << "    complaints: " << b.complaint_url << "\n";
    std::string methods;
    for (const auto& m : b.complaint_methods) methods += (methods.empty() ? "" : ", ") + m;
    if (!methods.empty()) out << "    how:        " << methods << "\n";
    if (!b.complaint_requirements.empty()) {
      out << "    needs:      " << b.complaint_requirements << "\n";
    }
    if (b.complaint_time_limit) {
      out << "    time limit: " << b.complaint_time_limit->summary
          << flag(b.complaint_time_limit->meta) << " — "
          << b.complaint_time_limit->meta.source.citation << "\n";
    }
    if (b.first_reply) {
      out << "    first word: " << b.first_reply->summary << flag(b.first_reply->meta) << " — "
          << b.first_reply->meta.source.citation << "\n";
      if (!b.first_reply->meta.verified)
        out << "    check:      " << b.first_reply->meta.caution << "\n";
    }
    if (b.outcome_review) {
      const auto& r = *b.outcome_review;
      out << "    review:     " << r.summary << flag(r.meta) << " — " << r.meta.source.citation
          << "\n";
      if (!r.meta.verified) out << "    check:      " << r.meta.caution << "\n";
      if (r.time_limit && !r.time_limit->meta.verified) {
        out << "    check:      " << r.time_limit->meta.caution << "\n";
      }
    }
    for (const auto& [label, t] : {std::pair{"    then:       ", &b.process},
                                   std::pair{"    takes:      ", &b.published_timeline},
                                   std::pair{"    protected:  ", &b.complainant_protection}}) {
      if (!*t) continue;
      out << label << (*t)->summary << flag((*t)->meta) << " — " << (*t)->meta.source.citation
          << "\n";
      if (!(*t)->meta.verified) out << "    check:      " << (*t)->meta.caution << "\n";
    }
    out << "    source:     " << b.meta.source.citation
        << (b.meta.source.url.empty() ? "" : " " + b.meta.source.url) << "\n";
    if (!b.meta.verified) out << "    check:      " << b.meta.caution << "\n";
    if (b.complaint_time_limit && !b.complaint_time_limit->meta.verified) {
      out << "    check:      " << b.complaint_time_limit->meta.caution << "\n";
    }
  }
};

class JurisdictionsCheck final : public Command {
 public:
  std::string name() const override { return "jurisdictions check"; }
  std::string summary() const override {
    return "validate every jurisdiction file; each problem as file:JSON-path: message";
  }
  std::string usage() const override { return "jurisdictions check [--grades]"; }
  std::vector<OptionSpec> options() const override {
    return {{"grades", "",
             "a table of each jurisdiction's facts: verified against official text, against a "
             "secondary source, or unverified"}};
  }
  core::Status run(Context& ctx) override {
    const Registry& reg = loadRegistry(ctx);
    for (const auto& p : reg.problems()) ctx.out() << p.toString() << "\n";
    size_t facts = 0;
    size_t unverified = 0;
    const bool grades = ctx.args().has("grades");
    if (grades) {
      ctx.out() << "| Jurisdiction | Official text | Secondary source | Unverified | Checked |\n"
                << "|---|---|---|---|---|\n";
    }
    for (const Jurisdiction* j : reg.all()) {
      const jurisdiction::FactGrades g = jurisdiction::gradeFacts(*j);
      facts += g.official + g.secondary + g.unverified;
      unverified += g.unverified;
      if (grades) {
        std::string checked = g.oldest_check ? g.oldest_check->toString() : "";
        if (g.newest_check && g.oldest_check && *g.oldest_check < *g.newest_check) {
          checked += " to " + g.newest_check->toString();
        }
        ctx.out() << "| " << j->name << " (`" << j->id << "`) | " << g.official << " | "
                  << g.secondary << " | " << g.unverified << " | " << checked << " |\n";
      }
    }
    ctx.out() << reg.all().size() << " jurisdiction file(s) loaded, " << facts << " facts ("
              << unverified << " marked unverified), " << reg.licenseTypes().size()
              << " license types; " << reg.problems().size() << " problem(s).\n";
    if (!reg.problems().empty()) {
      return core::failedPrecondition(std::to_string(reg.problems().size()) +
                                      " problem(s) in the jurisdiction files");
    }
    return core::Status::ok();
  }
};

class BoardsFind final : public Command {
 public:
  std::string name() const override { return "boards find"; }
  std::string summary() const override {
    return "which board licenses a therapist, and how to file a complaint with it";
  }
  std::string usage() const override { return "boards find --jurisdiction ID --license TYPE"; }
  std::vector<OptionSpec> options() const override {
    return {{"jurisdiction", "ID", "where the license was issued, e.g. us-ca"},
            {"license", "TYPE", "license type or title, e.g. LMFT, psychologist"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("jurisdiction"))
      return core::invalidArgument("--jurisdiction: is required");
    if (!ctx.args().has("license")) return core::invalidArgument("--license: is required");
    const Registry& reg = loadRegistry(ctx);
    printProblemsBrief(ctx, reg);
    auto found = reg.findBoards(ctx.args().get("jurisdiction"), ctx.args().get("license"));
    if (!found.isOk()) return found.status();
    if (ctx.args().json) {
      Array::Ptr arr = new Array;
      for (const auto& m : *found) {
        Object::Ptr o = JurisdictionsShow::boardJson(*m.board);
        o->set("jurisdiction", m.jurisdiction->id);
        arr->add(o);
      }
      ctx.printJson(arr);
      return core::Status::ok();
    }
    for (const auto& m : *found) {
      ctx.out() << m.jurisdiction->name << ":\n";
      JurisdictionsShow::printBoard(ctx.out(), *m.board);
    }
    return core::Status::ok();
  }
};

core::StatusOr<jurisdiction::Pause> parsePause(const std::string& text) {
  // FROM:UNTIL or FROM:UNTIL:reason
  size_t c1 = text.find(':');
  size_t c2 = c1 == std::string::npos ? c1 : text.find(':', c1 + 1);
  if (c1 == std::string::npos) {
    return core::invalidArgument("--pause: expected FROM:UNTIL (dates as YYYY-MM-DD), got \"" +
                                 text.substr(0, 40) + "\"");
  }
  auto from = core::Date::parse(text.substr(0, c1), "--pause");
  if (!from.isOk()) return from.status();
  auto until = core::Date::parse(
      text.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1), "--pause");
  if (!until.isOk()) return until.status();
  jurisdiction::Pause p{*from, *until, c2 == std::string::npos ? "" : text.substr(c2 + 1)};
  if (p.until < p.from) return core::invalidArgument("--pause: " + text + " ends before it starts");
  return p;
}

class DeadlineCommand final : public Command {
 public:
  std::string name() const override { return "deadline"; }
  std::string summary() const override {
    return "when an answer is due under a jurisdiction's law, and why (--explain)";
  }
  std::string usage() const override {
    return "deadline --jurisdiction ID [--rule records-access] --from YYYY-MM-DD [--explain]";
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"jurisdiction", "ID", "e.g. us-ca (its national law is checked too)"},
        {"rule", "RULE",
         "records-access (default), records-inspection, escalation, records-amendment or "
         "disclosures-accounting"},
        {"from", "YYYY-MM-DD", "the day the request was received (or the event happened)"},
        {"extension-notice", "YYYY-MM-DD", "when written notice of an extension came"},
        {"license", "TYPE",
         "the provider's license (e.g. psychiatrist): a time limit the law sets for it counts "
         "too"},
        {"pause", "FROM:UNTIL[:WHY]", "days the clock was stopped (e.g. waiting on a fee)", true},
        {"explain", "", "show the rule, citation, days counted and days skipped"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("jurisdiction")) return core::invalidArgument("--jurisdiction: is required");
    if (!a.has("from")) return core::invalidArgument("--from: is required (YYYY-MM-DD)");
    jurisdiction::DeadlineInput input;
    auto from = core::Date::parse(a.get("from"), "--from");
    if (!from.isOk()) return from.status();
    input.start = *from;
    if (a.has("license")) {
      input.license_type =
          loadRegistry(ctx).resolveLicense(a.get("license"), a.get("jurisdiction"));
      if (input.license_type.empty()) {
        return core::invalidArgument("\"" + a.get("license").substr(0, 40) +
                                     "\" is not a license type Recourse knows (see recourse "
                                     "boards find)")
            .withField("--license");
      }
    }
    if (a.has("extension-notice")) {
      auto n = core::Date::parse(a.get("extension-notice"), "--extension-notice");
      if (!n.isOk()) return n.status();
      input.extension_notice = *n;
    }
    for (const auto& p : a.all("pause")) {
      auto pause = parsePause(p);
      if (!pause.isOk()) return pause.status();
      input.pauses.push_back(*pause);
    }
    const std::string rule = a.has("rule") ? a.get("rule") : "records-access";
    const Registry& reg = loadRegistry(ctx);
    printProblemsBrief(ctx, reg);
    auto combined = jurisdiction::computeCombined(reg, a.get("jurisdiction"), rule, input);
    if (!combined.isOk()) return combined.status();
    const auto& c = *combined;
    const auto& gov = c.deadlines[c.governing];
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("rule", rule);
      o->set("from", input.start.toString());
      o->set("due", gov.due.toString());
      o->set("governed_by", gov.jurisdiction_id);
      o->set("verified", gov.dueVerified());
      Array::Ptr arr = new Array;
      for (const auto& d : c.deadlines) {
        Object::Ptr dj = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        dj->set("jurisdiction", d.jurisdiction_id);
        dj->set("label", d.label);
        dj->set("count", d.count);
        dj->set("day_type", std::string(jurisdiction::dayTypeName(d.type)));
        dj->set("due", d.due.toString());
        dj->set("source", factJson(*d.meta));
        Array::Ptr skipped = new Array;
        for (const auto& s : d.skipped) {
          Object::Ptr sj = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
          sj->set("date", s.date.toString());
          sj->set("reason", s.reason);
          skipped->add(sj);
        }
        dj->set("skipped", skipped);
        if (d.extension_requested) {
          dj->set("extension_applied", d.extension_applied);
          dj->set("extension_note", d.extension_note.text);
        }
        arr->add(dj);
      }
      o->set("deadlines", arr);
      Array::Ptr gaps = new Array;
      for (const auto& g : c.gaps) gaps->add(g);
      o->set("not_computed", gaps);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    for (const auto& d : c.deadlines) {
      if (a.has("explain")) {
        for (const auto& line : jurisdiction::explain(d)) out << line << "\n";
        out << "\n";
      } else {
        out << d.jurisdiction_name << ": due " << d.due.toString() << " (" << d.count << " "
            << (d.type == jurisdiction::DayType::kCalendarMonth
                    ? "month(s)"
                    : std::string(jurisdiction::dayTypeName(d.type)) + " days")
            << ", " << d.meta->source.citation << ")"
            << (d.applies_to.empty() ? "" : " for " + d.applies_to)
            << (d.informative ? " (if that is so; it does not set the due date)" : "")
            << (d.dueVerified() ? "" : " (not confirmed)") << "\n";
      }
    }
    for (const auto& g : c.gaps) out << "Not computed: " << g << "\n";
    out << "Due: " << gov.due.toString() << " ("
        << jurisdiction::weekdayName(jurisdiction::weekdayOf(gov.due)) << ")";
    if (c.deadlines.size() > 1)
      out << ", the earliest of the laws that apply (" << gov.jurisdiction_name << ")";
    out << (gov.dueVerified() ? "" : ". This date rests on a rule that is not confirmed: ")
        << (gov.dueVerified() ? "." : gov.dueCaution()) << "\n";
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeJurisdictionCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<JurisdictionsList>());
  v.push_back(std::make_unique<JurisdictionsShow>());
  v.push_back(std::make_unique<JurisdictionsCheck>());
  v.push_back(std::make_unique<BoardsFind>());
  v.push_back(std::make_unique<DeadlineCommand>());
  return v;
}

}  // namespace recourse::cli
