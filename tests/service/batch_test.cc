// The bulk workflows at the workflow level: requests from a spreadsheet already in memory (an
// upload) or in a CSV file, the same to the workflow; checks before anything is stored;
// re-runs that make nothing twice; follow-ups for what is overdue. The clock is fixed at
// 2026-03-02: HIPAA's 30 calendar days (45 CFR 164.524(b)(2)) from 2026-01-05 ended on
// 2026-02-04, 26 days ago; California's 15 (Cal. Health & Safety Code § 123110(b)) from
// 2026-02-20 end on 2026-03-07.
#include "service/batch.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/validation.h"
#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/csv.h"

namespace recourse::service {
namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::vector<std::string> kHeader = {
    "client_ref",        "client_name",    "jurisdiction",     "custodian_name",
    "custodian_address", "custodian_city", "custodian_region", "custodian_postal_code",
    "include_billing",   "sent_on"};

// Three good rows: a Californian sent on 2026-02-20, a federal-only one sent 2026-01-05 (now
// overdue), and one not sent yet.
Rows goodRows() {
  return {kHeader,
          {"A1", "Zoë Müller", "us-ca", "Bay Counseling", "1 Main St", "Oakland", "CA", "94612",
           "yes", "2026-02-20"},
          {"A2", "Sam Lee", "us", "Hill Therapy", "5 Hill Rd", "New York", "NY", "10001", "no",
           "2026-01-05"},
          {"A3", "Ana Silva", "us-ny", "Albany Clinic", "9 State St", "Albany", "NY", "12207", "no",
           ""}};
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
  auto t = tracking(done->tracking);
  ASSERT_EQ(t.size(), 3u);
  // mail_order,csv_row,request_id,client,custodian,sent_on,due,status,made,letter,pages
  // In mailing order: by the custodian's postal code.
  EXPECT_EQ(t[0][1], "3");
  EXPECT_EQ(t[0][3], "Sam Lee");
  EXPECT_EQ(t[0][6], "2026-02-04");
  EXPECT_EQ(t[0][7], "overdue");
  EXPECT_EQ(t[1][3], "Ana Silva");
  EXPECT_EQ(t[1][7], "draft");
  EXPECT_EQ(t[2][3], "Zoë Müller");
  EXPECT_EQ(t[2][6], "2026-03-07");
  EXPECT_EQ(t[2][8], "new");
  for (const auto& row : t) {
    EXPECT_TRUE(std::filesystem::exists(done->out_dir + "/" + row[9])) << row[9];
  }
  const std::string text = testing::foldedText(done->combined);
  testing::expectInOrder(text,
                         {"Sam Lee", "Hill Therapy", "Ana Silva", "Albany Clinic", "Zoë Müller",
                          "Cal. Health & Safety Code § 123110", "March 7, 2026"});
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
  auto t = tracking(done->tracking);
  ASSERT_EQ(t.size(), 3u);
  for (size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t[i][2], ids[i][2]);  // the same requests, in the same order
    EXPECT_EQ(t[i][8], "earlier run");
  }
  EXPECT_EQ(filesIn(done->letters_dir), 3u);
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
            "  row 3, sent_on: \"2026-02-30\" is not a date; write it as YYYY-MM-DD\n"
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
  EXPECT_EQ(testing::readFile(done->skipped),
            "row,column,problem\r\n"
            "4,include_billing,\"\"\"maybe\"\" is not yes or no\"\r\n"
            "5,,\"asks the same as row 2 (same client, custodian and records)\"\r\n");

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
  auto t = tracking(done->tracking);
  ASSERT_EQ(t.size(), 1u);
  // mail_order,request_id,client,custodian,sent_on,due,days_overdue,status,letter,pages
  EXPECT_EQ(t[0][2], "Sam Lee");
  EXPECT_EQ(t[0][5], "2026-02-04");
  EXPECT_EQ(t[0][6], "26");
  const std::string text = testing::foldedText(done->combined);
  EXPECT_NE(text.find("within 7 days of this letter"), std::string::npos) << text;
  auto events = store().listRequestEvents(t[0][1]);
  ASSERT_TRUE(events.isOk());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].type, core::RequestEventType::kFollowUpSent);
  EXPECT_EQ((*events)[1].on, core::Date(2026, 3, 2));

  // Nothing overdue in another case: nothing written.
  auto requests = store().listRequests("");
  ASSERT_TRUE(requests.isOk());
  std::string other_case;
  for (const auto& r : *requests) {
    if (r.id != t[0][1]) other_case = r.case_id;
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
  events = store().listRequestEvents(t[0][1]);
  ASSERT_TRUE(events.isOk());
  EXPECT_EQ(events->size(), 2u);
}

}  // namespace
}  // namespace recourse::service
