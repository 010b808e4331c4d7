#include "jurisdiction/deadline.h"

#include <algorithm>
#include <chrono>
#include <tuple>

namespace recourse::jurisdiction {
namespace {

SkippedDay pausedDay(const core::Date& d, const Pause& p) {
  return {d, "clock paused" + (p.reason.empty() ? std::string() : ": " + p.reason),
          SkippedDay::Kind::kPaused, p.reason};
}

const Pause* pauseOn(const core::Date& d, const std::vector<Pause>& pauses) {
  for (const auto& p : pauses) {
    if (p.from < d && !(p.until < d)) return &p;
  }
  return nullptr;
}

// Why offices are closed on d, or nothing when open.
std::optional<SkippedDay> closedDay(const core::Date& d, const HolidayCalendar& cal) {
  if (HolidayCalendar::isWeekend(d)) {
    return SkippedDay{d, weekdayName(weekdayOf(d)), SkippedDay::Kind::kWeekend, {}};
  }
  if (auto h = cal.holiday(d)) return SkippedDay{d, *h, SkippedDay::Kind::kHoliday, *h};
  return std::nullopt;
}

// Counts `n` days after `from` under `type`, recording what counted and what was skipped.
core::Date countDays(const core::Date& from, int n, DayType type, const HolidayCalendar& cal,
                     const std::vector<Pause>& pauses, Deadline* out) {
  core::Date d = from;
  int counted = 0;
  while (counted < n) {
    d = addDays(d, 1);
    if (const Pause* p = pauseOn(d, pauses)) {
      out->skipped.push_back(pausedDay(d, *p));
      continue;
    }
    if (type == DayType::kBusiness) {
      if (auto closed = closedDay(d, cal)) {
        out->skipped.push_back(*closed);
        continue;
      }
    }
    out->counted.push_back(d);
    ++counted;
  }
  return d;
}

// Months: the same day of the month, later by any paused days.
core::Date countMonths(const core::Date& from, int months, const std::vector<Pause>& pauses,
                       Deadline* out) {
  core::Date due = addMonths(from, months);
  for (const auto& p : pauses) {
    // Only pauses that begin inside the running period push it back.
    if (!(p.from < from) && p.from < due && p.from < p.until) {
      int len = static_cast<int>((p.until.days() - p.from.days()).count());
      for (int i = 1; i <= len; ++i) out->skipped.push_back(pausedDay(addDays(p.from, i), p));
      due = addDays(due, len);
    }
  }
  return due;
}

core::Date rollForward(core::Date due, const HolidayCalendar& cal, Deadline* out) {
  for (auto closed = closedDay(due, cal); closed; closed = closedDay(due, cal)) {
    closed->reason += " (due date moves to the next working day)";
    closed->moves_due = true;
    out->skipped.push_back(*closed);
    due = addDays(due, 1);
  }
  return due;
}

struct RuleRef {
  const DayRule* rule = nullptr;
  const FactMeta* meta = nullptr;
  std::string label;
  std::string law_name;
  const ExtensionRule* extension = nullptr;  // the one extension this period allows, if any
  bool extendable = false;                   // a notice is weighed (access, correction, list)
};

std::optional<RuleRef> findRule(const Jurisdiction& j, const std::string& rule) {
  for (const auto& [name, right, label] :
       {std::tuple{"records-amendment", &j.records_amendment, "Correcting records"},
        std::tuple{"disclosures-accounting", &j.disclosures_accounting,
                   "A list of who the records were disclosed to"},
        std::tuple{"health-plan-access", &j.health_plan_access,
                   "A health plan's records of claims"}}) {
    if (rule != name) continue;
    if (!*right || !(*right)->response) return std::nullopt;
    const RecordsRight& r = **right;
    return RuleRef{
        &*r.response, &r.response->meta, label, r.law_name, r.extension ? &*r.extension : nullptr,
        true};
  }
  if (!j.records_access) return std::nullopt;
  const RecordsAccess& ra = *j.records_access;
  if (rule == "records-access" && ra.response) {
    return RuleRef{&*ra.response,
                   &ra.response->meta,
                   "Copies of records",
                   ra.law_name,
                   ra.extension ? &*ra.extension : nullptr,
                   true};
  }
  if (rule == "records-inspection" && ra.inspection) {
    return RuleRef{&*ra.inspection, &ra.inspection->meta, "Inspecting records", ra.law_name};
  }
  if (rule == "escalation" && ra.escalation && ra.escalation->time_limit) {
    return RuleRef{&*ra.escalation->time_limit, &ra.escalation->time_limit->meta,
                   "Complaint to " + ra.escalation->body, ra.law_name};
  }
  return std::nullopt;
}

std::string countWords(int count, DayType type) {
  switch (type) {
    case DayType::kCalendar:
      return std::to_string(count) + (count == 1 ? " calendar day" : " calendar days");
    case DayType::kBusiness:
      return std::to_string(count) + (count == 1 ? " business day" : " business days");
    case DayType::kCalendarMonth:
      return std::to_string(count) + (count == 1 ? " calendar month" : " calendar months");
  }
  return std::to_string(count);
}

std::string dayWithName(const core::Date& d) {
  return d.toString() + " (" + weekdayName(weekdayOf(d)) + ")";
}

}  // namespace

core::Date addDays(const core::Date& d, int n) {
  return core::Date(std::chrono::year_month_day(d.days() + std::chrono::days(n)));
}

core::Date addMonths(const core::Date& d, int months) {
  int total = d.year() * 12 + static_cast<int>(d.month()) - 1 + months;
  int year = total / 12;
  unsigned month = static_cast<unsigned>(total % 12) + 1;
  core::Date candidate(year, month, d.day());
  if (candidate.valid()) return candidate;
  std::chrono::year_month_day_last last{std::chrono::year(year),
                                        std::chrono::month_day_last(std::chrono::month(month))};
  return core::Date(std::chrono::year_month_day(last));
}

core::Date lastDayUnder(const Registry& registry, const std::string& jurisdiction_id,
                        const DayRule& rule, const core::Date& start) {
  const HolidayCalendar& holidays = calendarFor(registry, jurisdiction_id);
  Deadline scratch;  // the days skipped, not shown here
  core::Date due =
      rule.type == DayType::kCalendarMonth
          ? countMonths(start, rule.count.value_or(0), {}, &scratch)
          : countDays(start, rule.count.value_or(0), rule.type, holidays, {}, &scratch);
  if (rule.roll_forward) due = rollForward(due, holidays, &scratch);
  return due;
}

const std::vector<std::string>& deadlineRuleNames() {
  static const std::vector<std::string> kNames = {
      "records-access",    "records-inspection",     "escalation",
      "records-amendment", "disclosures-accounting", "health-plan-access"};
  return kNames;
}

namespace {
core::StatusOr<Deadline> computeFrom(const Jurisdiction& j, const HolidayCalendar& holidays,
                                     const std::string& rule, const RuleRef* ref,
                                     const DeadlineInput& input);
}  // namespace

core::StatusOr<Deadline> computeDeadline(const Jurisdiction& j, const HolidayCalendar& holidays,
                                         const std::string& rule, const DeadlineInput& input) {
  auto ref = findRule(j, rule);
  if (!ref) return core::notFound(j.name + " has no " + rule + " rule in Recourse's data");
  return computeFrom(j, holidays, rule, &*ref, input);
}

namespace {

core::StatusOr<Deadline> computeFrom(const Jurisdiction& j, const HolidayCalendar& holidays,
                                     const std::string& rule, const RuleRef* ref,
                                     const DeadlineInput& input) {
  const DayRule& r = *ref->rule;
  if (!r.count) {
    return core::failedPrecondition(
        j.name + ": the law as recorded gives no fixed number of days for this (" +
        (r.summary.empty() ? r.meta.caution : r.summary) + ")");
  }
  for (const auto& p : input.pauses) {
    if (p.until < p.from) {
      return core::invalidArgument(p.from.toString() + ":" + p.until.toString() +
                                   " ends before it starts")
          .withField("pause");
    }
  }
  Deadline d;
  d.jurisdiction_id = j.id;
  d.jurisdiction_name = j.name;
  d.rule = rule;
  d.label = ref->label;
  d.meta = ref->meta;
  d.law_name = ref->law_name;
  d.type = r.type;
  d.count = *r.count;
  d.starts_on = r.starts_on;
  d.start = input.start;
  d.due = r.type == DayType::kCalendarMonth
              ? countMonths(input.start, d.count, input.pauses, &d)
              : countDays(input.start, d.count, r.type, holidays, input.pauses, &d);
  // Where the period itself ends, before a closed day moves the date: an extension of "a
  // further" period adds to the period, not to the day the answer may be given.
  const core::Date period_end = d.due;
  if (r.roll_forward) d.due = rollForward(d.due, holidays, &d);

  if (input.extension_notice && ref->extendable) {
    d.extension_requested = true;
    const ExtensionRule* ext = ref->extension;
    if (ext == nullptr || !ext->count) {
      d.extension_note = {/*notice=*/"extension.none",
                          {{"jurisdiction", j.name}, {"due", d.due.toString()}},
                          j.name +
                              "'s law as recorded allows no extension, so the due date "
                              "stays " +
                              d.due.toString()};
    } else {
      d.extension_meta = &ext->meta;
      const core::Date notice = *input.extension_notice;
      std::optional<core::Date> window_end;
      if (ext->notice_within) {
        // Counted as the law counts it, on a scratch record: the window's days are not the
        // answer's.
        Deadline scratch;
        window_end = ext->notice_type == DayType::kCalendarMonth
                         ? countMonths(input.start, *ext->notice_within, input.pauses, &scratch)
                         : countDays(input.start, *ext->notice_within, ext->notice_type, holidays,
                                     input.pauses, &scratch);
        // Where a due date on a closed day moves to the next working day, so does the last
        // day for the notice (the UK's month ending on a Saturday ends on the Monday).
        if (r.roll_forward) window_end = rollForward(*window_end, holidays, &scratch);
      }
      if (notice < input.start) {
        d.extension_note = {/*notice=*/"extension.before_request",
                            {},
                            "the extension notice is dated before the request was received; "
                            "it does not move the due date"};
      } else if (window_end && *window_end < notice) {
        d.extension_note = {/*notice=*/"extension.too_late",
                            {{"notice", notice.toString()},
                             {"window_end", window_end->toString()},
                             {"due", d.due.toString()},
                             {"conditions", ext->conditions}},
                            "the extension notice came on " + notice.toString() +
                                ", after the window for giving it closed on " +
                                window_end->toString() + ", so the due date stays " +
                                d.due.toString() + " (" + ext->conditions + ")"};
      } else if (d.due < notice) {
        d.extension_note = {/*notice=*/"extension.after_due",
                            {{"notice", notice.toString()},
                             {"due", d.due.toString()},
                             {"conditions", ext->conditions}},
                            "the extension notice came on " + notice.toString() +
                                ", after the answer was already due on " + d.due.toString() +
                                ", so it does not move the due date (" + ext->conditions + ")"};
      } else {
        d.due_before_extension = d.due;
        const bool total = ext->basis == ExtensionBasis::kTotalFromStart;
        if (total) {
          // The law gives a new total from the start: count it again, from the start.
          d.counted.clear();
          d.skipped.clear();
        }
        if (ext->type == DayType::kCalendarMonth) {
          d.counted.clear();
          d.skipped.clear();
          // Months on months count from the start, so the day of the month holds (one month
          // and two more from 31 January end on 30 April); months on days count from the end
          // of the first period.
          d.due = total ? countMonths(input.start, *ext->count, input.pauses, &d)
                  : r.type == DayType::kCalendarMonth
                      ? countMonths(input.start, d.count + *ext->count, input.pauses, &d)
                      : countMonths(period_end, *ext->count, input.pauses, &d);
        } else {
          d.due = countDays(total ? input.start : period_end, *ext->count, ext->type, holidays,
                            input.pauses, &d);
        }
        if (r.roll_forward) d.due = rollForward(d.due, holidays, &d);
        d.extension_applied = true;
        const std::string key =
            total ? /*notice=*/"extension.applied_total" : /*notice=*/"extension.applied";
        d.extension_note = {key,
                            {{"count", std::to_string(*ext->count)},
                             {"unit", dayTypeName(ext->type)},
                             {"notice", notice.toString()},
                             {"conditions", ext->conditions}},
                            total ? "extended to " + countWords(*ext->count, ext->type) +
                                        " in all from the start, after written notice on " +
                                        notice.toString() + " (" + ext->conditions + ")"
                                  : "extended by " + countWords(*ext->count, ext->type) +
                                        " after written notice on " + notice.toString() + " (" +
                                        ext->conditions + ")"};
      }
    }
  }
  return d;
}

}  // namespace

const HolidayCalendar& calendarFor(const Registry& registry, const std::string& jurisdiction_id) {
  return registry.calendar(jurisdiction_id);
}

core::StatusOr<CombinedDeadline> computeCombined(const Registry& registry,
                                                 const std::string& jurisdiction_id,
                                                 const std::string& rule,
                                                 const DeadlineInput& input) {
  const auto& names = deadlineRuleNames();
  if (std::find(names.begin(), names.end(), rule) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    return core::invalidArgument("\"" + rule.substr(0, 30) + "\" is not one of " + known)
        .withField("rule");
  }
  auto chain = registry.chain(jurisdiction_id);
  if (chain.empty()) {
    return core::notFound("\"" + jurisdiction_id.substr(0, 20) +
                          "\" is not a known jurisdiction (see the list of jurisdictions)")
        .withField("jurisdiction");
  }
  CombinedDeadline out;
  for (const Jurisdiction* j : chain) {
    // Each jurisdiction's own deadline counts business days on its own holidays.
    const HolidayCalendar& cal = calendarFor(registry, j->id);
    auto d = computeDeadline(*j, cal, rule, input);
    if (d.isOk()) {
      out.deadlines.push_back(std::move(d).value());
    } else if (d.status().code() == core::StatusCode::kFailedPrecondition) {
      out.gaps.push_back(d.status().message());
    } else if (d.status().code() != core::StatusCode::kNotFound) {
      return d.status();
    }
    // Time limits for some providers only: one for the provider's license counts like any
    // other; one that turns on a condition is shown, and never governs.
    if (rule != "records-access" || !j->records_access) continue;
    for (const ProviderRule& p : j->records_access->provider_responses) {
      const bool licensed =
          !input.license_type.empty() && std::find(p.license_types.begin(), p.license_types.end(),
                                                   input.license_type) != p.license_types.end();
      if (!licensed && p.condition.empty()) continue;
      RuleRef ref{&p.rule, &p.rule.meta, "Copies of records (" + p.applies_to + ")",
                  j->records_access->law_name};
      auto v = computeFrom(*j, cal, rule, &ref, input);
      if (!v.isOk()) continue;  // the loader requires days, so this is not expected
      v->applies_to = p.applies_to;
      v->informative = !licensed;
      out.deadlines.push_back(std::move(v).value());
    }
  }
  if (out.deadlines.empty()) {
    std::string why = out.gaps.empty() ? "" : " " + out.gaps.front();
    return core::notFound("no " + rule + " deadline can be computed for " + jurisdiction_id +
                          " from Recourse's data." + why);
  }
  for (size_t i = 1; i < out.deadlines.size(); ++i) {
    if (out.deadlines[i].informative) continue;
    if (out.deadlines[out.governing].informative ||
        out.deadlines[i].due < out.deadlines[out.governing].due) {
      out.governing = i;
    }
  }
  // Only limits that turn on a condition: none of them can set the due date.
  if (out.deadlines[out.governing].informative) {
    return core::notFound("no " + rule + " deadline can be computed for " + jurisdiction_id +
                          " from Recourse's data: its only time limits apply to some providers "
                          "(" +
                          out.deadlines[out.governing].applies_to + ")");
  }
  return out;
}

bool Deadline::dueVerified() const {
  if (meta != nullptr && !meta->verified) return false;
  return !(extension_applied && extension_meta != nullptr && !extension_meta->verified);
}

std::string Deadline::dueCaution() const {
  std::string out;
  if (meta != nullptr && !meta->verified) out = meta->caution;
  if (extension_applied && extension_meta != nullptr && !extension_meta->verified) {
    out += (out.empty() ? "" : " ") + extension_meta->caution;
  }
  return out;
}

const char* skippedKindName(SkippedDay::Kind k) {
  switch (k) {
    case SkippedDay::Kind::kWeekend:
      return "weekend";
    case SkippedDay::Kind::kHoliday:
      return "holiday";
    case SkippedDay::Kind::kPaused:
      return "paused";
  }
  return "weekend";
}

std::vector<std::string> explain(const Deadline& d) {
  std::vector<std::string> lines;
  lines.push_back(d.label + " — " + d.jurisdiction_name + " (" + d.law_name + ")");
  if (d.informative) {
    lines.push_back("  Only if: " + d.applies_to +
                    ". Shown beside the due date; it does not set it.");
  }
  lines.push_back("  Rule:     " + countWords(d.count, d.type) + " after " + d.starts_on);
  std::string law = "  Law:      " + d.meta->source.citation;
  if (!d.meta->source.url.empty()) {
    law += " — " + d.meta->source.url;
  } else if (!d.meta->source.read_at.empty()) {
    law += " — read at " + d.meta->source.read_at;
  }
  lines.push_back(law);
  if (!d.meta->verified) {
    lines.push_back("  Not confirmed: " + d.meta->caution);
  } else if (d.meta->last_verified) {
    lines.push_back("  Checked:  " + d.meta->last_verified->toString());
  }
  lines.push_back("  Start:    " + dayWithName(d.start) + " is day 0");
  if (d.type == DayType::kCalendarMonth) {
    lines.push_back("  Counted:  to the same day " + std::to_string(d.count) + " month(s) later");
  } else if (!d.counted.empty()) {
    lines.push_back("  Counted:  " + std::to_string(d.counted.size()) + " days, " +
                    d.counted.front().toString() + " to " + d.counted.back().toString());
  }
  if (d.skipped.empty()) {
    lines.push_back("  Skipped:  none");
  } else {
    lines.push_back("  Skipped:  " + std::to_string(d.skipped.size()) + " day(s)");
    for (const auto& s : d.skipped)
      lines.push_back("            " + dayWithName(s.date) + ": " + s.reason);
  }
  if (d.extension_requested) lines.push_back("  Extension: " + d.extension_note.text);
  if (d.extension_applied && d.extension_meta != nullptr) {
    std::string law = "  Extension law: " + d.extension_meta->source.citation;
    lines.push_back(law);
    if (!d.extension_meta->verified) {
      lines.push_back("  Extension not confirmed: " + d.extension_meta->caution);
    }
  }
  if (d.extension_applied && d.due_before_extension) {
    lines.push_back("  Due before the extension: " + dayWithName(*d.due_before_extension));
  }
  lines.push_back("  Due:      " + dayWithName(d.due));
  return lines;
}

}  // namespace recourse::jurisdiction
