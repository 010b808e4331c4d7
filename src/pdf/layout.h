// The layout engine: flowing text, tables, lists and letter furniture onto PDF pages with
// libharu. This folder is the only place that includes hpdf.h.
//
// Text is UTF-8. With FontMode::kUnicode a TrueType family is embedded (subset) and any
// character it has no glyph for is written visibly as "[U+XXXX]" and listed in
// fallbacks() — never dropped. FontMode::kBuiltin uses the standard Helvetica (not
// embedded), for text that fits Windows-1252: much faster. Control characters other than
// newlines become U+FFFD (a replacement mark). Right-to-left scripts are written in
// logical order without shaping (a known limitation).
//
// Bookmark titles and document properties (title, author, subject) are written in the
// PDF's Latin-1 text encoding; characters outside it appear there as "?" — only there.
//
// Same input and DocInfo.created give byte-identical output.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "pdf/fonts.h"

namespace recourse::pdf {

enum class PageSize { kLetter, kA4 };
// kBuiltin: standard Helvetica, Windows-1252 text, nothing embedded (fastest).
// kCodePage: the TrueType family embedded with a single-byte code page (code_page) — much
//   faster than kUnicode for text that fits one (Polish, Czech, Greek, Russian, Turkish, ...).
// kUnicode: the TrueType family embedded as a CID font with UTF-8: any character it has.
enum class FontMode { kBuiltin, kCodePage, kUnicode };
enum class ImageType { kPng, kJpeg };

struct DocInfo {
  std::string title;
  std::string author;
  std::string subject;
  core::Timestamp created{};
};

struct LayoutOptions {
  PageSize page_size = PageSize::kLetter;
  FontMode font_mode = FontMode::kUnicode;
  FontFiles fonts;                           // required for kUnicode
  std::shared_ptr<const Coverage> coverage;  // required for kUnicode and kCodePage
  std::string code_page;                     // required for kCodePage, e.g. "CP1250"
  float margin = 72;                         // points (1 inch)
  float body_size = 10.5F;
  std::string running_header;  // small text at the top of every page
  // "Page X of Y" at the foot of every page. Off for a part of a larger document that
  // numbers its pages across all its parts (the complaint packet).
  bool page_numbers = true;
};

class Layout {
 public:
  // On failure (fonts unreadable, libharu out of memory) returns the Status.
  static core::StatusOr<std::unique_ptr<Layout>> create(const LayoutOptions& options,
                                                        const DocInfo& info);
  ~Layout();
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;

  void heading(const std::string& text, int level = 1);
  // `size`: the type size in points, 0 for the body size.
  void paragraph(const std::string& text, bool justify = false, float size = 0);
  void bulletList(const std::vector<std::string>& items);
  // Two columns: bold labels, wrapped values. Rows with an empty value are left out.
  void keyValueTable(const std::vector<std::pair<std::string, std::string>>& rows);
  // A table with a header row repeated on every page it continues onto. `widths` are
  // fractions of the text width (they should add up to 1). Cells of any length wrap and
  // may continue across pages.
  void table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, const std::vector<float>& widths);
  void checkbox(const std::string& label, bool checked);
  void signature(const std::string& name, const std::string& date_label, float size = 0);
  // Sender (top left) and recipient blocks of a letter.
  void letterhead(const std::vector<std::string>& sender,
                  const std::vector<std::string>& recipient);
  void dateLine(const std::string& text);  // right-aligned
  void spacer(float points);
  void pageBreak();
  // Adds a top-level bookmark pointing at the current position.
  void bookmark(const std::string& title);
  // Places an image scaled to fit the text width and `max_height` (keeping its shape).
  // InvalidArgument when the bytes are not a readable image of that type.
  core::Status image(const std::vector<std::uint8_t>& bytes, ImageType type, float max_height);

  // The height a signature() takes, for keeping the text before it on the same page.
  float signatureHeight(float size = 0) const;
  // Makes sure `points` fit on the current page, else starts a new one.
  void keepTogether(float points);
  // The height `text` takes as a paragraph().
  float paragraphHeight(const std::string& text, float size = 0);

  // Writes "Page X of Y" footers and the running header, and returns the PDF.
  core::StatusOr<std::vector<std::uint8_t>> finish();

  int pageCount() const;
  // Characters that had to be written as [U+XXXX], in order of first appearance.
  const std::vector<char32_t>& fallbacks() const { return fallbacks_; }

 private:
  struct Impl;
  explicit Layout(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::vector<char32_t> fallbacks_;
};

}  // namespace recourse::pdf
