// A licensing-board complaint: reviewed answer by answer (prefilled from the case, saved
// as the person leaves it), then assembled into one packet: cover letter, the complaint
// (narrative, timeline, harms with the ethics standards they break, exhibit index), and
// every exhibit behind its cover sheet, each original page set whole inside a page with a
// band above it for the exhibit's number (nothing covers the evidence). Pages are numbered
// across the whole packet.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "core/notice.h"
#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

struct ReviewComplaint {
  std::string case_id;
  // Answers to change: a JSON object (from a file or the browser; may be null), then
  // FIELD=VALUE / FIELD.PART=VALUE strings (applySetOptions), in that order.
  Poco::JSON::Object::Ptr answers;
  std::vector<std::string> set;
  // Only look: nothing is saved (a page showing the answers so far).
  bool look_only = false;
};

struct ReviewedField {
  std::string id;
  std::string label;
  std::string value;  // as shown: a choice's label, parts joined; "" when not answered
  bool required = false;
};
struct ReviewedStep {
  std::string id;  // the form's step
  std::string title;
  std::vector<ReviewedField> fields;  // only those the answers make visible
};

struct ComplaintReview {
  std::string case_id;
  std::string form_id;              // the board's own form, else board-complaint
  Poco::JSON::Object::Ptr answers;  // every answer as saved and prefilled
  std::string provider_name;
  std::string board_name;  // "" when no board was found
  std::string board_note;  // why no board was found
  std::string form_title;
  std::vector<ReviewedStep> steps;
  size_t missing = 0;  // required answers still empty
  size_t incidents = 0;
  size_t exhibits = 0;
  std::vector<core::Notice> warnings;  // time limits (service/time_limits.h)
  std::optional<core::Date> filed_on;  // the day the person sent it to the board
  bool saved = false;                  // reviewed and saved at least once
};

// Records the day the complaint was sent to the board (nullopt: it was not sent after
// all), which completes the case's complaint task. Sending is the person's own act; this
// only notes it. NotFound about "case_id"; FailedPrecondition about "filed_on" when the
// complaint was never reviewed and saved; InvalidArgument about "filed_on" for a day after
// today. Logged "complaint.edit" (ids only). On success the complaint as it stands.
core::StatusOr<ComplaintReview> recordComplaintSent(Services& s, const std::string& case_id,
                                                    std::optional<core::Date> on);

// Merges the given answers into the saved ones, prefills what the case knows, refuses
// wrong answers (missing ones are only counted) and saves the result as the case's
// complaint. On failure nothing is saved: NotFound (field "case_id"), InvalidArgument naming
// the answer ("set", or the form field), the store's error as it is.
core::StatusOr<ComplaintReview> reviewComplaint(Services& s, const ReviewComplaint& in);

struct ComplaintPacketRequest {
  std::string case_id;
  std::string out_path;  // where the PDF goes (must not exist)
  // A running number ("000017") at the bottom right of every page, exhibits included, for
  // boards that ask for numbered pages. Every page says "Page N of M" either way.
  bool running_number = false;
  // The packet comes back in ComplaintPacket::pdf instead (out_path is not used), so that
  // nothing of it touches the disk: the browser's download.
  bool in_memory = false;
};

struct ComplaintPacket {
  long pages = 0;
  size_t incidents = 0;
  size_t exhibits = 0;
  size_t exhibit_pages = 0;
  std::string board_name;
  std::vector<std::string> warnings;
  std::vector<char32_t> unshown;  // characters written as [U+XXXX], each once
  std::vector<std::uint8_t> pdf;  // when in_memory
};

// Writes the packet to out_path and records each exhibit's inclusion in its custody log
// (only once the packet is complete). On failure no file is left and nothing is logged:
// NotFound (field "case_id"); InvalidArgument with field "review" when the complaint was
// never reviewed (nothing goes out unseen), field "answers" listing the answers still
// needed, field "out_path" when the file exists; Corruption naming the exhibit whose file
// fails its check; FailedPrecondition when the fonts are missing.
core::StatusOr<ComplaintPacket> makeComplaintPacket(Services& s, const ComplaintPacketRequest& in);

// An answer as a person reads it: text as is, yes/no, an address or a range on one line,
// the choices of a list joined with commas.
std::string answerText(const Poco::Dynamic::Var& v);

}  // namespace recourse::service
