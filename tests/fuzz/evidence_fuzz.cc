// Fuzzes the evidence file check: the input is an uploaded evidence file. As
// service/evidence.cc does (its sniff() and checkContent() are private to that file, so the
// same rules are restated here), the first bytes say what the file is: "%PDF-" in the first
// KiB is a PDF, which qpdf must open with at least one page; the PNG or JPEG signature is an
// image, which libpng or libjpeg must decode whole and libharu must place. A PDF that is
// accepted is then taken apart with an exhibit stamp, as a complaint packet does. A refusal
// is the expected answer to a bad file; only a crash, a sanitizer report or a hang is a
// finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pdf/combine.h"
#include "pdf/document.h"

namespace {

constexpr std::size_t kHead = 1024;  // what evidence.cc looks at to tell the kind

bool startsWith(const std::vector<std::uint8_t>& bytes, const std::string& prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace pdf = recourse::pdf;
  const std::vector<std::uint8_t> bytes(data, data + size);
  const std::string head(reinterpret_cast<const char*>(data), std::min(size, kHead));
  if (head.find("%PDF-") != std::string::npos) {
    if (pdf::pdfPageCount(bytes, "fuzz.pdf").isOk()) {
      (void)pdf::takeApart(bytes, "fuzz.pdf", "Exhibit 1");
    }
  } else if (startsWith(bytes, "\x89PNG\r\n\x1a\n")) {
    (void)pdf::checkImage(bytes, pdf::ImageType::kPng);
  } else if (startsWith(bytes, "\xFF\xD8\xFF")) {
    (void)pdf::checkImage(bytes, pdf::ImageType::kJpeg);
  }
  return 0;
}
