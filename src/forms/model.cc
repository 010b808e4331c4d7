#include "forms/model.h"

namespace recourse::forms {

namespace {
const std::vector<std::pair<FieldType, const char*>> kTypeNames = {
    {FieldType::kText, "text"},
    {FieldType::kLongText, "long_text"},
    {FieldType::kDate, "date"},
    {FieldType::kApproximateDate, "approximate_date"},
    {FieldType::kDateRange, "date_range"},
    {FieldType::kChoice, "choice"},
    {FieldType::kMultiChoice, "multi_choice"},
    {FieldType::kYesNo, "yes_no"},
    {FieldType::kPerson, "person"},
    {FieldType::kAddress, "address"},
    {FieldType::kFile, "file"},
};
}  // namespace

const char* fieldTypeName(FieldType t) {
  for (const auto& [type, name] : kTypeNames) {
    if (type == t) return name;
  }
  return "text";
}

std::optional<FieldType> parseFieldType(const std::string& name) {
  for (const auto& [type, n] : kTypeNames) {
    if (name == n) return type;
  }
  return std::nullopt;
}

const std::vector<std::string>& fieldParts(FieldType t) {
  static const std::vector<std::string> kNone;
  static const std::vector<std::string> kPerson = {"name", "relationship", "address", "email",
                                                   "phone"};
  static const std::vector<std::string> kAddress = {"line1",  "line2",       "city",
                                                    "region", "postal_code", "country"};
  static const std::vector<std::string> kRange = {"start", "end"};
  static const std::vector<std::string> kApprox = {"text", "date"};
  switch (t) {
    case FieldType::kPerson:
      return kPerson;
    case FieldType::kAddress:
      return kAddress;
    case FieldType::kDateRange:
      return kRange;
    case FieldType::kApproximateDate:
      return kApprox;
    default:
      return kNone;
  }
}

const char* blockTypeName(BlockType t) {
  switch (t) {
    case BlockType::kLetterhead:
      return "letterhead";
    case BlockType::kDateLine:
      return "date_line";
    case BlockType::kHeading:
      return "heading";
    case BlockType::kParagraph:
      return "paragraph";
    case BlockType::kList:
      return "list";
    case BlockType::kFieldTable:
      return "field_table";
    case BlockType::kTimeline:
      return "timeline";
    case BlockType::kHistory:
      return "history";
    case BlockType::kExhibitIndex:
      return "exhibit_index";
    case BlockType::kSignature:
      return "signature";
    case BlockType::kPageBreak:
      return "page_break";
  }
  return "paragraph";
}

const Field* Form::findField(const std::string& id) const {
  for (const auto& s : steps) {
    for (const auto& f : s.fields) {
      if (f.id == id) return &f;
    }
  }
  return nullptr;
}

}  // namespace recourse::forms
