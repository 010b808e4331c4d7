#include "core/complaint.h"

#include <iterator>
#include <utility>

namespace recourse::core {
namespace {
const std::pair<ComplaintEventType, const char*> kEvents[] = {
    {ComplaintEventType::kAcknowledged, "acknowledged"},
    {ComplaintEventType::kInvestigatorContact, "investigator_contact"},
    {ComplaintEventType::kInfoRequested, "info_requested"},
    {ComplaintEventType::kInfoSent, "info_sent"},
    {ComplaintEventType::kInterview, "interview"},
    {ComplaintEventType::kBoardUpdate, "board_update"},
    {ComplaintEventType::kStatusInquirySent, "status_inquiry_sent"},
    {ComplaintEventType::kOutcome, "outcome"},
    {ComplaintEventType::kReviewRequested, "review_requested"},
    {ComplaintEventType::kReviewDecided, "review_decided"},
    {ComplaintEventType::kWithdrawn, "withdrawn"},
};
const std::pair<ComplaintOutcome, const char*> kOutcomes[] = {
    {ComplaintOutcome::kClosedNoAction, "closed_no_action"},
    {ComplaintOutcome::kNonDisciplinary, "non_disciplinary"},
    {ComplaintOutcome::kCharges, "charges"},
    {ComplaintOutcome::kDiscipline, "discipline"},
    {ComplaintOutcome::kReferredElsewhere, "referred_elsewhere"},
};

template <typename T, size_t N>
const char* nameIn(const std::pair<T, const char*> (&table)[N], T value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return table[0].second;
}
template <typename T, size_t N>
std::optional<T> parseIn(const std::pair<T, const char*> (&table)[N], const std::string& name) {
  for (const auto& [v, n] : table) {
    if (name == n) return v;
  }
  return std::nullopt;
}
template <typename T, size_t N>
std::vector<std::string> namesIn(const std::pair<T, const char*> (&table)[N]) {
  std::vector<std::string> out;
  out.reserve(N);
  for (const auto& entry : table) out.emplace_back(entry.second);
  return out;
}
}  // namespace

const char* complaintEventName(ComplaintEventType t) { return nameIn(kEvents, t); }
std::optional<ComplaintEventType> parseComplaintEvent(const std::string& name) {
  return parseIn(kEvents, name);
}
const std::vector<std::string>& complaintEventNames() {
  static const std::vector<std::string> kNames = namesIn(kEvents);
  return kNames;
}

bool isWordFromBoard(ComplaintEventType t) {
  switch (t) {
    case ComplaintEventType::kAcknowledged:
    case ComplaintEventType::kInvestigatorContact:
    case ComplaintEventType::kInfoRequested:
    case ComplaintEventType::kInterview:
    case ComplaintEventType::kBoardUpdate:
    case ComplaintEventType::kOutcome:
    case ComplaintEventType::kReviewDecided:
      return true;
    case ComplaintEventType::kInfoSent:
    case ComplaintEventType::kStatusInquirySent:
    case ComplaintEventType::kReviewRequested:
    case ComplaintEventType::kWithdrawn:
      return false;
  }
  return false;
}

const char* complaintOutcomeName(ComplaintOutcome o) { return nameIn(kOutcomes, o); }
std::optional<ComplaintOutcome> parseComplaintOutcome(const std::string& name) {
  return parseIn(kOutcomes, name);
}
const std::vector<std::string>& complaintOutcomeNames() {
  static const std::vector<std::string> kNames = namesIn(kOutcomes);
  return kNames;
}
bool isFinalOutcome(ComplaintOutcome o) { return o != ComplaintOutcome::kCharges; }

const std::vector<std::string>& complaintChannels() {
  static const std::vector<std::string> kChannels = {"online", "mail", "email", "fax", "in_person"};
  return kChannels;
}

}  // namespace recourse::core
