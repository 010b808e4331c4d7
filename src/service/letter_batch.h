// Many letters at once, as a legal-aid office mails them: each letter as its own PDF, all
// of them in one print-ready PDF in mailing order, and a tracking CSV. Letters are
// rendered on worker threads; at most a fixed number are in flight at any time, so memory
// stays flat however many letters a run makes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "forms/model.h"
#include "pdf/combine.h"
#include "pdf/document.h"

namespace recourse::service {

// One letter to make, with what its tracking row says about it.
struct LetterJob {
  const forms::Form* form = nullptr;
  Poco::JSON::Object::Ptr answers;
  pdf::DocumentContext context;
  pdf::DocInfo info;
  std::string id;                     // the request id, in the letter's file name
  std::string label;                  // the bookmark in the combined PDF
  std::vector<std::string> tracking;  // the tracking CSV row, without the letter columns
  // The letter's number in its file name (NNNN-ID.pdf); 0: its place in this mailing.
  long long number = 0;
  // A letter not made again (form is null): its tracking row is written in its place, and
  // `kept_file` (relative to the folder, "" when none) is kept instead of a new file.
  std::string kept_file;
};

// The file a batch gives letter number `number` (> 0) of request `id`:
// "letters/NNNN-ID.pdf", at least four digits.
std::string letterFileName(long long number, const std::string& id);

class LetterBatch {
 public:
  struct Options {
    std::string dir;                           // output folder (created if missing)
    std::string combined_name;                 // e.g. "all-letters.pdf"
    std::string combined_title;                // the combined PDF's title
    core::Timestamp combined_when{};           // its creation time
    std::vector<std::string> tracking_header;  // before the letter columns
    size_t total = 0;  // letters to come (numbers the files, drives progress)
    int threads = 1;
    std::ostream* progress = nullptr;  // a terminal to show progress on, or null
  };

  // Creates the folders and starts the workers. IOError naming the folder on failure.
  static core::StatusOr<std::unique_ptr<LetterBatch>> start(const pdf::FontKit& fonts,
                                                            Options options);
  ~LetterBatch();  // stops the workers; an unfinished combined PDF is removed
  LetterBatch(const LetterBatch&) = delete;
  LetterBatch& operator=(const LetterBatch&) = delete;

  // Queues the next letter in mailing order (or, without a form, only its tracking row);
  // blocks while too many are in flight.
  // Returns the first error the workers met, if any (the batch then stops).
  core::Status add(LetterJob job);
  // Waits for every letter, then finishes the combined PDF (or, when no letter was made,
  // writes none) and the tracking CSV, and removes letters an earlier run left in the folder
  // that this run neither wrote nor kept (only files named as a batch names them:
  // NNNN-rq_ID.pdf).
  core::Status finish();

  long pages() const;
  size_t letters() const;  // letters made (jobs with a form)
  // What a letter could not show as written, one line per letter and character, naming the
  // letter's file: "letters/0007-rq_….pdf: the font has no glyph for U+1F600; …" (see
  // glyphNotes in letters.h). In mailing order; complete once finish() has returned.
  std::vector<std::string> glyphNotes() const;

 private:
  struct Done {
    pdf::PdfParts parts;
    int pages = 0;
    std::string file;  // relative to dir
    std::vector<std::string> tracking;
    std::string label;
    bool made = true;  // false: a tracking row only
    core::Status status = core::Status::ok();
    std::vector<char32_t> fallbacks;  // characters written as [U+XXXX]
  };
  LetterBatch(const pdf::FontKit& fonts, Options options);
  void work();
  void drainReady(std::unique_lock<std::mutex>& lk);  // writes finished letters in order
  void showProgress(bool last);

  const pdf::FontKit& fonts_;
  Options opt_;
  std::unique_ptr<pdf::PdfConcatenator> combined_;
  std::FILE* tracking_ = nullptr;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<size_t, LetterJob>> queue_;
  std::map<size_t, Done> done_;
  size_t next_seq_ = 0;  // the next letter add() numbers
  size_t next_out_ = 0;  // the next letter to write to the combined PDF
  bool stopping_ = false;
  core::Status error_ = core::Status::ok();
  std::vector<std::thread> workers_;
  long pages_ = 0;
  size_t letters_ = 0;
  std::vector<std::string> glyph_notes_;
  std::set<std::string> written_;  // file names in letters/
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace recourse::service
