// The streaming combiner: documents made by the layout engine, appended into one file and
// checked as a reader would (qpdf --check, pdfinfo pages, pdftotext order, outline).
#include "pdf/combine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/temp_dir.h"
#include "pdf/document.h"
#include "pdf/layout.h"
#include "pdf_tools.h"

namespace recourse::pdf {
namespace {

using testing::countOf;
using testing::run;

class CombineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kit = FontKit::load();
    ASSERT_TRUE(kit.isOk()) << kit.status().toString();
    kit_ = *kit;
  }

  // A document of `pages` pages whose lines say who it is for and which page.
  std::vector<std::uint8_t> letter(const std::string& who, int pages, FontMode mode) {
    LayoutOptions opt;
    opt.font_mode = mode;
    opt.fonts = kit_.files;
    opt.coverage = kit_.coverage;
    DocInfo info{"Letter", who, "Test",
                 core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2))};
    auto l = Layout::create(opt, info);
    EXPECT_TRUE(l.isOk()) << l.status().toString();
    for (int p = 1; p <= pages; ++p) {
      (*l)->heading("Letter for " + who + " page " + std::to_string(p));
      if (p < pages) (*l)->pageBreak();
    }
    auto bytes = (*l)->finish();
    EXPECT_TRUE(bytes.isOk());
    return *bytes;
  }

  FontKit kit_;
  testing::TempDir tmp_;
};

TEST_F(CombineTest, DocumentsFollowOneAnotherWithTheirTextFontsAndBookmarks) {
  std::string path = tmp_.file("all.pdf");
  auto c = PdfConcatenator::create(path);
  ASSERT_TRUE(c.isOk());
  struct In {
    std::string who;
    int pages;
    FontMode mode;
  };
  std::vector<In> inputs = {{"Zoë Müller", 2, FontMode::kUnicode},
                            {"Sam Lee", 1, FontMode::kBuiltin},
                            {"Nguyễn Thị Minh", 3, FontMode::kUnicode}};
  for (const auto& in : inputs) {
    auto parts = takeApart(letter(in.who, in.pages, in.mode), in.who);
    ASSERT_TRUE(parts.isOk()) << parts.status().toString();
    EXPECT_EQ(parts->pages.size(), static_cast<size_t>(in.pages));
    ASSERT_TRUE((*c)->append(*parts, in.who).isOk());
  }
  EXPECT_EQ((*c)->pages(), 6);
  EXPECT_FALSE(std::filesystem::exists(path));  // only once finished
  ASSERT_TRUE((*c)->finish("Letters in mailing order",
                           core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)))
                  .isOk());
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));

  int rc = -1;
  std::string check = run("qpdf --check '" + path + "'", &rc);
  EXPECT_EQ(rc, 0) << check;
  std::string info = run("pdfinfo '" + path + "'");
  EXPECT_NE(info.find("Pages:           6"), std::string::npos) << info;
  EXPECT_NE(info.find("Letters in mailing order"), std::string::npos) << info;
  std::string text = testing::foldedText(path);
  testing::expectInOrder(text, {"Letter for Zoë Müller page 1", "Letter for Zoë Müller page 2",
                                "Letter for Sam Lee page 1", "Letter for Nguyễn Thị Minh page 1",
                                "Letter for Nguyễn Thị Minh page 3"});
  // Page 3 is Sam Lee's only page; page 4 the first of the third letter.
  EXPECT_NE(run("pdftotext -f 3 -l 3 '" + path + "' -").find("Sam Lee page 1"), std::string::npos);
  EXPECT_NE(run("pdftotext -f 4 -l 4 '" + path + "' -").find("Minh page 1"), std::string::npos);
  // Each document keeps its own fonts (embedded where it embedded them).
  std::string fonts = run("pdffonts '" + path + "'");
  EXPECT_GE(countOf(fonts, "Helvetica"), 1u) << fonts;
  EXPECT_GE(countOf(fonts, "DejaVu"), 2u) << fonts;
  // One bookmark per document, pointing at its first page, titles in any script.
  std::string outline = run("qpdf --json --json-key=outlines '" + path + "'");
  EXPECT_EQ(countOf(outline, "\"title\""), 3u) << outline;
  EXPECT_NE(outline.find("Nguyễn Thị Minh"), std::string::npos) << outline;
  EXPECT_NE(outline.find("\"destpageposfrom1\": 4"), std::string::npos) << outline;
}

TEST_F(CombineTest, IndirectValuesAndDanglingReferencesAreWrittenAsValues) {
  // A page whose rotation is an indirect number and whose resources name an object that
  // does not exist (both legal PDF). qpdf rebuilds the missing cross-reference table.
  std::string src =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Rotate 4 0 R "
      "/Resources << /XObject << /Gone 9 0 R >> >> /Contents 5 0 R >> endobj\n"
      "4 0 obj 90 endobj\n"
      "5 0 obj << /Length 0 >> stream\n\nendstream endobj\n"
      "trailer << /Root 1 0 R >>\n%%EOF\n";
  auto parts =
      takeApart(std::vector<std::uint8_t>(src.begin(), src.end()), "scan.pdf", "Exhibit 7");
  ASSERT_TRUE(parts.isOk()) << parts.status().toString();
  std::string path = tmp_.file("one.pdf");
  auto c = PdfConcatenator::create(path);
  ASSERT_TRUE((*c)->append(*parts, "Exhibit 7").isOk());
  ASSERT_TRUE(
      (*c)->finish("t", core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)))
          .isOk());
  int rc = -1;
  std::string check = run("qpdf --check '" + path + "'", &rc);
  EXPECT_EQ(rc, 0) << check;  // 3 would mean warnings
  // The turned page is shown upright inside a page of its shown size (200 wide, 300 high).
  EXPECT_NE(run("pdfinfo '" + path + "'").find("Page size:       200 x 300 pts"), std::string::npos)
      << run("pdfinfo '" + path + "'");
  EXPECT_NE(run("pdftotext '" + path + "' -").find("Exhibit 7 - page 1 of 1"), std::string::npos);
  // The stamp's font is embedded (pdffonts: name, type, encoding, then emb yes/no).
  std::string fonts = run("pdffonts '" + path + "'");
  EXPECT_NE(fonts.find("DejaVuSans-Bold"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("TrueType          WinAnsi          yes yes"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find("Helvetica"), std::string::npos) << fonts;
  // On the rotated page the stamp reads across the top as the page is shown (pdftotext
  // -bbox reports positions in shown coordinates: near the top, to the right).
  std::string bbox = run("pdftotext -bbox '" + path + "' -");
  size_t word = bbox.find(">Exhibit</word>");
  ASSERT_NE(word, std::string::npos) << bbox;
  size_t tag = bbox.rfind("<word", word);
  double ymin = std::stod(bbox.substr(bbox.find("yMin=\"", tag) + 6));
  EXPECT_LT(ymin, 30) << bbox;  // shown height is 300 (the page turned), top is y = 0
  size_t last = bbox.find(">1</word>", bbox.find(">of</word>", word));
  ASSERT_NE(last, std::string::npos) << bbox;
  size_t last_tag = bbox.rfind("<word", last);
  double xmax = std::stod(bbox.substr(bbox.find("xMax=\"", last_tag) + 6));
  EXPECT_GT(xmax, 165) << bbox;  // ends near the right of a shown width of 200
  EXPECT_LT(xmax, 200) << bbox;
}

// A grey image rendered by pdftoppm -gray (binary PGM).
struct Gray {
  int w = 0, h = 0;
  std::vector<unsigned char> px;
  int at(int x, int y) const {
    if (x < 0 || y < 0 || x >= w || y >= h) return 255;
    return px[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
  }
};
Gray renderGray(const std::string& pdf, int page, double dpi, const std::string& base) {
  char r[32];
  std::snprintf(r, sizeof r, "%.4f", dpi);
  run("pdftoppm -gray -singlefile -f " + std::to_string(page) + " -l " + std::to_string(page) +
      " -r " + r + " '" + pdf + "' '" + base + "'");
  std::ifstream f(base + ".pgm", std::ios::binary);
  std::string magic;
  int max = 0;
  Gray g;
  f >> magic >> g.w >> g.h >> max;
  f.get();
  g.px.resize(static_cast<size_t>(g.w) * static_cast<size_t>(g.h));
  f.read(reinterpret_cast<char*>(g.px.data()), static_cast<std::streamsize>(g.px.size()));
  EXPECT_EQ(magic, "P5");
  return g;
}
// The box (in points, from the top left) pdftotext -bbox gives the first word `word`.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
Box wordBox(const std::string& pdf, const std::string& word) {
  std::string bbox = run("pdftotext -bbox '" + pdf + "' -");
  size_t at = bbox.find(">" + word + "</word>");
  EXPECT_NE(at, std::string::npos) << word << "\n" << bbox;
  Box b;
  if (at == std::string::npos) return b;
  size_t tag = bbox.rfind("<word", at);
  auto num = [&](const std::string& k) {
    return std::stod(bbox.substr(bbox.find(k + "=\"", tag) + k.size() + 2));
  };
  b.x0 = num("xMin");
  b.y0 = num("yMin");
  b.x1 = num("xMax");
  b.y1 = num("yMax");
  return b;
}

TEST_F(CombineTest, AnExhibitStampNeverCoversTheEvidence) {
  // A printed email: its header line runs into the top right corner, where the stamp goes.
  std::string content =
      "BT /F1 10 Tf 440 772 Td (https://mail.google.com 1/1) Tj ET\n"
      "BT /F1 12 Tf 72 700 Td (Subject: our sessions) Tj ET\n";
  std::string src =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
      "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >> endobj\n"
      "4 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
      "5 0 obj << /Length " +
      std::to_string(content.size()) + " >> stream\n" + content +
      "endstream endobj\n"
      "trailer << /Root 1 0 R >>\n%%EOF\n";
  std::string original = tmp_.file("mail.pdf");
  testing::writeBytes(original, std::vector<std::uint8_t>(src.begin(), src.end()));
  auto parts =
      takeApart(std::vector<std::uint8_t>(src.begin(), src.end()), "mail.pdf", "Exhibit 2");
  ASSERT_TRUE(parts.isOk()) << parts.status().toString();
  std::string path = tmp_.file("stamped.pdf");
  auto c = PdfConcatenator::create(path);
  ASSERT_TRUE((*c)->append(*parts, "Exhibit 2").isOk());
  ASSERT_TRUE(
      (*c)->finish("t", core::Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)))
          .isOk());
  int rc = -1;
  std::string check = run("qpdf --check '" + path + "'", &rc);
  EXPECT_EQ(rc, 0) << check;
  std::string text = run("pdftotext '" + path + "' -");
  EXPECT_NE(text.find("https://mail.google.com 1/1"), std::string::npos) << text;
  EXPECT_NE(text.find("Exhibit 2 - page 1 of 1"), std::string::npos) << text;

  // The stamp is outside the original's text.
  Box url = wordBox(path, "https://mail.google.com");
  Box last = wordBox(path, "1/1");
  Box stamp = wordBox(path, "Exhibit");
  Box stamp_end = wordBox(path, "of");
  EXPECT_LT(stamp.y1, std::min(url.y0, last.y0)) << "the stamp is above the original's text";
  EXPECT_GT(stamp_end.x1, last.x0);  // it is in that corner all the same

  // The original's corner looks the same as the original page alone, at the scale the
  // stamped page shows it: render both so the original is the same size in pixels.
  Box src_url = wordBox(original, "https://mail.google.com");
  Box src_last = wordBox(original, "1/1");
  const double scale = (last.x1 - url.x0) / (src_last.x1 - src_url.x0);
  ASSERT_GT(scale, 0.8);
  ASSERT_LE(scale, 1.0);
  const double dpi = 96;
  Gray a = renderGray(original, 1, dpi, tmp_.file("orig"));
  Gray b = renderGray(path, 1, dpi / scale, tmp_.file("stamped"));
  const double k = dpi / 72;
  const int x0 = static_cast<int>(src_url.x0 * k) - 2, y0 = static_cast<int>(src_url.y0 * k) - 2;
  const int x1 = static_cast<int>(src_last.x1 * k) + 2, y1 = static_cast<int>(src_last.y1 * k) + 2;
  const int bx = static_cast<int>(std::lround(url.x0 * k / scale)) - 2;
  const int by = static_cast<int>(std::lround(url.y0 * k / scale)) - 2;
  long ink = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) ink += 255 - a.at(x, y);
  }
  ASSERT_GT(ink, 0);
  double best = 1e9;
  for (int dy = -2; dy <= 2; ++dy) {
    for (int dx = -2; dx <= 2; ++dx) {
      long diff = 0;
      for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
          diff += std::abs(a.at(x, y) - b.at(bx + dx + (x - x0), by + dy + (y - y0)));
        }
      }
      best = std::min(best, static_cast<double>(diff) / static_cast<double>(ink));
    }
  }
  // Anti-aliasing differs a little at another resolution; covered text differs wholly.
  EXPECT_LT(best, 0.35) << "the original's corner differs from the original page";
}

TEST_F(CombineTest, SomethingThatIsNotAPdfIsRefusedByName) {
  std::vector<std::uint8_t> junk = {'n', 'o', 't', ' ', 'a', ' ', 'p', 'd', 'f'};
  auto parts = takeApart(junk, "letters/0007.pdf");
  ASSERT_FALSE(parts.isOk());
  EXPECT_EQ(parts.status().code(), core::StatusCode::kCorruption);
  EXPECT_NE(parts.status().message().find("letters/0007.pdf"), std::string::npos);
}

TEST_F(CombineTest, AnUnfinishedFileIsRemoved) {
  std::string path = tmp_.file("never.pdf");
  {
    auto c = PdfConcatenator::create(path);
    ASSERT_TRUE(c.isOk());
    auto parts = takeApart(letter("A", 1, FontMode::kBuiltin), "a");
    ASSERT_TRUE((*c)->append(*parts, "A").isOk());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

}  // namespace
}  // namespace recourse::pdf
