// What happened in a case after the incidents, in one list: each records request's steps
// (sent, acknowledged, records received, refused, ...) and the complaint's (sent to the
// board, acknowledged, information asked for, the outcome, ...), in date order with the
// person's own notes. The timeline PDF (forms/timeline.json) prints it after the incidents,
// so one export holds the whole story of the case.
#pragma once

#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

struct CaseHistoryEntry {
  core::Date on;
  std::string what;   // plain words, third person: "The board asked for more information"
  std::string notes;  // the person's own notes on the step, as written ("" when none)
};

// The case's records requests and complaint, step by step, oldest first; steps of the same
// day keep their order within a request or the complaint, the requests' (in the order the
// requests were added) before the complaint's. Drafts never sent have no steps. NotFound about
// "case_id"; a record that does not read fails the whole (the store's error), so an export never
// silently leaves a step out.
core::StatusOr<std::vector<CaseHistoryEntry>> caseHistory(Services& s, const std::string& case_id);

}  // namespace recourse::service
