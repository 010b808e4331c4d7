// Making one letter (a records request, follow-up, review request, escalation complaint or
// board complaint) from a form definition, the case's facts and the law. A tracked records
// request supplies its case, custodian, answers, dates and, unless a form is named, the
// letter its state calls for now (follow-up when overdue or partly answered, review when
// refused).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/request.h"
#include "core/status.h"
#include "forms/model.h"
#include "service/services.h"

namespace recourse::service {

struct LetterRequest {
  std::string form_id;     // may be empty when request_id is given
  std::string case_id;     // ignored when request_id is given
  std::string request_id;  // a tracked records request, or empty
  // Answers: a JSON object that replaces the request's own answers when given (may be
  // null), then FIELD=VALUE strings (applySetOptions). The case fills what they leave out.
  Poco::JSON::Object::Ptr answers;
  std::vector<std::string> set;
  // The day the letter will be received, for its due date (default: the request's sent
  // date, else today).
  std::optional<core::Date> sent_on;
};

struct Letter {
  std::string form_id;
  std::vector<std::uint8_t> pdf;
  int pages = 0;
  std::string due_date;               // as the letter states it, "" when none
  std::vector<std::string> warnings;  // unverified law, no board found, missing glyphs
  std::vector<char32_t> unshown;      // characters written as [U+XXXX], each once
};

// On success the PDF bytes and what to tell the person once. Nothing is written anywhere.
// On failure: InvalidArgument about "form_id"/"case_id" when neither a request nor both
// are given, about "set" for a bad FIELD=VALUE, about "answers" listing each answer still
// needed ("scope: is needed for this document (all, dates)"); NotFound about "form_id",
// "case_id" or "request_id"; FailedPrecondition when the fonts are missing; the store's
// error (Unauthenticated, IOError, Corruption) as it is, never as NotFound.
core::StatusOr<Letter> makeLetter(Services& s, const LetterRequest& in);

// The command that makes the letter `form_id` for the tracked request `request_id`, as
// `request show` and `deadlines` print it: it runs as printed and writes
// FORM-REQUEST.pdf in the current directory.
std::string suggestedLetterCommand(const std::string& request_id, const std::string& form_id);

// The command that makes the letter asking a board where the case's complaint stands
// (forms/complaint-status-inquiry.json), as `deadlines` and `complaint status` print it.
std::string suggestedComplaintLetterCommand(const std::string& case_id);

struct TrackedRequest;
// What a tracked request's events already say, so a later letter does not ask again: what
// came back, the usual reply window, the problem an escalation is about, for a refusal the
// review the law provides and when it came, and for a statement of disagreement what the
// correction asked (its "what_is_wrong", in the person's words). Answers already given win.
void trackedDefaults(const forms::Form& form, const TrackedRequest& t,
                     Poco::JSON::Object::Ptr answers);

// The form a tracked request's state calls for: "denial-review" when refused,
// "records-followup" when overdue or partly answered, else "records-request".
std::string letterFormFor(core::RequestStatus status,
                          core::RequestKind kind = core::RequestKind::kAccess);

}  // namespace recourse::service
