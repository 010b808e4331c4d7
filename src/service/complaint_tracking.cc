#include "service/complaint_tracking.h"

#include <algorithm>

#include "core/validation.h"
#include "service/case_overview.h"
#include "service/errors.h"
#include "store/store.h"

namespace recourse::service {
namespace {

using core::ComplaintEventType;

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The case's complaint and its events, with where it stands today.
core::StatusOr<TrackedComplaint> track(Services& s, const core::Case& kase) {
  TrackedComplaint t;
  t.case_id = kase.id;
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, s.store.complaintOfCase(kase.id));
  core::Complaint c;
  if (complaint) {
    c = std::move(*complaint);
    t.complaint_id = c.id;
    t.board_id = c.board_id;
    t.jurisdiction = c.jurisdiction;
    t.filed_on = c.filed_on;
    t.filed_via = c.filed_via;
    t.board_reference = c.board_reference;
    t.version = c.version;
    RECOURSE_ASSIGN_OR_RETURN(t.events, s.store.complaintEvents(c.id));
  }
  const jurisdiction::Registry& reg = s.catalog.law();
  auto match = reg.boardById(c.board_id);
  if (match.board != nullptr) {
    t.board_name = match.board->name;
    if (t.jurisdiction.empty()) t.jurisdiction = match.jurisdiction->id;
  }
  t.state = jurisdiction::deriveComplaintState(
      c, t.events, match.board,
      match.jurisdiction != nullptr ? match.jurisdiction->id : c.jurisdiction, reg,
      s.clock.today());
  return t;
}

core::StatusOr<core::Case> caseFor(Services& s, const std::string& case_id) {
  if (case_id.empty()) return core::invalidArgument("is required").withField("case_id");
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  return std::move(kase).value();
}

// The checks every event passes against the complaint's story (`others`: its other events,
// oldest first). `field_of_day` names the day's field in messages.
core::Status checkStory(Services& s, const core::Complaint& complaint,
                        const core::ComplaintEvent& e,
                        const std::vector<core::ComplaintEvent>& others) {
  if (s.clock.today() < e.on) return dayInFuture(e.on, "on");
  if (e.on < *complaint.filed_on) {
    return core::invalidArgument("is before the complaint was filed (" +
                                 complaint.filed_on->toString() +
                                 "); check the day, or correct the filing day first")
        .withField("on")
        .withReason("before_filing", {{"filed_on", complaint.filed_on->toString()}});
  }
  RECOURSE_RETURN_IF_ERROR(core::validateComplaintEvent(e));
  auto firstOf = [&](ComplaintEventType type) -> const core::ComplaintEvent* {
    for (const auto& o : others) {
      if (o.type == type && o.id != e.id) return &o;
    }
    return nullptr;
  };
  if (e.type == ComplaintEventType::kReviewRequested) {
    const core::ComplaintEvent* outcome = firstOf(ComplaintEventType::kOutcome);
    if (outcome == nullptr) {
      return core::invalidArgument(
                 "a review can only be asked for once the board's decision is recorded; record "
                 "the outcome first")
          .withField("type")
          .withReason("review_before_outcome");
    }
    if (e.on < outcome->on) {
      return core::invalidArgument("is before the decision (" + outcome->on.toString() + ")")
          .withField("on");
    }
  }
  if (e.type == ComplaintEventType::kReviewDecided) {
    const core::ComplaintEvent* asked = firstOf(ComplaintEventType::kReviewRequested);
    if (asked == nullptr) {
      return core::invalidArgument(
                 "a review's answer can only come after it was asked for; record the request "
                 "for a review first")
          .withField("type")
          .withReason("review_not_asked");
    }
    if (e.on < asked->on) {
      return core::invalidArgument("is before the review was asked for (" + asked->on.toString() +
                                   ")")
          .withField("on");
    }
  }
  return core::Status::ok();
}

core::StatusOr<core::ComplaintOutcome> outcomeNamed(const std::string& name) {
  auto o = core::parseComplaintOutcome(name);
  if (!o) {
    return core::invalidArgument("\"" + name.substr(0, 30) + "\" is not one of " +
                                 listed(core::complaintOutcomeNames()))
        .withField("outcome");
  }
  return *o;
}

}  // namespace

core::Status checkFilingDay(Services& s, const core::Complaint& complaint,
                            std::optional<core::Date> filed_on) {
  if (complaint.id.empty()) return core::Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.complaintEvents(complaint.id));
  if (!filed_on && !events.empty()) {
    return core::failedPrecondition(
               "what happened after filing is recorded (" + std::to_string(events.size()) +
               " step(s)); remove those first if the complaint was not sent after all")
        .withField("filed_on")
        .withReason("steps_recorded");
  }
  for (const auto& e : events) {
    if (filed_on && e.on < *filed_on) {
      return core::invalidArgument("is after a step recorded on " + e.on.toString() + " (" +
                                   core::complaintEventName(e.type) +
                                   "); a complaint is filed before the board answers it")
          .withField("filed_on")
          .withReason("after_event", {{"day", e.on.toString()}});
    }
  }
  return core::Status::ok();
}

core::StatusOr<TrackedComplaint> trackComplaint(Services& s, const std::string& case_id) {
  RECOURSE_ASSIGN_OR_RETURN(auto kase, caseFor(s, case_id));
  return track(s, kase);
}

core::StatusOr<TrackedComplaint> recordComplaintFiling(Services& s, const ComplaintFiling& in) {
  RECOURSE_ASSIGN_OR_RETURN(auto kase, caseFor(s, in.case_id));
  if (in.filed_on && in.clear_filed_on) {
    return core::invalidArgument("give a day or clear it, not both").withField("filed_on");
  }
  if (in.filed_on && s.clock.today() < *in.filed_on) return dayInFuture(*in.filed_on, "filed_on");
  RECOURSE_ASSIGN_OR_RETURN(auto existing, s.store.complaintOfCase(kase.id));
  core::Complaint c;
  if (existing) {
    c = std::move(*existing);
    if (in.clear_filed_on) RECOURSE_RETURN_IF_ERROR(checkFilingDay(s, c, std::nullopt));
    if (in.filed_on) RECOURSE_RETURN_IF_ERROR(checkFilingDay(s, c, in.filed_on));
  } else {
    // Filed without Recourse's packet: the board Recourse finds for the therapist.
    CaseBoards boards = boardsFor(s, kase, {});
    if (boards.boards.empty()) {
      return core::failedPrecondition(
                 "Recourse does not know which board licenses this therapist yet; add their "
                 "license type and where they are licensed to the case first")
          .withField("case_id")
          .withReason("no_board");
    }
    c.case_id = kase.id;
    c.board_id = boards.boards.front().board->id;
    c.jurisdiction = boards.boards.front().jurisdiction->id;
  }
  if (in.filed_on) c.filed_on = in.filed_on;
  if (in.clear_filed_on) c.filed_on.reset();
  if (in.filed_via) c.filed_via = *in.filed_via;
  if (in.board_reference) c.board_reference = *in.board_reference;
  if (in.version != 0) c.version = in.version;
  RECOURSE_RETURN_IF_ERROR(s.store.saveComplaint(c).status());
  return track(s, kase);
}

core::StatusOr<TrackedComplaint> recordComplaintEvent(Services& s, const NewComplaintEvent& in) {
  RECOURSE_ASSIGN_OR_RETURN(auto kase, caseFor(s, in.case_id));
  auto type = core::parseComplaintEvent(in.type);
  if (!type) {
    return core::invalidArgument((in.type.empty() ? std::string("is required")
                                                  : "\"" + in.type.substr(0, 30) +
                                                        "\" is not a step Recourse knows") +
                                 ": one of " + listed(core::complaintEventNames()))
        .withField("type");
  }
  if (!in.on) return core::invalidArgument("is required: the day it happened").withField("on");
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, s.store.complaintOfCase(kase.id));
  if (!complaint || !complaint->filed_on) {
    return core::failedPrecondition(
               "record the day the complaint was filed first; what happens after builds on it")
        .withField("case_id")
        .withReason("complaint_not_filed");
  }
  core::ComplaintEvent e;
  e.complaint_id = complaint->id;
  e.case_id = kase.id;
  e.type = *type;
  e.on = *in.on;
  e.reply_by = in.reply_by;
  if (!in.outcome.empty()) {
    RECOURSE_ASSIGN_OR_RETURN(e.outcome, outcomeNamed(in.outcome));
  }
  e.details = in.details;
  RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.complaintEvents(complaint->id));
  RECOURSE_RETURN_IF_ERROR(checkStory(s, *complaint, e, events));
  RECOURSE_RETURN_IF_ERROR(s.store.addComplaintEvent(e).status());
  return track(s, kase);
}

core::StatusOr<TrackedComplaint> editComplaintEvent(Services& s, const ComplaintEventEdit& in) {
  auto found = s.store.complaintEvent(in.event_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no complaint step with id " + in.event_id, "event_id");
  }
  core::ComplaintEvent e = std::move(found).value();
  if (in.on) e.on = *in.on;
  if (in.reply_by && in.clear_reply_by) {
    return core::invalidArgument("give a day or clear it, not both").withField("reply_by");
  }
  if (in.reply_by) e.reply_by = in.reply_by;
  if (in.clear_reply_by) e.reply_by.reset();
  if (in.outcome) {
    RECOURSE_ASSIGN_OR_RETURN(e.outcome, outcomeNamed(*in.outcome));
  }
  if (in.details) e.details = *in.details;
  e.version = in.version;
  RECOURSE_ASSIGN_OR_RETURN(auto kase, caseFor(s, e.case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, s.store.complaintOfCase(kase.id));
  if (!complaint || complaint->id != e.complaint_id || !complaint->filed_on) {
    return core::corruption("complaint step " + e.id + " names a complaint that cannot be read");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.complaintEvents(complaint->id));
  RECOURSE_RETURN_IF_ERROR(checkStory(s, *complaint, e, events));
  // What came after it in the story must still come after it.
  for (const auto& o : events) {
    const bool later_review = (e.type == ComplaintEventType::kOutcome &&
                               o.type == ComplaintEventType::kReviewRequested) ||
                              (e.type == ComplaintEventType::kReviewRequested &&
                               o.type == ComplaintEventType::kReviewDecided);
    if (later_review && o.on < e.on) {
      return core::invalidArgument("would come after the " +
                                   std::string(core::complaintEventName(o.type)) + " recorded on " +
                                   o.on.toString())
          .withField("on");
    }
  }
  RECOURSE_RETURN_IF_ERROR(s.store.updateComplaintEvent(e).status());
  return track(s, kase);
}

core::StatusOr<core::ComplaintEvent> showComplaintEvent(Services& s, const std::string& event_id) {
  auto found = s.store.complaintEvent(event_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no complaint step with id " + event_id, "event_id");
  }
  return found;
}

core::StatusOr<TrackedComplaint> deleteComplaintEvent(Services& s, const std::string& event_id) {
  auto found = s.store.complaintEvent(event_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no complaint step with id " + event_id, "event_id");
  }
  const core::ComplaintEvent e = std::move(found).value();
  RECOURSE_ASSIGN_OR_RETURN(auto kase, caseFor(s, e.case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.complaintEvents(e.complaint_id));
  auto count = [&](ComplaintEventType type) {
    return std::count_if(events.begin(), events.end(),
                         [&](const core::ComplaintEvent& o) { return o.type == type; });
  };
  auto blocked = [&](ComplaintEventType dependent, const std::string& what) -> core::Status {
    return core::failedPrecondition("the " + what + " recorded builds on it; remove that first")
        .withField("event_id")
        .withReason("step_needed", {{"step", core::complaintEventName(dependent)}});
  };
  if (e.type == ComplaintEventType::kOutcome && count(ComplaintEventType::kOutcome) == 1 &&
      count(ComplaintEventType::kReviewRequested) > 0) {
    return blocked(ComplaintEventType::kReviewRequested, "request for a review");
  }
  if (e.type == ComplaintEventType::kReviewRequested &&
      count(ComplaintEventType::kReviewRequested) == 1 &&
      count(ComplaintEventType::kReviewDecided) > 0) {
    return blocked(ComplaintEventType::kReviewDecided, "review's answer");
  }
  RECOURSE_RETURN_IF_ERROR(s.store.deleteComplaintEvent(event_id));
  return track(s, kase);
}

}  // namespace recourse::service
