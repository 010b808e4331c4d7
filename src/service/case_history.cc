#include "service/case_history.h"

#include <algorithm>

#include "core/complaint.h"
#include "core/request.h"
#include "service/complaint_tracking.h"
#include "service/errors.h"
#include "service/letters.h"
#include "store/store.h"

namespace recourse::service {
namespace {

using core::ComplaintEventType;
using core::RequestEventType;

std::string withChannel(const std::string& what, const std::string& via) {
  const std::string words = channelInWords(via);
  return words.empty() ? what : what + " " + words;
}

std::string requestWhat(core::RequestKind kind) {
  switch (kind) {
    case core::RequestKind::kAmendment:
      return "a correction of the records";
    case core::RequestKind::kAccounting:
      return "a list of who the records were disclosed to";
    case core::RequestKind::kClaims:
      return "the records of claims billed for the therapist's services";
    case core::RequestKind::kAccess:
      break;
  }
  return "a copy of the records";
}

std::string requestStep(const core::RecordsRequest& r, const core::RequestEvent& e) {
  const std::string& who = r.custodian_name;
  const std::string what = requestWhat(r.kind);
  switch (e.type) {
    case RequestEventType::kSent:
      return withChannel("Request for " + what + " sent to " + who, e.via);
    case RequestEventType::kAcknowledged:
      return who + " confirmed receiving the request for " + what;
    case RequestEventType::kExtensionNotice:
      return who + " said in writing that it needs more time for the request for " + what;
    case RequestEventType::kFeeQuoted:
      return who + " asked for a fee before answering the request for " + what;
    case RequestEventType::kFeePaid:
      return "The fee for the request for " + what + " was paid";
    case RequestEventType::kReceivedPartial:
      return "Part of what was asked for came from " + who;
    case RequestEventType::kReceivedComplete:
      return "All of what was asked for came from " + who;
    case RequestEventType::kDenied:
      return who + " refused the request for " + what + " (all or part)";
    case RequestEventType::kFollowUpSent:
      return withChannel("A follow-up letter about the request for " + what + " was sent to " + who,
                         e.via);
    case RequestEventType::kEscalated:
      return "A complaint about how " + who + " handled the request for " + what + " was filed";
    case RequestEventType::kAmended:
      return who + " made the correction asked for";
    case RequestEventType::kDisagreementSent:
      return "A statement of disagreement with the refused correction was sent to " + who;
    case RequestEventType::kWithdrawn:
      return "The request to " + who + " for " + what + " was withdrawn";
    case RequestEventType::kClosed:
      return "The request to " + who + " for " + what + " was closed";
  }
  return "";
}

std::string outcomeWords(core::ComplaintOutcome o) {
  switch (o) {
    case core::ComplaintOutcome::kClosedNoAction:
      return "closed with no action";
    case core::ComplaintOutcome::kNonDisciplinary:
      return "closed with a letter of concern, advice or other non-disciplinary action";
    case core::ComplaintOutcome::kCharges:
      return "formal charges brought";
    case core::ComplaintOutcome::kDiscipline:
      return "discipline";
    case core::ComplaintOutcome::kReferredElsewhere:
      return "sent on to another body";
  }
  return "";
}

std::string complaintStep(const core::ComplaintEvent& e) {
  switch (e.type) {
    case ComplaintEventType::kAcknowledged:
      return "The board confirmed receiving the complaint";
    case ComplaintEventType::kInvestigatorContact:
      return "An investigator from the board got in touch";
    case ComplaintEventType::kInfoRequested:
      return e.reply_by
                 ? "The board asked for more information, to reply by " + e.reply_by->toString()
                 : "The board asked for more information";
    case ComplaintEventType::kInfoSent:
      return "The information the board asked for was sent";
    case ComplaintEventType::kInterview:
      return "An interview with the board";
    case ComplaintEventType::kBoardUpdate:
      return "News from the board";
    case ComplaintEventType::kStatusInquirySent:
      return "A letter asking the board where things stand was sent";
    case ComplaintEventType::kOutcome:
      return e.outcome ? "The board decided: " + outcomeWords(*e.outcome) : "The board decided";
    case ComplaintEventType::kReviewRequested:
      return "A review of the board's decision was asked for";
    case ComplaintEventType::kReviewDecided:
      return "The answer to the request for a review came";
    case ComplaintEventType::kWithdrawn:
      return "The complaint was withdrawn";
  }
  return "";
}

}  // namespace

core::StatusOr<std::vector<CaseHistoryEntry>> caseHistory(Services& s, const std::string& case_id) {
  std::vector<CaseHistoryEntry> out;
  // First: it says NotFound about "case_id" for a case that is not there.
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, trackComplaint(s, case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto requests, s.store.listRequests(case_id));
  for (const auto& r : requests) {
    RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.listRequestEvents(r.id));
    for (const auto& e : events) out.push_back({e.on, requestStep(r, e), e.details});
  }
  if (complaint.filed_on) {
    const std::string board =
        complaint.board_name.empty() ? "the licensing board" : complaint.board_name;
    std::string what = withChannel("Complaint sent to " + board, complaint.filed_via);
    if (!complaint.board_reference.empty()) {
      what += " (its reference: " + complaint.board_reference + ")";
    }
    out.push_back({*complaint.filed_on, what, ""});
    for (const auto& e : complaint.events) out.push_back({e.on, complaintStep(e), e.details});
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const CaseHistoryEntry& a, const CaseHistoryEntry& b) { return a.on < b.on; });
  return out;
}

}  // namespace recourse::service
