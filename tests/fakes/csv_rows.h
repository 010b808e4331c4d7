// Reading a CSV the program wrote (a tracking file, a skipped-rows file) the way a person
// with a spreadsheet would: by the header's column names.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "service/csv.h"

namespace recourse::testing {

// The data rows of the CSV at `path`, each by its header's names (the header is row 1);
// a test failure, and no rows, when it does not open.
inline std::vector<std::map<std::string, std::string>> csvRowsByName(const std::string& path) {
  std::vector<std::map<std::string, std::string>> out;
  auto reader = service::CsvReader::open(path);
  EXPECT_TRUE(reader.isOk()) << path;
  if (!reader.isOk()) return out;
  service::CsvRecord rec;
  std::vector<std::string> header;
  while (*(*reader)->next(&rec)) {
    if (rec.row == 1) {
      header = rec.fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < rec.fields.size() && i < header.size(); ++i) {
      row[header[i]] = rec.fields[i];
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace recourse::testing
