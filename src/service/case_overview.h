// Where a case stands, for a page that lists its parts as tasks ("About the therapist",
// "What happened", "Evidence", "Get your records", "Complain to the board"), and the board
// that licenses the therapist. Every front end shows the same statuses because they are
// worked out here, from what is stored, and nowhere else.
#pragma once

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/notice.h"
#include "core/status.h"
#include "jurisdiction/model.h"
#include "service/services.h"

namespace recourse::service {

enum class TaskStatus { kNotStarted, kInProgress, kCompleted, kCannotStart };
// "not_started", "in_progress", "completed", "cannot_start".
const char* taskStatusName(TaskStatus s);

struct CaseTask {
  std::string id;  // "therapist", "incidents", "evidence", "records", "complaint"
  TaskStatus status = TaskStatus::kNotStarted;
  size_t count = 0;     // incidents, evidence items, records requests; 0 otherwise
  std::string missing;  // for kCannotStart: what is needed first ("license_type", ...)
};

// One board that licenses the therapist, with what a person needs to reach it.
struct FoundBoard {
  const jurisdiction::Board* board = nullptr;
  const jurisdiction::Jurisdiction* jurisdiction = nullptr;
  std::vector<std::string> address_lines;  // postalLines of its address
};

struct CaseBoards {
  std::vector<FoundBoard> boards;  // empty when none could be found
  // Why none was found: "license_type" or "jurisdiction" when the case lacks it (the
  // person can add it); "no_board" when Recourse knows of no board for that license there.
  std::string missing;
  std::string note;  // the finder's own words when missing == "no_board"
  // The complaint time limit against the case's incidents (timeLimitWarnings): notes, never
  // a refusal.
  std::vector<core::Notice> warnings;
};

// REQUIRES: `kase` and `incidents` belong together. Never fails: a board not found is
// said in `missing`.
CaseBoards boardsFor(Services& s, const core::Case& kase,
                     const std::vector<core::Incident>& incidents);

struct CaseOverview {
  core::Case kase;
  core::Client client;
  std::vector<CaseTask> tasks;  // in the order above
  CaseBoards boards;
};

// The case, whose it is, its tasks and its board. NotFound about "case_id".
//
// Statuses: the therapist is completed once the license type and the place that issued it
// are known (the board can be looked for), else in progress. What happened, evidence:
// completed once the person has said they have finished it (markTaskDone), else not
// started with none and in progress with some. Records: not started with no request, completed
// when every request has reached an end (fulfilled, closed, withdrawn), else in progress.
// The complaint cannot start until the board is found; then not started until its answers
// are first saved, completed once it is filed, else in progress.
core::StatusOr<CaseOverview> caseOverview(Services& s, const std::string& case_id);

// Records that the person has finished a part of their case, or (done false) that they
// have not after all. Only "incidents" and "evidence" are theirs to mark: the other tasks
// follow from what is stored. InvalidArgument about "task"; NotFound about "case_id".
core::Status markTaskDone(Services& s, const std::string& case_id, const std::string& task,
                          bool done);

}  // namespace recourse::service
