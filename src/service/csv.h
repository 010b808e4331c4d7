// Reading and writing CSV files (RFC 4180) through libcsv, a record at a time, so a file
// of any length is read in constant memory. Rows are numbered the way a spreadsheet shows
// them: the first line is row 1 (the header), a blank line still counts as a row.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace recourse::service {

struct CsvRecord {
  long row = 0;          // 1-based, as a spreadsheet numbers it
  long long offset = 0;  // byte offset of the record's first byte (for readAt)
  std::vector<std::string> fields;
  bool blank() const;  // no fields, or only empty ones
};

class CsvReader {
 public:
  // Opens `path` for reading. On failure IOError/NotFound naming the file.
  static core::StatusOr<std::unique_ptr<CsvReader>> open(const std::string& path);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next record. On success returns true and fills `rec`, false at the end of the file.
  // On a malformed file (a quote left open, a stray quote) InvalidArgument naming the row.
  core::StatusOr<bool> next(CsvRecord* rec);
  // Reads the one record that starts at `offset` (from an earlier next()); `row` is copied
  // into the result. Does not disturb next()'s position.
  core::Status readAt(long long offset, long row, CsvRecord* rec);

 private:
  explicit CsvReader(std::FILE* f, std::string path);
  struct Parser;
  std::FILE* f_;
  std::string path_;
  std::unique_ptr<Parser> p_;
  long long pos_ = 0;  // bytes consumed by next()
  long row_ = 0;
  bool done_ = false;
};

// Quotes one field for a CSV file when it needs it. Text that a spreadsheet would read as
// a formula (= + - @ at the start) is prefixed with ' so opening the file runs nothing.
std::string csvField(const std::string& value);
// Joins fields into one CSV line ending in CRLF (RFC 4180).
std::string csvLine(const std::vector<std::string>& fields);

}  // namespace recourse::service
