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
  const forms::Form* form = nullptr;  // records-request
  // The answers as the letter would use them: what was saved, then what the case knows
  // (the person's name and address, the custodian, the therapist).
  Poco::JSON::Object::Ptr answers;
  std::vector<StepState> steps;  // every step of the form, in order
  size_t missing = 0;            // required answers still empty, over the shown steps
};

// The interview of a records request. NotFound about "request_id"; FailedPrecondition when
// the records-request form is missing.
core::StatusOr<RequestInterview> requestInterview(Services& s, const std::string& request_id);

// The answers a request starts with, shown for review rather than hidden: every record, an
// electronic copy, sent to the person.
Poco::JSON::Object::Ptr defaultRequestAnswers();

// Saves the answers to one step's fields into the request: each field of the step that is
// given replaces the saved answer (null or "" clears it); fields of other steps are refused.
// The step's shown fields are checked as the letter checks them (forms::checkAnswers): a
// wrong type, option, length, date, or a required answer left empty. On failure nothing is
// saved: InvalidArgument naming the field (or "step" for an unknown step); NotFound about
// "request_id". On success the interview as it stands now.
core::StatusOr<RequestInterview> saveRequestStep(Services& s, const std::string& request_id,
                                                 const std::string& step_id,
                                                 const Poco::JSON::Object::Ptr& given);

}  // namespace recourse::service
