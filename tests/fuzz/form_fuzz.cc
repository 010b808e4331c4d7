// Fuzzes the form loader: one forms/*.json file's text, read as a form definition (with its
// mustache letter templates) and as the harm taxonomy. Problems are the expected answer
// to a bad file; only a crash, a sanitizer report or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "forms/loader.h"
#include "fuzz/fuzz_util.h"
#include "jurisdiction/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace forms = recourse::forms;
  // The form directory loader refuses data files past this size before parsing them.
  if (size > recourse::jurisdiction::kMaxDataFileBytes) return 0;
  const std::string text = recourse::fuzz::text(data, size);
  std::vector<forms::Problem> problems;
  auto form = forms::parseForm(text, recourse::fuzz::fileNameFromId(text), &problems);
  if (form && !problems.empty()) {
    // parseForm promises a form only when the file has no problems.
    __builtin_trap();
  }
  auto taxonomy = forms::parseHarmTaxonomy(text, forms::kHarmTaxonomyFile, &problems);
  if (taxonomy) {
    // What a person types for a kind of harm is looked up in the taxonomy just read.
    for (const auto& h : taxonomy->harms) {
      (void)taxonomy->resolve(h.label);
      (void)taxonomy->find(h.id);
    }
  }
  for (const auto& p : problems) (void)p.toString();
  return 0;
}
