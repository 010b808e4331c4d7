// One PDF from many, written as they come: the combined, print-ready file of a batch.
//
// qpdf (libqpdf) parses each document; the pages are then written straight to the output
// file, renumbered, so memory holds only each object's file offset and each page's number,
// never the documents already written. (qpdf's own writer keeps every copied object of
// every source in memory until the end, which a 10,000-letter batch cannot afford.)
//
// Thread safety: takeApart() may run on any number of threads at once; a PdfConcatenator
// is used by one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace recourse::pdf {

// A document's pages taken apart for appending: every object reachable from its pages,
// with references written as positions in `objects` (so they can be renumbered cheaply).
struct PdfParts {
  struct Object {
    std::string text;    // the object's value; references as "\x01<index>\x02"
    std::string stream;  // raw (still encoded) stream data; empty for a non-stream
    bool is_stream = false;
  };
  std::vector<Object> objects;
  std::vector<size_t> pages;  // indexes of the page objects, in page order
  // The document's own top-level bookmarks: title and page number (0-based).
  std::vector<std::pair<std::string, size_t>> bookmarks;
};

// What the packet adds to each page of a document it takes apart.
struct PageMarks {
  // For an exhibit's original pages: each page is set, whole and shrunk to fit, inside a
  // new page of the same size with a band at the top holding the stamp ("Exhibit 3 - page
  // K of N") and a band at the bottom for the page number. Nothing covers the original.
  std::string stamp;
  long first = 0;               // the packet's number of the document's first page; 0: none
  long total = 0;               // the packet's pages: "Page N of M" at the bottom (0: none)
  bool running_number = false;  // a running number ("000017") at the bottom right
};

// Parses a complete PDF. On failure Corruption naming `what`. With `marks`, adds them to
// every page (Latin-1 text).
core::StatusOr<PdfParts> takeApart(const std::vector<std::uint8_t>& pdf, const std::string& what,
                                   const PageMarks& marks);
// The same with only an exhibit stamp (or none).
core::StatusOr<PdfParts> takeApart(const std::vector<std::uint8_t>& pdf, const std::string& what,
                                   const std::string& stamp = "");

// The number of pages of the PDF file at `path`, read as a reader would (qpdf): Corruption
// when it is not a readable PDF or has no pages (a file that only claims to be one).
core::StatusOr<int> pdfPageCount(const std::string& path);
// The same for a PDF held in memory (`what` names it in the message).
core::StatusOr<int> pdfPageCount(const std::vector<std::uint8_t>& pdf, const std::string& what);

class PdfConcatenator {
 public:
  // Starts writing `path` (as path + ".partial" until finish()). IOError on failure.
  static core::StatusOr<std::unique_ptr<PdfConcatenator>> create(const std::string& path);
  // Writes into memory instead (a download: nothing of it touches the disk); finish() puts
  // the whole file in *out. REQUIRES: out outlives this.
  static core::StatusOr<std::unique_ptr<PdfConcatenator>> createInMemory(
      std::vector<std::uint8_t>* out);
  ~PdfConcatenator();  // an unfinished file is removed
  PdfConcatenator(const PdfConcatenator&) = delete;
  PdfConcatenator& operator=(const PdfConcatenator&) = delete;

  // Appends the document's pages after those already written, with a bookmark `label`
  // (UTF-8, any script) pointing at its first page, holding the document's own bookmarks
  // beneath it; an empty label adds none.
  core::Status append(const PdfParts& parts, const std::string& label);
  // Writes the page tree, bookmarks, document information, cross-reference table and
  // trailer, and moves the file into place. `title`: the document title; `when`: its
  // creation time.
  core::Status finish(const std::string& title, const core::Timestamp& when);
  long pages() const { return static_cast<long>(page_objs_.size()); }

 private:
  PdfConcatenator(std::FILE* f, std::string path);
  core::Status write(const std::string& s);
  long long newObject();  // records the offset of the object about to be written

  std::FILE* f_;
  std::string path_;
  // In memory: the stream's buffer (open_memstream) and where finish() puts the file.
  char* mem_ = nullptr;
  size_t mem_size_ = 0;
  std::vector<std::uint8_t>* mem_out_ = nullptr;
  long long offset_ = 0;
  std::vector<long long> offsets_;  // by object number - 1
  std::vector<long long> page_objs_;
  struct Mark {
    long long page_obj;
    std::string label;
    std::vector<std::pair<std::string, long long>> children;  // title, page object
  };
  std::vector<Mark> marks_;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace recourse::pdf
