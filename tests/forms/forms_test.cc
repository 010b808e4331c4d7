#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "fakes/temp_dir.h"
#include "fakes/text.h"
#include "forms/interview.h"
#include "forms/loader.h"

namespace recourse::forms {
namespace {

using testing::replaced;

const char* kForm = R"({
  "id": "sample", "version": 1, "kind": "letter",
  "title": {"en": "Sample"},
  "steps": [{
    "id": "one", "title": {"en": "One"},
    "fields": [
      {"id": "name", "type": "text", "required": true, "label": {"en": "Name"},
       "validation": {"max_length": 20}},
      {"id": "send_to", "type": "choice", "required": true, "label": {"en": "Send to"},
       "options": [{"value": "me", "label": {"en": "Me"}},
                   {"value": "other", "label": {"en": "Someone else"}}]},
      {"id": "other", "type": "person", "required": true, "label": {"en": "Who"},
       "show_if": {"field": "send_to", "equals": "other"}},
      {"id": "when", "type": "date_range", "label": {"en": "When"}},
      {"id": "agree", "type": "yes_no", "label": {"en": "Agree?"}}
    ]
  }],
  "document": {"title": {"en": "Doc"}, "blocks": [
    {"type": "paragraph", "text": {"en": "Hello {{name}}, from {{client.name}}. {{#other.name}}To {{other.name}}.{{/other.name}}"}},
    {"type": "paragraph", "text": {"en": "{{#incidents}}{{date}} {{summary}}{{/incidents}}"},
     "show_if": {"field": "agree", "equals": true}},
    {"type": "field_table", "fields": ["name", "when"]}
  ]}
})";

std::vector<std::string> problemsOf(const std::string& text) {
  std::vector<Problem> problems;
  parseForm(text, "forms/sample.json", &problems);
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.toString());
  return out;
}

Answers answers(const std::string& json) {
  Poco::JSON::Parser p;
  return p.parse(json).extract<Poco::JSON::Object::Ptr>();
}

// The day the checks below are made on.
const core::Date kToday(2026, 6, 1);

// forms::checkAnswers as of kToday: only the "not_after" test below depends on the day.
std::vector<AnswerProblem> checkAnswers(const Form& form, const Answers& a) {
  return forms::checkAnswers(form, a, kToday);
}

TEST(FormLoaderTest, SampleParses) {
  std::vector<Problem> problems;
  auto f = parseForm(kForm, "forms/sample.json", &problems);
  for (const auto& p : problems) ADD_FAILURE() << p.toString();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->steps[0].fields.size(), 5u);
  EXPECT_EQ(f->blocks.size(), 3u);
}

TEST(FormLoaderTest, UnknownNamesAreErrors) {
  EXPECT_EQ(problemsOf(replaced(kForm, "{{client.name}}", "{{client.nickname}}")),
            (std::vector<std::string>{
                "forms/sample.json:$.document.blocks[0].text.en: placeholder {{client.nickname}} "
                "names no field of this form and no known value (see docs/forms.md)"}));
  EXPECT_EQ(problemsOf(replaced(kForm, R"("field": "send_to", "equals")",
                                R"("field": "sendto", "equals")")),
            (std::vector<std::string>{"forms/sample.json:$.steps[0].fields[2].show_if.field: "
                                      "\"sendto\" is not a field of this form"}));
  EXPECT_EQ(problemsOf(replaced(kForm, R"(["name", "when"])", R"(["name", "whence"])")),
            (std::vector<std::string>{"forms/sample.json:$.document.blocks[2].fields[1]: "
                                      "\"whence\" is not a field of this form"}));
  // A part that a person field does not have.
  EXPECT_EQ(problemsOf(replaced(kForm, "To {{other.name}}.", "To {{other.shoe_size}}.")).size(),
            1u);
  // Names valid only inside their list section.
  EXPECT_EQ(
      problemsOf(replaced(kForm, "{{#incidents}}{{date}} {{summary}}{{/incidents}}", "{{summary}}"))
          .size(),
      1u);
}

TEST(FormLoaderTest, TemplateSyntaxAndStructure) {
  auto p = problemsOf(replaced(kForm, "{{/other.name}}", ""));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("$.document.blocks[0].text.en: template error"), std::string::npos);
  EXPECT_EQ(problemsOf(replaced(kForm, R"("id": "when")", R"("id": "name")")),
            (std::vector<std::string>{"forms/sample.json:$.steps[0].fields[3].id: \"name\" is "
                                      "used twice in this form",
                                      "forms/sample.json:$.document.blocks[2].fields[1]: "
                                      "\"when\" is not a field of this form"}));
  EXPECT_EQ(
      problemsOf(replaced(kForm, R"("title": {"en": "Sample"})", R"("title": {"es": "Muestra"})")),
      (std::vector<std::string>{"forms/sample.json:$.title: needs English text (\"en\")"}));
  EXPECT_EQ(problemsOf(replaced(kForm, R"("type": "yes_no")", R"("type": "maybe")")).size(), 1u);
  EXPECT_EQ(problemsOf(replaced(kForm, "{{name}},", "{{> partial}},")).size(), 1u);
  EXPECT_EQ(problemsOf(replaced(kForm, R"({"type": "field_table", "fields")",
                                R"({"type": "field_table", "justify": true, "fields")")),
            (std::vector<std::string>{
                "forms/sample.json:$.document.blocks[2].justify: only paragraphs can be "
                "justified"}));
  EXPECT_EQ(problemsOf(replaced(kForm, R"({"type": "field_table", "fields")",
                                R"({"type": "field_table", "large": true, "fields")")),
            (std::vector<std::string>{"forms/sample.json:$.document.blocks[2].large: only "
                                      "paragraphs and signatures can be in large type"}));
  EXPECT_TRUE(problemsOf(replaced(kForm, R"({"type": "paragraph", "text")",
                                  R"({"type": "paragraph", "large": true, "text")"))
                  .empty());
}

TEST(InterviewTest, RequiredOnlyWhenShown) {
  std::vector<Problem> problems;
  auto f = parseForm(kForm, "forms/sample.json", &problems);
  ASSERT_TRUE(f.has_value());
  auto p = checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "me"})"));
  EXPECT_TRUE(p.empty());
  p = checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "other"})"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, "other");
  EXPECT_EQ(p[0].message, "is needed for this document");
  // An answer to a hidden question is ignored, not an error.
  EXPECT_TRUE(checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "me", "other": 5})")).empty());
  const Field* other = f->findField("other");
  EXPECT_FALSE(fieldVisible(*f, *other, answers(R"({"send_to": "me"})")));
  EXPECT_TRUE(fieldVisible(*f, *other, answers(R"({"send_to": "other"})")));
}

// A field needed only with some other answers (required_if): refused when they hold and it
// is empty, with its own reason, never when they do not; and a field cannot be both.
TEST(InterviewTest, RequiredIfOtherAnswersNeedIt) {
  const std::string text =
      replaced(kForm, R"({"id": "agree", "type": "yes_no", "label": {"en": "Agree?"}})",
               R"({"id": "agree", "type": "yes_no", "label": {"en": "Agree?"},
          "required_if": {"field": "send_to", "equals": "me"}})");
  std::vector<Problem> problems;
  auto f = parseForm(text, "forms/sample.json", &problems);
  for (const auto& p : problems) ADD_FAILURE() << p.toString();
  ASSERT_TRUE(f.has_value());
  const Field* agree = f->findField("agree");
  ASSERT_NE(agree, nullptr);
  auto p = checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "me"})"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, "agree");
  EXPECT_EQ(p[0].reason, "required_by_answers");
  EXPECT_TRUE(fieldNeeded(*f, *agree, answers(R"({"send_to": "me"})")));
  EXPECT_FALSE(fieldNeeded(*f, *agree, answers(R"({"send_to": "other"})")));
  EXPECT_TRUE(
      checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "me", "agree": true})")).empty());
  EXPECT_TRUE(checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "other",
      "other": {"name": "Ana"}})"))
                  .empty());

  const std::string both = replaced(text, R"("label": {"en": "Agree?"},)",
                                    R"("label": {"en": "Agree?"}, "required": true,)");
  auto found = problemsOf(both);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("required_if"), std::string::npos) << found[0];
}

// validation "not_after": "today": a day still to come is refused with its reason, today
// itself is taken, in a date, an approximate date's day and either end of a range; a limit
// other than today, or on a field that is not a date, is a mistake in the form.
TEST(InterviewTest, NotAfterTodayRefusesADayStillToCome) {
  const std::string text =
      replaced(kForm, R"({"id": "when", "type": "date_range", "label": {"en": "When"}})",
               R"({"id": "when", "type": "date_range", "label": {"en": "When"},
          "validation": {"not_after": "today"}},
         {"id": "born", "type": "date", "label": {"en": "Born"},
          "validation": {"not_after": "today"}},
         {"id": "about", "type": "approximate_date", "label": {"en": "About when"},
          "validation": {"not_after": "today"}},
         {"id": "any", "type": "date", "label": {"en": "Any day"}})");
  std::vector<Problem> problems;
  auto f = parseForm(text, "forms/sample.json", &problems);
  for (const auto& p : problems) ADD_FAILURE() << p.toString();
  ASSERT_TRUE(f.has_value());
  auto p = checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "me", "born": "2999-01-01",
      "when": {"start": "2026-05-01", "end": "2026-06-02"}, "about": {"date": "2027-01-01"},
      "any": "2999-01-01"})"));
  std::vector<std::string> fields;
  for (const auto& one : p) {
    fields.push_back(one.field);
    EXPECT_EQ(one.reason, "day_in_future") << one.field;
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"when.end", "born", "about.date"}));
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].args, (core::Status::ReasonArgs{{"day", "2999-01-01"}}));
  EXPECT_TRUE(checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "me", "born": "2026-06-01",
      "when": {"start": "2026-05-01", "end": "2026-06-01"}, "about": "next spring"})"))
                  .empty());

  auto found = problemsOf(replaced(text, R"("not_after": "today"}},
         {"id": "born")",
                                   R"("not_after": "tomorrow"}},
         {"id": "born")"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("not_after"), std::string::npos) << found[0];
  found = problemsOf(replaced(kForm, R"("validation": {"max_length": 20}})",
                              R"("validation": {"max_length": 20, "not_after": "today"}})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("date_range"), std::string::npos) << found[0];
}

// "parts" says what a person answer needs of its parts: refused when a part is needed and
// empty (always, or with other answers), an email part checked; and only real parts of
// person fields may be named.
TEST(InterviewTest, PartsOfAPersonAreNeededAsTheFormSays) {
  const std::string text =
      replaced(kForm, R"("show_if": {"field": "send_to", "equals": "other"}},)",
               R"("show_if": {"field": "send_to", "equals": "other"},
       "parts": {"name": {"required": true},
                 "address": {"required_if": {"field": "agree", "equals": true}, "help": {"en": "To post it"}},
                 "email": {"validation": {"format": "email"}}}},)");
  std::vector<Problem> problems;
  auto f = parseForm(text, "forms/sample.json", &problems);
  for (const auto& p : problems) ADD_FAILURE() << p.toString();
  ASSERT_TRUE(f.has_value());
  auto p = checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "other", "agree": true,
      "other": {"relationship": "lawyer", "email": "nope"}})"));
  std::vector<std::string> found;
  for (const auto& one : p) found.push_back(one.field + " " + one.reason);
  EXPECT_EQ(found,
            (std::vector<std::string>{"other.name required", "other.address required_by_answers",
                                      "other.email not_an_email"}));
  const Step& step = f->steps[0];
  EXPECT_EQ(missingAnswers(*f, step, answers(R"({"send_to": "other", "agree": true,
      "other": {"email": "a@example.org"}})")),
            (std::vector<std::string>{"name", "other.name", "other.address"}));
  EXPECT_TRUE(checkAnswers(*f, answers(R"({"name": "Zoë", "send_to": "other", "agree": false,
      "other": {"name": "Ana"}})"))
                  .empty());

  auto bad = problemsOf(replaced(text, R"("email": {"validation")", R"("fax": {"validation")"));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("parts.fax"), std::string::npos) << bad[0];
  bad = problemsOf(replaced(kForm, R"("validation": {"max_length": 20}})",
                            R"("validation": {"max_length": 20}, "parts": {"name": {}}})"));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("are for person fields"), std::string::npos) << bad[0];
}

// validation "format": "email" checks an answer as the person's own email is checked.
TEST(InterviewTest, AnEmailFieldTakesOnlyAnEmail) {
  const std::string text = replaced(kForm, R"("validation": {"max_length": 20}})",
                                    R"("validation": {"max_length": 40, "format": "email"}})");
  std::vector<Problem> problems;
  auto f = parseForm(text, "forms/sample.json", &problems);
  for (const auto& p : problems) ADD_FAILURE() << p.toString();
  ASSERT_TRUE(f.has_value());
  auto p = checkAnswers(*f, answers(R"({"name": "not an email", "send_to": "me"})"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, "name");
  EXPECT_EQ(p[0].reason, "not_an_email");
  EXPECT_TRUE(checkAnswers(*f, answers(R"({"name": "zoe@example.org", "send_to": "me"})")).empty());
  auto found = problemsOf(replaced(text, R"("format": "email")", R"("format": "phone")"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("is not a format"), std::string::npos) << found[0];
}

TEST(InterviewTest, TypesAndValues) {
  std::vector<Problem> problems;
  auto f = parseForm(kForm, "forms/sample.json", &problems);
  ASSERT_TRUE(f.has_value());
  auto p = checkAnswers(*f, answers(R"({"name": "A name that is far too long for it",
      "send_to": "nobody", "when": {"start": "2024-05-01", "end": "2024-04-01"},
      "agree": "maybe", "shoe": 42})"));
  std::vector<std::string> got;
  for (const auto& x : p) got.push_back(x.field + ": " + x.message);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "shoe: is not a field of the form sample", "name: is longer than 20 bytes",
                     "send_to: \"nobody\" is not one of me, other", "when.end: is before the start",
                     "agree: must be yes or no (also y/n, true/false)"}));
  // The plain words are taken as yes and no, and bound as booleans for the document.
  for (const char* yes : {"yes", "Yes", "y", "TRUE"}) {
    auto a = answers(std::string(R"({"name": "Ana", "send_to": "me", "agree": ")") + yes + "\"}");
    EXPECT_TRUE(checkAnswers(*f, a).empty()) << yes;
    EXPECT_TRUE(a->get("agree").isBoolean()) << yes;
    EXPECT_TRUE(a->get("agree").extract<bool>()) << yes;
  }
  auto no = answers(R"({"name": "Ana", "send_to": "me", "agree": " No "})");
  EXPECT_TRUE(checkAnswers(*f, no).empty());
  EXPECT_FALSE(no->get("agree").extract<bool>());
  p = checkAnswers(*f, answers(R"({"send_to": "other", "other": {"name": "Ana", "age": "3"}})"));
  got.clear();
  for (const auto& x : p) got.push_back(x.field + ": " + x.message);
  EXPECT_EQ(got, (std::vector<std::string>{"name: is needed for this document",
                                           "other.age: is not a part of a person answer; its "
                                           "parts are name, relationship, address, email, "
                                           "phone"}));
}

TEST(InterviewTest, ConditionsCombine) {
  Condition a{Condition::Op::kEquals, "x", {"1"}, true, {}};
  Condition b{Condition::Op::kIsSet, "y", {}, true, {}};
  Condition all{Condition::Op::kAll, "", {}, true, {a, b}};
  Condition any{Condition::Op::kAny, "", {}, true, {a, b}};
  Condition none{Condition::Op::kNot, "", {}, true, {any}};
  EXPECT_TRUE(conditionHolds(all, answers(R"({"x": "1", "y": "z"})")));
  EXPECT_FALSE(conditionHolds(all, answers(R"({"x": "1", "y": ""})")));
  EXPECT_TRUE(conditionHolds(any, answers(R"({"x": "1"})")));
  EXPECT_TRUE(conditionHolds(none, answers(R"({"x": "2"})")));
  Condition in{Condition::Op::kIn, "x", {"a", "b"}, true, {}};
  EXPECT_TRUE(conditionHolds(in, answers(R"({"x": ["c", "b"]})")));
  EXPECT_FALSE(conditionHolds(in, answers(R"({"x": "c"})")));
}

TEST(ShippedFormsTest, AllLoadWithTheTaxonomy) {
  FormSet set = loadFormDirectory(std::string(RECOURSE_SOURCE_DIR) + "/forms");
  for (const auto& p : set.problems) ADD_FAILURE() << p.toString();
  for (const char* id : {"records-request", "records-followup", "denial-review",
                         "escalation-complaint", "board-complaint", "incident-log"}) {
    EXPECT_NE(set.find(id), nullptr) << id;
  }
  ASSERT_TRUE(set.taxonomy.has_value());
  for (const char* kind :
       {"boundary_violation", "dual_relationship", "sexual_misconduct", "confidentiality_breach",
        "abandonment", "records_refused", "retaliation", "shaming_or_blaming",
        "fostering_dependency", "practicing_outside_competence_or_license",
        "non_consensual_techniques", "billing_misconduct"}) {
    EXPECT_NE(set.taxonomy->find(kind), nullptr) << kind;
  }
  // A kind of harm by its plain words, its label or its id, in any case.
  const HarmTaxonomy& tax = *set.taxonomy;
  for (const char* typed : {"abandonment", "Abandoned",
                            "ending therapy abruptly or without a "
                            "referral",
                            "ENDED THERAPY SUDDENLY"}) {
    const HarmKind* k = tax.resolve(typed);
    ASSERT_NE(k, nullptr) << typed;
    EXPECT_EQ(k->id, "abandonment") << typed;
  }
  EXPECT_EQ(tax.resolve("boundary violation")->id, "boundary_violation");
  EXPECT_EQ(tax.resolve("rudeness"), nullptr);
  EXPECT_EQ(tax.resolve(""), nullptr);
  // A word may name one kind only.
  std::vector<Problem> problems;
  auto clash = parseHarmTaxonomy(
      R"({"codes": [], "harms": [
          {"id": "a", "label": "First kind", "description": "d"},
          {"id": "b", "label": "Second kind", "description": "d", "words": ["first  KIND"]}]})",
      "forms/harm-taxonomy.json", &problems);
  EXPECT_FALSE(clash.has_value());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].toString(),
            "forms/harm-taxonomy.json:$.harms[1].words: \"first  KIND\" already names a");

  // The incident log needs nothing but a short description.
  const Form* log = set.find("incident-log");
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(checkAnswers(*log, answers(R"({"summary": "Ended therapy by text"})")).empty());
  EXPECT_FALSE(checkAnswers(*log, answers(R"({})")).empty());
}

TEST(ShippedFormsTest, BrokenVariantsNeverCrashTheLoader) {
  namespace fs = std::filesystem;
  std::mt19937 rng(7);
  size_t variants = 0;
  for (const auto& e : fs::directory_iterator(std::string(RECOURSE_SOURCE_DIR) + "/forms")) {
    if (e.path().extension() != ".json") continue;
    const std::string text = testing::readFile(e.path().string());
    const bool taxonomy = e.path().filename() == kHarmTaxonomyFile;
    for (int i = 0; i < 80; ++i) {
      std::string v = text;
      if (i % 2 == 0) {
        v = text.substr(0, std::uniform_int_distribution<size_t>(0, text.size())(rng));
      } else {
        for (int k = 0; k < 4; ++k) {
          v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)] =
              "{}[]\":,x0{"[std::uniform_int_distribution<int>(0, 10)(rng)];
        }
      }
      std::vector<Problem> problems;
      bool ok = taxonomy
                    ? parseHarmTaxonomy(v, "forms/x.json", &problems).has_value()
                    : parseForm(v, "forms/" + e.path().filename().string(), &problems).has_value();
      if (!ok) {
        EXPECT_FALSE(problems.empty());
      }
      ++variants;
    }
  }
  EXPECT_GT(variants, 400u);
}

}  // namespace
}  // namespace recourse::forms
