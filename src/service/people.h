// The people and cases of a vault: a client (the person, or an advocate's client) and each
// case about one therapist.
#pragma once

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

// Checks and stores a client. InvalidArgument naming the field; nothing stored on failure.
core::StatusOr<core::Client> addClient(Services& s, const core::Client& client);
core::StatusOr<std::vector<core::Client>> listClients(Services& s);

struct ClientWithCases {
  core::Client client;
  std::vector<core::Case> cases;
};
// NotFound about "client_id".
core::StatusOr<ClientWithCases> showClient(Services& s, const std::string& client_id);

struct CaseOptions {
  // Store a jurisdiction Recourse has no law for, as typed, on purpose. Such a case gets no
  // due dates and no board; `deadlines` says so for its requests.
  bool keep_unknown_jurisdiction = false;
};

// Checks and stores a case and its therapist. The therapist's jurisdiction must be one
// Recourse knows (matched case-insensitively and stored in lower case) unless
// `opt.keep_unknown_jurisdiction`. NotFound about "client_id"; InvalidArgument naming the
// field ("provider.name", "treatment_end", ...); for an unknown jurisdiction about
// "provider.jurisdiction", with a suggestion and the known ones
// (jurisdiction::Registry::checkJurisdiction). Nothing stored on failure.
core::StatusOr<core::Case> addCase(Services& s, const core::Case& c, const CaseOptions& opt = {});
// Whether a case's jurisdiction is kept although Recourse has no law for it: the warning to
// show after storing it, or "" when Recourse knows it.
std::string unknownJurisdictionWarning(Services& s, const core::Case& c);
// One client's cases ("" for every client's), oldest first. NotFound about "client_id".
core::StatusOr<std::vector<core::Case>> listCases(Services& s, const std::string& client_id);

// How a case is named on lists that span clients: its title, else "about THERAPIST".
std::string caseLabel(const core::Case& c);

struct CaseWithIncidents {
  core::Case kase;
  core::Client client;
  std::vector<core::Incident> incidents;
};
// NotFound about "case_id".
core::StatusOr<CaseWithIncidents> showCase(Services& s, const std::string& case_id);

}  // namespace recourse::service
