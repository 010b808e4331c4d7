// A licensing board's time limit for complaints, applied to a case's incidents. ONE
// computation, used by the deadlines view, the complaint review and the complaint packet.
//
// The data gives the limit in years from "the act" (jurisdiction::ComplaintTimeLimit::years,
// e.g. California's BBS: 7 years after the act). An incident that is a single day has one
// act; a range or a recurring pattern is a run of acts, so its limit runs out in stages: the
// earliest part on (start + limit), the latest part on (end + limit). Whole months are
// counted (years x 12, rounded), and a day the month lacks becomes its last day
// (2020-02-29 + 1 year = 2021-02-28). An incident dated only in words ("spring 2019")
// counts from the earliest day the words allow (earliestPossibleDay), so its limit is never
// later than the law's: it is marked approximate. Incidents with no date at all have no
// limit date.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/notice.h"
#include "jurisdiction/model.h"

namespace recourse::service {

struct IncidentTimeLimit {
  const core::Incident* incident = nullptr;
  core::Date first_act;   // the incident's start
  core::Date last_act;    // its end (== first_act for a single day)
  core::Date first_ends;  // the limit for its earliest part
  core::Date ends;        // the limit for its latest part: after this, none of it is in time
  // The start is a best guess (flagged approximate, or only words were given): the limit
  // may end later than `ends`, never sooner.
  bool approximate = false;
  // The years that apply to it: the board's, or a longer exception's for its kinds of harm.
  double years = 0;
  const jurisdiction::TimeLimitException* exception = nullptr;
};

// The limit for each incident with a date or a date in words, soonest `ends` first. Empty when the
// board records no number of years. An incident of a kind the law sets no limit for (an
// exception with no_limit, e.g. sexual misconduct in Florida) has none and is left out; one
// of a kind with a longer period is counted with it. REQUIRES: `incidents` and `board`
// outlive the result.
std::vector<IncidentTimeLimit> complaintTimeLimits(const jurisdiction::Board& board,
                                                   const std::vector<core::Incident>& incidents);

// Plain notes for the person when incidents are near (within 90 days) or past the board's
// time limit, with its citation and an UNVERIFIED caution when the data could not confirm
// it (a notice of its own, after the first). Never a refusal: a board can sometimes act on
// older events. Empty when `board` is null or records no limit. Keys (notice.<key>):
// time_limit.summary {summary, citation}; time_limit.unconfirmed {caution};
// time_limit.past {count, oldest, summary, citation} (time_limit.past_approx when the oldest
// is dated in words: `oldest` is then those words, or its earliest day);
// time_limit.near {when, ends, days, summary, citation} (time_limit.near_approx likewise);
// time_limit.partly_past {count}; time_limit.no_limit {count, summary} for incidents of a
// kind the law sets no limit for.
std::vector<core::Notice> timeLimitWarnings(const jurisdiction::Board* board,
                                            const std::vector<core::Incident>& incidents,
                                            const core::Date& today);

}  // namespace recourse::service
