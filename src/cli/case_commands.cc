#include <Poco/JSON/Array.h>

#include <map>
#include <optional>

#include "cli/command.h"
#include "server/json_codec.h"
#include "service/incidents.h"
#include "service/other_routes.h"
#include "service/people.h"

namespace recourse::cli {
namespace {

core::Status readDate(const ParsedArgs& a, const std::string& option,
                      std::optional<core::Date>* out) {
  if (!a.has(option)) return core::Status::ok();
  auto d = core::Date::parse(a.get(option), "--" + option);
  if (!d.isOk()) return d.status();
  *out = *d;
  return core::Status::ok();
}

class CaseAdd final : public Command {
 public:
  std::string name() const override { return "case add"; }
  std::string summary() const override { return "start a case about one therapist"; }
  std::string usage() const override {
    return "case add --client ID --provider-name NAME [--license-type T] [--license-number N] "
           "[--jurisdiction CODE] ...";
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"client", "ID", "the person this case is for (required)", false, "client_id"},
        {"provider-name", "NAME", "the therapist's name (required)", false, "provider.name"},
        {"provider-credentials", "TEXT", "their credentials, e.g. PhD, LCSW", false,
         "provider.credentials"},
        {"license-type", "TYPE", "license type, e.g. LMFT, LCSW, psychologist", false,
         "provider.license_type"},
        {"license-number", "NUMBER", "license number, if known", false, "provider.license_number"},
        {"jurisdiction", "CODE", "where the license was issued, e.g. us-ca, gb, ca-on", false,
         "provider.jurisdiction"},
        {"keep-unknown-jurisdiction", "",
         "keep a --jurisdiction Recourse has no law for (no due dates, no board)"},
        {"practice", "NAME", "practice or clinic", false, "provider.practice"},
        {"provider-address", "TEXT", "practice address", false, "provider.address"},
        {"provider-email", "EMAIL", "practice email", false, "provider.email"},
        {"provider-phone", "PHONE", "practice phone", false, "provider.phone"},
        {"title", "TEXT", "a short name for this case", false, "title"},
        {"treatment-start", "YYYY-MM-DD", "when treatment started", false, "treatment_start"},
        {"treatment-end", "YYYY-MM-DD", "when treatment ended", false, "treatment_end"},
        {"notes", "TEXT", "private notes", false, "notes"},
    };
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("client")) return core::invalidArgument("--client: is required (a client id)");
    if (!a.has("provider-name")) return core::invalidArgument("--provider-name: is required");
    core::Case c;
    c.client_id = a.get("client");
    c.title = a.get("title");
    c.notes = a.get("notes");
    RECOURSE_RETURN_IF_ERROR(readDate(a, "treatment-start", &c.treatment_start));
    RECOURSE_RETURN_IF_ERROR(readDate(a, "treatment-end", &c.treatment_end));
    core::Provider& p = c.provider;
    p.name = a.get("provider-name");
    p.credentials = a.get("provider-credentials");
    p.license_type = a.get("license-type");
    p.license_number = a.get("license-number");
    p.jurisdiction = a.get("jurisdiction");
    p.practice = a.get("practice");
    p.address = a.get("provider-address");
    p.email = a.get("provider-email");
    p.phone = a.get("provider-phone");
    service::CaseOptions opt;
    opt.keep_unknown_jurisdiction = a.has("keep-unknown-jurisdiction");
    auto unknownJurisdiction = [](const core::Status& e) {
      return core::Status(e.code(),
                          e.message() +
                              " To keep it anyway, add --keep-unknown-jurisdiction (Recourse "
                              "then cannot work out due dates or the board).",
                          "--jurisdiction");
    };
    // Checked before the vault is opened: nothing to unlock for a typo.
    if (!p.jurisdiction.empty() && !opt.keep_unknown_jurisdiction) {
      auto known = ctx.catalog()->law().checkJurisdiction(p.jurisdiction, "provider.jurisdiction");
      if (!known.isOk()) return unknownJurisdiction(known.status());
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto added = service::addCase(session->services(), c, opt);
    if (!added.isOk()) {
      const core::Status& e = added.status();
      if (e.code() == core::StatusCode::kNotFound && e.field() == "client_id") {
        return core::Status(e.code(), e.message() + " (see: recourse client list)", "--client");
      }
      return e;
    }
    const std::string warning = service::unknownJurisdictionWarning(session->services(), *added);
    if (!warning.empty()) ctx.env().err << "recourse: warning: " << warning << "\n";
    if (a.json) {
      ctx.printJson(server::caseToJson(*added));
    } else {
      ctx.out() << "Started case " << added->id << " about " << added->provider.name << ".\n";
    }
    return core::Status::ok();
  }
};

class CaseList final : public Command {
 public:
  std::string name() const override { return "case list"; }
  std::string summary() const override { return "list cases (all, or one person's)"; }
  std::vector<OptionSpec> options() const override {
    return {{"client", "ID", "only this person's cases", false, "client_id"}};
  }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto cases = service::listCases(session->services(), ctx.args().get("client"));
    if (!cases.isOk()) return cases.status();
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& c : *cases) arr->add(server::caseToJson(c));
      ctx.printJson(arr);
      return core::Status::ok();
    }
    if (cases->empty()) {
      ctx.out() << "No cases yet. Start one with: recourse case add --client ID "
                   "--provider-name NAME\n";
      return core::Status::ok();
    }
    auto clients = service::listClients(session->services());
    if (!clients.isOk()) return clients.status();
    std::map<std::string, std::string> names;
    for (const auto& cl : *clients) names[cl.id] = cl.name;
    ctx.out() << pad("ID", 15) << pad("PERSON", 22) << pad("THERAPIST", 28) << pad("LICENSE", 22)
              << "STARTED\n";
    for (const auto& c : *cases) {
      std::string license = c.provider.license_type;
      if (!c.provider.jurisdiction.empty()) license += " " + c.provider.jurisdiction;
      ctx.out() << pad(c.id, 15) << pad(truncateForDisplay(names[c.client_id], 20), 22)
                << pad(truncateForDisplay(c.provider.name, 26), 28)
                << pad(truncateForDisplay(license, 20), 22)
                << (c.treatment_start ? c.treatment_start->toString() : "-") << "\n";
    }
    return core::Status::ok();
  }
};

class CaseShow final : public Command {
 public:
  std::string name() const override { return "case show"; }
  std::string summary() const override { return "show a case, its therapist and incidents"; }
  std::string usage() const override { return "case show ID"; }
  size_t maxPositionals() const override { return 1; }
  core::Status run(Context& ctx) override {
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("ID: name the case to show (case show ID)");
    }
    const std::string id = ctx.args().positionals[0];
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto shown = service::showCase(session->services(), id);
    if (!shown.isOk()) {
      return shown.status().field() == "case_id" ? shown.status().withField("ID") : shown.status();
    }
    const core::Case* c = &shown->kase;
    const std::vector<core::Incident>* incidents = &shown->incidents;
    if (ctx.args().json) {
      auto o = server::caseToJson(*c);
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& i : *incidents) arr->add(server::incidentToJson(i));
      o->set("incidents", arr);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    const core::Provider& p = c->provider;
    out << "Case " << c->id << (c->title.empty() ? "" : ": " + c->title) << "\n";
    const core::Client* client = &shown->client;
    out << "  person:     " << client->name << " (" << c->client_id << ")\n";
    out << "  therapist:  " << p.name << (p.credentials.empty() ? "" : ", " + p.credentials)
        << "\n";
    if (!p.license_type.empty() || !p.license_number.empty() || !p.jurisdiction.empty()) {
      out << "  license:    " << p.license_type << (p.license_number.empty() ? "" : " #")
          << p.license_number << (p.jurisdiction.empty() ? "" : " (" + p.jurisdiction + ")")
          << "\n";
    }
    if (!p.practice.empty()) out << "  practice:   " << p.practice << "\n";
    if (c->treatment_start && c->treatment_end) {
      out << "  treatment:  " << c->treatment_start->toString() << " to "
          << c->treatment_end->toString() << "\n";
    } else if (c->treatment_start) {
      out << "  treatment:  started " << c->treatment_start->toString() << "\n";
    } else if (c->treatment_end) {
      out << "  treatment:  ended " << c->treatment_end->toString() << "\n";
    }
    out << "Incidents: " << incidents->size() << "\n";
    for (const auto& i : *incidents) {
      out << "  " << pad(i.id, 15) << pad(truncateForDisplay(service::describeWhen(i), 28), 30)
          << truncateForDisplay(i.summary, 60) << "\n";
    }
    return core::Status::ok();
  }
};

class CaseEdit final : public Command {
 public:
  std::string name() const override { return "case edit"; }
  std::string summary() const override {
    return "correct a case or its therapist (only what you give changes; \"\" empties a field)";
  }
  std::string usage() const override {
    return "case edit ID [--provider-name NAME] [--license-type T] [--provider-address TEXT] ...";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    std::vector<OptionSpec> o = CaseAdd().options();
    o.erase(o.begin());  // --client: a case stays with its person
    o[0].help = "the therapist's name (cannot be emptied)";
    return o;
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("ID: name the case (case edit ID)");
    auto given = [&](const std::string& option) -> std::optional<std::string> {
      if (!a.has(option)) return std::nullopt;
      return a.get(option);
    };
    service::CaseEdit edit;
    edit.case_id = a.positionals[0];
    edit.provider_name = given("provider-name");
    edit.provider_credentials = given("provider-credentials");
    edit.license_type = given("license-type");
    edit.license_number = given("license-number");
    edit.jurisdiction = given("jurisdiction");
    edit.practice = given("practice");
    edit.provider_address = given("provider-address");
    edit.provider_email = given("provider-email");
    edit.provider_phone = given("provider-phone");
    edit.title = given("title");
    edit.notes = given("notes");
    edit.treatment_start = given("treatment-start");
    edit.treatment_end = given("treatment-end");
    edit.keep_unknown_jurisdiction = a.has("keep-unknown-jurisdiction");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto saved = service::editCase(session->services(), edit);
    if (!saved.isOk()) {
      const core::Status& e = saved.status();
      if (e.field() == "case_id") return e.withField("ID");
      if (e.field() == "provider.jurisdiction") {
        return core::Status(e.code(),
                            e.message() +
                                " To keep it anyway, add --keep-unknown-jurisdiction (Recourse "
                                "then cannot work out due dates or the board).",
                            "--jurisdiction");
      }
      return e;
    }
    const std::string warning = service::unknownJurisdictionWarning(session->services(), *saved);
    if (!warning.empty() && edit.jurisdiction) {
      ctx.env().err << "recourse: warning: " << warning << "\n";
    }
    if (a.json) {
      ctx.printJson(server::caseToJson(*saved));
    } else {
      ctx.out() << "Saved the changes to case " << saved->id << " about " << saved->provider.name
                << ".\n";
    }
    return core::Status::ok();
  }
};

class CaseDelete final : public Command {
 public:
  std::string name() const override { return "case delete"; }
  std::string summary() const override { return "delete a case and everything in it (asks first)"; }
  std::string usage() const override { return "case delete ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("ID: name the case (case delete ID)");
    const std::string id = a.positionals[0];
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto scope = service::caseDeletionScope(services, id);
    if (!scope.isOk()) {
      return scope.status().field() == "case_id" ? scope.status().withField("ID") : scope.status();
    }
    const std::string held = countsPhrase(0, scope->incidents, scope->evidence, scope->requests);
    RECOURSE_ASSIGN_OR_RETURN(
        bool go, confirmDeletion(ctx, "Delete case " + id + " about " + scope->name +
                                          (held.empty() ? "" : " with its " + held) + "?"));
    if (!go) return core::Status::ok();
    RECOURSE_ASSIGN_OR_RETURN(auto removed, service::deleteCase(services, id));
    const std::string gone = countsPhrase(0, removed.incidents, removed.evidence, removed.requests);
    ctx.out() << "Deleted case " << id << (gone.empty() ? "" : " with its " + gone)
              << ". The audit log keeps only the fact that it was deleted (an id, no names).\n";
    return core::Status::ok();
  }
};

class CaseRoutes final : public Command {
 public:
  std::string name() const override { return "routes"; }
  std::string summary() const override {
    return "other places to turn besides the board, and what the codes say about ending "
           "therapy, with sources";
  }
  std::string usage() const override { return "routes --case ID"; }
  std::vector<OptionSpec> options() const override {
    return {{"case", "ID", "the case (required)", false, "case_id"}};
  }
  core::Status run(Context& ctx) override {
    const std::string case_id = ctx.args().get("case");
    if (case_id.empty()) return core::invalidArgument("is required").withField("--case");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto r = service::otherRoutes(session->services(), case_id);
    if (!r.isOk()) {
      return r.status().field() == "case_id" ? r.status().withField("--case") : r.status();
    }
    if (ctx.args().json) {
      ctx.printJson(server::otherRoutesToJson(*r));
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << "Other places you can turn, besides the licensing board. Each is your choice; none "
           "is needed for another.\n";
    if (!r->practice.empty()) {
      out << "\n"
          << r->practice
          << ": if the therapist works for it, it may have its own way to raise a concern or "
             "complain. Ask it how.\n";
    }
    for (const auto& x : r->routes) {
      out << "\n" << x.name << " (" << x.jurisdiction << ")\n  " << x.summary << "\n";
      if (!x.how.empty()) out << "  How: " << x.how << "\n";
      if (!x.time_limit.empty()) out << "  Time limit: " << x.time_limit << "\n";
      if (!x.url.empty()) out << "  " << x.url << "\n";
      out << "  Source: " << x.citation << (x.verified ? "" : " (not confirmed)") << "\n";
      if (!x.caution.empty()) out << "  " << x.caution << "\n";
      if (!x.because_of.empty()) {
        std::string why;
        for (const auto& b : x.because_of) why += (why.empty() ? "" : "; ") + b;
        out << "  Shown because you noted: " << why << "\n";
      }
    }
    if (r->held_back > 0) {
      out << "\nSome places appear only for certain kinds of harm noted in the case's "
             "incidents.\n";
    }
    if (!r->ending.empty()) {
      out << "\nWhat the professions' codes of ethics say about ending therapy:\n";
      for (const auto& e : r->ending) {
        out << "  " << e.code << " " << e.section << " (" << e.title << ")"
            << (e.own ? ", your therapist's profession" : "")
            << (e.verified ? "" : ", not confirmed against the code's own text") << "\n    "
            << e.plain << "\n";
      }
      out << "A letter asking for a closing session or referrals: recourse letter --form "
             "ending-request --case "
          << case_id << " --out FILE.pdf --set ask_for=both --set reply_by=YYYY-MM-DD\n";
    }
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeCaseCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<CaseAdd>());
  v.push_back(std::make_unique<CaseList>());
  v.push_back(std::make_unique<CaseShow>());
  v.push_back(std::make_unique<CaseEdit>());
  v.push_back(std::make_unique<CaseDelete>());
  v.push_back(std::make_unique<CaseRoutes>());
  return v;
}

}  // namespace recourse::cli
