// Interviews in the browser: a form's steps answered one page at a time and saved on every
// step. A records request keeps its letter's answers itself (a request not yet sent is the
// draft), so a person who leaves at any step comes back to every answer kept.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/status.h"
#include "forms/interview.h"
#include "service/requests.h"
#include "service/services.h"

namespace recourse::service {

// A step as it stands: shown or not for these answers, and which of its shown, required
// fields are still empty.
struct StepState {
  const forms::Step* step = nullptr;
  bool visible = true;
  std::vector<std::string> missing;  // field ids, "field.part" for a part (forms::missingAnswers)
  std::vector<std::string> shown;    // ids of the fields shown for these answers (fieldVisible)
};

struct RequestInterview {
  TrackedRequest tracked;
  const forms::Form* form = nullptr;  // the kind's: records-request, records-amendment, ...
  // The answers as the letter would use them: what was saved, then what the case knows
  // (the person's name and address, the custodian, the therapist).
  Poco::JSON::Object::Ptr answers;
  std::vector<StepState> steps;  // every step of the form, in order
  size_t missing = 0;            // required answers still empty, over the shown steps
};

// The interview of a records request, on the form of its kind (core::requestKindForm).
// NotFound about "request_id"; FailedPrecondition when that form is missing.
core::StatusOr<RequestInterview> requestInterview(Services& s, const std::string& request_id);

// The answers a request starts with, shown for review rather than hidden: for a copy, every
// record, an electronic copy, sent to the person; for a list of disclosures, all the law
// covers; for a correction, nothing (what is wrong is the person's to say).
Poco::JSON::Object::Ptr defaultRequestAnswers(core::RequestKind kind);

// Saves the answers to one step's fields into the request: each field of the step that is
// given replaces the saved answer (null or "" clears it); fields of other steps are refused.
// The step's shown fields are checked as the letter checks them (forms::checkAnswers): a
// wrong type, option, length, date, or a required answer left empty. On failure nothing is
// saved: InvalidArgument naming the field (or "step" for an unknown step); NotFound about
// "request_id". On success the interview as it stands now.
core::StatusOr<RequestInterview> saveRequestStep(Services& s, const std::string& request_id,
                                                 const std::string& step_id,
                                                 const Poco::JSON::Object::Ptr& given);

// A later letter of a records request (a follow-up, a review, a statement of disagreement):
// the questions of its own, answered in the browser before it is made. Its steps are the
// letter form's steps that ask something the request's own form does not; the answers are
// those the letter would use (the request's saved answers, what its events say, what the
// case knows).
struct LetterInterview {
  TrackedRequest tracked;
  const forms::Form* form = nullptr;
  Poco::JSON::Object::Ptr answers;
  std::vector<StepState> steps;  // the letter's own steps, in order
  size_t missing = 0;            // required answers still empty, over the shown steps
};

// NotFound about "request_id", or about "form" for a form that is not a letter of a
// tracked request (its first letter has the request's own interview).
core::StatusOr<LetterInterview> letterInterview(Services& s, const std::string& request_id,
                                                const std::string& form_id);

// Saves the answers to one of the letter's steps into the request (kept beside its own
// answers, so the letter is made with them and they are there when the person comes back),
// checked as saveRequestStep checks them. InvalidArgument naming the field (or "step");
// NotFound as letterInterview. On success the letter's interview as it stands now.
core::StatusOr<LetterInterview> saveLetterStep(Services& s, const std::string& request_id,
                                               const std::string& form_id,
                                               const std::string& step_id,
                                               const Poco::JSON::Object::Ptr& given);

}  // namespace recourse::service
