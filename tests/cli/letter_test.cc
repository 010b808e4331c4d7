// Every shipped form made into a PDF through `recourse letter`, checked by extracted text,
// structure and fonts.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "fakes/cli_harness.h"
#include "pdf/pdf_tools.h"

namespace recourse::cli {
namespace {

using testing::run;

class LetterTest : public testing::CliHarness {
 protected:
  void SetUp() override {
    std::vector<std::string> case_options = testing::kCaliforniaLmft;
    case_options.insert(case_options.end(), {"--practice", "Bayview Counseling"});
    ASSERT_NO_FATAL_FAILURE(initVaultWithCase(
        "Nguyễn Thị Minh", {"--address", "12 Elm St, Oakland, CA 94607"}, case_options));
    ASSERT_EQ(cli({"incident", "add", "--case", case_, "--summary",
                   "Ended our sessions by text with no referral", "--date", "2024-04-02",
                   "--channel", "text", "--harm", "abandonment"})
                  .code,
              0);
    ASSERT_EQ(cli({"incident", "add", "--case", case_, "--summary",
                   "Told my partner what I said in session", "--when", "spring 2024", "--harm",
                   "confidentiality_breach"})
                  .code,
              0);
  }

  std::string make(const std::string& form, std::vector<std::string> extra) {
    std::string out = tmp_.file(form + ".pdf");
    std::vector<std::string> args = {"letter", "--form", form,        "--case",    case_,
                                     "--out",  out,      "--sent-on", "2026-03-02"};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = cli(args);
    EXPECT_EQ(r.code, 0) << form << ": " << r.err;
    int rc = -1;
    std::string check = run("qpdf --check '" + out + "'", &rc);
    EXPECT_EQ(rc, 0) << form << check;
    std::string fonts = run("pdffonts '" + out + "'");
    EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << form << fonts;
    EXPECT_NE(fonts.find(" yes yes yes"), std::string::npos) << form << fonts;
    return testing::foldedText(out);
  }
};

TEST_F(LetterTest, RecordsRequestCitesTheLawAndTheDueDate) {
  std::string t = make("records-request",
                       {"--set", "scope=all", "--set", "format=paper", "--set", "send_to=me"});
  size_t name = t.find("Nguyễn Thị Minh");
  size_t law = t.find("Cal. Health & Safety Code § 123110(b)");
  size_t hipaa = t.find("45 CFR 164.524");
  size_t due = t.find("March 17, 2026");  // 15 days after 2 March 2026, by hand
  ASSERT_NE(name, std::string::npos) << t;
  ASSERT_NE(law, std::string::npos) << t;
  ASSERT_NE(hipaa, std::string::npos) << t;
  ASSERT_NE(due, std::string::npos) << t;
  EXPECT_LT(name, law);
  EXPECT_LT(law, due);
  EXPECT_NE(t.find("Bayview Counseling"), std::string::npos);
  EXPECT_NE(t.find("Please send me a paper copy by post to my address above."), std::string::npos)
      << t;
  EXPECT_EQ(t.find("electronic copy"), std::string::npos);  // the other branch is not shown
}

// A records request for California (its 15-day rule is unverified; the incidents cite
// unverified ethics sections): each caution once, plainly, and only those about this letter.
TEST_F(LetterTest, ARecordsRequestPrintsEachOfItsCautionsOncePlainly) {
  std::string out = tmp_.file("request.pdf");
  auto r = cli({"letter", "--form", "records-request", "--case", case_, "--out", out, "--set",
                "scope=all", "--set", "format=paper", "--set", "send_to=me"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> notes;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Note: ", 0) == 0) notes.push_back(line);
  }
  ASSERT_EQ(notes.size(), 1u) << r.out;
  EXPECT_EQ(notes[0],
            "Note: The due date (Cal. Health & Safety Code § 123110(b)) is not confirmed. The "
            "15-day limit for copies could not be checked against the current official text of "
            "the law; check it before you rely on the due date.");
  EXPECT_EQ(r.out.find("ethics"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("UNVERIFIED"), std::string::npos) << r.out;
  const std::string text = testing::foldedText(out);
  for (const char* bad : {"http", "docs/", "brief", "UNVERIFIED", "heitingandirwin"}) {
    EXPECT_EQ(text.find(bad), std::string::npos) << bad << "\n" << text;
  }
}

// Yes/no answers take yes/no/y/n/true/false in any case, the same as a spreadsheet.
TEST_F(LetterTest, YesNoAnswersTakeThePlainWords) {
  auto letterWith = [&](const std::string& billing, Result* r) {
    const std::string out = tmp_.file("billing-" + billing + ".pdf");
    *r = cli({"letter", "--form", "records-request", "--case", case_, "--out", out, "--set",
              "scope=all", "--set", "format=paper", "--set", "send_to=me", "--set",
              "include_billing=" + billing});
    return r->code == 0 ? testing::foldedText(out) : std::string();
  };
  Result r;
  for (const char* yes : {"Yes", "y", "TRUE"}) {
    std::string t = letterWith(yes, &r);
    ASSERT_EQ(r.code, 0) << yes << ": " << r.err;
    EXPECT_NE(t.find("Please include my billing and payment records"), std::string::npos) << yes;
  }
  std::string t = letterWith("no", &r);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(t.find("Please include my billing"), std::string::npos);
  letterWith("maybe", &r);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("include_billing takes yes or no (also y/n, true/false), not \"maybe\""),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("billing-maybe.pdf")));
}

TEST_F(LetterTest, FollowUpDenialReviewAndEscalation) {
  std::string f =
      make("records-followup", {"--set", "heard_back=nothing", "--set", "reply_within_days=10",
                                "--set", "mention_escalation=true"});
  EXPECT_NE(f.find("March 2, 2026"), std::string::npos) << f;
  EXPECT_NE(f.find("within 10 days"), std::string::npos);
  EXPECT_NE(f.find("Office for Civil Rights"), std::string::npos) << f;
  std::string dated =
      make("records-request",
           {"--set", "scope=dates", "--set", "date_range.start=2023-09-01", "--set",
            "date_range.end=2024-04-30", "--set", "format=paper", "--set", "send_to=me"});
  EXPECT_NE(dated.find("dated from September 1, 2023 to April 30, 2024"), std::string::npos)
      << dated;
  std::string d = make("denial-review",
                       {"--set", "what_refused=part", "--set",
                        "refused_parts=Session notes from 2024", "--set", "review_route=review"});
  EXPECT_NE(d.find("Session notes from 2024"), std::string::npos) << d;
  EXPECT_NE(d.find("reviewed as the law provides"), std::string::npos);
  std::string e = make("escalation-complaint", {"--set", "problem=no_answer"});
  EXPECT_NE(e.find("Nguyễn Thị Minh"), std::string::npos) << e;
  EXPECT_NE(e.find("March 17, 2026"), std::string::npos) << e;
}

TEST_F(LetterTest, BoardComplaintAndIncidentLogShowTheTimeline) {
  std::string b = make("board-complaint", {"--set", "relationship=client", "--set",
                                           "summary=She ended therapy abruptly and shared "
                                           "what I said."});
  EXPECT_NE(b.find("Board of Behavioral Sciences"), std::string::npos) << b;
  EXPECT_NE(b.find("Dr. Ana Pérez"), std::string::npos);
  size_t first = b.find("Ended our sessions by text");
  size_t second = b.find("Told my partner");
  ASSERT_NE(first, std::string::npos) << b;
  ASSERT_NE(second, std::string::npos) << b;
  EXPECT_LT(second, first);  // "spring 2024" at its earliest day, before 2024-04-02
  EXPECT_NE(b.find("spring 2024"), std::string::npos);
  std::string log = make("incident-log", {"--set", "summary=x"});
  EXPECT_NE(log.find("Record of what happened"), std::string::npos) << log;
  EXPECT_NE(log.find("Ended our sessions by text"), std::string::npos);
}

TEST_F(LetterTest, PageSizeFollowsTheJurisdiction) {
  auto k = cli({"case", "add", "--client", client_, "--provider-name", "Dr. Jane Smith",
                "--license-type", "psychotherapist", "--jurisdiction", "gb", "--json"});
  ASSERT_EQ(k.code, 0) << k.err;
  std::string out = tmp_.file("gb.pdf");
  Result r =
      cli({"letter", "--form", "records-request", "--case", k.id(), "--out", out, "--set",
           "scope=all", "--set", "format=paper", "--set", "send_to=me", "--sent-on", "2026-01-31"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string info = run("pdfinfo '" + out + "'");
  EXPECT_NE(info.find("595.276 x 841.89"), std::string::npos) << info;  // A4
  std::string text = run("pdftotext '" + out + "' -");
  // One calendar month from 31 January 2026 is 28 February, a Saturday: the ICO's rule moves
  // it to Monday 2 March (worked out by hand). UK letters use day-month-year dates.
  EXPECT_NE(text.find("2 March 2026"), std::string::npos) << text;
}

TEST_F(LetterTest, MissingAnswersAreListedAndNothingIsWritten) {
  std::string out = tmp_.file("nothing.pdf");
  Result r = cli({"letter", "--form", "records-request", "--case", case_, "--out", out});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("scope: is needed for this document (all, dates)"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  r = cli({"letter", "--form", "records-request", "--case", case_, "--out", out, "--set",
           "colour=blue"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--set: colour is not a field of records-request"), std::string::npos);
  r = cli({"letter", "--form", "nope", "--case", case_, "--out", out});
  EXPECT_EQ(r.code, 2);
}

// The next step `request show` prints is a command that runs as printed and makes the
// follow-up from the tracked request: its sent date, both addresses, the days overdue.
class NextStepTest : public testing::CliHarness {};

TEST_F(NextStepTest, TheSuggestedFollowUpRunsAsPrinted) {
  std::vector<std::string> case_options = testing::kCaliforniaLmft;
  case_options.insert(case_options.end(), {"--practice", "Bayview Counseling", "--provider-address",
                                           "400 Bay St, Oakland, CA 94607"});
  ASSERT_NO_FATAL_FAILURE(initVaultWithCase(
      "Sam Lee", {"--address", "12 Elm St, Oakland, CA 94601", "--date-of-birth", "1984-07-19"},
      case_options));
  auto added = cli({"request", "add", "--case", case_, "--json"});
  ASSERT_EQ(added.code, 0) << added.err;
  const std::string id = added.id();
  ASSERT_EQ(cli({"request", "send", id, "--on", "2026-01-05", "--via", "mail"}).code, 0);
  auto shown = cli({"request", "show", id});
  ASSERT_EQ(shown.code, 0) << shown.err;
  // The printed command, word by word (no word has a space).
  size_t at = shown.out.find("recourse request letter ");
  ASSERT_NE(at, std::string::npos) << shown.out;
  std::istringstream words(shown.out.substr(at, shown.out.find('\n', at) - at));
  std::vector<std::string> args;
  for (std::string w; words >> w;) args.push_back(w);
  ASSERT_EQ(args.front(), "recourse");
  args.erase(args.begin());
  // It writes into the current directory: run it there.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(tmp_.path());
  auto made = cli(args);
  std::filesystem::current_path(cwd);
  ASSERT_EQ(made.code, 0) << made.err << made.out;
  const std::string out = tmp_.file("records-followup-" + id + ".pdf");
  ASSERT_TRUE(std::filesystem::exists(out)) << made.out;
  const std::string t = testing::foldedText(out);
  testing::expectInOrder(
      t, {"Sam Lee", "12 Elm St", "Oakland, CA 94601", "Bayview Counseling", "400 Bay St",
          "Oakland, CA 94607", "Dear Bayview Counseling,", "Date of birth: July 19, 1984",
          "On January 5, 2026 I asked you for a copy of my records"});
  // Received 5 January by mail; California's 15 days (Cal. Health & Safety Code § 123110(b))
  // end on 20 January; 2 March is 41 days later.
  EXPECT_NE(t.find("Your answer was due on January 20, 2026, 41 days ago."), std::string::npos)
      << t;
}

TEST_F(NextStepTest, ADateOfBirthIsKeptAndAnImpossibleOneIsRefusedByItsOption) {
  ASSERT_NO_FATAL_FAILURE(initVault());
  auto bad = cli({"client", "add", "--name", "Sam Lee", "--date-of-birth", "1975-02-30"});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("--date-of-birth"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("is not a real date"), std::string::npos) << bad.err;
  EXPECT_NE(cli({"client", "list"}).out.find("No one yet"), std::string::npos);  // nothing kept
  auto ok = cli({"client", "add", "--name", "Sam Lee", "--date-of-birth", "1975-02-28", "--json"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(cli({"client", "show", ok.id()}).out.find("born:    1975-02-28"), std::string::npos);
}

}  // namespace
}  // namespace recourse::cli
