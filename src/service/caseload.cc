#include "service/caseload.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <vector>

#include "jurisdiction/complaint_tracking.h"
#include "service/people.h"
#include "store/store.h"

namespace recourse::service {

namespace {

std::string boardName(Services& s, const core::Complaint& c) {
  for (const auto* j : s.catalog.law().chain(c.jurisdiction)) {
    for (const auto& b : j->boards) {
      if (b.id == c.board_id) return b.name;
    }
  }
  return "";
}

bool isOverdue(const DeadlineItem& d) {
  return d.days_from_today < 0 &&
         (d.kind == DeadlineItem::Kind::kRecordsDue || d.kind == DeadlineItem::Kind::kNextStep ||
          d.kind == DeadlineItem::Kind::kComplaintDeadline);
}

// Whether a filed complaint has reached its end: decided (and any review of it answered) or
// withdrawn.
bool finishedComplaint(
    Services& s, const core::Complaint& c,
    const std::unordered_map<std::string, std::vector<core::ComplaintEvent>>& events_by_case,
    const core::Date& today) {
  static const std::vector<core::ComplaintEvent> kNone;
  auto steps = events_by_case.find(c.case_id);
  const auto match = s.catalog.law().boardById(c.board_id);
  const auto st = jurisdiction::deriveComplaintState(
      c, steps == events_by_case.end() ? kNone : steps->second, match.board,
      match.jurisdiction != nullptr ? match.jurisdiction->id : c.jurisdiction, s.catalog.law(),
      today);
  using jurisdiction::ComplaintStatus;
  return st.status == ComplaintStatus::kDecided || st.status == ComplaintStatus::kReviewDecided ||
         st.status == ComplaintStatus::kWithdrawn;
}

}  // namespace

core::StatusOr<Caseload> caseload(Services& s, int within_days) {
  if (within_days < 0 || within_days > 3650) {
    return core::invalidArgument("expected a number of days from 0 to 3650")
        .withField("within_days");
  }
  Caseload out;
  RECOURSE_ASSIGN_OR_RETURN(auto clients, listClients(s, &out.damaged));
  std::map<std::string, size_t> at;  // client id -> index in out.clients
  for (auto& c : clients) {
    at[c.id] = out.clients.size();
    CaseloadClient row;
    row.client = std::move(c);
    out.clients.push_back(std::move(row));
  }

  const core::Date today = s.clock.today();
  RECOURSE_ASSIGN_OR_RETURN(auto cases, listCases(s, ""));
  // Every case's complaint in one read (one that does not read is named in damaged, and its
  // case counted neither as open nor as waiting).
  RECOURSE_ASSIGN_OR_RETURN(auto complaints, s.store.complaintFilings("", &out.damaged));
  const auto& filings = complaints.by_case;
  for (const auto& k : cases) {
    auto row = at.find(k.client_id);
    if (row == at.end()) continue;  // a client that could not be read is named in damaged
    CaseloadClient& cl = out.clients[row->second];
    if (complaints.unreadable.count(k.id) != 0) continue;
    auto complaint = filings.find(k.id);
    if (complaint != filings.end() && complaint->second.filed_on &&
        finishedComplaint(s, complaint->second, complaints.events_by_case, today)) {
      continue;  // decided, withdrawn: neither waiting nor open
    }
    if (complaint != filings.end() && complaint->second.filed_on) {
      WaitingComplaint w;
      w.client_id = cl.client.id;
      w.client_name = cl.client.name;
      w.case_id = k.id;
      w.case_label = caseLabel(k);
      w.board = boardName(s, complaint->second);
      w.filed_on = *complaint->second.filed_on;
      w.days_waiting = static_cast<long>((today.days() - w.filed_on.days()).count());
      out.waiting.push_back(std::move(w));
      ++cl.complaints_waiting;
    } else {
      ++cl.open_cases;
    }
  }

  DeadlinesQuery q;
  q.within_days = within_days;
  RECOURSE_ASSIGN_OR_RETURN(auto items, listDeadlines(s, q, &out.damaged));
  for (auto& d : items) {
    auto row = at.find(d.client_id);
    if (d.kind == DeadlineItem::Kind::kNoDueDate) continue;
    if (isOverdue(d)) {
      if (row != at.end()) ++out.clients[row->second].overdue;
      out.overdue.push_back(std::move(d));
    } else if (d.days_from_today >= 0 || d.kind == DeadlineItem::Kind::kComplaintStep) {
      // A complaint's step whose day has come (a letter that can go now) stays in view.
      if (row != at.end()) {
        CaseloadClient& cl = out.clients[row->second];
        ++cl.due_this_week;
        if (!cl.next_due || d.date < *cl.next_due) cl.next_due = d.date;
      }
      out.due_soon.push_back(std::move(d));
    }
  }
  // listDeadlines gives soonest first: the longest overdue is first already.
  std::stable_sort(
      out.waiting.begin(), out.waiting.end(),
      [](const WaitingComplaint& a, const WaitingComplaint& b) { return a.filed_on < b.filed_on; });
  return out;
}

}  // namespace recourse::service
