// A licensing board's time limit for complaints, applied to a case's incidents. ONE
// computation, used by the deadlines view, the complaint review and the complaint packet.
//
// The data gives the limit in years from "the act" (jurisdiction::ComplaintTimeLimit::years,
// e.g. California's BBS: 7 years after the act). An incident that is a single day has one
// act; a range or a recurring pattern is a run of acts, so its limit runs out in stages: the
// earliest part on (start + limit), the latest part on (end + limit). Whole months are
// counted (years x 12, rounded), and a day the month lacks becomes its last day
// (2020-02-29 + 1 year = 2021-02-28). Undated incidents have no limit date.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "jurisdiction/model.h"

namespace recourse::service {

struct IncidentTimeLimit {
  const core::Incident* incident = nullptr;
  core::Date first_act;   // the incident's start
  core::Date last_act;    // its end (== first_act for a single day)
  core::Date first_ends;  // the limit for its earliest part
  core::Date ends;        // the limit for its latest part: after this, none of it is in time
};

// The limit for each dated incident, soonest `ends` first. Empty when the board records no
// number of years. REQUIRES: `incidents` outlives the result.
std::vector<IncidentTimeLimit> complaintTimeLimits(const jurisdiction::Board& board,
                                                   const std::vector<core::Incident>& incidents);

// Plain notes for the person when incidents are near (within 90 days) or past the board's
// time limit, with its citation and an UNVERIFIED caution when the data could not confirm
// it. Never a refusal: a board can sometimes act on older events. Empty when `board` is null
// or records no limit.
std::vector<std::string> timeLimitWarnings(const jurisdiction::Board* board,
                                           const std::vector<core::Incident>& incidents,
                                           const core::Date& today);

}  // namespace recourse::service
