// `recourse request batch` and `request followups` as legal aid staff use them. The clock
// is fixed at 2026-03-02; every expected date was worked out by hand: California's 15
// calendar days (Cal. Health & Safety Code § 123110(b), shorter than HIPAA's 30, so it
// governs) and HIPAA's 30 calendar days (45 CFR 164.524(b)(2)).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "fakes/cli_harness.h"
#include "fakes/csv_rows.h"
#include "fakes/temp_dir.h"
#include "pdf/pdf_tools.h"
#include "service/csv.h"

namespace recourse::cli {
namespace {

using testing::run;

constexpr char kHeader[] =
    "client_ref,client_name,jurisdiction,custodian_name,custodian_attention,custodian_address,"
    "custodian_city,custodian_region,custodian_postal_code,include_billing,sent_on,client_email\n";

// Data row i (spreadsheet row i + 1): alternately California and federal-only law, fifty
// custodians, every third one already sent.
std::string goodRow(int i) {
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "LA-%04d,Client %d,%s,Clinic %d,Records,%d Main St,Oakland,CA,9%04d,%s,%s,c%d@example.org\n",
      i, i, i % 2 ? "us-ca" : "us", i % 50, i % 50, i % 50, i % 2 ? "yes" : "no",
      i % 3 == 0 ? "2026-02-20" : "", i);
  return buf;
}

class BatchTest : public testing::CliHarness {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(initVault()); }

  std::string csv(const std::string& name, const std::string& content) {
    std::string path = tmp_.file(name);
    testing::writeFile(path, content);
    return path;
  }

  size_t requestCount() {
    auto r = cli({"request", "list", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.jsonArray()->size();
  }
  size_t clientCount() {
    auto r = cli({"client", "list", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.jsonArray()->size();
  }
  // How many changes the audit log records (reads are entries too).
  std::string auditLine() {
    auto r = cli({"audit"});
    EXPECT_EQ(r.code, 0) << r.err;
    const std::string line = r.out.substr(r.out.rfind("The log"));
    const size_t end = line.find(" changes");
    const size_t start = line.rfind(' ', end - 1) + 1;
    return line.substr(start, end - start);
  }

  // The tracking CSV's data rows, each as its fields.
  std::vector<std::vector<std::string>> tracking(const std::string& dir) {
    auto reader = service::CsvReader::open(dir + "/tracking.csv");
    EXPECT_TRUE(reader.isOk());
    std::vector<std::vector<std::string>> rows;
    service::CsvRecord rec;
    while (*(*reader)->next(&rec)) {
      if (rec.row > 1) rows.push_back(rec.fields);
    }
    return rows;
  }

  // The same, each row by the header's names.
  std::vector<std::map<std::string, std::string>> trackingByName(const std::string& dir) {
    return testing::csvRowsByName(dir + "/tracking.csv");
  }

  size_t filesIn(const std::string& dir) {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      EXPECT_EQ(e.path().extension(), ".pdf") << e.path();
      ++n;
    }
    return n;
  }
};

// The 1,000-row file: six bad rows among good ones.
std::string thousandRows() {
  std::string content = kHeader;
  for (int i = 1; i <= 1000; ++i) {
    int row = i + 1;
    std::string line = goodRow(i);
    if (row == 18) line = "LA-0017,Client 17,us-ca,Clinic 17,,,,,,no,2026-02-30,c@example.org\n";
    if (row == 250) line = "LA-0249,Client 249,us-zz,Clinic 49,,,,,,no,,c@example.org\n";
    if (row == 600) line = "LA-0599,,us,Clinic 49,,,,,,no,,c@example.org\n";
    if (row == 777)
      line = "LA-0776,Client 776,us,Clinic 26,,1 Main St,Oakland,CA,94607,no,,c@example.org,x\n";
    if (row == 901) line = goodRow(1);
    if (row == 950)
      line = "LA-0949,Client 949,us-ca,Clinic 49,,,,,,maybe,2026-03-03,c@example.org\n";
    content += line;
  }
  return content;
}

TEST_F(BatchTest, AThousandRowsWithBadOnesGiveAnExactReportAndMakeNothing) {
  std::string path = csv("clients.csv", thousandRows());
  std::string audit_before = auditLine();
  auto r = cli({"request", "batch", "--csv", path, "--out", tmp_.file("out")});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      r.err,
      "recourse: " + path +
          ": 6 rows have problems; nothing was made (fix them, or add --skip-invalid to "
          "make the rest):\n"
          "  row 18, sent_on: \"2026-02-30\" is an impossible date (February 2026 has 28 days)\n"
          "  row 250, jurisdiction: \"us-zz\" is not a jurisdiction Recourse knows (see: "
          "recourse jurisdictions list)\n"
          "  row 600, client_name: is empty; it is required\n"
          "  row 777: has 13 values; the header has 12 (a value with a comma must be in "
          "double quotes)\n"
          "  row 901: asks the same as row 2 (same client, custodian and records)\n"
          "  row 950, include_billing: \"maybe\" is not yes or no\n"
          "  row 950, sent_on: 2026-03-03 is in the future; record it when the letter has "
          "arrived\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(requestCount(), 0u);
  EXPECT_EQ(clientCount(), 0u);
  EXPECT_EQ(auditLine(), audit_before);
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("out")));
}

TEST_F(BatchTest, SkipInvalidMakesTheRestAndARerunMakesNothingNew) {
  std::string path = csv("clients.csv", thousandRows());
  std::string out = tmp_.file("out");
  auto r = cli({"request", "batch", "--csv", path, "--out", out, "--skip-invalid", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = r.json();
  EXPECT_EQ(j->getValue<int>("rows_ready"), 994);
  EXPECT_EQ(j->getValue<int>("rows_skipped"), 6);
  EXPECT_EQ(j->getValue<int>("requests_made"), 994);
  EXPECT_EQ(j->getValue<int>("clients_made"), 994);
  // Rows with i a multiple of 3 carry a sent date: 333 of them. Two of those rows are
  // bad ones (row 250 is i = 249; row 901, i = 900, became a copy of row 2), so 331.
  EXPECT_EQ(j->getValue<int>("marked_sent"), 331);
  EXPECT_EQ(requestCount(), 994u);
  EXPECT_EQ(clientCount(), 994u);

  EXPECT_EQ(filesIn(out + "/letters"), 994u);
  auto rows = tracking(out);
  ASSERT_EQ(rows.size(), 994u);
  std::string skipped = testing::readFile(out + "/skipped.csv");
  EXPECT_EQ(testing::countOf(skipped, "\r\n"), 7u) << skipped;  // header + 6 rows
  // Each skipped row once, with its problems and its own cells.
  for (const char* row :
       {"\r\n18,\"sent_on: \"\"2026-02-30\"\" is an impossible date (February 2026 has 28 "
        "days)\",LA-0017,"
        "Client 17,us-ca,Clinic 17,,,,,,no,2026-02-30,c@example.org\r\n",
        "\r\n250,\"jurisdiction: ", "\r\n600,client_name: is empty; it is required,LA-0599,,us,",
        "\r\n777,has 13 values; the header has 12 (a value with a comma must be in double "
        "quotes),LA-0776,Client 776,us,Clinic 26,,1 Main "
        "St,Oakland,CA,94607,no,,c@example.org,x\r\n",
        "\r\n901,\"asks the same as row 2 ",
        "\r\n950,\"include_billing: \"\"maybe\"\" is not yes or "
        "no; sent_on: 2026-03-03 is in the future"}) {
    EXPECT_NE(skipped.find(row), std::string::npos) << row << "\n" << skipped;
  }
  // The combined file holds every page, each letter where the tracking file says.
  std::string combined = out + "/all-letters.pdf";
  int rc = -1;
  std::string check = run("qpdf --check '" + combined + "'", &rc);
  EXPECT_EQ(rc, 0) << check;
  const std::string last_pages = rows.back().back();  // "N" or "N-M"
  std::string info = run("pdfinfo '" + combined + "'");
  std::string total = last_pages.substr(last_pages.find('-') + 1);
  size_t at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  EXPECT_EQ(std::stol(info.substr(at + 6)), std::stol(total)) << info;
  EXPECT_GE(std::stol(total), 994);

  // The same file again: nothing new; the letters not sent yet written again, those sent
  // kept as they were.
  std::string audit_before = auditLine();
  auto again = cli({"request", "batch", "--csv", path, "--out", out, "--skip-invalid", "--json"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.json()->getValue<int>("requests_made"), 0);
  EXPECT_EQ(again.json()->getValue<int>("requests_existing"), 994);
  EXPECT_EQ(again.json()->getValue<int>("marked_sent"), 0);
  EXPECT_EQ(requestCount(), 994u);
  EXPECT_EQ(clientCount(), 994u);
  EXPECT_EQ(auditLine(), audit_before);
  EXPECT_EQ(again.json()->getValue<int>("letters"), 994 - 331);
  EXPECT_EQ(filesIn(out + "/letters"), 994u);
  auto rows_again = trackingByName(out);
  ASSERT_EQ(rows_again.size(), 994u);
  EXPECT_EQ(rows_again[0]["request_id"], rows[0][4]);  // the same requests, in the same order
  EXPECT_EQ(rows_again[993]["request_id"], rows[993][4]);
  EXPECT_EQ(rows_again[0]["made"], "earlier run");
}

TEST_F(BatchTest, LettersGoInMailingOrderWithTheirOwnDueDates) {
  std::string path =
      csv("few.csv",
          std::string(kHeader) +
              "A1,Zoë Müller,us-ca,Bay Counseling,,1 Main St,Oakland,CA,94612,"
              "yes,2026-02-20,c@example.org\n"
              "A2,Sam Lee,us,Hill Therapy,,5 Hill Rd,New York,NY,10001,no,"
              "2026-01-05,c@example.org\n"
              "A3,Nguyễn Thị Minh,us-ca,Bay Counseling,,1 Main St,Oakland,CA,"
              "94612,no,,c@example.org\n"
              "A4,Ana Silva,us-ny,Albany Clinic,,9 State St,Albany,NY,12207,no,,c@example.org\n");
  std::string out = tmp_.file("out");
  // A letter an earlier mailing left in the folder is not taken for one of these.
  std::filesystem::create_directories(out + "/letters");
  testing::writeFile(out + "/letters/0005-rq_old1234567.pdf", "old");
  testing::writeFile(out + "/letters/my notes.pdf", "mine");
  progress_ = true;
  auto r = cli({"request", "batch", "--csv", path, "--out", out});
  progress_ = false;
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("\r  letters: 4 of 4, "), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out + "/letters/0005-rq_old1234567.pdf"));
  EXPECT_TRUE(std::filesystem::exists(out + "/letters/my notes.pdf"));
  EXPECT_NE(r.out.find("Made 4 new requests (4 new clients)."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Recorded 2 as sent"), std::string::npos) << r.out;
  auto rows = trackingByName(out);
  ASSERT_EQ(rows.size(), 4u);
  // By the custodian's postal code, then custodian, then client.
  EXPECT_EQ(rows[0]["csv_row"], "3");
  EXPECT_EQ(rows[0]["client_ref"], "A2");
  EXPECT_EQ(rows[0]["client"], "Sam Lee");
  EXPECT_EQ(rows[0]["sent_on"], "2026-01-05");
  EXPECT_EQ(rows[0]["due"], "2026-02-04");  // 30 calendar days
  EXPECT_EQ(rows[0]["status"], "overdue");
  EXPECT_EQ(rows[1]["client"], "Ana Silva");
  EXPECT_EQ(rows[1]["status"], "draft");
  EXPECT_EQ(rows[1]["due"], "");
  EXPECT_EQ(rows[2]["client"], "Nguyễn Thị Minh");
  EXPECT_EQ(rows[3]["client"], "Zoë Müller");
  EXPECT_EQ(rows[3]["sent_on"], "2026-02-20");
  EXPECT_EQ(rows[3]["due"], "2026-03-07");  // 15 calendar days (California)
  EXPECT_EQ(rows[3]["status"], "awaiting");
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["mail_order"], std::to_string(i + 1));
    EXPECT_EQ(rows[i]["letter_no"], std::to_string(i + 1));
    EXPECT_EQ(rows[i]["letter"],
              "letters/000" + std::to_string(i + 1) + "-" + rows[i]["request_id"] + ".pdf");
    EXPECT_TRUE(std::filesystem::exists(out + "/" + rows[i]["letter"]));
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out + "/letters"),
                          std::filesystem::directory_iterator()),
            5);
  std::string text = testing::foldedText(out + "/all-letters.pdf");
  testing::expectInOrder(text, {"Sam Lee", "Hill Therapy", "Ana Silva", "Albany Clinic",
                                "Nguyễn Thị Minh", "Zoë Müller", "March 7, 2026"});
  std::string zoe = testing::foldedText(out + "/" + rows[3]["letter"]);
  EXPECT_NE(zoe.find("Cal. Health & Safety Code § 123110"), std::string::npos) << zoe;
  EXPECT_NE(zoe.find("March 7, 2026"), std::string::npos) << zoe;
  EXPECT_EQ(zoe.find("Sam Lee"), std::string::npos);
}

TEST_F(BatchTest, FollowUpsForEveryOverdueRequest) {
  std::string path =
      csv("few.csv",
          std::string(kHeader) +
              "A1,Zoë Müller,us-ca,Bay Counseling,,1 Main St,Oakland,CA,94612,"
              "yes,2026-02-20,c@example.org\n"
              "A2,Sam Lee,us,Hill Therapy,,5 Hill Rd,New York,NY,10001,no,"
              "2026-01-05,c@example.org\n"
              "A3,Ana Silva,us-ny,Albany Clinic,,9 State St,Albany,NY,12207,no,,c@example.org\n");
  ASSERT_EQ(cli({"request", "batch", "--csv", path, "--out", tmp_.file("out")}).code, 0);

  // 2026-03-02: only Sam Lee's (due 2026-02-04) is late.
  auto today = cli({"request", "followups", "--out", tmp_.file("f1"), "--json"});
  ASSERT_EQ(today.code, 0) << today.err;
  EXPECT_EQ(today.json()->getValue<int>("letters"), 1);
  auto rows = trackingByName(tmp_.file("f1"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["client"], "Sam Lee");
  EXPECT_EQ(rows[0]["days_overdue"], "26");  // 2026-02-04 to 2026-03-02
  EXPECT_EQ(rows[0]["csv_row"], "3");
  EXPECT_EQ(rows[0]["client_ref"], "A2");
  // The defaults: an answer within 14 days, and where a complaint can go.
  std::string first = testing::foldedText(tmp_.file("f1") + "/all-letters.pdf");
  EXPECT_NE(first.find("within 14 days of this letter"), std::string::npos) << first;
  EXPECT_NE(first.find("I intend to file a complaint with"), std::string::npos) << first;
  auto asked = cli({"request", "followups", "--out", tmp_.file("f1b"), "--reply-within", "7",
                    "--mention-escalation", "no"});
  ASSERT_EQ(asked.code, 0) << asked.err;
  std::string second = testing::foldedText(tmp_.file("f1b") + "/all-letters.pdf");
  EXPECT_NE(second.find("within 7 days of this letter"), std::string::npos) << second;
  EXPECT_EQ(second.find("I intend to file a complaint with"), std::string::npos) << second;

  // 2026-03-10: Zoë's (due 2026-03-07) too. Record them as sent this time.
  setToday(2026, 3, 10);
  auto later = cli({"request", "followups", "--out", tmp_.file("f2"), "--sent-on", "2026-03-10"});
  ASSERT_EQ(later.code, 0) << later.err;
  EXPECT_NE(later.out.find("2 requests are overdue today (2026-03-10)"), std::string::npos)
      << later.out;
  rows = trackingByName(tmp_.file("f2"));
  ASSERT_EQ(rows.size(), 2u);
  // The batch's mailing order: Hill Therapy (10001) before Bay Counseling (94612).
  EXPECT_EQ(rows[0]["custodian"], "Hill Therapy");
  EXPECT_EQ(rows[0]["days_overdue"], "34");
  EXPECT_EQ(rows[1]["custodian"], "Bay Counseling");
  EXPECT_EQ(rows[1]["days_overdue"], "3");
  EXPECT_EQ(filesIn(tmp_.file("f2") + "/letters"), 2u);
  std::string text = testing::foldedText(tmp_.file("f2") + "/all-letters.pdf");
  testing::expectInOrder(text, {"Sam Lee", "Hill Therapy", "Zoë Müller", "Bay Counseling"});
  auto shown = cli({"request", "show", rows[0]["request_id"], "--json"});
  ASSERT_EQ(shown.code, 0);
  auto events = shown.json()->getArray("events");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->getObject(1)->getValue<std::string>("type"), "followup_sent");
  EXPECT_EQ(events->getObject(1)->getValue<std::string>("on"), "2026-03-10");

  EXPECT_EQ(cli({"request", "followups", "--out", tmp_.file("f3"), "--reply-within", "30"}).code,
            2);
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("f3")));
}

TEST_F(BatchTest, RowsOfOneClientMakeOneClientAndALaterSentDateIsRecordedOnce) {
  std::string first = std::string(kHeader) +
                      "LA-1,Zoë Müller,us-ca,Bay Counseling,,,,,94612,no,,c@example.org\n"
                      "LA-1,Zoë Müller,us-ca,Valley Clinic,,,,,94601,no,,c@example.org\n";
  std::string path = csv("one.csv", first);
  auto r = cli({"request", "batch", "--csv", path, "--out", tmp_.file("o1"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.json()->getValue<int>("requests_made"), 2);
  EXPECT_EQ(r.json()->getValue<int>("clients_made"), 1);
  EXPECT_EQ(clientCount(), 1u);
  // The office mails them and fills in the day they arrived.
  std::string sent = std::string(kHeader) +
                     "LA-1,Zoë Müller,us-ca,Bay Counseling,,,,,94612,no,2026-02-26,c@example.org\n"
                     "LA-1,Zoë Müller,us-ca,Valley Clinic,,,,,94601,no,,c@example.org\n";
  path = csv("one.csv", sent);
  for (int run = 0; run < 2; ++run) {
    auto again = cli({"request", "batch", "--csv", path, "--out", tmp_.file("o2"), "--json"});
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(again.json()->getValue<int>("requests_made"), 0);
    EXPECT_EQ(again.json()->getValue<int>("marked_sent"), run == 0 ? 1 : 0);
  }
  EXPECT_EQ(requestCount(), 2u);
  auto rows = trackingByName(tmp_.file("o2"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["custodian"], "Valley Clinic");  // 94601 before 94612
  EXPECT_EQ(rows[1]["due"], "2026-03-13");           // 2026-02-26 + 15 days
}

TEST_F(BatchTest, HeaderProblemsAreReportedBeforeAnyRow) {
  std::string path =
      csv("bad.csv", "client_ref,clinet_name,jurisdiction,jurisdiction\nA,B,us,us\n");
  auto r = cli({"request", "batch", "--csv", path, "--out", tmp_.file("out"), "--skip-invalid"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "recourse: " + path +
                       ": 1 row has problems; nothing was made:\n"
                       "  row 1, \"clinet_name\": is not a column Recourse knows (see: recourse "
                       "request batch --help, or docs/user-guide.md)\n"
                       "  row 1, jurisdiction: appears twice in the header\n"
                       "  row 1, client_name: is a required column and is missing\n"
                       "  row 1, custodian_name: is a required column and is missing\n");
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("out")));
  EXPECT_EQ(requestCount(), 0u);

  EXPECT_EQ(cli({"request", "batch", "--csv", tmp_.file("none.csv"), "--out", "x"}).code, 2);
  std::string unclosed = csv("q.csv", std::string(kHeader) + "A,\"Zoë,us,B,,,,,,no,\n");
  auto q = cli({"request", "batch", "--csv", unclosed, "--out", tmp_.file("out")});
  EXPECT_EQ(q.code, 2);
  EXPECT_NE(q.err.find("row 2: a quoted value is never closed"), std::string::npos) << q.err;
}

TEST_F(BatchTest, TheTemplateIsWrittenOnceAndTheBatchTakesIt) {
  const std::string file = tmp_.file("new.csv");
  auto r = cli({"request", "batch", "--template", file});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Wrote " + file + ": the columns Recourse reads and one example row."),
            std::string::npos)
      << r.out;
  const std::string text = testing::readFile(file);
  EXPECT_EQ(text.rfind("client_ref,client_name,date_of_birth,", 0), 0u) << text;
  EXPECT_EQ(testing::countOf(text, "\r\n"), 2u) << text;

  auto again = cli({"request", "batch", "--template", file});
  EXPECT_EQ(again.code, 2);
  EXPECT_EQ(again.err,
            "recourse: --template: " + file + " already exists; choose a new file name\n");
  EXPECT_EQ(testing::readFile(file), text);
  auto mixed = cli({"request", "batch", "--template", tmp_.file("b.csv"), "--csv", file});
  EXPECT_EQ(mixed.code, 2);
  EXPECT_NE(mixed.err.find("--template: goes alone"), std::string::npos) << mixed.err;
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("b.csv")));

  auto made = cli({"request", "batch", "--csv", file, "--out", tmp_.file("out")});
  ASSERT_EQ(made.code, 0) << made.err;
  EXPECT_NE(made.out.find("Made 1 new request (1 new client)."), std::string::npos) << made.out;
}

TEST_F(BatchTest, ARerunSaysWhatItCorrectedAndFollowUpsAreMadeOnce) {
  std::string path = csv("one.csv", std::string(kHeader) +
                                        "A2,Sam Lee,us,Hill Therapy,,5 Hill Rd,New York,NY,10001,"
                                        "no,2026-01-05,c@example.org\n");
  ASSERT_EQ(cli({"request", "batch", "--csv", path, "--out", tmp_.file("o1")}).code, 0);
  path = csv("one.csv", std::string(kHeader) +
                            "A2,Sam Lee,us,Hill Therapy,,5 Hill Rd,New York,NY,10001,no,"
                            "2026-01-06,c@example.org\n");
  auto r = cli({"request", "batch", "--csv", path, "--out", tmp_.file("o1")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Corrected 1 request from cells that changed:\n"
                       "  row 2: sent_on 2026-01-05 → 2026-01-06; due date now 2026-02-05\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("No letter to print."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 letter was already sent and not printed again."), std::string::npos)
      << r.out;
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("o1") + "/all-letters.pdf"));
  EXPECT_EQ(filesIn(tmp_.file("o1") + "/letters"), 1u);

  auto first = cli({"request", "followups", "--out", tmp_.file("f1"), "--sent-on", "2026-03-02"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("1 request is overdue today (2026-03-02)."), std::string::npos)
      << first.out;
  auto second = cli({"request", "followups", "--out", tmp_.file("f2"), "--sent-on", "2026-03-02"});
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.out,
            "No request needs a follow-up today (2026-03-02); nothing to write.\n"
            "1 overdue request has a follow-up already sent that still waits for its answer; "
            "none was made for them.\n");
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("f2")));
  // The 14 days asked for end on 2026-03-16.
  auto plan = cli({"request", "followups", "--out", tmp_.file("f3"), "--as-of", "2026-03-17"});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_NE(plan.out.find("1 request is overdue on 2026-03-17."), std::string::npos) << plan.out;
  auto early = cli({"request", "followups", "--out", tmp_.file("f4"), "--as-of", "2026-03-16"});
  ASSERT_EQ(early.code, 0) << early.err;
  EXPECT_NE(early.out.find("No request needs a follow-up on 2026-03-16"), std::string::npos)
      << early.out;
  auto bad = cli({"request", "followups", "--out", tmp_.file("f5"), "--as-of", "2026-03-17",
                  "--sent-on", "2026-03-02"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err.rfind("recourse: --as-of: is 2026-03-17, after the day they were sent", 0), 0u)
      << bad.err;
}

}  // namespace
}  // namespace recourse::cli
