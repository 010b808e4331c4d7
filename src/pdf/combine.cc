#include "pdf/combine.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFMatrix.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include "pdf/fonts.h"

namespace recourse::pdf {
namespace {

constexpr long long kCatalog = 1;
constexpr long long kPagesRoot = 2;

// Serializes `h` into `out`, writing indirect references as "\x01<index>\x02" and queueing
// objects not seen before.
class PartsBuilder {
 public:
  explicit PartsBuilder(PdfParts* parts) : parts_(parts) {}

  size_t indexOf(const QPDFObjectHandle& h) {
    QPDFObjGen og = h.getObjGen();
    auto it = index_.find(og);
    if (it != index_.end()) return it->second;
    size_t i = parts_->objects.size();
    parts_->objects.emplace_back();
    index_.emplace(og, i);
    queue_.push_back({h, i});
    return i;
  }

  // Writes every queued object (and what it refers to). `pages` are written without their
  // /Parent (the combined file has its own page tree).
  void drain() {
    while (!queue_.empty()) {
      auto [h, i] = queue_.front();
      queue_.pop_front();
      std::string text;
      bool is_page = h.isPageObject();
      if (h.isStream()) {
        QPDFObjectHandle dict = h.getDict();
        auto data = h.getRawStreamData();
        std::string stream(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
        text = "<<";
        for (const auto& k : dict.getKeys()) {
          if (k == "/Length") continue;
          text += ' ' + QPDFObjectHandle::newName(k).unparse() + ' ';
          value(dict.getKey(k), &text);
        }
        text += " /Length " + std::to_string(stream.size()) + " >>";
        parts_->objects[i].is_stream = true;
        parts_->objects[i].stream = std::move(stream);
      } else if (h.isDictionary()) {
        text = "<<";
        for (const auto& k : h.getKeys()) {
          if (is_page && k == "/Parent") continue;
          text += ' ' + QPDFObjectHandle::newName(k).unparse() + ' ';
          value(h.getKey(k), &text);
        }
        text += " >>";
      } else {
        direct(h, &text);
      }
      parts_->objects[i].text = std::move(text);
    }
  }

 private:
  void value(QPDFObjectHandle h, std::string* out) {
    if (h.isIndirect() && (h.isDictionary() || h.isArray() || h.isStream())) {
      *out += '\x01' + std::to_string(indexOf(h)) + '\x02';
      return;
    }
    direct(h, out);
  }
  void direct(QPDFObjectHandle h, std::string* out) {
    if (h.isArray()) {
      *out += '[';
      int n = h.getArrayNItems();
      for (int k = 0; k < n; ++k) {
        *out += ' ';
        value(h.getArrayItem(k), out);
      }
      *out += " ]";
    } else if (h.isDictionary()) {
      *out += "<<";
      for (const auto& k : h.getKeys()) {
        *out += ' ' + QPDFObjectHandle::newName(k).unparse() + ' ';
        value(h.getKey(k), out);
      }
      *out += " >>";
    } else {
      // An indirect number, name or string is written as its value; a reference to an
      // object that does not exist reads as null.
      *out += h.isNull() ? std::string("null") : h.unparseResolved();
    }
  }

  PdfParts* parts_;
  std::map<QPDFObjGen, size_t> index_;
  std::deque<std::pair<QPDFObjectHandle, size_t>> queue_;
};

// A PDF date string, "D:YYYYMMDDHHMMSSZ" (UTC).
std::string pdfDate(const core::Timestamp& t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss<std::chrono::seconds> hms(
      std::chrono::duration_cast<std::chrono::seconds>(t - days));
  char buf[96];
  std::snprintf(buf, sizeof buf, "D:%04d%02u%02u%02ld%02ld%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

// UTF-8 → a PDF text string in UTF-16BE with a byte-order mark, as hex.
std::string pdfTextString(const std::string& utf8) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "<FEFF";
  auto unit = [&](unsigned u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 0xF];
  };
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    char32_t cp = 0xFFFD;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len <= utf8.size()) {
      if (len == 1) {
        cp = c < 0x80 ? c : 0xFFFD;
      } else {
        cp = c & (0x7F >> len);
        for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
      }
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + static_cast<unsigned>(cp >> 10));
      unit(0xDC00 + static_cast<unsigned>(cp & 0x3FF));
    } else {
      unit(static_cast<unsigned>(cp));
    }
  }
  return out + ">";
}

}  // namespace

namespace {

// A PDF literal string of Latin-1 text.
std::string literal(const std::string& text) {
  std::string out = "(";
  for (char c : text) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

// The stamp's font, embedded (archives and e-filing portals refuse pages with fonts they
// must guess): the label font's TrueType program, Windows-1252 encoded. One per document,
// shared by its pages.
QPDFObjectHandle stampFont(QPDF& q, const LabelFont& lf) {
  QPDFObjectHandle program = QPDFObjectHandle::newStream(
      &q, std::string(reinterpret_cast<const char*>(lf.ttf.data()), lf.ttf.size()));
  program.getDict().replaceKey("/Length1",
                               QPDFObjectHandle::newInteger(static_cast<long long>(lf.ttf.size())));
  // A subset's name carries a six-letter tag.
  const std::string name = "/RCSTMP+" + lf.base_name;
  QPDFObjectHandle bbox = QPDFObjectHandle::newArray();
  for (int v : lf.bbox) bbox.appendItem(QPDFObjectHandle::newInteger(v));
  QPDFObjectHandle desc = QPDFObjectHandle::newDictionary();
  desc.replaceKey("/Type", QPDFObjectHandle::newName("/FontDescriptor"));
  desc.replaceKey("/FontName", QPDFObjectHandle::newName(name));
  desc.replaceKey("/Flags", QPDFObjectHandle::newInteger(32));  // non-symbolic
  desc.replaceKey("/FontBBox", bbox);
  desc.replaceKey("/ItalicAngle", QPDFObjectHandle::newInteger(0));
  desc.replaceKey("/Ascent", QPDFObjectHandle::newInteger(lf.ascent));
  desc.replaceKey("/Descent", QPDFObjectHandle::newInteger(lf.descent));
  desc.replaceKey("/CapHeight", QPDFObjectHandle::newInteger(lf.cap_height));
  desc.replaceKey("/StemV", QPDFObjectHandle::newInteger(120));
  desc.replaceKey("/FontFile2", program);
  QPDFObjectHandle widths = QPDFObjectHandle::newArray();
  for (int w : lf.widths) widths.appendItem(QPDFObjectHandle::newInteger(w));
  QPDFObjectHandle font = QPDFObjectHandle::newDictionary();
  font.replaceKey("/Type", QPDFObjectHandle::newName("/Font"));
  font.replaceKey("/Subtype", QPDFObjectHandle::newName("/TrueType"));
  font.replaceKey("/BaseFont", QPDFObjectHandle::newName(name));
  font.replaceKey("/FirstChar", QPDFObjectHandle::newInteger(0x20));
  font.replaceKey("/LastChar", QPDFObjectHandle::newInteger(0x7E));
  font.replaceKey("/Widths", widths);
  font.replaceKey("/Encoding", QPDFObjectHandle::newName("/WinAnsiEncoding"));
  font.replaceKey("/FontDescriptor", q.makeIndirectObject(desc));
  return q.makeIndirectObject(font);
}

// The width of `text` (printable ASCII) in the label font at `size` points.
double textWidth(const std::string& text, double size, const LabelFont& lf) {
  double em = 0;
  for (unsigned char ch : text) {
    if (ch >= 0x20 && ch <= 0x7E) em += lf.widths[ch - 0x20] / 1000.0;
  }
  return em * size;
}

// Adds the packet's own font (the embedded label font, made once per document) to a page's
// resources, under the names the stamp and the page numbers use.
void addMarkFonts(QPDFObjectHandle page, const QPDFObjectHandle& font) {
  QPDFObjectHandle resources = page.getKey("/Resources");
  if (!resources.isDictionary()) {
    resources = QPDFObjectHandle::newDictionary();
    page.replaceKey("/Resources", resources);
  }
  QPDFObjectHandle fonts = resources.getKey("/Font");
  if (!fonts.isDictionary()) {
    fonts = QPDFObjectHandle::newDictionary();
    resources.replaceKey("/Font", fonts);
  }
  fonts.replaceKey("/RecourseStamp", font);
  fonts.replaceKey("/RecourseMark", font);
}

// The page's size as it is shown (its crop box, turned by /Rotate).
QPDFObjectHandle::Rectangle shownBox(QPDFObjectHandle page, double* shown_w, double* shown_h) {
  QPDFObjectHandle::Rectangle r(0, 0, 612, 792);
  QPDFObjectHandle box = page.getKey("/CropBox");
  if (!box.isRectangle()) box = page.getKey("/MediaBox");
  if (box.isRectangle()) r = box.getArrayAsRectangle();
  long rotate = 0;
  QPDFObjectHandle rot = page.getKey("/Rotate");
  if (rot.isInteger()) rotate = ((rot.getIntValue() % 360) + 360) % 360;
  *shown_w = std::abs(r.urx - r.llx);
  *shown_h = std::abs(r.ury - r.lly);
  if (rotate == 90 || rotate == 270) std::swap(*shown_w, *shown_h);
  return r;
}

// Content drawing the footer ("Page N of M", centred) and the running number (bottom
// right) on a page `w` wide, in the page's default coordinates.
std::string footerContent(const PageMarks& marks, long number, double w, const LabelFont& lf) {
  std::string out;
  char buf[256];
  if (marks.total > 0) {
    const std::string text =
        "Page " + std::to_string(number) + " of " + std::to_string(marks.total);
    std::snprintf(buf, sizeof buf, "BT 0.35 g /RecourseMark 8 Tf %.2f 24 Td ",
                  (w - textWidth(text, 8, lf)) / 2);
    out += std::string(buf) + literal(text) + " Tj ET\n";
  }
  if (marks.running_number) {
    char label[32];
    std::snprintf(label, sizeof label, "%06ld", number);
    std::snprintf(buf, sizeof buf, "BT 0 g /RecourseStamp 9 Tf %.2f 24 Td ",
                  w - 36 - textWidth(label, 9, lf));
    out += std::string(buf) + literal(label) + " Tj ET\n";
  }
  return out;
}

// Adds the packet's page number (and running number) to a page made by Recourse, drawn
// last and with the page's own graphics state restored first.
void markPage(QPDF& q, QPDFObjectHandle page, const PageMarks& marks, long number,
              const QPDFObjectHandle& font, const LabelFont& lf) {
  std::string footer = footerContent(marks, number, 0, lf);
  if (footer.empty()) return;
  double w = 0, h = 0;
  QPDFObjectHandle::Rectangle box = shownBox(page, &w, &h);
  // Pages made by Recourse are never turned; the footer is placed in their own space.
  footer = "Q q 1 0 0 1 " + std::to_string(box.llx) + " " + std::to_string(box.lly) + " cm\n" +
           footerContent(marks, number, w, lf) + "Q\n";
  addMarkFonts(page, font);
  QPDFPageObjectHelper helper(page);
  helper.addPageContents(QPDFObjectHandle::newStream(&q, "q\n"), true);
  helper.addPageContents(QPDFObjectHandle::newStream(&q, footer), false);
}

// A new page, the size of `page` as shown, holding the original page whole (as a form
// XObject, shrunk to fit) between a band at the top for the exhibit stamp and a band at the
// bottom for the page number. Nothing is drawn over the original: the stamp never covers
// evidence.
QPDFObjectHandle bandedPage(QPDF& q, QPDFObjectHandle page, const std::string& stamp,
                            const PageMarks& marks, long number, const QPDFObjectHandle& font,
                            const LabelFont& lf) {
  double w = 0, h = 0;
  shownBox(page, &w, &h);
  constexpr double kTop = 40, kBottom = 40, kSide = 18;
  QPDFPageObjectHelper original(page);
  QPDFObjectHandle fo = original.getFormXObjectForPage(true);
  QPDFObjectHandle np = QPDFObjectHandle::newDictionary();
  np.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
  np.replaceKey("/MediaBox", QPDFObjectHandle::newFromRectangle({0, 0, w, h}));
  QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
  xobjects.replaceKey("/RecourseOriginal", fo);
  QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
  resources.replaceKey("/XObject", xobjects);
  np.replaceKey("/Resources", resources);
  np = q.makeIndirectObject(np);
  addMarkFonts(np, font);
  QPDFPageObjectHelper helper(np);
  const QPDFObjectHandle::Rectangle area(kSide, kBottom, w - kSide, h - kTop);
  std::string content = "q\n" + helper.placeFormXObject(fo, "/RecourseOriginal", area) + "\nQ\n";
  // A hairline frame shows where the original page's edge is.
  QPDFMatrix cm = helper.getMatrixForFormXObjectPlacement(fo, area);
  QPDFObjectHandle bbox = fo.getDict().getKey("/BBox");
  double right = w - kSide;  // the stamp ends where the original page does
  if (bbox.isRectangle()) {
    QPDFObjectHandle::Rectangle b = bbox.getArrayAsRectangle();
    QPDFObjectHandle matrix = fo.getDict().getKey("/Matrix");
    QPDFMatrix m;
    if (matrix.isMatrix()) m = QPDFMatrix(matrix.getArrayAsMatrix());
    QPDFMatrix all = cm;
    all.concat(m);
    QPDFObjectHandle::Rectangle shown = all.transformRectangle(b);
    char frame[160];
    std::snprintf(frame, sizeof frame, "q 0.6 G 0.5 w %.2f %.2f %.2f %.2f re S Q\n", shown.llx,
                  shown.lly, shown.urx - shown.llx, shown.ury - shown.lly);
    content += frame;
    right = shown.urx;
  }
  if (!stamp.empty()) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "BT 0 g /RecourseStamp 9 Tf %.2f %.2f Td ",
                  std::max(kSide, right - textWidth(stamp, 9, lf)), h - 26);
    content += std::string(buf) + literal(stamp) + " Tj ET\n";
  }
  content += footerContent(marks, number, w, lf);
  np.replaceKey("/Contents", QPDFObjectHandle::newStream(&q, content));
  return np;
}

}  // namespace

core::StatusOr<int> pdfPageCount(const std::string& path) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processFile(path.c_str());
    int n = static_cast<int>(q.getAllPages().size());
    if (n == 0) return core::corruption(path + ": the PDF has no pages");
    return n;
  } catch (const std::exception& e) {
    return core::corruption(path + ": not a readable PDF (" + std::string(e.what()) + ")");
  }
}

core::StatusOr<int> pdfPageCount(const std::vector<std::uint8_t>& pdf, const std::string& what) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile(what.c_str(), reinterpret_cast<const char*>(pdf.data()), pdf.size());
    int n = static_cast<int>(q.getAllPages().size());
    if (n == 0) return core::corruption(what + ": the PDF has no pages");
    return n;
  } catch (const std::exception& e) {
    return core::corruption(what + ": not a readable PDF (" + std::string(e.what()) + ")");
  }
}

core::StatusOr<PdfParts> takeApart(const std::vector<std::uint8_t>& pdf, const std::string& what,
                                   const std::string& stamp) {
  PageMarks marks;
  marks.stamp = stamp;
  return takeApart(pdf, what, marks);
}

core::StatusOr<PdfParts> takeApart(const std::vector<std::uint8_t>& pdf, const std::string& what,
                                   const PageMarks& marks) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile(what.c_str(), reinterpret_cast<const char*>(pdf.data()), pdf.size());
    q.pushInheritedAttributesToPage();
    PdfParts parts;
    PartsBuilder b(&parts);
    auto pages = q.getAllPages();
    std::vector<QPDFObjectHandle> shown = pages;
    const bool marked = !marks.stamp.empty() || marks.first > 0;
    const LabelFont* lf = marked ? labelFont() : nullptr;
    if (marked && lf == nullptr) {
      return core::failedPrecondition(
          "no font was found to stamp exhibits with; install the Debian package "
          "fonts-dejavu-core");
    }
    QPDFObjectHandle font = lf != nullptr ? stampFont(q, *lf) : QPDFObjectHandle::newNull();
    for (size_t i = 0; i < pages.size() && marked; ++i) {
      const long number = marks.first + static_cast<long>(i);
      if (!marks.stamp.empty()) {
        shown[i] = bandedPage(q, pages[i],
                              marks.stamp + " - page " + std::to_string(i + 1) + " of " +
                                  std::to_string(pages.size()),
                              marks, number, font, *lf);
      } else {
        markPage(q, pages[i], marks, number, font, *lf);
      }
    }
    for (auto& page : shown) parts.pages.push_back(b.indexOf(page));
    std::map<QPDFObjGen, size_t> page_number;
    for (size_t i = 0; i < pages.size(); ++i) page_number[pages[i].getObjGen()] = i;
    for (auto& o : QPDFOutlineDocumentHelper(q).getTopLevelOutlines()) {
      QPDFObjectHandle dest = o.getDestPage();
      auto it = dest.isNull() ? page_number.end() : page_number.find(dest.getObjGen());
      if (it != page_number.end()) parts.bookmarks.emplace_back(o.getTitle(), it->second);
    }
    b.drain();
    if (parts.pages.empty()) return core::corruption(what + ": the document has no pages");
    return parts;
  } catch (const std::exception& e) {
    return core::corruption(what + ": not a readable PDF (" + std::string(e.what()) + ")");
  }
}

core::StatusOr<std::unique_ptr<PdfConcatenator>> PdfConcatenator::create(const std::string& path) {
  std::string tmp = path + ".partial";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return core::ioError(path + ": cannot write: " + std::strerror(errno));
  std::unique_ptr<PdfConcatenator> c(new PdfConcatenator(f, path));
  RECOURSE_RETURN_IF_ERROR(c->write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"));
  return c;
}

core::StatusOr<std::unique_ptr<PdfConcatenator>> PdfConcatenator::createInMemory(
    std::vector<std::uint8_t>* out) {
  std::unique_ptr<PdfConcatenator> c(new PdfConcatenator(nullptr, "the PDF"));
  c->f_ = open_memstream(&c->mem_, &c->mem_size_);
  if (c->f_ == nullptr) return core::resourceExhausted("no memory for the PDF");
  c->mem_out_ = out;
  RECOURSE_RETURN_IF_ERROR(c->write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"));
  return c;
}

PdfConcatenator::PdfConcatenator(std::FILE* f, std::string path)
    : f_(f), path_(std::move(path)), offsets_(2, 0) {}

PdfConcatenator::~PdfConcatenator() {
  if (f_ != nullptr) std::fclose(f_);
  if (mem_out_ != nullptr) {
    std::free(mem_);
    return;
  }
  if (!finished_) {
    std::error_code ec;
    std::filesystem::remove(path_ + ".partial", ec);
  }
}

core::Status PdfConcatenator::write(const std::string& s) {
  if (failed_) return core::ioError(path_ + ": writing failed (is the disk full?)");
  if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
    failed_ = true;
    return core::ioError(path_ + ": writing failed: " + std::strerror(errno));
  }
  offset_ += static_cast<long long>(s.size());
  return core::Status::ok();
}

long long PdfConcatenator::newObject() {
  offsets_.push_back(offset_);
  return static_cast<long long>(offsets_.size());
}

core::Status PdfConcatenator::append(const PdfParts& parts, const std::string& label) {
  if (finished_) return core::failedPrecondition("the combined PDF is already finished");
  const long long base = static_cast<long long>(offsets_.size()) + 1;  // object of index 0
  std::vector<bool> is_page(parts.objects.size(), false);
  for (size_t p : parts.pages) is_page[p] = true;
  std::string chunk;
  for (size_t i = 0; i < parts.objects.size(); ++i) {
    const auto& o = parts.objects[i];
    long long num = newObject();
    chunk = std::to_string(num) + " 0 obj\n";
    const std::string& t = o.text;
    size_t end = t.size();
    if (is_page[i]) end = t.rfind(">>");
    for (size_t k = 0; k < end; ++k) {
      if (t[k] != '\x01') {
        chunk += t[k];
        continue;
      }
      size_t close = t.find('\x02', k);
      chunk += std::to_string(base + std::stoll(t.substr(k + 1, close - k - 1))) + " 0 R";
      k = close;
    }
    if (is_page[i]) chunk += "/Parent " + std::to_string(kPagesRoot) + " 0 R >>";
    if (o.is_stream) {
      chunk += "\nstream\n";
      RECOURSE_RETURN_IF_ERROR(write(chunk));
      RECOURSE_RETURN_IF_ERROR(write(o.stream));
      chunk = "\nendstream";
    }
    chunk += "\nendobj\n";
    RECOURSE_RETURN_IF_ERROR(write(chunk));
  }
  for (size_t p : parts.pages) page_objs_.push_back(base + static_cast<long long>(p));
  if (!label.empty()) {
    Mark m{base + static_cast<long long>(parts.pages.front()), label, {}};
    for (const auto& [title, page] : parts.bookmarks) {
      m.children.emplace_back(title, base + static_cast<long long>(parts.pages[page]));
    }
    marks_.push_back(std::move(m));
  }
  return core::Status::ok();
}

core::Status PdfConcatenator::finish(const std::string& title, const core::Timestamp& when) {
  if (finished_) return core::failedPrecondition("the combined PDF is already finished");
  auto ref = [](long long n) { return std::to_string(n) + " 0 R"; };
  // Bookmarks: one per document, in order, each with the document's own beneath it.
  // Object numbers are laid out first: the root, then each item followed by its children.
  long long outlines = 0;
  if (!marks_.empty()) {
    outlines = static_cast<long long>(offsets_.size()) + 1;
    std::vector<long long> item(marks_.size());
    long long next = outlines + 1;
    for (size_t i = 0; i < marks_.size(); ++i) {
      item[i] = next;
      next += 1 + static_cast<long long>(marks_[i].children.size());
    }
    long long total = next - outlines - 1;
    RECOURSE_RETURN_IF_ERROR(write(
        std::to_string(newObject()) + " 0 obj\n<< /Type /Outlines /First " + ref(item.front()) +
        " /Last " + ref(item.back()) + " /Count " + std::to_string(total) + " >>\nendobj\n"));
    for (size_t i = 0; i < marks_.size(); ++i) {
      const Mark& m = marks_[i];
      long long n = newObject();
      std::string o = std::to_string(n) + " 0 obj\n<< /Title " + pdfTextString(m.label) +
                      " /Parent " + ref(outlines) + " /Dest [" + ref(m.page_obj) + " /Fit]";
      if (i > 0) o += " /Prev " + ref(item[i - 1]);
      if (i + 1 < marks_.size()) o += " /Next " + ref(item[i + 1]);
      if (!m.children.empty()) {
        o += " /First " + ref(n + 1) + " /Last " +
             ref(n + static_cast<long long>(m.children.size())) + " /Count " +
             std::to_string(m.children.size());
      }
      RECOURSE_RETURN_IF_ERROR(write(o + " >>\nendobj\n"));
      for (size_t c = 0; c < m.children.size(); ++c) {
        long long cn = newObject();
        std::string co = std::to_string(cn) + " 0 obj\n<< /Title " +
                         pdfTextString(m.children[c].first) + " /Parent " + ref(n) + " /Dest [" +
                         ref(m.children[c].second) + " /Fit]";
        if (c > 0) co += " /Prev " + ref(cn - 1);
        if (c + 1 < m.children.size()) co += " /Next " + ref(cn + 1);
        RECOURSE_RETURN_IF_ERROR(write(co + " >>\nendobj\n"));
      }
    }
  }
  long long info = newObject();
  RECOURSE_RETURN_IF_ERROR(write(std::to_string(info) + " 0 obj\n<< /Title " +
                                 pdfTextString(title) + " /Producer (Recourse) /CreationDate (" +
                                 pdfDate(when) + ") >>\nendobj\n"));
  offsets_[kPagesRoot - 1] = offset_;
  std::string kids = std::to_string(kPagesRoot) + " 0 obj\n<< /Type /Pages /Count " +
                     std::to_string(page_objs_.size()) + " /Kids [";
  for (size_t i = 0; i < page_objs_.size(); ++i) {
    kids += (i % 10 == 0 ? "\n" : " ") + ref(page_objs_[i]);
  }
  RECOURSE_RETURN_IF_ERROR(write(kids + " ] >>\nendobj\n"));
  offsets_[kCatalog - 1] = offset_;
  std::string catalog =
      std::to_string(kCatalog) + " 0 obj\n<< /Type /Catalog /Pages " + ref(kPagesRoot);
  if (outlines != 0) catalog += " /Outlines " + ref(outlines) + " /PageMode /UseOutlines";
  RECOURSE_RETURN_IF_ERROR(write(catalog + " >>\nendobj\n"));
  long long xref = offset_;
  std::string table = "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
  char line[32];
  for (long long off : offsets_) {
    std::snprintf(line, sizeof line, "%010lld 00000 n \n", off);
    table += line;
    if (table.size() > (1 << 16)) {
      RECOURSE_RETURN_IF_ERROR(write(table));
      table.clear();
    }
  }
  table += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + ref(kCatalog) +
           " /Info " + ref(info) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  RECOURSE_RETURN_IF_ERROR(write(table));
  if (std::fflush(f_) != 0 || std::fclose(f_) != 0) {
    f_ = nullptr;
    return core::ioError(path_ + ": writing failed: " + std::strerror(errno));
  }
  f_ = nullptr;
  if (mem_out_ != nullptr) {
    mem_out_->assign(reinterpret_cast<const std::uint8_t*>(mem_),
                     reinterpret_cast<const std::uint8_t*>(mem_) + mem_size_);
    finished_ = true;
    return core::Status::ok();
  }
  std::error_code ec;
  std::filesystem::rename(path_ + ".partial", path_, ec);
  if (ec) return core::ioError(path_ + ": cannot create: " + ec.message());
  finished_ = true;
  return core::Status::ok();
}

}  // namespace recourse::pdf
