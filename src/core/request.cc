#include "core/request.h"

namespace recourse::core {
namespace {
const std::vector<std::pair<RequestEventType, const char*>> kEvents = {
    {RequestEventType::kSent, "sent"},
    {RequestEventType::kAcknowledged, "acknowledged"},
    {RequestEventType::kExtensionNotice, "extension_notice"},
    {RequestEventType::kFeeQuoted, "fee_quoted"},
    {RequestEventType::kFeePaid, "fee_paid"},
    {RequestEventType::kReceivedPartial, "received_partial"},
    {RequestEventType::kReceivedComplete, "received_complete"},
    {RequestEventType::kDenied, "denied"},
    {RequestEventType::kFollowUpSent, "followup_sent"},
    {RequestEventType::kEscalated, "escalated"},
    {RequestEventType::kAmended, "amended"},
    {RequestEventType::kDisagreementSent, "disagreement_sent"},
    {RequestEventType::kWithdrawn, "withdrawn"},
    {RequestEventType::kClosed, "closed"},
};
}  // namespace

const char* requestKindName(RequestKind k) {
  switch (k) {
    case RequestKind::kAccess:
      return "access";
    case RequestKind::kAmendment:
      return "amendment";
    case RequestKind::kAccounting:
      return "accounting";
    case RequestKind::kClaims:
      return "claims";
  }
  return "access";
}

std::optional<RequestKind> parseRequestKind(const std::string& name) {
  for (RequestKind k : {RequestKind::kAccess, RequestKind::kAmendment, RequestKind::kAccounting,
                        RequestKind::kClaims}) {
    if (name == requestKindName(k)) return k;
  }
  return std::nullopt;
}

const std::vector<std::string>& requestKindNames() {
  static const std::vector<std::string> kNames = {
      requestKindName(RequestKind::kAccess), requestKindName(RequestKind::kAmendment),
      requestKindName(RequestKind::kAccounting), requestKindName(RequestKind::kClaims)};
  return kNames;
}

const char* requestKindRule(RequestKind k) {
  switch (k) {
    case RequestKind::kAccess:
      return "records-access";
    case RequestKind::kAmendment:
      return "records-amendment";
    case RequestKind::kAccounting:
      return "disclosures-accounting";
    case RequestKind::kClaims:
      return "health-plan-access";
  }
  return "records-access";
}

const char* requestKindForm(RequestKind k) {
  switch (k) {
    case RequestKind::kAccess:
      return "records-request";
    case RequestKind::kAmendment:
      return "records-amendment";
    case RequestKind::kAccounting:
      return "disclosures-accounting";
    case RequestKind::kClaims:
      return "claims-request";
  }
  return "records-request";
}

const char* requestEventName(RequestEventType t) {
  for (const auto& [type, name] : kEvents) {
    if (type == t) return name;
  }
  return "sent";
}

std::optional<RequestEventType> parseRequestEvent(const std::string& name) {
  for (const auto& [type, n] : kEvents) {
    if (name == n) return type;
  }
  return std::nullopt;
}

const std::vector<std::string>& requestEventNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v;
    v.reserve(std::size(kEvents));
    for (const auto& [type, name] : kEvents) v.emplace_back(name);
    return v;
  }();
  return kNames;
}

const std::vector<std::string>& sendChannels() {
  static const std::vector<std::string> kChannels = {"mail", "email", "fax", "portal", "in_person"};
  return kChannels;
}

const char* requestStatusName(RequestStatus s) {
  switch (s) {
    case RequestStatus::kDraft:
      return "draft";
    case RequestStatus::kAwaiting:
      return "awaiting";
    case RequestStatus::kExtended:
      return "extended";
    case RequestStatus::kOverdue:
      return "overdue";
    case RequestStatus::kPartiallyFulfilled:
      return "partially_fulfilled";
    case RequestStatus::kFulfilled:
      return "fulfilled";
    case RequestStatus::kDenied:
      return "denied";
    case RequestStatus::kEscalated:
      return "escalated";
    case RequestStatus::kWithdrawn:
      return "withdrawn";
    case RequestStatus::kClosed:
      return "closed";
  }
  return "draft";
}

}  // namespace recourse::core
