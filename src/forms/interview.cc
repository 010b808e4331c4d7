#include "forms/interview.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <regex>

#include "core/date.h"
#include "core/validation.h"

namespace recourse::forms {
namespace {

using Poco::Dynamic::Var;

bool isUnset(const Var& v) {
  if (v.isEmpty()) return true;
  if (v.isString())
    return v.extract<std::string>().find_first_not_of(" \t\r\n") == std::string::npos;
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    return v.extract<Poco::JSON::Array::Ptr>()->size() == 0;
  }
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    return v.extract<Poco::JSON::Object::Ptr>()->size() == 0;
  }
  return false;
}

// The answer as text for equals/in: booleans as "true"/"false".
std::vector<std::string> answerValues(const Var& v) {
  if (v.isBoolean()) return {v.extract<bool>() ? "true" : "false"};
  if (v.isString()) return {v.extract<std::string>()};
  std::vector<std::string> out;
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      Var item = arr->get(static_cast<unsigned>(i));
      if (item.isString()) out.push_back(item.extract<std::string>());
    }
  }
  return out;
}

Var answerOf(const Answers& answers, const std::string& id) {
  if (!answers || !answers->has(id)) return Var();
  return answers->get(id);
}

void checkText(const Field& f, const std::string& s, std::vector<AnswerProblem>* out) {
  if (!core::isValidUtf8(s)) {
    out->push_back({f.id, "is not valid UTF-8 text"});
    return;
  }
  size_t max = f.max_length.value_or(f.type == FieldType::kLongText ? core::kMaxLongText
                                                                    : core::kMaxShortText * 4);
  if (s.size() > max) {
    out->push_back({f.id,
                    "is longer than " + std::to_string(max) + " bytes",
                    /*reason=*/"too_long",
                    {{"max", std::to_string(max)}}});
  }
  if (f.min_length && s.size() < *f.min_length) {
    out->push_back({f.id,
                    "is shorter than " + std::to_string(*f.min_length) + " characters",
                    /*reason=*/"too_short",
                    {{"min", std::to_string(*f.min_length)}}});
  }
  if (f.type == FieldType::kText && s.find_first_of("\r\n") != std::string::npos) {
    out->push_back({f.id, "must be a single line"});
  }
  if (!f.pattern.empty() && !std::regex_match(s, std::regex(f.pattern))) {
    out->push_back({f.id, "is not in the expected form"});
  }
  if (f.email) {
    if (auto st = core::checkEmail(f.id, s); !st.isOk()) {
      out->push_back({f.id, st.message(), st.reason(), st.reasonArgs()});
    }
  }
}

// A date answer: its shape, and, when the field says so, that the day has come.
struct DateRule {
  const Field& field;
  core::Date today;
};

void checkDate(const DateRule& rule, const std::string& field, const Var& v,
               std::vector<AnswerProblem>* out, std::optional<core::Date>* parsed = nullptr) {
  if (!v.isString()) {
    out->push_back({field, "must be a date as YYYY-MM-DD", /*reason=*/"not_a_date"});
    return;
  }
  auto d = core::Date::parse(v.extract<std::string>(), field);
  if (!d.isOk()) {
    out->push_back({field, d.status().message().substr(field.size() + 2), /*reason=*/"not_a_date"});
    return;
  }
  if (rule.field.not_after_today && rule.today < *d) {
    // The day itself is left out of the message (a date of birth is personal); the page
    // says it back from args.
    out->push_back({field,
                    "is a day that has not come yet",
                    /*reason=*/"day_in_future",
                    {{"day", d->toString()}}});
  }
  if (rule.field.not_before_today && *d < rule.today) {
    out->push_back({field,
                    "is a day that has already passed",
                    /*reason=*/"day_in_past",
                    {{"day", d->toString()}}});
  }
  if (parsed != nullptr) *parsed = *d;
}

// Checks an object answer's members against the allowed parts.
Poco::JSON::Object::Ptr objectAnswer(const Field& f, const Var& v,
                                     std::vector<AnswerProblem>* out) {
  const auto& parts = fieldParts(f.type);
  std::string names;  // "line1, line2, city, region, postal_code, country"
  for (const auto& p : parts) names += (names.empty() ? "" : ", ") + p;
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
    out->push_back({f.id, "is given in parts: " + names});
    return nullptr;
  }
  auto obj = v.extract<Poco::JSON::Object::Ptr>();
  for (const auto& name : obj->getNames()) {
    if (std::find(parts.begin(), parts.end(), name) == parts.end()) {
      out->push_back({f.id + "." + name, "is not a part of a " +
                                             std::string(fieldTypeName(f.type)) +
                                             " answer; its parts are " + names});
    }
  }
  return obj;
}

// A person answer's parts against the form's rules for them (Field::parts).
void checkParts(const Field& f, const Poco::JSON::Object::Ptr& obj, const Answers& answers,
                std::vector<AnswerProblem>* out) {
  for (const auto& name : fieldParts(f.type)) {  // in the order the page asks them
    auto found = f.parts.find(name);
    if (found == f.parts.end()) continue;
    const PartRule& rule = found->second;
    const std::string id = f.id + "." + name;
    Var part = obj->has(name) ? obj->get(name) : Var();
    if (isUnset(part)) {
      if (rule.required) {
        out->push_back({id, "is needed for this document", /*reason=*/"required"});
      } else if (rule.required_if && conditionHolds(*rule.required_if, answers)) {
        out->push_back({id, "is needed for this document, given the other answers",
                        /*reason=*/"required_by_answers"});
      }
    } else if (rule.email && part.isString()) {
      if (auto st = core::checkEmail(id, part.extract<std::string>()); !st.isOk()) {
        out->push_back({id, st.message(), st.reason(), st.reasonArgs()});
      }
    }
  }
}

}  // namespace

bool conditionHolds(const Condition& c, const Answers& answers) {
  switch (c.op) {
    case Condition::Op::kAll:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const Condition& k) { return conditionHolds(k, answers); });
    case Condition::Op::kAny:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const Condition& k) { return conditionHolds(k, answers); });
    case Condition::Op::kNot:
      return !c.children.empty() && !conditionHolds(c.children[0], answers);
    case Condition::Op::kIsSet:
      return isUnset(answerOf(answers, c.field)) != c.is_set;
    case Condition::Op::kEquals:
    case Condition::Op::kIn: {
      auto values = answerValues(answerOf(answers, c.field));
      for (const auto& v : values) {
        if (std::find(c.values.begin(), c.values.end(), v) != c.values.end()) return true;
      }
      return false;
    }
  }
  return false;
}

std::vector<const Step*> visibleSteps(const Form& form, const Answers& answers) {
  std::vector<const Step*> out;
  for (const auto& s : form.steps) {
    if (!s.show_if || conditionHolds(*s.show_if, answers)) out.push_back(&s);
  }
  return out;
}

bool fieldVisible(const Form& form, const Field& field, const Answers& answers) {
  for (const auto& s : form.steps) {
    for (const auto& f : s.fields) {
      if (&f == &field) {
        if (s.show_if && !conditionHolds(*s.show_if, answers)) return false;
        return !f.show_if || conditionHolds(*f.show_if, answers);
      }
    }
  }
  return false;
}

bool fieldNeeded(const Form& form, const Field& field, const Answers& answers) {
  if (!field.required && !(field.required_if && conditionHolds(*field.required_if, answers))) {
    return false;
  }
  return fieldVisible(form, field, answers);
}

std::vector<std::string> missingAnswers(const Form& form, const Step& step,
                                        const Answers& answers) {
  std::vector<std::string> out;
  for (const auto& f : step.fields) {
    if (!fieldVisible(form, f, answers)) continue;
    Var v = answerOf(answers, f.id);
    if (isUnset(v)) {
      if (fieldNeeded(form, f, answers)) out.push_back(f.id);
      continue;
    }
    if (f.parts.empty() || v.type() != typeid(Poco::JSON::Object::Ptr)) continue;
    auto obj = v.extract<Poco::JSON::Object::Ptr>();
    for (const auto& name : fieldParts(f.type)) {
      auto found = f.parts.find(name);
      if (found == f.parts.end()) continue;
      const PartRule& rule = found->second;
      if (!isUnset(obj->has(name) ? obj->get(name) : Var())) continue;
      if (rule.required || (rule.required_if && conditionHolds(*rule.required_if, answers))) {
        out.push_back(f.id + "." + name);
      }
    }
  }
  return out;
}

void bindYesNo(const Form& form, Answers answers) {
  if (!answers) return;
  for (const auto& step : form.steps) {
    for (const auto& f : step.fields) {
      if (f.type != FieldType::kYesNo || !answers->has(f.id)) continue;
      Var v = answers->get(f.id);
      if (!v.isString()) continue;
      if (auto yes = core::parseYesNo(v.extract<std::string>())) answers->set(f.id, *yes);
    }
  }
}

std::vector<AnswerProblem> checkAnswers(const Form& form, const Answers& answers,
                                        core::Date today) {
  std::vector<AnswerProblem> out;
  if (!answers) {
    out.push_back({"answers", "must be an object"});
    return out;
  }
  bindYesNo(form, answers);
  for (const auto& name : answers->getNames()) {
    if (form.findField(name) == nullptr) {
      out.push_back({name, "is not a field of the form " + form.id});
    }
  }
  for (const auto& s : form.steps) {
    for (const auto& f : s.fields) {
      if (!fieldVisible(form, f, answers)) continue;
      Var v = answerOf(answers, f.id);
      const DateRule dates{f, today};
      if (isUnset(v)) {
        if (f.required) {
          out.push_back({f.id, "is needed for this document", /*reason=*/"required"});
        } else if (f.required_if && conditionHolds(*f.required_if, answers)) {
          out.push_back({f.id, "is needed for this document, given the other answers",
                         /*reason=*/"required_by_answers"});
        }
        continue;
      }
      switch (f.type) {
        case FieldType::kText:
        case FieldType::kLongText:
        case FieldType::kFile:
          if (!v.isString()) {
            out.push_back({f.id, "must be text"});
          } else {
            checkText(f, v.extract<std::string>(), &out);
          }
          break;
        case FieldType::kDate:
          checkDate(dates, f.id, v, &out);
          break;
        case FieldType::kApproximateDate:
          if (v.isString()) break;  // the person's own words
          if (auto obj = objectAnswer(f, v, &out)) {
            if (obj->has("date")) checkDate(dates, f.id + ".date", obj->get("date"), &out);
          }
          break;
        case FieldType::kDateRange:
          if (auto obj = objectAnswer(f, v, &out)) {
            std::optional<core::Date> a;
            std::optional<core::Date> b;
            if (obj->has("start")) checkDate(dates, f.id + ".start", obj->get("start"), &out, &a);
            if (obj->has("end")) checkDate(dates, f.id + ".end", obj->get("end"), &out, &b);
            if (a && b && *b < *a) {
              out.push_back(
                  {f.id + ".end", "is before the start", /*reason=*/"range_end_before_start"});
            }
          }
          break;
        case FieldType::kChoice:
        case FieldType::kMultiChoice: {
          bool multi = f.type == FieldType::kMultiChoice;
          if (multi && v.type() != typeid(Poco::JSON::Array::Ptr)) {
            out.push_back({f.id, "must be a list of choices"});
            break;
          }
          if (!multi && !v.isString()) {
            out.push_back({f.id, "must be one of the choices"});
            break;
          }
          for (const auto& chosen : answerValues(v)) {
            bool known = std::any_of(f.options.begin(), f.options.end(),
                                     [&](const Option& o) { return o.value == chosen; });
            if (!known) {
              std::string list;
              for (const auto& o : f.options) list += (list.empty() ? "" : ", ") + o.value;
              out.push_back({f.id, "\"" + chosen.substr(0, 40) + "\" is not one of " + list});
            }
          }
          break;
        }
        case FieldType::kYesNo:
          if (!v.isBoolean()) out.push_back({f.id, std::string("must be ") + core::kYesNoWords});
          break;
        case FieldType::kPerson:
        case FieldType::kAddress:
          if (auto obj = objectAnswer(f, v, &out)) {
            for (const auto& name : obj->getNames()) {
              Var part = obj->get(name);
              if (!part.isString()) {
                out.push_back({f.id + "." + name, "must be text"});
              } else if (!core::isValidUtf8(part.extract<std::string>())) {
                out.push_back({f.id + "." + name, "is not valid UTF-8 text"});
              }
            }
            checkParts(f, obj, answers, &out);
          }
          break;
      }
    }
  }
  return out;
}

}  // namespace recourse::forms
