#include "service/time_limits.h"

#include <algorithm>
#include <cmath>

#include "jurisdiction/deadline.h"
#include "service/incidents.h"

namespace recourse::service {
namespace {

// The incident's date as the person gave it: their own words when the date is a guess and
// they wrote some, else the day.
std::string whenOf(const IncidentTimeLimit& l) {
  if (l.approximate && !l.incident->date_text.empty()) return l.incident->date_text;
  return l.last_act.toString();
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + (n == 1 ? one : many);
}

// 7 -> "7", 1.5 -> "1.5".
std::string yearsText(double years) {
  if (years == std::floor(years)) return std::to_string(static_cast<long>(years));
  std::string s = std::to_string(std::round(years * 10) / 10);
  s.erase(s.find_last_not_of('0') + 1);
  return s;
}

// The exception an incident's kinds of harm fall under: one with no limit first, else the
// longest. Null when none applies.
const jurisdiction::TimeLimitException* exceptionFor(const jurisdiction::ComplaintTimeLimit& limit,
                                                     const core::Incident& i) {
  const jurisdiction::TimeLimitException* best = nullptr;
  for (const auto& e : limit.exceptions) {
    bool covers = false;
    for (const auto& h : e.harm_kinds) {
      covers =
          covers || std::find(i.harm_kinds.begin(), i.harm_kinds.end(), h) != i.harm_kinds.end();
    }
    if (!covers) continue;
    if (e.no_limit) return &e;
    if (best == nullptr || (e.years && best->years && *best->years < *e.years)) best = &e;
  }
  return best;
}

}  // namespace

std::vector<IncidentTimeLimit> complaintTimeLimits(const jurisdiction::Board& board,
                                                   const std::vector<core::Incident>& incidents) {
  std::vector<IncidentTimeLimit> out;
  if (!board.complaint_time_limit || !board.complaint_time_limit->years) return out;
  const auto& limit = *board.complaint_time_limit;
  for (const auto& i : incidents) {
    const std::optional<core::Date> start = earliestPossibleDay(i);
    if (!start) continue;
    const jurisdiction::TimeLimitException* exception = exceptionFor(limit, i);
    if (exception != nullptr && exception->no_limit) continue;  // never late
    IncidentTimeLimit l;
    l.years = exception != nullptr ? *exception->years : *limit.years;
    l.exception = exception;
    const int months = static_cast<int>(std::lround(l.years * 12));
    l.incident = &i;
    l.first_act = *start;
    l.last_act = i.date_end && *start < *i.date_end ? *i.date_end : *start;
    l.first_ends = jurisdiction::addMonths(l.first_act, months);
    l.ends = jurisdiction::addMonths(l.last_act, months);
    l.approximate = !i.date_start || i.date_precision == core::DatePrecision::kApproximate;
    out.push_back(l);
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const IncidentTimeLimit& a, const IncidentTimeLimit& b) { return a.ends < b.ends; });
  return out;
}

std::vector<core::Notice> timeLimitWarnings(const jurisdiction::Board* board,
                                            const std::vector<core::Incident>& incidents,
                                            const core::Date& today) {
  std::vector<core::Notice> out;
  if (board == nullptr || !board->complaint_time_limit) return out;
  const auto& limit = *board->complaint_time_limit;
  const std::string& citation = limit.meta.source.citation;
  // The caution is said once, after the first sentence about the limit.
  auto add = [&](core::Notice n) {
    out.push_back(std::move(n));
    if (out.size() == 1 && !limit.meta.verified) {
      out.push_back({/*notice=*/"time_limit.unconfirmed",
                     {{"caution", limit.meta.caution}},
                     "This time limit is not confirmed. " + limit.meta.caution});
    }
  };
  if (!limit.years) {
    if (!limit.summary.empty()) {
      add({/*notice=*/"time_limit.summary",
           {{"summary", limit.summary}, {"citation", citation}},
           "What the law says about time limits for this board (" + citation +
               "): " + limit.summary});
    }
    return out;
  }
  // The data's limit is a number of years from the act; what it limits (the person's
  // complaint, or the board's action) is in its summary, which the board's page shows.
  // Incidents of a kind the law sets no limit for are said once, and never called late.
  // Each exception that applies is said in its own words, once, in the file's order.
  size_t unlimited = 0;
  std::vector<const jurisdiction::TimeLimitException*> unlimited_by;
  for (const auto& i : incidents) {
    const auto* e = earliestPossibleDay(i) ? exceptionFor(limit, i) : nullptr;
    if (e != nullptr && e->no_limit) {
      ++unlimited;
      if (std::find(unlimited_by.begin(), unlimited_by.end(), e) == unlimited_by.end()) {
        unlimited_by.push_back(e);
      }
    }
  }
  if (unlimited > 0) {
    std::stable_sort(unlimited_by.begin(), unlimited_by.end());  // file order: one vector
    std::string summary;
    for (const auto* e : unlimited_by) summary += (summary.empty() ? "" : " ") + e->summary;
    add({/*notice=*/"time_limit.no_limit",
         {{"count", std::to_string(unlimited)}, {"summary", summary}, {"citation", citation}},
         plural(unlimited, " incident is", " incidents are") +
             " of a kind the law sets no time limit for (" + citation + "): " + summary});
  }
  const std::string rule = "the time limit that applies to this board (" + citation + ")";
  size_t past = 0;
  const IncidentTimeLimit* oldest_past = nullptr;
  const IncidentTimeLimit* nearest = nullptr;
  size_t partly_past = 0;
  const auto limits = complaintTimeLimits(*board, incidents);
  for (const auto& l : limits) {
    if (l.ends < today) {
      ++past;
      if (oldest_past == nullptr || l.last_act < oldest_past->last_act) oldest_past = &l;
      continue;
    }
    if (l.first_ends < today) ++partly_past;
    if ((l.ends.days() - today.days()).count() <= 90 && nearest == nullptr) nearest = &l;
  }
  if (past > 0) {
    const std::string when = whenOf(*oldest_past);
    const std::string years = yearsText(oldest_past->years);
    add({oldest_past->approximate ? /*notice=*/"time_limit.past_approx"
                                  : /*notice=*/"time_limit.past",
         {{"count", std::to_string(past)},
          {"oldest", when},
          {"years", years},
          {"citation", citation}},
         "Some incidents (" + std::to_string(past) + ") " +
             (oldest_past->approximate ? "may be" : "are") + " more than " + years +
             " years old: " + rule + ". The oldest is from " + when +
             (oldest_past->approximate ? ", counted from the earliest day it could be (" +
                                             oldest_past->last_act.toString() + ")"
                                       : "") +
             ". You can still file: boards can sometimes act on older events, for example "
             "when harm continued. Say why in your complaint, or ask the board."});
  }
  if (nearest != nullptr) {
    const std::string days = std::to_string((nearest->ends.days() - today.days()).count());
    const std::string when = whenOf(*nearest);
    const std::string years = yearsText(nearest->years);
    core::Notice::Args args{{"when", when},
                            {"ends", nearest->ends.toString()},
                            {"days", days},
                            {"years", years},
                            {"citation", citation}};
    if (nearest->approximate) {
      add({/*notice=*/"time_limit.near_approx", std::move(args),
           "The incident in " + when + " may be " + years + " years old as soon as " +
               nearest->ends.toString() + ", in " + days + " days: " + rule +
               ". Its exact date is not known, so the earliest day it could be is counted. "
               "File before then if you can, so that the board has time to act."});
    } else {
      add({/*notice=*/"time_limit.near", std::move(args),
           "The incident of " + when + " will be " + years + " years old on " +
               nearest->ends.toString() + ", in " + days + " days: " + rule +
               ". File before then if you can, so that the board has time to act."});
    }
  }
  if (partly_past > 0) {
    add({/*notice=*/"time_limit.partly_past",
         {{"count", std::to_string(partly_past)}},
         plural(partly_past, " incident runs", " incidents run") +
             " over a stretch of time whose earliest part is already older than the board's "
             "time limit; the later part is still within it."});
  }
  // Incidents with no date at all, not even in words with a year, cannot be counted.
  size_t undated = 0;
  for (const auto& i : incidents) undated += earliestPossibleDay(i) ? 0 : 1;
  if (undated > 0) {
    add({/*notice=*/"time_limit.undated",
         {{"count", std::to_string(undated)}},
         plural(undated, " incident has", " incidents have") +
             " no date, so the board's time limit cannot be counted for " +
             (undated == 1 ? "it" : "them") +
             ". Even a rough date, such as a year, lets "
             "Recourse count it."});
  }
  return out;
}

}  // namespace recourse::service
