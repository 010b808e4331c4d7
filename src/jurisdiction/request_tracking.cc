#include "jurisdiction/request_tracking.h"

#include <algorithm>

namespace recourse::jurisdiction {
namespace {

using core::RequestEventType;
using core::RequestStatus;

const core::RequestEvent* last(const std::vector<core::RequestEvent>& events,
                               RequestEventType type) {
  const core::RequestEvent* found = nullptr;
  for (const auto& e : events) {
    if (e.type == type) found = &e;
  }
  return found;
}

// The sent event that counts: the one recorded last.
const core::RequestEvent* countingSent(const std::vector<core::RequestEvent>& events) {
  const core::RequestEvent* sent = nullptr;
  for (const auto& e : events) {
    if (e.type == RequestEventType::kSent &&
        (sent == nullptr || !(e.recorded_at < sent->recorded_at))) {
      sent = &e;
    }
  }
  return sent;
}

// The escalation time limit counted from `start` (the day the person knew of the problem).
void addEscalation(const Registry& registry, const std::string& jurisdiction_id,
                   const core::Date& start, RequestState* state) {
  DeadlineInput in{start, {}, {}};
  auto esc = computeCombined(registry, jurisdiction_id, "escalation", in);
  NextStep step{"escalation-complaint", "Complain to the body that enforces the right of access",
                std::nullopt, ""};
  if (esc.isOk()) {
    const Deadline& d = esc->deadlines[esc->governing];
    const std::string body = d.label.substr(std::string("Complaint to ").size());
    step.by = d.due;
    step.label = "Complain to " + body;
    step.note = d.meta->source.citation + (d.meta->verified ? "" : " (not confirmed)");
    step.verified = d.meta->verified;
    step.key = /*step=*/"escalate";
    step.args = {{"body", body}, {"citation", d.meta->source.citation}};
  } else {
    step.note = "no time limit is recorded for this jurisdiction";
    step.key = /*step=*/"escalate_no_limit";
  }
  state->next.push_back(std::move(step));
}

}  // namespace

RequestState deriveRequestState(const std::string& jurisdiction_id,
                                const std::vector<core::RequestEvent>& events,
                                const Registry& registry, const core::Date& today,
                                core::RequestKind kind, const std::string& license_type) {
  const std::string rule = core::requestKindRule(kind);
  RequestState s;
  const core::RequestEvent* sent = countingSent(events);
  if (last(events, RequestEventType::kWithdrawn) != nullptr) {
    s.status = RequestStatus::kWithdrawn;
    return s;
  }
  if (last(events, RequestEventType::kClosed) != nullptr) {
    s.status = RequestStatus::kClosed;
    return s;
  }
  if (sent == nullptr) {
    s.status = RequestStatus::kDraft;
    s.next.push_back({core::requestKindForm(kind), "Send the request", std::nullopt,
                      "the legal deadline starts when they receive it", true, /*step=*/"send"});
    return s;
  }
  s.sent_on = sent->on;

  // The clock: from the day it was received, with a lawful extension and fee pauses.
  // A fee quoted and not yet paid stops the clock on the day it was quoted: the days left
  // then are kept, and there is no due date until the payment is recorded.
  DeadlineInput in{sent->on, {}, {}, license_type};
  if (const auto* ext = last(events, RequestEventType::kExtensionNotice))
    in.extension_notice = ext->on;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].type != RequestEventType::kFeeQuoted) continue;
    std::optional<core::Date> paid;
    for (size_t k = i + 1; k < events.size(); ++k) {
      if (events[k].type == RequestEventType::kFeePaid) {
        paid = events[k].on;
        break;
      }
    }
    if (!paid) {
      s.clock_stopped = true;
      s.stopped_on = events[i].on;
      break;
    }
    if (events[i].on < *paid) in.pauses.push_back({events[i].on, *paid, "waiting on a fee"});
  }
  auto combined = computeCombined(registry, jurisdiction_id, rule, in);
  if (combined.isOk() && s.clock_stopped) {
    const core::Date would_be = combined->deadlines[combined->governing].due;
    s.days_left = static_cast<long>((would_be.days() - s.stopped_on->days()).count());
    s.no_due = {/*notice=*/"no_due.fee_unpaid", {}, "the clock is stopped until the fee is paid"};
  } else if (combined.isOk()) {
    s.due = combined->deadlines[combined->governing].due;
    s.deadline = std::move(combined).value();
    s.days_left = static_cast<long>((s.due->days() - today.days()).count());
  } else if (registry.find(jurisdiction_id) == nullptr) {
    s.no_due = jurisdiction_id.empty()
                   ? core::Notice{/*notice=*/"no_due.no_jurisdiction",
                                  {},
                                  "the case names no jurisdiction, so Recourse has no law to "
                                  "count from"}
                   : core::Notice{/*notice=*/"no_due.no_law",
                                  {{"jurisdiction", jurisdiction_id}},
                                  "Recourse has no law for " + jurisdiction_id};
  } else {
    s.no_due = {/*notice=*/"no_due.no_rule",
                {{"detail", combined.status().message()}},
                combined.status().message()};
  }

  // The newest follow-up's reply window.
  if (const auto* f = last(events, RequestEventType::kFollowUpSent)) {
    const int window = f->reply_within_days > 0 ? f->reply_within_days : kDefaultFollowupReplyDays;
    s.followup_sent_on = f->on;
    s.followup_reply_by = addDays(f->on, window);
    // Part of the records coming after the follow-up is its reply: what is still missing
    // can be asked for at once.
    const auto* part = last(events, RequestEventType::kReceivedPartial);
    const bool answered = part != nullptr && !(part->on < f->on);
    s.awaiting_followup_reply = !answered && !(*s.followup_reply_by < today);
  }

  // A correction made (or an addendum attached) answers a correction request in full.
  const bool complete = last(events, RequestEventType::kReceivedComplete) != nullptr ||
                        last(events, RequestEventType::kAmended) != nullptr;
  const auto* denied = last(events, RequestEventType::kDenied);
  const bool partial = last(events, RequestEventType::kReceivedPartial) != nullptr;
  const bool escalated = last(events, RequestEventType::kEscalated) != nullptr;
  const bool overdue = s.due && *s.due < today;
  bool extended = false;
  if (s.deadline) {
    const Deadline& gov = s.deadline->deadlines[s.deadline->governing];
    extended = gov.extension_applied;
  }

  if (complete) {
    s.status = RequestStatus::kFulfilled;
  } else if (escalated) {
    s.status = RequestStatus::kEscalated;
  } else if (denied != nullptr) {
    s.status = RequestStatus::kDenied;
    if (kind == core::RequestKind::kAccess) {
      s.next.push_back({"denial-review", "Ask for the refusal to be reviewed", std::nullopt,
                        "the law may let you have another professional review or receive it", true,
                        /*step=*/"review"});
    } else if (kind == core::RequestKind::kAmendment &&
               last(events, RequestEventType::kDisagreementSent) == nullptr) {
      s.next.push_back({"records-disagreement", "Send a statement of disagreement", std::nullopt,
                        "the law lets you have your own account kept with the record", true,
                        /*step=*/"disagreement"});
    }
    addEscalation(registry, jurisdiction_id, denied->on, &s);
  } else if (partial) {
    s.status = RequestStatus::kPartiallyFulfilled;
    if (overdue && !s.awaiting_followup_reply) {
      s.next.push_back({"records-followup",
                        "Ask for the missing part",
                        std::nullopt,
                        "the answer was due on " + s.due->toString(),
                        true,
                        /*step=*/"missing_part",
                        {{"due", s.due->toString()}}});
    }
  } else if (overdue) {
    s.status = RequestStatus::kOverdue;
    if (!s.awaiting_followup_reply) {
      s.next.push_back(
          {"records-followup",
           s.followup_sent_on ? "Send another follow-up letter" : "Send a follow-up letter",
           std::nullopt,
           "the answer was due on " + s.due->toString() +
               (s.followup_sent_on
                    ? "; the reply to your follow-up was due on " + s.followup_reply_by->toString()
                    : ""),
           true, s.followup_sent_on ? /*step=*/"followup_again" : /*step=*/"followup",
           s.followup_sent_on ? core::Notice::Args{{"due", s.due->toString()},
                                                   {"reply_by", s.followup_reply_by->toString()}}
                              : core::Notice::Args{{"due", s.due->toString()}}});
    }
    addEscalation(registry, jurisdiction_id, addDays(*s.due, 1), &s);
  } else if (extended) {
    s.status = RequestStatus::kExtended;
  } else {
    s.status = RequestStatus::kAwaiting;
  }
  return s;
}

std::string requestHistoryKey(const std::vector<core::RequestEvent>& events) {
  // Per event: its type, its day, the reply window it gave; '*' on the sent one that counts
  // (which depends on when each was recorded, read nowhere else).
  const core::RequestEvent* sent = countingSent(events);
  std::string key;
  key.reserve(events.size() * 16);
  for (const auto& e : events) {
    key += std::to_string(static_cast<int>(e.type));
    key += ':';
    key += std::to_string(e.on.days().time_since_epoch().count());
    key += ':';
    key += std::to_string(e.reply_within_days);
    key += &e == sent ? "*;" : ";";
  }
  return key;
}

}  // namespace recourse::jurisdiction
