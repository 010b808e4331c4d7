#include "service/batch.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/request.h"
#include "core/validation.h"
#include "forms/interview.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/json_reader.h"
#include "jurisdiction/request_tracking.h"
#include "pdf/document.h"
#include "service/files.h"
#include "service/letter_batch.h"
#include "service/letters.h"
#include "store/crypto.h"
#include "store/store.h"

namespace recourse::service {

using Poco::JSON::Object;

// ---- Row sources ---------------------------------------------------------------------------

namespace {

// A CSV file through CsvReader.
class CsvRows final : public RowSource {
 public:
  CsvRows(std::unique_ptr<CsvReader> reader, std::string path)
      : reader_(std::move(reader)), path_(std::move(path)) {}
  std::string name() const override { return path_; }
  core::StatusOr<bool> next(SheetRow* row) override { return reader_->next(row); }
  core::Status readAt(long long place, long number, SheetRow* row) override {
    return reader_->readAt(place, number, row);
  }

 private:
  std::unique_ptr<CsvReader> reader_;
  std::string path_;
};

}  // namespace

core::StatusOr<std::unique_ptr<RowSource>> openCsvRows(const std::string& path) {
  RECOURSE_ASSIGN_OR_RETURN(auto reader, CsvReader::open(path));
  return std::unique_ptr<RowSource>(new CsvRows(std::move(reader), path));
}

MemoryRows::MemoryRows(std::string name, std::vector<std::vector<std::string>> rows)
    : name_(std::move(name)), rows_(std::move(rows)) {}

core::StatusOr<bool> MemoryRows::next(SheetRow* row) {
  if (next_ >= rows_.size()) return false;
  row->row = static_cast<long>(next_) + 1;
  row->offset = static_cast<long long>(next_);
  row->fields = rows_[next_];
  ++next_;
  return true;
}

core::Status MemoryRows::readAt(long long place, long number, SheetRow* row) {
  if (place < 0 || static_cast<size_t>(place) >= rows_.size()) {
    return core::internalError(name_ + ": row " + std::to_string(number) + " is not there");
  }
  row->row = number;
  row->offset = place;
  row->fields = rows_[static_cast<size_t>(place)];
  return core::Status::ok();
}

// ---- The columns ----------------------------------------------------------------------------

const std::vector<BatchColumn>& batchColumns() {
  static const std::vector<BatchColumn> kColumns = {
      {"client_ref", false, "",
       "your own reference for the client; rows with the same one are "
       "one client",
       "EX-001"},
      {"client_name", true, "requester_name", "the client's name as it goes on the letter",
       "Alex Example"},
      {"date_of_birth", false, "date_of_birth", "YYYY-MM-DD", "1980-04-12"},
      {"client_email", false, "requester_email", "", "alex@example.org"},
      {"client_phone", false, "", "", "555-0100"},
      {"client_address", false, "requester_address.line1", "street and number", "12 Elm Street"},
      {"client_city", false, "requester_address.city", "", "Oakland"},
      {"client_region", false, "requester_address.region", "state or province, e.g. CA", "CA"},
      {"client_postal_code", false, "requester_address.postal_code", "", "94601"},
      {"client_account", false, "",
       "the client's own Recourse account, if they have one (role client): their records are "
       "sealed to it too, and they decide who else may open them",
       ""},
      {"therapist_name", false, "", "the therapist (default: the custodian)", "Dr. Jane Smith"},
      {"license_type", false, "", "e.g. LMFT, psychologist (finds the board later)", "LMFT"},
      {"jurisdiction", true, "", "whose law applies, e.g. us-ca", "us-ca"},
      {"custodian_name", true, "custodian_name",
       "the practice, clinic or therapist that holds "
       "the records",
       "Bay Counseling Center"},
      {"custodian_attention", false, "custodian_attention", "e.g. Records department",
       "Records department"},
      {"custodian_address", false, "custodian_address.line1", "street and number", "1 Main St"},
      {"custodian_city", false, "custodian_address.city", "", "Oakland"},
      {"custodian_region", false, "custodian_address.region", "", "CA"},
      {"custodian_postal_code", false, "custodian_address.postal_code", "also sorts the mailing",
       "94607"},
      {"custodian_email", false, "custodian_email", "", "records@example.org"},
      {"scope", false, "scope", "all (default) or dates", "all"},
      {"records_from", false, "date_range.start", "YYYY-MM-DD (scope dates)", ""},
      {"records_to", false, "date_range.end", "YYYY-MM-DD (scope dates)", ""},
      {"include_billing", false, "include_billing", "yes or no (default no)", "yes"},
      {"include_psychotherapy_notes", false, "include_psychotherapy_notes",
       "yes or no (default no)", "no"},
      {"format", false, "format", "electronic (default) or paper", "electronic"},
      {"send_to", false, "send_to", "me (default) or third_party", "me"},
      {"third_party_name", false, "third_party.name",
       "who receives the records (send_to "
       "third_party)",
       ""},
      {"third_party_address", false, "third_party.address", "their postal address (format paper)",
       ""},
      {"third_party_email", false, "third_party.email", "their email (format electronic)", ""},
      {"request_kind", false, "",
       "access (a copy of the records, the default), amendment (a correction) or accounting "
       "(a list of who they were disclosed to)",
       "access"},
      {"what_is_wrong", false, "what_is_wrong",
       "amendment: what the record says that is wrong or missing", ""},
      {"what_it_should_say", false, "what_it_should_say",
       "amendment: what it should say instead, or what should be added", ""},
      {"where_in_record", false, "where_in_record",
       "amendment: where it is (for example the date of a note)", ""},
      {"reference", false, "", "their reference number, if any", ""},
      {"sent_on", false, "",
       "YYYY-MM-DD: the day it reaches them (starts the clock); leave "
       "empty to record it later",
       ""},
      {"via", false, "", "mail (default), email, fax, portal or in_person", "mail"},
  };
  return kColumns;
}

std::string batchTemplate() {
  std::vector<std::string> names, example;
  for (const auto& c : batchColumns()) {
    names.emplace_back(c.name);
    example.emplace_back(c.example);
  }
  return csvLine(names) + csvLine(example);
}

core::Status writeBatchTemplate(const std::string& path) {
  if (path.empty()) return core::invalidArgument("is required").withField("template");
  RECOURSE_RETURN_IF_ERROR(requireNewFile(path, "template"));
  const std::string text = batchTemplate();
  return writeFileAtomically(path, {text.begin(), text.end()}, path).withField("template");
}

std::string describeProblem(const RowProblem& p) {
  std::string s = "row " + std::to_string(p.row);
  if (!p.column.empty()) s += ", " + p.column;
  return s + ": " + p.message;
}

namespace {

const std::vector<BatchColumn>& columns() { return batchColumns(); }

// What a correction's own words may hold in one cell.
constexpr size_t kMaxWordsCell = 4000;

std::string shown(const std::string& v) {
  std::string cut = v.size() > 40 ? v.substr(0, 40) + "..." : v;
  return "\"" + cut + "\"";
}

std::string plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string seeAlso(const std::string& where) {
  return where.empty() ? "" : " (see: " + where + ")";
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

// Letters rendered at once: the given number, else one per core.
core::StatusOr<int> threadsFor(const std::optional<int>& threads) {
  if (!threads) return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 64);
  if (*threads < 1 || *threads > 64) {
    return core::invalidArgument(std::to_string(*threads) + " is not a number from 1 to 64")
        .withField("threads");
  }
  return *threads;
}

// OK when `dir` is given and is a folder or nothing yet.
core::Status checkOutDir(const std::string& dir) {
  if (dir.empty()) return core::invalidArgument("is required").withField("out_dir");
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    return core::invalidArgument(dir + " is a file, not a folder").withField("out_dir");
  }
  return core::Status::ok();
}

// Creates out_dir/letters. IOError about "out_dir".
core::Status makeOutDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir) / "letters", ec);
  if (ec) {
    return core::ioError("cannot create " + dir + ": " + ec.message()).withField("out_dir");
  }
  return core::Status::ok();
}

// One row, parsed and checked.
struct Row {
  long row = 0;
  core::Client client;
  core::Case kase;
  core::RecordsRequest request;
  std::optional<core::Date> sent_on;
  std::string via;         // the via cell, else mail
  bool via_given = false;  // the via cell is filled in
  std::string client_ref;
  std::string client_account;  // the client's own account, by name ("" when none)
  Object::Ptr answers;         // the letter's answers, as stored in request.answers_json
  std::string client_key, case_key, request_key;
  // Finds the row's earlier request when a cell in request_key was corrected: with a
  // client_ref, the same less the custodian's address; without, the spreadsheet row and the
  // custodian.
  std::string fallback_key;
  std::string mail_key;  // sorts the mailing
};

class RowParser {
 public:
  RowParser(const forms::FormSet& forms, const jurisdiction::Registry& reg, core::Date today,
            const SeeAlso& see)
      : forms_(forms), reg_(reg), today_(today), see_(see) {}

  // Reads the header. Problems name row 1 and the column.
  std::vector<RowProblem> header(const SheetRow& rec) {
    std::vector<RowProblem> problems;
    std::set<std::string> seen;
    index_.clear();
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      std::string name = norm(rec.fields[i]);
      std::replace(name.begin(), name.end(), ' ', '_');
      auto it = std::find_if(columns().begin(), columns().end(),
                             [&](const BatchColumn& c) { return name == c.name; });
      if (name.empty()) {
        problems.push_back({rec.row, "column " + std::to_string(i + 1), "has no name"});
      } else if (it == columns().end()) {
        problems.push_back({rec.row, shown(rec.fields[i]),
                            "is not a column Recourse knows" + seeAlso(see_.columns)});
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

  const std::vector<int>& headerColumns() const { return index_; }
  void setHeaderColumns(std::vector<int> index) { index_ = std::move(index); }

  // Parses one data row. On problems returns nullopt and appends them.
  std::optional<Row> parse(const SheetRow& rec, std::vector<RowProblem>* problems) {
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
    std::set<std::string> refused;  // cells already reported: one message each
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (index_[i] < 0) continue;
      const char* name = columns()[static_cast<size_t>(index_[i])].name;
      std::string value = rec.fields[i];
      size_t b = value.find_first_not_of(" \t");
      size_t e = value.find_last_not_of(" \t");
      value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
      if (!core::isValidUtf8(value)) {
        bad(name, "is not UTF-8 text (save the spreadsheet as \"CSV UTF-8\")");
        refused.insert(name);
        continue;
      }
      // What is wrong and what it should say are the person's own words: longer cells.
      const bool words =
          std::string(name) == "what_is_wrong" || std::string(name) == "what_it_should_say";
      const size_t limit = words ? kMaxWordsCell : core::kMaxShortText;
      if (value.size() > limit) {
        bad(name, "is longer than " + std::to_string(limit) + " characters");
        refused.insert(name);
        continue;
      }
      v[name] = value;
    }
    for (const auto& c : columns()) {
      if (c.required && v[c.name].empty() && refused.count(c.name) == 0) {
        bad(c.name, "is empty; it is required");
      }
    }
    auto date = [&](const char* col) -> std::optional<core::Date> {
      if (v[col].empty()) return std::nullopt;
      auto d = core::Date::parse(v[col], col);
      if (!d.isOk()) {
        // A day that cannot exist (1975-02-30) is called so, as everywhere else.
        const std::string& why = d.status().message();
        const size_t at = why.find(" is an impossible date");
        bad(col, at == std::string::npos ? shown(v[col]) + " is not a date; write it as YYYY-MM-DD"
                                         : shown(v[col]) + why.substr(at));
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
      bad("jurisdiction", shown(v["jurisdiction"]) + " is not a jurisdiction Recourse knows" +
                              reg_.didYouMean(jid) + seeAlso(see_.jurisdictions));
    }
    // A spreadsheet asks the therapist's office: a health plan's claims are asked one by one.
    static const std::vector<std::string> kBatchKinds = {"access", "amendment", "accounting"};
    const std::string kind_name = choice("request_kind", kBatchKinds, "access");
    const core::RequestKind kind =
        core::parseRequestKind(kind_name).value_or(core::RequestKind::kAccess);
    const forms::Form* form = forms_.find(core::requestKindForm(kind));
    if (form == nullptr) {
      bad("request_kind", "the form for " + kind_name + " requests is missing");
      return std::nullopt;
    }
    if (const auto* place = reg_.find(jid); place != nullptr &&
                                            kind != core::RequestKind::kAccess &&
                                            reg_.givingRight(jid, kind).empty()) {
      bad("request_kind", "Recourse knows no law of " + place->name + " that gives " +
                              (kind == core::RequestKind::kAmendment
                                   ? "a right to have records corrected"
                                   : "a right to a list of who records were disclosed to") +
                              seeAlso(see_.jurisdictions));
    }
    // Each cell belongs to the requests it can change: a copy's format is no correction's.
    auto onlyFor = [&](std::initializer_list<const char*> cols, core::RequestKind k,
                       const char* what) {
      if (kind == k) return;
      for (const char* col : cols) {
        if (!v[col].empty()) {
          bad(col, std::string("is only for ") + what + " (request_kind " +
                       core::requestKindName(k) + "); this row asks for " + kind_name);
        }
      }
    };
    onlyFor({"include_billing", "include_psychotherapy_notes", "format", "send_to",
             "third_party_name", "third_party_address", "third_party_email"},
            core::RequestKind::kAccess, "a copy of the records");
    onlyFor({"what_is_wrong", "what_it_should_say", "where_in_record"},
            core::RequestKind::kAmendment, "a correction");
    if (kind == core::RequestKind::kAmendment &&
        (!v["records_from"].empty() || !v["records_to"].empty() || !v["scope"].empty())) {
      bad(v["scope"].empty() ? (v["records_from"].empty() ? "records_to" : "records_from")
                             : "scope",
          "is for a copy of the records or a list of disclosures; a correction names what is "
          "wrong instead");
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
    r.via_given = !v["via"].empty();
    // A via without sent_on waits for it: the sheet is filled in as letters go out.

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
    if (kind != core::RequestKind::kAmendment) {
      a->set("scope", scope);
      if (scope == "dates") {
        Object::Ptr range = new Object;
        if (from) range->set("start", from->toString());
        if (to) range->set("end", to->toString());
        a->set("date_range", range);
      }
    }
    if (kind == core::RequestKind::kAmendment) {
      put("what_is_wrong", v["what_is_wrong"]);
      put("what_it_should_say", v["what_it_should_say"]);
      put("where_in_record", v["where_in_record"]);
    }
    if (kind == core::RequestKind::kAccess) {
      if (billing) a->set("include_billing", *billing);
      if (notes) a->set("include_psychotherapy_notes", *notes);
      a->set("format", format);
      a->set("send_to", send_to);
    }
    if (kind == core::RequestKind::kAccess &&
        (send_to == "third_party" || !v["third_party_name"].empty())) {
      Object::Ptr tp = new Object;
      if (!v["third_party_name"].empty()) tp->set("name", v["third_party_name"]);
      if (!v["third_party_address"].empty()) tp->set("address", v["third_party_address"]);
      if (!v["third_party_email"].empty()) tp->set("email", v["third_party_email"]);
      a->set("third_party", tp);
    }
    if (problems->size() == before) {
      for (const auto& p : forms::checkAnswers(*form, a, today_)) {
        bad(columnOf(p.field), p.message);
      }
    }
    if (problems->size() != before) {
      // Left to right, as the spreadsheet shows them.
      std::stable_sort(problems->begin() + static_cast<long>(before), problems->end(),
                       [&](const RowProblem& x, const RowProblem& y) {
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
    if (dob) r.client.date_of_birth = dob->toString();
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
    r.request.kind = kind;
    std::ostringstream os;
    a->stringify(os);
    r.request.answers_json = os.str();
    r.answers = a;
    r.client_ref = v["client_ref"];
    r.client_account = v["client_account"];

    // Identity across re-runs: the client (their reference if given, else name, date of
    // birth and email), the therapist, and what is asked of whom.
    r.client_key = !v["client_ref"].empty()
                       ? "ref|" + norm(v["client_ref"])
                       : "name|" + norm(v["client_name"]) + "|" + (dob ? dob->toString() : "") +
                             "|" + norm(v["client_email"]);
    r.case_key = r.client_key + "|" + norm(r.kase.provider.name) + "|" + jid;
    r.request_key = r.case_key + "|" + norm(v["custodian_name"]) + "|" + kind_name + "|" +
                    norm(r.request.custodian_address) + "|" + scope + "|" +
                    (from ? from->toString() : "") + "|" + (to ? to->toString() : "") + "|" +
                    (billing.value_or(false) ? "b" : "") + (notes.value_or(false) ? "n" : "") +
                    "|" + send_to + "|" + norm(v["third_party_name"]);
    const std::string asks =
        "|" + scope + "|" + (from ? from->toString() : "") + "|" + (to ? to->toString() : "") +
        "|" + (billing.value_or(false) ? "b" : "") + (notes.value_or(false) ? "n" : "") + "|" +
        send_to + "|" + norm(v["third_party_name"]);
    r.fallback_key = !v["client_ref"].empty() ? r.case_key + "|" + norm(v["custodian_name"]) + asks
                                              : "row|" + std::to_string(rec.row) + "|" +
                                                    norm(v["custodian_name"]) + "|" + jid;
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

  const forms::FormSet& forms_;
  const jurisdiction::Registry& reg_;
  core::Date today_;
  const SeeAlso& see_;
  std::vector<int> index_;  // header position -> column, -1 for unknown
};

const forms::Form* requestForm(const Catalog& catalog) {
  return catalog.forms().find("records-request");
}

// skipped.csv: each skipped row once, its number, its problems ("column: problem; ..."),
// then its own cells under the header's names, so it can be fixed and run again.
core::Status writeSkipped(const std::string& dir, const BatchCheck& check) {
  std::map<long, std::string> problems;
  for (const auto& p : check.problems) {
    std::string& text = problems[p.row];
    text += (text.empty() ? "" : "; ") + (p.column.empty() ? "" : p.column + ": ") + p.message;
  }
  SheetRow rec;
  RECOURSE_RETURN_IF_ERROR(check.rows->readAt(check.header.offset, check.header.row, &rec));
  std::vector<std::string> line = {"row", "problems"};
  line.insert(line.end(), rec.fields.begin(), rec.fields.end());
  std::string text = csvLine(line);
  for (const auto& place : check.bad) {
    RECOURSE_RETURN_IF_ERROR(check.rows->readAt(place.offset, place.row, &rec));
    line = {std::to_string(place.row), problems[place.row]};
    line.insert(line.end(), rec.fields.begin(), rec.fields.end());
    text += csvLine(line);
  }
  return writeFileAtomically(dir + "/skipped.csv", {text.begin(), text.end()}, dir + "/skipped.csv")
      .withField("out_dir");
}

struct Counts {
  size_t made = 0;
  size_t existing = 0;
  size_t sent = 0;
  size_t corrected = 0;
  size_t not_reprinted = 0;
  std::vector<std::string> clients_made;
  std::vector<std::pair<long, std::string>> corrections;  // by row
};

std::string inQuotes(const std::string& v) { return "\"" + v + "\""; }

// The answer at "field" or "field.part" as text; "" when there is none.
std::string answerAt(const Object::Ptr& a, const std::string& field) {
  if (a.isNull()) return "";
  const size_t dot = field.find('.');
  const std::string key = field.substr(0, dot);
  if (!a->has(key)) return "";
  if (dot == std::string::npos) return a->get(key).toString();
  Object::Ptr inner = a->getObject(key);
  const std::string part = field.substr(dot + 1);
  return inner.isNull() || !inner->has(part) ? "" : inner->get(part).toString();
}

// The record an import key points at (`get` reads it), or nullopt when there is no key or
// the record was deleted since (NotFound); other errors as they are.
template <typename T, typename Get>
core::StatusOr<std::optional<T>> liveOrGone(const std::optional<std::string>& id, const Get& get) {
  if (!id) return std::optional<T>();
  auto got = get(*id);
  if (got.isOk()) return std::optional<T>(std::move(got).value());
  if (got.status().code() == core::StatusCode::kNotFound) return std::optional<T>();
  return got.status();
}

const core::RequestEvent* firstSent(const std::vector<core::RequestEvent>& events) {
  for (const auto& e : events) {
    if (e.type == core::RequestEventType::kSent) return &e;
  }
  return nullptr;
}

// Stores the rows of one batch run (or finds what an earlier run stored, and corrects it)
// and prepares their letters.
class RowStorer {
 public:
  RowStorer(Services& s, RowParser& parser, const BatchCheck& check, core::Timestamp now,
            const std::string& dir, long long last_letter_no)
      : s_(s), parser_(parser), check_(check), now_(now), dir_(dir), last_no_(last_letter_no) {}

  core::StatusOr<LetterJob> store(Row& row, Counts* counts, std::set<std::string>* notes);

 private:
  // Whether another row of this file is exactly (by request_key) the request `id`.
  core::StatusOr<bool> claimedByAnotherRow(const std::string& id, long row);
  core::Status rememberIfNew(const char* kind, const std::string& key, const std::string& id);
  core::Status linkAccount(const Row& row, const core::Client& client);
  // Applies the row's cells to what an earlier run stored; appends what changed.
  core::Status correct(const Row& row, core::Client* client, core::RecordsRequest* request,
                       std::vector<core::RequestEvent>* events, std::vector<std::string>* changes);

  Services& s_;
  RowParser& parser_;
  const BatchCheck& check_;
  core::Timestamp now_;
  const std::string& dir_;
  long long last_no_;
  std::optional<std::map<std::string, long>> claimed_;  // request id -> row, read when needed
  std::set<std::string> used_;                          // requests this run found or made
};

core::StatusOr<bool> RowStorer::claimedByAnotherRow(const std::string& id, long row) {
  if (!claimed_) {
    claimed_.emplace();
    for (const auto& place : check_.good) {
      SheetRow again;
      RECOURSE_RETURN_IF_ERROR(check_.rows->readAt(place.offset, place.row, &again));
      std::vector<RowProblem> p;
      auto r = parser_.parse(again, &p);
      if (!r) continue;
      RECOURSE_ASSIGN_OR_RETURN(auto found, s_.store.findImported("request", r->request_key));
      if (found) claimed_->emplace(*found, place.row);
    }
  }
  auto it = claimed_->find(id);
  return it != claimed_->end() && it->second != row;
}

core::Status RowStorer::rememberIfNew(const char* kind, const std::string& key,
                                      const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto found, s_.store.findImported(kind, key));
  if (found) return core::Status::ok();
  return s_.store.rememberImported(kind, key, id);
}

core::Status RowStorer::correct(const Row& row, core::Client* client, core::RecordsRequest* request,
                                std::vector<core::RequestEvent>* events,
                                std::vector<std::string>* changes) {
  store::Store& store = s_.store;
  std::vector<jurisdiction::Problem> ignored;
  Object::Ptr old = jurisdiction::parseJsonObject(request->answers_json, "request", &ignored);

  // The sent date and channel recorded from an earlier sent_on.
  std::string sent_change;
  if (const core::RequestEvent* sent = firstSent(*events); sent != nullptr && row.sent_on) {
    // An empty via cell keeps the channel recorded.
    const std::string via = row.via_given ? row.via : sent->via;
    if (sent->on != *row.sent_on || sent->via != via) {
      core::RequestEvent e = *sent;
      e.on = *row.sent_on;
      e.via = via;
      RECOURSE_RETURN_IF_ERROR(store.updateRequestEvent(e).status());
      if (sent->on != *row.sent_on) {
        sent_change = "sent_on " + sent->on.toString() + " → " + e.on.toString();
      }
      if (sent->via != via) {
        sent_change +=
            (sent_change.empty() ? "" : "; ") + std::string("via ") + sent->via + " → " + via;
      }
      for (auto& x : *events) {
        if (x.id == e.id) x = e;
      }
      std::stable_sort(
          events->begin(), events->end(),
          [](const core::RequestEvent& x, const core::RequestEvent& y) { return x.on < y.on; });
    }
  }

  // Every other cell, in the spreadsheet's column order.
  for (const auto& c : columns()) {
    const std::string name = c.name;
    if (name == "client_name") {
      // The client as stored, which another command may have changed since.
      if (row.client.name != client->name) {
        changes->push_back(name + " " + inQuotes(client->name) + " → " + inQuotes(row.client.name));
      }
    } else if (*c.field != '\0') {
      const std::string was = answerAt(old, c.field);
      const std::string now = answerAt(row.answers, c.field);
      if (was != now) changes->push_back(name + " " + inQuotes(was) + " → " + inQuotes(now));
    } else if (name == "client_phone" && !row.client.phone.empty() &&
               row.client.phone != client->phone) {
      changes->push_back(name + " " + inQuotes(client->phone) + " → " + inQuotes(row.client.phone));
    } else if (name == "reference" && row.request.reference != request->reference) {
      changes->push_back(name + " " + inQuotes(request->reference) + " → " +
                         inQuotes(row.request.reference));
    } else if (name == "sent_on" && !sent_change.empty()) {
      changes->push_back(sent_change);
    }
  }

  // The client: the name as the row has it; contact details the row gives.
  core::Client c = *client;
  c.name = row.client.name;
  for (auto [field, value] :
       {std::pair{&c.email, &row.client.email}, std::pair{&c.phone, &row.client.phone},
        std::pair{&c.address, &row.client.address},
        std::pair{&c.date_of_birth, &row.client.date_of_birth}}) {
    if (!value->empty()) *field = *value;
  }
  if (c.name != client->name || c.email != client->email || c.phone != client->phone ||
      c.address != client->address || c.date_of_birth != client->date_of_birth) {
    RECOURSE_RETURN_IF_ERROR(store.updateClient(c).status());
    *client = c;
  }
  const core::RecordsRequest& r = row.request;
  if (r.custodian_name != request->custodian_name ||
      r.custodian_address != request->custodian_address ||
      r.custodian_email != request->custodian_email || r.reference != request->reference ||
      r.answers_json != request->answers_json) {
    core::RecordsRequest updated = *request;
    updated.custodian_name = r.custodian_name;
    updated.custodian_address = r.custodian_address;
    updated.custodian_email = r.custodian_email;
    updated.reference = r.reference;
    updated.answers_json = r.answers_json;
    RECOURSE_RETURN_IF_ERROR(store.updateRequest(updated).status());
    *request = std::move(updated);
  }
  return core::Status::ok();
}

// The row's client_account becomes the client's own account (their key sealed to it). A
// problem names the row and the column; the chunk it is in is not stored.
core::Status RowStorer::linkAccount(const Row& row, const core::Client& client) {
  if (row.client_account.empty()) return core::Status::ok();
  auto linked = s_.store.linkClientAccount(client.id, row.client_account);
  if (linked.isOk()) return core::Status::ok();
  return core::Status(
      linked.status().code(),
      "row " + std::to_string(row.row) + ", client_account: " + linked.status().message(), "csv");
}

core::StatusOr<LetterJob> RowStorer::store(Row& row, Counts* counts, std::set<std::string>* notes) {
  store::Store& store = s_.store;
  const jurisdiction::Registry& reg = s_.catalog.law();
  const core::Date today = check_.today;
  core::Client client;
  core::Case kase;
  core::RecordsRequest request;
  std::vector<core::RequestEvent> events;
  auto getRequest = [&](const std::string& id) { return store.getRequest(id); };
  RECOURSE_ASSIGN_OR_RETURN(auto key, store.findImported("request", row.request_key));
  RECOURSE_ASSIGN_OR_RETURN(auto found, liveOrGone<core::RecordsRequest>(key, getRequest));
  const bool exact = found.has_value();
  if (!found) {
    // A cell of its identity may have been corrected: the row's earlier request, unless
    // another row of the file is that request.
    RECOURSE_ASSIGN_OR_RETURN(auto earlier, store.findImported("request_alt", row.fallback_key));
    if (earlier && used_.count(*earlier) == 0) {
      RECOURSE_ASSIGN_OR_RETURN(bool taken, claimedByAnotherRow(*earlier, row.row));
      if (!taken) {
        RECOURSE_ASSIGN_OR_RETURN(found, liveOrGone<core::RecordsRequest>(earlier, getRequest));
      }
    }
  }
  const bool is_new = !found.has_value();
  std::vector<std::string> changes;
  if (found) {
    request = std::move(*found);
    RECOURSE_ASSIGN_OR_RETURN(kase, store.getCase(request.case_id));
    RECOURSE_ASSIGN_OR_RETURN(client, store.getClient(kase.client_id));
    RECOURSE_ASSIGN_OR_RETURN(events, store.listRequestEvents(request.id));
    ++counts->existing;
    RECOURSE_RETURN_IF_ERROR(correct(row, &client, &request, &events, &changes));
    RECOURSE_RETURN_IF_ERROR(linkAccount(row, client));
    if (!exact) {
      RECOURSE_RETURN_IF_ERROR(rememberIfNew("request", row.request_key, request.id));
      RECOURSE_RETURN_IF_ERROR(rememberIfNew("client", row.client_key, client.id));
      RECOURSE_RETURN_IF_ERROR(rememberIfNew("case", row.case_key, kase.id));
    }
  } else {
    // What an earlier row made may have been deleted since: then it is made again.
    RECOURSE_ASSIGN_OR_RETURN(auto client_id, store.findImported("client", row.client_key));
    RECOURSE_ASSIGN_OR_RETURN(auto had_client,
                              liveOrGone<core::Client>(client_id, [&](const std::string& id) {
                                return store.getClient(id);
                              }));
    if (had_client) {
      client = std::move(*had_client);
    } else {
      RECOURSE_ASSIGN_OR_RETURN(client, store.addClient(row.client));
      RECOURSE_RETURN_IF_ERROR(store.rememberImportedLatest("client", row.client_key, client.id));
      counts->clients_made.push_back(client.id);
    }
    RECOURSE_RETURN_IF_ERROR(linkAccount(row, client));
    RECOURSE_ASSIGN_OR_RETURN(auto case_id, store.findImported("case", row.case_key));
    RECOURSE_ASSIGN_OR_RETURN(
        auto had_case,
        liveOrGone<core::Case>(case_id, [&](const std::string& id) { return store.getCase(id); }));
    if (had_case && had_case->client_id == client.id) {
      kase = std::move(*had_case);
    } else {
      row.kase.client_id = client.id;
      RECOURSE_ASSIGN_OR_RETURN(kase, store.addCase(row.kase));
      RECOURSE_RETURN_IF_ERROR(store.rememberImportedLatest("case", row.case_key, kase.id));
    }
    row.request.case_id = kase.id;
    RECOURSE_ASSIGN_OR_RETURN(request, store.addRequest(row.request));
    RECOURSE_RETURN_IF_ERROR(store.rememberImportedLatest("request", row.request_key, request.id));
    ++counts->made;
  }
  used_.insert(request.id);
  RECOURSE_ASSIGN_OR_RETURN(auto alt, store.findImported("request_alt", row.fallback_key));
  if (alt != request.id) {
    RECOURSE_RETURN_IF_ERROR(
        store.rememberImportedLatest("request_alt", row.fallback_key, request.id));
  }

  // A row that now says when the letter arrived records it, once.
  if (row.sent_on && firstSent(events) == nullptr) {
    core::RequestEvent e;
    e.request_id = request.id;
    e.type = core::RequestEventType::kSent;
    e.on = *row.sent_on;
    e.via = row.via;
    RECOURSE_ASSIGN_OR_RETURN(auto added, store.addRequestEvent(e));
    events.push_back(added);
    ++counts->sent;
  }
  auto state = jurisdiction::deriveRequestState(
      request.jurisdiction, events, reg, today, request.kind,
      reg.resolveLicense(kase.provider.license_type, request.jurisdiction));
  if (!changes.empty()) {
    for (auto& c : changes) {
      if (c.rfind("sent_on ", 0) == 0 && state.due) c += "; due date now " + state.due->toString();
    }
    std::string line;
    for (const auto& c : changes) line += (line.empty() ? "" : "; ") + c;
    ++counts->corrected;
    counts->corrections.emplace_back(row.row, "row " + std::to_string(row.row) + ": " + line);
  }

  // Its letter number: given once, in the first run's mailing order (a request made just
  // now has none yet).
  std::optional<store::BatchRow> kept;
  if (!is_new) {
    RECOURSE_ASSIGN_OR_RETURN(kept, store.batchRowOf(request.id));
  }
  const long long number = kept ? kept->letter_no : ++last_no_;
  if (!kept || kept->csv_row != row.row || kept->client_ref != row.client_ref) {
    RECOURSE_RETURN_IF_ERROR(
        store.rememberBatchRow({request.id, number, row.row, row.client_ref}, kept.has_value()));
  }

  LetterJob job;
  job.id = request.id;
  job.number = number;
  // A letter an earlier run made and that has gone out is not made again (it would be
  // dated today, with a reply date counted from a day long past), nor one for a request
  // withdrawn or closed since.
  const core::RequestEvent* sent = firstSent(events);
  std::string what = "";
  for (const auto& c : changes) what += (what.empty() ? "" : "; ") + c;
  const bool ended = state.status == core::RequestStatus::kWithdrawn ||
                     state.status == core::RequestStatus::kClosed;
  if (!is_new && (sent != nullptr || ended)) {
    std::string file = letterFileName(number, request.id);
    std::error_code ec;
    if (std::filesystem::exists(dir_ + "/" + file, ec)) job.kept_file = std::move(file);
    what += (what.empty() ? "" : "; ") +
            (sent != nullptr ? "sent " + sent->on.toString()
                             : std::string(core::requestStatusName(state.status))) +
            "; its letter was not printed again";
    ++counts->not_reprinted;
  } else {
    // The letter for what the row asks: a copy, a correction or a list of disclosures.
    const forms::Form* form = s_.catalog.forms().find(core::requestKindForm(request.kind));
    if (form == nullptr) return core::notFound("the form for this kind of request is missing");
    job.form = form;
    job.answers = new Object;
    requestAnswers(*form, request, job.answers);
    prefillAnswers(*form, client, kase, job.answers);
    std::vector<std::string> warnings;
    core::Date letter_sent = state.sent_on ? *state.sent_on : today;
    buildLetterContext(s_.catalog.forms(), reg, *form, client, kase, {}, letter_sent, today,
                       job.answers, &job.context, &warnings);
    applyRequestState(request, state, events, &job.context);
    for (const auto& w : warnings) notes->insert(w);
    job.info =
        pdf::DocInfo{form->document_title.get("en"), client.name, form->title.get("en"), now_};
    job.label = client.name + " to " + request.custodian_name;
  }
  job.tracking = {std::to_string(row.row),
                  row.client_ref,
                  std::to_string(number),
                  request.id,
                  client.name,
                  request.custodian_name,
                  state.sent_on ? state.sent_on->toString() : "",
                  state.due ? state.due->toString() : "",
                  core::requestStatusName(state.status),
                  is_new ? "new" : "earlier run",
                  what};
  return job;
}

}  // namespace

// ---- Requests from a spreadsheet ------------------------------------------------------------

core::StatusOr<BatchCheck> checkRequestBatch(const Catalog& catalog, const core::Clock& clock,
                                             const BatchImport& in) {
  if (in.rows == nullptr && in.csv_path.empty()) {
    return core::invalidArgument("is required").withField("csv");
  }
  RECOURSE_RETURN_IF_ERROR(checkOutDir(in.out_dir));
  RECOURSE_RETURN_IF_ERROR(threadsFor(in.threads).status());
  const forms::Form* form = requestForm(catalog);
  if (form == nullptr) return core::notFound("the records-request form is missing");

  BatchCheck check;
  check.today = clock.today();
  if (in.rows != nullptr) {
    check.rows = in.rows;
  } else {
    auto opened = openCsvRows(in.csv_path);
    if (!opened.isOk()) return core::invalidArgument(opened.status().message()).withField("csv");
    check.owned_rows = std::move(opened).value();
    check.rows = check.owned_rows.get();
  }
  RowSource& rows = *check.rows;
  check.source = rows.name();

  // Check every row; keep where each good one is and how it sorts.
  RowParser parser(catalog.forms(), catalog.law(), check.today, in.see);
  struct Sorted {
    std::string mail_key;
    BatchCheck::Place place;
  };
  std::vector<Sorted> good;
  std::map<std::string, long> first_row_of;  // request identity (hashed) -> row
  SheetRow rec;
  bool have_header = false;
  for (;;) {
    auto more = rows.next(&rec);
    if (!more.isOk()) return core::invalidArgument(more.status().message()).withField("csv");
    if (!*more) break;
    if (!have_header) {
      if (rec.blank()) continue;
      have_header = true;
      check.header = {rec.row, rec.offset};
      check.problems = parser.header(rec);
      check.header_bad = !check.problems.empty();
      if (check.header_bad) break;
      continue;
    }
    if (rec.blank()) continue;
    auto row = parser.parse(rec, &check.problems);
    if (!row) {
      check.bad.push_back({rec.row, rec.offset});
      continue;
    }
    auto [it, inserted] = first_row_of.emplace(store::sha256Hex(row->request_key), rec.row);
    if (!inserted) {
      check.problems.push_back({rec.row, "",
                                "asks the same as row " + std::to_string(it->second) +
                                    " (same client, custodian and records)"});
      check.bad.push_back({rec.row, rec.offset});
      continue;
    }
    good.push_back({std::move(row->mail_key), {rec.row, rec.offset}});
  }
  first_row_of.clear();
  if (!have_header) return core::invalidArgument(check.source + " is empty").withField("csv");
  check.header_columns = parser.headerColumns();
  std::set<long> bad_rows;
  for (const auto& p : check.problems) bad_rows.insert(p.row);
  check.bad_rows = bad_rows.size();

  std::stable_sort(good.begin(), good.end(), [](const Sorted& x, const Sorted& y) {
    return x.mail_key != y.mail_key ? x.mail_key < y.mail_key : x.place.row < y.place.row;
  });
  check.good.reserve(good.size());
  for (const auto& g : good) check.good.push_back(g.place);

  if (!check.problems.empty() && (!in.skip_invalid || check.header_bad)) {
    check.stopped = true;
    std::string msg = check.source + ": " + plural(check.bad_rows, "row has", "rows have") +
                      " problems; nothing was made" +
                      (check.header_bad ? ""
                                        : " (fix them, or skip the rows with problems to "
                                          "make the rest)") +
                      ":";
    for (const auto& p : check.problems) msg += "\n  " + describeProblem(p);
    check.verdict = core::invalidArgument(msg).withField("csv");
  } else if (check.good.empty()) {
    check.verdict = core::invalidArgument(check.source + " has no rows to make").withField("csv");
  }
  return check;
}

core::StatusOr<BatchSummary> importRequestBatch(Services& s, const BatchImport& in) {
  RECOURSE_ASSIGN_OR_RETURN(BatchCheck checked, checkRequestBatch(s.catalog, s.clock, in));
  return importRequestBatch(s, in, std::move(checked));
}

namespace {

// Before anything is stored: every client_account a good row names is a client's own account
// here. Problems name the row and the column, and nothing is made.
core::Status checkClientAccounts(Services& s, RowParser& parser, BatchCheck& checked) {
  const auto& columns = batchColumns();
  bool named = false;
  for (int i : checked.header_columns) {
    named = named ||
            (i >= 0 && std::string_view(columns[static_cast<size_t>(i)].name) == "client_account");
  }
  if (!named) return core::Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(auto accounts, s.store.accounts());
  std::map<std::string, std::string> role_of;  // lower-case name -> role
  for (const auto& a : accounts) role_of[norm(a.name)] = a.role;
  std::vector<RowProblem> problems;
  for (const auto& place : checked.good) {
    SheetRow again;
    RECOURSE_RETURN_IF_ERROR(checked.rows->readAt(place.offset, place.row, &again));
    std::vector<RowProblem> ignored;
    auto row = parser.parse(again, &ignored);
    if (!row || row->client_account.empty()) continue;
    auto it = role_of.find(norm(row->client_account));
    if (it == role_of.end()) {
      problems.push_back(
          {place.row, "client_account", "there is no account named " + row->client_account});
    } else if (it->second != "client") {
      problems.push_back({place.row, "client_account",
                          row->client_account + " is not a client's own account (their role is " +
                              it->second + ")"});
    }
  }
  if (problems.empty()) return core::Status::ok();
  std::string msg = checked.source + ": " + plural(problems.size(), "row names", "rows name") +
                    " an account that cannot be the client's own; nothing was made:";
  for (const auto& p : problems) msg += "\n  " + describeProblem(p);
  return core::invalidArgument(msg).withField("csv");
}

}  // namespace

core::StatusOr<BatchSummary> importRequestBatch(Services& s, const BatchImport& in,
                                                BatchCheck checked) {
  RECOURSE_RETURN_IF_ERROR(checked.verdict);
  RECOURSE_RETURN_IF_ERROR(checkOutDir(in.out_dir));
  RECOURSE_ASSIGN_OR_RETURN(const int threads, threadsFor(in.threads));
  const forms::Form* form = requestForm(s.catalog);
  if (form == nullptr) return core::notFound("the records-request form is missing");
  if (checked.rows == nullptr) return core::internalError("the batch was not checked");
  RECOURSE_ASSIGN_OR_RETURN(const pdf::FontKit* fonts, s.catalog.fonts());

  const std::string& dir = in.out_dir;
  RECOURSE_RETURN_IF_ERROR(makeOutDir(dir));
  std::error_code ec;
  if (!checked.problems.empty()) {
    RECOURSE_RETURN_IF_ERROR(writeSkipped(dir, checked));
  } else {
    std::filesystem::remove(dir + "/skipped.csv", ec);  // an earlier run's
  }
  LetterBatch::Options opt;
  opt.dir = dir;
  opt.combined_name = "all-letters.pdf";
  opt.combined_title = "Records requests in mailing order";
  opt.combined_when = s.clock.now();
  opt.tracking_header = {"csv_row", "client_ref", "letter_no", "request_id", "client", "custodian",
                         "sent_on", "due",        "status",    "made",       "changes"};
  opt.total = checked.good.size();
  opt.threads = threads;
  opt.progress = in.progress;
  RECOURSE_ASSIGN_OR_RETURN(auto batch, LetterBatch::start(*fonts, opt));

  // Read the good rows again, in mailing order, in transactions of kChunk rows; letters are
  // queued only once their rows are committed.
  RowParser parser(s.catalog.forms(), s.catalog.law(), checked.today, in.see);
  parser.setHeaderColumns(checked.header_columns);
  RECOURSE_RETURN_IF_ERROR(checkClientAccounts(s, parser, checked));
  RowSource& rows = *checked.rows;
  const auto& good = checked.good;
  constexpr size_t kChunk = 250;
  Counts total;
  const core::Timestamp now = s.clock.now();
  RECOURSE_ASSIGN_OR_RETURN(const long long last_letter_no, s.store.lastLetterNumber());
  RowStorer storer(s, parser, checked, now, dir, last_letter_no);
  std::set<std::string> notes;  // said once for the whole batch
  std::set<std::string> clients_made;
  for (size_t start = 0; start < good.size(); start += kChunk) {
    size_t end = std::min(good.size(), start + kChunk);
    std::vector<LetterJob> jobs;
    jobs.reserve(end - start);
    Counts here;
    core::Status st = s.store.inOneTransaction([&]() -> core::Status {
      std::vector<Row> chunk;
      chunk.reserve(end - start);
      std::vector<std::pair<std::string, std::string>> keys;
      for (size_t i = start; i < end; ++i) {
        SheetRow again;
        RECOURSE_RETURN_IF_ERROR(rows.readAt(good[i].offset, good[i].row, &again));
        std::vector<RowProblem> p;
        auto row = parser.parse(again, &p);
        if (!row) {
          return core::failedPrecondition(checked.source + " changed while it was read")
              .withField("csv");
        }
        keys.emplace_back("request", row->request_key);
        keys.emplace_back("request_alt", row->fallback_key);
        keys.emplace_back("client", row->client_key);
        keys.emplace_back("case", row->case_key);
        chunk.push_back(std::move(*row));
      }
      // What earlier runs made of these rows, read at once (an organization database would
      // otherwise answer each row's four questions in four round trips).
      RECOURSE_RETURN_IF_ERROR(s.store.prefetchImported(keys));
      for (Row& row : chunk) {
        RECOURSE_ASSIGN_OR_RETURN(LetterJob job, storer.store(row, &here, &notes));
        jobs.push_back(std::move(job));
      }
      return core::Status::ok();
    });
    if (!st.isOk()) {
      return core::Status(st.code(),
                          st.message() + "\n(" +
                              plural(total.made, "request was", "requests were") +
                              " stored before this; running the same file again adds the rest "
                              "without duplicating them)",
                          st.field());
    }
    total.made += here.made;
    total.existing += here.existing;
    total.sent += here.sent;
    total.corrected += here.corrected;
    total.not_reprinted += here.not_reprinted;
    total.corrections.insert(total.corrections.end(), here.corrections.begin(),
                             here.corrections.end());
    clients_made.insert(here.clients_made.begin(), here.clients_made.end());
    for (auto& job : jobs) RECOURSE_RETURN_IF_ERROR(batch->add(std::move(job)));
    if (batch_testing::after_chunk != nullptr) batch_testing::after_chunk(end);
  }
  RECOURSE_RETURN_IF_ERROR(batch->finish());

  BatchSummary out;
  out.rows_ready = good.size();
  out.rows_skipped = checked.bad_rows;
  out.requests_made = total.made;
  out.requests_existing = total.existing;
  out.clients_made = clients_made.size();
  out.marked_sent = total.sent;
  out.requests_corrected = total.corrected;
  out.letters = batch->letters();
  out.letters_not_reprinted = total.not_reprinted;
  std::stable_sort(total.corrections.begin(), total.corrections.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& c : total.corrections) out.corrections.push_back(std::move(c.second));
  out.pages = batch->pages();
  out.out_dir = dir;
  out.letters_dir = dir + "/letters";
  out.combined = out.letters > 0 ? dir + "/all-letters.pdf" : "";
  out.tracking = dir + "/tracking.csv";
  if (!checked.problems.empty()) out.skipped = dir + "/skipped.csv";
  for (auto& n : batch->glyphNotes()) notes.insert(std::move(n));
  out.notes.assign(notes.begin(), notes.end());
  return out;
}

// ---- Follow-ups -----------------------------------------------------------------------------

namespace {

// What makeFollowups records on a followup_sent event besides its reply window.
std::string followupDetails(int days) {
  return "Follow-up letter asking for a reply within " + std::to_string(days) + " days";
}

}  // namespace

core::StatusOr<FollowupSummary> makeFollowups(Services& s, const Followups& in) {
  RECOURSE_RETURN_IF_ERROR(checkOutDir(in.out_dir));
  const std::string& within = in.reply_within_days;
  if (within != "7" && within != "10" && within != "14") {
    return core::invalidArgument(shown(within) + " is not 7, 10 or 14")
        .withField("reply_within_days");
  }
  const core::Date today = in.as_of.value_or(s.clock.today());
  if (in.sent_on && s.clock.today() < *in.sent_on) {
    return core::invalidArgument(in.sent_on->toString() + " is in the future").withField("sent_on");
  }
  if (in.as_of && in.sent_on && *in.sent_on < *in.as_of) {
    return core::invalidArgument(
               "is " + today.toString() + ", after the day they were sent (" +
               in.sent_on->toString() +
               "); make the letters ahead of time, and record them once they have gone out")
        .withField("as_of");
  }
  const std::string via = in.via.empty() ? "mail" : in.via;
  const auto& channels = core::sendChannels();
  if (std::find(channels.begin(), channels.end(), via) == channels.end()) {
    std::string list;
    for (const auto& c : channels) list += (list.empty() ? "" : ", ") + c;
    return core::invalidArgument(shown(via) + " is not one of " + list).withField("via");
  }
  if (!in.via.empty() && !in.sent_on) {
    return core::invalidArgument("is only given with sent_on").withField("via");
  }
  RECOURSE_ASSIGN_OR_RETURN(const int threads, threadsFor(in.threads));

  store::Store& store = s.store;
  const jurisdiction::Registry& reg = s.catalog.law();
  const forms::Form* form = s.catalog.forms().find("records-followup");
  if (form == nullptr) return core::notFound("the records-followup form is missing");
  auto requests = store.listRequests(in.case_id);
  if (!requests.isOk()) {
    if (requests.status().code() == core::StatusCode::kNotFound && !in.case_id.empty()) {
      return core::notFound("no case with id " + in.case_id).withField("case_id");
    }
    return requests.status();
  }

  // Which are overdue today (or answered only in part after their due date).
  struct Due {
    long long letter_no;  // the batch's, or 0
    std::string mail_key;
    size_t index;
    jurisdiction::RequestState state;
    std::vector<core::RequestEvent> events;
    store::BatchRow from;
  };
  std::vector<Due> due;
  size_t waiting = 0;
  const int within_days = std::stoi(within);
  std::map<std::string, core::Case> cases;
  for (size_t i = 0; i < requests->size(); ++i) {
    const auto& r = (*requests)[i];
    RECOURSE_ASSIGN_OR_RETURN(auto events, store.listRequestEvents(r.id));
    auto it = cases.find(r.case_id);
    if (it == cases.end()) {
      RECOURSE_ASSIGN_OR_RETURN(auto c, store.getCase(r.case_id));
      it = cases.emplace(r.case_id, std::move(c)).first;
    }
    std::string jid = r.jurisdiction.empty() ? it->second.provider.jurisdiction : r.jurisdiction;
    auto state = jurisdiction::deriveRequestState(
        jid, events, reg, today, r.kind, reg.resolveLicense(it->second.provider.license_type, jid));
    bool late = state.status == core::RequestStatus::kOverdue ||
                (state.status == core::RequestStatus::kPartiallyFulfilled && state.due &&
                 state.days_left < 0);
    if (!late) continue;
    if (state.awaiting_followup_reply) {
      ++waiting;
      continue;
    }
    RECOURSE_ASSIGN_OR_RETURN(auto from, store.batchRowOf(r.id));
    due.push_back({from ? from->letter_no : 0,
                   norm(r.custodian_name) + '\x1f' + norm(r.custodian_address), i, std::move(state),
                   std::move(events), from.value_or(store::BatchRow{})});
  }
  FollowupSummary out;
  out.today = today;
  out.waiting_on_followup = waiting;
  if (due.empty()) return out;
  // The batch's mailing order (its letter numbers), then the others by custodian.
  std::stable_sort(due.begin(), due.end(), [](const Due& x, const Due& y) {
    if ((x.letter_no > 0) != (y.letter_no > 0)) return x.letter_no > 0;
    if (x.letter_no != y.letter_no) return x.letter_no < y.letter_no;
    return x.mail_key < y.mail_key;
  });
  RECOURSE_ASSIGN_OR_RETURN(long long next_no, store.lastLetterNumber());

  RECOURSE_ASSIGN_OR_RETURN(const pdf::FontKit* fonts, s.catalog.fonts());
  const std::string& dir = in.out_dir;
  RECOURSE_RETURN_IF_ERROR(makeOutDir(dir));
  LetterBatch::Options opt;
  opt.dir = dir;
  opt.combined_name = "all-letters.pdf";
  opt.combined_title = "Follow-up letters in mailing order";
  opt.combined_when = s.clock.now();
  opt.tracking_header = {"csv_row",   "client_ref", "letter_no", "request_id",   "client",
                         "custodian", "sent_on",    "due",       "days_overdue", "status"};
  opt.total = due.size();
  opt.threads = threads;
  opt.progress = in.progress;
  RECOURSE_ASSIGN_OR_RETURN(auto batch, LetterBatch::start(*fonts, opt));
  std::map<std::string, core::Client> clients;
  std::set<std::string> notes;
  for (auto& d : due) {
    const core::RecordsRequest& r = (*requests)[d.index];
    const core::Case& kase = cases.at(r.case_id);
    auto cit = clients.find(kase.client_id);
    if (cit == clients.end()) {
      RECOURSE_ASSIGN_OR_RETURN(auto c, store.getClient(kase.client_id));
      cit = clients.emplace(kase.client_id, std::move(c)).first;
    }
    LetterJob job;
    job.form = form;
    job.answers = new Object;
    requestAnswers(*form, r, job.answers);
    followupAnswers(*form, d.events, job.answers);
    if (!job.answers->has("reply_within_days")) job.answers->set("reply_within_days", within);
    if (!job.answers->has("mention_escalation")) {
      job.answers->set("mention_escalation", in.mention_escalation);
    }
    prefillAnswers(*form, cit->second, kase, job.answers);
    auto problems = forms::checkAnswers(*form, job.answers, today);
    if (!problems.empty()) {
      return core::invalidArgument("request " + r.id + ": " + problems.front().field + ": " +
                                   problems.front().message + "; nothing was recorded");
    }
    std::vector<std::string> warnings;
    // A follow-up to a correction (or a list) cites that right's law.
    forms::Form for_kind = *form;
    for_kind.right = core::requestKindName(r.kind);
    buildLetterContext(s.catalog.forms(), reg, for_kind, cit->second, kase, {}, *d.state.sent_on,
                       today, job.answers, &job.context, &warnings);
    applyRequestState(r, d.state, d.events, &job.context);
    for (const auto& w : warnings) notes.insert(w);
    job.info = pdf::DocInfo{form->document_title.get("en"), cit->second.name, form->title.get("en"),
                            s.clock.now()};
    job.id = r.id;
    job.number = d.letter_no > 0 ? d.letter_no : ++next_no;
    job.label = cit->second.name + " to " + r.custodian_name;
    job.tracking = {d.from.csv_row > 0 ? std::to_string(d.from.csv_row) : "",
                    d.from.client_ref,
                    d.letter_no > 0 ? std::to_string(d.letter_no) : "",
                    r.id,
                    cit->second.name,
                    r.custodian_name,
                    d.state.sent_on ? d.state.sent_on->toString() : "",
                    d.state.due ? d.state.due->toString() : "",
                    std::to_string(-d.state.days_left),
                    core::requestStatusName(d.state.status)};
    RECOURSE_RETURN_IF_ERROR(batch->add(std::move(job)));
  }
  RECOURSE_RETURN_IF_ERROR(batch->finish());

  // Only once every letter is written: record them as sent, all or none.
  if (in.sent_on) {
    RECOURSE_RETURN_IF_ERROR(store.inOneTransaction([&]() -> core::Status {
      for (const auto& d : due) {
        core::RequestEvent e;
        e.request_id = (*requests)[d.index].id;
        e.type = core::RequestEventType::kFollowUpSent;
        e.on = *in.sent_on;
        e.via = via;
        e.details = followupDetails(within_days);
        e.reply_within_days = within_days;
        RECOURSE_RETURN_IF_ERROR(store.addRequestEvent(e).status());
      }
      return core::Status::ok();
    }));
    out.recorded_sent_on = in.sent_on;
    out.via = via;
  }
  out.letters = due.size();
  out.pages = batch->pages();
  out.out_dir = dir;
  out.letters_dir = dir + "/letters";
  out.combined = dir + "/all-letters.pdf";
  out.tracking = dir + "/tracking.csv";
  for (auto& n : batch->glyphNotes()) notes.insert(std::move(n));
  out.notes.assign(notes.begin(), notes.end());
  return out;
}

}  // namespace recourse::service
