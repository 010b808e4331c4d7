#include "service/csv.h"

#include <csv.h>

#include <cerrno>
#include <cstring>

namespace recourse::service {

bool CsvRecord::blank() const {
  for (const auto& f : fields) {
    if (f.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

// libcsv reports fields (cb1) and record ends (cb2) as it goes. With CSV_REPALL_NL every
// unquoted CR or LF ends a record, so blank lines are seen and rows keep a spreadsheet's
// numbering; the LF of a CRLF pair is folded into the CR before it.
struct CsvReader::Parser {
  csv_parser p{};
  std::vector<std::string> fields;
  bool ended = false;      // a record ended at the last byte fed
  bool crlf_tail = false;  // the last byte fed was the LF of a CRLF pair
  int last_term = 0;
  int before = -1;  // the byte fed before the one being fed (-1: none)
  int current = -1;

  Parser() { csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI); }
  ~Parser() { csv_free(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  static void onField(void* s, size_t len, void* data) {
    auto* self = static_cast<Parser*>(data);
    self->fields.emplace_back(static_cast<const char*>(s), len);
  }
  static void onRecord(int c, void* data) {
    auto* self = static_cast<Parser*>(data);
    // Only an LF right after the CR that ended a record: "\r \n" is a blank row of its own.
    if (c == '\n' && self->last_term == '\r' && self->before == '\r' && self->fields.empty()) {
      self->crlf_tail = true;
      self->last_term = 0;
      return;
    }
    self->last_term = c;
    self->ended = true;
  }
  // Feeds one byte. Returns false on a parse error.
  bool feed(unsigned char c) {
    ended = false;
    crlf_tail = false;
    before = current;
    current = c;
    return csv_parse(&p, &c, 1, onField, onRecord, this) == 1;
  }
  bool finish() {
    ended = false;
    return csv_fini(&p, onField, onRecord, this) == 0;
  }
  void reset() {
    csv_free(&p);
    p = csv_parser{};
    csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
    fields.clear();
    last_term = 0;
    before = current = -1;
  }
};

core::StatusOr<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return core::notFound(path + ": no such file");
    return core::ioError(path + ": cannot open: " + std::strerror(errno));
  }
  // UTF-16 (what some spreadsheet programs write as "Unicode text"): a byte order mark, or
  // the zero bytes of ASCII letters written in two bytes each. Read as bytes it would be
  // nonsense in every cell, so it is refused at once with what to do instead.
  unsigned char head[512];
  const size_t n = std::fread(head, 1, sizeof head, f);
  std::rewind(f);
  const bool bom16 =
      n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
  if (bom16 || std::memchr(head, 0, n) != nullptr) {
    std::fclose(f);
    return core::invalidArgument(
        path + ": " +
        (bom16 ? std::string("the file is saved as UTF-16 text")
               : std::string("the file has zero bytes, so it is not CSV text")) +
        "; in the spreadsheet program, save it again choosing \"CSV UTF-8\" and use that file");
  }
  return std::unique_ptr<CsvReader>(new CsvReader(f, path));
}

CsvReader::CsvReader(std::FILE* f, std::string path)
    : f_(f), path_(std::move(path)), p_(std::make_unique<Parser>()) {}

CsvReader::~CsvReader() { std::fclose(f_); }

core::StatusOr<bool> CsvReader::next(CsvRecord* rec) {
  if (done_) return false;
  if (std::fseek(f_, pos_, SEEK_SET) != 0) return core::ioError(path_ + ": cannot read");
  long long start = pos_;
  // A UTF-8 byte order mark (spreadsheets often write one) is not part of the header.
  if (pos_ == 0) {
    unsigned char bom[3];
    size_t n = std::fread(bom, 1, 3, f_);
    if (n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) {
      pos_ = start = 3;
    } else {
      std::fseek(f_, 0, SEEK_SET);
    }
  }
  for (;;) {
    int c = std::getc(f_);
    if (c == EOF) {
      if (std::ferror(f_)) return core::ioError(path_ + ": reading failed");
      done_ = true;
      bool ok = p_->finish();
      if (!ok) {
        return core::invalidArgument(path_ + ": row " + std::to_string(row_ + 1) +
                                     ": a quoted value is never closed (a \" is missing)");
      }
      if (!p_->ended || (p_->fields.empty())) return false;
      break;
    }
    ++pos_;
    if (!p_->feed(static_cast<unsigned char>(c))) {
      return core::invalidArgument(path_ + ": row " + std::to_string(row_ + 1) +
                                   ": a quote (\") is out of place; put values that contain "
                                   "quotes, commas or line breaks in double quotes and double "
                                   "any quote inside");
    }
    if (p_->crlf_tail && start == pos_ - 1) {
      start = pos_;  // the LF of the CRLF that ended the previous record
      continue;
    }
    if (p_->ended) break;
  }
  rec->row = ++row_;
  rec->offset = start;
  rec->fields = std::move(p_->fields);
  p_->fields.clear();
  return true;
}

core::Status CsvReader::readAt(long long offset, long row, CsvRecord* rec) {
  Parser p;
  if (std::fseek(f_, offset, SEEK_SET) != 0) return core::ioError(path_ + ": cannot read");
  for (;;) {
    int c = std::getc(f_);
    if (c == EOF) {
      if (!p.finish()) return core::invalidArgument(path_ + ": row " + std::to_string(row));
      break;
    }
    if (!p.feed(static_cast<unsigned char>(c))) {
      return core::invalidArgument(path_ + ": row " + std::to_string(row) + " cannot be read");
    }
    if (p.ended) break;
  }
  rec->row = row;
  rec->offset = offset;
  rec->fields = std::move(p.fields);
  return core::Status::ok();
}

std::string csvField(const std::string& value) {
  std::string v = value;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += csvField(fields[i]);
  }
  return line + "\r\n";
}

}  // namespace recourse::service
