// Every shipped form made into a PDF through `recourse letter`, checked by extracted text,
// structure and fonts.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "pdf/pdf_tools.h"

namespace recourse::cli {
namespace {

using testing::run;

class LetterTest : public ::testing::Test {
 protected:
  struct Result {
    int code;
    std::string out;
    std::string err;
  };

  Result cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data-dir", tmp_.file("data")});
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    CliEnv env{in, out, err, {{"RECOURSE_PASSPHRASE", "correct horse battery"}}, clock_, nullptr};
    int code = runCli(args, env);
    return {code, out.str(), err.str()};
  }

  std::string idOf(const Result& r) {
    Poco::JSON::Parser p;
    return p.parse(r.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("id");
  }

  void SetUp() override {
    ASSERT_EQ(cli({"init", "--kdf", "interactive"}).code, 0);
    auto c = cli({"client", "add", "--name", "Nguyễn Thị Minh", "--address",
                  "12 Elm St, Oakland, CA 94607", "--json"});
    ASSERT_EQ(c.code, 0) << c.err;
    client_ = idOf(c);
    auto k = cli({"case", "add", "--client", client_, "--provider-name", "Dr. Ana Pérez",
                  "--license-type", "LMFT", "--license-number", "12345", "--jurisdiction", "us-ca",
                  "--practice", "Bayview Counseling", "--json"});
    ASSERT_EQ(k.code, 0) << k.err;
    case_ = idOf(k);
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

  testing::TempDir tmp_;
  testing::FakeClock clock_;  // 2 March 2026
  std::string client_;
  std::string case_;
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
  EXPECT_NE(t.find("Please send a paper copy"), std::string::npos);
  EXPECT_EQ(t.find("electronic copy"), std::string::npos);  // the other branch is not shown
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
  EXPECT_NE(dated.find("dated from 2023-09-01 to 2024-04-30"), std::string::npos) << dated;
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
  EXPECT_LT(first, second);  // dated before undated
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
      cli({"letter", "--form", "records-request", "--case", idOf(k), "--out", out, "--set",
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

}  // namespace
}  // namespace recourse::cli
