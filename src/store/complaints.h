// Complaints to a licensing board, one per case. The answers the person reviewed are
// sealed under the client's key; the board, jurisdiction and filing date are not.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/entities.h"
#include "core/status.h"
#include "store/store_parts.h"

namespace recourse::store {

class ComplaintsRepo {
 public:
  explicit ComplaintsRepo(StoreParts parts) : p_(parts) {}

  // The contracts of Store::complaintOfCase and Store::saveComplaint.
  core::StatusOr<std::optional<core::Complaint>> ofCase(const std::string& case_id);
  core::StatusOr<core::Complaint> save(const core::Complaint& complaint);
  // Where the complaints of `client_id`'s cases ("" for every client the unlocked account may
  // open) went and when, without their answers (nothing is unsealed), in one read: by case
  // id (a case's first complaint), with each case's client. With a damage list set
  // (StoreParts), a complaint that does not read is named there and left out; otherwise
  // Corruption.
  // With each filed complaint's events, oldest first, without their notes (nothing is
  // unsealed); a case whose events do not read is named in damage and `unreadable`.
  struct Filings {
    std::unordered_map<std::string, core::Complaint> by_case;
    std::map<std::string, std::string> case_client;
    std::set<std::string> unreadable;  // cases whose complaint did not read (named in damage)
    std::unordered_map<std::string, std::vector<core::ComplaintEvent>> events_by_case;
  };
  core::StatusOr<Filings> filings(const std::string& client_id);
  // The statement ofCase runs, after its check that the case is there (Database::readAhead).
  static Query ofCaseQuery(const std::string& case_id);
  // The two reads filings makes, to send ahead (Database::readAhead).
  std::vector<Query> filingsQueries(const std::string& client_id);

  // The contracts of Store::addComplaintEvent, updateComplaintEvent, complaintEvent,
  // complaintEvents and deleteComplaintEvent.
  core::StatusOr<core::ComplaintEvent> addEvent(const core::ComplaintEvent& event);
  core::StatusOr<core::ComplaintEvent> updateEvent(const core::ComplaintEvent& event);
  core::StatusOr<core::ComplaintEvent> event(const std::string& id);
  core::StatusOr<std::vector<core::ComplaintEvent>> events(const std::string& complaint_id);
  core::Status deleteEvent(const std::string& id);

 private:
  StoreParts p_;
};

}  // namespace recourse::store
