// An advocate's or staff member's view across the people they help: each client who gave
// them access, what is due this week across all of them, the records requests past their
// due date, and the complaints filed and waiting on a board. Only clients the open account
// may open appear (the store filters every listing by access).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/entities.h"
#include "core/status.h"
#include "service/deadlines.h"
#include "service/services.h"

namespace recourse::service {

// A complaint sent to a board (its filed day recorded) on a case of one of the clients.
struct WaitingComplaint {
  std::string client_id;
  std::string client_name;
  std::string case_id;
  std::string case_label;  // caseLabel
  std::string board;       // the board's name ("" when Recourse no longer knows it)
  core::Date filed_on;
  long days_waiting = 0;
};

struct CaseloadClient {
  core::Client client;
  int open_cases = 0;     // cases whose complaint is not filed yet
  int due_this_week = 0;  // items due from today to `within_days` days on
  int overdue = 0;        // records due or next steps past their day
  int complaints_waiting = 0;
  std::optional<core::Date> next_due;  // the soonest item not yet past, if any
};

struct Caseload {
  std::vector<CaseloadClient> clients;    // oldest client first
  std::vector<DeadlineItem> due_soon;     // soonest first
  std::vector<DeadlineItem> overdue;      // longest overdue first
  std::vector<WaitingComplaint> waiting;  // longest waiting first
  std::vector<std::string> damaged;       // what could not be read, left out
};

// `within_days` (0..3650, 7 by default) is "this week". InvalidArgument about
// "within_days"; the store's error as it is (never an empty caseload for a failure).
core::StatusOr<Caseload> caseload(Services& s, int within_days = 7);

}  // namespace recourse::service
