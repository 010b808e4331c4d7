// The layout engine, checked the way a reader would: extracted text (pdftotext), structure
// (qpdf --check), fonts (pdffonts), page size and metadata (pdfinfo) — never raw bytes.
#include "pdf/layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "fakes/temp_dir.h"
#include "pdf/document.h"
#include "pdf_tools.h"

namespace recourse::pdf {
namespace {

using testing::countOf;
using testing::run;

class LayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kit = FontKit::load();
    ASSERT_TRUE(kit.isOk()) << kit.status().toString();
    kit_ = *kit;
  }

  std::unique_ptr<Layout> make(FontMode mode = FontMode::kUnicode,
                               PageSize size = PageSize::kLetter, const std::string& page = "") {
    LayoutOptions opt;
    opt.font_mode = mode;
    opt.code_page = page;
    opt.page_size = size;
    opt.fonts = kit_.files;
    opt.coverage = kit_.coverage;
    opt.running_header = "Test document";
    DocInfo info{"Records request", "Zoë Müller", "Test",
                 core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)) +
                     std::chrono::hours(9)};
    auto l = Layout::create(opt, info);
    EXPECT_TRUE(l.isOk()) << l.status().toString();
    return l.isOk() ? std::move(l).value() : nullptr;
  }

  std::string save(Layout& l, const std::string& name) {
    auto bytes = l.finish();
    EXPECT_TRUE(bytes.isOk()) << bytes.status().toString();
    std::string path = tmp_.file(name);
    testing::writeBytes(path, *bytes);
    return path;
  }

  void expectValid(const std::string& path) {
    int rc = -1;
    std::string out = run("qpdf --check '" + path + "'", &rc);
    EXPECT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("No syntax or stream encoding errors"), std::string::npos) << out;
  }

  std::string text(const std::string& path) { return run("pdftotext '" + path + "' -"); }

  FontKit kit_;
  testing::TempDir tmp_;
};

TEST_F(LayoutTest, UnicodeNamesExtractInOrderWithAnEmbeddedFont) {
  auto l = make();
  l->heading("Request for a copy of my records");
  l->paragraph("My name is Zoë Müller-Nuñez. My sister is Nguyễn Thị Minh.");
  l->paragraph("Under 45 CFR 164.524 please respond by March 17, 2026.");
  std::string path = save(*l, "unicode.pdf");
  expectValid(path);
  testing::expectInOrder(text(path), {"Request for a copy of my records", "Zoë Müller-Nuñez",
                                      "Nguyễn Thị Minh", "March 17, 2026"});
  std::string fonts = run("pdffonts '" + path + "'");
  EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("yes yes yes"), std::string::npos) << fonts;  // embedded, subset, unicode
}

TEST_F(LayoutTest, LongTextBreaksAcrossPagesWithoutLosingOrDuplicatingALine) {
  auto l = make();
  std::string narrative;
  for (int i = 1; i <= 600; ++i) {
    char line[96];
    std::snprintf(line, sizeof line, "Line %04d of the account, written in my own words.\n", i);
    narrative += line;
  }
  l->paragraph(narrative);
  std::string path = save(*l, "long.pdf");
  expectValid(path);
  EXPECT_GT(l->pageCount(), 10);
  std::string t = text(path);
  size_t last = 0;
  for (int i = 1; i <= 600; ++i) {
    char needle[32];
    std::snprintf(needle, sizeof needle, "Line %04d of", i);
    EXPECT_EQ(countOf(t, needle), 1u) << needle;
    size_t at = t.find(needle);
    EXPECT_GT(at, last) << needle;
    last = at;
  }
  const std::string total = std::to_string(l->pageCount());
  EXPECT_NE(t.find("Page 1 of " + total), std::string::npos);
  EXPECT_NE(t.find("Page " + total + " of " + total), std::string::npos);
}

TEST_F(LayoutTest, TablesRepeatTheirHeaderOnEveryPage) {
  auto l = make();
  std::vector<std::vector<std::string>> rows;
  for (int i = 1; i <= 150; ++i) {
    rows.push_back(
        {"2024-01-" + std::to_string(10 + i % 18), "Incident number " + std::to_string(i), "text"});
  }
  l->table({"When", "What happened", "How"}, rows, {0.2F, 0.6F, 0.2F});
  std::string path = save(*l, "table.pdf");
  expectValid(path);
  ASSERT_GT(l->pageCount(), 2);
  std::string t = text(path);
  EXPECT_EQ(countOf(t, "What happened"), static_cast<size_t>(l->pageCount()));
  for (int i = 1; i <= 150; ++i) {
    EXPECT_EQ(countOf(t, "Incident number " + std::to_string(i) + "\n"), 1u) << i;
  }
}

TEST_F(LayoutTest, JustifiedTextKeepsEveryWord) {
  auto l = make();
  std::string words;
  for (int i = 0; i < 80; ++i) words += "word" + std::to_string(i) + " ";
  l->paragraph(words, true);
  std::string path = save(*l, "justified.pdf");
  expectValid(path);
  std::string t = text(path);
  for (int i = 0; i < 80; ++i) {
    EXPECT_EQ(countOf(t, "word" + std::to_string(i) + " ") +
                  countOf(t, "word" + std::to_string(i) + "\n"),
              1u)
        << i;
  }
}

TEST_F(LayoutTest, CodePageFontsForPolishGreekAndRussian) {
  for (const auto& [page, sample] : std::vector<std::pair<std::string, std::string>>{
           {"CP1250", "Łukasz Wróblewski i Šimon Dvořák — „cytat” § 5"},
           {"CP1253", "Αλέξανδρος Παπαδόπουλος"},
           {"CP1251", "Олена Коваль, «лист»"}}) {
    ASSERT_TRUE(toCodePage(sample, page).has_value()) << page;
    auto l = make(FontMode::kCodePage, PageSize::kLetter, page);
    l->heading(sample);
    l->paragraph(sample + " " + sample + " " + sample, true);
    std::string path = save(*l, page + ".pdf");
    expectValid(path);
    EXPECT_TRUE(l->fallbacks().empty())
        << page << " " << (l->fallbacks().empty() ? 0 : static_cast<unsigned>(l->fallbacks()[0]));
    std::string t = text(path);
    EXPECT_GE(countOf(t, sample.substr(0, 10)), 2u) << page << t;
    std::string fonts = run("pdffonts '" + path + "'");
    EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << fonts;
    EXPECT_NE(fonts.find("TrueType"), std::string::npos) << fonts;
    EXPECT_EQ(fonts.find("CID"), std::string::npos) << fonts;
  }
  EXPECT_FALSE(toCodePage("Nguyễn", "CP1250").has_value());
  EXPECT_EQ(toCodePage("Łódź", "CP1250").value(), "\xA3\xF3\x64\x9F");
}

TEST(CodePageTest, TablesComeFromIconvAndAnswerEachCharacter) {
  const CodePage* cyrillic = CodePage::find("CP1251");
  ASSERT_NE(cyrillic, nullptr);
  EXPECT_EQ(cyrillic->byteOf(U'\u0416').value_or(0), 0xC6);  // Ж
  EXPECT_EQ(cyrillic->byteOf(U'A').value_or(0), 'A');
  EXPECT_FALSE(cyrillic->byteOf(U'\u00E9').has_value());  // é is not in Windows-1251
  EXPECT_EQ(CodePage::find("CP1251"), cyrillic);          // built once
  // Windows-1252 under libharu's name: the euro sign has a byte, the Polish Ł does not.
  const CodePage* western = CodePage::find("WinAnsiEncoding");
  ASSERT_NE(western, nullptr);
  EXPECT_EQ(western->byteOf(U'\u20AC').value_or(0), 0x80);
  EXPECT_FALSE(western->encode("Łódź").has_value());
  std::vector<char32_t> chars = western->characters();
  EXPECT_TRUE(std::is_sorted(chars.begin(), chars.end()));
  EXPECT_GT(chars.size(), 200u);
  EXPECT_EQ(CodePage::find("no-such-code-page"), nullptr);
}

TEST_F(LayoutTest, CheckboxesSignatureAndLists) {
  auto l = make();
  l->checkbox("I agree the board may see my records", true);
  l->checkbox("Contact me by phone", false);
  l->bulletList({"First item", "Second item"});
  l->signature("Zoë Müller", "Date");
  std::string path = save(*l, "furniture.pdf");
  expectValid(path);
  testing::expectInOrder(text(path), {"I agree the board may see my records", "Contact me by phone",
                                      "Second item", "Zoë Müller"});
}

TEST_F(LayoutTest, SameInputSameBytes) {
  auto build = [&](const std::string& name) {
    auto l = make();
    l->letterhead({"Zoë Müller", "12 Elm St"}, {"Bayview Counseling"});
    l->dateLine("March 2, 2026");
    l->paragraph("Deterministic output makes hashes meaningful.", true);
    l->bookmark("Letter");
    return testing::readFile(save(*l, name));
  };
  std::string a = build("a.pdf");
  std::string b = build("b.pdf");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

// A character the font lacks, and a control character, are written visibly as [U+XXXX] and
// recorded, so the person is told; never dropped, never a silent "?". Windows (CR LF) and old
// Mac (CR) line endings are line breaks.
TEST_F(LayoutTest, MissingGlyphsAreShownNotDropped) {
  auto l = make();
  l->paragraph("Feeling 🙂 about it, with a control\x07 character and שלום and مرحبا.");
  l->paragraph("First line\r\nSecond line\rThird line");
  std::string path = save(*l, "fallback.pdf");
  expectValid(path);
  ASSERT_EQ(l->fallbacks().size(), 2u);
  EXPECT_EQ(l->fallbacks()[0], U'\U0001F642');
  EXPECT_EQ(l->fallbacks()[1], U'\u0007');
  std::string t = text(path);
  EXPECT_NE(t.find("[U+1F642]"), std::string::npos) << t;
  EXPECT_NE(t.find("control[U+0007] character"), std::string::npos) << t;
  EXPECT_NE(t.find("First line\nSecond line\nThird line"), std::string::npos) << t;
  EXPECT_EQ(t.find('?'), std::string::npos) << t;
}

TEST_F(LayoutTest, BuiltinFastPathForWesternText) {
  auto l = make(FontMode::kBuiltin);
  l->paragraph("Zoë Müller-Nuñez — “quoted” text costs 25¢.");
  std::string path = save(*l, "builtin.pdf");
  expectValid(path);
  std::string t = text(path);
  EXPECT_NE(t.find("Zoë Müller-Nuñez — “quoted” text costs 25¢."), std::string::npos) << t;
  std::string fonts = run("pdffonts '" + path + "'");
  EXPECT_NE(fonts.find("Helvetica"), std::string::npos) << fonts;
}

TEST_F(LayoutTest, PageSizeMetadataAndBookmarks) {
  auto l = make(FontMode::kUnicode, PageSize::kA4);
  l->bookmark("Cover letter");
  l->paragraph("First part.");
  l->pageBreak();
  l->bookmark("Timeline");
  l->paragraph("Second part.");
  std::string path = save(*l, "a4.pdf");
  expectValid(path);
  std::string info = run("pdfinfo '" + path + "'");
  EXPECT_NE(info.find("595.276 x 841.89"), std::string::npos) << info;
  EXPECT_NE(info.find("Records request"), std::string::npos) << info;
  EXPECT_NE(info.find("Author:          Zoë Müller"), std::string::npos) << info;
  EXPECT_NE(info.find("2026"), std::string::npos) << info;
  EXPECT_NE(info.find("Pages:           2"), std::string::npos) << info;
  std::string outline = run("qpdf --json --json-key=outlines '" + path + "'");
  EXPECT_NE(outline.find("Cover letter"), std::string::npos) << outline;
  EXPECT_NE(outline.find("Timeline"), std::string::npos) << outline;
}

TEST_F(LayoutTest, ImagesAndBadImages) {
  // A 1x1 red PNG.
  const std::vector<std::uint8_t> png = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
      0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08,
      0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D,
      0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  auto l = make();
  EXPECT_TRUE(l->image(png, ImageType::kPng, 200).isOk());
  std::vector<std::uint8_t> junk(200, 0x42);
  core::Status bad = l->image(junk, ImageType::kJpeg, 200);
  EXPECT_EQ(bad.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "image: not a readable JPEG file");
  // Cut short inside its image data: decoded (and refused) before libharu sees it, which
  // would otherwise abort the process in libpng.
  std::vector<std::uint8_t> cut(png.begin(), png.begin() + 50);
  bad = l->image(cut, ImageType::kPng, 200);
  EXPECT_EQ(bad.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().rfind("image: the PNG is damaged", 0), 0u) << bad.message();
  std::vector<std::uint8_t> not_png(png.begin(), png.begin() + 8);
  not_png.resize(40, 0);
  EXPECT_EQ(l->image(not_png, ImageType::kPng, 200).code(), core::StatusCode::kInvalidArgument);
  l->paragraph("After the images.");
  std::string path = save(*l, "image.pdf");
  expectValid(path);
  std::string images = run("pdfimages -list '" + path + "'");
  EXPECT_EQ(countOf(images, "image"), 2u) << images;  // header line + one image
}

// A 2x2 PNG with a four-colour palette and a transparent entry (tRNS): a valid file that
// libharu's own PNG reader fails on, and then frees memory twice (found by the evidence
// fuzz target). It is placed from its decoded pixels, the transparent one on white.
TEST_F(LayoutTest, APalettePngWithTransparencyIsPlaced) {
  const std::vector<std::uint8_t> png = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
      0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x04, 0x03, 0x00, 0x00, 0x00, 0x80,
      0x98, 0x10, 0x17, 0x00, 0x00, 0x00, 0x06, 0x50, 0x4c, 0x54, 0x45, 0xff, 0x00, 0x00, 0x00,
      0xff, 0x00, 0xd2, 0x87, 0xef, 0x71, 0x00, 0x00, 0x00, 0x01, 0x74, 0x52, 0x4e, 0x53, 0x80,
      0xad, 0x5e, 0x5b, 0x46, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
      0x60, 0x64, 0x60, 0x10, 0x00, 0x00, 0x00, 0x19, 0x00, 0x12, 0x85, 0xf0, 0xdf, 0xad, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  EXPECT_TRUE(checkImage(png, ImageType::kPng).isOk());
  auto l = make();
  ASSERT_TRUE(l->image(png, ImageType::kPng, 200).isOk());
  std::string path = save(*l, "palette.pdf");
  expectValid(path);
  std::string images = run("pdfimages -list '" + path + "'");
  EXPECT_NE(images.find("    2     2  rgb     3   8"), std::string::npos) << images;
}

TEST_F(LayoutTest, ADamagedJpegIsRefusedNotEmbedded) {
  // A real JPEG (poppler renders a page to one), then the same cut short.
  auto l = make();
  l->heading("A page to photograph");
  std::string page = save(*l, "page.pdf");
  run("pdftoppm -jpeg -r 20 -singlefile '" + page + "' '" + tmp_.file("photo") + "'");
  std::string jpeg = testing::readFile(tmp_.file("photo.jpg"));
  ASSERT_GT(jpeg.size(), 600u);
  std::vector<std::uint8_t> whole(jpeg.begin(), jpeg.end());
  std::vector<std::uint8_t> cut(jpeg.begin(), jpeg.begin() + static_cast<long>(jpeg.size() / 2));
  auto l2 = make();
  EXPECT_TRUE(l2->image(whole, ImageType::kJpeg, 200).isOk());
  core::Status bad = l2->image(cut, ImageType::kJpeg, 200);
  EXPECT_EQ(bad.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().rfind("image: the JPEG is damaged", 0), 0u) << bad.message();
  expectValid(save(*l2, "photo.pdf"));
}

TEST_F(LayoutTest, AMegabyteNarrativeIsKeptWhole) {
  auto l = make();
  std::string word = "narrative ";
  std::string big;
  while (big.size() < 1024 * 1024) big += word;
  l->paragraph(big);
  l->paragraph("THE-END-MARKER");
  std::string path = save(*l, "big.pdf");
  expectValid(path);
  std::string t = text(path);
  EXPECT_EQ(countOf(t, "narrative"), big.size() / word.size());
  EXPECT_NE(t.find("THE-END-MARKER"), std::string::npos);
}

// Every font line pdffonts prints (after its two header lines) says the font is embedded.
void expectEveryFontEmbedded(const std::string& path) {
  std::istringstream lines(run("pdffonts '" + path + "'"));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    if (++n <= 2) continue;
    // name, type, encoding, then the emb / sub / uni columns.
    EXPECT_NE(line.find(" yes "), std::string::npos) << "not embedded: " << line;
    EXPECT_EQ(line.find("Helvetica"), std::string::npos) << line;
  }
  EXPECT_GT(n, 2) << "no fonts at all in " << path;
}

TEST_F(LayoutTest, AnExhibitCoverShowsWhatABoardNeedsAndEmbedsItsFont) {
  ExhibitSheet sheet;
  sheet.number = "3";
  sheet.description = "Text messages ending our sessions";
  sheet.date = "2024-03-05";
  sheet.original_name = "messages.pdf";
  sheet.sha256 = std::string(64, 'a');
  DocInfo info{"Exhibit 3", "Sam Lee", "Exhibit",
               core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2))};
  auto doc = renderExhibit(sheet, kit_, info);
  ASSERT_TRUE(doc.isOk()) << doc.status().toString();
  std::string path = tmp_.file("exhibit.pdf");
  testing::writeBytes(path, doc->pdf);
  std::string t = testing::foldedText(path);
  EXPECT_NE(t.find("Text messages ending our sessions"), std::string::npos) << t;
  EXPECT_NE(t.find("messages.pdf"), std::string::npos) << t;
  // The fingerprint, in groups of 16 so that a line break falls between groups.
  const std::string group(16, 'a');
  EXPECT_NE(t.find(group + " " + group), std::string::npos) << t;
  EXPECT_EQ(t.find(group + "a"), std::string::npos) << t;
  // (No technical fields: the sheet has none to show. The packet test checks the covers.)
  expectEveryFontEmbedded(path);
}

TEST_F(LayoutTest, WesternTextIsWrittenWithAnEmbeddedFontToo) {
  // Text that fits Windows-1252 used to get the built-in (not embedded) Helvetica.
  LayoutOptions opt = chooseFont("Sam Lee — “quoted” 25¢", kit_, PageSize::kLetter);
  EXPECT_NE(opt.font_mode, FontMode::kBuiltin);
  opt.running_header = "Test";
  auto l = Layout::create(opt, DocInfo{});
  ASSERT_TRUE(l.isOk()) << l.status().toString();
  (*l)->paragraph("Sam Lee — “quoted” 25¢");
  std::string path = save(**l, "western.pdf");
  expectValid(path);
  EXPECT_NE(text(path).find("Sam Lee — “quoted” 25¢"), std::string::npos) << text(path);
  expectEveryFontEmbedded(path);
}

TEST_F(LayoutTest, MissingFontsGiveAClearError) {
  auto kit = FontKit::load("/nonexistent");
  // The system fonts are still found after the override directory.
  ASSERT_TRUE(kit.isOk());
  LayoutOptions opt;
  opt.fonts = {"/nonexistent/a.ttf", "/nonexistent/b.ttf"};
  opt.coverage = kit->coverage;
  auto l = Layout::create(opt, DocInfo{});
  ASSERT_FALSE(l.isOk());
  EXPECT_NE(l.status().message().find("could not be loaded"), std::string::npos);
}

}  // namespace
}  // namespace recourse::pdf
