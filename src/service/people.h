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

// Checks and stores a case and its therapist. NotFound about "client_id"; InvalidArgument
// naming the field ("provider.name", "treatment_end", ...).
core::StatusOr<core::Case> addCase(Services& s, const core::Case& c);
// One client's cases ("" for every client's), oldest first. NotFound about "client_id".
core::StatusOr<std::vector<core::Case>> listCases(Services& s, const std::string& client_id);

struct CaseWithIncidents {
  core::Case kase;
  core::Client client;
  std::vector<core::Incident> incidents;
};
// NotFound about "case_id".
core::StatusOr<CaseWithIncidents> showCase(Services& s, const std::string& case_id);

}  // namespace recourse::service
