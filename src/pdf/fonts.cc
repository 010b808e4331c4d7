#include "pdf/fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-subset.h>
#include <hb.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>

namespace recourse::pdf {
namespace {

// Windows-1252 bytes 0x80-0x9F; 0 where the byte is undefined.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int winAnsiByte(char32_t cp) {
  if (cp == '\n' || (cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF)) {
    return static_cast<int>(cp);
  }
  for (size_t i = 0; i < kCp1252High.size(); ++i) {
    if (kCp1252High[i] != 0 && kCp1252High[i] == cp) return static_cast<int>(0x80 + i);
  }
  return -1;
}

}  // namespace

std::u32string decodeUtf8(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0xFFFD;
    size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 || (c >> 4) == 0xE || (c >> 3) == 0x1E) {
      len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
      char32_t v = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
      bool ok = i + len <= s.size();
      for (size_t k = 1; ok && k < len; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        ok = (cc >> 6) == 0x2;
        v = (v << 6) | (cc & 0x3F);
      }
      if (ok && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) {
        cp = v;
      } else {
        len = 1;
      }
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void appendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool fitsWinAnsi(const std::string& utf8) {
  for (unsigned char c : utf8) {
    if (c >= 0x80) {
      for (char32_t cp : decodeUtf8(utf8)) {
        if (winAnsiByte(cp) < 0) return false;
      }
      return true;
    }
  }
  return true;
}

std::string toWinAnsi(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : decodeUtf8(utf8)) {
    int b = winAnsiByte(cp);
    out.push_back(static_cast<char>(b < 0 ? '?' : b));
  }
  return out;
}

core::StatusOr<FontFiles> findUnicodeFonts(const std::string& override_dir) {
  namespace fs = std::filesystem;
  std::vector<FontFiles> candidates;
  if (!override_dir.empty()) {
    candidates.push_back({override_dir + "/DejaVuSans.ttf", override_dir + "/DejaVuSans-Bold.ttf"});
  }
  candidates.push_back({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"});
  candidates.push_back({"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
                        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"});
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c.regular, ec) && fs::is_regular_file(c.bold, ec)) return c;
  }
  return core::failedPrecondition(
      "no Unicode font was found to write PDFs with; install the Debian package "
      "fonts-dejavu-core (or fonts-liberation2), e.g. with: bash scripts/setup.sh");
}

core::StatusOr<std::shared_ptr<const Coverage>> Coverage::load(const std::string& path) {
  static std::mutex mu;  // FreeType libraries are not shared between threads here
  std::lock_guard lk(mu);
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) return core::internalError("FreeType could not start");
  FT_Face face = nullptr;
  if (FT_New_Face(lib, path.c_str(), 0, &face) != 0) {
    FT_Done_FreeType(lib);
    return core::failedPrecondition("the font " + path + " could not be read");
  }
  FT_Select_Charmap(face, FT_ENCODING_UNICODE);
  auto cov = std::make_shared<Coverage>();
  FT_UInt gindex = 0;
  FT_ULong cp = FT_Get_First_Char(face, &gindex);
  while (gindex != 0) {
    auto c = static_cast<char32_t>(cp);
    if (!cov->ranges_.empty() && cov->ranges_.back().second + 1 == c) {
      cov->ranges_.back().second = c;
    } else {
      cov->ranges_.emplace_back(c, c);
    }
    cp = FT_Get_Next_Char(face, cp, &gindex);
  }
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  std::sort(cov->ranges_.begin(), cov->ranges_.end());
  return std::shared_ptr<const Coverage>(std::move(cov));
}

std::unique_ptr<CodePage> CodePage::load(const std::string& iconv_name) {
  iconv_t cd = iconv_open("UTF-8", iconv_name.c_str());
  // iconv_open reports failure as (iconv_t)-1, an integer cast to a pointer by its API.
  if (cd == reinterpret_cast<iconv_t>(-1)) return nullptr;  // NOLINT(performance-no-int-to-ptr)
  auto page = std::make_unique<CodePage>();
  page->ascii_.fill(-1);
  for (int b = 0x0A; b <= 0xFF; ++b) {
    if (b > 0x0A && b < 0x20) continue;
    char in = static_cast<char>(b);
    char out[8];
    char* in_ptr = &in;
    size_t in_left = 1;
    char* out_ptr = out;
    size_t out_left = sizeof out;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<size_t>(-1)) continue;
    std::u32string cps = decodeUtf8(std::string(out, sizeof out - out_left));
    if (cps.size() != 1) continue;
    if (cps[0] < 0x80) {
      page->ascii_[cps[0]] = static_cast<std::int16_t>(b);
    } else {
      page->others_.emplace_back(cps[0], static_cast<unsigned char>(b));
    }
  }
  iconv_close(cd);
  std::sort(page->others_.begin(), page->others_.end());
  return page;
}

const CodePage* CodePage::find(const std::string& name) {
  // libharu names Windows-1252 "WinAnsiEncoding"; iconv knows it as CP1252.
  const std::string iconv_name = name == "WinAnsiEncoding" ? "CP1252" : name;
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<CodePage>> pages;
  std::lock_guard lk(mu);
  auto it = pages.find(iconv_name);
  if (it == pages.end()) it = pages.emplace(iconv_name, load(iconv_name)).first;
  return it->second.get();
}

std::optional<unsigned char> CodePage::byteOf(char32_t cp) const {
  if (cp < 0x80) {
    std::int16_t b = ascii_[cp];
    if (b < 0) return std::nullopt;
    return static_cast<unsigned char>(b);
  }
  auto it = std::lower_bound(
      others_.begin(), others_.end(), cp,
      [](const std::pair<char32_t, unsigned char>& e, char32_t v) { return e.first < v; });
  if (it == others_.end() || it->first != cp) return std::nullopt;
  return it->second;
}

std::optional<std::string> CodePage::encode(const std::string& utf8) const {
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : decodeUtf8(utf8)) {
    auto b = byteOf(cp);
    if (!b) return std::nullopt;
    out.push_back(static_cast<char>(*b));
  }
  return out;
}

std::vector<char32_t> CodePage::characters() const {
  std::vector<char32_t> out;
  for (char32_t cp = 0; cp < 0x80; ++cp) {
    if (ascii_[cp] >= 0) out.push_back(cp);
  }
  for (const auto& [cp, byte] : others_) out.push_back(cp);
  return out;
}

std::vector<char32_t> codePageCharacters(const std::string& code_page) {
  const CodePage* page = CodePage::find(code_page);
  return page != nullptr ? page->characters() : std::vector<char32_t>{};
}

std::optional<std::string> toCodePage(const std::string& utf8, const std::string& code_page) {
  const CodePage* page = CodePage::find(code_page);
  if (page == nullptr) return std::nullopt;
  return page->encode(utf8);
}

const std::vector<std::string>& singleByteCodePages() {
  static const std::vector<std::string> kPages = {"WinAnsiEncoding", "CP1250", "CP1251",
                                                  "CP1253",          "CP1254", "CP1257"};
  return kPages;
}

const std::vector<std::pair<char32_t, char32_t>>& subsetRanges() {
  static const std::vector<std::pair<char32_t, char32_t>> kRanges = {
      {0x20, 0x7E},     {0xA0, 0x24F},    {0x300, 0x36F},   {0x370, 0x3FF},   {0x400, 0x4FF},
      {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x20A0, 0x20CF}, {0x2100, 0x214F}, {0x2190, 0x2193},
      {0x2212, 0x2212}, {0x2610, 0x2612}, {0x2713, 0x2713}, {0xFFFD, 0xFFFD}};
  return kRanges;
}

core::StatusOr<std::vector<std::uint8_t>> subsetFontBytes(
    const std::string& path, const std::vector<std::pair<char32_t, char32_t>>& ranges) {
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
  if (blob == nullptr) return core::failedPrecondition("the font " + path + " could not be read");
  hb_face_t* face = hb_face_create(blob, 0);
  hb_subset_input_t* input = hb_subset_input_create_or_fail();
  core::StatusOr<std::vector<std::uint8_t>> result =
      core::resourceExhausted("not enough memory to subset a font");
  if (input != nullptr) {
    hb_set_t* unicodes = hb_subset_input_unicode_set(input);
    for (const auto& [a, b] : ranges) hb_set_add_range(unicodes, a, b);
    // Hinting (TrueType instructions) only steers rasterising at small pixel sizes on
    // screens; PDF viewers and printers do without it. Leaving it out makes every embedded
    // font about a third smaller, and so every document smaller and quicker to write.
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t* sub = hb_subset_or_fail(face, input);
    if (sub == nullptr) {
      result = core::failedPrecondition("the font " + path + " could not be subset");
    } else {
      hb_blob_t* out = hb_face_reference_blob(sub);
      unsigned int len = 0;
      const char* data = hb_blob_get_data(out, &len);
      result = std::vector<std::uint8_t>(data, data + len);
      hb_blob_destroy(out);
      hb_face_destroy(sub);
    }
    hb_subset_input_destroy(input);
  }
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  return result;
}

core::Status writeSubsetFont(const std::string& path,
                             const std::vector<std::pair<char32_t, char32_t>>& ranges,
                             const std::string& out_path) {
  auto bytes = subsetFontBytes(path, ranges);
  if (!bytes.isOk()) return bytes.status();
  FILE* f = std::fopen(out_path.c_str(), "wb");
  core::Status result = core::Status::ok();
  if (f == nullptr || std::fwrite(bytes->data(), 1, bytes->size(), f) != bytes->size()) {
    result = core::ioError("cannot write the font subset " + out_path);
  }
  if (f != nullptr) std::fclose(f);
  return result;
}

namespace {

std::unique_ptr<LabelFont> makeLabelFont() {
  auto files = findUnicodeFonts();
  if (!files.isOk()) return nullptr;
  auto bytes = subsetFontBytes(files->bold, {{0x20, 0x7E}});
  if (!bytes.isOk()) return nullptr;
  auto font = std::make_unique<LabelFont>();
  font->ttf = std::move(bytes).value();
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) return nullptr;
  FT_Face face = nullptr;
  bool ok = FT_New_Memory_Face(lib, font->ttf.data(), static_cast<FT_Long>(font->ttf.size()), 0,
                               &face) == 0;
  if (ok) {
    const double upem = face->units_per_EM > 0 ? face->units_per_EM : 1000;
    auto em = [&](long v) {
      return static_cast<int>(std::lround(static_cast<double>(v) * 1000 / upem));
    };
    const char* ps = FT_Get_Postscript_Name(face);
    font->base_name = ps != nullptr ? ps : "RecourseLabel";
    for (int c = 0x20; c <= 0x7E; ++c) {
      ok = ok && FT_Load_Char(face, static_cast<FT_ULong>(c), FT_LOAD_NO_SCALE) == 0;
      if (ok) font->widths[static_cast<size_t>(c - 0x20)] = em(face->glyph->metrics.horiAdvance);
    }
    font->bbox = {em(face->bbox.xMin), em(face->bbox.yMin), em(face->bbox.xMax),
                  em(face->bbox.yMax)};
    font->ascent = em(face->ascender);
    font->descent = em(face->descender);
    font->cap_height = em(face->ascender) * 3 / 4;
    if (FT_Load_Char(face, 'H', FT_LOAD_NO_SCALE) == 0) {
      font->cap_height = em(face->glyph->metrics.horiBearingY);
    }
    FT_Done_Face(face);
  }
  FT_Done_FreeType(lib);
  return ok ? std::move(font) : nullptr;
}

}  // namespace

const LabelFont* labelFont() {
  static const std::unique_ptr<LabelFont> font = makeLabelFont();
  return font.get();
}

bool Coverage::has(char32_t cp) const {
  auto it = std::upper_bound(
      ranges_.begin(), ranges_.end(), cp,
      [](char32_t v, const std::pair<char32_t, char32_t>& r) { return v < r.first; });
  if (it == ranges_.begin()) return false;
  --it;
  return cp >= it->first && cp <= it->second;
}

}  // namespace recourse::pdf
