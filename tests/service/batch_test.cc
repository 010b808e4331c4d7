// The bulk workflows at the workflow level: requests from a spreadsheet already in memory (an
// upload) or in a CSV file, the same to the workflow; checks before anything is stored;
// re-runs that make nothing twice; follow-ups for what is overdue. The clock is fixed at
// 2026-03-02: HIPAA's 30 calendar days (45 CFR 164.524(b)(2)) from 2026-01-05 ended on
// 2026-02-04, 26 days ago; California's 15 (Cal. Health & Safety Code § 123110(b)) from
// 2026-02-20 end on 2026-03-07.
#include "service/batch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "core/validation.h"
#include "fakes/csv_rows.h"
#include "fakes/service_fixture.h"
#include "jurisdiction/request_tracking.h"
#include "pdf/pdf_tools.h"
#include "service/csv.h"
#include "store/pg_db.h"

namespace recourse::service {
namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::vector<std::string> kHeader = {
    "client_ref",        "client_name",    "jurisdiction",     "custodian_name",
    "custodian_address", "custodian_city", "custodian_region", "custodian_postal_code",
    "include_billing",   "sent_on",        "client_email"};

// Three good rows: a Californian sent on 2026-02-20, a federal-only one sent 2026-01-05 (now
// overdue), and one not sent yet.
Rows goodRows() {
  return {kHeader,
          {"A1", "Zoë Müller", "us-ca", "Bay Counseling", "1 Main St", "Oakland", "CA", "94612",
           "yes", "2026-02-20", "zoe@example.org"},
          {"A2", "Sam Lee", "us", "Hill Therapy", "5 Hill Rd", "New York", "NY", "10001", "no",
           "2026-01-05", "sam@example.org"},
          {"A3", "Ana Silva", "us-ny", "Albany Clinic", "9 State St", "Albany", "NY", "12207", "no",
           "", "ana@example.org"}};
}

std::string asCsv(const Rows& rows) {
  std::string text;
  for (const auto& r : rows) text += csvLine(r);
  return text;
}

class BatchTest : public testing::ServiceTest {
 protected:
  BatchImport request(RowSource* rows, const std::string& out) {
    BatchImport in;
    in.rows = rows;
    in.out_dir = tmp_.file(out);
    in.threads = 2;
    return in;
  }

  size_t requestCount() {
    auto r = store().listRequests("");
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r.isOk() ? r->size() : 0;
  }
  size_t clientCount() {
    auto c = store().listClients();
    EXPECT_TRUE(c.isOk()) << c.status().toString();
    return c.isOk() ? c->size() : 0;
  }

  // The tracking CSV's data rows.
  std::vector<std::vector<std::string>> tracking(const std::string& path) {
    auto reader = CsvReader::open(path);
    EXPECT_TRUE(reader.isOk());
    std::vector<std::vector<std::string>> rows;
    if (!reader.isOk()) return rows;
    CsvRecord rec;
    while (*(*reader)->next(&rec)) {
      if (rec.row > 1) rows.push_back(rec.fields);
    }
    return rows;
  }

  // The tracking CSV's data rows, each by its header's names.
  std::vector<std::map<std::string, std::string>> trackingByName(const std::string& path) {
    return testing::csvRowsByName(path);
  }

  // The request made from the row whose client is `client`, by the tracking CSV.
  std::string requestOf(const std::string& tracking_path, const std::string& client) {
    for (const auto& r : trackingByName(tracking_path)) {
      if (r.at("client") == client) return r.at("request_id");
    }
    ADD_FAILURE() << "no row for " << client;
    return "";
  }

  std::vector<core::RequestEvent> events(const std::string& request_id) {
    auto e = store().listRequestEvents(request_id);
    EXPECT_TRUE(e.isOk()) << e.status().toString();
    return e.isOk() ? *e : std::vector<core::RequestEvent>{};
  }

  size_t filesIn(const std::string& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
    return n;
  }
};

TEST_F(BatchTest, AGoodSpreadsheetInMemoryMakesTheRequestsLettersAndTracking) {
  MemoryRows rows("upload.csv", goodRows());
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->rows_ready, 3u);
  EXPECT_EQ(done->rows_skipped, 0u);
  EXPECT_EQ(done->requests_made, 3u);
  EXPECT_EQ(done->requests_existing, 0u);
  EXPECT_EQ(done->clients_made, 3u);
  EXPECT_EQ(done->marked_sent, 2u);
  EXPECT_GE(done->pages, 3);
  EXPECT_EQ(done->combined, tmp_.file("out") + "/all-letters.pdf");
  EXPECT_EQ(done->skipped, "");
  EXPECT_EQ(requestCount(), 3u);
  EXPECT_EQ(clientCount(), 3u);

  EXPECT_EQ(filesIn(done->letters_dir), 3u);
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 3u);
  // In mailing order: by the custodian's postal code.
  EXPECT_EQ(t[0]["mail_order"], "1");
  EXPECT_EQ(t[0]["csv_row"], "3");
  EXPECT_EQ(t[0]["client_ref"], "A2");
  EXPECT_EQ(t[0]["client"], "Sam Lee");
  EXPECT_EQ(t[0]["due"], "2026-02-04");
  EXPECT_EQ(t[0]["status"], "overdue");
  EXPECT_EQ(t[1]["client"], "Ana Silva");
  EXPECT_EQ(t[1]["status"], "draft");
  EXPECT_EQ(t[2]["csv_row"], "2");
  EXPECT_EQ(t[2]["client_ref"], "A1");
  EXPECT_EQ(t[2]["client"], "Zoë Müller");
  EXPECT_EQ(t[2]["due"], "2026-03-07");
  EXPECT_EQ(t[2]["made"], "new");
  // Letters are numbered in the first run's mailing order, and named by their number.
  EXPECT_EQ(t[0]["letter_no"], "1");
  EXPECT_EQ(t[2]["letter_no"], "3");
  EXPECT_EQ(t[0]["letter"], "letters/0001-" + t[0]["request_id"] + ".pdf");
  for (const auto& row : t) {
    EXPECT_TRUE(std::filesystem::exists(done->out_dir + "/" + row.at("letter")))
        << row.at("letter");
  }
  const std::string text = testing::foldedText(done->combined);
  testing::expectInOrder(text,
                         {"Sam Lee", "Hill Therapy", "Ana Silva", "Albany Clinic", "Zoë Müller",
                          "Cal. Health & Safety Code § 123110", "March 7, 2026"});
}

// A character the letter's fonts cannot show is written as [U+XXXX], and the summary says
// so, naming the letter, as every command that makes a PDF does.
TEST_F(BatchTest, ACharacterNoFontHasIsSaidForItsLetter) {
  Rows rows = goodRows();
  rows[1][1] = "Zoë Müller \xF0\x9F\x8C\xBB";  // a sunflower
  MemoryRows source("upload.csv", rows);
  auto done = importRequestBatch(services(), request(&source, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  const auto t = trackingByName(done->tracking);
  std::string letter;
  for (const auto& r : t) {
    if (r.at("client_ref") == "A1") letter = r.at("letter");
  }
  ASSERT_FALSE(letter.empty());
  std::string all;
  for (const auto& n : done->notes) all += n + "\n";
  EXPECT_NE(all.find(letter + ": the font has no glyph for U+1F33B"), std::string::npos) << all;
  EXPECT_NE(testing::foldedText(done->out_dir + "/" + letter).find("[U+1F33B]"), std::string::npos);
}

// A spreadsheet can ask for corrections and lists of disclosures too: each row gets its own
// letter and the time limit of its own law (Washington's 10 days for a correction, RCW
// 70.02.100; HIPAA's 60 days for a list, 45 CFR 164.528); a cell that belongs to another
// kind of request is refused, naming the row and the column.
TEST_F(BatchTest, RowsCanAskForACorrectionOrAListOfDisclosures) {
  const std::vector<std::string> header = {"client_name",  "jurisdiction",  "custodian_name",
                                           "request_kind", "what_is_wrong", "what_it_should_say",
                                           "sent_on",      "client_email"};
  Rows rows_in = {
      header,
      {"Maya Okafor", "us-wa", "Cedar Counseling", "amendment",
       "The note of 4 May says I missed three sessions.", "I attended every session in May.",
       "2026-02-25", "maya@example.org"},
      {"Sam Lee", "us", "Hill Therapy", "accounting", "", "", "2026-02-20", "sam@example.org"}};
  MemoryRows rows("upload.csv", rows_in);
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->requests_made, 2u);
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 2u);
  std::map<std::string, std::string> due;
  for (const auto& r : t) due[r.at("client")] = r.at("due");
  EXPECT_EQ(due["Maya Okafor"], "2026-03-07");  // 25 February + 10
  EXPECT_EQ(due["Sam Lee"], "2026-04-21");      // 20 February + 60
  auto made = store().listRequests("");
  ASSERT_TRUE(made.isOk());
  std::set<std::string> kinds;
  for (const auto& r : *made) kinds.insert(core::requestKindName(r.kind));
  EXPECT_EQ(kinds, (std::set<std::string>{"amendment", "accounting"}));
  const std::string text = testing::foldedText(done->combined);
  EXPECT_NE(text.find("Request to correct my records"), std::string::npos) << text;
  EXPECT_NE(text.find("I attended every session in May."), std::string::npos) << text;
  EXPECT_NE(text.find("Request for a list of disclosures of my health information"),
            std::string::npos)
      << text;

  // A format for a correction, and a correction without its words: refused, nothing made.
  Rows bad = {
      {"client_name", "jurisdiction", "custodian_name", "request_kind", "format", "what_is_wrong",
       "client_email"},
      {"Ana Silva", "us-ny", "Albany Clinic", "amendment", "paper", "Wrong date",
       "ana@example.org"},
      {"Ana Silva", "us-ny", "Albany Clinic", "erasure", "", "", "ana@example.org"},
      {"Ana Silva", "us-ny", "Albany Clinic", "amendment", "", "Wrong date", "ana@example.org"},
      {"Ana Silva", "ca-on", "Toronto Clinic", "accounting", "", "", "ana@example.org"}};
  MemoryRows bad_rows("bad.csv", bad);
  const size_t before = requestCount();
  auto refused = importRequestBatch(services(), request(&bad_rows, "out2"));
  ASSERT_FALSE(refused.isOk());
  const std::string msg = refused.status().message();
  EXPECT_NE(msg.find("row 2, format: is only for a copy of the records (request_kind access); "
                     "this row asks for amendment"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("row 4, what_it_should_say"), std::string::npos) << msg;
  EXPECT_NE(msg.find("row 3, request_kind: \"erasure\" is not one of access, amendment, "
                     "accounting"),
            std::string::npos)
      << msg;
  // Ontario's law gives no list of disclosures: the row says so, naming the place.
  EXPECT_NE(msg.find("row 5, request_kind: Recourse knows no law of Ontario that gives a right "
                     "to a list of who records were disclosed to"),
            std::string::npos)
      << msg;
  EXPECT_EQ(requestCount(), before);
}

// A date of birth in the spreadsheet is kept with the client (sealed), so later letters for
// them (a follow-up, a single letter) carry it too; a re-run adds it to a client made without.
TEST_F(BatchTest, ADateOfBirthCellIsKeptWithTheClient) {
  Rows rows = {{"client_ref", "client_name", "date_of_birth", "jurisdiction", "custodian_name",
                "client_email"},
               {"D1", "Zoë Müller", "", "us-ca", "Bay Counseling", "zoe@example.org"}};
  MemoryRows first("upload.csv", rows);
  ASSERT_TRUE(importRequestBatch(services(), request(&first, "out1")).isOk());
  auto clients = store().listClients();
  ASSERT_TRUE(clients.isOk());
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ((*clients)[0].date_of_birth, "");

  rows[1][2] = "1984-07-09";
  MemoryRows again("upload.csv", rows);
  auto done = importRequestBatch(services(), request(&again, "out2"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  clients = store().listClients();
  ASSERT_EQ(clients->size(), 1u);  // the same client, by its client_ref
  EXPECT_EQ((*clients)[0].date_of_birth, "1984-07-09");
}

TEST_F(BatchTest, TheSameRowsAgainFromACsvFileMakeNothingNew) {
  MemoryRows rows("upload.csv", goodRows());
  auto first = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  auto ids = tracking(first->tracking);

  // The same spreadsheet saved as a CSV file: the same rows to the workflow.
  const std::string path = tmp_.file("clients.csv");
  testing::writeFile(path, asCsv(goodRows()));
  BatchImport again = request(nullptr, "again");
  again.csv_path = path;
  auto done = importRequestBatch(services(), again);
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->requests_made, 0u);
  EXPECT_EQ(done->requests_existing, 3u);
  EXPECT_EQ(done->clients_made, 0u);
  EXPECT_EQ(done->marked_sent, 0u);
  EXPECT_EQ(requestCount(), 3u);
  EXPECT_EQ(clientCount(), 3u);
  // The two rows already sent are not printed again; the draft is, with today's date.
  EXPECT_EQ(done->letters, 1u);
  EXPECT_EQ(done->letters_not_reprinted, 2u);
  EXPECT_EQ(filesIn(done->letters_dir), 1u);
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 3u);
  for (size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t[i]["request_id"], ids[i][4]);  // the same requests, in the same order
    EXPECT_EQ(t[i]["made"], "earlier run");
  }
  EXPECT_EQ(t[0]["client"], "Sam Lee");
  EXPECT_EQ(t[0]["letter"], "");
  EXPECT_EQ(t[0]["changes"], "sent 2026-01-05; its letter was not printed again");
  EXPECT_EQ(t[1]["client"], "Ana Silva");
  EXPECT_NE(t[1]["letter"], "");
  const std::string text = testing::foldedText(done->combined);
  EXPECT_NE(text.find("Ana Silva"), std::string::npos);
  EXPECT_EQ(text.find("Sam Lee"), std::string::npos);
  EXPECT_EQ(text.find("Zoë Müller"), std::string::npos);
}

TEST_F(BatchTest, ABadRowIsReportedByRowAndColumnAndNothingIsStored) {
  Rows bad = goodRows();
  bad[2][9] = "2026-02-30";  // row 3
  bad[3][2] = "us-zz";       // row 4
  MemoryRows rows("upload.csv", bad);
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_FALSE(done.isOk());
  EXPECT_EQ(done.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(done.status().field(), "csv");
  EXPECT_EQ(done.status().message(),
            "upload.csv: 2 rows have problems; nothing was made (fix them, or skip the rows with "
            "problems to make the rest):\n"
            "  row 3, sent_on: \"2026-02-30\" is an impossible date (February 2026 has 28 days)\n"
            "  row 4, jurisdiction: \"us-zz\" is not a jurisdiction Recourse knows");
  EXPECT_EQ(requestCount(), 0u);
  EXPECT_EQ(clientCount(), 0u);
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("out")));

  // The check gives the same as data, for a front end to show in its own words.
  MemoryRows again("upload.csv", bad);
  auto check = checkRequestBatch(catalog(), clock_, request(&again, "out"));
  ASSERT_TRUE(check.isOk()) << check.status().toString();
  EXPECT_TRUE(check->stopped);
  ASSERT_EQ(check->problems.size(), 2u);
  EXPECT_EQ(check->problems[0].row, 3);
  EXPECT_EQ(check->problems[0].column, "sent_on");
  EXPECT_EQ(check->problems[1].row, 4);
  EXPECT_EQ(check->problems[1].column, "jurisdiction");
  EXPECT_EQ(check->good.size(), 1u);
  EXPECT_EQ(requestCount(), 0u);
}

// A name that cannot be taken is one problem, said once: not also "is empty; it is required".
TEST_F(BatchTest, ABadNameIsOneProblem) {
  Rows bad = goodRows();
  bad[1][1] = "Zo\xE9 M\xFCller";      // row 2: Latin-1, not UTF-8
  bad[2][1] = std::string(1000, 'a');  // row 3: too long
  MemoryRows rows("upload.csv", bad);
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_FALSE(done.isOk());
  const std::string msg = done.status().message();
  EXPECT_NE(msg.find("row 2, client_name: is not UTF-8 text"), std::string::npos) << msg;
  EXPECT_NE(msg.find("row 3, client_name: is longer than"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("client_name: is empty"), std::string::npos) << msg;
  EXPECT_NE(msg.find("2 rows have problems"), std::string::npos) << msg;
}

// A jurisdiction typed as people type it gets the same suggestion as the command line.
TEST_F(BatchTest, AnUnknownJurisdictionRowCarriesASuggestion) {
  Rows bad = goodRows();
  bad[2][2] = "us-cal";  // row 3
  MemoryRows rows("upload.csv", bad);
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_FALSE(done.isOk());
  EXPECT_NE(done.status().message().find(
                "  row 3, jurisdiction: \"us-cal\" is not a jurisdiction Recourse knows; did you "
                "mean us-ca (California)?"),
            std::string::npos)
      << done.status().message();
  EXPECT_EQ(requestCount(), 0u);
}

// Yes/no cells take the same words as a letter's --set: yes/no, y/n, true/false, any case.
TEST_F(BatchTest, YesNoCellsTakeTheSameWordsAsLetters) {
  Rows rows_in = goodRows();
  rows_in[1][8] = "TRUE";
  rows_in[2][8] = "Y";
  rows_in[3][8] = "False";
  MemoryRows rows("upload.csv", rows_in);
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  auto requests = store().listRequests("");
  ASSERT_TRUE(requests.isOk());
  ASSERT_EQ(requests->size(), 3u);
  size_t billing = 0;
  for (const auto& r : *requests) {
    if (r.answers_json.find("\"include_billing\":true") != std::string::npos) ++billing;
  }
  EXPECT_EQ(billing, 2u);
  for (const char* word : {"TRUE", "Y", "False", "no", "yes", "n"}) {
    EXPECT_TRUE(core::parseYesNo(word).has_value()) << word;
  }
}

// A row whose letter could not be answered (no email and no address for the person, with
// the records to be sent to them) is refused like any bad cell, naming the row and the
// column to fill in; nothing is made.
TEST_F(BatchTest, ARowWithNoWayToReplyIsRefusedNamingTheColumn) {
  Rows rows_in = goodRows();
  rows_in[2][10] = "";  // row 3: Sam Lee, no email, and the sheet has no client address
  MemoryRows rows("upload.csv", rows_in);
  auto done = importRequestBatch(services(), request(&rows, "out"));
  ASSERT_FALSE(done.isOk());
  EXPECT_NE(done.status().message().find("row 3, client_address: is needed for this document"),
            std::string::npos)
      << done.status().toString();
  EXPECT_EQ(requestCount(), 0u);
  // With an address instead of an email, it can be answered by post.
  rows_in[0].push_back("client_address");
  for (size_t i = 1; i < rows_in.size(); ++i) rows_in[i].push_back(i == 2 ? "5 Hill Rd" : "");
  MemoryRows fixed("upload.csv", rows_in);
  auto made = importRequestBatch(services(), request(&fixed, "out"));
  ASSERT_TRUE(made.isOk()) << made.status().toString();
  EXPECT_EQ(made->requests_made, 3u);
}

TEST_F(BatchTest, SkipInvalidMakesTheGoodRowsAndListsTheRest) {
  Rows rows_in = goodRows();
  rows_in.push_back(rows_in[1]);  // row 5 asks the same as row 2
  rows_in[3][8] = "maybe";        // row 4
  MemoryRows rows("upload.csv", rows_in);
  BatchImport in = request(&rows, "out");
  in.skip_invalid = true;
  auto done = importRequestBatch(services(), in);
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->rows_ready, 2u);
  EXPECT_EQ(done->rows_skipped, 2u);
  EXPECT_EQ(done->requests_made, 2u);
  EXPECT_EQ(requestCount(), 2u);
  EXPECT_EQ(tracking(done->tracking).size(), 2u);
  ASSERT_EQ(done->skipped, tmp_.file("out") + "/skipped.csv");
  // Each skipped row once, with its problems and its own cells under the header's names.
  EXPECT_EQ(testing::readFile(done->skipped),
            "row,problems,client_ref,client_name,jurisdiction,custodian_name,custodian_address,"
            "custodian_city,custodian_region,custodian_postal_code,include_billing,sent_on,"
            "client_email\r\n"
            "4,\"include_billing: \"\"maybe\"\" is not yes or no\",A3,Ana Silva,us-ny,Albany "
            "Clinic,9 State St,Albany,NY,12207,maybe,,ana@example.org\r\n"
            "5,\"asks the same as row 2 (same client, custodian and records)\",A1,Zoë Müller,us-ca,"
            "Bay Counseling,1 Main St,Oakland,CA,94612,yes,2026-02-20,zoe@example.org\r\n");

  // A problem in the header stops the batch even so.
  Rows header_bad = goodRows();
  header_bad[0][1] = "clinet_name";
  MemoryRows bad_rows("upload.csv", header_bad);
  BatchImport bad = request(&bad_rows, "out2");
  bad.skip_invalid = true;
  bad.see.columns = "the list of columns";
  auto stopped = importRequestBatch(services(), bad);
  ASSERT_FALSE(stopped.isOk());
  EXPECT_EQ(stopped.status().field(), "csv");
  EXPECT_EQ(stopped.status().message(),
            "upload.csv: 1 row has problems; nothing was made:\n"
            "  row 1, \"clinet_name\": is not a column Recourse knows (see: the list of columns)\n"
            "  row 1, client_name: is a required column and is missing");
  EXPECT_EQ(requestCount(), 2u);
}

TEST_F(BatchTest, EachFailureNamesItsField) {
  MemoryRows rows("upload.csv", goodRows());
  BatchImport in = request(&rows, "out");
  in.threads = 0;
  EXPECT_EQ(importRequestBatch(services(), in).status().field(), "threads");
  in.threads = 65;
  EXPECT_EQ(importRequestBatch(services(), in).status().field(), "threads");

  testing::writeFile(tmp_.file("a-file"), "x");
  BatchImport to_file = request(&rows, "a-file");
  auto r = importRequestBatch(services(), to_file);
  EXPECT_EQ(r.status().field(), "out_dir");
  EXPECT_EQ(r.status().message(), tmp_.file("a-file") + " is a file, not a folder");

  BatchImport missing = request(nullptr, "out");
  missing.csv_path = tmp_.file("none.csv");
  r = importRequestBatch(services(), missing);
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "csv");
  EXPECT_EQ(r.status().message(), tmp_.file("none.csv") + ": no such file");

  const std::string unclosed = tmp_.file("q.csv");
  testing::writeFile(unclosed, asCsv({kHeader}) + "A,\"Zoë,us,B,,,,,,no,\n");
  missing.csv_path = unclosed;
  r = importRequestBatch(services(), missing);
  EXPECT_EQ(r.status().field(), "csv");
  EXPECT_NE(r.status().message().find("row 2: a quoted value is never closed"), std::string::npos)
      << r.status().message();

  MemoryRows header_only("upload.csv", {kHeader});
  r = importRequestBatch(services(), request(&header_only, "out"));
  EXPECT_EQ(r.status().field(), "csv");
  EXPECT_EQ(r.status().message(), "upload.csv has no rows to make");
  MemoryRows nothing("upload.csv", {});
  r = importRequestBatch(services(), request(&nothing, "out"));
  EXPECT_EQ(r.status().message(), "upload.csv is empty");
  EXPECT_EQ(requestCount(), 0u);
}

TEST_F(BatchTest, FollowUpsForWhatIsOverdue) {
  MemoryRows rows("upload.csv", goodRows());
  ASSERT_TRUE(importRequestBatch(services(), request(&rows, "out")).isOk());

  Followups in;
  in.out_dir = tmp_.file("f1");
  in.threads = 1;
  in.reply_within_days = "7";
  in.sent_on = core::Date(2026, 3, 2);
  auto done = makeFollowups(services(), in);
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->today, core::Date(2026, 3, 2));
  EXPECT_EQ(done->letters, 1u);  // only Sam Lee's is late
  EXPECT_GE(done->pages, 1);
  ASSERT_TRUE(done->recorded_sent_on.has_value());
  EXPECT_EQ(done->via, "mail");
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]["client"], "Sam Lee");
  EXPECT_EQ(t[0]["due"], "2026-02-04");
  EXPECT_EQ(t[0]["days_overdue"], "26");
  // Staff join it back to their spreadsheet by row and reference.
  EXPECT_EQ(t[0]["csv_row"], "3");
  EXPECT_EQ(t[0]["client_ref"], "A2");
  EXPECT_EQ(t[0]["letter_no"], "1");
  const std::string text = testing::foldedText(done->combined);
  EXPECT_NE(text.find("within 7 days of this letter"), std::string::npos) << text;
  auto events = store().listRequestEvents(t[0]["request_id"]);
  ASSERT_TRUE(events.isOk());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].type, core::RequestEventType::kFollowUpSent);
  EXPECT_EQ((*events)[1].on, core::Date(2026, 3, 2));

  // Nothing overdue in another case: nothing written.
  auto requests = store().listRequests("");
  ASSERT_TRUE(requests.isOk());
  std::string other_case;
  for (const auto& r : *requests) {
    if (r.id != t[0]["request_id"]) other_case = r.case_id;
  }
  Followups none;
  none.out_dir = tmp_.file("f2");
  none.case_id = other_case;
  auto empty = makeFollowups(services(), none);
  ASSERT_TRUE(empty.isOk()) << empty.status().toString();
  EXPECT_EQ(empty->letters, 0u);
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("f2")));

  // Each failure names its field; nothing is recorded.
  Followups bad = in;
  bad.out_dir = tmp_.file("f3");
  bad.reply_within_days = "30";
  EXPECT_EQ(makeFollowups(services(), bad).status().field(), "reply_within_days");
  bad = in;
  bad.sent_on = core::Date(2026, 3, 3);
  EXPECT_EQ(makeFollowups(services(), bad).status().field(), "sent_on");
  bad = in;
  bad.via = "pigeon";
  EXPECT_EQ(makeFollowups(services(), bad).status().field(), "via");
  bad = in;
  bad.sent_on.reset();
  bad.via = "email";
  EXPECT_EQ(makeFollowups(services(), bad).status().field(), "via");
  bad = in;
  bad.case_id = "cs_nothere";
  auto missing = makeFollowups(services(), bad);
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "case_id");
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("f3")));
  events = store().listRequestEvents(t[0]["request_id"]);
  ASSERT_TRUE(events.isOk());
  EXPECT_EQ(events->size(), 2u);
}

// ---- Re-runs, corrections, numbering ---------------------------------------------------------

// The rows as first run: nothing sent yet.
Rows unsentRows() {
  Rows rows = goodRows();
  for (size_t i = 1; i < rows.size(); ++i) rows[i][9] = "";
  return rows;
}

TEST_F(BatchTest, ReRunningToRecordMailingPrintsNoLetterAgain) {
  MemoryRows first_rows("upload.csv", unsentRows());
  auto first = importRequestBatch(services(), request(&first_rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->letters, 3u);
  EXPECT_EQ(first->marked_sent, 0u);
  auto before = trackingByName(first->tracking);

  // The letters went out; the staff fill sent_on for two of them and run the file again.
  MemoryRows mailed("upload.csv", goodRows());
  auto done = importRequestBatch(services(), request(&mailed, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->marked_sent, 2u);
  EXPECT_EQ(done->requests_made, 0u);
  EXPECT_EQ(done->letters, 1u);  // only Ana Silva's, still not sent
  EXPECT_EQ(done->letters_not_reprinted, 2u);
  const std::string text = testing::foldedText(done->combined);
  EXPECT_NE(text.find("Ana Silva"), std::string::npos) << text;
  EXPECT_EQ(text.find("Sam Lee"), std::string::npos) << text;
  EXPECT_EQ(text.find("Zoë Müller"), std::string::npos) << text;

  // The letters that were mailed stay as they were made, under the same names.
  EXPECT_EQ(filesIn(done->letters_dir), 3u);
  auto after = trackingByName(done->tracking);
  ASSERT_EQ(after.size(), 3u);
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i]["letter"], before[i]["letter"]) << i;
    EXPECT_EQ(after[i]["letter_no"], before[i]["letter_no"]) << i;
  }
  EXPECT_EQ(after[0]["client"], "Sam Lee");
  EXPECT_EQ(after[0]["pages_in_all-letters.pdf"], "");
  EXPECT_EQ(after[0]["changes"], "sent 2026-01-05; its letter was not printed again");
  EXPECT_EQ(after[0]["sent_on"], "2026-01-05");

  // A third run with nothing left to print writes no empty PDF.
  Rows all_sent = goodRows();
  all_sent[3][9] = "2026-03-02";
  MemoryRows third_rows("upload.csv", all_sent);
  auto third = importRequestBatch(services(), request(&third_rows, "out"));
  ASSERT_TRUE(third.isOk()) << third.status().toString();
  EXPECT_EQ(third->letters, 0u);
  EXPECT_EQ(third->combined, "");
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("out") + "/all-letters.pdf"));
  EXPECT_EQ(trackingByName(third->tracking).size(), 3u);
  EXPECT_EQ(filesIn(third->letters_dir), 3u);
}

TEST_F(BatchTest, ARequestWithdrawnSinceIsNotPrintedAgain) {
  MemoryRows first_rows("upload.csv", unsentRows());
  auto first = importRequestBatch(services(), request(&first_rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  core::RequestEvent withdrawn;
  withdrawn.request_id = requestOf(first->tracking, "Ana Silva");
  withdrawn.type = core::RequestEventType::kWithdrawn;
  withdrawn.on = core::Date(2026, 3, 1);
  ASSERT_TRUE(store().addRequestEvent(withdrawn).isOk());

  MemoryRows again("upload.csv", unsentRows());
  auto done = importRequestBatch(services(), request(&again, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->letters, 2u);
  EXPECT_EQ(done->letters_not_reprinted, 1u);
  EXPECT_EQ(testing::foldedText(done->combined).find("Ana Silva"), std::string::npos);
  for (const auto& r : trackingByName(done->tracking)) {
    if (r.at("client") == "Ana Silva") {
      EXPECT_EQ(r.at("changes"), "withdrawn; its letter was not printed again");
    }
  }
}

TEST_F(BatchTest, CorrectedCellsAreAppliedToTheRequestsAndReportedPerRow) {
  MemoryRows first_rows("upload.csv", goodRows());
  auto first = importRequestBatch(services(), request(&first_rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  const std::string sam = requestOf(first->tracking, "Sam Lee");
  const std::string ana = requestOf(first->tracking, "Ana Silva");
  const std::string zoe = requestOf(first->tracking, "Zoë Müller");

  Rows fixed = goodRows();
  fixed[1][1] = "Zoë Müller-Brandt";  // row 2: the name
  fixed[2][9] = "2026-01-06";         // row 3: the sent date
  fixed[3][4] = "11 State St";        // row 4: the custodian's address
  MemoryRows again("upload.csv", fixed);
  auto done = importRequestBatch(services(), request(&again, "out2"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->requests_made, 0u);
  EXPECT_EQ(done->clients_made, 0u);
  EXPECT_EQ(done->requests_corrected, 3u);
  EXPECT_EQ(requestCount(), 3u);
  EXPECT_EQ(clientCount(), 3u);
  ASSERT_EQ(done->corrections.size(), 3u);
  EXPECT_EQ(done->corrections[0], "row 2: client_name \"Zoë Müller\" → \"Zoë Müller-Brandt\"");
  EXPECT_EQ(done->corrections[1],
            "row 3: sent_on 2026-01-05 → 2026-01-06; due date now 2026-02-05");
  EXPECT_EQ(done->corrections[2], "row 4: custodian_address \"9 State St\" → \"11 State St\"");

  // Stored: the sent date moved (and with it the due date), the name, the address.
  auto ev = events(sam);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].on, core::Date(2026, 1, 6));
  auto state = jurisdiction::deriveRequestState("us", ev, catalog().law(), core::Date(2026, 3, 2));
  ASSERT_TRUE(state.due.has_value());
  EXPECT_EQ(*state.due, core::Date(2026, 2, 5));
  auto r = store().getRequest(ana);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->custodian_address, "11 State St, Albany, NY 12207");
  EXPECT_NE(r->answers_json.find("11 State St"), std::string::npos);
  auto zr = store().getRequest(zoe);
  ASSERT_TRUE(zr.isOk());
  auto kase = store().getCase(zr->case_id);
  ASSERT_TRUE(kase.isOk());
  auto client = store().getClient(kase->client_id);
  ASSERT_TRUE(client.isOk());
  EXPECT_EQ(client->name, "Zoë Müller-Brandt");

  // The tracking CSV says it too, on the row.
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0]["client"], "Sam Lee");
  EXPECT_EQ(t[0]["due"], "2026-02-05");
  EXPECT_EQ(t[0]["changes"],
            "sent_on 2026-01-05 → 2026-01-06; due date now 2026-02-05; sent 2026-01-06; its "
            "letter was not printed again");

  // The same corrected file again: nothing more to correct.
  MemoryRows third("upload.csv", fixed);
  auto quiet = importRequestBatch(services(), request(&third, "out3"));
  ASSERT_TRUE(quiet.isOk()) << quiet.status().toString();
  EXPECT_EQ(quiet->requests_corrected, 0u);
  EXPECT_TRUE(quiet->corrections.empty());
  EXPECT_EQ(requestCount(), 3u);
}

TEST_F(BatchTest, ACorrectedNameWithoutAClientRefIsTheSameClient) {
  Rows rows = goodRows();
  for (auto& r : rows) r.erase(r.begin());  // no client_ref column
  MemoryRows first_rows("upload.csv", rows);
  auto first = importRequestBatch(services(), request(&first_rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(clientCount(), 3u);
  const std::string sam = requestOf(first->tracking, "Sam Lee");

  rows[2][0] = "Samuel Lee";  // row 3
  MemoryRows again("upload.csv", rows);
  auto done = importRequestBatch(services(), request(&again, "out2"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->requests_made, 0u);
  EXPECT_EQ(done->clients_made, 0u);
  EXPECT_EQ(clientCount(), 3u);
  EXPECT_EQ(requestCount(), 3u);
  ASSERT_EQ(done->corrections.size(), 1u);
  EXPECT_EQ(done->corrections[0], "row 3: client_name \"Sam Lee\" → \"Samuel Lee\"");
  EXPECT_EQ(requestOf(done->tracking, "Samuel Lee"), sam);

  // A new client in a new row is not taken for a correction of another row.
  rows.insert(rows.begin() + 2, {"Kim Park", "us", "Hill Therapy", "5 Hill Rd", "New York", "NY",
                                 "10001", "no", "", "kim@example.org"});
  MemoryRows third("upload.csv", rows);
  auto added = importRequestBatch(services(), request(&third, "out3"));
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->requests_made, 1u);
  EXPECT_EQ(added->clients_made, 1u);
  EXPECT_TRUE(added->corrections.empty());
  EXPECT_EQ(clientCount(), 4u);
}

TEST_F(BatchTest, LetterNumbersStayTheSameWhenARowIsAddedInTheMiddle) {
  MemoryRows first_rows("upload.csv", unsentRows());
  auto first = importRequestBatch(services(), request(&first_rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  std::map<std::string, std::string> number_of;
  for (const auto& r : trackingByName(first->tracking))
    number_of[r.at("client")] = r.at("letter_no");
  EXPECT_EQ(number_of["Sam Lee"], "1");
  EXPECT_EQ(number_of["Ana Silva"], "2");
  EXPECT_EQ(number_of["Zoë Müller"], "3");

  // A new row between rows 2 and 3, mailed first (the lowest postal code).
  Rows more = unsentRows();
  more.insert(more.begin() + 2, {"A4", "Lee Chan", "us", "First Clinic", "2 Broad St", "New York",
                                 "NY", "10000", "no", "", "lee@example.org"});
  MemoryRows again("upload.csv", more);
  auto done = importRequestBatch(services(), request(&again, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0]["client"], "Lee Chan");
  EXPECT_EQ(t[0]["letter_no"], "4");
  EXPECT_EQ(t[0]["csv_row"], "3");
  EXPECT_EQ(t[0]["letter"], "letters/0004-" + t[0]["request_id"] + ".pdf");
  for (size_t i = 1; i < t.size(); ++i) {
    EXPECT_EQ(t[i]["letter_no"], number_of[t[i]["client"]]) << t[i]["client"];
  }
  EXPECT_EQ(filesIn(done->letters_dir), 4u);
}

TEST_F(BatchTest, ViaOnARowNotYetSentIsKeptForWhenItIs) {
  Rows rows = goodRows();
  for (auto& r : rows) r.push_back("");
  rows[0].back() = "via";
  rows[3].back() = "email";  // row 4: not sent yet
  MemoryRows first_rows("upload.csv", rows);
  auto first = importRequestBatch(services(), request(&first_rows, "out"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  const std::string ana = requestOf(first->tracking, "Ana Silva");
  EXPECT_TRUE(events(ana).empty());

  rows[3][9] = "2026-03-01";
  MemoryRows again("upload.csv", rows);
  auto done = importRequestBatch(services(), request(&again, "out"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  auto ev = events(ana);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].on, core::Date(2026, 3, 1));
  EXPECT_EQ(ev[0].via, "email");

  // A via cell emptied later keeps the channel recorded; a new one corrects it.
  rows[3].back() = "";
  MemoryRows emptied("upload.csv", rows);
  auto kept = importRequestBatch(services(), request(&emptied, "out"));
  ASSERT_TRUE(kept.isOk()) << kept.status().toString();
  EXPECT_TRUE(kept->corrections.empty());
  EXPECT_EQ(events(ana)[0].via, "email");
  rows[3].back() = "fax";
  MemoryRows faxed("upload.csv", rows);
  auto corrected = importRequestBatch(services(), request(&faxed, "out"));
  ASSERT_TRUE(corrected.isOk()) << corrected.status().toString();
  ASSERT_EQ(corrected->corrections.size(), 1u);
  EXPECT_EQ(corrected->corrections[0], "row 4: via email → fax");
  EXPECT_EQ(events(ana)[0].via, "fax");
}

TEST_F(BatchTest, TheTemplateIsASpreadsheetTheBatchAccepts) {
  const std::string path = tmp_.file("template.csv");
  ASSERT_TRUE(writeBatchTemplate(path).isOk());
  auto reader = CsvReader::open(path);
  ASSERT_TRUE(reader.isOk());
  CsvRecord rec;
  ASSERT_TRUE(*(*reader)->next(&rec));
  std::vector<std::string> names;
  for (const auto& c : batchColumns()) names.push_back(c.name);
  EXPECT_EQ(rec.fields, names);  // every documented column, in the documented order

  BatchImport in = request(nullptr, "out");
  in.csv_path = path;
  auto check = checkRequestBatch(catalog(), clock_, in);
  ASSERT_TRUE(check.isOk()) << check.status().toString();
  EXPECT_TRUE(check->verdict.isOk()) << check->verdict.toString();
  EXPECT_TRUE(check->problems.empty());
  EXPECT_EQ(check->good.size(), 1u);

  // It never writes over a file.
  auto again = writeBatchTemplate(path);
  EXPECT_EQ(again.code(), core::StatusCode::kInvalidArgument) << again.toString();
  EXPECT_EQ(again.field(), "template");
}

TEST_F(BatchTest, TheExampleSpreadsheetsImportCleanly) {
  size_t seen = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(RECOURSE_SOURCE_DIR) + "/examples")) {
    if (e.path().extension() != ".csv") continue;
    ++seen;
    BatchImport in = request(nullptr, "out");
    in.csv_path = e.path().string();
    auto done = importRequestBatch(services(), in);
    ASSERT_TRUE(done.isOk()) << e.path() << ": " << done.status().toString();
    EXPECT_EQ(done->rows_skipped, 0u);
    EXPECT_GE(done->requests_made, 1u);
  }
  EXPECT_GE(seen, 1u);
}

// ---- Follow-ups: once, in order, planned ahead ------------------------------------------------

// Three overdue requests to three custodians (federal law, 30 days from 2026-01-05): the
// batch mails them by postal code, which is not the custodians' alphabetical order.
Rows overdueRows() {
  return {kHeader,
          {"B1", "Ann Ames", "us", "Zed Clinic", "1 Z St", "Albany", "NY", "12207", "no",
           "2026-01-05", "ann@example.org"},
          {"B2", "Bo Bell", "us", "Alpha Care", "2 A St", "Oakland", "CA", "94612", "no",
           "2026-01-05", "bo@example.org"},
          {"B3", "Cy Cole", "us", "Midway Therapy", "3 M St", "New York", "NY", "10001", "no",
           "2026-01-05", "cy@example.org"}};
}

TEST_F(BatchTest, FollowUpsComeInTheFirstBatchsMailingOrder) {
  MemoryRows rows("upload.csv", overdueRows());
  ASSERT_TRUE(importRequestBatch(services(), request(&rows, "out")).isOk());
  Followups in;
  in.out_dir = tmp_.file("f");
  in.threads = 1;
  auto done = makeFollowups(services(), in);
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  auto t = trackingByName(done->tracking);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0]["client"], "Cy Cole");   // 10001
  EXPECT_EQ(t[1]["client"], "Ann Ames");  // 12207
  EXPECT_EQ(t[2]["client"], "Bo Bell");   // 94612
  EXPECT_EQ(t[0]["letter_no"], "1");
  EXPECT_EQ(t[0]["csv_row"], "4");
  EXPECT_EQ(t[0]["client_ref"], "B3");
  testing::expectInOrder(testing::foldedText(done->combined), {"Cy Cole", "Ann Ames", "Bo Bell"});
}

TEST_F(BatchTest, FollowUpsRecordedAsSentAreNotMadeAgainUntilTheirReplyWindowPasses) {
  MemoryRows rows("upload.csv", overdueRows());
  ASSERT_TRUE(importRequestBatch(services(), request(&rows, "out")).isOk());
  Followups in;
  in.out_dir = tmp_.file("f1");
  in.threads = 1;
  in.reply_within_days = "7";
  in.sent_on = core::Date(2026, 3, 2);
  auto first = makeFollowups(services(), in);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->letters, 3u);
  const std::string cy = requestOf(first->tracking, "Cy Cole");
  ASSERT_EQ(events(cy).size(), 2u);

  // The same command again: nothing made, nothing recorded.
  in.out_dir = tmp_.file("f2");
  auto second = makeFollowups(services(), in);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->letters, 0u);
  EXPECT_EQ(second->waiting_on_followup, 3u);
  EXPECT_FALSE(second->recorded_sent_on.has_value());
  EXPECT_EQ(events(cy).size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("f2")));

  // Planning ahead: on 2026-03-09 the 7 days asked for have not passed; on 2026-03-10 they have.
  Followups plan;
  plan.out_dir = tmp_.file("f3");
  plan.threads = 1;
  plan.as_of = core::Date(2026, 3, 9);
  auto waiting = makeFollowups(services(), plan);
  ASSERT_TRUE(waiting.isOk()) << waiting.status().toString();
  EXPECT_EQ(waiting->letters, 0u);
  plan.as_of = core::Date(2026, 3, 10);
  auto due = makeFollowups(services(), plan);
  ASSERT_TRUE(due.isOk()) << due.status().toString();
  EXPECT_EQ(due->today, core::Date(2026, 3, 10));
  EXPECT_EQ(due->letters, 3u);
  auto t = trackingByName(due->tracking);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0]["days_overdue"], "34");  // due 2026-02-04
  EXPECT_EQ(events(cy).size(), 2u);       // planned, not recorded
}

TEST_F(BatchTest, FollowUpsAsOfADayAheadFindWhatWillBeOverdueThen) {
  MemoryRows rows("upload.csv", goodRows());
  ASSERT_TRUE(importRequestBatch(services(), request(&rows, "out")).isOk());
  Followups in;
  in.out_dir = tmp_.file("f");
  in.threads = 1;
  in.as_of = core::Date(2026, 3, 8);  // California's 15 days from 2026-02-20 end on 2026-03-07
  auto done = makeFollowups(services(), in);
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->letters, 2u);
  const std::string text = testing::foldedText(done->combined);
  EXPECT_NE(text.find("March 8, 2026"), std::string::npos) << text;  // dated the day planned

  // Recording as sent goes with the day they are sent, not a day ahead.
  in.sent_on = core::Date(2026, 3, 2);
  auto bad = makeFollowups(services(), in);
  EXPECT_EQ(bad.status().field(), "as_of") << bad.status().toString();

  // Without --as-of, follow-ups mailed yesterday are recorded as such.
  Followups yesterday;
  yesterday.out_dir = tmp_.file("y");
  yesterday.threads = 1;
  yesterday.sent_on = core::Date(2026, 3, 1);
  auto recorded = makeFollowups(services(), yesterday);
  ASSERT_TRUE(recorded.isOk()) << recorded.status().toString();
  EXPECT_EQ(recorded->letters, 1u);
  EXPECT_EQ(recorded->recorded_sent_on, core::Date(2026, 3, 1));
}

// The organization database goes away in the middle of a batch (its connection cut after the
// first 250 rows are committed): the batch stops saying what happened and that running it
// again finishes it; run again, it makes the rest and nothing twice. PostgreSQL only.
TEST_F(BatchTest, ALostDatabaseConnectionMidBatchIsResumedWithoutDuplicates) {
  if (testing::testEngine() != "PostgreSQL") {
    // Only a PostgreSQL connection can be cut from outside; the pg.* run of this suite
    // (tests/CMakeLists.txt) is where this test counts.
    GTEST_SKIP() << "cuts a PostgreSQL connection: runs as pg.BatchTest.*";
  }
  Rows rows = {kHeader};
  for (int i = 0; i < 600; ++i) {
    const std::string n = std::to_string(i);
    rows.push_back({"R" + n, "Client " + n, "us-ca", "Clinic " + n, n + " Main St", "Oakland", "CA",
                    "94612", "no", "2026-02-20", "c" + n + "@example.org"});
  }
  static std::string victim;
  victim = testing::lastTestConnectionName();
  batch_testing::after_chunk = [](size_t stored) {
    if (stored != 250) return;
    auto admin = store::PgDb::connect(testing::testServerUrl());
    if (!admin.isOk()) return;
    (void)(*admin)->execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
        {victim});
  };
  MemoryRows first_rows("upload.csv", rows);
  auto cut = importRequestBatch(services(), request(&first_rows, "out"));
  batch_testing::after_chunk = nullptr;
  ASSERT_FALSE(cut.isOk());
  EXPECT_EQ(cut.status().code(), core::StatusCode::kIOError) << cut.status().toString();
  EXPECT_NE(cut.status().message().find("connection"), std::string::npos) << cut.status().message();
  EXPECT_NE(cut.status().message().find("running the same file again adds the rest"),
            std::string::npos)
      << cut.status().message();
  // The next call reconnects: what was committed is there, whole.
  EXPECT_EQ(requestCount(), 250u);
  MemoryRows again_rows("upload.csv", rows);
  auto done = importRequestBatch(services(), request(&again_rows, "again"));
  ASSERT_TRUE(done.isOk()) << done.status().toString();
  EXPECT_EQ(done->requests_made, 350u);
  EXPECT_EQ(done->requests_existing, 250u);
  EXPECT_EQ(requestCount(), 600u);
  EXPECT_EQ(clientCount(), 600u);
  EXPECT_TRUE(store().verifyAuditChain().isOk());
}

// Two staff members run the same spreadsheet at once, each from their own Recourse (their
// own connection to the organization database): each run either finishes or stops with
// nothing of its unfinished part kept and a message that running the file again adds the
// rest; one more run then finds every row made, and no client or request is there twice.
TEST_F(BatchTest, TwoStaffRunningTheSameSpreadsheetAtOnceMakeEachRequestOnce) {
  if (testing::testEngine() != "PostgreSQL") {
    // Two processes writing one database at once is what the organization database is
    // for; the pg.* run of this suite (tests/CMakeLists.txt) is where this test counts.
    GTEST_SKIP() << "two writers on one organization database: runs as pg.BatchTest.*";
  }
  Rows rows = {kHeader};
  for (int i = 0; i < 400; ++i) {
    const std::string n = std::to_string(i);
    rows.push_back({"S" + n, "Client " + n, "us-ca", "Clinic " + n, n + " Main St", "Oakland", "CA",
                    "94612", "no", "2026-02-20", "c" + n + "@example.org"});
  }
  // The second staff member's Recourse: the same schema, a connection and session of its own.
  const std::string schema =
      testing::lastTestConnectionName().substr(std::string("recourse_").size());
  auto other = store::Store::openPostgres(
      testing::testServerUrl() + "?options=-csearch_path%3D" + schema, clock_);
  ASSERT_TRUE(other.isOk()) << other.status().toString();
  ASSERT_TRUE((*other)->unlock("correct horse battery").isOk());
  std::filesystem::create_directories(tmp_.file("second"));
  auto second =
      service::VaultSession::adopt(std::move(other).value(), catalog_, clock_, tmp_.file("second"));

  MemoryRows mine("upload.csv", rows);
  MemoryRows theirs("upload.csv", rows);
  core::StatusOr<BatchSummary> first_run = core::internalError("not run");
  core::StatusOr<BatchSummary> second_run = core::internalError("not run");
  std::thread a([&] { first_run = importRequestBatch(services(), request(&mine, "one")); });
  std::thread b(
      [&] { second_run = importRequestBatch(second->services(), request(&theirs, "two")); });
  a.join();
  b.join();
  for (const auto* run : {&first_run, &second_run}) {
    if (run->isOk()) continue;
    EXPECT_NE(run->status().message().find("running the same file again adds the rest"),
              std::string::npos)
        << run->status().toString();
  }
  EXPECT_TRUE(first_run.isOk() || second_run.isOk())
      << first_run.status().toString() << " / " << second_run.status().toString();

  MemoryRows again_rows("upload.csv", rows);
  auto again = importRequestBatch(services(), request(&again_rows, "again"));
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_EQ(again->requests_made, 0u);
  EXPECT_EQ(again->requests_existing, 400u);
  EXPECT_EQ(requestCount(), 400u);
  EXPECT_EQ(clientCount(), 400u);
  EXPECT_TRUE(store().verifyAuditChain().isOk());
}

}  // namespace
}  // namespace recourse::service
