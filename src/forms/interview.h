// Running an interview: which steps and fields are shown for the answers so far, and
// whether a set of answers is acceptable. The web wizard, the API and the CLI all use this,
// so what a person may skip is decided in one place.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "forms/model.h"

namespace recourse::forms {

using Answers = Poco::JSON::Object::Ptr;  // {"field_id": value, ...}

// Evaluates a show_if condition against the answers. A field with no answer is unset.
bool conditionHolds(const Condition& c, const Answers& answers);

// Steps shown for these answers, in order (a step is hidden by its show_if).
std::vector<const Step*> visibleSteps(const Form& form, const Answers& answers);
bool fieldVisible(const Form& form, const Field& field, const Answers& answers);
// Whether the document needs this field's answer, given the others: shown, and required
// or its required_if holds.
bool fieldNeeded(const Form& form, const Field& field, const Answers& answers);

// The answers on this step the document still needs, empty: field ids, and "field.part" for a
// part of a person answer (Field::parts) that is needed and empty.
std::vector<std::string> missingAnswers(const Form& form, const Step& step, const Answers& answers);

struct AnswerProblem {
  std::string field;  // field id (or "answers" for the object itself)
  std::string message;
  // What went wrong as data (core::Status::withReason), when it is a common kind: "required",
  // "required_by_answers" (a required_if that holds),
  // "too_long" {max}, "too_short" {min}, "not_a_date", "range_end_before_start",
  // "day_in_future" {day} (validation "not_after": "today"), "day_in_past" {day}
  // (validation "not_before": "today").
  std::string reason{};
  core::Status::ReasonArgs args{};
};

// Turns each yes/no field's answer given as text ("yes", "No", "y", "true", ...:
// core::parseYesNo) into a boolean, in place. Other answers are left as they are.
void bindYesNo(const Form& form, Answers answers);

// Checks answers against the form: unknown fields, wrong types, options, lengths, patterns,
// date shapes, days after `today` where the form says "not_after": "today" (before it, for
// "not_before"), and required
// fields that are shown but empty. Hidden fields' answers are not checked. Yes/no answers given as
// text are bound first (bindYesNo), so every caller (a form file, --set, the browser, a spreadsheet
// row) takes them the same way. An empty list means the answers can make the document.
std::vector<AnswerProblem> checkAnswers(const Form& form, const Answers& answers, core::Date today);

}  // namespace recourse::forms
