#include "service/deadlines.h"

#include <algorithm>
#include <unordered_map>

#include "jurisdiction/complaint_tracking.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/request_tracking.h"
#include "service/errors.h"
#include "service/letter.h"
#include "service/people.h"
#include "service/time_limits.h"
#include "store/store.h"

namespace recourse::service {
namespace {

// RFC 5545 text escaping.
std::string icsText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string icsDate(const core::Date& d) {
  std::string s = d.toString();
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

}  // namespace

core::StatusOr<std::vector<DeadlineItem>> listDeadlines(Services& s, const DeadlinesQuery& q,
                                                        std::vector<std::string>* damaged) {
  if (q.within_days && (*q.within_days < 0 || *q.within_days > 3650)) {
    return core::invalidArgument("expected a number of days from 0 to 3650")
        .withField("within_days");
  }
  const core::Date today = q.as_of.value_or(s.clock.today());
  const jurisdiction::Registry& reg = s.catalog.law();
  std::vector<DeadlineItem> items;

  // Only the fields this view shows are unsealed: thousands of records, most of whose
  // narratives and addresses it never shows.
  using Fields = store::Store::Fields;
  std::unordered_map<std::string, std::string> client_names;
  if (!q.client_id.empty()) {
    auto client = s.store.getClient(q.client_id);
    if (!client.isOk()) {
      return notFoundAs(client.status(), "no client with id " + q.client_id, "client_id");
    }
    client_names.emplace(client->id, client->name);
  } else {
    // The five reads below go to an organization database at once, the most to open first
    // and what is needed only at the end last, so that the server answers the later ones
    // while this side opens the first and works out the due dates.
    s.store.readAheadCaseload(Fields::kSummary);
  }
  // Whatever of it a view that ends early did not read is dropped when it ends.
  struct EndReadAhead {
    store::Store& store;
    ~EndReadAhead() { store.endReadAhead(); }
  } end_read_ahead{s.store};
  // Every case's incidents and every request under way with its history (drafts have
  // nothing due), not read one case or request at a time: an advocate's view spans thousands
  // of records. Kept by the store as one sealed digest per client between views.
  RECOURSE_ASSIGN_OR_RETURN(auto inputs, s.store.deadlineInputs(q.client_id, damaged));
  const auto& incidents = inputs.incidents;
  const auto& requests = inputs.under_way.requests;
  const auto& histories = inputs.under_way.histories;
  RECOURSE_ASSIGN_OR_RETURN(auto cases, s.store.listCases(q.client_id, damaged, Fields::kSummary));
  std::unordered_map<std::string, const core::Case*> by_id;  // thousands of requests
  by_id.reserve(cases.size());
  for (const auto& c : cases) by_id.emplace(c.id, &c);
  auto caseOf = [&](const std::string& id) -> const core::Case* {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : it->second;
  };
  const auto& events_of = histories.by_request;
  const auto& incidents_of = incidents.by_case;
  // What could not be read counts only where this view needed it: named in `damaged`, or,
  // without it, the view's error (as reading that one record was before).
  auto unreadable = [&](const std::string& what) -> core::Status {
    if (damaged == nullptr) return core::corruption(what);
    damaged->push_back(what);
    return core::Status::ok();
  };
  const std::vector<core::RequestEvent> no_events;
  // Mostly one or two for each request under way, one for each case: grown in place, not
  // moved item by item each time the list outgrows its space.
  items.reserve(2 * requests.size() + cases.size());
  std::unordered_map<std::string, std::string> licenses;
  // Requests sent the same day to the same place are worked out once.
  std::unordered_map<std::string, jurisdiction::RequestState> states;
  std::unordered_map<std::string, const jurisdiction::Board*> boards_by;
  for (const auto& r : requests) {
    if (auto bad = histories.unreadable.find(r.id); bad != histories.unreadable.end()) {
      RECOURSE_RETURN_IF_ERROR(unreadable(bad->second));
      continue;
    }
    auto found = events_of.find(r.id);
    const auto& events = found == events_of.end() ? no_events : found->second;
    const core::Case* kase = caseOf(r.case_id);
    if (kase == nullptr && !q.client_id.empty()) continue;  // another client's request
    if (kase == nullptr && damaged != nullptr) {
      damaged->push_back("request " + r.id + " (its case " + r.case_id + " cannot be read)");
      continue;
    }
    if (kase == nullptr) {
      return core::corruption("records request " + r.id + " names case " + r.case_id +
                              ", which cannot be read");
    }
    std::string jid = r.jurisdiction.empty() ? kase->provider.jurisdiction : r.jurisdiction;
    // Worked out once per license and place: the same few recur across thousands of requests.
    auto [license, fresh] = licenses.try_emplace(kase->provider.license_type + '\n' + jid);
    if (fresh) license->second = reg.resolveLicense(kase->provider.license_type, jid);
    std::string state_key = jid + '\n' + license->second + '\n' + core::requestKindName(r.kind) +
                            '\n' + jurisdiction::requestHistoryKey(events);
    auto [cached, computed] = states.try_emplace(std::move(state_key));
    if (computed) {
      cached->second =
          jurisdiction::deriveRequestState(jid, events, reg, today, r.kind, license->second);
    }
    const jurisdiction::RequestState& st = cached->second;
    using core::RequestStatus;
    if (st.due && (st.status == RequestStatus::kAwaiting || st.status == RequestStatus::kExtended ||
                   st.status == RequestStatus::kOverdue)) {
      const auto& gov = st.deadline->deadlines[st.deadline->governing];
      // Said by what was asked for: the records, an answer to a correction, a list.
      core::Notice what =
          r.kind == core::RequestKind::kAmendment
              ? core::Notice{/*notice=*/"due.amendment",
                             {{"custodian", r.custodian_name}},
                             "Answer to your correction request due from " + r.custodian_name}
          : r.kind == core::RequestKind::kAccounting
              ? core::Notice{/*notice=*/"due.accounting",
                             {{"custodian", r.custodian_name}},
                             "List of disclosures due from " + r.custodian_name}
          : r.kind == core::RequestKind::kClaims
              ? core::Notice{/*notice=*/"due.claims",
                             {{"custodian", r.custodian_name}},
                             "Claims records due from " + r.custodian_name}
              : core::Notice{/*notice=*/"due.records",
                             {{"custodian", r.custodian_name}},
                             "Records due from " + r.custodian_name};
      items.push_back({DeadlineItem::Kind::kRecordsDue, *st.due, std::move(what), r.case_id, r.id,
                       gov.dueVerified()});
    }
    for (const auto& n : st.next) {
      if (n.by) {
        core::Notice::Args args{{"step", n.key}};
        args.insert(args.end(), n.args.begin(), n.args.end());
        args.emplace_back("custodian", r.custodian_name);
        items.push_back({DeadlineItem::Kind::kNextStep,
                         *n.by,
                         {/*notice=*/"due.next_step", std::move(args),
                          n.label + " (request to " + r.custodian_name + ")"},
                         r.case_id,
                         r.id,
                         n.verified});
        items.back().command = suggestedLetterCommand(r.id, n.form);
      }
    }
    const bool open = st.status == RequestStatus::kAwaiting ||
                      st.status == RequestStatus::kExtended || st.status == RequestStatus::kOverdue;
    if (open && !st.due) {
      core::Notice::Args args{{"why", st.no_due.key}};
      args.insert(args.end(), st.no_due.args.begin(), st.no_due.args.end());
      args.emplace_back("custodian", r.custodian_name);
      items.push_back(
          {DeadlineItem::Kind::kNoDueDate,
           today,
           {/*notice=*/"due.no_due", std::move(args),
            "No due date for the request to " + r.custodian_name + ": " + st.no_due.text},
           r.case_id,
           r.id,
           true});
    }
  }
  for (const auto& c : cases) {
    // Found once per place and license: the same few recur across hundreds of cases.
    auto [found_board, fresh_board] =
        boards_by.try_emplace(c.provider.jurisdiction + '\n' + c.provider.license_type, nullptr);
    if (fresh_board) {
      auto boards = reg.findBoards(c.provider.jurisdiction, c.provider.license_type);
      if (boards.isOk()) found_board->second = (*boards)[0].board;
    }
    // No board known: nothing to count (the case page says so).
    if (found_board->second == nullptr) continue;
    const jurisdiction::Board& b = *found_board->second;
    if (!b.complaint_time_limit || !b.complaint_time_limit->years) continue;
    if (auto bad = incidents.unreadable.find(c.id); bad != incidents.unreadable.end()) {
      RECOURSE_RETURN_IF_ERROR(unreadable(bad->second));
      continue;
    }
    auto listed = incidents_of.find(c.id);
    if (listed == incidents_of.end()) continue;  // none
    const auto& incidents = listed->second;
    auto limits = complaintTimeLimits(b, incidents);
    if (limits.empty()) continue;
    // The next limit to run out; when every one has, the last that did.
    const IncidentTimeLimit* shown = &limits.back();
    for (const auto& l : limits) {
      if (!(l.ends < today)) {
        shown = &l;
        break;
      }
    }
    const auto& meta = b.complaint_time_limit->meta;
    const bool words = shown->approximate && !shown->incident->date_text.empty();
    const std::string when = words ? shown->incident->date_text : shown->last_act.toString();
    items.push_back(
        {DeadlineItem::Kind::kComplaintTimeLimit,
         shown->ends,
         {shown->approximate ? /*notice=*/"due.time_limit_approx" : /*notice=*/"due.time_limit",
          {{"board", b.name}, {"when", when}, {"citation", meta.source.citation}},
          b.name + ": time limit for the incident " +
              (shown->approximate ? "in " + when + " (counted from its earliest possible day, " +
                                        shown->last_act.toString() + ")"
                                  : "of " + when) +
              " (" + meta.source.citation + ")"},
         c.id,
         c.id,
         meta.verified});
  }
  if (q.client_id.empty()) {
    RECOURSE_ASSIGN_OR_RETURN(auto clients, s.store.listClients(damaged, Fields::kSummary));
    for (auto& c : clients) client_names.emplace(c.id, std::move(c.name));
  }
  // After filing: what the person must do by a day, and what to expect of the board.
  RECOURSE_ASSIGN_OR_RETURN(auto filings, s.store.complaintFilings(q.client_id, damaged));
  const std::vector<core::ComplaintEvent> no_steps;
  for (const auto& [case_id, complaint] : filings.by_case) {
    if (!complaint.filed_on || caseOf(case_id) == nullptr) continue;
    auto steps = filings.events_by_case.find(case_id);
    const auto match = reg.boardById(complaint.board_id);
    const auto state = jurisdiction::deriveComplaintState(
        complaint, steps == filings.events_by_case.end() ? no_steps : steps->second, match.board,
        match.jurisdiction != nullptr ? match.jurisdiction->id : complaint.jurisdiction, reg,
        today);
    const std::string board = match.board != nullptr ? match.board->name : "the board";
    for (const auto& step : state.next) {
      if (!step.by) continue;
      // A first reply the board let pass is followed by the offer of a letter asking where
      // things stand, which is what the list shows from then on.
      if (step.key == "first_reply" && *step.by < today) continue;
      // `said`: the step's own notice, which front ends say in their words.
      core::Notice::Args args{{"step", step.key}, {"board", board}, {"said", step.what.key}};
      args.insert(args.end(), step.what.args.begin(), step.what.args.end());
      items.push_back({step.deadline ? DeadlineItem::Kind::kComplaintDeadline
                                     : DeadlineItem::Kind::kComplaintStep,
                       *step.by,
                       {/*notice=*/"due.complaint", std::move(args), step.what.text},
                       case_id,
                       complaint.id,
                       step.verified});
      if (!step.form.empty()) items.back().command = suggestedComplaintLetterCommand(case_id);
    }
  }
  for (auto& it : items) {
    const core::Case* kase = caseOf(it.case_id);
    if (kase == nullptr) continue;
    it.client_id = kase->client_id;
    auto name = client_names.find(kase->client_id);
    if (name != client_names.end()) it.client_name = name->second;
    it.case_label = caseLabel(*kase);
    it.case_title = kase->title;
    it.therapist = kase->provider.name;
  }
  // Sorted by moving small indexes, not the items themselves (thousands, each many strings).
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return items[x].date < items[y].date; });
  std::vector<DeadlineItem> sorted;
  sorted.reserve(items.size());
  for (size_t i : order) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
  if (q.within_days) {
    core::Date limit = jurisdiction::addDays(today, *q.within_days);
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const DeadlineItem& it) { return limit < it.date; }),
                items.end());
  }
  for (auto& it : items) it.days_from_today = (it.date.days() - today.days()).count();
  return items;
}

std::string toICalendar(const std::vector<DeadlineItem>& items, core::Timestamp stamp) {
  std::string t = core::formatTimestamp(stamp);
  t.erase(std::remove_if(t.begin(), t.end(), [](char ch) { return ch == '-' || ch == ':'; }),
          t.end());
  std::string f = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Recourse//Deadlines//EN\r\n";
  for (const auto& it : items) {
    if (it.kind == DeadlineItem::Kind::kNoDueDate) continue;  // no date to put in a calendar
    const std::string whose =
        it.client_name.empty() ? "" : " — " + it.client_name + ", " + it.case_label;
    f += "BEGIN:VEVENT\r\nUID:" + it.ref + "-" + icsDate(it.date) + "@recourse.local\r\n" +
         "DTSTAMP:" + t + "\r\nDTSTART;VALUE=DATE:" + icsDate(it.date) + "\r\n" +
         "DTEND;VALUE=DATE:" + icsDate(jurisdiction::addDays(it.date, 1)) + "\r\n" +
         "SUMMARY:" + icsText(it.what.text + (it.verified ? "" : " (rule not confirmed)") + whose) +
         "\r\nEND:VEVENT\r\n";
  }
  f += "END:VCALENDAR\r\n";
  return f;
}

}  // namespace recourse::service
