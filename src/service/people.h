// The people and cases of a vault: a client (the person, or an advocate's client) and each
// case about one therapist.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

// Checks and stores a client. InvalidArgument naming the field; nothing stored on failure.
core::StatusOr<core::Client> addClient(Services& s, const core::Client& client);
// Every client, oldest first. With `damaged`, a client that cannot be read is named there
// ("client cl_…") and left out, instead of failing the list.
core::StatusOr<std::vector<core::Client>> listClients(Services& s,
                                                      std::vector<std::string>* damaged = nullptr);

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

// ---- corrections and deletions --------------------------------------------------------
// In an edit, each field given (not nullopt) replaces the stored value and "" clears it;
// fields not given stay as they are.

struct ClientEdit {
  std::string client_id;
  std::optional<std::string> name;  // cannot be cleared
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> address;
  std::optional<std::string> notes;
  std::optional<std::string> date_of_birth;  // YYYY-MM-DD, a real day in the past
  // The version the change was made from (what the person saw): a record that has moved
  // on since is not changed (Conflict, reason "changed_meanwhile"). 0: not checked.
  long long version = 0;
};
// On success the client as stored. On failure nothing changes: NotFound about
// "client_id"; InvalidArgument naming the field ("name" when it would be cleared).
core::StatusOr<core::Client> editClient(Services& s, const ClientEdit& in);

struct CaseEdit {
  std::string case_id;
  std::optional<std::string> provider_name;  // cannot be cleared
  std::optional<std::string> provider_credentials;
  std::optional<std::string> license_type;
  std::optional<std::string> license_number;
  std::optional<std::string> jurisdiction;  // a jurisdiction the catalog knows, or ""
  bool keep_unknown_jurisdiction = false;   // keep one it does not know, on purpose
  std::optional<std::string> practice;
  std::optional<std::string> provider_address;
  std::optional<std::string> provider_email;
  std::optional<std::string> provider_phone;
  std::optional<std::string> title;
  std::optional<std::string> notes;
  // YYYY-MM-DD, or "" to clear; checked here (field "treatment_start"/"treatment_end").
  std::optional<std::string> treatment_start;
  std::optional<std::string> treatment_end;
  // The version the change was made from (what the person saw): a record that has moved
  // on since is not changed (Conflict, reason "changed_meanwhile"). 0: not checked.
  long long version = 0;
};
// On success the case as stored. On failure nothing changes: NotFound about "case_id";
// InvalidArgument naming the field ("provider.name", "treatment_end", ...;
// "provider.jurisdiction" for one the catalog does not know, with a suggestion, unless
// keep_unknown_jurisdiction).
core::StatusOr<core::Case> editCase(Services& s, const CaseEdit& in);

// What deleting a client or case will remove (or removed): counts for a confirmation.
struct DeletionScope {
  std::string name;  // the client's name, or the case's therapist
  size_t cases = 0;
  size_t incidents = 0;
  size_t evidence = 0;
  size_t requests = 0;
};
// What deleteClient / deleteCase would remove; nothing changes. NotFound about
// "client_id" / "case_id".
core::StatusOr<DeletionScope> clientDeletionScope(Services& s, const std::string& client_id);
core::StatusOr<DeletionScope> caseDeletionScope(Services& s, const std::string& case_id);
// Deletes the client with their cases, therapists, incidents, evidence (rows and sealed
// files), records requests and complaints, in one transaction (store.h: deleteClient).
// On success what was removed. NotFound about "client_id"; nothing changes on failure.
core::StatusOr<DeletionScope> deleteClient(Services& s, const std::string& client_id);
// The same for one case and everything in it. NotFound about "case_id".
core::StatusOr<DeletionScope> deleteCase(Services& s, const std::string& case_id);

}  // namespace recourse::service
