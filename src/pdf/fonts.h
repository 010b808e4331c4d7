// The fonts Recourse writes with, found on this computer at run time, and which
// characters they can show.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace recourse::pdf {

struct FontFiles {
  std::string regular;  // path to a TrueType file
  std::string bold;
};

// Finds a Unicode TrueType family (DejaVu Sans from fonts-dejavu-core, else Liberation Sans
// from fonts-liberation2). `override_dir`, when given, is searched first (tests, portable
// installs). FailedPrecondition naming the packages to install when none is found.
core::StatusOr<FontFiles> findUnicodeFonts(const std::string& override_dir = "");

// The set of code points a font has glyphs for, read once with FreeType. Immutable and safe
// to share between threads.
class Coverage {
 public:
  static core::StatusOr<std::shared_ptr<const Coverage>> load(const std::string& path);
  bool has(char32_t cp) const;
  size_t size() const { return ranges_.size(); }

 private:
  std::vector<std::pair<char32_t, char32_t>> ranges_;  // sorted, inclusive
};

// Writes to `out_path` a subset of the TrueType font at `path` holding the glyphs for
// `ranges` (inclusive code point ranges), using HarfBuzz. IOError/FailedPrecondition on
// failure.
core::Status writeSubsetFont(const std::string& path,
                             const std::vector<std::pair<char32_t, char32_t>>& ranges,
                             const std::string& out_path);

// The same subset as bytes, for a font embedded outside libharu.
core::StatusOr<std::vector<std::uint8_t>> subsetFontBytes(
    const std::string& path, const std::vector<std::pair<char32_t, char32_t>>& ranges);

// A small embedded font for short labels drawn outside libharu (the exhibit stamp on an
// original PDF's pages): the bold face of the Unicode family, subset to printable ASCII,
// with its metrics in 1/1000 em for the PDF font dictionary. Made once per process; null
// when no font is found (the caller says so).
struct LabelFont {
  std::string base_name;          // e.g. "DejaVuSans-Bold"
  std::vector<std::uint8_t> ttf;  // the subset TrueType program
  std::array<int, 95> widths{};   // advance widths of ' ' (32) to '~' (126)
  std::array<int, 4> bbox{};      // llx, lly, urx, ury
  int ascent = 0;
  int descent = 0;
  int cap_height = 0;
};
const LabelFont* labelFont();

// The fixed repertoire of the fast subset: Latin and its extensions (incl. Vietnamese),
// combining marks, general punctuation, currency, letterlike symbols, the replacement mark.
const std::vector<std::pair<char32_t, char32_t>>& subsetRanges();

// True when every code point of `utf8` has a Windows-1252 byte (PDF metadata and bookmarks
// are written in it).
bool fitsWinAnsi(const std::string& utf8);
// Converts to Windows-1252. REQUIRES: fitsWinAnsi(utf8).
std::string toWinAnsi(const std::string& utf8);

// A single-byte Windows code page's table from Unicode to bytes, built once per process by
// decoding each byte with iconv.
class CodePage {
 public:
  // The code page libharu names `name` ("WinAnsiEncoding" for Windows-1252, "CP1250", ...);
  // nullptr when iconv does not know it. The table lives as long as the process, so a
  // document looks it up once and then converts without locking.
  static const CodePage* find(const std::string& name);
  // The byte that writes `cp`, or nullopt when the code page has none.
  std::optional<unsigned char> byteOf(char32_t cp) const;
  // UTF-8 to this code page; nullopt when some character has no byte in it.
  std::optional<std::string> encode(const std::string& utf8) const;
  std::vector<char32_t> characters() const;  // in order

 private:
  std::array<std::int16_t, 0x80> ascii_{};  // byte by code point below 0x80, -1 for none
  std::vector<std::pair<char32_t, unsigned char>> others_;  // sorted by code point
  static std::unique_ptr<CodePage> load(const std::string& iconv_name);
};

// CodePage::find(code_page)->encode(utf8), or nullopt when iconv lacks the code page.
std::optional<std::string> toCodePage(const std::string& utf8, const std::string& code_page);

// The characters a single-byte code page can write (empty if iconv does not know it).
std::vector<char32_t> codePageCharacters(const std::string& code_page);

// The single-byte code pages a document may be written in with an embedded TrueType font,
// in the order they are tried (libharu's names): Western European (Windows-1252), Central
// European, Cyrillic, Greek, Turkish, Baltic.
const std::vector<std::string>& singleByteCodePages();

// Decodes UTF-8 (invalid bytes become U+FFFD) into code points.
std::u32string decodeUtf8(const std::string& s);
void appendUtf8(char32_t cp, std::string* out);

}  // namespace recourse::pdf
