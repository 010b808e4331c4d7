// What a form definition says: the interview (steps and fields) and the document it
// produces (blocks). docs/forms.md documents the JSON.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace recourse::forms {

// Text in several languages: {"en": "...", "es": "..."}. English is always present.
struct LocalText {
  std::map<std::string, std::string> by_lang;
  const std::string& get(const std::string& lang) const {
    auto it = by_lang.find(lang);
    return it != by_lang.end() ? it->second : by_lang.at("en");
  }
  bool empty() const { return by_lang.empty(); }
};

enum class FieldType {
  kText,
  kLongText,
  kDate,
  kApproximateDate,
  kDateRange,
  kChoice,
  kMultiChoice,
  kYesNo,
  kPerson,
  kAddress,
  kFile,
};
const char* fieldTypeName(FieldType t);
std::optional<FieldType> parseFieldType(const std::string& name);
// Sub-values a field of this type has for placeholders ("third_party.name").
const std::vector<std::string>& fieldParts(FieldType t);

// A show_if condition.
struct Condition {
  enum class Op { kEquals, kIn, kIsSet, kAll, kAny, kNot };
  Op op = Op::kEquals;
  std::string field;
  std::vector<std::string> values;  // equals: one; in: several ("true"/"false" for yes_no)
  bool is_set = true;
  std::vector<Condition> children;  // all / any / not
};

struct Option {
  std::string value;
  LocalText label;
};

// What a form asks of one part of a person answer ("third_party.address"): the
// letter may need it always, or only with some other answers. Each is checked once the field
// has an answer; an empty field is the field's own `required`.
struct PartRule {
  bool required = false;
  std::optional<Condition> required_if;  // as Field::required_if
  LocalText help;                        // why it is needed, shown where it is asked
  bool email = false;                    // validation "format": "email"
};

struct Field {
  std::string id;
  FieldType type = FieldType::kText;
  bool required = false;
  LocalText label;  // the question, as the person is asked it ("Your name")
  // How the answer is labelled in the document, read by its recipient ("Name of the person
  // complaining"); empty: the label, without "(optional)".
  LocalText document_label;
  LocalText help;
  std::vector<Option> options;
  std::optional<Condition> show_if;
  // Required only while this holds (never with `required`): an answer the document needs
  // because of other answers (an email to send an electronic copy to). It is named as
  // missing on the check page and refuses the document, but does not stop a step being
  // saved: the answers it depends on may be changed on a later step.
  std::optional<Condition> required_if;
  std::optional<size_t> min_length;
  std::optional<size_t> max_length;
  std::string pattern;  // ECMAScript regex the whole value must match
  bool email = false;   // validation "format": "email": an email address (core::checkEmail)
  // validation "not_after": "today": a day that has already come (a date of birth, when
  // something happened). Checked against the clock the caller gives checkAnswers.
  bool not_after_today = false;
  // validation "not_before": "today": a day that has not passed (a day to reply by).
  bool not_before_today = false;
  // Rules for parts of a person answer, by part name (fieldParts).
  std::map<std::string, PartRule> parts;
};

struct Step {
  std::string id;
  LocalText title;
  LocalText intro;
  std::vector<Field> fields;
  std::optional<Condition> show_if;
};

enum class BlockType {
  kLetterhead,
  kDateLine,
  kHeading,
  kParagraph,
  kList,
  kFieldTable,
  kTimeline,
  kHistory,
  kExhibitIndex,
  kSignature,
  kPageBreak,
};
const char* blockTypeName(BlockType t);

struct Block {
  BlockType type = BlockType::kParagraph;
  LocalText text;                   // heading, paragraph; signature: the name line
  std::vector<LocalText> items;     // list
  std::vector<std::string> fields;  // field_table
  bool justify = false;             // paragraph: flush left and right, never hyphenated
  // paragraph, signature: in 14-point type (California's rule for an authorization, Civ.
  // Code 56.11(b)(1)), not the body size
  bool large = false;
  std::optional<Condition> show_if;
};

struct Form {
  std::string id;
  int version = 1;
  std::string kind;  // letter, complaint, log
  // Which right a letter relies on, for its law and its due date: access (the default),
  // amendment (a correction) or accounting (a list of disclosures).
  std::string right = "access";
  LocalText title;
  LocalText description;
  std::vector<Step> steps;
  LocalText document_title;
  std::vector<Block> blocks;
  std::string file;

  const Field* findField(const std::string& id) const;
};

}  // namespace recourse::forms
