#include "forms/context.h"

namespace recourse::forms {

const std::set<std::string>& contextNames() {
  static const std::set<std::string> kNames = {
      // the person and their representative
      "client.name",
      "client.address",
      "client.email",
      "client.phone",
      // the therapist
      "provider.name",
      "provider.credentials",
      "provider.license_type",
      "provider.license_number",
      "provider.jurisdiction",
      "provider.practice",
      "provider.address",
      "provider.email",
      "provider.phone",
      // the case
      "case.title",
      "case.treatment_start",
      "case.treatment_end",
      // the jurisdiction and its law (state or national, whichever the letter relies on)
      "jurisdiction.id",
      "jurisdiction.name",
      "law.name",
      "law.citation",
      "law.url",
      "law.response_days",
      "law.response_rule",
      "law.fees",
      "law.mental_health",
      "law.denial_review",
      "law.unverified",
      // the national baseline, when a state law is cited too
      "federal.name",
      "federal.citation",
      "federal.response_rule",
      // where to escalate
      "escalation.body",
      "escalation.url",
      "escalation.how",
      "escalation.time_limit",
      "escalation.due_date",
      // the licensing board
      "board.name",
      "board.address",
      "board.email",
      "board.website",
      "board.complaint_time_limit",
      // the records request being followed up
      "request.sent_on",
      "request.sent_via",
      "request.due_date",
      "request.days_overdue",
      "request.reference",
      "request.denied_on",
      "request.denial_reason",
      // a complaint packet
      "packet.incident_count",
      "packet.exhibit_count",
      // dates
      "today",
      "due_date",
  };
  return kNames;
}

const std::map<std::string, std::set<std::string>>& contextLists() {
  static const std::map<std::string, std::set<std::string>> kLists = {
      {"incidents", {"date", "summary", "narrative", "channel", "harm_labels", "impact"}},
      {"exhibits", {"number", "description", "date", "sha256"}},
      {"harms", {"label", "description", "ethics"}},
  };
  return kLists;
}

}  // namespace recourse::forms
