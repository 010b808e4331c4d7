#include "service/case_overview.h"

#include <algorithm>
#include <map>

#include "service/errors.h"
#include "service/incidents.h"
#include "service/letters.h"
#include "service/time_limits.h"
#include "store/store.h"

namespace recourse::service {

const char* taskStatusName(TaskStatus s) {
  switch (s) {
    case TaskStatus::kNotStarted:
      return "not_started";
    case TaskStatus::kInProgress:
      return "in_progress";
    case TaskStatus::kCompleted:
      return "completed";
    case TaskStatus::kCannotStart:
      return "cannot_start";
  }
  return "not_started";
}

CaseBoards boardsFor(Services& s, const core::Case& kase,
                     const std::vector<core::Incident>& incidents) {
  CaseBoards out;
  const core::Provider& p = kase.provider;
  if (p.license_type.empty()) {
    out.missing = "license_type";
    return out;
  }
  if (p.jurisdiction.empty()) {
    out.missing = "jurisdiction";
    return out;
  }
  auto found = s.catalog.law().findBoards(p.jurisdiction, p.license_type);
  if (!found.isOk()) {
    out.missing = "no_board";
    out.note = found.status().message();
    return out;
  }
  for (const auto& m : *found) {
    out.boards.push_back({m.board, m.jurisdiction, postalLines(m.board->address)});
  }
  out.warnings = timeLimitWarnings(out.boards.front().board, incidents, s.clock.today());
  return out;
}

namespace {

bool finished(core::RequestStatus st) {
  return st == core::RequestStatus::kFulfilled || st == core::RequestStatus::kClosed ||
         st == core::RequestStatus::kWithdrawn;
}

}  // namespace

core::StatusOr<CaseOverview> caseOverview(Services& s, const std::string& case_id) {
  // The page's reads logged together, in one write (before it is shown).
  store::Store::HeldReads held(s.store);
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  CaseOverview out;
  out.kase = std::move(kase).value();
  // The page's other reads go to an organization database at once (one wait, not seven);
  // whatever of them a page that ends early did not read is dropped when it ends.
  s.store.readAheadCase(out.kase);
  struct EndReadAhead {
    store::Store& store;
    ~EndReadAhead() { store.endReadAhead(); }
  } end_read_ahead{s.store};
  RECOURSE_ASSIGN_OR_RETURN(out.client, s.store.getClient(out.kase.client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto incidents, s.store.listIncidents(case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto evidence, s.store.listEvidence(case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto requests, s.store.listRequests(case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, s.store.complaintOfCase(case_id));
  out.boards = boardsFor(s, out.kase, incidents);

  const core::Provider& p = out.kase.provider;
  const bool licensed_known = !p.license_type.empty() && !p.jurisdiction.empty();
  out.tasks.push_back(
      {"therapist", licensed_known ? TaskStatus::kCompleted : TaskStatus::kInProgress, 0, ""});
  RECOURSE_ASSIGN_OR_RETURN(auto done, s.store.tasksDone(case_id));
  auto counted = [&done](const char* task, size_t n) {
    if (std::find(done.begin(), done.end(), task) != done.end()) return TaskStatus::kCompleted;
    return n == 0 ? TaskStatus::kNotStarted : TaskStatus::kInProgress;
  };
  out.tasks.push_back({"incidents", counted("incidents", incidents.size()), incidents.size(), ""});
  out.tasks.push_back({"evidence", counted("evidence", evidence.size()), evidence.size(), ""});

  CaseTask records{"records", TaskStatus::kNotStarted, requests.size(), ""};
  if (!requests.empty()) {
    records.status = TaskStatus::kCompleted;
    const core::Date today = s.clock.today();
    // Every request's history in one read, the license worked out once per place.
    RECOURSE_ASSIGN_OR_RETURN(auto histories, s.store.requestEventsOfCase(case_id));
    // A history that does not read is this page's error, as reading it alone was.
    if (!histories.unreadable.empty()) {
      return core::corruption(histories.unreadable.begin()->second);
    }
    const auto& events_of = histories.by_request;
    std::map<std::string, std::string> licenses;
    const std::vector<core::RequestEvent> no_events;
    for (const auto& r : requests) {
      auto found = events_of.find(r.id);
      const auto& events = found == events_of.end() ? no_events : found->second;
      const std::string jid = r.jurisdiction.empty() ? p.jurisdiction : r.jurisdiction;
      auto [license, fresh] = licenses.try_emplace(jid);
      if (fresh) license->second = s.catalog.law().resolveLicense(p.license_type, jid);
      auto state = jurisdiction::deriveRequestState(jid, events, s.catalog.law(), today, r.kind,
                                                    license->second);
      if (!finished(state.status)) records.status = TaskStatus::kInProgress;
    }
  }
  out.tasks.push_back(records);

  CaseTask complaint_task{"complaint", TaskStatus::kNotStarted, 0, ""};
  if (out.boards.boards.empty()) {
    complaint_task.status = TaskStatus::kCannotStart;
    complaint_task.missing = out.boards.missing;
  } else if (complaint && complaint->filed_on) {
    complaint_task.status = TaskStatus::kCompleted;
  } else if (complaint) {
    complaint_task.status = TaskStatus::kInProgress;
  }
  out.tasks.push_back(complaint_task);
  s.store.endReadAhead();  // before the reads are logged
  RECOURSE_RETURN_IF_ERROR(held.write());
  return out;
}

core::Status markTaskDone(Services& s, const std::string& case_id, const std::string& task,
                          bool done) {
  if (task != "incidents" && task != "evidence") {
    return core::invalidArgument(
               "must be incidents or evidence (the other parts of a case "
               "are completed by what is in them)")
        .withField("task");
  }
  return s.store.markTaskDone(case_id, task, done);
}

}  // namespace recourse::service
