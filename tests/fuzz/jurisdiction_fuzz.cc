// Fuzzes the jurisdiction loader: one jurisdictions/*.json file's text, read as a
// jurisdiction and as the license-type vocabulary. Problems are the expected answer to a
// bad file; only a crash, a sanitizer report or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "jurisdiction/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace j = recourse::jurisdiction;
  // The loader refuses bigger files before parsing them.
  if (size > j::kMaxDataFileBytes) return 0;
  const std::string text = recourse::fuzz::text(data, size);
  std::vector<j::Problem> problems;
  auto jurisdiction = j::parseJurisdiction(text, recourse::fuzz::fileNameFromId(text), &problems);
  if (jurisdiction && !problems.empty()) {
    // The loader promises a jurisdiction only when the file has no problems.
    __builtin_trap();
  }
  auto types = j::parseLicenseTypes(text, j::kLicenseTypesFile, &problems);
  // The messages are what `recourse jurisdictions check` prints: build them too.
  for (const auto& p : problems) (void)p.toString();
  // The checks applied to each caution and citation, on text of any shape.
  (void)j::cautionProblem(text);
  (void)j::researchMarker(text);
  return 0;
}
