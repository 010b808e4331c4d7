#include "pdf/layout.h"

#include <hpdf.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "pdf/images.h"

namespace recourse::pdf {

namespace {

constexpr float kLeadingFactor = 1.38F;
constexpr float kSmall = 8.0F;

void onHpdfError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* err = static_cast<HPDF_STATUS*>(user_data);
  if (*err == 0) *err = error_no;
  (void)detail_no;
}

std::string hex(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace

struct Layout::Impl {
  LayoutOptions opt;
  DocInfo info;
  HPDF_STATUS error = 0;
  HPDF_Doc pdf = nullptr;
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
  std::vector<HPDF_Page> pages;
  HPDF_Page page = nullptr;
  float width = 0;
  float height = 0;
  float y = 0;  // baseline cursor, from the bottom
  std::unordered_map<char32_t, float> widths_regular;
  std::unordered_map<char32_t, float> widths_bold;
  std::vector<char32_t>* fallbacks = nullptr;
  bool synthetic_bold = false;
  const CodePage* code_page = nullptr;  // for FontMode::kCodePage

  ~Impl() {
    if (pdf != nullptr) HPDF_Free(pdf);
  }

  bool unicode() const { return opt.font_mode == FontMode::kUnicode; }
  bool embedded() const { return opt.font_mode != FontMode::kBuiltin; }
  float left() const { return opt.margin; }
  float right() const { return width - opt.margin; }
  float textWidth() const { return right() - left(); }
  float top() const { return height - opt.margin; }
  float bottom() const { return opt.margin * 0.75F + 14; }  // room for the footer
  float leading(float size) const { return size * kLeadingFactor; }

  void newPage() {
    page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page,
                      opt.page_size == PageSize::kA4 ? HPDF_PAGE_SIZE_A4 : HPDF_PAGE_SIZE_LETTER,
                      HPDF_PAGE_PORTRAIT);
    width = HPDF_Page_GetWidth(page);
    height = HPDF_Page_GetHeight(page);
    pages.push_back(page);
    y = top();
  }

  // Moves to a new page unless `needed` points fit above the bottom margin.
  void ensure(float needed) {
    if (y - needed < bottom()) newPage();
  }

  // Makes text writable: a Windows or old Mac line ending (CR LF, CR) is a line break;
  // other control characters, and characters the font lacks, become a visible "[U+XXXX]"
  // (recorded in fallbacks, so the person is told), never a silent "?".
  std::string prepare(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    const std::u32string cps = decodeUtf8(text);
    for (size_t i = 0; i < cps.size(); ++i) {
      char32_t cp = cps[i];
      if (cp == '\t') {
        out += "    ";
        continue;
      }
      if (cp == '\r') {
        if (i + 1 < cps.size() && cps[i + 1] == '\n') ++i;
        out.push_back('\n');
        continue;
      }
      if (cp == '\n') {
        out.push_back('\n');
        continue;
      }
      const bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF;
      bool ok = false;
      if (control) {
        ok = false;
      } else if (unicode()) {
        ok = opt.coverage->has(cp);
      } else if (opt.font_mode == FontMode::kCodePage) {
        ok = opt.coverage->has(cp) && code_page != nullptr && code_page->byteOf(cp).has_value();
      } else {
        std::string one;
        appendUtf8(cp, &one);
        ok = fitsWinAnsi(one);
      }
      if (!ok) {
        if (std::find(fallbacks->begin(), fallbacks->end(), cp) == fallbacks->end()) {
          fallbacks->push_back(cp);
        }
        out += "[U+" + hex(cp) + "]";
        continue;
      }
      appendUtf8(cp, &out);
    }
    return out;
  }

  // Bytes for libharu in the current font encoding. Text reaching here went through
  // prepare(), so every character has a byte in the code page.
  std::string encode(const std::string& utf8) const {
    switch (opt.font_mode) {
      case FontMode::kUnicode:
        return utf8;
      case FontMode::kCodePage:
        return code_page != nullptr ? code_page->encode(utf8).value_or("?") : "?";
      case FontMode::kBuiltin:
        break;
    }
    return toWinAnsi(utf8);
  }

  float charWidth(char32_t cp, bool is_bold) {
    auto& cache = is_bold ? widths_bold : widths_regular;
    auto it = cache.find(cp);
    if (it != cache.end()) return it->second;
    std::string one;
    appendUtf8(cp, &one);
    std::string bytes = encode(one);
    HPDF_TextWidth tw = HPDF_Font_TextWidth(is_bold ? bold : regular,
                                            reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                                            static_cast<HPDF_UINT>(bytes.size()));
    float w = static_cast<float>(tw.width) / 1000.0F;
    if (is_bold && synthetic_bold) w += 0.035F;  // the outline adds to each glyph
    cache.emplace(cp, w);
    return w;
  }

  float measure(const std::string& utf8, float size, bool is_bold) {
    float w = 0;
    for (char32_t cp : decodeUtf8(utf8)) w += charWidth(cp, is_bold);
    return w * size;
  }

  void draw(HPDF_Page p, float x, float yy, const std::string& utf8, float size, bool is_bold,
            float gray = 0) {
    if (utf8.empty()) return;
    std::string bytes = encode(utf8);
    HPDF_Page_SetGrayFill(p, gray);
    const bool outline = is_bold && synthetic_bold;
    if (outline) {
      HPDF_Page_SetGrayStroke(p, gray);
      HPDF_Page_SetLineWidth(p, size * 0.035F);
    }
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, is_bold ? bold : regular, size);
    if (outline) HPDF_Page_SetTextRenderingMode(p, HPDF_FILL_THEN_STROKE);
    HPDF_Page_TextOut(p, x, yy, bytes.c_str());
    if (outline) HPDF_Page_SetTextRenderingMode(p, HPDF_FILL);
    HPDF_Page_EndText(p);
  }

  // Splits prepared text into lines no wider than `max` points. Words longer than a line
  // are broken between characters. Newlines force breaks; nothing is dropped.
  std::vector<std::string> wrap(const std::string& text, float max, float size, bool is_bold) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      std::string para =
          text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      wrapParagraph(para, max, size, is_bold, &lines);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    return lines;
  }

  void wrapParagraph(const std::string& para, float max, float size, bool is_bold,
                     std::vector<std::string>* lines) {
    std::u32string cps = decodeUtf8(para);
    std::string line;
    float line_w = 0;
    const float space_w = charWidth(' ', is_bold) * size;
    size_t i = 0;
    if (cps.empty()) {
      lines->push_back("");
      return;
    }
    while (i < cps.size()) {
      // Next word (run of non-spaces) and the spaces before it.
      size_t spaces = 0;
      while (i < cps.size() && cps[i] == ' ') {
        ++spaces;
        ++i;
      }
      std::string word;
      float word_w = 0;
      size_t j = i;
      while (j < cps.size() && cps[j] != ' ') {
        appendUtf8(cps[j], &word);
        word_w += charWidth(cps[j], is_bold) * size;
        ++j;
      }
      float lead = line.empty() ? 0 : static_cast<float>(spaces) * space_w;
      if (!line.empty() && line_w + lead + word_w > max) {
        lines->push_back(line);
        line.clear();
        line_w = 0;
        lead = 0;
      }
      if (line.empty() && word_w > max) {
        // Break a long word between characters.
        for (size_t k = i; k < j; ++k) {
          float cw = charWidth(cps[k], is_bold) * size;
          if (!line.empty() && line_w + cw > max) {
            lines->push_back(line);
            line.clear();
            line_w = 0;
          }
          appendUtf8(cps[k], &line);
          line_w += cw;
        }
      } else {
        if (!line.empty()) line.append(spaces, ' ');
        line += word;
        line_w += lead + word_w;
      }
      i = j;
    }
    if (!line.empty()) lines->push_back(line);
  }

  void drawJustified(const std::string& line, float x, float yy, float max, float size) {
    std::u32string cps = decodeUtf8(line);
    std::vector<std::string> words;
    std::string cur;
    for (char32_t cp : cps) {
      if (cp == ' ') {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      } else {
        appendUtf8(cp, &cur);
      }
    }
    if (!cur.empty()) words.push_back(cur);
    if (words.size() < 2) {
      draw(page, x, yy, line, size, false);
      return;
    }
    float total = 0;
    for (const auto& w : words) total += measure(w, size, false);
    float gap = (max - total) / static_cast<float>(words.size() - 1);
    float pos = x;
    for (const auto& w : words) {
      draw(page, pos, yy, w, size, false);
      pos += measure(w, size, false) + gap;
    }
  }

  void hrule(float yy, float x0, float x1, float width_pts = 0.5F) {
    HPDF_Page_SetLineWidth(page, width_pts);
    HPDF_Page_SetGrayStroke(page, 0.6F);
    HPDF_Page_MoveTo(page, x0, yy);
    HPDF_Page_LineTo(page, x1, yy);
    HPDF_Page_Stroke(page);
  }
};

Layout::Layout(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->fallbacks = &fallbacks_;
}
Layout::~Layout() = default;

core::StatusOr<std::unique_ptr<Layout>> Layout::create(const LayoutOptions& options,
                                                       const DocInfo& info) {
  auto impl = std::make_unique<Impl>();
  impl->opt = options;
  impl->info = info;
  impl->pdf = HPDF_New(onHpdfError, &impl->error);
  if (impl->pdf == nullptr) return core::resourceExhausted("not enough memory to start a PDF");
  HPDF_SetCompressionMode(impl->pdf, HPDF_COMP_ALL);
  if (options.font_mode != FontMode::kBuiltin) {
    if (!options.coverage || options.fonts.regular.empty()) {
      return core::internalError("an embedded-font layout needs its fonts and their coverage");
    }
    const bool cid = options.font_mode == FontMode::kUnicode;
    if (!cid) {
      impl->code_page = CodePage::find(options.code_page);
      if (impl->code_page == nullptr) {
        return core::internalError("the code page " + options.code_page + " is not available");
      }
    }
    if (cid) HPDF_UseUTFEncodings(impl->pdf);
    const char* reg = HPDF_LoadTTFontFromFile(impl->pdf, options.fonts.regular.c_str(), HPDF_TRUE);
    if (reg == nullptr || impl->error != 0) {
      return core::failedPrecondition("the font file " + options.fonts.regular +
                                      " could not be loaded");
    }
    impl->regular = HPDF_GetFont(impl->pdf, reg, cid ? "UTF-8" : options.code_page.c_str());
    impl->bold = impl->regular;
    impl->synthetic_bold = true;
  } else {
    impl->regular = HPDF_GetFont(impl->pdf, "Helvetica", "WinAnsiEncoding");
    impl->bold = HPDF_GetFont(impl->pdf, "Helvetica-Bold", "WinAnsiEncoding");
  }
  if (impl->regular == nullptr || impl->bold == nullptr || impl->error != 0) {
    return core::internalError("the PDF fonts could not be prepared");
  }
  impl->newPage();
  return std::unique_ptr<Layout>(new Layout(std::move(impl)));
}

int Layout::pageCount() const { return static_cast<int>(impl_->pages.size()); }

void Layout::heading(const std::string& text, int level) {
  auto& m = *impl_;
  float size = level <= 1 ? m.opt.body_size + 4 : m.opt.body_size + 1.5F;
  auto lines = m.wrap(m.prepare(text), m.textWidth(), size, true);
  // Keep a heading with at least two lines of what follows.
  m.ensure(m.leading(size) * static_cast<float>(lines.size()) + m.leading(m.opt.body_size) * 2 +
           size * 0.6F);
  m.y -= size * 0.6F;
  for (const auto& line : lines) {
    m.y -= m.leading(size) * 0.85F;
    m.draw(m.page, m.left(), m.y, line, size, true);
  }
  m.y -= size * 0.5F;
}

void Layout::paragraph(const std::string& text, bool justify, float size_pt) {
  auto& m = *impl_;
  const float size = size_pt > 0 ? size_pt : m.opt.body_size;
  auto lines = m.wrap(m.prepare(text), m.textWidth(), size, false);
  for (size_t i = 0; i < lines.size(); ++i) {
    m.ensure(m.leading(size));
    m.y -= m.leading(size);
    bool last = i + 1 == lines.size() || lines[i + 1].empty();
    if (justify && !last) {
      m.drawJustified(lines[i], m.left(), m.y, m.textWidth(), size);
    } else {
      m.draw(m.page, m.left(), m.y, lines[i], size, false);
    }
  }
  m.y -= size * 0.7F;
}

void Layout::bulletList(const std::vector<std::string>& items) {
  auto& m = *impl_;
  const float size = m.opt.body_size;
  const float indent = 16;
  for (const auto& item : items) {
    auto lines = m.wrap(m.prepare(item), m.textWidth() - indent, size, false);
    for (size_t i = 0; i < lines.size(); ++i) {
      m.ensure(m.leading(size));
      m.y -= m.leading(size);
      if (i == 0) m.draw(m.page, m.left() + 4, m.y, m.prepare("\u2022"), size, false);
      m.draw(m.page, m.left() + indent, m.y, lines[i], size, false);
    }
  }
  m.y -= size * 0.7F;
}

void Layout::keyValueTable(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<std::vector<std::string>> body;
  for (const auto& [k, v] : rows) {
    if (!v.empty()) body.push_back({k, v});
  }
  if (body.empty()) return;
  table({}, body, {0.34F, 0.66F});
}

void Layout::table(const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows,
                   const std::vector<float>& widths) {
  auto& m = *impl_;
  const float size = m.opt.body_size - 0.5F;
  const float lead = m.leading(size);
  const float pad = 4;
  const size_t cols = widths.size();
  std::vector<float> xs(cols);
  std::vector<float> ws(cols);
  float x = m.left();
  for (size_t c = 0; c < cols; ++c) {
    xs[c] = x;
    ws[c] = m.textWidth() * widths[c];
    x += ws[c];
  }
  auto cellLines = [&](const std::vector<std::string>& row, bool bold_first_col, bool all_bold) {
    std::vector<std::vector<std::string>> out(cols);
    for (size_t c = 0; c < cols; ++c) {
      std::string text = c < row.size() ? row[c] : "";
      bool b = all_bold || (bold_first_col && c == 0);
      out[c] = m.wrap(m.prepare(text), ws[c] - 2 * pad, size, b);
    }
    return out;
  };
  const bool has_header = !header.empty();
  auto header_lines =
      has_header ? cellLines(header, false, true) : std::vector<std::vector<std::string>>{};
  size_t header_height = 0;
  for (const auto& c : header_lines) header_height = std::max(header_height, c.size());

  auto drawHeader = [&]() {
    if (!has_header) return;
    m.y -= pad;
    for (size_t line = 0; line < header_height; ++line) {
      m.y -= lead;
      for (size_t c = 0; c < cols; ++c) {
        if (line < header_lines[c].size()) {
          m.draw(m.page, xs[c] + pad, m.y, header_lines[c][line], size, true);
        }
      }
    }
    m.y -= pad;
    m.hrule(m.y, m.left(), m.right(), 0.8F);
  };

  m.ensure(lead * static_cast<float>(header_height + 2) + 2 * pad);
  drawHeader();
  for (const auto& row : rows) {
    auto lines = cellLines(row, !has_header, false);
    size_t total = 0;
    for (const auto& c : lines) total = std::max(total, c.size());
    size_t done = 0;
    // Keep short rows whole; long ones continue on the next page under a repeated header.
    if (total <= 6 && m.y - (lead * static_cast<float>(total) + 2 * pad) < m.bottom()) {
      m.newPage();
      drawHeader();
    }
    m.y -= pad;
    while (done < total) {
      if (m.y - lead < m.bottom()) {
        m.newPage();
        drawHeader();
        m.y -= pad;
      }
      m.y -= lead;
      for (size_t c = 0; c < cols; ++c) {
        if (done < lines[c].size()) {
          m.draw(m.page, xs[c] + pad, m.y, lines[c][done], size, !has_header && c == 0);
        }
      }
      ++done;
    }
    m.y -= pad;
    m.hrule(m.y, m.left(), m.right());
  }
  m.y -= size * 0.8F;
}

void Layout::checkbox(const std::string& label, bool checked) {
  auto& m = *impl_;
  const float size = m.opt.body_size;
  auto lines = m.wrap(m.prepare(label), m.textWidth() - 18, size, false);
  m.ensure(m.leading(size) * static_cast<float>(lines.size()));
  m.y -= m.leading(size);
  HPDF_Page_SetLineWidth(m.page, 0.7F);
  HPDF_Page_SetGrayStroke(m.page, 0);
  HPDF_Page_Rectangle(m.page, m.left(), m.y - 1, 9, 9);
  HPDF_Page_Stroke(m.page);
  if (checked) {
    HPDF_Page_MoveTo(m.page, m.left() + 1.5F, m.y + 3.5F);
    HPDF_Page_LineTo(m.page, m.left() + 3.8F, m.y + 0.8F);
    HPDF_Page_LineTo(m.page, m.left() + 7.8F, m.y + 7);
    HPDF_Page_Stroke(m.page);
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      m.ensure(m.leading(size));
      m.y -= m.leading(size);
    }
    m.draw(m.page, m.left() + 16, m.y, lines[i], size, false);
  }
  m.y -= size * 0.4F;
}

float Layout::signatureHeight(float size) const {
  return impl_->leading(size > 0 ? size : impl_->opt.body_size) * 5;
}

void Layout::keepTogether(float points) { impl_->ensure(points); }

float Layout::paragraphHeight(const std::string& text, float size_pt) {
  auto& m = *impl_;
  const float size = size_pt > 0 ? size_pt : m.opt.body_size;
  auto lines = m.wrap(m.prepare(text), m.textWidth(), size, false);
  return m.leading(size) * static_cast<float>(lines.size()) + size * 0.7F;
}

void Layout::signature(const std::string& name, const std::string& date_label, float size_pt) {
  auto& m = *impl_;
  const float size = size_pt > 0 ? size_pt : m.opt.body_size;
  m.ensure(signatureHeight(size));
  m.y -= m.leading(size) * 3;
  HPDF_Page_SetLineWidth(m.page, 0.6F);
  HPDF_Page_SetGrayStroke(m.page, 0);
  HPDF_Page_MoveTo(m.page, m.left(), m.y);
  HPDF_Page_LineTo(m.page, m.left() + 220, m.y);
  HPDF_Page_MoveTo(m.page, m.left() + 260, m.y);
  HPDF_Page_LineTo(m.page, m.left() + 380, m.y);
  HPDF_Page_Stroke(m.page);
  m.y -= m.leading(size);
  m.draw(m.page, m.left(), m.y, m.prepare(name), size, false);
  m.draw(m.page, m.left() + 260, m.y, m.prepare(date_label), size, false);
  m.y -= size;
}

void Layout::letterhead(const std::vector<std::string>& sender,
                        const std::vector<std::string>& recipient) {
  auto& m = *impl_;
  const float size = m.opt.body_size;
  for (size_t i = 0; i < sender.size(); ++i) {
    for (const auto& line : m.wrap(m.prepare(sender[i]), m.textWidth() * 0.6F, size, i == 0)) {
      m.ensure(m.leading(size));
      m.y -= m.leading(size);
      m.draw(m.page, m.left(), m.y, line, size, i == 0);
    }
  }
  m.y -= m.leading(size) * 1.5F;
  for (const auto& r : recipient) {
    for (const auto& line : m.wrap(m.prepare(r), m.textWidth() * 0.6F, size, false)) {
      m.ensure(m.leading(size));
      m.y -= m.leading(size);
      m.draw(m.page, m.left(), m.y, line, size, false);
    }
  }
  m.y -= m.leading(size);
}

void Layout::dateLine(const std::string& text) {
  auto& m = *impl_;
  const float size = m.opt.body_size;
  std::string t = m.prepare(text);
  m.ensure(m.leading(size) * 2);
  m.y -= m.leading(size);
  m.draw(m.page, m.right() - m.measure(t, size, false), m.y, t, size, false);
  m.y -= m.leading(size);
}

void Layout::spacer(float points) { impl_->y -= points; }

void Layout::pageBreak() { impl_->newPage(); }

void Layout::bookmark(const std::string& title) {
  auto& m = *impl_;
  std::string ascii;
  for (char32_t cp : decodeUtf8(title)) {
    std::string one;
    appendUtf8(cp >= 0x20 ? cp : U' ', &one);
    ascii += fitsWinAnsi(one) ? toWinAnsi(one) : "?";
  }
  HPDF_Outline outline =
      HPDF_CreateOutline(m.pdf, nullptr, ascii.c_str(), HPDF_GetEncoder(m.pdf, "WinAnsiEncoding"));
  HPDF_Destination dst = HPDF_Page_CreateDestination(m.page);
  HPDF_Destination_SetXYZ(dst, 0, std::min(m.y + 30, m.height), 1);
  HPDF_Outline_SetDestination(outline, dst);
  HPDF_SetPageMode(m.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

core::Status Layout::image(const std::vector<std::uint8_t>& bytes, ImageType type,
                           float max_height) {
  auto& m = *impl_;
  HPDF_STATUS before = m.error;
  HPDF_Image img = nullptr;
  if (type == ImageType::kPng) {
    // Decoded here and given to libharu as pixels (see decodePngRgb).
    RECOURSE_ASSIGN_OR_RETURN(RgbImage rgb, decodePngRgb(bytes));
    img = HPDF_LoadRawImageFromMem(m.pdf, rgb.pixels.data(), rgb.width, rgb.height,
                                   HPDF_CS_DEVICE_RGB, 8);
  } else {
    RECOURSE_RETURN_IF_ERROR(decodeJpeg(bytes));
    img = HPDF_LoadJpegImageFromMem(m.pdf, bytes.data(), static_cast<HPDF_UINT>(bytes.size()));
  }
  if (img == nullptr || m.error != before) {
    m.error = before;
    HPDF_ResetError(m.pdf);
    return core::invalidArgument(std::string("image: not a readable ") +
                                 (type == ImageType::kPng ? "PNG" : "JPEG") + " file");
  }
  float w = static_cast<float>(HPDF_Image_GetWidth(img));
  float h = static_cast<float>(HPDF_Image_GetHeight(img));
  float avail_h = std::min(max_height, m.top() - m.bottom());
  float scale = std::min({1.0F, m.textWidth() / w, avail_h / h});
  w *= scale;
  h *= scale;
  m.ensure(h + 6);
  m.y -= h + 6;
  HPDF_Page_DrawImage(m.page, img, m.left(), m.y, w, h);
  m.y -= 6;
  return core::Status::ok();
}

core::StatusOr<std::vector<std::uint8_t>> Layout::finish() {
  auto& m = *impl_;
  const int total = static_cast<int>(m.pages.size());
  for (int i = 0; i < total; ++i) {
    HPDF_Page p = m.pages[static_cast<size_t>(i)];
    if (m.opt.page_numbers) {
      std::string footer = "Page " + std::to_string(i + 1) + " of " + std::to_string(total);
      float fw = m.measure(footer, kSmall, false);
      m.draw(p, (m.width - fw) / 2, m.opt.margin * 0.5F, footer, kSmall, false, 0.35F);
    }
    if (!m.opt.running_header.empty()) {
      std::string h = m.prepare(m.opt.running_header);
      m.draw(p, m.left(), m.height - m.opt.margin * 0.55F, h, kSmall, false, 0.35F);
    }
  }
  // Document properties are written in PDFDocEncoding: characters outside it show as "?"
  // there (only there; the pages keep every character).
  auto latin = [](const std::string& s) {
    std::string out;
    for (char32_t cp : decodeUtf8(s)) {
      std::string one;
      appendUtf8(cp >= 0x20 ? cp : U' ', &one);
      out += fitsWinAnsi(one) ? toWinAnsi(one) : "?";
    }
    return out;
  };
  HPDF_SetInfoAttr(m.pdf, HPDF_INFO_TITLE, latin(m.info.title).c_str());
  HPDF_SetInfoAttr(m.pdf, HPDF_INFO_AUTHOR, latin(m.info.author).c_str());
  HPDF_SetInfoAttr(m.pdf, HPDF_INFO_SUBJECT, latin(m.info.subject).c_str());
  HPDF_SetInfoAttr(m.pdf, HPDF_INFO_CREATOR, "Recourse");
  auto days = std::chrono::floor<std::chrono::days>(m.info.created);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss<std::chrono::seconds> hms(m.info.created - days);
  HPDF_Date date{};
  date.year = static_cast<int>(ymd.year());
  date.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  date.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  date.hour = static_cast<int>(hms.hours().count());
  date.minutes = static_cast<int>(hms.minutes().count());
  date.seconds = static_cast<int>(hms.seconds().count());
  date.ind = 'Z';
  HPDF_SetInfoDateAttr(m.pdf, HPDF_INFO_CREATION_DATE, date);
  HPDF_SetInfoDateAttr(m.pdf, HPDF_INFO_MOD_DATE, date);
  if (HPDF_SaveToStream(m.pdf) != HPDF_OK || m.error != 0) {
    char code[16];
    std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(m.error));
    return core::internalError(std::string("the PDF could not be written (libharu error ") + code +
                               ")");
  }
  HPDF_UINT32 size = HPDF_GetStreamSize(m.pdf);
  std::vector<std::uint8_t> out(size);
  HPDF_UINT32 len = size;
  HPDF_ResetStream(m.pdf);
  HPDF_ReadFromStream(m.pdf, out.data(), &len);
  if (len != size) {
    return core::internalError("the PDF could not be read back from memory");
  }
  out.resize(len);
  return out;
}

}  // namespace recourse::pdf
