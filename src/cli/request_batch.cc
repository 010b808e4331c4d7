// `recourse request batch` and `recourse request followups`: records requests for many
// clients at once, from a spreadsheet, as legal aid offices work.
//
// batch reads the CSV twice and never holds it whole: the first pass checks every row and
// keeps only each row's place in the file and its mailing-order key; nothing is stored
// unless every row is good (or --skip-invalid says to leave the bad ones out). The second
// pass reads the rows again in mailing order, stores them in transactions of a few hundred
// rows, and hands each letter to LetterBatch, which renders on all cores with a bounded
// number in flight.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "core/validation.h"
#include "forms/interview.h"
#include "jurisdiction/request_tracking.h"
#include "service/csv.h"
#include "service/files.h"
#include "service/letter_batch.h"
#include "service/letters.h"

namespace recourse::cli {

using service::applyRequestState;
using service::buildLetterContext;
using service::csvLine;
using service::CsvReader;
using service::CsvRecord;
using service::followupAnswers;
using service::LetterBatch;
using service::LetterJob;
using service::prefillAnswers;
using service::requestAnswers;
using service::writeFileAtomically;
namespace {

using Poco::JSON::Object;

// The CSV format (docs/user-guide.md shows it with an example). `field` is the form field
// (or FIELD.PART) of records-request a column fills.
struct Column {
  const char* name;
  bool required;
  const char* field;
  const char* help;
};

const std::vector<Column>& columns() {
  static const std::vector<Column> kColumns = {
      {"client_ref", false, "",
       "your own reference for the client; rows with the same one are "
       "one client"},
      {"client_name", true, "requester_name", "the client's name as it goes on the letter"},
      {"date_of_birth", false, "date_of_birth", "YYYY-MM-DD"},
      {"client_email", false, "requester_email", ""},
      {"client_phone", false, "", ""},
      {"client_address", false, "requester_address.line1", "street and number"},
      {"client_city", false, "requester_address.city", ""},
      {"client_region", false, "requester_address.region", "state or province, e.g. CA"},
      {"client_postal_code", false, "requester_address.postal_code", ""},
      {"therapist_name", false, "", "the therapist (default: the custodian)"},
      {"license_type", false, "", "e.g. LMFT, psychologist (finds the board later)"},
      {"jurisdiction", true, "", "whose law applies, e.g. us-ca (recourse jurisdictions list)"},
      {"custodian_name", true, "custodian_name",
       "the practice, clinic or therapist that holds "
       "the records"},
      {"custodian_attention", false, "custodian_attention", "e.g. Records department"},
      {"custodian_address", false, "custodian_address.line1", "street and number"},
      {"custodian_city", false, "custodian_address.city", ""},
      {"custodian_region", false, "custodian_address.region", ""},
      {"custodian_postal_code", false, "custodian_address.postal_code", "also sorts the mailing"},
      {"custodian_email", false, "custodian_email", ""},
      {"scope", false, "scope", "all (default) or dates"},
      {"records_from", false, "date_range.start", "YYYY-MM-DD (scope dates)"},
      {"records_to", false, "date_range.end", "YYYY-MM-DD (scope dates)"},
      {"include_billing", false, "include_billing", "yes or no (default no)"},
      {"include_psychotherapy_notes", false, "include_psychotherapy_notes",
       "yes or no (default no)"},
      {"format", false, "format", "electronic (default) or paper"},
      {"send_to", false, "send_to", "me (default) or third_party"},
      {"third_party_name", false, "third_party.name",
       "who receives the records (send_to "
       "third_party)"},
      {"third_party_address", false, "third_party.address", ""},
      {"reference", false, "", "their reference number, if any"},
      {"sent_on", false, "",
       "YYYY-MM-DD: the day it reaches them (starts the clock); leave "
       "empty to record it later"},
      {"via", false, "", "mail (default), email, fax, portal or in_person"},
  };
  return kColumns;
}

struct Problem {
  long row = 0;
  std::string column;  // "" for the whole row
  std::string message;
};

std::string describe(const Problem& p) {
  std::string s = "row " + std::to_string(p.row);
  if (!p.column.empty()) s += ", " + p.column;
  return s + ": " + p.message;
}

std::string shown(const std::string& v) {
  std::string cut = v.size() > 40 ? v.substr(0, 40) + "..." : v;
  return "\"" + cut + "\"";
}

// Lower case, single spaces: the identity of a name or address across re-runs.
std::string norm(const std::string& s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c) || c == ',' || c == '.') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// One row, parsed and checked.
struct Row {
  long row = 0;
  core::Client client;
  core::Case kase;
  core::RecordsRequest request;
  std::optional<core::Date> sent_on;
  std::string via;
  std::string client_key, case_key, request_key;
  std::string mail_key;  // sorts the mailing
};

class RowParser {
 public:
  RowParser(const forms::Form& form, const jurisdiction::Registry& reg, core::Date today)
      : form_(form), reg_(reg), today_(today) {}

  // Reads the header. Problems name row 1 and the column.
  std::vector<Problem> header(const CsvRecord& rec) {
    std::vector<Problem> problems;
    std::set<std::string> seen;
    index_.clear();
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      std::string name = norm(rec.fields[i]);
      std::replace(name.begin(), name.end(), ' ', '_');
      auto it = std::find_if(columns().begin(), columns().end(),
                             [&](const Column& c) { return name == c.name; });
      if (name.empty()) {
        problems.push_back({rec.row, "column " + std::to_string(i + 1), "has no name"});
      } else if (it == columns().end()) {
        problems.push_back({rec.row, shown(rec.fields[i]),
                            "is not a column Recourse knows (see: recourse request batch "
                            "--help, or docs/user-guide.md)"});
      } else if (!seen.insert(name).second) {
        problems.push_back({rec.row, name, "appears twice in the header"});
      }
      index_.push_back(it == columns().end() ? -1 : static_cast<int>(it - columns().begin()));
    }
    for (const auto& c : columns()) {
      if (c.required && seen.count(c.name) == 0) {
        problems.push_back({rec.row, c.name, "is a required column and is missing"});
      }
    }
    return problems;
  }

  // Parses one data row. On problems returns nullopt and appends them.
  std::optional<Row> parse(const CsvRecord& rec, std::vector<Problem>* problems) {
    size_t before = problems->size();
    auto bad = [&](const std::string& col, const std::string& msg) {
      problems->push_back({rec.row, col, msg});
    };
    if (rec.fields.size() != index_.size()) {
      bad("", "has " + std::to_string(rec.fields.size()) + " values; the header has " +
                  std::to_string(index_.size()) +
                  " (a value with a comma must be in double quotes)");
      return std::nullopt;
    }
    std::map<std::string, std::string> v;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (index_[i] < 0) continue;
      const char* name = columns()[static_cast<size_t>(index_[i])].name;
      std::string value = rec.fields[i];
      size_t b = value.find_first_not_of(" \t");
      size_t e = value.find_last_not_of(" \t");
      value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
      if (!core::isValidUtf8(value)) {
        bad(name, "is not UTF-8 text (save the spreadsheet as \"CSV UTF-8\")");
        continue;
      }
      if (value.size() > core::kMaxShortText) {
        bad(name, "is longer than " + std::to_string(core::kMaxShortText) + " characters");
        continue;
      }
      v[name] = value;
    }
    for (const auto& c : columns()) {
      if (c.required && v[c.name].empty()) bad(c.name, "is empty; it is required");
    }
    auto date = [&](const char* col) -> std::optional<core::Date> {
      if (v[col].empty()) return std::nullopt;
      auto d = core::Date::parse(v[col], col);
      if (!d.isOk()) {
        bad(col, shown(v[col]) + " is not a date; write it as YYYY-MM-DD");
        return std::nullopt;
      }
      return *d;
    };
    auto yesNo = [&](const char* col) -> std::optional<bool> {
      std::string x = norm(v[col]);
      if (x.empty() || x == "no" || x == "n" || x == "false") return false;
      if (x == "yes" || x == "y" || x == "true") return true;
      bad(col, shown(v[col]) + " is not yes or no");
      return std::nullopt;
    };
    auto choice = [&](const char* col, std::vector<std::string> options,
                      const std::string& dflt) -> std::string {
      std::string x = norm(v[col]);
      std::replace(x.begin(), x.end(), ' ', '_');
      if (x.empty()) return dflt;
      if (std::find(options.begin(), options.end(), x) != options.end()) return x;
      std::string list;
      for (const auto& o : options) list += (list.empty() ? "" : ", ") + o;
      bad(col, shown(v[col]) + " is not one of " + list);
      return dflt;
    };

    Row r;
    r.row = rec.row;
    const std::string jid = norm(v["jurisdiction"]);
    if (!jid.empty() && reg_.find(jid) == nullptr) {
      bad("jurisdiction", shown(v["jurisdiction"]) +
                              " is not a jurisdiction Recourse knows (see: recourse "
                              "jurisdictions list)");
    }
    auto dob = date("date_of_birth");
    if (dob && today_ < *dob) bad("date_of_birth", "is in the future");
    auto from = date("records_from");
    auto to = date("records_to");
    if (from && to && *to < *from) bad("records_to", "is before records_from");
    r.sent_on = date("sent_on");
    if (r.sent_on && today_ < *r.sent_on) {
      bad("sent_on", v["sent_on"] + " is in the future; record it when the letter has arrived");
    }
    std::string scope = choice("scope", {"all", "dates"}, (from || to) ? "dates" : "all");
    if (scope == "all" && (from || to)) {
      bad("scope",
          "is all, but records_from/records_to limit the dates; leave scope empty or "
          "write dates");
    }
    auto billing = yesNo("include_billing");
    auto notes = yesNo("include_psychotherapy_notes");
    std::string format = choice("format", {"electronic", "paper"}, "electronic");
    std::string send_to = choice("send_to", {"me", "third_party"}, "me");
    r.via = choice("via", core::sendChannels(), "mail");
    if (!v["via"].empty() && !r.sent_on) bad("via", "is given but sent_on is empty");

    // The letter's answers, checked by the form itself so a batch letter and a single one
    // accept exactly the same things.
    Object::Ptr a = new Object;
    auto put = [&](const char* key, const std::string& value) {
      if (!value.empty()) a->set(key, value);
    };
    auto address = [&](const char* key, const std::string& prefix) {
      Object::Ptr o = new Object;
      for (const char* part : {"address", "city", "region", "postal_code"}) {
        const std::string& x = v[prefix + part];
        if (!x.empty()) o->set(std::string(part) == "address" ? "line1" : part, x);
      }
      if (o->size() > 0) a->set(key, o);
    };
    put("requester_name", v["client_name"]);
    if (dob) a->set("date_of_birth", dob->toString());
    address("requester_address", "client_");
    put("requester_email", v["client_email"]);
    put("custodian_name", v["custodian_name"]);
    put("custodian_attention", v["custodian_attention"]);
    address("custodian_address", "custodian_");
    put("custodian_email", v["custodian_email"]);
    a->set("scope", scope);
    if (scope == "dates") {
      Object::Ptr range = new Object;
      if (from) range->set("start", from->toString());
      if (to) range->set("end", to->toString());
      a->set("date_range", range);
    }
    if (billing) a->set("include_billing", *billing);
    if (notes) a->set("include_psychotherapy_notes", *notes);
    a->set("format", format);
    a->set("send_to", send_to);
    if (send_to == "third_party" || !v["third_party_name"].empty()) {
      Object::Ptr tp = new Object;
      if (!v["third_party_name"].empty()) tp->set("name", v["third_party_name"]);
      if (!v["third_party_address"].empty()) tp->set("address", v["third_party_address"]);
      a->set("third_party", tp);
    }
    if (problems->size() == before) {
      for (const auto& p : forms::checkAnswers(form_, a)) {
        bad(columnOf(p.field), p.message);
      }
    }
    if (problems->size() != before) {
      // Left to right, as the spreadsheet shows them.
      std::stable_sort(problems->begin() + static_cast<long>(before), problems->end(),
                       [&](const Problem& x, const Problem& y) {
                         return position(x.column) < position(y.column);
                       });
      return std::nullopt;
    }

    auto oneLine = [&](const std::string& prefix) {
      std::string line = v[prefix + "address"];
      std::string city = v[prefix + "city"];
      if (!v[prefix + "region"].empty()) city += (city.empty() ? "" : ", ") + v[prefix + "region"];
      if (!v[prefix + "postal_code"].empty()) {
        city += (city.empty() ? "" : " ") + v[prefix + "postal_code"];
      }
      if (!city.empty()) line += (line.empty() ? "" : ", ") + city;
      return line;
    };
    r.client.name = v["client_name"];
    r.client.email = v["client_email"];
    r.client.phone = v["client_phone"];
    r.client.address = oneLine("client_");
    const std::string therapist = v["therapist_name"];
    r.kase.provider.name = therapist.empty() ? v["custodian_name"] : therapist;
    if (!therapist.empty() && norm(therapist) != norm(v["custodian_name"])) {
      r.kase.provider.practice = v["custodian_name"];
    }
    r.kase.provider.license_type = v["license_type"];
    r.kase.provider.jurisdiction = jid;
    r.kase.provider.address = oneLine("custodian_");
    r.kase.provider.email = v["custodian_email"];
    r.kase.title = "Records from " + v["custodian_name"];
    r.request.custodian_name = v["custodian_name"];
    r.request.custodian_address = oneLine("custodian_");
    r.request.custodian_email = v["custodian_email"];
    r.request.jurisdiction = jid;
    r.request.reference = v["reference"];
    std::ostringstream os;
    a->stringify(os);
    r.request.answers_json = os.str();

    // Identity across re-runs: the client (their reference if given, else name, date of
    // birth and email), the therapist, and what is asked of whom.
    r.client_key = !v["client_ref"].empty()
                       ? "ref|" + norm(v["client_ref"])
                       : "name|" + norm(v["client_name"]) + "|" + (dob ? dob->toString() : "") +
                             "|" + norm(v["client_email"]);
    r.case_key = r.client_key + "|" + norm(r.kase.provider.name) + "|" + jid;
    r.request_key = r.case_key + "|" + norm(v["custodian_name"]) + "|" +
                    norm(r.request.custodian_address) + "|" + scope + "|" +
                    (from ? from->toString() : "") + "|" + (to ? to->toString() : "") + "|" +
                    (billing.value_or(false) ? "b" : "") + (notes.value_or(false) ? "n" : "") +
                    "|" + send_to + "|" + norm(v["third_party_name"]);
    r.mail_key = norm(v["custodian_postal_code"]) + '\x1f' + norm(v["custodian_name"]) + '\x1f' +
                 norm(r.request.custodian_address) + '\x1f' + norm(v["client_name"]);
    return r;
  }

 private:
  // Where a column is in the header (-1: the whole row, or not in the header).
  int position(const std::string& column) const {
    for (size_t i = 0; i < index_.size(); ++i) {
      if (index_[i] >= 0 && column == columns()[static_cast<size_t>(index_[i])].name) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
  std::string columnOf(const std::string& field) const {
    for (const auto& c : columns()) {
      if (field == c.field) return c.name;
    }
    for (const auto& c : columns()) {
      std::string f = c.field;
      if (!f.empty() && f.substr(0, f.find('.')) == field) return c.name;
    }
    return field;
  }

  const forms::Form& form_;
  const jurisdiction::Registry& reg_;
  core::Date today_;
  std::vector<int> index_;  // header position -> column, -1 for unknown
};

// A batch says each note once and briefly; the full explanation is one command away.
std::string briefNote(const std::string& note) {
  const std::string marker = " is UNVERIFIED in Recourse's data";
  size_t at = note.find(marker);
  if (at == std::string::npos) return note;
  return note.substr(0, at + marker.size()) +
         "; check it before relying on the due date (recourse jurisdictions show ID explains "
         "why)";
}

int threadsOption(Context& ctx) {
  int n = static_cast<int>(std::thread::hardware_concurrency());
  if (ctx.args().has("threads")) n = std::atoi(ctx.args().get("threads").c_str());
  return std::clamp(n, 1, 64);
}

std::vector<std::string> trackingHeader() {
  return {"csv_row", "request_id", "client", "custodian", "sent_on", "due", "status", "made"};
}

class RequestBatch final : public Command {
 public:
  std::string name() const override { return "request batch"; }
  std::string summary() const override {
    return "many records requests from a spreadsheet (CSV): letters, one PDF to print, tracking";
  }
  std::string usage() const override {
    std::string u =
        "request batch --csv FILE --out DIR [--skip-invalid]\n\n"
        "The CSV's first row names its columns (any order; * = required):\n";
    for (const auto& c : columns()) {
      std::string name = std::string(c.name) + (c.required ? " *" : "");
      u += "  " + (*c.help ? pad(name, 30) + c.help : name) + "\n";
    }
    u += "Dates are YYYY-MM-DD. Rows are checked first: with any problem nothing is made.";
    return u;
  }
  std::vector<OptionSpec> options() const override {
    return {{"csv", "FILE", "the spreadsheet, saved as CSV (UTF-8)"},
            {"out", "DIR", "where the letters, all-letters.pdf and tracking.csv go"},
            {"skip-invalid", "", "make what the good rows ask and list the rest in skipped.csv"},
            {"threads", "N", "letters rendered at once (default: one per core)"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("csv")) return core::invalidArgument("--csv: is required");
    if (!a.has("out")) return core::invalidArgument("--out: is required");
    const std::string path = a.get("csv");
    const std::string dir = a.get("out");
    if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir)) {
      return core::invalidArgument("--out: " + dir + " is a file, not a folder");
    }
    const core::Date today = ctx.env().clock.today();
    const jurisdiction::Registry reg =
        jurisdiction::Registry::loadDirectory(ctx.jurisdictionsDir());
    const forms::FormSet set = forms::loadFormDirectory(ctx.formsDir());
    const forms::Form* form = set.find("records-request");
    if (form == nullptr) return core::notFound("the records-request form is missing");

    // Pass 1: check every row; keep where each good one is and how it sorts.
    auto reader = CsvReader::open(path);
    if (!reader.isOk()) return core::invalidArgument("--csv: " + reader.status().text());
    RowParser parser(*form, reg, today);
    std::vector<Problem> problems;
    struct Place {
      std::string mail_key;
      long row;
      long long offset;
    };
    std::vector<Place> good;
    std::map<std::string, long> first_row_of;  // request identity (hashed) -> row
    CsvRecord rec;
    bool have_header = false;
    bool header_bad = false;
    for (;;) {
      auto more = (*reader)->next(&rec);
      if (!more.isOk()) return core::invalidArgument("--csv: " + more.status().text());
      if (!*more) break;
      if (!have_header) {
        if (rec.blank()) continue;
        have_header = true;
        problems = parser.header(rec);
        header_bad = !problems.empty();
        if (header_bad) break;
        continue;
      }
      if (rec.blank()) continue;
      auto row = parser.parse(rec, &problems);
      if (!row) continue;
      auto [it, inserted] = first_row_of.emplace(store::sha256Hex(row->request_key), rec.row);
      if (!inserted) {
        problems.push_back({rec.row, "",
                            "asks the same as row " + std::to_string(it->second) +
                                " (same client, custodian and records)"});
        continue;
      }
      good.push_back({std::move(row->mail_key), rec.row, rec.offset});
    }
    first_row_of.clear();
    if (!have_header) return core::invalidArgument("--csv: " + path + " is empty");
    std::set<long> bad_rows;
    for (const auto& p : problems) bad_rows.insert(p.row);
    if (!problems.empty() && (!a.has("skip-invalid") || header_bad)) {
      std::string msg = path + ": " + plural(bad_rows.size(), "row has", "rows have") +
                        " problems; nothing was made" +
                        (header_bad ? "" : " (fix them, or add --skip-invalid to make the rest)") +
                        ":";
      for (const auto& p : problems) msg += "\n  " + describe(p);
      return core::invalidArgument(msg);
    }
    if (good.empty()) return core::invalidArgument("--csv: " + path + " has no rows to make");
    std::stable_sort(good.begin(), good.end(), [](const Place& x, const Place& y) {
      return x.mail_key != y.mail_key ? x.mail_key < y.mail_key : x.row < y.row;
    });
    for (auto& g : good) std::string().swap(g.mail_key);  // not needed any more

    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    store::Store& store = **st;
    auto fonts = pdf::FontKit::load();
    if (!fonts.isOk()) return fonts.status();

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (!problems.empty()) {
      RECOURSE_RETURN_IF_ERROR(writeSkipped(dir, problems));
    } else {
      std::filesystem::remove(dir + "/skipped.csv", ec);  // an earlier run's
    }
    LetterBatch::Options opt;
    opt.dir = dir;
    opt.combined_name = "all-letters.pdf";
    opt.combined_title = "Records requests in mailing order";
    opt.combined_when = ctx.env().clock.now();
    opt.tracking_header = trackingHeader();
    opt.total = good.size();
    opt.threads = threadsOption(ctx);
    opt.progress = ctx.env().progress ? &ctx.env().err : nullptr;
    auto batch = LetterBatch::start(*fonts, opt);
    if (!batch.isOk()) return batch.status();

    // Pass 2: in mailing order, in transactions of kChunk rows; letters are queued only
    // once their rows are committed.
    constexpr size_t kChunk = 250;
    size_t made = 0, existing = 0, marked_sent = 0;
    const core::Timestamp now = ctx.env().clock.now();
    std::set<std::string> notes;  // said once for the whole batch
    std::set<std::string> clients_made;
    for (size_t start = 0; start < good.size(); start += kChunk) {
      size_t end = std::min(good.size(), start + kChunk);
      std::vector<LetterJob> jobs;
      jobs.reserve(end - start);
      size_t made_here = 0, existing_here = 0, sent_here = 0;
      std::vector<std::string> clients_here;
      core::Status s = store.inOneTransaction([&]() -> core::Status {
        for (size_t i = start; i < end; ++i) {
          CsvRecord again;
          RECOURSE_RETURN_IF_ERROR((*reader)->readAt(good[i].offset, good[i].row, &again));
          std::vector<Problem> p;
          auto row = parser.parse(again, &p);
          if (!row)
            return core::failedPrecondition("--csv: " + path + " changed while it was read");
          RECOURSE_ASSIGN_OR_RETURN(LetterJob job,
                                    storeRow(store, reg, set, *form, *row, today, now, &made_here,
                                             &existing_here, &sent_here, &clients_here, &notes));
          jobs.push_back(std::move(job));
        }
        return core::Status::ok();
      });
      if (!s.isOk()) {
        return core::Status(s.code(), s.text() + "\n(" +
                                          plural(made, "request was", "requests were") +
                                          " stored before this; running the same file again "
                                          "adds the rest without duplicating them)");
      }
      made += made_here;
      existing += existing_here;
      marked_sent += sent_here;
      clients_made.insert(clients_here.begin(), clients_here.end());
      for (auto& job : jobs) RECOURSE_RETURN_IF_ERROR((*batch)->add(std::move(job)));
    }
    RECOURSE_RETURN_IF_ERROR((*batch)->finish());

    const long pages = (*batch)->pages();
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("rows_ready", static_cast<Poco::UInt64>(good.size()));
      o->set("rows_skipped", static_cast<Poco::UInt64>(bad_rows.size()));
      o->set("requests_made", static_cast<Poco::UInt64>(made));
      o->set("requests_existing", static_cast<Poco::UInt64>(existing));
      o->set("clients_made", static_cast<Poco::UInt64>(clients_made.size()));
      o->set("marked_sent", static_cast<Poco::UInt64>(marked_sent));
      o->set("letters", static_cast<Poco::UInt64>(good.size()));
      o->set("pages", static_cast<Poco::Int64>(pages));
      o->set("combined", dir + "/all-letters.pdf");
      o->set("tracking", dir + "/tracking.csv");
      if (!problems.empty()) o->set("skipped", dir + "/skipped.csv");
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& n : notes) w->add(n);
      o->set("notes", w);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << "Checked " << plural(good.size() + bad_rows.size(), "row", "rows") << ": " << good.size()
        << " ready";
    if (!bad_rows.empty()) {
      out << ", " << bad_rows.size() << " skipped (" << dir << "/skipped.csv says why)";
    }
    out << ".\n";
    out << "Made " << plural(made, "new request", "new requests") << " ("
        << plural(clients_made.size(), "new client", "new clients") << ")";
    if (existing > 0) {
      out << "; " << existing << " already made by an earlier run were not made again";
    }
    out << ".\n";
    if (marked_sent > 0) out << "Recorded " << marked_sent << " as sent (their clocks run).\n";
    out << "Wrote " << plural(good.size(), "letter", "letters") << " to " << dir
        << "/letters/, all of them in mailing order in " << dir << "/all-letters.pdf ("
        << plural(static_cast<size_t>(pages), "page", "pages") << "), and " << dir
        << "/tracking.csv.\n";
    for (const auto& n : notes) out << "Note: " << n << "\n";
    return core::Status::ok();
  }

 private:
  static core::Status writeSkipped(const std::string& dir, const std::vector<Problem>& problems) {
    std::string text = csvLine({"row", "column", "problem"});
    for (const auto& p : problems) text += csvLine({std::to_string(p.row), p.column, p.message});
    return writeFileAtomically(dir + "/skipped.csv", {text.begin(), text.end()},
                               "--out: " + dir + "/skipped.csv");
  }

  // Stores one row (or finds what an earlier run stored) and prepares its letter.
  static core::StatusOr<LetterJob> storeRow(store::Store& store, const jurisdiction::Registry& reg,
                                            const forms::FormSet& set, const forms::Form& form,
                                            Row& row, core::Date today, core::Timestamp now,
                                            size_t* made, size_t* existing, size_t* sent,
                                            std::vector<std::string>* clients_made,
                                            std::set<std::string>* notes) {
    core::Client client;
    core::Case kase;
    core::RecordsRequest request;
    std::vector<core::RequestEvent> events;
    RECOURSE_ASSIGN_OR_RETURN(auto found, store.findImported("request", row.request_key));
    bool is_new = !found.has_value();
    if (found) {
      RECOURSE_ASSIGN_OR_RETURN(request, store.getRequest(*found));
      RECOURSE_ASSIGN_OR_RETURN(kase, store.getCase(request.case_id));
      RECOURSE_ASSIGN_OR_RETURN(client, store.getClient(kase.client_id));
      RECOURSE_ASSIGN_OR_RETURN(events, store.listRequestEvents(request.id));
      ++*existing;
    } else {
      RECOURSE_ASSIGN_OR_RETURN(auto client_id, store.findImported("client", row.client_key));
      if (client_id) {
        RECOURSE_ASSIGN_OR_RETURN(client, store.getClient(*client_id));
      } else {
        RECOURSE_ASSIGN_OR_RETURN(client, store.addClient(row.client));
        RECOURSE_RETURN_IF_ERROR(store.rememberImported("client", row.client_key, client.id));
        clients_made->push_back(client.id);
      }
      RECOURSE_ASSIGN_OR_RETURN(auto case_id, store.findImported("case", row.case_key));
      if (case_id) {
        RECOURSE_ASSIGN_OR_RETURN(kase, store.getCase(*case_id));
      } else {
        row.kase.client_id = client.id;
        RECOURSE_ASSIGN_OR_RETURN(kase, store.addCase(row.kase));
        RECOURSE_RETURN_IF_ERROR(store.rememberImported("case", row.case_key, kase.id));
      }
      row.request.case_id = kase.id;
      RECOURSE_ASSIGN_OR_RETURN(request, store.addRequest(row.request));
      RECOURSE_RETURN_IF_ERROR(store.rememberImported("request", row.request_key, request.id));
      ++*made;
    }
    // A row that now says when the letter arrived records it, once.
    bool has_sent = std::any_of(events.begin(), events.end(), [](const core::RequestEvent& e) {
      return e.type == core::RequestEventType::kSent;
    });
    if (row.sent_on && !has_sent) {
      core::RequestEvent e;
      e.request_id = request.id;
      e.type = core::RequestEventType::kSent;
      e.on = *row.sent_on;
      e.via = row.via;
      RECOURSE_ASSIGN_OR_RETURN(auto added, store.addRequestEvent(e));
      events.push_back(added);
      ++*sent;
    }
    auto state = jurisdiction::deriveRequestState(request.jurisdiction, events, reg, today);

    LetterJob job;
    job.form = &form;
    job.answers = new Object;
    requestAnswers(form, request, job.answers);
    prefillAnswers(form, client, kase, job.answers);
    std::vector<std::string> warnings;
    core::Date letter_sent = state.sent_on ? *state.sent_on : today;
    buildLetterContext(set, reg, form, client, kase, {}, letter_sent, today, job.answers,
                       &job.context, &warnings);
    applyRequestState(request, state, events, &job.context);
    for (const auto& w : warnings) notes->insert(briefNote(w));
    job.info = pdf::DocInfo{form.document_title.get("en"), client.name, form.title.get("en"), now};
    job.id = request.id;
    job.label = client.name + " to " + request.custodian_name;
    job.tracking = {std::to_string(row.row),
                    request.id,
                    client.name,
                    request.custodian_name,
                    state.sent_on ? state.sent_on->toString() : "",
                    state.due ? state.due->toString() : "",
                    core::requestStatusName(state.status),
                    is_new ? "new" : "earlier run"};
    return job;
  }
};

class RequestFollowups final : public Command {
 public:
  std::string name() const override { return "request followups"; }
  std::string summary() const override {
    return "a follow-up letter for every overdue request: letters, one PDF to print, tracking";
  }
  std::string usage() const override {
    return "request followups --out DIR [--case ID] [--sent-on YYYY-MM-DD --via mail]";
  }
  std::vector<OptionSpec> options() const override {
    return {
        {"out", "DIR", "where the letters, all-letters.pdf and tracking.csv go"},
        {"case", "ID", "only this case's requests"},
        {"reply-within", "DAYS", "the reply the letters ask for: 7, 10 or 14 days (default 14)"},
        {"mention-escalation", "yes|no",
         "say where a complaint can go if there is no answer (default yes)"},
        {"sent-on", "YYYY-MM-DD", "also record the follow-ups as sent on this day"},
        {"via", "CHANNEL", "how they were sent (with --sent-on; default mail)"},
        {"threads", "N", "letters rendered at once (default: one per core)"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("out")) return core::invalidArgument("--out: is required");
    const std::string dir = a.get("out");
    if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir)) {
      return core::invalidArgument("--out: " + dir + " is a file, not a folder");
    }
    const std::string within = a.has("reply-within") ? a.get("reply-within") : "14";
    if (within != "7" && within != "10" && within != "14") {
      return core::invalidArgument("--reply-within: " + shown(within) + " is not 7, 10 or 14");
    }
    const std::string mention = a.has("mention-escalation") ? a.get("mention-escalation") : "yes";
    if (mention != "yes" && mention != "no") {
      return core::invalidArgument("--mention-escalation: takes yes or no");
    }
    const core::Date today = ctx.env().clock.today();
    std::optional<core::Date> sent_on;
    if (a.has("sent-on")) {
      auto d = core::Date::parse(a.get("sent-on"), "--sent-on");
      if (!d.isOk()) return d.status();
      if (today < *d)
        return core::invalidArgument("--sent-on: " + d->toString() + " is in the future");
      sent_on = *d;
    }
    const std::string via = a.has("via") ? a.get("via") : "mail";
    const auto& channels = core::sendChannels();
    if (std::find(channels.begin(), channels.end(), via) == channels.end()) {
      return core::invalidArgument("--via: " + shown(via) +
                                   " is not one of mail, email, fax, portal, in_person");
    }
    if (a.has("via") && !sent_on) return core::invalidArgument("--via: goes with --sent-on");

    auto st = ctx.openUnlocked();
    if (!st.isOk()) return st.status();
    store::Store& store = **st;
    const jurisdiction::Registry reg =
        jurisdiction::Registry::loadDirectory(ctx.jurisdictionsDir());
    const forms::FormSet set = forms::loadFormDirectory(ctx.formsDir());
    const forms::Form* form = set.find("records-followup");
    if (form == nullptr) return core::notFound("the records-followup form is missing");
    auto requests = store.listRequests(a.get("case"));
    if (!requests.isOk()) {
      if (requests.status().code() == core::StatusCode::kNotFound) {
        return core::notFound("--case: no case with id " + a.get("case"));
      }
      return requests.status();
    }

    // Which are overdue today (or answered only in part after their due date).
    struct Due {
      std::string mail_key;
      size_t index;
      jurisdiction::RequestState state;
      std::vector<core::RequestEvent> events;
    };
    std::vector<Due> due;
    std::map<std::string, core::Case> cases;
    for (size_t i = 0; i < requests->size(); ++i) {
      const auto& r = (*requests)[i];
      auto events = store.listRequestEvents(r.id);
      if (!events.isOk()) return events.status();
      auto it = cases.find(r.case_id);
      if (it == cases.end()) {
        auto c = store.getCase(r.case_id);
        if (!c.isOk()) return c.status();
        it = cases.emplace(r.case_id, *c).first;
      }
      std::string jid = r.jurisdiction.empty() ? it->second.provider.jurisdiction : r.jurisdiction;
      auto state = jurisdiction::deriveRequestState(jid, *events, reg, today);
      bool late = state.status == core::RequestStatus::kOverdue ||
                  (state.status == core::RequestStatus::kPartiallyFulfilled && state.due &&
                   state.days_left < 0);
      if (!late) continue;
      due.push_back({norm(r.custodian_name) + '\x1f' + norm(r.custodian_address), i,
                     std::move(state), std::move(*events)});
    }
    if (due.empty()) {
      if (a.json) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("letters", 0);
        ctx.printJson(o);
      } else {
        ctx.out() << "No request is overdue today (" << today.toString()
                  << "); nothing to write.\n";
      }
      return core::Status::ok();
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const Due& x, const Due& y) { return x.mail_key < y.mail_key; });

    auto fonts = pdf::FontKit::load();
    if (!fonts.isOk()) return fonts.status();
    LetterBatch::Options opt;
    opt.dir = dir;
    opt.combined_name = "all-letters.pdf";
    opt.combined_title = "Follow-up letters in mailing order";
    opt.combined_when = ctx.env().clock.now();
    opt.tracking_header = {"request_id", "client",       "custodian", "sent_on",
                           "due",        "days_overdue", "status"};
    opt.total = due.size();
    opt.threads = threadsOption(ctx);
    opt.progress = ctx.env().progress ? &ctx.env().err : nullptr;
    auto batch = LetterBatch::start(*fonts, opt);
    if (!batch.isOk()) return batch.status();
    std::map<std::string, core::Client> clients;
    std::set<std::string> notes;
    for (auto& d : due) {
      const core::RecordsRequest& r = (*requests)[d.index];
      const core::Case& kase = cases.at(r.case_id);
      auto cit = clients.find(kase.client_id);
      if (cit == clients.end()) {
        auto c = store.getClient(kase.client_id);
        if (!c.isOk()) return c.status();
        cit = clients.emplace(kase.client_id, *c).first;
      }
      LetterJob job;
      job.form = form;
      job.answers = new Object;
      requestAnswers(*form, r, job.answers);
      followupAnswers(*form, d.events, job.answers);
      if (!job.answers->has("reply_within_days")) job.answers->set("reply_within_days", within);
      if (!job.answers->has("mention_escalation")) {
        job.answers->set("mention_escalation", mention == "yes");
      }
      prefillAnswers(*form, cit->second, kase, job.answers);
      auto problems = forms::checkAnswers(*form, job.answers);
      if (!problems.empty()) {
        return core::invalidArgument("request " + r.id + ": " + problems.front().field + ": " +
                                     problems.front().message + "; nothing was recorded");
      }
      std::vector<std::string> warnings;
      buildLetterContext(set, reg, *form, cit->second, kase, {}, *d.state.sent_on, today,
                         job.answers, &job.context, &warnings);
      applyRequestState(r, d.state, d.events, &job.context);
      for (const auto& w : warnings) notes.insert(briefNote(w));
      job.info = pdf::DocInfo{form->document_title.get("en"), cit->second.name,
                              form->title.get("en"), ctx.env().clock.now()};
      job.id = r.id;
      job.label = cit->second.name + " to " + r.custodian_name;
      job.tracking = {r.id,
                      cit->second.name,
                      r.custodian_name,
                      d.state.sent_on ? d.state.sent_on->toString() : "",
                      d.state.due ? d.state.due->toString() : "",
                      std::to_string(-d.state.days_left),
                      core::requestStatusName(d.state.status)};
      RECOURSE_RETURN_IF_ERROR((*batch)->add(std::move(job)));
    }
    RECOURSE_RETURN_IF_ERROR((*batch)->finish());

    // Only once every letter is written: record them as sent, all or none.
    if (sent_on) {
      core::Status s = store.inOneTransaction([&]() -> core::Status {
        for (const auto& d : due) {
          core::RequestEvent e;
          e.request_id = (*requests)[d.index].id;
          e.type = core::RequestEventType::kFollowUpSent;
          e.on = *sent_on;
          e.via = via;
          auto added = store.addRequestEvent(e);
          if (!added.isOk()) return added.status();
        }
        return core::Status::ok();
      });
      if (!s.isOk()) return s;
    }
    const long pages = (*batch)->pages();
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("letters", static_cast<Poco::UInt64>(due.size()));
      o->set("pages", static_cast<Poco::Int64>(pages));
      o->set("recorded_sent", sent_on.has_value());
      o->set("combined", dir + "/all-letters.pdf");
      o->set("tracking", dir + "/tracking.csv");
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << plural(due.size(), "request is", "requests are") << " overdue today ("
        << today.toString() << ").\n";
    out << "Wrote " << plural(due.size(), "follow-up letter", "follow-up letters") << " to " << dir
        << "/letters/, all of them in mailing order in " << dir << "/all-letters.pdf ("
        << plural(static_cast<size_t>(pages), "page", "pages") << "), and " << dir
        << "/tracking.csv.\n";
    if (sent_on) {
      out << "Recorded them as sent on " << sent_on->toString() << " via " << via << ".\n";
    } else {
      out << "When they go out, record it: recourse request followups --out DIR --sent-on "
             "YYYY-MM-DD, or one at a time with recourse request event ID --type followup_sent.\n";
    }
    for (const auto& n : notes) out << "Note: " << n << "\n";
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeRequestFollowupsCommand() {
  return std::make_unique<RequestFollowups>();
}

std::unique_ptr<Command> makeRequestBatchCommand() { return std::make_unique<RequestBatch>(); }

}  // namespace recourse::cli
