#include "core/validation.h"

#include <algorithm>

namespace recourse::core {
namespace {

Status checkText(std::string_view field, const std::string& value, size_t max, bool required) {
  if (required && value.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalidArgument("must not be empty")
        .withField(std::string(field))
        .withReason("required");
  }
  if (value.size() > max) {
    return invalidArgument("is longer than " + std::to_string(max) + " bytes")
        .withField(std::string(field))
        .withReason("too_long", {{"max", std::to_string(max)}});
  }
  if (!isValidUtf8(value)) {
    return invalidArgument("is not valid UTF-8 text").withField(std::string(field));
  }
  return Status::ok();
}

Status checkSingleLine(std::string_view field, const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos) {
    return invalidArgument("must be a single line").withField(std::string(field));
  }
  return Status::ok();
}

}  // namespace

Status checkEmail(std::string_view field, const std::string& email) {
  if (email.empty() || email.find('@') != std::string::npos) return Status::ok();
  return invalidArgument("\"" + email.substr(0, 60) + "\" does not look like an email address")
      .withField(std::string(field))
      .withReason("not_an_email");
}

bool isValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    size_t len = 0;
    unsigned int cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c >> 5) == 0x6) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += len;
  }
  return true;
}

bool isJurisdictionCode(std::string_view code) {
  auto lower = [](char ch) { return ch >= 'a' && ch <= 'z'; };
  auto alnum = [&](char ch) { return lower(ch) || (ch >= '0' && ch <= '9'); };
  if (code.size() < 2 || !lower(code[0]) || !lower(code[1])) return false;
  if (code.size() == 2) return true;
  if (code[2] != '-' || code.size() < 4 || code.size() > 9) return false;
  return std::all_of(code.begin() + 3, code.end(), alnum);
}

std::optional<bool> parseYesNo(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string t(text.substr(0, 6));
  if (text.size() > 5) return std::nullopt;
  for (char& ch : t) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  if (t == "yes" || t == "y" || t == "true") return true;
  if (t == "no" || t == "n" || t == "false") return false;
  return std::nullopt;
}

Status validateClient(const Client& c) {
  RECOURSE_RETURN_IF_ERROR(checkText("name", c.name, kMaxShortText, true));
  RECOURSE_RETURN_IF_ERROR(checkSingleLine("name", c.name));
  RECOURSE_RETURN_IF_ERROR(checkText("email", c.email, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkEmail("email", c.email));
  RECOURSE_RETURN_IF_ERROR(checkText("phone", c.phone, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkText("address", c.address, kMaxShortText * 4, false));
  if (!c.date_of_birth.empty()) {
    // The value is not repeated in the message: it is personal data.
    if (!Date::parse(c.date_of_birth, "date_of_birth").isOk()) {
      return invalidArgument("is not a real date; give it as YYYY-MM-DD, e.g. 1975-02-28")
          .withField("date_of_birth")
          .withReason("not_a_date");
    }
  }
  RECOURSE_RETURN_IF_ERROR(checkText("notes", c.notes, kMaxLongText, false));
  return Status::ok();
}

Status validateProvider(const Provider& p, std::string_view prefix) {
  auto f = [&](const char* name) { return std::string(prefix) + name; };
  RECOURSE_RETURN_IF_ERROR(checkText(f("name"), p.name, kMaxShortText, true));
  RECOURSE_RETURN_IF_ERROR(checkSingleLine(f("name"), p.name));
  RECOURSE_RETURN_IF_ERROR(checkText(f("credentials"), p.credentials, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkText(f("license_type"), p.license_type, 64, false));
  RECOURSE_RETURN_IF_ERROR(checkText(f("license_number"), p.license_number, 64, false));
  if (!p.jurisdiction.empty() && !isJurisdictionCode(p.jurisdiction)) {
    return invalidArgument("\"" + p.jurisdiction.substr(0, 20) +
                           "\" is not a jurisdiction code such as us, us-ca, gb or ca-on")
        .withField(f("jurisdiction"));
  }
  RECOURSE_RETURN_IF_ERROR(checkText(f("practice"), p.practice, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkText(f("address"), p.address, kMaxShortText * 4, false));
  RECOURSE_RETURN_IF_ERROR(checkText(f("email"), p.email, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkText(f("phone"), p.phone, kMaxShortText, false));
  return Status::ok();
}

Status validateCase(const Case& c) {
  if (c.client_id.empty()) return invalidArgument("must name the client").withField("client");
  RECOURSE_RETURN_IF_ERROR(validateProvider(c.provider, "provider."));
  RECOURSE_RETURN_IF_ERROR(checkText("title", c.title, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkText("notes", c.notes, kMaxLongText, false));
  if (c.treatment_start && c.treatment_end && *c.treatment_end < *c.treatment_start) {
    return invalidArgument(c.treatment_end->toString() + " is before treatment_start " +
                           c.treatment_start->toString())
        .withField("treatment_end")
        .withReason("end_before_start", {{"end", c.treatment_end->toString()},
                                         {"start", c.treatment_start->toString()}});
  }
  return Status::ok();
}

Status validateIncident(const Incident& i) {
  if (i.case_id.empty()) return invalidArgument("must name the case").withField("case");
  RECOURSE_RETURN_IF_ERROR(checkText("summary", i.summary, kMaxShortText * 2, true));
  RECOURSE_RETURN_IF_ERROR(checkText("date_text", i.date_text, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkText("narrative", i.narrative, kMaxLongText, false));
  RECOURSE_RETURN_IF_ERROR(checkText("impact", i.impact, kMaxLongText, false));
  RECOURSE_RETURN_IF_ERROR(checkText("witnesses", i.witnesses, kMaxLongText, false));
  if (!i.channel.empty()) {
    const auto& known = knownChannels();
    if (std::find(known.begin(), known.end(), i.channel) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return invalidArgument("\"" + i.channel.substr(0, 40) + "\" is not one of " + list)
          .withField("channel");
    }
  }
  for (const auto& kind : i.harm_kinds) {
    RECOURSE_RETURN_IF_ERROR(checkText("harm_kinds", kind, 64, true));
    RECOURSE_RETURN_IF_ERROR(checkSingleLine("harm_kinds", kind));
  }
  if (i.date_start && i.date_end && *i.date_end < *i.date_start) {
    return invalidArgument(i.date_end->toString() + " is before date " + i.date_start->toString())
        .withField("date_end")
        .withReason("end_before_start",
                    {{"end", i.date_end->toString()}, {"start", i.date_start->toString()}});
  }
  if (i.date_precision == DatePrecision::kExact && !i.date_start) {
    return invalidArgument("an exact date needs the day (YYYY-MM-DD)").withField("date");
  }
  if (i.date_precision == DatePrecision::kRange && (!i.date_start || !i.date_end)) {
    return invalidArgument("a date range needs both a start and an end").withField("date_end");
  }
  return Status::ok();
}

Status validateRecordsRequest(const RecordsRequest& r) {
  if (r.case_id.empty()) return invalidArgument("must name the case").withField("case_id");
  RECOURSE_RETURN_IF_ERROR(checkText("custodian_name", r.custodian_name, kMaxShortText * 4, true));
  RECOURSE_RETURN_IF_ERROR(
      checkText("custodian_address", r.custodian_address, kMaxShortText * 4, false));
  RECOURSE_RETURN_IF_ERROR(
      checkText("custodian_email", r.custodian_email, kMaxShortText * 4, false));
  RECOURSE_RETURN_IF_ERROR(checkEmail("custodian_email", r.custodian_email));
  RECOURSE_RETURN_IF_ERROR(checkText("reference", r.reference, kMaxShortText * 4, false));
  if (!r.jurisdiction.empty() && !isJurisdictionCode(r.jurisdiction)) {
    return invalidArgument("\"" + r.jurisdiction.substr(0, 20) +
                           "\" is not a jurisdiction code such as us, us-ca, gb or ca-on")
        .withField("jurisdiction");
  }
  return checkText("answers", r.answers_json, kMaxLongText * 4, false);
}

Status validateRequestEvent(const RequestEvent& e) {
  if (e.request_id.empty()) {
    return invalidArgument("must name the records request").withField("request_id");
  }
  if (!e.via.empty()) {
    const auto& channels = sendChannels();
    if (std::find(channels.begin(), channels.end(), e.via) == channels.end()) {
      std::string list;
      for (const auto& c : channels) list += (list.empty() ? "" : ", ") + c;
      return invalidArgument("\"" + e.via.substr(0, 20) + "\" is not one of " + list)
          .withField("via");
    }
  }
  if (e.reply_within_days < 0 || e.reply_within_days > 365) {
    return invalidArgument("must be between 1 and 365 days").withField("reply_within_days");
  }
  return checkText("details", e.details, kMaxLongText, false);
}

Status validateEvidenceItem(const EvidenceItem& e) {
  if (e.case_id.empty()) return invalidArgument("must name the case").withField("case_id");
  if (e.original_name.empty() || e.original_name.size() > kMaxShortText ||
      !isValidUtf8(e.original_name)) {
    return invalidArgument("must be a file name of up to " + std::to_string(kMaxShortText) +
                           " bytes")
        .withField("original_name");
  }
  RECOURSE_RETURN_IF_ERROR(checkText("description", e.description, kMaxLongText, false));
  RECOURSE_RETURN_IF_ERROR(checkText("media_type", e.media_type, 255, false));
  auto hex = [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); };
  if (e.sha256_hex.size() != 64 || !std::all_of(e.sha256_hex.begin(), e.sha256_hex.end(), hex)) {
    return invalidArgument("must be the SHA-256 taken of the file first (64 hexadecimal digits)")
        .withField("sha256");
  }
  if (e.size_bytes < 0) return invalidArgument("must not be negative").withField("size_bytes");
  return Status::ok();
}

Status validateComplaint(const Complaint& c) {
  if (c.case_id.empty()) return invalidArgument("must name the case").withField("case_id");
  RECOURSE_RETURN_IF_ERROR(checkText("board_id", c.board_id, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkSingleLine("board_id", c.board_id));
  if (!c.jurisdiction.empty() && !isJurisdictionCode(c.jurisdiction)) {
    return invalidArgument("\"" + c.jurisdiction.substr(0, 20) +
                           "\" is not a jurisdiction code such as us, us-ca, gb or ca-on")
        .withField("jurisdiction");
  }
  if (!c.filed_via.empty()) {
    const auto& channels = complaintChannels();
    if (std::find(channels.begin(), channels.end(), c.filed_via) == channels.end()) {
      std::string list;
      for (const auto& ch : channels) list += (list.empty() ? "" : ", ") + ch;
      return invalidArgument("\"" + c.filed_via.substr(0, 20) + "\" is not one of " + list)
          .withField("filed_via");
    }
  }
  RECOURSE_RETURN_IF_ERROR(checkText("board_reference", c.board_reference, kMaxShortText, false));
  RECOURSE_RETURN_IF_ERROR(checkSingleLine("board_reference", c.board_reference));
  return checkText("answers", c.answers_json, kMaxLongText * 4, false);
}

Status validateComplaintEvent(const ComplaintEvent& e) {
  if (e.complaint_id.empty()) {
    return invalidArgument("must name the complaint").withField("complaint_id");
  }
  const bool outcome_event = e.type == ComplaintEventType::kOutcome;
  if (outcome_event && !e.outcome) {
    std::string list;
    for (const auto& o : complaintOutcomeNames()) list += (list.empty() ? "" : ", ") + o;
    return invalidArgument("is needed for an outcome: one of " + list).withField("outcome");
  }
  if (!outcome_event && e.outcome) {
    return invalidArgument("is only for an outcome event").withField("outcome");
  }
  if (e.reply_by && e.type != ComplaintEventType::kInfoRequested) {
    return invalidArgument("is only for a request for information").withField("reply_by");
  }
  if (e.reply_by && *e.reply_by < e.on) {
    return invalidArgument("is before the board asked (" + e.on.toString() +
                           "): a reply cannot be due before the request for it")
        .withField("reply_by");
  }
  return checkText("details", e.details, kMaxLongText, false);
}

const char* datePrecisionName(DatePrecision p) {
  switch (p) {
    case DatePrecision::kUnknown:
      return "unknown";
    case DatePrecision::kExact:
      return "exact";
    case DatePrecision::kApproximate:
      return "approximate";
    case DatePrecision::kRange:
      return "range";
    case DatePrecision::kRecurring:
      return "recurring";
  }
  return "unknown";
}

std::optional<DatePrecision> parseDatePrecision(std::string_view name) {
  for (auto p : {DatePrecision::kUnknown, DatePrecision::kExact, DatePrecision::kApproximate,
                 DatePrecision::kRange, DatePrecision::kRecurring}) {
    if (name == datePrecisionName(p)) return p;
  }
  return std::nullopt;
}

const std::vector<std::string>& knownChannels() {
  static const std::vector<std::string> kChannels = {
      "in_session", "video", "phone", "text", "email", "social_media", "outside_sessions", "other"};
  return kChannels;
}

}  // namespace recourse::core
