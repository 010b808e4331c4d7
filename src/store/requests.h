// Records requests and their events. The custodian's name, address and email, the
// reference, the letter's answers and each event's details are sealed under the client's
// key; the jurisdiction, event types, dates and send channels are not.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/entities.h"
#include "core/request.h"
#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

class RequestsRepo {
 public:
  explicit RequestsRepo(StoreParts parts) : p_(parts) {}

  // The contracts of core::RequestRepository.
  core::StatusOr<core::RecordsRequest> add(const core::RecordsRequest& request);
  core::StatusOr<core::RecordsRequest> get(const std::string& id);
  // With `all_fields` false, only the custodian's name is unsealed (Store::Fields::kSummary).
  core::StatusOr<std::vector<core::RecordsRequest>> list(const std::string& case_id,
                                                         bool all_fields = true);
  core::StatusOr<core::RequestEvent> addEvent(const core::RequestEvent& event);
  core::StatusOr<std::vector<core::RequestEvent>> listEvents(const std::string& request_id);
  // The history of every request of `client_id`'s cases ("" for every client the unlocked
  // account may open), in one read: by request id, each in order; and the cases they are
  // of, with their clients (for the audit log).
  struct AllEvents {
    std::unordered_map<std::string, std::vector<core::RequestEvent>> by_request;
    std::map<std::string, std::string> case_client;
    // Requests with an event that does not read (left out of by_request whole), and what
    // to say about each.
    std::map<std::string, std::string> unreadable;
  };
  // With `case_id`, that case's requests only.
  // `all_fields` false: details are left sealed on the server (Store::Fields::kSummary).
  core::StatusOr<AllEvents> listAllEvents(const std::string& client_id,
                                          const std::string& case_id = {}, bool all_fields = true);
  // Every request under way (one with a history: a draft has none) of `client_id`'s cases
  // ("" for every client the unlocked account may open), in the order added, with its
  // history, in one read. A request that does not read is left out, named in the store's
  // damage list when it has one (else the read fails); a history with an event that does not
  // read is left out whole and named in `histories.unreadable`.
  // `all_fields` false: only the custodian's name is unsealed, and no event's details.
  struct UnderWay {
    std::vector<core::RecordsRequest> requests;
    std::vector<long long> places;  // each request's rowid (the order added), as `requests`
    AllEvents histories;
  };
  core::StatusOr<UnderWay> underWay(const std::string& client_id, bool all_fields = true);
  // The statement underWay runs (Database::readAhead).
  Query underWayQuery(const std::string& client_id, bool all_fields);
  // The statement list(case_id) runs, after its check that the case is there, and the one
  // listAllEvents("", case_id) runs (Database::readAhead).
  static Query caseQuery(const std::string& case_id, bool all_fields = true) {
    return readQuery("r.case_id = ?", case_id, all_fields);
  }
  Query caseEventsQuery(const std::string& case_id) { return allEventsQuery("", case_id, true); }
  // Replaces a request's custodian, jurisdiction, reference and answers (its id, case and
  // creation time stay), checked like add and logged "request.edit". NotFound (field
  // "request_id"); nothing changes on failure.
  core::StatusOr<core::RecordsRequest> update(const core::RecordsRequest& request);
  // Replaces an event's day, channel, details and reply window (its id, request, type and
  // recording time stay), logged "request.event.edit". NotFound (field "event_id").
  core::StatusOr<core::RequestEvent> updateEvent(const core::RequestEvent& event);
  // One event, unsealed. NotFound (field "event_id").
  core::StatusOr<core::RequestEvent> getEvent(const std::string& id);
  // Deletes one event, logged "request.event.delete" (ids only). NotFound (field
  // "event_id").
  core::Status deleteEvent(const std::string& id);

 private:
  // `arg` is bound to every "?" of `where`.
  core::StatusOr<std::vector<core::RecordsRequest>> read(const std::string& where,
                                                         const std::string& arg,
                                                         bool all_fields = true);
  static Query readQuery(const std::string& where, const std::string& arg, bool all_fields);
  Query allEventsQuery(const std::string& client_id, const std::string& case_id, bool all_fields);
  // One request from the first columns of `row` (as readQuery selects them). Corruption
  // when it does not read.
  core::StatusOr<core::RecordsRequest> requestOf(const Row& row, bool all_fields);
  // The requests `q` (a readQuery) reads.
  core::StatusOr<std::vector<core::RecordsRequest>> readAll(const Query& q, bool all_fields);
  // The data key of the client a request belongs to. NotFound (field "request_id") when there
  // is no such request; Corruption when its case or client is missing.
  core::StatusOr<const SecretKey*> keyOfRequest(const std::string& request_id,
                                                std::string* case_id = nullptr);

  StoreParts p_;
};

}  // namespace recourse::store
