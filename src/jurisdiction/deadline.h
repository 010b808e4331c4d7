// The deadline engine: when a provider's answer (or a person's complaint) is due, and why.
//
// Counting follows the usual legal convention: the start day is day 0 and the count begins
// the next day. Calendar days count every day; business days skip weekends and the
// jurisdiction's holidays (observed days included). A calendar-month rule lands on the
// same day of the month (or the month's last day when there is none). When the rule says
// so, a due date on a closed day moves to the next working day. Paused days do not count.
// The engine never asks for the current date: callers pass every date in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/notice.h"
#include "core/status.h"
#include "jurisdiction/holidays.h"
#include "jurisdiction/model.h"
#include "jurisdiction/registry.h"

namespace recourse::jurisdiction {

// The clock stops after `from` and restarts after `until`: the days from+1 .. until are not
// counted (e.g. from the day a fee was quoted to the day it was paid).
struct Pause {
  core::Date from;
  core::Date until;
  std::string reason;
};

struct DeadlineInput {
  core::Date start;                            // the day the request was received (or sent)
  std::optional<core::Date> extension_notice;  // when written notice of an extension came
  std::vector<Pause> pauses;
  // The provider's license type (a vocabulary id), when known: a time limit the law sets
  // for those licenses only (RecordsAccess::provider_responses) then counts too.
  std::string license_type{};
};

struct SkippedDay {
  enum class Kind { kWeekend, kHoliday, kPaused };
  core::Date date;
  std::string reason;  // "Saturday", "Memorial Day", "clock paused: fee quoted"
  // The same as data: why the day did not count, the holiday's name or the pause's reason,
  // and whether it is the due date moving to the next working day (a closed day).
  Kind kind = Kind::kWeekend;
  std::string name{};
  bool moves_due = false;
};
// "weekend", "holiday", "paused".
const char* skippedKindName(SkippedDay::Kind k);

struct Deadline {
  std::string jurisdiction_id;
  std::string jurisdiction_name;
  std::string rule;   // "records-access"
  std::string label;  // "Copies of records"
  const FactMeta* meta = nullptr;
  std::string law_name;
  DayType type = DayType::kCalendar;
  int count = 0;
  std::string starts_on;
  core::Date start;
  core::Date due;
  std::vector<core::Date> counted;  // the days that counted, in order (empty for months)
  std::vector<SkippedDay> skipped;
  // Extension handling.
  bool extension_requested = false;
  bool extension_applied = false;
  std::optional<core::Date> due_before_extension;
  // Why it was or was not applied, with the rule's conditions. Keys (notice.<key>):
  // extension.none {jurisdiction, due}; extension.before_request;
  // extension.too_late {notice, window_end, due, conditions}; extension.after_due {notice,
  // due, conditions}; extension.applied {count, unit: calendar|business|calendar_month,
  // notice, conditions}. `text` is the English explain() uses.
  core::Notice extension_note;
  const FactMeta* extension_meta = nullptr;
  // For a time limit some providers only are held to: whom (plain words), and whether it
  // is only shown beside the due date (its condition cannot be known, so it never governs).
  std::string applies_to{};
  bool informative = false;

  // Whether the due date rests only on confirmed rules: the period's and, once it moved
  // the date, the extension's. Wherever the date is shown unconfirmed, its flag goes too.
  bool dueVerified() const;
  // What a person reads when it does not: each unconfirmed rule's caution, in order.
  std::string dueCaution() const;
};

// Rule names understood by computeDeadline: "records-access" (copies), "records-inspection"
// and "escalation" (the time limit to complain to the escalation body).
const std::vector<std::string>& deadlineRuleNames();

// Computes one jurisdiction's deadline for `rule`. NotFound when that jurisdiction has no
// such rule, or FailedPrecondition when it has one without a number of days (the law says
// "reasonable time", or the figure could not be confirmed) — the message says which.
core::StatusOr<Deadline> computeDeadline(const Jurisdiction& j, const HolidayCalendar& holidays,
                                         const std::string& rule, const DeadlineInput& input);

struct CombinedDeadline {
  std::vector<Deadline> deadlines;  // one per jurisdiction in the chain that has the rule
  std::vector<std::string> gaps;    // jurisdictions in the chain whose data has no number
  size_t governing = 0;             // index of the earliest due date
};

// Every applicable deadline along the chain (state, then national); the earliest governs.
// InvalidArgument for an unknown rule name, NotFound for an unknown jurisdiction or when no
// jurisdiction in the chain has a computable rule.
core::StatusOr<CombinedDeadline> computeCombined(const Registry& registry,
                                                 const std::string& jurisdiction_id,
                                                 const std::string& rule,
                                                 const DeadlineInput& input);

// The holiday calendar for a jurisdiction: its own holidays, else its nearest ancestor's.
// (Registry::calendar: made once and kept.)
const HolidayCalendar& calendarFor(const Registry& registry, const std::string& jurisdiction_id);

// Human-readable explanation, one line per entry, for the CLI and the letters.
std::vector<std::string> explain(const Deadline& d);

// The last day of `rule` counted from `start` as the rule counts (calendar days, business
// days skipping the holidays of `jurisdiction_id`, or months; a closed last day moved on when
// the rule says so). REQUIRES: rule.count is set.
core::Date lastDayUnder(const Registry& registry, const std::string& jurisdiction_id,
                        const DayRule& rule, const core::Date& start);

core::Date addDays(const core::Date& d, int n);
core::Date addMonths(const core::Date& d, int months);

}  // namespace recourse::jurisdiction
