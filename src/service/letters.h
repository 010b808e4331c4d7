// What a letter draws on besides the form: answers the case already knows, the tracked
// request's custodian and dates, and the document context (the law and its citations, the
// due date, letterhead, incidents, harms). Shared by `letter`, `request letter`, and the
// batch commands, so a letter reads the same however it was made.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/entities.h"
#include "core/request.h"
#include "forms/loader.h"
#include "jurisdiction/complaint_tracking.h"
#include "jurisdiction/registry.h"
#include "jurisdiction/request_tracking.h"
#include "pdf/document.h"

namespace recourse::service {

// Fills answers the form asks for that the client and case already know (name, addresses,
// the therapist, treatment dates). Answers already present win.
void prefillAnswers(const forms::Form& form, const core::Client& client, const core::Case& kase,
                    Poco::JSON::Object::Ptr answers);

// What a person is told about each character a document could not show as typed: a
// control character, or one the fonts lack, written as "[U+XXXX]" (pdf::RenderedDocument
// fallbacks). Every command and page that makes a PDF says these.
std::vector<std::string> glyphNotes(const std::vector<char32_t>& fallbacks);

// The answers a tracked request was made with (only those the form asks), then those saved
// for this form's own letter (under "letters" → form id, from a later letter's page), and
// its custodian's name, email and address.
void requestAnswers(const forms::Form& form, const core::RecordsRequest& request,
                    Poco::JSON::Object::Ptr answers);

// For a follow-up letter: what came back so far (nothing, an acknowledgement, part of the
// records, with the person's note on what is missing), from the request's events. Answers
// already present win.
void followupAnswers(const forms::Form& form, const std::vector<core::RequestEvent>& events,
                     Poco::JSON::Object::Ptr answers);

// Applies --set FIELD=VALUE / FIELD.PART=VALUE options to the answers: true/false for
// yes/no fields, commas between the choices of a multi-choice field. InvalidArgument
// about field "set" for an unknown field or part, or a value of the wrong kind.
core::Status applySetOptions(const forms::Form& form, const std::vector<std::string>& sets,
                             Poco::JSON::Object::Ptr answers);

// Everything but the answers that the document's placeholders and furniture draw on: the
// names forms::contextNames() declares, except those filled only by applyRequestState and
// applyPacket, and the incidents and harms lists. Some only when their facts exist or
// apply: board.* for complaints to a board (board.complaint_time_limit only when confirmed),
// federal.* when a national law is cited besides the state's, escalation.due_date for an
// escalation complaint about a request never answered (answer problem=no_answer) whose
// time limit has not passed. `sent_on`: the day the letter is (or was) received, for its
// due date; `today`: the letter's date. Notes for the person (unverified law, no board
// found, a time limit already past) go to `warnings`.
void buildLetterContext(const forms::FormSet& set, const jurisdiction::Registry& reg,
                        const forms::Form& form, const core::Client& client, const core::Case& kase,
                        const std::vector<core::Incident>& incidents, const core::Date& sent_on,
                        const core::Date& today, const Poco::JSON::Object::Ptr& answers,
                        pdf::DocumentContext* dc, std::vector<std::string>* warnings);

// A tracked request's own dates (sent, due, days overdue, denial), reference and channel
// into the context, replacing ones buildLetterContext assumed; escalation.due_date becomes
// the escalation limit the state counts (from the refusal, or the day after the answer was
// due), or is removed when the state gives none or it has passed.
// REQUIRES: buildLetterContext ran on `dc`; `state` was derived for the letter's date.
void applyRequestState(const core::RecordsRequest& request, const jurisdiction::RequestState& state,
                       const std::vector<core::RequestEvent>& events, pdf::DocumentContext* dc);

// Whether any text of the form's document mentions `name`.
bool documentMentions(const forms::Form& form, const std::string& name);

// How something was sent, as a letter or an export says it: "by post", "by email", "by fax",
// "online", "in person", "through their portal"; "" for anything else.
std::string channelInWords(const std::string& via);

// A filed complaint's facts for a letter about it (asking the board where it stands):
// complaint.filed_on, complaint.filed_via (in words: "online", "by post", ...),
// complaint.reference and complaint.last_heard (the last day the board was heard from, only
// when it has been since the filing); and, when `board` is given, the board's name and address as
// the letter's recipient in place of the one buildLetterContext found.
// REQUIRES: buildLetterContext ran on `dc`; `state` was derived for the letter's date.
void applyComplaint(const core::Complaint& complaint, const jurisdiction::ComplaintState& state,
                    const jurisdiction::Board* board, pdf::DocumentContext* dc);

// A complaint packet's exhibit list (numbered from 1 in the order given; the description,
// else the file's name), packet.incident_count / packet.exhibit_count (set only when there is an
// exhibit), and, when harms are listed and no note is set yet, packet.ethics_note saying what their
// standards are.
void applyPacket(const std::vector<core::EvidenceItem>& evidence, size_t incident_count,
                 pdf::DocumentContext* dc);

// A postal address kept as one line ("Board of Behavioral Sciences, 1625 N Market Blvd.,
// Suite S-200, Sacramento, CA 95834") as the lines of an envelope: each part on its own
// line, except that a city stays with the region and postal code after it ("Sacramento,
// CA 95834", "Toronto, ON M5G 2J5"). A postcode on its own ("S3 8JY") keeps its own line.
std::vector<std::string> postalLines(const std::string& address);

}  // namespace recourse::service
