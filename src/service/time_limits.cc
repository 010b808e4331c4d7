#include "service/time_limits.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "jurisdiction/deadline.h"

namespace recourse::service {

std::vector<IncidentTimeLimit> complaintTimeLimits(const jurisdiction::Board& board,
                                                   const std::vector<core::Incident>& incidents) {
  std::vector<IncidentTimeLimit> out;
  if (!board.complaint_time_limit || !board.complaint_time_limit->years) return out;
  const int months = static_cast<int>(std::lround(*board.complaint_time_limit->years * 12));
  for (const auto& i : incidents) {
    if (!i.date_start) continue;
    IncidentTimeLimit l;
    l.incident = &i;
    l.first_act = *i.date_start;
    l.last_act = i.date_end && *i.date_start < *i.date_end ? *i.date_end : *i.date_start;
    l.first_ends = jurisdiction::addMonths(l.first_act, months);
    l.ends = jurisdiction::addMonths(l.last_act, months);
    out.push_back(l);
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const IncidentTimeLimit& a, const IncidentTimeLimit& b) { return a.ends < b.ends; });
  return out;
}

std::vector<std::string> timeLimitWarnings(const jurisdiction::Board* board,
                                           const std::vector<core::Incident>& incidents,
                                           const core::Date& today) {
  std::vector<std::string> out;
  if (board == nullptr || !board->complaint_time_limit) return out;
  const auto& limit = *board->complaint_time_limit;
  const std::string cite =
      limit.meta.source.citation.empty() ? std::string() : " (" + limit.meta.source.citation + ")";
  // The caution is said once, with the first sentence about the limit.
  std::string caution =
      limit.meta.verified ? "" : " This limit is not confirmed. " + limit.meta.caution;
  auto unverifiedOnce = [&caution] { return std::exchange(caution, std::string()); };
  if (!limit.years) {
    if (!limit.summary.empty()) {
      out.push_back("The board's time limit: " + limit.summary + cite + "." + unverifiedOnce());
    }
    return out;
  }
  size_t past = 0;
  std::optional<core::Date> oldest_past;
  const IncidentTimeLimit* nearest = nullptr;
  size_t partly_past = 0;
  const auto limits = complaintTimeLimits(*board, incidents);
  for (const auto& l : limits) {
    if (l.ends < today) {
      ++past;
      if (!oldest_past || l.last_act < *oldest_past) oldest_past = l.last_act;
      continue;
    }
    if (l.first_ends < today) ++partly_past;
    if ((l.ends.days() - today.days()).count() <= 90 && nearest == nullptr) nearest = &l;
  }
  if (past > 0) {
    out.push_back(std::to_string(past) + " of the incidents (the oldest on " +
                  oldest_past->toString() +
                  ") are older than the board's time limit: " + limit.summary + cite +
                  ". You can still file: boards can sometimes act on older events, for example "
                  "when harm continued. Say why in your complaint, or ask the board." +
                  unverifiedOnce());
  }
  if (nearest != nullptr) {
    out.push_back("The board's time limit (" + limit.summary + cite + ") for the incident of " +
                  nearest->last_act.toString() + " ends on " + nearest->ends.toString() + ", in " +
                  std::to_string((nearest->ends.days() - today.days()).count()) +
                  " days. File before then if you can." + unverifiedOnce());
  }
  if (partly_past > 0) {
    out.push_back(
        std::to_string(partly_past) + (partly_past == 1 ? " incident runs" : " incidents run") +
        " over a stretch of time whose earliest part is already older than the board's time "
        "limit; the later part is still within it." +
        unverifiedOnce());
  }
  return out;
}

}  // namespace recourse::service
