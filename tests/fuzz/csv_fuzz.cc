// Fuzzes the batch spreadsheet reader: the input is a CSV file as a legal aid office would
// upload it. It is read record by record with CsvReader (including its refusal of UTF-16
// and of zero bytes, and readAt of each record found), then checked as a batch of records
// requests (checkRequestBatch: the header, every row's cells against the records-request
// form and the jurisdictions), which stores and writes nothing. A refusal is the expected
// answer to a bad file; only a crash, a sanitizer report or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fakes/fake_clock.h"
#include "fuzz/fuzz_util.h"
#include "service/batch.h"
#include "service/csv.h"
#include "service/services.h"

namespace {

using recourse::service::Catalog;

struct World {
  // The law and the forms as shipped, loaded once: rows name real jurisdictions.
  std::shared_ptr<const Catalog> catalog =
      Catalog::load({std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions",
                     std::string(RECOURSE_SOURCE_DIR) + "/forms"});
  recourse::testing::FakeClock clock;
};

World& world() {
  static World* w = new World;  // never destroyed: the process ends with the fuzzer
  return *w;
}

// Reads every record; each one's offset must lead readAt back to the same fields.
void readAll(const std::string& path) {
  auto reader = recourse::service::CsvReader::open(path);
  if (!reader.isOk()) return;
  std::vector<recourse::service::CsvRecord> records;
  for (;;) {
    recourse::service::CsvRecord rec;
    auto more = (*reader)->next(&rec);
    if (!more.isOk() || !*more) break;
    (void)rec.blank();
    records.push_back(std::move(rec));
  }
  for (const auto& rec : records) {
    recourse::service::CsvRecord again;
    auto st = (*reader)->readAt(rec.offset, rec.row, &again);
    // A record next() gave must read back the same from its offset: the batch's second
    // pass depends on it.
    if (st.isOk() && again.fields != rec.fields) __builtin_trap();
  }
  // A field read back must also be written out again without harm.
  if (!records.empty()) (void)recourse::service::csvLine(records.front().fields);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  // A plain static: its destructor removes the file when the fuzzer exits.
  static recourse::fuzz::InputFile file("csv");
  const std::string& path = file.write(data, size);
  readAll(path);
  recourse::service::BatchImport in;
  in.csv_path = path;
  in.out_dir = "/dev/shm";  // must exist; the check writes nothing there
  in.threads = 1;
  auto check = recourse::service::checkRequestBatch(*w.catalog, w.clock, in);
  if (check.isOk()) {
    for (const auto& p : check->problems) (void)recourse::service::describeProblem(p);
  }
  return 0;
}
