// The document vocabulary (forms::contextNames / contextLists) against what fills it
// (service::buildLetterContext, applyRequestState, applyPacket) and what uses it (forms/*.json,
// docs/forms.md): a declared name never filled, or a name filled or used but not declared,
// fails here.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "fakes/temp_dir.h"
#include "forms/context.h"
#include "forms/interview.h"
#include "forms/loader.h"
#include "jurisdiction/complaint_tracking.h"
#include "jurisdiction/registry.h"
#include "jurisdiction/request_tracking.h"
#include "pdf/document.h"
#include "pdf/pdf_tools.h"
#include "service/letters.h"

namespace recourse::service {
namespace {

using core::Date;
using Poco::JSON::Object;

std::string joined(const std::set<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "(none)" : s;
}

// The non-empty values of a context: what a form's {{name}} can show.
std::set<std::string> filledNames(const pdf::DocumentContext& dc) {
  std::set<std::string> names;
  for (const auto& [k, v] : dc.values) {
    if (!v.empty()) names.insert(k);
  }
  return names;
}

// A case with every fact filled: a Texas counselor (a state law and the federal one, a
// board with a confirmed complaint time limit), incidents with harms, evidence, and a
// tracked request that was sent and then refused.
class VocabularyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_ = forms::loadFormDirectory(std::string(RECOURSE_SOURCE_DIR) + "/forms");
    ASSERT_TRUE(set_.problems.empty()) << set_.problems[0].file << " " << set_.problems[0].message;
    reg_ =
        jurisdiction::Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
    ASSERT_TRUE(reg_.problems().empty());

    client_.name = "Dana Example";
    client_.email = "dana@example.org";
    client_.phone = "555-0100";
    client_.address = "1 Main St, Austin, TX 78701";
    core::Provider& p = kase_.provider;
    p.name = "Pat Therapist";
    p.credentials = "LPC";
    p.license_type = "professional_counselor";
    p.license_number = "LPC-12345";
    p.jurisdiction = "us-tx";
    p.practice = "Riverside Counseling";
    p.address = "9 River Rd, Austin, TX 78702";
    p.email = "office@riverside.example";
    p.phone = "555-0199";
    kase_.title = "Counseling with Pat Therapist";
    kase_.treatment_start = Date(2024, 3, 1);
    kase_.treatment_end = Date(2025, 10, 31);

    core::Incident a;
    a.summary = "Ended therapy by text";
    a.date_precision = core::DatePrecision::kExact;
    a.date_start = Date(2025, 10, 31);
    a.channel = "text";
    a.narrative = "A two-line message ended three years of sessions.";
    a.impact = "I could not sleep for weeks.";
    a.harm_kinds = {"abandonment"};
    core::Incident b;
    b.summary = "Refused my records";
    b.date_precision = core::DatePrecision::kApproximate;
    b.date_start = Date(2026, 1, 14);
    b.channel = "email";
    b.narrative = "The office said the notes were not mine to see.";
    b.harm_kinds = {"records_refused", "retaliation"};
    incidents_ = {a, b};

    core::EvidenceItem e1;
    e1.original_name = "text-message.png";
    e1.description = "The text ending therapy";
    e1.date = Date(2025, 10, 31);
    e1.sha256_hex = std::string(64, 'a');
    core::EvidenceItem e2;
    e2.original_name = "refusal.pdf";
    e2.sha256_hex = std::string(64, 'b');
    evidence_ = {e1, e2};

    request_.id = "rq_1";
    request_.custodian_name = "Riverside Counseling";
    request_.reference = "RC-2026-7";
    sent_ = {"ev_1", "rq_1", core::RequestEventType::kSent, kSentOn, "mail", "", {}};
    denied_ = {"ev_2",
               "rq_1",
               core::RequestEventType::kDenied,
               Date(2026, 1, 14),
               "",
               "the notes are psychotherapy notes",
               {}};
  }

  // The answers a person would give: what the case knows, and whatever else is required
  // (the first option of a choice; for the escalation complaint, a request never answered).
  Object::Ptr answersFor(const forms::Form& form) {
    Object::Ptr answers = new Object;
    prefillAnswers(form, client_, kase_, answers);
    if (form.findField("problem") != nullptr) answers->set("problem", "no_answer");
    for (const auto& step : form.steps) {
      for (const auto& f : step.fields) {
        if (!f.required || answers->has(f.id)) continue;
        if (!f.options.empty()) {
          answers->set(f.id, f.options[0].value);
        } else if (f.type == forms::FieldType::kText || f.type == forms::FieldType::kLongText) {
          answers->set(f.id, "an answer");
        }
      }
    }
    return answers;
  }

  // The context a letter gets without a tracked request, as of `today`.
  pdf::DocumentContext untracked(const forms::Form& form, const Date& today,
                                 std::vector<std::string>* warnings = nullptr) {
    pdf::DocumentContext dc;
    std::vector<std::string> ignored;
    buildLetterContext(set_, reg_, form, client_, kase_, incidents_, kSentOn, today,
                       answersFor(form), &dc, warnings != nullptr ? warnings : &ignored);
    return dc;
  }

  // The context a letter about a complaint filed by post on 2026-01-20 gets, the board last
  // heard from on 2026-02-10.
  pdf::DocumentContext filed(const forms::Form& form, const Date& today) {
    pdf::DocumentContext dc = untracked(form, today);
    core::Complaint c;
    c.filed_on = Date(2026, 1, 20);
    c.filed_via = "mail";
    c.board_reference = "BHEC-2026-17";
    core::ComplaintEvent acked;
    acked.type = core::ComplaintEventType::kAcknowledged;
    acked.on = Date(2026, 2, 10);
    auto state = jurisdiction::deriveComplaintState(c, {acked}, nullptr, "us-tx", reg_, today);
    applyComplaint(c, state, nullptr, &dc);
    return dc;
  }

  // The context a letter gets for the tracked request with `events`, as of `today`.
  pdf::DocumentContext tracked(const forms::Form& form, const std::vector<core::RequestEvent>& ev,
                               const Date& today) {
    pdf::DocumentContext dc = untracked(form, today);
    auto state = jurisdiction::deriveRequestState("us-tx", ev, reg_, today);
    applyRequestState(request_, state, ev, &dc);
    return dc;
  }

  std::string renderText(const forms::Form& form, const Object::Ptr& answers,
                         const pdf::DocumentContext& dc) {
    auto fonts = pdf::FontKit::load();
    EXPECT_TRUE(fonts.isOk());
    if (!fonts.isOk()) return {};
    auto doc = pdf::renderForm(form, answers, dc, *fonts, {"test", "test", "test", {}});
    EXPECT_TRUE(doc.isOk()) << doc.status().text();
    if (!doc.isOk()) return {};
    std::string path = tmp_.file(form.id + ".pdf");
    testing::writeBytes(path, doc->pdf);
    return testing::foldedText(path);
  }

  const Date kSentOn{2026, 1, 5};  // due 15 days later: 2026-01-20
  const Date kToday{2026, 3, 2};   // overdue; the 180-day HHS limit still open
  forms::FormSet set_;
  jurisdiction::Registry reg_;
  core::Client client_;
  core::Case kase_;
  std::vector<core::Incident> incidents_;
  std::vector<core::EvidenceItem> evidence_;
  core::RecordsRequest request_;
  core::RequestEvent sent_;
  core::RequestEvent denied_;
  testing::TempDir tmp_;
};

// What a person reads: each document's cautions are plain, said once, about that document
// only (a records request does not warn about ethics codes), and no maintainer's research
// note (URLs, files, the docs, "the brief") reaches the screen or the page. Texas's 15-day
// rule is unverified and its note cites a URL; the incidents cite unverified ethics sections.
TEST_F(VocabularyTest, CautionsArePlainOncePerDocumentAndNotesNeverShow) {
  std::vector<std::string> notes;
  for (const auto* j : reg_.chain("us-tx")) {
    if (j->records_access && j->records_access->response) {
      notes.push_back(j->records_access->response->meta.note);
    }
  }
  ASSERT_FALSE(notes.empty());
  ASSERT_NE(notes[0].find("http"), std::string::npos) << "the note this test is about";
  for (const auto& form : set_.forms) {
    std::vector<std::string> warnings;
    auto dc = untracked(form, kToday, &warnings);
    std::set<std::string> once(warnings.begin(), warnings.end());
    EXPECT_EQ(once.size(), warnings.size()) << form.id << ": a caution said twice";
    size_t ethics = 0;
    for (const auto& w : warnings) {
      for (const char* bad : {"http", "docs/", "brief", "UNVERIFIED", "- LAW", ".json"}) {
        EXPECT_EQ(w.find(bad), std::string::npos) << form.id << ": " << w;
      }
      for (const auto& n : notes) EXPECT_EQ(w.find(n.substr(0, 40)), std::string::npos) << w;
      if (w.find("ethics") != std::string::npos) ++ethics;
    }
    if (form.kind != "complaint") {
      EXPECT_EQ(ethics, 0u) << form.id << " cites no ethics code, so it says nothing of them";
    }
    if (form.id == "board-complaint") {
      EXPECT_EQ(ethics, 1u) << "one caution for every kind";
    }
    if (form.id == "records-request") {
      ASSERT_EQ(warnings.size(), 1u) << "only the unverified 15-day rule concerns it";
      EXPECT_EQ(warnings[0].rfind("The due date (Tex. Health & Safety Code § 611.008(a)) is not "
                                  "confirmed. ",
                                  0),
                0u)
          << warnings[0];
    }
    const std::string text = renderText(form, answersFor(form), dc);
    for (const char* bad : {"docs/", "brief", "UNVERIFIED", "- LAW", "- GUIDANCE"}) {
      EXPECT_EQ(text.find(bad), std::string::npos) << form.id << " prints \"" << bad << "\"";
    }
    for (const auto& n : notes) EXPECT_EQ(text.find(n.substr(0, 40)), std::string::npos);
    if (form.kind != "complaint") {
      EXPECT_EQ(text.find("http"), std::string::npos) << form.id << ": " << text;
    }
  }
}

// Every form, without and with a tracked request (overdue, refused), and as a packet: the
// union of the names filled is exactly the declared set, and no context holds a name the
// declaration lacks.
TEST_F(VocabularyTest, EveryDeclaredNameIsFilledAndNothingElse) {
  const auto& declared = forms::contextNames();
  std::set<std::string> filled;
  std::map<std::string, std::string> undeclared;  // name -> where first seen
  auto take = [&](const pdf::DocumentContext& dc, const std::string& how) {
    for (const auto& n : filledNames(dc)) {
      filled.insert(n);
      if (!declared.count(n)) undeclared.emplace(n, how);
    }
  };
  std::map<std::string, bool> lists;
  for (const auto& form : set_.forms) {
    take(untracked(form, kToday), form.id);
    take(tracked(form, {sent_}, kToday), form.id + ", overdue request");
    take(filed(form, kToday), form.id + ", filed complaint");
    auto dc = tracked(form, {sent_, denied_}, kToday);
    take(dc, form.id + ", refused request");
    applyPacket(evidence_, incidents_.size(), &dc);
    take(dc, form.id + ", packet");
    lists["incidents"] = lists["incidents"] || !dc.incidents.empty();
    lists["harms"] = lists["harms"] || !dc.harms.empty();
    lists["exhibits"] = lists["exhibits"] || !dc.exhibits.empty();
  }
  // The ending sections of a code: none of the counselor's is verified yet; an LMFT's is.
  kase_.provider.license_type = "marriage_family_therapist";
  take(untracked(*set_.find("ending-request"), kToday), "ending-request, an LMFT");
  // The statements a consent to send a copy elsewhere must make are each some place's:
  // Illinois's (a witness, the right to inspect, what a refusal means), California's (a copy).
  for (const char* place : {"us-il", "us-ca"}) {
    kase_.provider.jurisdiction = place;
    take(untracked(*set_.find("records-request"), kToday),
         std::string("records-request, ") + place);
  }
  std::set<std::string> never;
  for (const auto& n : declared) {
    if (!filled.count(n)) never.insert(n);
  }
  EXPECT_TRUE(never.empty()) << "declared in src/forms/context.cc but never filled: "
                             << joined(never);
  for (const auto& [name, how] : undeclared) {
    ADD_FAILURE() << "filled but not declared: " << name << " (" << how << ")";
  }
  // Each list's members are checked as printed, in EveryDeclaredNamePrints.
  for (const auto& [list, members] : forms::contextLists()) {
    EXPECT_TRUE(lists[list]) << "list " << list << " is never filled";
  }
}

// Through the renderer, as a form sees them: a form using every declared name and every
// list's members prints a value for each.
TEST_F(VocabularyTest, EveryDeclaredNamePrints) {
  pdf::DocumentContext all;
  for (const auto& form : set_.forms) {
    for (const auto& events :
         std::vector<std::vector<core::RequestEvent>>{{}, {sent_}, {sent_, denied_}}) {
      auto dc = events.empty() ? untracked(form, kToday) : tracked(form, events, kToday);
      for (const auto& [k, v] : dc.values) {
        if (!v.empty()) all.values[k] = v;
      }
    }
    for (const auto& [k, v] : filed(form, kToday).values) {
      if (!v.empty()) all.values[k] = v;
    }
  }
  kase_.provider.license_type = "marriage_family_therapist";
  for (const auto& [k, v] : untracked(*set_.find("ending-request"), kToday).values) {
    if (!v.empty()) all.values[k] = v;
  }
  for (const char* place : {"us-il", "us-ca"}) {
    kase_.provider.jurisdiction = place;
    for (const auto& [k, v] : untracked(*set_.find("records-request"), kToday).values) {
      if (!v.empty()) all.values[k] = v;
    }
  }
  all.incidents = untracked(*set_.find("timeline"), kToday).incidents;
  all.harms = untracked(*set_.find("timeline"), kToday).harms;
  applyPacket(evidence_, incidents_.size(), &all);

  std::string blocks;
  auto paragraph = [&](const std::string& text) {
    blocks += std::string(blocks.empty() ? "" : ",") + R"({"type": "paragraph", "text": {"en": ")" +
              text + R"("}})";
  };
  for (const auto& n : forms::contextNames()) paragraph("[" + n + "]={{" + n + "}}|");
  for (const auto& [list, members] : forms::contextLists()) {
    std::string text = "{{#" + list + "}}";
    for (const auto& m : members) text += "[" + list + "." + m + "]={{" + m + "}}|";
    paragraph(text + "{{/" + list + "}}");
  }
  std::vector<forms::Problem> problems;
  auto form = forms::parseForm(
      R"({"id": "vocabulary", "version": 1, "kind": "letter", "title": {"en": "All names"},
          "steps": [], "document": {"title": {"en": "All names"}, "blocks": [)" +
          blocks + "]}}",
      "forms/vocabulary.json", &problems);
  ASSERT_TRUE(form) << problems[0].path << ": " << problems[0].message;
  std::string text = renderText(*form, new Object, all);
  auto expectShown = [&](const std::string& name) {
    size_t at = text.find("[" + name + "]=");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_NE(text.substr(at + name.size() + 3, 1), "|") << name << " prints nothing";
  };
  for (const auto& n : forms::contextNames()) expectShown(n);
  for (const auto& [list, members] : forms::contextLists()) {
    for (const auto& m : members) expectShown(list + "." + m);
  }
}

// The other direction: every placeholder in every form names a field or a declared value
// (the loader's check, as `recourse forms check` runs it), and a name outside the
// declaration is refused.
TEST_F(VocabularyTest, FormsUseOnlyDeclaredNames) {
  EXPECT_TRUE(set_.problems.empty());
  const std::vector<std::pair<std::string, std::string>> kUndeclared = {
      {"{{law.unverified}}", "law.unverified"},
      {"{{#incidents}}{{impact}}{{/incidents}}", "impact"},
      {"{{client.nickname}}", "client.nickname"}};
  for (const auto& [text, name] : kUndeclared) {
    std::vector<forms::Problem> problems;
    auto form = forms::parseForm(
        R"({"id": "sample", "version": 1, "kind": "letter", "title": {"en": "S"}, "steps": [],
            "document": {"title": {"en": "S"}, "blocks": [
              {"type": "paragraph", "text": {"en": ")" +
            text + R"("}}]}})",
        "forms/sample.json", &problems);
    EXPECT_FALSE(form) << text;
    ASSERT_EQ(problems.size(), 1u) << text;
    EXPECT_NE(problems[0].message.find("{{" + name + "}} names no field"), std::string::npos)
        << problems[0].message;
  }
}

// docs/forms.md lists exactly the declared names.
TEST_F(VocabularyTest, TheAuthoringGuideListsTheDeclaredNames) {
  std::string doc = testing::readFile(std::string(RECOURSE_SOURCE_DIR) + "/docs/forms.md");
  size_t start = doc.find("| group | names |");
  ASSERT_NE(start, std::string::npos);
  size_t end = doc.find("\n\n", start);
  std::string table = doc.substr(start, end - start);
  std::set<std::string> listed;
  std::regex code("`([^`]+)`");
  for (std::sregex_iterator it(table.begin(), table.end(), code), last; it != last; ++it) {
    listed.insert((*it)[1]);
  }
  std::set<std::string> declared = forms::contextNames();
  for (const auto& [list, members] : forms::contextLists()) {
    declared.insert("{{#" + list + "}}");
    declared.insert(members.begin(), members.end());
  }
  std::set<std::string> missing;
  std::set<std::string> extra;
  for (const auto& n : declared) {
    if (!listed.count(n)) missing.insert(n);
  }
  for (const auto& n : listed) {
    if (!declared.count(n)) extra.insert(n);
  }
  EXPECT_TRUE(missing.empty()) << "not in docs/forms.md: " << joined(missing);
  EXPECT_TRUE(extra.empty()) << "in docs/forms.md but not declared: " << joined(extra);
}

// The escalation complaint says when it is due, counted as the request's state counts it:
// 180 days (HHS) from the refusal, or from the day after the answer was due.
TEST_F(VocabularyTest, EscalationComplaintSaysItIsOnTime) {
  const forms::Form& form = *set_.find("escalation-complaint");
  auto answers = answersFor(form);
  ASSERT_TRUE(forms::checkAnswers(form, answers, kToday).empty());

  auto refused = tracked(form, {sent_, denied_}, kToday);
  EXPECT_NE(renderText(form, answers, refused)
                .find("I understand complaints should be made within 180 calendar days (45 CFR "
                      "160.306(b)(3)); I am filing by July 13, 2026."),
            std::string::npos);

  auto unanswered = tracked(form, {sent_}, kToday);
  EXPECT_NE(renderText(form, answers, unanswered).find("I am filing by July 20, 2026."),
            std::string::npos);
  // Without a tracked request: the same count from --sent-on.
  EXPECT_EQ(untracked(form, kToday).values["escalation.due_date"], "July 20, 2026");

  // Once the limit has passed the letter does not claim it is on time; the person is told.
  const Date late(2026, 8, 1);
  std::vector<std::string> warnings;
  auto dc = untracked(form, late, &warnings);
  std::string text = renderText(form, answers, dc);
  EXPECT_EQ(text.find("I am filing by"), std::string::npos);
  bool told = false;
  for (const auto& w : warnings) told = told || w.find("ended on 2026-07-20") != std::string::npos;
  EXPECT_TRUE(told);
  EXPECT_TRUE(tracked(form, {sent_, denied_}, late).values["escalation.due_date"].empty());
  // A request that is neither refused nor overdue starts no escalation clock.
  EXPECT_TRUE(tracked(form, {sent_}, Date(2026, 1, 10)).values["escalation.due_date"].empty());
}

// Facts that only some data has: no confirmed board time limit, no national law.
TEST_F(VocabularyTest, FactsTheDataLacksStayEmpty) {
  kase_.provider.jurisdiction = "us-ca";
  kase_.provider.license_type = "psychologist";  // the Board of Psychology: limit unconfirmed
  auto dc = untracked(*set_.find("board-complaint"), kToday);
  EXPECT_FALSE(dc.values["board.name"].empty());
  EXPECT_TRUE(dc.values["board.complaint_time_limit"].empty());
  kase_.provider.license_type = "marriage_family_therapist";  // BBS: confirmed
  dc = untracked(*set_.find("board-complaint"), kToday);
  EXPECT_FALSE(dc.values["board.complaint_time_limit"].empty());

  kase_.provider.jurisdiction = "gb";
  dc = untracked(*set_.find("records-request"), kToday);
  EXPECT_TRUE(dc.values["federal.citation"].empty());
  EXPECT_TRUE(dc.values["federal.response_rule"].empty());
  EXPECT_EQ(dc.values["escalation.time_limit"],
            "within 3 calendar months (ICO, 'What do I need to do before I can complain to the "
            "ICO?')");
}

}  // namespace
}  // namespace recourse::service
