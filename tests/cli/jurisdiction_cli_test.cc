// The jurisdiction commands against the shipped data files.
#include <gtest/gtest.h>

#include "fakes/cli_harness.h"
#include "fakes/temp_dir.h"

namespace recourse::cli {
namespace {

// The jurisdiction commands need no vault: they run without --data-dir.
using JurisdictionCliTest = testing::CliHarness;

TEST_F(JurisdictionCliTest, CheckPassesOnShippedData) {
  Result r = cliAsGiven({"jurisdictions", "check"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("13 jurisdiction file(s) loaded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 problem(s)"), std::string::npos);
}

TEST_F(JurisdictionCliTest, CheckReportsFileAndPath) {
  testing::writeFile(tmp_.file("license-types.json"),
                     R"({"license_types": [{"id": "psychologist", "label": "Psychologist"}]})");
  testing::writeFile(tmp_.file("zz.json"), R"({"id": "zz", "name": "Zed", "language": "en",
      "page_size": "legal", "boards": []})");
  Result r = cliAsGiven({"jurisdictions", "check", "--jurisdictions-dir", tmp_.path()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("jurisdictions/zz.json:$.page_size: must be letter or a4"),
            std::string::npos)
      << r.out;
}

TEST_F(JurisdictionCliTest, DeadlineExplainsItself) {
  // Washington: 15 business days (RCW 70.02.080). Received Friday 18 Dec 2026; Christmas
  // (Fri 25 Dec) and New Year's Day (Fri 1 Jan 2027) are skipped with the weekends: due
  // Tuesday 12 Jan 2027, before HIPAA's 30 calendar days (Sunday 17 Jan 2027).
  Result r = cliAsGiven({"deadline", "--jurisdiction", "us-wa", "--rule", "records-access",
                         "--from", "2026-12-18", "--explain"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("RCW 70.02.080"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-12-25 (Friday): Christmas Day"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2027-01-01 (Friday): New Year's Day"), std::string::npos);
  EXPECT_NE(r.out.find("Due:      2027-01-12 (Tuesday)"), std::string::npos);
  EXPECT_NE(r.out.find("45 CFR 164.524"), std::string::npos);
  EXPECT_NE(r.out.find("Due:      2027-01-17 (Sunday)"), std::string::npos);
  EXPECT_NE(r.out.find("Due: 2027-01-12 (Tuesday), the earliest"), std::string::npos);
}

TEST_F(JurisdictionCliTest, DeadlineFlagsUnverifiedRules) {
  Result r = cliAsGiven({"deadline", "--jurisdiction", "us-ca", "--from", "2026-03-02"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2026-03-17"), std::string::npos);  // 15 days after 2 March
  EXPECT_NE(r.out.find("(not confirmed)"), std::string::npos) << r.out;
  // Said plainly, with what to check (the file's caution), never its research note.
  EXPECT_NE(r.out.find("This date rests on a rule that is not confirmed: The 15-day limit for "
                       "copies could not be checked"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("UNVERIFIED"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("heitingandirwin"), std::string::npos) << r.out;
}

// `jurisdictions show` gives the person's cautions, not the maintainers' notes.
TEST_F(JurisdictionCliTest, ShowGivesCautionsNotResearchNotes) {
  Result r = cliAsGiven({"jurisdictions", "show", "us-ca"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("The 15-day limit for copies could not be checked"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("The current fee limits for copies could not be checked"), std::string::npos)
      << r.out;
  // Where the state gives less than HIPAA, the federal rule that governs is said too.
  EXPECT_NE(r.out.find("    Federal law: HIPAA governs a provider it covers"), std::string::npos)
      << r.out;
  // The electronic copy, what a board does next and what protects the person complaining,
  // each with its own source or caution.
  EXPECT_NE(r.out.find("  Electronic copy: Since 2018 California law says"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    Read only in the official summary of the 2017 bill"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    then:       The board must tell you what it first did about your "
                       "complaint within 10 days"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Cal. Bus. & Prof. Code § 129"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    protected:  No licensee of a Department of Consumer Affairs board"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("heitingandirwin"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("healthinfolaw"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("note:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("UNVERIFIED"), std::string::npos) << r.out;
  r = cliAsGiven({"jurisdictions", "show", "au", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("- LAW"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"note\""), std::string::npos) << r.out;
}

TEST_F(JurisdictionCliTest, DeadlineWithExtensionNotice) {
  // HIPAA: 2 March + 30 = 1 April; a timely notice adds 30 days: 1 May.
  Result r = cliAsGiven({"deadline", "--jurisdiction", "us", "--from", "2026-03-02",
                         "--extension-notice", "2026-03-20", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("due"), "2026-05-01");
  auto d = o->getArray("deadlines")->getObject(0);
  EXPECT_TRUE(d->getValue<bool>("extension_applied"));
}

// Illinois's one extension is not confirmed: once it moves the date, the date says so, with
// the extension's own caution, in every form of the command's answer.
TEST_F(JurisdictionCliTest, ExtendedDateCarriesTheExtensionsFlag) {
  Result r = cliAsGiven({"deadline", "--jurisdiction", "us-il", "--from", "2026-03-02",
                         "--extension-notice", "2026-03-20", "--explain"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Extension not confirmed: The rules for a longer reply time come from "
                       "summaries of the law"),
            std::string::npos)
      << r.out;
  r = cliAsGiven({"deadline", "--jurisdiction", "us-il", "--from", "2026-03-02",
                  "--extension-notice", "2026-03-20"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("The rules for a longer reply time come from summaries of the law"),
            std::string::npos)
      << r.out;
  // The federal extension, read in the regulation's words, leaves its date confirmed.
  r = cliAsGiven({"deadline", "--jurisdiction", "us", "--from", "2026-03-02", "--extension-notice",
                  "2026-03-20", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.json()->getValue<std::string>("due"), "2026-05-01");
  EXPECT_TRUE(r.json()->getValue<bool>("verified"));
}

// The rights to correct records and to a list of disclosures: shown with their law, and
// counted by the deadline command like access.
TEST_F(JurisdictionCliTest, CorrectionAndDisclosureRights) {
  Result r = cliAsGiven({"jurisdictions", "show", "us-wa"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Correcting your records: Correction or amendment of health care "
                       "information (RCW 70.02.100 and 70.02.110)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  Answer due: 10 calendar days after the provider receives the written "
                       "request — RCW 70.02.100(2)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("A list of who your records were disclosed to: Accounting of "
                       "disclosures (RCW 70.02.020(2))"),
            std::string::npos)
      << r.out;
  r = cliAsGiven({"deadline", "--jurisdiction", "us-wa", "--rule", "records-amendment", "--from",
                  "2026-03-02", "--extension-notice", "2026-03-10"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Washington: due 2026-03-23"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Due: 2026-03-23 (Monday), the earliest"), std::string::npos) << r.out;
  r = cliAsGiven({"deadline", "--jurisdiction", "us", "--rule", "listing", "--from", "2026-03-02"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("records-amendment, disclosures-accounting"), std::string::npos) << r.err;
}

TEST_F(JurisdictionCliTest, DeadlineBadInput) {
  Result r = cliAsGiven({"deadline", "--jurisdiction", "us-ca", "--from", "2026-02-30"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--from: 2026-02-30 is an impossible date (February 2026 has 28 days)"),
            std::string::npos);
  r = cliAsGiven({"deadline", "--jurisdiction", "atlantis", "--from", "2026-02-03"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--jurisdiction: \"atlantis\" is not a known jurisdiction"),
            std::string::npos);
  r = cliAsGiven({"deadline", "--jurisdiction", "us", "--from", "2026-02-03", "--rule", "soon"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--rule: "), std::string::npos);
  r = cliAsGiven(
      {"deadline", "--jurisdiction", "us", "--from", "2026-02-03", "--pause", "2026-02-10"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--pause: "), std::string::npos);
}

TEST_F(JurisdictionCliTest, BoardsFind) {
  Result r = cliAsGiven({"boards", "find", "--jurisdiction", "us-ca", "--license", "LMFT"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Board of Behavioral Sciences"), std::string::npos);
  EXPECT_NE(r.out.find("complaints: https://"), std::string::npos);
  r = cliAsGiven({"boards", "find", "--jurisdiction", "us-ca", "--license", "shaman"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Known types: psychologist"), std::string::npos);
}

// Each body says what it is: a professional body acts only on its members, a complaints
// body on anyone giving a health service in its state.
TEST_F(JurisdictionCliTest, BoardsFindSaysWhatEachBodyIs) {
  Result r = cliAsGiven({"boards", "find", "--jurisdiction", "au", "--license", "social worker"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Australian Association of Social Workers (AASW)\n    what:       a "
                       "professional body, not a regulator set up by law"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("what:       a health complaints body set up by law for Tasmania"),
            std::string::npos)
      << r.out;
  r = cliAsGiven(
      {"boards", "find", "--jurisdiction", "au", "--license", "social worker", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"kind\": \"professional_body\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"region\": \"Victoria\""), std::string::npos) << r.out;
  // A licensing board says nothing more: it is what a board is.
  r = cliAsGiven({"boards", "find", "--jurisdiction", "us-ca", "--license", "DO"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Osteopathic Medical Board of California"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("what:"), std::string::npos) << r.out;
}

TEST_F(JurisdictionCliTest, ListAndShow) {
  Result r = cliAsGiven({"jurisdictions", "list"});
  ASSERT_EQ(r.code, 0);
  for (const char* id : {"us-ca", "gb", "ca-on", "au"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
  r = cliAsGiven({"jurisdictions", "show", "gb", "--year", "2026"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Information Commissioner"), std::string::npos);
  EXPECT_NE(r.out.find("2026-04-03 Friday"), std::string::npos);  // Good Friday 2026
  r = cliAsGiven({"jurisdictions", "show", "xx"});
  EXPECT_EQ(r.code, 2);
}

}  // namespace
}  // namespace recourse::cli
