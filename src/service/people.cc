#include "service/people.h"

#include "core/validation.h"
#include "service/errors.h"
#include "store/store.h"

namespace recourse::service {
core::StatusOr<core::Client> addClient(Services& s, const core::Client& client) {
  RECOURSE_RETURN_IF_ERROR(core::validateClient(client));
  return s.store.addClient(client);
}

core::StatusOr<std::vector<core::Client>> listClients(Services& s) { return s.store.listClients(); }

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
  return CaseWithIncidents{std::move(kase).value(), std::move(client), std::move(incidents)};
}

}  // namespace recourse::service
