#include "service/letter_batch.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "service/csv.h"
#include "service/files.h"
#include "service/letters.h"

namespace recourse::service {
namespace {

// Letters rendered or being rendered but not yet written to the combined PDF. Bounds memory
// whatever the size of the batch.
constexpr size_t kMaxInFlight = 48;

// A letter's number in its file name: at least four digits. A number a batch gives
// (`number` > 0) is padded on its own so that the name never changes; one counted in this
// mailing is padded to the width of the last.
std::string numbered(long long number, size_t seq, size_t total) {
  std::string n = number > 0 ? std::to_string(number) : std::to_string(seq + 1);
  size_t width = std::max<size_t>(4, number > 0 ? n.size() : std::to_string(total).size());
  return std::string(width > n.size() ? width - n.size() : 0, '0') + n;
}

// NNNN-rq_ID.pdf, as numbered() and the request id make it.
bool isBatchLetterName(const std::string& name) {
  size_t i = 0;
  while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i]))) ++i;
  if (i < 4 || name.compare(i, 4, "-rq_") != 0) return false;
  i += 4;
  size_t start = i;
  while (i < name.size() && std::isalnum(static_cast<unsigned char>(name[i]))) ++i;
  return i > start && name.substr(i) == ".pdf";
}

}  // namespace

std::string letterFileName(long long number, const std::string& id) {
  return "letters/" + numbered(number, 0, 0) + (id.empty() ? "" : "-" + id) + ".pdf";
}

core::StatusOr<std::unique_ptr<LetterBatch>> LetterBatch::start(const pdf::FontKit& fonts,
                                                                Options options) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(options.dir) / "letters", ec);
  if (ec) {
    return core::ioError("cannot create " + options.dir + ": " + ec.message()).withField("out_dir");
  }
  std::unique_ptr<LetterBatch> b(new LetterBatch(fonts, std::move(options)));
  const std::string dir = b->opt_.dir;
  // An earlier run's summary files go first: if this run fails part-way, nothing is left
  // that could be taken for its tracking file or its combined PDF.
  for (const auto& name : {std::string("tracking.csv"), b->opt_.combined_name}) {
    std::filesystem::remove(dir + "/" + name, ec);
  }
  auto combined = pdf::PdfConcatenator::create(dir + "/" + b->opt_.combined_name);
  if (!combined.isOk()) return combined.status();
  b->combined_ = std::move(combined).value();
  std::string tracking = dir + "/tracking.csv.partial";
  b->tracking_ = std::fopen(tracking.c_str(), "wb");
  if (b->tracking_ == nullptr) {
    return core::ioError("cannot write " + tracking + ": " + std::strerror(errno))
        .withField("out_dir");
  }
  std::vector<std::string> header = {"mail_order"};
  header.insert(header.end(), b->opt_.tracking_header.begin(), b->opt_.tracking_header.end());
  header.push_back("letter");
  header.push_back("pages_in_" + b->opt_.combined_name);
  std::string line = csvLine(header);
  std::fwrite(line.data(), 1, line.size(), b->tracking_);
  for (int i = 0; i < std::max(1, b->opt_.threads); ++i) {
    b->workers_.emplace_back([p = b.get()] { p->work(); });
  }
  return b;
}

LetterBatch::LetterBatch(const pdf::FontKit& fonts, Options options)
    : fonts_(fonts), opt_(std::move(options)) {
  started_ = last_progress_ = std::chrono::steady_clock::now();
}

LetterBatch::~LetterBatch() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  if (tracking_ != nullptr) {
    std::fclose(tracking_);
    std::error_code ec;
    std::filesystem::remove(opt_.dir + "/tracking.csv.partial", ec);
  }
}

void LetterBatch::work() {
  for (;;) {
    std::pair<size_t, LetterJob> item;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    auto& [seq, job] = item;
    Done d;
    d.tracking = std::move(job.tracking);
    d.label = std::move(job.label);
    if (job.form == nullptr) {
      d.made = false;
      d.file = std::move(job.kept_file);
      {
        std::lock_guard lk(mu_);
        done_.emplace(seq, std::move(d));
      }
      cv_.notify_all();
      continue;
    }
    d.file = job.number > 0 ? letterFileName(job.number, job.id)
                            : "letters/" + numbered(0, seq, opt_.total) +
                                  (job.id.empty() ? "" : "-" + job.id) + ".pdf";
    auto doc = pdf::renderForm(*job.form, job.answers, job.context, fonts_, job.info);
    if (!doc.isOk()) {
      d.status = core::Status(doc.status().code(),
                              "letter " + std::to_string(seq + 1) + ": " + doc.status().text());
    } else {
      d.pages = doc->pages;
      d.fallbacks = doc->fallbacks;
      d.status = writeFileAtomically(opt_.dir + "/" + d.file, doc->pdf, d.file);
      if (d.status.isOk()) {
        auto parts = pdf::takeApart(doc->pdf, d.file);
        if (parts.isOk()) {
          d.parts = std::move(parts).value();
        } else {
          d.status = parts.status();
        }
      }
    }
    {
      std::lock_guard lk(mu_);
      done_.emplace(seq, std::move(d));
    }
    cv_.notify_all();
  }
}

void LetterBatch::drainReady(std::unique_lock<std::mutex>& lk) {
  for (;;) {
    auto it = done_.find(next_out_);
    if (it == done_.end() || !error_.isOk()) return;
    Done d = std::move(it->second);
    done_.erase(it);
    lk.unlock();
    core::Status s = d.status;
    long first = pages_ + 1;
    if (s.isOk() && d.made) s = combined_->append(d.parts, d.label);
    if (s.isOk()) {
      pages_ += d.pages;
      for (auto& note : service::glyphNotes(d.fallbacks)) {
        glyph_notes_.push_back(d.file + ": " + note);
      }
      std::vector<std::string> row = {std::to_string(next_out_ + 1)};
      row.insert(row.end(), d.tracking.begin(), d.tracking.end());
      row.push_back(d.file);
      if (!d.made) {
        row.emplace_back();
      } else {
        row.push_back(d.pages == 1 ? std::to_string(first)
                                   : std::to_string(first) + "-" + std::to_string(pages_));
      }
      std::string line = csvLine(row);
      if (std::fwrite(line.data(), 1, line.size(), tracking_) != line.size()) {
        s = core::ioError(opt_.dir + "/tracking.csv: writing failed (is the disk full?)");
      }
    }
    lk.lock();
    if (!s.isOk()) {
      error_ = s;
      return;
    }
    ++next_out_;
    if (d.made) ++letters_;
    if (!d.file.empty()) written_.insert(d.file.substr(d.file.find('/') + 1));
    showProgress(false);
  }
}

void LetterBatch::showProgress(bool last) {
  if (opt_.progress == nullptr) return;
  auto now = std::chrono::steady_clock::now();
  if (!last && now - last_progress_ < std::chrono::milliseconds(250)) return;
  last_progress_ = now;
  double secs = std::chrono::duration<double>(now - started_).count();
  double rate = secs > 0 ? static_cast<double>(next_out_) / secs : 0;
  size_t total = std::max(opt_.total, next_out_);
  char line[160];
  if (last) {
    std::snprintf(line, sizeof line, "\r  letters: %zu of %zu, %.0f/s, done in %.1f s          \n",
                  next_out_, total, rate, secs);
  } else {
    double left = rate > 0 ? static_cast<double>(total - next_out_) / rate : 0;
    std::snprintf(line, sizeof line,
                  "\r  letters: %zu of %zu (%zu%%), %.0f/s, about %.0f s left   ", next_out_, total,
                  total ? next_out_ * 100 / total : 0, rate, left);
  }
  *opt_.progress << line << std::flush;
}

core::Status LetterBatch::add(LetterJob job) {
  std::unique_lock lk(mu_);
  for (;;) {
    drainReady(lk);
    if (!error_.isOk()) return error_;
    if (next_seq_ - next_out_ < kMaxInFlight) break;
    cv_.wait(lk, [&] { return done_.count(next_out_) > 0; });
  }
  queue_.emplace_back(next_seq_++, std::move(job));
  lk.unlock();
  cv_.notify_all();
  return core::Status::ok();
}

core::Status LetterBatch::finish() {
  {
    std::unique_lock lk(mu_);
    while (next_out_ < next_seq_) {
      drainReady(lk);
      if (!error_.isOk()) return error_;
      if (next_out_ == next_seq_) break;
      cv_.wait(lk, [&] { return done_.count(next_out_) > 0; });
    }
    showProgress(true);
  }
  if (letters_ > 0) {
    RECOURSE_RETURN_IF_ERROR(combined_->finish(opt_.combined_title, opt_.combined_when));
  } else {
    combined_.reset();  // no letter to print: no empty PDF
  }
  std::FILE* f = tracking_;
  tracking_ = nullptr;
  if (std::fflush(f) != 0 || std::fclose(f) != 0) {
    return core::ioError(opt_.dir + "/tracking.csv: writing failed (is the disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(opt_.dir + "/tracking.csv.partial", opt_.dir + "/tracking.csv", ec);
  if (ec) return core::ioError(opt_.dir + "/tracking.csv: cannot create: " + ec.message());
  // Letters of an earlier run into the same folder that this run did not make again would
  // be mistaken for this mailing's.
  for (const auto& e : std::filesystem::directory_iterator(opt_.dir + "/letters", ec)) {
    std::string name = e.path().filename().string();
    if (isBatchLetterName(name) && written_.count(name) == 0) {
      std::filesystem::remove(e.path(), ec);
    }
  }
  return core::Status::ok();
}

size_t LetterBatch::letters() const {
  std::lock_guard lk(mu_);
  return letters_;
}

std::vector<std::string> LetterBatch::glyphNotes() const {
  std::lock_guard lk(mu_);
  return glyph_notes_;
}

long LetterBatch::pages() const {
  std::lock_guard lk(mu_);
  return pages_;
}

}  // namespace recourse::service
