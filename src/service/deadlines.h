// What is due across every case of a vault, soonest first: records due from custodians, the
// next steps their state calls for (follow-up, review, escalation by a date), and each
// board's complaint time limit (service/time_limits.h). Also writes them as an iCalendar
// file any calendar app can import.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/notice.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

struct DeadlinesQuery {
  // Only what falls within this many days of today (0..3650); overdue items always show.
  std::optional<int> within_days;
  // Plan ahead: count as if today were this day (the vault's clock otherwise).
  std::optional<core::Date> as_of{};
  // Only this client's cases ("" for every client's).
  std::string client_id{};
};

struct DeadlineItem {
  // kNoDueDate: a request sent and not answered whose due date cannot be worked out (its
  // jurisdiction is one Recourse has no law for); `date` is then the day asked about and
  // `what` says why. Listed so that nothing open is silently left out.
  //
  // `what` keys: due.records {custodian}; due.next_step {step: the NextStep's key,
  // custodian, and the step's args}; due.time_limit {board, when, citation}
  // (due.time_limit_approx when the incident is dated in words: `when` is then those words,
  // or its earliest day); due.no_due {why: RequestState::no_due's key, custodian, and its
  // args}; due.complaint {step: the ComplaintStep's key, board, said: the step's own notice key,
  // and the step's args}.
  //
  // kComplaintDeadline: a time limit of the person's after filing (a reply the board asked
  // for, the last day to ask for a review): overdue once past, like a next step.
  // kComplaintStep: what to expect of the board by a day, or from when asking where things
  // stand makes sense: never overdue (a board that is late is not the person's doing).
  enum class Kind {
    kRecordsDue,
    kNextStep,
    kComplaintTimeLimit,
    kNoDueDate,
    kComplaintDeadline,
    kComplaintStep
  };
  Kind kind = Kind::kRecordsDue;
  core::Date date;
  core::Notice what;  // "Records due from Sunrise Counseling"
  std::string case_id;
  std::string ref;           // the request id, the case id for a time limit, or the complaint id
  bool verified = true;      // false when the rule behind the date is marked unverified
  long days_from_today = 0;  // negative when past
  std::string client_id{};
  std::string client_name{};  // whose case it is
  std::string case_label{};   // the case's title, else "about THERAPIST"
  std::string case_title{};   // the same as data: the title the person gave, if any,
  std::string therapist{};    // and the therapist's name
  std::string command{};      // a next step's letter, as it runs (suggestedLetterCommand)
};

// On success every item, soonest first (ties in the order found), each naming its client
// and case. On failure: InvalidArgument (field "within_days") for a window outside
// 0..3650; NotFound about "client_id" for an unknown client; the store's error
// (Unauthenticated, IOError, Corruption) as it is — never reported as "nothing due".
// With `damaged`, what cannot be read (a client, a case, a request, a case's incidents) is
// named there and everything else is listed, instead of failing the whole view.
core::StatusOr<std::vector<DeadlineItem>> listDeadlines(
    Services& s, const DeadlinesQuery& q, std::vector<std::string>* damaged = nullptr);

// The items as an RFC 5545 calendar (CRLF line ends, text escaped), one all-day event each,
// stamped with `stamp`.
std::string toICalendar(const std::vector<DeadlineItem>& items, core::Timestamp stamp);

}  // namespace recourse::service
