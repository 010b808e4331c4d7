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
      "law.statement_of_disagreement",  // for a correction: what the law says of it
      // the national baseline, when a state law is cited too
      "federal.name",
      "federal.citation",
      "federal.response_rule",
      // where to escalate; the time limit only when the law gives it in days or months,
      // and the date only for a request refused or never answered, while it is still open
      "escalation.body",
      "escalation.url",
      "escalation.how",
      "escalation.time_limit",
      "escalation.due_date",
      // the licensing board, for complaints to it (the time limit only when confirmed)
      "board.name",
      "board.address",
      "board.email",
      "board.website",
      "board.complaint_time_limit",
      // the records request being followed up (reference, channel and refusal only for a
      // tracked request)
      "request.what",             // "a copy of my records", "a correction of my records", ...
      "request.right_words",      // "of access to my health records", "to have ... corrected"
      "request.complaint_title",  // "I was not given access to my records", ...
      "request.sent_on",
      "request.sent_via",
      "request.due_date",
      "request.days_overdue",
      "request.overdue_by",  // "16 days", "1 day": only when overdue
      "request.reference",
      "request.denied_on",
      "request.denial_reason",
      // a filed complaint (service::applyComplaint): when and how it was sent, the board's
      // reference, and the last day the board was heard from after it
      "complaint.filed_on",
      "complaint.filed_via",
      "complaint.reference",
      "complaint.last_heard",
      // a complaint packet (service::applyPacket)
      "packet.incident_count",
      "packet.exhibit_count",
      "packet.incidents",  // "1 incident", "3 incidents"
      "packet.exhibits",   // "no exhibits", "1 exhibit", "2 exhibits"
      // what the ethics standards cited are, whose come first, what [unverified] means
      "packet.ethics_note",
      // the sections of the therapist's own profession's code on ending therapy and referrals
      // (forms/harm-taxonomy.json, abandonment): only those verified, with plain words
      "ethics.ending_code",      // "AAMFT Code of Ethics"
      "ethics.ending_sections",  // "standard 1.11 (Non-Abandonment)"
      // a copy sent to someone the person names (records_access.third_party_copy): the laws
      // that make the holder follow the direction, those under which the letter is also the
      // person's written consent, and each statement such a consent must make ("yes")
      "copy_right.citation",
      "consent.citation",
      "consent.expires_on",
      "consent.purpose",
      "consent.expiry",
      "consent.revoke",
      "consent.no_condition",
      "consent.redisclosure",
      "consent.inspect",
      "consent.refusal",
      "consent.witness",
      "consent.copy",
      "consent.no_redisclosure",
      // dates
      "today",
      "due_date",
  };
  return kNames;
}

const std::map<std::string, std::set<std::string>>& contextLists() {
  static const std::map<std::string, std::set<std::string>> kLists = {
      {"incidents", {"date", "summary", "narrative", "channel", "harm_labels"}},
      // a complaint packet's evidence (service::applyPacket)
      {"exhibits", {"number", "description", "date", "sha256"}},
      {"harms", {"label", "description", "ethics"}},
  };
  return kLists;
}

}  // namespace recourse::forms
