// Complaints to a licensing board, one per case. The answers the person reviewed are
// sealed under the client's key; the board, jurisdiction and filing date are not.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

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
  struct Filings {
    std::unordered_map<std::string, core::Complaint> by_case;
    std::map<std::string, std::string> case_client;
    std::set<std::string> unreadable;  // cases whose complaint did not read (named in damage)
  };
  core::StatusOr<Filings> filings(const std::string& client_id);

 private:
  StoreParts p_;
};

}  // namespace recourse::store
