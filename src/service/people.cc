#include "service/people.h"

#include "core/validation.h"
#include "service/errors.h"
#include "service/incidents.h"
#include "store/store.h"

namespace recourse::service {
namespace {

// A client's details as validateClient checks them, and a date of birth that has come. The
// day is not repeated in the message: it is personal data.
core::Status checkClient(Services& s, const core::Client& c) {
  RECOURSE_RETURN_IF_ERROR(core::validateClient(c));
  if (!c.date_of_birth.empty()) {
    auto born = core::Date::parse(c.date_of_birth, "date_of_birth");
    if (born.isOk() && s.clock.today() < *born) {
      return core::invalidArgument("is after today")
          .withField("date_of_birth")
          .withReason("birth_in_future");
    }
  }
  return core::Status::ok();
}

// Treatment that has not begun or ended yet cannot be dated.
core::Status checkTreatmentDates(const core::Case& c, core::Date today) {
  if (c.treatment_start && today < *c.treatment_start) {
    return dayInFuture(*c.treatment_start, "treatment_start");
  }
  if (c.treatment_end && today < *c.treatment_end) {
    return dayInFuture(*c.treatment_end, "treatment_end");
  }
  return core::Status::ok();
}

}  // namespace

core::StatusOr<core::Client> addClient(Services& s, const core::Client& client) {
  RECOURSE_RETURN_IF_ERROR(checkClient(s, client));
  return s.store.addClient(client);
}

core::StatusOr<std::vector<core::Client>> listClients(Services& s,
                                                      std::vector<std::string>* damaged) {
  return damaged != nullptr ? s.store.listClients(damaged) : s.store.listClients();
}

core::StatusOr<ClientWithCases> showClient(Services& s, const std::string& client_id) {
  auto client = s.store.getClient(client_id);
  if (!client.isOk()) {
    return notFoundAs(client.status(), "no client with id " + client_id, "client_id");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto cases, s.store.listCases(client_id));
  return ClientWithCases{std::move(client).value(), std::move(cases)};
}

core::StatusOr<core::Case> addCase(Services& s, const core::Case& c, const CaseOptions& opt) {
  core::Case checked = c;
  std::string& jid = checked.provider.jurisdiction;
  if (!jid.empty()) {
    auto known = s.catalog.law().checkJurisdiction(jid, "provider.jurisdiction");
    if (known.isOk()) {
      jid = *known;
    } else if (!opt.keep_unknown_jurisdiction) {
      return known.status();
    }
  }
  RECOURSE_RETURN_IF_ERROR(core::validateCase(checked));
  RECOURSE_RETURN_IF_ERROR(checkTreatmentDates(checked, s.clock.today()));
  auto added = s.store.addCase(checked);
  if (!added.isOk()) {
    return notFoundAs(added.status(), "no client with id " + c.client_id, "client_id");
  }
  return added;
}

std::string caseLabel(const core::Case& c) {
  return c.title.empty() ? "about " + c.provider.name : c.title;
}

std::string unknownJurisdictionWarning(Services& s, const core::Case& c) {
  const std::string& jid = c.provider.jurisdiction;
  if (jid.empty() || s.catalog.law().find(jid) != nullptr) return "";
  return "Recourse has no law for \"" + jid +
         "\", so it cannot work out due dates or find the licensing board for this case. " +
         "Letters will cite no law; deadlines lists its requests without a due date.";
}

core::StatusOr<std::vector<core::Case>> listCases(Services& s, const std::string& client_id) {
  if (!client_id.empty()) {
    auto client = s.store.getClient(client_id);
    if (!client.isOk()) {
      return notFoundAs(client.status(), "no client with id " + client_id, "client_id");
    }
  }
  return s.store.listCases(client_id);
}

core::StatusOr<CaseWithIncidents> showCase(Services& s, const std::string& case_id) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(kase->client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto incidents, s.store.listIncidents(case_id));
  sortByWhen(&incidents);  // timeline order, as everywhere incidents are listed
  return CaseWithIncidents{std::move(kase).value(), std::move(client), std::move(incidents)};
}

// ---- corrections and deletions ----------------------------------------------------------

namespace {

void apply(const std::optional<std::string>& given, std::string* field) {
  if (given) *field = *given;
}

// A day that has come (treatment dates), given as text; empty clears it.
core::Status applyDate(const std::optional<std::string>& given, const std::string& field,
                       core::Date today, std::optional<core::Date>* out) {
  if (!given) return core::Status::ok();
  if (given->empty()) {
    out->reset();
    return core::Status::ok();
  }
  RECOURSE_ASSIGN_OR_RETURN(core::Date day, parseDateAbout(*given, field));
  if (today < day) return dayInFuture(day, field);
  *out = day;
  return core::Status::ok();
}

DeletionScope scopeOf(const store::Removed& r, std::string name) {
  return DeletionScope{std::move(name), r.cases.size(), r.incidents.size(), r.evidence.size(),
                       r.requests.size()};
}

core::StatusOr<DeletionScope> countCases(Services& s, const std::vector<core::Case>& cases,
                                         std::string name) {
  DeletionScope out;
  out.name = std::move(name);
  out.cases = cases.size();
  for (const auto& c : cases) {
    RECOURSE_ASSIGN_OR_RETURN(auto incidents, s.store.listIncidents(c.id));
    RECOURSE_ASSIGN_OR_RETURN(auto evidence, s.store.listEvidence(c.id));
    RECOURSE_ASSIGN_OR_RETURN(auto requests, s.store.listRequests(c.id));
    out.incidents += incidents.size();
    out.evidence += evidence.size();
    out.requests += requests.size();
  }
  return out;
}

}  // namespace

core::StatusOr<core::Client> editClient(Services& s, const ClientEdit& in) {
  auto found = s.store.getClient(in.client_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no client with id " + in.client_id, "client_id");
  }
  core::Client c = std::move(found).value();
  if (in.name && in.name->empty()) {
    return core::invalidArgument("cannot be cleared: letters and forms need a name")
        .withField("name")
        .withReason("required");
  }
  apply(in.name, &c.name);
  apply(in.email, &c.email);
  apply(in.phone, &c.phone);
  apply(in.address, &c.address);
  apply(in.date_of_birth, &c.date_of_birth);
  apply(in.notes, &c.notes);
  if (in.version > 0) c.version = in.version;
  RECOURSE_RETURN_IF_ERROR(checkClient(s, c));
  return s.store.updateClient(c);
}

core::StatusOr<core::Case> editCase(Services& s, const CaseEdit& in) {
  auto found = s.store.getCase(in.case_id);
  if (!found.isOk()) return notFoundAs(found.status(), "no case with id " + in.case_id, "case_id");
  core::Case c = std::move(found).value();
  core::Provider& p = c.provider;
  if (in.provider_name && in.provider_name->empty()) {
    return core::invalidArgument("cannot be cleared: the case is about this therapist")
        .withField("provider.name")
        .withReason("required");
  }
  std::optional<std::string> checked = in.jurisdiction;
  if (checked && !checked->empty()) {
    auto known = s.catalog.law().checkJurisdiction(*checked, "provider.jurisdiction");
    if (known.isOk()) {
      checked = *known;
    } else if (!in.keep_unknown_jurisdiction) {
      return known.status();
    }
  }
  apply(in.provider_name, &p.name);
  apply(in.provider_credentials, &p.credentials);
  apply(in.license_type, &p.license_type);
  apply(in.license_number, &p.license_number);
  const std::optional<std::string>& jurisdiction = checked;
  apply(jurisdiction, &p.jurisdiction);
  apply(in.practice, &p.practice);
  apply(in.provider_address, &p.address);
  apply(in.provider_email, &p.email);
  apply(in.provider_phone, &p.phone);
  apply(in.title, &c.title);
  apply(in.notes, &c.notes);
  RECOURSE_RETURN_IF_ERROR(
      applyDate(in.treatment_start, "treatment_start", s.clock.today(), &c.treatment_start));
  RECOURSE_RETURN_IF_ERROR(
      applyDate(in.treatment_end, "treatment_end", s.clock.today(), &c.treatment_end));
  RECOURSE_RETURN_IF_ERROR(core::validateCase(c));
  if (in.version > 0) c.version = in.version;
  return s.store.updateCase(c);
}

core::StatusOr<DeletionScope> clientDeletionScope(Services& s, const std::string& client_id) {
  RECOURSE_ASSIGN_OR_RETURN(auto shown, showClient(s, client_id));
  return countCases(s, shown.cases, shown.client.name);
}

core::StatusOr<DeletionScope> caseDeletionScope(Services& s, const std::string& case_id) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  return countCases(s, {*kase}, kase->provider.name);
}

core::StatusOr<DeletionScope> deleteClient(Services& s, const std::string& client_id) {
  auto client = s.store.getClient(client_id);
  if (!client.isOk()) {
    return notFoundAs(client.status(), "no client with id " + client_id, "client_id");
  }
  auto removed = s.store.deleteClient(client_id, evidenceDir(s.data_dir));
  if (!removed.isOk()) {
    return notFoundAs(removed.status(), "no client with id " + client_id, "client_id");
  }
  // A draft may hold what was typed about them.
  RECOURSE_RETURN_IF_ERROR(s.store.clearDrafts());
  return scopeOf(*removed, client->name);
}

core::StatusOr<DeletionScope> deleteCase(Services& s, const std::string& case_id) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  auto removed = s.store.deleteCase(case_id, evidenceDir(s.data_dir));
  if (!removed.isOk()) return notFoundAs(removed.status(), "no case with id " + case_id, "case_id");
  RECOURSE_RETURN_IF_ERROR(s.store.clearDrafts());  // a draft may hold what was typed about it
  return scopeOf(*removed, kase->provider.name);
}

}  // namespace recourse::service
