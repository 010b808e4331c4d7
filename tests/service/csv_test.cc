// The CSV reader: spreadsheet row numbers, quoting, line endings, byte order marks, and
// reading a record again from its offset.
#include "service/csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include "fakes/temp_dir.h"

namespace recourse::service {
namespace {

class CsvTest : public ::testing::Test {
 protected:
  std::string write(const std::string& content) {
    std::string path = tmp_.file("in.csv");
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::vector<CsvRecord> readAll(const std::string& content) {
    auto r = CsvReader::open(write(content));
    EXPECT_TRUE(r.isOk());
    std::vector<CsvRecord> all;
    CsvRecord rec;
    for (;;) {
      auto more = (*r)->next(&rec);
      EXPECT_TRUE(more.isOk()) << more.status().toString();
      if (!more.isOk() || !*more) break;
      all.push_back(rec);
    }
    return all;
  }
  testing::TempDir tmp_;
};

TEST_F(CsvTest, RowsAreNumberedAsASpreadsheetShowsThem) {
  // CRLF endings, a blank line (row 3), a quoted comma, a doubled quote and a line break
  // inside quotes (row 4 spans two lines; the next record is still row 5).
  auto rows = readAll(
      "name,city\r\nZoë,\"Oakland, CA\"\r\n\r\n\"Sam \"\"S\"\" Lee\",\"line one\nline two\"\r\n"
      "last,row");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].row, 1);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"name", "city"}));
  EXPECT_EQ(rows[1].row, 2);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"Zoë", "Oakland, CA"}));
  EXPECT_EQ(rows[2].row, 3);
  EXPECT_TRUE(rows[2].blank());
  EXPECT_EQ(rows[3].row, 4);
  EXPECT_EQ(rows[3].fields, (std::vector<std::string>{"Sam \"S\" Lee", "line one\nline two"}));
  EXPECT_EQ(rows[4].row, 5);
  EXPECT_EQ(rows[4].fields, (std::vector<std::string>{"last", "row"}));
}

TEST_F(CsvTest, AByteOrderMarkIsNotPartOfTheHeaderAndLfOnlyFilesWork) {
  auto rows = readAll("\xEF\xBB\xBFname,city\nA,B\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "name");
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"A", "B"}));
}

TEST_F(CsvTest, ARecordCanBeReadAgainFromItsOffset) {
  std::string content = "\xEF\xBB\xBFh1,h2\r\nx,\"a\r\nb\"\r\n\r\ny,z\r\n";
  auto rows = readAll(content);
  ASSERT_EQ(rows.size(), 4u);
  auto r = CsvReader::open(tmp_.file("in.csv"));
  ASSERT_TRUE(r.isOk());
  for (int i : {3, 1, 0}) {
    CsvRecord again;
    ASSERT_TRUE((*r)->readAt(rows[i].offset, rows[i].row, &again).isOk());
    EXPECT_EQ(again.fields, rows[i].fields) << i;
    EXPECT_EQ(again.row, rows[i].row);
  }
  EXPECT_EQ(rows[3].row, 4);  // a line break inside quotes stays in its row
}

// Found by fuzzing: every record, read again from its offset, is the record it was,
// whatever its line endings (old Mac CRs, runs of them, CR then a space then LF).
TEST_F(CsvTest, EveryRecordReadsBackTheSameFromItsOffset) {
  const std::string content =
      "a,b,c\rx,y\nAlex,xx-nowhet_\r\r\r\r \nAq-5\r\n\r\nlast,\"q\r\nq\"\r \r\n";
  auto rows = readAll(content);
  ASSERT_GE(rows.size(), 4u);
  auto r = CsvReader::open(tmp_.file("in.csv"));
  ASSERT_TRUE(r.isOk());
  for (const auto& row : rows) {
    CsvRecord again;
    ASSERT_TRUE((*r)->readAt(row.offset, row.row, &again).isOk());
    EXPECT_EQ(again.fields, row.fields) << "row " << row.row << " at offset " << row.offset;
  }
}

TEST_F(CsvTest, BrokenQuotingNamesTheRow) {
  auto r = CsvReader::open(write("a,b\n1,2\n3,\"never closed\n4,5\n"));
  ASSERT_TRUE(r.isOk());
  CsvRecord rec;
  EXPECT_TRUE(*(*r)->next(&rec));
  EXPECT_TRUE(*(*r)->next(&rec));
  auto bad = (*r)->next(&rec);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("row 3"), std::string::npos) << bad.status().message();

  auto r2 = CsvReader::open(write("a,b\n1,x\"y\n"));
  ASSERT_TRUE(r2.isOk());
  EXPECT_TRUE(*(*r2)->next(&rec));
  auto bad2 = (*r2)->next(&rec);
  ASSERT_FALSE(bad2.isOk());
  EXPECT_NE(bad2.status().message().find("row 2"), std::string::npos) << bad2.status().message();
}

// A spreadsheet saved as UTF-16 ("Unicode text") is refused at once, saying how to save it
// instead, with or without its byte order mark; never read as nonsense cells.
TEST_F(CsvTest, Utf16IsRefusedWithWhatToDo) {
  const std::string le_bom(
      "\xFF\xFE"
      "c\0l\0i\0e\0n\0t\0\r\0\n\0",
      16);
  auto r = CsvReader::open(write(le_bom));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("the file is saved as UTF-16 text; in the spreadsheet "
                                      "program, save it again choosing \"CSV UTF-8\""),
            std::string::npos)
      << r.status().message();
  const std::string be_bom("\xFE\xFF\0c\0l", 6);
  EXPECT_FALSE(CsvReader::open(write(be_bom)).isOk());
  const std::string no_bom("c\0l\0i\0e\0n\0t\0", 12);
  r = CsvReader::open(write(no_bom));
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("zero bytes"), std::string::npos) << r.status().message();
  EXPECT_TRUE(CsvReader::open(write("\xEF\xBB\xBF"
                                    "client\r\n"))
                  .isOk());  // UTF-8 with a BOM
}

TEST_F(CsvTest, AMissingFileIsNotFound) {
  auto r = CsvReader::open(tmp_.file("nope.csv"));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), core::StatusCode::kNotFound);
}

TEST_F(CsvTest, WrittenFieldsAreQuotedAndFormulasDefused) {
  EXPECT_EQ(csvLine({"plain", "a,b", "say \"hi\"", "=SUM(A1)", "line\nbreak", "2026-03-07"}),
            "plain,\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),\"line\nbreak\",2026-03-07\r\n");
}

}  // namespace
}  // namespace recourse::service
