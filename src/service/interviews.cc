#include "service/interviews.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "jurisdiction/json_reader.h"
#include "service/errors.h"
#include "service/letter.h"
#include "service/letters.h"
#include "store/store.h"

namespace recourse::service {

using Poco::JSON::Object;

namespace {

// Every answer saved on a request: its own form's and those of its later letters.
Object::Ptr savedAnswers(const core::RecordsRequest& r) {
  Object::Ptr out = new Object;
  if (r.answers_json.empty()) return out;
  std::vector<forms::Problem> problems;
  auto stored = jurisdiction::parseJsonObject(r.answers_json, "request", &problems);
  return stored ? stored : out;
}

// The letters a tracked request can lead to, each answered in its own interview.
bool isLaterLetter(const std::string& form_id) {
  return form_id == "records-followup" || form_id == "denial-review" ||
         form_id == "records-disagreement" || form_id == "escalation-complaint";
}

// The state of each of `steps` for these answers.
std::vector<StepState> stepStates(const forms::Form& form,
                                  const std::vector<const forms::Step*>& steps,
                                  const Object::Ptr& answers, size_t* missing) {
  std::vector<StepState> out;
  for (const forms::Step* step : steps) {
    StepState st;
    st.step = step;
    st.visible = !step->show_if || forms::conditionHolds(*step->show_if, answers);
    if (st.visible) {
      st.missing = forms::missingAnswers(form, *step, answers);
      for (const auto& f : step->fields) {
        if (forms::fieldVisible(form, f, answers)) st.shown.push_back(f.id);
      }
    }
    *missing += st.missing.size();
    out.push_back(std::move(st));
  }
  return out;
}

// One page's answers checked as its document checks them: each field of the step given
// replaces the shown answer (null or "" clears it); fields of other steps are refused. On
// success *step is the step and *merged the page's answers after the change.
core::Status checkStep(Services& s, const forms::Form& form, const Object::Ptr& shown,
                       const std::string& step_id, const Object::Ptr& given,
                       const forms::Step** step, Object::Ptr* merged) {
  *step = nullptr;
  for (const auto& st : form.steps) {
    if (st.id == step_id) *step = &st;
  }
  if (*step == nullptr) {
    return core::invalidArgument("\"" + step_id.substr(0, 40) + "\" is not a step of this letter")
        .withField("step");
  }
  // What the page showed (saved and prefilled) stays unless the page changed it.
  *merged = new Object(*shown);
  for (const auto& name : given->getNames()) {
    bool on_step = false;
    for (const auto& f : (*step)->fields) on_step |= f.id == name;
    if (!on_step) {
      return core::invalidArgument("is not a question on this page").withField(name.substr(0, 60));
    }
    const auto& v = given->get(name);
    if (v.isEmpty() || (v.isString() && v.extract<std::string>().empty())) {
      (*merged)->remove(name);
    } else {
      (*merged)->set(name, v);
    }
  }
  forms::bindYesNo(form, *merged);
  for (const auto& p : forms::checkAnswers(form, *merged, s.clock.today())) {
    // An answer needed because of others is asked for on the check page: those others may
    // still change on a later step.
    if (p.reason == "required_by_answers") continue;
    const std::string field = p.field.substr(0, p.field.find('.'));
    for (const auto& f : (*step)->fields) {
      if (f.id == field) {
        return core::invalidArgument(p.message).withField(p.field).withReason(p.reason, p.args);
      }
    }
  }
  return core::Status::ok();
}

core::Status storeAnswers(Services& s, core::RecordsRequest r, const Object::Ptr& saved) {
  std::ostringstream os;
  saved->stringify(os);
  r.answers_json = os.str();
  auto updated = s.store.updateRequest(r);
  if (!updated.isOk()) {
    return notFoundAs(updated.status(), "no records request with id " + r.id, "request_id");
  }
  return core::Status::ok();
}

// A value as JSON text, to tell whether the person changed an answer.
std::string jsonText(const Poco::Dynamic::Var& v) {
  std::ostringstream os;
  Poco::JSON::Stringifier::stringify(v, os);
  return os.str();
}

}  // namespace

Object::Ptr defaultRequestAnswers(core::RequestKind kind) {
  Object::Ptr a = new Object;
  if (kind == core::RequestKind::kAmendment) return a;  // what is wrong is theirs to say
  a->set("scope", "all");
  if (kind == core::RequestKind::kAccounting) return a;
  a->set("format", "electronic");
  if (kind == core::RequestKind::kClaims) return a;  // the plan sends them to the person
  a->set("send_to", "me");
  return a;
}

core::StatusOr<RequestInterview> requestInterview(Services& s, const std::string& request_id) {
  RequestInterview out;
  RECOURSE_ASSIGN_OR_RETURN(out.tracked, showRequest(s, request_id));
  const core::RecordsRequest& r = out.tracked.request;
  const char* form_id = core::requestKindForm(r.kind);
  out.form = s.catalog.forms().find(form_id);
  if (out.form == nullptr) {
    return core::failedPrecondition(std::string("the ") + form_id + " form is missing");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto kase, s.store.getCase(r.case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(kase.client_id));
  out.answers = new Object;
  requestAnswers(*out.form, r, out.answers);
  prefillAnswers(*out.form, client, kase, out.answers);
  forms::bindYesNo(*out.form, out.answers);
  std::vector<const forms::Step*> steps;
  for (const auto& step : out.form->steps) steps.push_back(&step);
  out.steps = stepStates(*out.form, steps, out.answers, &out.missing);
  return out;
}

core::StatusOr<RequestInterview> saveRequestStep(Services& s, const std::string& request_id,
                                                 const std::string& step_id,
                                                 const Object::Ptr& given) {
  RECOURSE_ASSIGN_OR_RETURN(RequestInterview now, requestInterview(s, request_id));
  const forms::Step* step = nullptr;
  Object::Ptr merged;
  RECOURSE_RETURN_IF_ERROR(checkStep(s, *now.form, now.answers, step_id, given, &step, &merged));
  // Saved: every answer of the step (the prefilled ones too, once reviewed on their page),
  // so the letter says what the person saw.
  Object::Ptr saved = savedAnswers(now.tracked.request);
  for (const auto& f : step->fields) {
    if (merged->has(f.id)) {
      saved->set(f.id, merged->get(f.id));
    } else {
      saved->remove(f.id);
    }
  }
  core::RecordsRequest r = now.tracked.request;
  // The custodian's name is the request's own: the letter and the list use it.
  if (merged->has("custodian_name") && merged->get("custodian_name").isString()) {
    r.custodian_name = merged->getValue<std::string>("custodian_name");
  }
  if (merged->has("custodian_email") && merged->get("custodian_email").isString()) {
    r.custodian_email = merged->getValue<std::string>("custodian_email");
  }
  RECOURSE_RETURN_IF_ERROR(storeAnswers(s, std::move(r), saved));
  return requestInterview(s, request_id);
}

namespace {

// Whether a later letter fits what the request asked for: a follow-up and a complaint to
// the enforcing body fit any; a review of a refusal, a copy; a statement of disagreement,
// a correction.
bool fitsKind(const std::string& form_id, core::RequestKind kind) {
  if (form_id == "records-followup" || form_id == "escalation-complaint") return true;
  if (form_id == "denial-review") return kind == core::RequestKind::kAccess;
  if (form_id == "records-disagreement") return kind == core::RequestKind::kAmendment;
  return false;
}

// A later letter's answers: the request's own (and, with `with_own_page`, what the person
// gave on this letter's page), what its events say, what the case knows.
core::StatusOr<Object::Ptr> laterAnswers(Services& s, const TrackedRequest& t,
                                         const forms::Form& form, bool with_own_page) {
  core::RecordsRequest r = t.request;
  if (!with_own_page) {
    Object::Ptr saved = savedAnswers(r);
    saved->remove("letters");
    std::ostringstream os;
    saved->stringify(os);
    r.answers_json = os.str();
  }
  RECOURSE_ASSIGN_OR_RETURN(auto kase, s.store.getCase(r.case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(kase.client_id));
  Object::Ptr answers = new Object;
  requestAnswers(form, r, answers);
  trackedDefaults(form, t, answers);
  prefillAnswers(form, client, kase, answers);
  forms::bindYesNo(form, answers);
  return answers;
}

}  // namespace

core::StatusOr<LetterInterview> letterInterview(Services& s, const std::string& request_id,
                                                const std::string& form_id) {
  LetterInterview out;
  RECOURSE_ASSIGN_OR_RETURN(out.tracked, showRequest(s, request_id));
  const core::RecordsRequest& r = out.tracked.request;
  out.form = isLaterLetter(form_id) && fitsKind(form_id, r.kind) ? s.catalog.forms().find(form_id)
                                                                 : nullptr;
  if (out.form == nullptr) {
    return core::notFound("no later letter \"" + form_id.substr(0, 40) +
                          "\" for this request: a follow-up (records-followup) or a complaint "
                          "(escalation-complaint) for any; a review of a refusal "
                          "(denial-review) for a copy; a statement of disagreement "
                          "(records-disagreement) for a correction")
        .withField("form");
  }
  const forms::Form* own = s.catalog.forms().find(core::requestKindForm(r.kind));
  RECOURSE_ASSIGN_OR_RETURN(out.answers, laterAnswers(s, out.tracked, *out.form, true));
  // Its own questions: a step asking anything the request's interview does not.
  std::vector<const forms::Step*> steps;
  for (const auto& step : out.form->steps) {
    bool asks_more = false;
    for (const auto& f : step.fields) {
      asks_more |= own == nullptr || own->findField(f.id) == nullptr;
    }
    if (asks_more) steps.push_back(&step);
  }
  out.steps = stepStates(*out.form, steps, out.answers, &out.missing);
  return out;
}

core::StatusOr<LetterInterview> saveLetterStep(Services& s, const std::string& request_id,
                                               const std::string& form_id,
                                               const std::string& step_id,
                                               const Object::Ptr& given) {
  RECOURSE_ASSIGN_OR_RETURN(LetterInterview now, letterInterview(s, request_id, form_id));
  bool own_step = false;
  for (const auto& st : now.steps) own_step |= st.step->id == step_id;
  if (!own_step) {
    return core::invalidArgument("\"" + step_id.substr(0, 40) + "\" is not a step of this letter")
        .withField("step");
  }
  const forms::Step* step = nullptr;
  Object::Ptr merged;
  RECOURSE_RETURN_IF_ERROR(checkStep(s, *now.form, now.answers, step_id, given, &step, &merged));
  // Kept for this letter only, and only what the person changed: an answer worked out from
  // the request, its events or the case stays worked out (a refusal recorded later still
  // reaches the letter), and the request's own answers are never rewritten from here.
  RECOURSE_ASSIGN_OR_RETURN(Object::Ptr derived,
                            laterAnswers(s, now.tracked, *now.form, /*with_own_page=*/false));
  Object::Ptr saved = savedAnswers(now.tracked.request);
  Object::Ptr letters = saved->has("letters") && saved->get("letters").type() == typeid(Object::Ptr)
                            ? saved->getObject("letters")
                            : Object::Ptr(new Object);
  Object::Ptr mine = letters->has(form_id) && letters->get(form_id).type() == typeid(Object::Ptr)
                         ? letters->getObject(form_id)
                         : Object::Ptr(new Object);
  for (const auto& f : step->fields) {
    const bool given_now = merged->has(f.id);
    const bool worked_out = derived->has(f.id);
    if (given_now && (!worked_out || jsonText(merged->get(f.id)) != jsonText(derived->get(f.id)))) {
      mine->set(f.id, merged->get(f.id));
    } else if (!given_now && worked_out) {
      mine->set(f.id, "");  // emptied on purpose: stays empty
    } else {
      mine->remove(f.id);
    }
  }
  letters->set(form_id, mine);
  saved->set("letters", letters);
  RECOURSE_RETURN_IF_ERROR(storeAnswers(s, now.tracked.request, saved));
  return letterInterview(s, request_id, form_id);
}

}  // namespace recourse::service
