// The bulk work of a legal aid office: records requests for many clients at once from a
// spreadsheet, and a follow-up letter for every overdue request.
//
// A batch reads its rows twice and never holds them whole: the first pass (the check)
// parses every row and keeps only each good row's place and its mailing-order key; nothing
// is stored unless every row is good, or skip_invalid says to leave the bad ones out. The
// second pass reads the good rows again in mailing order, stores them in transactions of a
// few hundred rows (finding again what an earlier run of the same rows made), and hands
// each letter to LetterBatch, which renders on all cores with a bounded number in flight.
// A CSV file and a spreadsheet already in memory (an upload) are the same to the workflow:
// both are a RowSource.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/request.h"
#include "core/status.h"
#include "service/csv.h"
#include "service/services.h"

namespace recourse::service {

// ---- Where a batch's rows come from ----------------------------------------------------

// One row: its number as a spreadsheet shows it (the header is row 1, blank rows count),
// its place (`offset`: what readAt takes to find it again) and its values.
using SheetRow = CsvRecord;

class RowSource {
 public:
  virtual ~RowSource() = default;
  // What the rows are called in messages: the file's path, the upload's name.
  virtual std::string name() const = 0;
  // The next row, blank ones included. On success true and `row` filled; false after the
  // last row. On failure InvalidArgument naming the row (a malformed CSV) or IOError.
  virtual core::StatusOr<bool> next(SheetRow* row) = 0;
  // The row next() gave at `place`, numbered `number`. Does not disturb next().
  virtual core::Status readAt(long long place, long number, SheetRow* row) = 0;
};

// A CSV file (RFC 4180, UTF-8, an optional byte order mark), read in constant memory; places
// are byte offsets. On failure NotFound or IOError naming the file.
core::StatusOr<std::unique_ptr<RowSource>> openCsvRows(const std::string& path);

// Rows already in memory, e.g. an uploaded spreadsheet: rows[0] is row 1 (the header); a
// row's place is its index.
class MemoryRows final : public RowSource {
 public:
  MemoryRows(std::string name, std::vector<std::vector<std::string>> rows);
  std::string name() const override { return name_; }
  core::StatusOr<bool> next(SheetRow* row) override;
  core::Status readAt(long long place, long number, SheetRow* row) override;

 private:
  std::string name_;
  std::vector<std::vector<std::string>> rows_;
  size_t next_ = 0;
};

// ---- The spreadsheet's columns -----------------------------------------------------------

struct BatchColumn {
  const char* name;  // as the header writes it: "client_name"
  bool required;
  const char* field;         // the records-request form field (or FIELD.PART) it fills, or ""
  const char* help;          // what to write there, for a front end's help ("" when obvious)
  const char* example = "";  // the template's example row
};
// Every column a batch spreadsheet may have, in the order the documentation lists them.
const std::vector<BatchColumn>& batchColumns();

// An empty spreadsheet to fill in: the header (every column, in that order) and one example
// row that a batch accepts, as CSV text (UTF-8, CRLF line ends).
std::string batchTemplate();
// Writes batchTemplate() to `path`. On failure: InvalidArgument about "template" when no
// path is given or when a file is already there (it is never written over); IOError about
// "template".
core::Status writeBatchTemplate(const std::string& path);

// Where a front end sends a person to learn more. The workflow words the message; the front
// end names the place (the CLI: a command; the browser: a page). Empty: no pointer.
struct SeeAlso {
  std::string columns;        // the columns a spreadsheet may have: "(see: X)"
  std::string jurisdictions;  // the jurisdictions known: "(see: X)"
};

// ---- Requests from a spreadsheet ---------------------------------------------------------

struct BatchImport {
  // The spreadsheet: the CSV file at csv_path, or, when `rows` is set, rows already read
  // (not owned; REQUIRES: it outlives the batch and no row has been taken from it yet).
  std::string csv_path;
  RowSource* rows = nullptr;
  std::string out_dir;  // letters/, all-letters.pdf, tracking.csv, skipped.csv go here
  // Make what the good rows ask and list the bad ones in skipped.csv (problems in the
  // header still stop the batch).
  bool skip_invalid = false;
  std::optional<int> threads;        // letters rendered at once, 1 to 64 (default: one per core)
  std::ostream* progress = nullptr;  // a terminal to show a progress line on, or null
  SeeAlso see;
};

// A problem with one row, or with one of its values (`column`: the column's name, or the
// header's text for a column Recourse does not know; "" for the whole row).
struct RowProblem {
  long row = 0;
  std::string column;
  std::string message;
};
// "row 18, sent_on: ..." or, for the whole row, "row 777: ...".
std::string describeProblem(const RowProblem& problem);

// What the first pass found. Move-only: it keeps the spreadsheet open for the second pass.
struct BatchCheck {
  struct Place {
    long row = 0;
    long long offset = 0;
  };
  std::string source;                // the rows' name (the file's path)
  std::vector<RowProblem> problems;  // in row order; within a row, left to right
  size_t bad_rows = 0;               // rows with at least one problem
  bool header_bad = false;           // the header has problems: no data row was read
  std::vector<Place> good;           // the good rows, in mailing order
  std::vector<Place> bad;            // the rows with problems, in row order
  Place header;                      // the header row
  // Whether the batch can go ahead. OK; or InvalidArgument about "csv" when the problems
  // stop it (`stopped`: any problem without skip_invalid, a header problem always; the
  // message lists them one a line, by row and column) or no row is left to make.
  core::Status verdict;
  bool stopped = false;

  // What the second pass reads the rows again with.
  core::Date today;                       // the day the rows were checked against
  std::vector<int> header_columns;        // header position -> batchColumns() index, or -1
  RowSource* rows = nullptr;              // where `good` points
  std::unique_ptr<RowSource> owned_rows;  // the file opened for csv_path
};

// The first pass only: reads and checks every row; stores and writes nothing. On success
// the check, whose verdict says whether the batch can go ahead. On failure InvalidArgument
// about "csv" (no rows given, the file cannot be opened or read, a malformed CSV naming the
// row, no header), about "out_dir" (missing, or a file) or about "threads" (outside 1 to
// 64); NotFound when the records-request form is missing.
core::StatusOr<BatchCheck> checkRequestBatch(const Catalog& catalog, const core::Clock& clock,
                                             const BatchImport& in);

struct BatchSummary {
  size_t rows_ready = 0;          // the good rows
  size_t rows_skipped = 0;        // rows left out (skip_invalid)
  size_t requests_made = 0;       // new records requests
  size_t requests_existing = 0;   // found again: an earlier run made them
  size_t requests_corrected = 0;  // found again with cells that differ, and corrected
  size_t clients_made = 0;
  size_t marked_sent = 0;            // rows whose sent_on was recorded by this run
  size_t letters = 0;                // letters made by this run
  size_t letters_not_reprinted = 0;  // rows an earlier run made whose letter was sent
  long pages = 0;                    // in the combined PDF
  // One line per corrected row, in row order: "row 7: sent_on 2026-01-05 → 2026-01-06; due
  // date now 2026-02-05".
  std::vector<std::string> corrections;
  std::string out_dir;
  std::string letters_dir;         // out_dir/letters: one PDF per request
  std::string combined;            // out_dir/all-letters.pdf: every letter made, in mailing
                                   // order ("" when this run made none)
  std::string tracking;            // out_dir/tracking.csv
  std::string skipped;             // out_dir/skipped.csv, or "" when no row was skipped
  std::vector<std::string> notes;  // each said once (unverified law, ...), sorted
};

// The whole batch: checks every row first (checkRequestBatch) and stops there unless its
// verdict is OK; then stores each good row's client, case and records request (or finds
// what an earlier run made of the same row: re-running a file makes nothing twice), records
// a sent_on given for the first time, and writes the letters (out_dir/letters/NNNN-ID.pdf),
// all of them in mailing order (custodian postal code, custodian, client) in
// out_dir/all-letters.pdf, out_dir/tracking.csv (every good row, with its spreadsheet row
// and client_ref) and, when rows were skipped, out_dir/skipped.csv (each skipped row once:
// its number, its problems and its own cells).
// Re-runs: a request an earlier run made whose letter was sent is not printed again (its
// letter keeps its file); the others are, dated today. A row found again whose cells differ
// corrects the request (custodian, answers, reference), its client (name; contact details
// when given) and a recorded sent date or channel, and says so in `corrections`. A row is
// found again by its client (client_ref, else name, date of birth and email), custodian and
// what it asks; failing that, with a client_ref, by the same less the custodian's address;
// without one, by its spreadsheet row and custodian, unless another row of the file is
// exactly that earlier request. Each request keeps the letter number it was first given
// (NNNN, in the first run's mailing order; later rows get the next ones).
// Progress goes to in.progress.
// On failure: the check's failures and its verdict; the store's error (with how many
// requests were stored before it: each transaction of rows is whole, and running the same
// rows again adds the rest); FailedPrecondition about "csv" when the file changed between
// the passes; IOError about "out_dir"; FailedPrecondition when the fonts are missing.
// REQUIRES: s.store is unlocked.
core::StatusOr<BatchSummary> importRequestBatch(Services& s, const BatchImport& in);
// The same with the first pass already done, for a front end that reports bad rows before
// it opens the vault. REQUIRES: `checked` is what checkRequestBatch(s.catalog, s.clock, in)
// returned for this `in`.
core::StatusOr<BatchSummary> importRequestBatch(Services& s, const BatchImport& in,
                                                BatchCheck checked);

// ---- Follow-ups for overdue requests ------------------------------------------------------

struct Followups {
  std::string out_dir;  // letters/, all-letters.pdf, tracking.csv go here
  // The day to work out what is overdue and to date the letters (planning ahead); default
  // today.
  std::optional<core::Date> as_of;
  std::string case_id;                   // only this case's requests; "" for every case
  std::string reply_within_days = "14";  // the reply the letters ask for: "7", "10" or "14"
  bool mention_escalation = true;        // say where a complaint can go
  // Record the follow-ups as sent on this day, via this channel (default mail), once every
  // letter is written.
  std::optional<core::Date> sent_on;
  std::string via;
  std::optional<int> threads;  // as BatchImport::threads
  std::ostream* progress = nullptr;
  SeeAlso see;
};

struct FollowupSummary {
  core::Date today;    // the as-of day
  size_t letters = 0;  // the overdue requests; 0: nothing was written
  // Overdue, but a follow-up recorded as sent still waits for its answer: none made.
  size_t waiting_on_followup = 0;
  long pages = 0;
  std::optional<core::Date> recorded_sent_on;  // set when they were recorded as sent
  std::string via;
  std::string out_dir;
  std::string letters_dir;
  std::string combined;
  std::string tracking;
  std::vector<std::string> notes;  // each said once, sorted
};

// A follow-up letter (forms/records-followup.json) for every request overdue on the as-of
// day, or answered only in part after its due date, unless a follow-up recorded as sent is
// still within the reply time it asked for (jurisdiction::RequestState's
// awaiting_followup_reply, from the reply_within_days each recorded follow-up carries). In the
// mailing order of the batch that made the requests (their letter numbers), then the others by
// custodian and address: out_dir/letters/, out_dir/all-letters.pdf and out_dir/tracking.csv (with
// each request's spreadsheet row and client_ref). Nothing is written when none is due. With
// sent_on, records each as followup_sent, all or none, only once every letter is written.
// On failure nothing is recorded: InvalidArgument about "out_dir" (missing, or a file),
// "reply_within_days", "sent_on" (in the future), "as_of" (after sent_on), "via" (not a
// channel, or without sent_on),
// "threads"; NotFound about "case_id"; InvalidArgument when a request's stored answers do
// not make a letter (naming the request); the store's error as it is; FailedPrecondition
// when the fonts are missing. REQUIRES: s.store is unlocked.
core::StatusOr<FollowupSummary> makeFollowups(Services& s, const Followups& in);

namespace batch_testing {
// Tests only: called after each chunk of rows is committed, with the number of rows stored
// so far, for a test to cut the database off there.
inline void (*after_chunk)(size_t stored) = nullptr;
}  // namespace batch_testing

}  // namespace recourse::service
