// Repository interfaces: what the rest of the app may ask of storage. src/store implements
// them on SQLite; tests may implement them in memory. All methods need an unlocked vault
// for sealed fields and return Unauthenticated when it is locked.
#pragma once

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/request.h"
#include "core/status.h"

namespace recourse::core {

class ClientRepository {
 public:
  virtual ~ClientRepository() = default;
  // Validates, assigns id and timestamps, seals, stores and logs "client.add".
  // On success returns the stored client. On failure nothing is written.
  virtual StatusOr<Client> addClient(const Client& client) = 0;
  virtual StatusOr<Client> getClient(const std::string& id) = 0;
  // All clients, oldest first.
  virtual StatusOr<std::vector<Client>> listClients() = 0;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  // Adds the case and its provider in one transaction.
  // REQUIRES: c.client_id names an existing client (else NotFound, nothing written).
  virtual StatusOr<Case> addCase(const Case& c) = 0;
  virtual StatusOr<Case> getCase(const std::string& id) = 0;
  // Cases of one client, or of all clients when client_id is empty; oldest first.
  virtual StatusOr<std::vector<Case>> listCases(const std::string& client_id) = 0;
};

class IncidentRepository {
 public:
  virtual ~IncidentRepository() = default;
  // REQUIRES: incident.case_id names an existing case (else NotFound, nothing written).
  virtual StatusOr<Incident> addIncident(const Incident& incident) = 0;
  // Incidents of a case in timeline order: dated ones by start date, then undated ones in
  // the order they were recorded.
  virtual StatusOr<std::vector<Incident>> listIncidents(const std::string& case_id) = 0;
};

class RequestRepository {
 public:
  virtual ~RequestRepository() = default;
  // REQUIRES: request.case_id names an existing case (else NotFound, nothing written).
  virtual StatusOr<RecordsRequest> addRequest(const RecordsRequest& request) = 0;
  virtual StatusOr<RecordsRequest> getRequest(const std::string& id) = 0;
  // One case's requests, or every request when case_id is empty; oldest first.
  virtual StatusOr<std::vector<RecordsRequest>> listRequests(const std::string& case_id) = 0;
  // REQUIRES: event.request_id names an existing request.
  virtual StatusOr<RequestEvent> addRequestEvent(const RequestEvent& event) = 0;
  // In the order they happened (by date, then as recorded).
  virtual StatusOr<std::vector<RequestEvent>> listRequestEvents(const std::string& request_id) = 0;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual StatusOr<std::vector<AuditEvent>> auditEvents() = 0;
  // Recomputes the hash chain. On success OK; on a break, Corruption naming the entry.
  virtual Status verifyAuditChain() = 0;
};

}  // namespace recourse::core
