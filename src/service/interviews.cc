#include "service/interviews.h"

#include <sstream>

#include "jurisdiction/json_reader.h"
#include "service/errors.h"
#include "service/letters.h"
#include "store/store.h"

namespace recourse::service {

using Poco::JSON::Object;

namespace {

constexpr char kRequestForm[] = "records-request";

// The saved answers of a request, only those the form asks.
Object::Ptr savedAnswers(const forms::Form& form, const core::RecordsRequest& r) {
  Object::Ptr out = new Object;
  if (r.answers_json.empty()) return out;
  std::vector<forms::Problem> problems;
  auto stored = jurisdiction::parseJsonObject(r.answers_json, "request", &problems);
  if (!stored) return out;
  for (const auto& name : stored->getNames()) {
    if (form.findField(name) != nullptr) out->set(name, stored->get(name));
  }
  return out;
}

}  // namespace

Object::Ptr defaultRequestAnswers() {
  Object::Ptr a = new Object;
  a->set("scope", "all");
  a->set("format", "electronic");
  a->set("send_to", "me");
  return a;
}

core::StatusOr<RequestInterview> requestInterview(Services& s, const std::string& request_id) {
  RequestInterview out;
  RECOURSE_ASSIGN_OR_RETURN(out.tracked, showRequest(s, request_id));
  out.form = s.catalog.forms().find(kRequestForm);
  if (out.form == nullptr) return core::failedPrecondition("the records-request form is missing");
  const core::RecordsRequest& r = out.tracked.request;
  RECOURSE_ASSIGN_OR_RETURN(auto kase, s.store.getCase(r.case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(kase.client_id));
  out.answers = new Object;
  requestAnswers(*out.form, r, out.answers);
  prefillAnswers(*out.form, client, kase, out.answers);
  forms::bindYesNo(*out.form, out.answers);
  for (const auto& step : out.form->steps) {
    StepState st;
    st.step = &step;
    st.visible = !step.show_if || forms::conditionHolds(*step.show_if, out.answers);
    if (st.visible) {
      st.missing = forms::missingAnswers(*out.form, step, out.answers);
      for (const auto& f : step.fields) {
        if (forms::fieldVisible(*out.form, f, out.answers)) st.shown.push_back(f.id);
      }
    }
    out.missing += st.missing.size();
    out.steps.push_back(std::move(st));
  }
  return out;
}

core::StatusOr<RequestInterview> saveRequestStep(Services& s, const std::string& request_id,
                                                 const std::string& step_id,
                                                 const Object::Ptr& given) {
  RECOURSE_ASSIGN_OR_RETURN(RequestInterview now, requestInterview(s, request_id));
  const forms::Step* step = nullptr;
  for (const auto& st : now.form->steps) {
    if (st.id == step_id) step = &st;
  }
  if (step == nullptr) {
    return core::invalidArgument("\"" + step_id.substr(0, 40) + "\" is not a step of this letter")
        .withField("step");
  }
  Object::Ptr saved = savedAnswers(*now.form, now.tracked.request);
  // What the page showed (saved and prefilled) stays unless the page changed it.
  Object::Ptr merged = new Object(*now.answers);
  for (const auto& name : given->getNames()) {
    bool on_step = false;
    for (const auto& f : step->fields) on_step |= f.id == name;
    if (!on_step) {
      return core::invalidArgument("is not a question on this page").withField(name.substr(0, 60));
    }
    const auto& v = given->get(name);
    if (v.isEmpty() || (v.isString() && v.extract<std::string>().empty())) {
      merged->remove(name);
    } else {
      merged->set(name, v);
    }
  }
  forms::bindYesNo(*now.form, merged);
  for (const auto& p : forms::checkAnswers(*now.form, merged, s.clock.today())) {
    // An answer needed because of others is asked for on the check page: those others may
    // still change on a later step.
    if (p.reason == "required_by_answers") continue;
    const std::string field = p.field.substr(0, p.field.find('.'));
    for (const auto& f : step->fields) {
      if (f.id == field) {
        return core::invalidArgument(p.message).withField(p.field).withReason(p.reason, p.args);
      }
    }
  }
  // Saved: every answer of the interview so far (the prefilled ones too, once reviewed on
  // their page), so the letter says what the person saw.
  for (const auto& f : step->fields) {
    if (merged->has(f.id)) {
      saved->set(f.id, merged->get(f.id));
    } else {
      saved->remove(f.id);
    }
  }
  core::RecordsRequest r = now.tracked.request;
  std::ostringstream os;
  saved->stringify(os);
  r.answers_json = os.str();
  // The custodian's name is the request's own: the letter and the list use it.
  if (merged->has("custodian_name") && merged->get("custodian_name").isString()) {
    r.custodian_name = merged->getValue<std::string>("custodian_name");
  }
  if (merged->has("custodian_email") && merged->get("custodian_email").isString()) {
    r.custodian_email = merged->getValue<std::string>("custodian_email");
  }
  auto updated = s.store.updateRequest(r);
  if (!updated.isOk()) {
    return notFoundAs(updated.status(), "no records request with id " + request_id, "request_id");
  }
  return requestInterview(s, request_id);
}

}  // namespace recourse::service
