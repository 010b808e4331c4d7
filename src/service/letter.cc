#include "service/letter.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "forms/interview.h"
#include "jurisdiction/json_reader.h"
#include "pdf/document.h"
#include "service/complaint_tracking.h"
#include "service/errors.h"
#include "service/incidents.h"
#include "service/letters.h"
#include "service/requests.h"
#include "store/store.h"

namespace recourse::service {

using Poco::JSON::Object;

std::string letterFormFor(core::RequestStatus status, core::RequestKind kind) {
  switch (status) {
    case core::RequestStatus::kDenied:
      if (kind == core::RequestKind::kAmendment) return "records-disagreement";
      if (kind == core::RequestKind::kAccounting || kind == core::RequestKind::kClaims) {
        return "escalation-complaint";
      }
      return "denial-review";
    case core::RequestStatus::kOverdue:
    case core::RequestStatus::kPartiallyFulfilled:
      return "records-followup";
    default:
      return core::requestKindForm(kind);
  }
}

std::string suggestedLetterCommand(const std::string& request_id, const std::string& form_id) {
  return "recourse request letter " + request_id + " --form " + form_id + " --out " + form_id +
         "-" + request_id + ".pdf";
}

namespace {
// The names of a filed complaint's facts (service::applyComplaint): a form using any is a
// letter about a complaint already filed.
constexpr const char* kFilingNames[] = {"complaint.filed_on", "complaint.filed_via",
                                        "complaint.reference", "complaint.last_heard"};
}  // namespace

std::string suggestedComplaintLetterCommand(const std::string& case_id) {
  return "recourse letter --form complaint-status-inquiry --case " + case_id +
         " --out complaint-status-inquiry-" + case_id + ".pdf";
}

namespace {

void setIfMissing(const forms::Form& form, Object::Ptr answers, const std::string& id,
                  const std::string& value) {
  if (form.findField(id) != nullptr && !answers->has(id)) answers->set(id, value);
}

}  // namespace

void trackedDefaults(const forms::Form& form, const TrackedRequest& t, Object::Ptr answers) {
  followupAnswers(form, t.events, answers);
  setIfMissing(form, answers, "reply_within_days", "14");
  const core::RequestStatus st = t.state.status;
  bool partial = false;
  for (const auto& e : t.events) partial |= e.type == core::RequestEventType::kReceivedPartial;
  if (st == core::RequestStatus::kDenied) {
    setIfMissing(form, answers, "problem", "refused");
    setIfMissing(form, answers, "what_refused", partial ? "part" : "all");
    setIfMissing(form, answers, "review_route", "review");
  } else if (partial) {
    setIfMissing(form, answers, "problem", "partial");
  } else if (st == core::RequestStatus::kOverdue) {
    setIfMissing(form, answers, "problem", "no_answer");
  }
  for (const auto& e : t.events) {
    if (e.type == core::RequestEventType::kDenied && form.findField("refused_on") != nullptr &&
        !answers->has("refused_on")) {
      answers->set("refused_on", e.on.toString());
    }
    if (e.type == core::RequestEventType::kDenied && !e.details.empty() &&
        form.findField("reason_given") != nullptr && !answers->has("reason_given")) {
      answers->set("reason_given", e.details);
    }
  }
  // A statement of disagreement says what was asked for: the correction's own words.
  if (form.findField("what_you_asked") != nullptr && !answers->has("what_you_asked") &&
      !t.request.answers_json.empty()) {
    std::vector<forms::Problem> problems;
    auto stored = jurisdiction::parseJsonObject(t.request.answers_json, "request", &problems);
    if (stored && stored->has("what_is_wrong") && stored->get("what_is_wrong").isString()) {
      answers->set("what_you_asked", stored->getValue<std::string>("what_is_wrong"));
    }
  }
}

namespace {

std::string answerText(const Object::Ptr& answers, const std::string& id) {
  if (!answers->has(id) || !answers->get(id).isString()) return {};
  return answers->get(id).extract<std::string>();
}

}  // namespace

core::StatusOr<Letter> makeLetter(Services& s, const LetterRequest& in) {
  const bool from_request = !in.request_id.empty();
  if (!from_request && in.form_id.empty()) {
    return core::invalidArgument("is required").withField("form_id");
  }
  if (!from_request && in.case_id.empty()) {
    return core::invalidArgument("is required").withField("case_id");
  }
  const core::Date today = s.clock.today();
  // A tracked request supplies the case, the custodian, its answers and its dates.
  std::optional<TrackedRequest> tracked;
  std::string case_id = in.case_id;
  std::string form_id = in.form_id;
  if (from_request) {
    RECOURSE_ASSIGN_OR_RETURN(tracked, showRequest(s, in.request_id));
    case_id = tracked->request.case_id;
    const jurisdiction::RequestState& st = tracked->state;
    if (form_id.empty() && st.awaiting_followup_reply && st.followup_sent_on &&
        st.followup_reply_by) {
      // No second follow-up by default while the first still waits for its answer.
      return core::failedPrecondition(
                 "a follow-up was sent on " + st.followup_sent_on->toString() +
                 " and their reply is due by " + st.followup_reply_by->toString() +
                 ", so no letter was made; to write another follow-up anyway, choose the form "
                 "records-followup")
          .withField("form_id");
    }
    if (form_id.empty()) form_id = letterFormFor(st.status, tracked->request.kind);
  }
  const forms::Form* form = s.catalog.forms().find(form_id);
  if (form == nullptr) {
    return core::notFound("no form \"" + form_id.substr(0, 40) + "\"").withField("form_id");
  }
  // A follow-up or a complaint about a correction (or a list of disclosures) cites that
  // right's law, not the law for copies.
  std::optional<forms::Form> for_kind;
  if (tracked && form->right == "access" && tracked->request.kind != core::RequestKind::kAccess) {
    for_kind = *form;
    for_kind->right = core::requestKindName(tracked->request.kind);
    form = &*for_kind;
  }
  Object::Ptr answers = new Object;
  if (tracked) requestAnswers(*form, tracked->request, answers);
  if (in.answers) answers = in.answers;
  RECOURSE_RETURN_IF_ERROR(applySetOptions(*form, in.set, answers));
  core::Date sent_on = today;
  if (tracked && tracked->state.sent_on) sent_on = *tracked->state.sent_on;
  if (in.sent_on) sent_on = *in.sent_on;

  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(kase->client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto incidents, s.store.listIncidents(kase->id));
  sortByWhen(&incidents);  // timeline order, as everywhere incidents are listed

  if (tracked) trackedDefaults(*form, *tracked, answers);
  prefillAnswers(*form, client, *kase, answers);
  auto problems = forms::checkAnswers(*form, answers, today);
  if (!problems.empty()) {
    std::string msg = "the document needs a few more answers:";
    for (const auto& p : problems) {
      const forms::Field* f = form->findField(p.field.substr(0, p.field.find('.')));
      msg += "\n  " + p.field + ": " + p.message;
      if (f != nullptr && !f->options.empty()) {
        msg += " (";
        for (size_t i = 0; i < f->options.size(); ++i) {
          msg += (i ? ", " : "") + f->options[i].value;
        }
        msg += ")";
      }
    }
    return core::invalidArgument(msg).withField("answers");
  }

  Letter letter;
  letter.form_id = form->id;
  if (form->findField("requester_address") != nullptr && !answers->has("requester_address") &&
      answerText(answers, "format") == "paper" && answerText(answers, "send_to") == "me") {
    letter.warnings.push_back(
        "the letter asks for a paper copy by post but gives no postal address for you; add it "
        "(requester_address, or the client's address) so they know where to send it");
  }
  pdf::DocumentContext dc;
  buildLetterContext(s.catalog.forms(), s.catalog.law(), *form, client, *kase, incidents, sent_on,
                     today, answers, &dc, &letter.warnings);
  // The tracked request's own dates, not ones assumed from sent_on.
  if (tracked) applyRequestState(tracked->request, tracked->state, tracked->events, &dc);
  // A letter to the board about a complaint already filed: its dates and reference, to the
  // board it went to.
  const bool about_filing =
      std::any_of(std::begin(kFilingNames), std::end(kFilingNames),
                  [&](const char* name) { return documentMentions(*form, name); });
  if (form->kind == "complaint" && about_filing) {
    RECOURSE_ASSIGN_OR_RETURN(auto filed, trackComplaint(s, kase->id));
    if (filed.filed_on) {
      core::Complaint c;
      c.filed_on = filed.filed_on;
      c.filed_via = filed.filed_via;
      c.board_reference = filed.board_reference;
      applyComplaint(c, filed.state, s.catalog.law().boardById(filed.board_id).board, &dc);
    } else {
      return core::failedPrecondition(
                 "this letter is about a complaint already filed; record the day it was filed "
                 "first (recourse complaint filed)")
          .withField("case_id")
          .withReason("complaint_not_filed");
    }
  }
  RECOURSE_ASSIGN_OR_RETURN(const pdf::FontKit* fonts, s.catalog.fonts());
  pdf::DocInfo info{form->document_title.get("en"), client.name, form->title.get("en"),
                    s.clock.now()};
  RECOURSE_ASSIGN_OR_RETURN(auto doc, pdf::renderForm(*form, answers, dc, *fonts, info));
  for (auto& note : glyphNotes(doc.fallbacks)) letter.warnings.push_back(std::move(note));
  letter.unshown = doc.fallbacks;
  letter.pdf = std::move(doc.pdf);
  letter.pages = doc.pages;
  letter.due_date = dc.values["due_date"];
  return letter;
}

}  // namespace recourse::service
