// Complaints to a licensing board, one per case. The answers the person reviewed are
// sealed under the client's key; the board, jurisdiction and filing date are not.
#pragma once

#include <optional>
#include <string>

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

 private:
  StoreParts p_;
};

}  // namespace recourse::store
