#include "jurisdiction/loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "fakes/temp_dir.h"
#include "fakes/text.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/registry.h"

namespace recourse::jurisdiction {
namespace {

using testing::replaced;

const char* kMinimal = R"({
  "id": "xx-aa",
  "name": "Aland",
  "parent": "xx",
  "language": "en",
  "page_size": "letter",
  "records_access": {
    "law_name": "Records Act",
    "summary": "You may have a copy of your record.",
    "source": {"citation": "RA s. 1", "url": "https://example.org/ra"},
    "verified": true, "verified_against": "official", "last_verified": "2026-11-23",
    "response": {"days": 10, "day_type": "business", "starts_on": "receipt",
                 "source": {"citation": "RA s. 2", "url": "https://example.org/ra#2"},
                 "verified": true, "verified_against": "official", "last_verified": "2026-11-23"}
  },
  "boards": [{
    "id": "xx-aa-board", "name": "Board of Therapy", "license_types": ["psychologist"],
    "license_titles": ["LP"], "website": "https://example.org/board",
    "source": {"citation": "Board page", "url": "https://example.org/board"},
    "verified": true, "verified_against": "official", "last_verified": "2026-11-23"
  }],
  "holidays": {"source": {"citation": "Holidays Act", "url": "https://example.org/h"},
               "verified": true, "verified_against": "official", "last_verified": "2026-11-23",
               "rules": [{"name": "Day", "rule": "fixed", "month": 3, "day": 4}]}
})";

std::vector<std::string> problemsOf(const std::string& text,
                                    const std::string& file = "jurisdictions/xx-aa.json") {
  std::vector<Problem> problems;
  parseJurisdiction(text, file, &problems);
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.toString());
  return out;
}

TEST(LoaderTest, MinimalFileParses) {
  std::vector<Problem> problems;
  auto j = parseJurisdiction(kMinimal, "jurisdictions/xx-aa.json", &problems);
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(j->records_access->response->count.value(), 10);
  EXPECT_EQ(j->records_access->response->type, DayType::kBusiness);
  EXPECT_EQ(j->boards[0].license_titles[0].title, "LP");
  EXPECT_EQ(j->holidays->rules[0].month, 3u);
}

TEST(LoaderTest, ProblemsNameFileAndPath) {
  const std::string f = "jurisdictions/xx-aa.json:";
  EXPECT_EQ(
      problemsOf(replaced(kMinimal, R"("days": 10)", R"("days": "ten")")),
      (std::vector<std::string>{f + "$.records_access.response.days: must be a whole number"}));
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("day_type": "business")", R"("day_type": "weekly")")),
            (std::vector<std::string>{
                f + "$.records_access.response.day_type: \"weekly\" is not calendar, business or "
                    "calendar_month"}));
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("name": "Aland",)", R"("name": "Aland", "flag": 1,)")),
            (std::vector<std::string>{f + "$.flag: unknown field"}));
  EXPECT_EQ(problemsOf(replaced(kMinimal,
                                R"({"citation": "Board page", "url": "https://example.org/board"})",
                                R"({"citation": "Board page"})")),
            (std::vector<std::string>{
                f + "$.boards[0].source: needs a url (or read_at: the page that was read)"}));
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("month": 3, "day": 4)", R"("month": 2, "day": 30)")),
            (std::vector<std::string>{f + "$.holidays.rules[0].day: is not a day of that month"}));
  EXPECT_EQ(problemsOf(kMinimal, "jurisdictions/xx-bb.json"),
            (std::vector<std::string>{"jurisdictions/xx-bb.json:$.id: \"xx-aa\" does not match "
                                      "the file name xx-bb.json"}));
}

TEST(LoaderTest, UnverifiedFactsNeedANoteAndVerifiedOnesADate) {
  const std::string f = "jurisdictions/xx-aa.json:";
  std::string unverified =
      replaced(kMinimal, R"("source": {"citation": "RA s. 2", "url": "https://example.org/ra#2"},
                 "verified": true, "verified_against": "official", "last_verified": "2026-11-23")",
               R"("source": {"citation": "RA s. 2", "url": "https://example.org/ra#2"},
                 "verified": false)");
  EXPECT_EQ(problemsOf(unverified),
            (std::vector<std::string>{
                f + "$.records_access.response.note: an unverified fact "
                    "must say in a note what could not be confirmed",
                f + "$.records_access.response.caution: an unverified fact needs a caution: one "
                    "short plain sentence for the person (what could not be confirmed and what "
                    "to check); research goes in note"}));
  std::string undated = replaced(
      kMinimal, R"("verified": true, "verified_against": "official", "last_verified": "2026-11-23",
    "response")",
      R"("verified": true, "verified_against": "official",
    "response")");
  EXPECT_EQ(problemsOf(undated),
            (std::vector<std::string>{f + "$.records_access.last_verified: is required"}));
}

// Sending a copy to someone the person names: what the law gives is said (a right to direct
// it, or the consent the holder needs), an electronic-only limit limits a right, and a consent
// names only statements the letter knows how to make.
TEST(LoaderTest, ACopyToSomeoneElseSaysWhatTheLawGives) {
  const std::string f = "jurisdictions/xx-aa.json:";
  auto withCopy = [](const std::string& body) {
    return replaced(kMinimal, R"("response": {"days": 10,)",
                    R"("third_party_copy": {)" + body +
                        R"(, "summary": "You may have a copy sent to someone you name.",
        "source": {"citation": "RA s. 3", "url": "https://example.org/ra#3"},
        "verified": true, "verified_against": "official", "last_verified": "2026-11-23"},
    "response": {"days": 10,)");
  };
  const std::string consent = R"("consent": {"summary": "In writing.", "elements": [%s],
        "source": {"citation": "RA s. 4", "url": "https://example.org/ra#4"},
        "verified": true, "verified_against": "official", "last_verified": "2026-11-23"})";
  auto withConsent = [&](const std::string& elements) {
    return withCopy(replaced(consent, "%s", elements));
  };
  std::vector<Problem> problems;
  auto j = parseJurisdiction(withConsent(R"("purpose", "witness")"), "jurisdictions/xx-aa.json",
                             &problems);
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(problems.empty()) << problems[0].toString();
  ASSERT_TRUE(j->records_access->third_party_copy && j->records_access->third_party_copy->consent);
  EXPECT_EQ(j->records_access->third_party_copy->consent->elements,
            (std::vector<std::string>{"purpose", "witness"}));
  EXPECT_FALSE(j->records_access->third_party_copy->direct_right);

  EXPECT_EQ(problemsOf(withCopy(R"("direct_right": false)")),
            (std::vector<std::string>{
                f + "$.records_access.third_party_copy: say what it gives: direct_right, or the "
                    "consent the holder needs"}));
  EXPECT_EQ(
      problemsOf(
          withCopy(R"("electronic_only": true)" + std::string(", ") + replaced(consent, "%s", ""))),
      (std::vector<std::string>{f + "$.records_access.third_party_copy.electronic_only: only "
                                    "limits a direct_right: set direct_right too, or leave it "
                                    "out"}));
  EXPECT_EQ(problemsOf(withConsent(R"("notary", "purpose", "purpose")")),
            (std::vector<std::string>{
                f + "$.records_access.third_party_copy.consent.elements[0]: \"notary\" is not a "
                    "statement Recourse knows; one of purpose, expiry, revoke, no_condition, "
                    "redisclosure, inspect, refusal, witness, copy, no_redisclosure",
                f + "$.records_access.third_party_copy.consent.elements[2]: \"purpose\" is listed "
                    "twice"}));
}

// A time limit's numbers are fields the engine reads, with their exceptions; the file may
// not leave a limit in words only, nor make an exception shorter than the rule.
TEST(LoaderTest, ComplaintTimeLimitsAreFieldsWithExceptions) {
  const std::string at = R"("license_titles": ["LP"],)";
  auto withLimit = [&](const std::string& limit) {
    return replaced(
        kMinimal, at,
        at +
            R"( "complaint_time_limit": {"verified": true, "verified_against": "official", "last_verified": )"
            R"("2026-11-23", "source": {"citation": "BA s. 9", "url": "https://example.org/ba"}, )" +
            limit + "},");
  };
  std::vector<Problem> problems;
  auto j = parseJurisdiction(
      withLimit(R"("summary": "Six years from the act.", "years": 6, "exceptions": [)"
                R"({"harm_kinds": ["sexual_misconduct"], "no_limit": true, "summary": "None )"
                R"(for sexual misconduct."}, {"years": 12, "summary": "Twelve when )"
                R"(concealed."}])"),
      "jurisdictions/xx-aa.json", &problems);
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(problems.empty());
  const auto& limit = *j->boards[0].complaint_time_limit;
  ASSERT_EQ(limit.exceptions.size(), 2u);
  EXPECT_TRUE(limit.exceptions[0].no_limit);
  EXPECT_EQ(limit.exceptions[0].harm_kinds, std::vector<std::string>{"sexual_misconduct"});
  EXPECT_EQ(limit.exceptions[1].years.value(), 12);
  const std::string f = "jurisdictions/xx-aa.json:$.boards[0].complaint_time_limit";
  EXPECT_EQ(problemsOf(withLimit(R"("summary": "Within 2 years of becoming aware.")")),
            std::vector<std::string>{
                f + ".years: the summary gives a time limit in years, but years is not set; "
                    "add it (and exceptions) as fields, or set no_fixed_limit: true if the law "
                    "has none"});
  EXPECT_TRUE(problemsOf(withLimit(R"("summary": "None; the review must come within one )"
                                   R"(year.", "no_fixed_limit": true)"))
                  .empty());
  EXPECT_EQ(problemsOf(withLimit(R"("summary": "Six years.", "years": 6, "exceptions": [)"
                                 R"({"years": 3, "summary": "Three."}])")),
            std::vector<std::string>{f + ".exceptions[0].years: an exception's years must be "
                                         "longer than the limit it is an exception to"});
  EXPECT_EQ(problemsOf(withLimit(R"("summary": "Six years.", "years": 6, "exceptions": [)"
                                 R"({"summary": "Something."}])")),
            std::vector<std::string>{f + ".exceptions[0]: an exception needs either years or "
                                         "\"no_limit\": true"});
}

// Each extension says how the law counts it; one that would shorten the period is refused.
TEST(LoaderTest, ExtensionsSayHowTheyCount) {
  const std::string at =
      R"("verified": true, "verified_against": "official", "last_verified": "2026-11-23"}
  },)";
  auto withExtension = [&](const std::string& ext) {
    return replaced(
        kMinimal, at,
        R"("verified": true, "verified_against": "official", "last_verified": "2026-11-23"},
    "extension": {"source": {"citation": "RA s. 3", "url": "https://example.org/ra#3"}, "verified": true, )"
        R"("verified_against": "official", "last_verified": "2026-11-23", "conditions": "busy", )" +
            ext + "}\n  },");
  };
  std::vector<Problem> problems;
  auto j = parseJurisdiction(withExtension(R"("days": 21, "day_type": "business", )"
                                           R"("counted_from": "start", "notice_within": )"
                                           R"({"days": 10, "day_type": "business"})"),
                             "jurisdictions/xx-aa.json", &problems);
  ASSERT_TRUE(j.has_value()) << (problems.empty() ? "" : problems[0].toString());
  const auto& e = *j->records_access->extension;
  EXPECT_EQ(e.basis, ExtensionBasis::kTotalFromStart);
  EXPECT_EQ(e.notice_within.value(), 10);
  EXPECT_EQ(e.notice_type, DayType::kBusiness);
  const std::string f = "jurisdictions/xx-aa.json:$.records_access.extension";
  EXPECT_EQ(problemsOf(withExtension(R"("days": 21, "day_type": "business")")),
            std::vector<std::string>{f + ".counted_from: is required"});
  EXPECT_EQ(problemsOf(withExtension(R"("days": 8, "day_type": "business", )"
                                     R"("counted_from": "start")")),
            std::vector<std::string>{
                f + ".days: a total of 8 counted from the start is not longer than the 10 the "
                    "response already allows; the extension would shorten it"});
  EXPECT_EQ(problemsOf(withExtension(R"("days": 5, "day_type": "business", )"
                                     R"("counted_from": "first_due_date", "notice_within": )"
                                     R"({"days": 12, "day_type": "business"})")),
            std::vector<std::string>{
                f + ".notice_within: a notice window of 12 is longer than the response period "
                    "of 10; a notice after the answer is due cannot extend it"});
  auto old = problemsOf(withExtension(R"("days": 5, "day_type": "business", )"
                                      R"("counted_from": "first_due_date", )"
                                      R"("notice_within_days": 10)"));
  ASSERT_EQ(old.size(), 1u);
  EXPECT_NE(old[0].find("notice_within_days: is replaced by notice_within"), std::string::npos)
      << old[0];
}

// A verified fact says what it was read in; an unverified one says nothing of the kind.
TEST(LoaderTest, AVerifiedFactSaysWhatItWasReadIn) {
  const std::string f = "jurisdictions/xx-aa.json:$.records_access.verified_against: ";
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("verified_against": "official")",
                                R"("verified_against": "a blog")")),
            std::vector<std::string>{f + "must be official (the law's or the body's own text) or "
                                         "secondary (a mirror or a summary)"});
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("verified_against": "official", )", "")),
            std::vector<std::string>{f + "is required"});
  auto p = problemsOf(replaced(kMinimal, R"("verified": true, "verified_against": "official")",
                               R"("verified": false, "verified_against": "official", )"
                               R"("caution": "The law could not be checked.", "note": "x")"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], f + "is only for a verified fact");
}

// A number of days a summary promises is a field the engine reads, or the file is refused.
TEST(LoaderTest, DaysInTheSummaryMustBeAField) {
  EXPECT_TRUE(problemsOf(replaced(kMinimal, R"("You may have a copy of your record.")",
                                  R"("You may have a copy within 10 business days.")"))
                  .empty());
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("You may have a copy of your record.")",
                                R"("You may have a copy within 12 days.")")),
            std::vector<std::string>{
                "jurisdictions/xx-aa.json:$.records_access.summary: says \"12 days\", but no "
                "time limit of that many days is a field (response, inspection, extension or "
                "provider_responses)"});
}

// A key given twice in one object is an error naming it, never the last value taken
// silently ("days": 10, "days": 400 once made a 400-day deadline); the same key in two
// objects is fine.
TEST(LoaderTest, AKeyGivenTwiceIsRefusedByItsPath) {
  EXPECT_EQ(problemsOf(replaced(kMinimal, R"("days": 10,)", R"("days": 10, "days": 400,)")),
            std::vector<std::string>{
                "jurisdictions/xx-aa.json:$.records_access.response.days: is given twice in "
                "one object; give each key once (the file is left out, so no second value is "
                "taken silently)"});
  auto p = problemsOf(
      replaced(kMinimal, R"("month": 3, "day": 4)", R"("month": 3, "day": 4, "month": 5)"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("jurisdictions/xx-aa.json:$.holidays.rules[0].month: is given twice", 0), 0u)
      << p[0];
  EXPECT_TRUE(problemsOf(kMinimal).empty());  // "source" in many objects: each once
}

TEST(LoaderTest, MalformedJsonIsOneProblemAtTheRoot) {
  auto p = problemsOf("{\"id\": ");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("jurisdictions/xx-aa.json:$: malformed JSON", 0), 0u);
  EXPECT_EQ(problemsOf("[1, 2]"),
            (std::vector<std::string>{"jurisdictions/xx-aa.json:$: the file must hold one JSON "
                                      "object"}));
}

// Fuzzing by a generated corpus: every shipped file, cut short at many places, with bytes
// flipped, and with values swapped for the wrong type. The loader must report problems (or
// accept), never crash, hang or read out of bounds (this suite also runs under ASan/UBSan).
TEST(LoaderFuzzTest, BrokenVariantsOfEveryShippedFile) {
  namespace fs = std::filesystem;
  const std::string dir = std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions";
  std::mt19937 rng(20261123);
  size_t variants = 0;
  size_t rejected = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    const std::string text = testing::readFile(e.path().string());
    const std::string name = "jurisdictions/" + e.path().filename().string();
    const bool vocabulary = e.path().filename() == kLicenseTypesFile;
    auto check = [&](const std::string& variant) {
      std::vector<Problem> problems;
      bool ok = vocabulary ? parseLicenseTypes(variant, name, &problems).has_value()
                           : parseJurisdiction(variant, name, &problems).has_value();
      ++variants;
      if (!ok) {
        ++rejected;
        EXPECT_FALSE(problems.empty()) << name;
        for (const auto& p : problems) EXPECT_EQ(p.file, name);
      }
    };
    for (int i = 0; i < 60; ++i) {
      check(text.substr(0, std::uniform_int_distribution<size_t>(0, text.size())(rng)));
      std::string flipped = text;
      for (int k = 0; k < 3; ++k) {
        size_t at = std::uniform_int_distribution<size_t>(0, flipped.size() - 1)(rng);
        flipped[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      }
      check(flipped);
    }
    for (const auto& [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"true", "\"yes\""},
                                                          {"\"calendar\"", "7"},
                                                          {"[", "{"},
                                                          {"\"days\": ", "\"days\": -"},
                                                          {"\"rules\": [", "\"rules\": [null, "},
                                                          {"\"2026-", "\"2026-13-"}}) {
      std::string swapped = text;
      for (size_t at = swapped.find(from); at != std::string::npos;
           at = swapped.find(from, at + to.size())) {
        swapped.replace(at, from.size(), to);
      }
      check(swapped);
    }
  }
  EXPECT_GT(variants, 1500u);
  EXPECT_GT(rejected, variants / 2);  // most broken variants are refused, with problems
}

TEST(ShippedDataTest, EveryFileLoadsWithoutProblems) {
  auto reg = Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
  for (const auto& p : reg.problems()) ADD_FAILURE() << p.toString();
  for (const char* id : {"us", "us-ca", "us-ny", "us-tx", "us-fl", "us-il", "us-pa", "us-oh",
                         "us-wa", "us-ma", "gb", "ca-on", "au"}) {
    EXPECT_NE(reg.find(id), nullptr) << id;
  }
}

// An unverified fact carries a caution a person reads, separate from the research note.
TEST(LoaderTest, UnverifiedFactNeedsAPlainCaution) {
  const std::string board_fact =
      R"("verified": true, "verified_against": "official", "last_verified": "2026-11-23"
  }],)";
  auto withBoardFact = [&](const std::string& fact) {
    return replaced(kMinimal, board_fact, fact + "\n  }],");
  };
  const std::string f = "jurisdictions/xx-aa.json:$.boards[0].caution: ";
  // No caution at all: refused, and the message says what a caution is.
  auto missing = problemsOf(withBoardFact(R"("verified": false, "note": "Only a blog was read.")"));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find(f + "an unverified fact needs a caution"), std::string::npos);
  // A plain caution passes, and both texts are kept apart.
  std::vector<Problem> problems;
  auto j = parseJurisdiction(
      withBoardFact(
          R"("verified": false, "caution": "The address could not be confirmed; check it )"
          R"(on the board's website.", "note": "Read on https://example.org/x only.")"),
      "jurisdictions/xx-aa.json", &problems);
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(j->boards[0].meta.caution,
            "The address could not be confirmed; check it on the board's website.");
  EXPECT_EQ(j->boards[0].meta.note, "Read on https://example.org/x only.");
  // Research leaking into the caution is refused, naming the marker.
  for (const char* bad :
       {"See https://example.org for why.", "Explained in docs/jurisdictions.md.",
        "The brief's assumption is wrong.", "Section 3 - LAW; guidance - GUIDANCE.",
        "This is UNVERIFIED.", "not a sentence"}) {
    auto p = problemsOf(withBoardFact(std::string(R"("verified": false, "caution": ")") + bad +
                                      R"(", "note": "x")"));
    ASSERT_EQ(p.size(), 1u) << bad;
    EXPECT_EQ(p[0].rfind(f, 0), 0u) << p[0];
  }
  EXPECT_FALSE(cautionProblem(std::string(kMaxCautionChars + 1, 'a')).empty());
}

TEST(LoaderTest, ShownTextsCarryNoResearchMarkers) {
  auto p = problemsOf(replaced(kMinimal, R"("citation": "RA s. 2")",
                               R"("citation": "RA s. 2 - LAW; guidance - GUIDANCE")"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("$.records_access.response.source.citation: is shown to people"),
            std::string::npos);
  p = problemsOf(replaced(kMinimal, R"("You may have a copy of your record.")",
                          R"("You may have a copy, per the brief.")"));
  ASSERT_EQ(p.size(), 1u);
}

// Every shipped unverified fact has a caution that passes the plain-text rules (the loader
// refuses a file otherwise), and no caution repeats its research note.
TEST(ShippedDataTest, EveryUnverifiedFactHasAPlainCaution) {
  auto reg = Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
  for (const auto& p : reg.problems()) ADD_FAILURE() << p.toString();
  int cautions = 0;
  auto check = [&](const FactMeta& m, const std::string& where) {
    if (m.verified) return;
    ++cautions;
    EXPECT_EQ(cautionProblem(m.caution), "") << where;
    EXPECT_NE(m.caution, m.note) << where;
  };
  for (const auto* j : reg.all()) {
    // Every fact, the rights beside access included.
    for (const FactMeta* m : factsOf(*j)) check(*m, j->id + " " + m->source.citation);
    if (j->holidays) {
      for (const auto& h : j->holidays->rules) {
        if (!h.verified) {
          EXPECT_EQ(cautionProblem(h.caution), "") << j->id << " " << h.name;
        }
      }
    }
  }
  EXPECT_GT(cautions, 50);
}

// One matcher for every front end: what a person typed for a jurisdiction.
TEST(ShippedDataTest, UnknownJurisdictionsGetASuggestion) {
  auto reg = Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
  EXPECT_EQ(reg.knownId("US-CA"), "us-ca");
  EXPECT_EQ(reg.knownId("CA"), "");
  auto first = [&](const std::string& typed) {
    auto near = reg.suggest(typed);
    return near.empty() ? std::string("(none)") : near[0]->id;
  };
  EXPECT_EQ(first("CA"), "us-ca");          // short form
  EXPECT_EQ(first("ca"), "us-ca");          // any case
  EXPECT_EQ(first("us-cal"), "us-ca");      // edit distance
  EXPECT_EQ(first("California"), "us-ca");  // name
  EXPECT_EQ(first("ON"), "ca-on");
  EXPECT_EQ(first("Ontario"), "ca-on");
  // Everyday names whose id is another code point there, and only there.
  EXPECT_EQ(first("uk"), "gb");
  EXPECT_EQ(reg.suggest("UK").size(), 1u) << "two letters are not spelling mistakes of \"us\"";
  EXPECT_EQ(first("United Kingdom"), "gb");
  EXPECT_EQ(first("Scotland"), "gb");
  EXPECT_EQ(first("USA"), "us");
  EXPECT_EQ(first("zz-qq"), "(none)");
  EXPECT_EQ(reg.didYouMean("us-cal"), "; did you mean us-ca (California)?");

  auto known = reg.checkJurisdiction("US-NY", "provider.jurisdiction");
  ASSERT_TRUE(known.isOk());
  EXPECT_EQ(*known, "us-ny");
  auto refused = reg.checkJurisdiction("CA", "provider.jurisdiction");
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "provider.jurisdiction");
  const std::string msg = refused.status().message();
  EXPECT_EQ(msg.rfind("\"CA\" is not a jurisdiction Recourse knows; did you mean us-ca "
                      "(California)",
                      0),
            0u)
      << msg;
  EXPECT_NE(msg.find("Recourse knows: au, ca-on, gb, us, us-ca,"), std::string::npos) << msg;
  auto none = reg.checkJurisdiction("zz-qq", "jurisdiction");
  ASSERT_FALSE(none.isOk());
  EXPECT_EQ(none.status().message().rfind("\"zz-qq\" is not a jurisdiction Recourse knows. "
                                          "Recourse knows: au,",
                                          0),
            0u)
      << none.status().message();
}

TEST(ShippedDataTest, UsFederalHolidays2026) {
  // The eleven federal holidays in 2026 (5 U.S.C. 6103), from the calendar by hand;
  // 4 July is a Saturday, so it is observed on Friday 3 July.
  auto reg = Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
  const Jurisdiction* us = reg.find("us");
  ASSERT_NE(us, nullptr);
  ASSERT_TRUE(us->holidays.has_value());
  std::vector<std::string> dates;
  for (const auto& h : holidaysInYear(us->holidays->rules, 2026)) {
    dates.push_back(h.date.toString());
  }
  EXPECT_EQ(dates, (std::vector<std::string>{"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25",
                                             "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12",
                                             "2026-11-11", "2026-11-26", "2026-12-25"}));
}

TEST(RegistryTest, BadFilesAreLeftOutAndTheRestServed) {
  testing::TempDir tmp;
  const std::string vocab = R"({"license_types": [
      {"id": "psychologist", "label": "Psychologist", "aliases": ["LP"]},
      {"id": "marriage_family_therapist", "label": "MFT", "aliases": ["LMFT"]}]})";
  testing::writeFile(tmp.file("license-types.json"), vocab);
  std::string xx = replaced(
      replaced(replaced(kMinimal, R"("id": "xx-aa")", R"("id": "xx")"), R"("parent": "xx",)", ""),
      R"("id": "xx-aa-board")", R"("id": "xx-board")");
  testing::writeFile(tmp.file("xx.json"), xx);
  testing::writeFile(tmp.file("xx-aa.json"), kMinimal);
  testing::writeFile(tmp.file("xx-bb.json"),
                     replaced(replaced(kMinimal, "xx-aa", "xx-bb"), "xx-aa-board", "xx-bb-board")
                         .replace(0, 1, "{ \"oops\": 1,"));
  testing::writeFile(
      tmp.file("xx-cc.json"),
      replaced(replaced(replaced(kMinimal, "\"xx-aa\"", "\"xx-cc\""), "xx-aa-board", "xx-cc-board"),
               R"("parent": "xx")", R"("parent": "yy")"));
  testing::writeFile(
      tmp.file("xx-dd.json"),
      replaced(replaced(replaced(kMinimal, "\"xx-aa\"", "\"xx-dd\""), "xx-aa-board", "xx-dd-board"),
               R"(["psychologist"])", R"(["wizard"])"));
  auto reg = Registry::loadDirectory(tmp.path());
  std::vector<std::string> problems;
  for (const auto& p : reg.problems()) problems.push_back(p.toString());
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "jurisdictions/xx-bb.json:$.oops: unknown field",
                          "jurisdictions/xx-cc.json:$.parent: names \"yy\", which is not loaded",
                          "jurisdictions/xx-dd.json:$.boards[0].license_types[0]: \"wizard\" is "
                          "not in license-types.json"}));
  EXPECT_NE(reg.find("xx"), nullptr);
  EXPECT_NE(reg.find("xx-aa"), nullptr);
  EXPECT_EQ(reg.find("xx-bb"), nullptr);
  EXPECT_EQ(reg.find("xx-cc"), nullptr);
  EXPECT_EQ(reg.find("xx-dd"), nullptr);
  ASSERT_EQ(reg.chain("xx-aa").size(), 2u);
  EXPECT_EQ(reg.chain("xx-aa")[1]->id, "xx");
}

TEST(RegistryTest, ParentCyclesAreRefused) {
  LicenseType lt{"psychologist", "Psychologist", {}};
  Jurisdiction a;
  a.id = "aa";
  a.parent = "bb";
  a.file = "a.json";
  Jurisdiction b;
  b.id = "bb";
  b.parent = "aa";
  b.file = "b.json";
  auto reg = Registry::fromValues({a, b}, {lt});
  EXPECT_TRUE(reg.all().empty());
  ASSERT_FALSE(reg.problems().empty());
  EXPECT_NE(reg.problems()[0].message.find("loops back"), std::string::npos);
}

TEST(BoardFinderTest, ShippedBoards) {
  auto reg = Registry::loadDirectory(std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions");
  auto ca = reg.findBoards("us-ca", "LMFT");
  ASSERT_TRUE(ca.isOk()) << ca.status().toString();
  ASSERT_EQ(ca->size(), 1u);
  EXPECT_EQ((*ca)[0].board->name, "Board of Behavioral Sciences");
  auto psych = reg.findBoards("us-ca", "psychologist");
  ASSERT_TRUE(psych.isOk());
  EXPECT_EQ((*psych)[0].board->name.find("Psychology") != std::string::npos, true);
  auto gb = reg.findBoards("gb", "Practitioner psychologist");
  ASSERT_TRUE(gb.isOk()) << gb.status().toString();
  EXPECT_NE((*gb)[0].board->name.find("Health and Care Professions Council"), std::string::npos);
  auto unknown = reg.findBoards("us-ca", "wizard");
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("marriage_family_therapist (LMFT"), std::string::npos);
  EXPECT_EQ(reg.findBoards("zz", "LMFT").status().code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace recourse::jurisdiction
