// Organization scale: an office's database on PostgreSQL, loaded step by step up to
// 100,000 clients (1,000,000 incidents, 1,000,000 records requests), and after each step
// what an advocate who helps 500 of those clients waits for: their deadlines view, their
// caseload page and a case page's data. bench/org_scale.sh runs it against a throwaway
// server and prints the table docs/performance.md shows.
//
//   org_scale URL VAULT STEPS RUNS
//     URL    the organization database (an empty one)
//     VAULT  a vault file to load into first (made here; must not exist)
//     STEPS  client counts to load up to, in order, e.g. 1000,10000,100000
//     RUNS   timed repetitions of each view after one untimed first look
//   org_scale URL - views:N RUNS
//     times the views only, in a database an earlier run loaded with N clients (while
//     working on them: loading 100,000 clients takes minutes)
//   ORG_SCALE_RUNS=1 prints every timed deadlines run (ms) to stderr, to see its spread
//   ORG_SCALE_CHANGES=N changes N clients' records before each run of the deadlines view
//     after changes (default kChangedEach; 0 leaves that view out)
//
// Everything is written through the store, as the app writes it: every field sealed with
// its client's key, every record audited, in transactions of kChunk clients; into a vault
// file, which after each step is moved into the organization database as `recourse
// migrate --to` moves one (Store::copyInto: COPY, page by page) — into a schema of its own
// for each step but the last, which goes into the URL's own. Each client has one case (a
// therapist in one of kPlaces), 10 incidents over the last eight years and 10 records
// requests, 4 of them sent in the last 60 days (so some are due this week and some
// overdue). The advocate is given the first 500 clients, so what they see is the same at
// every step while the database around it grows.
//
// Prints one line per step: "clients=… incidents=… requests=… load_rows_per_s=…
// copy_s=… copy_rows_per_s=… deadlines_items=… deadlines_p50_ms=… deadlines_p99_ms=…
// caseload_p50_ms=… caseload_p99_ms=… case_p50_ms=… case_p99_ms=… first_deadlines_ms=…
// first_case_ms=… deadlines_cpu_p50_ms=… deadlines_max_ms=… deadlines_reads_ahead=…
// deadlines_from_digests=… deadlines_read_afresh=… changed_p50_ms=… changed_p99_ms=…
// case_reads_ahead=…" (the CPU figure is this program's own processor time, every thread,
// per deadlines view: the rest of the wait is the server's; max is the slowest deadlines
// view of the runs; the first look makes each client's deadline digest
// (store/deadline_digests.h), and from_digests and read_afresh say how a view after it read
// them; changed_… is the deadlines view run after kChangedEach clients' records changed each
// time; the reads ahead are the answers each view or page took from what it sent at once).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/entities.h"
#include "core/request.h"
#include "service/case_overview.h"
#include "service/caseload.h"
#include "service/deadlines.h"
#include "service/services.h"
#include "store/crypto.h"
#include "store/data_dir.h"
#include "store/store.h"

namespace {

using recourse::core::Status;
using recourse::store::Store;
using Clock = std::chrono::steady_clock;

constexpr int kIncidentsEach = 10;
constexpr int kRequestsEach = 10;
constexpr int kSentEach = 4;
constexpr int kAdvocateClients = 500;
constexpr int kChunk = 100;
constexpr const char* kOwnerPass = "benchmark owner passphrase, not a real one";
constexpr const char* kAdvocatePass = "benchmark advocate passphrase, not a real one";

struct Place {
  const char* jurisdiction;
  const char* license;
};
constexpr Place kPlaces[] = {{"us-ca", "LMFT"}, {"us-fl", "LMHC"}, {"us-tx", "LPC"},
                             {"us-ny", "LCSW"}, {"us-wa", "LMHC"}, {"us-il", "LCPC"}};

[[noreturn]] void fail(const std::string& what, const Status& st) {
  std::fprintf(stderr, "org_scale: %s: %s\n", what.c_str(), st.toString().c_str());
  std::exit(1);
}

template <typename T>
T must(const std::string& what, recourse::core::StatusOr<T> v) {
  if (!v.isOk()) fail(what, v.status());
  return std::move(v).value();
}

recourse::core::Date daysAgo(const recourse::core::Date& today, int days) {
  return recourse::core::Date(std::chrono::year_month_day(today.days() - std::chrono::days(days)));
}

// One client with their case, incidents and requests, as the office would have entered them.
Status addOneClient(Store& st, int n, const recourse::core::Date& today) {
  recourse::core::Client c;
  c.name = "Client " + std::to_string(n) + " Okafor-Núñez";
  c.email = "client" + std::to_string(n) + "@example.org";
  c.phone = "555-01" + std::to_string(n % 100);
  c.address = std::to_string(n % 900 + 1) + " Elm Street, Springfield";
  c.notes = "Referred by the front desk; prefers mail.";
  RECOURSE_ASSIGN_OR_RETURN(auto client, st.addClient(c));
  const Place& place = kPlaces[n % std::size(kPlaces)];
  recourse::core::Case k;
  k.client_id = client.id;
  k.title = "Therapist " + std::to_string(n % 5000);
  k.provider.name = "Dr. Provider " + std::to_string(n % 5000);
  k.provider.license_type = place.license;
  k.provider.jurisdiction = place.jurisdiction;
  k.provider.license_number = "LIC" + std::to_string(100000 + n % 5000);
  k.provider.practice = "Practice " + std::to_string(n % 1400) + " Counseling";
  k.provider.address = std::to_string(n % 500) + " Main St, Springfield";
  RECOURSE_ASSIGN_OR_RETURN(auto kase, st.addCase(k));
  for (int i = 0; i < kIncidentsEach; ++i) {
    recourse::core::Incident in;
    in.case_id = kase.id;
    in.summary = "Session " + std::to_string(i + 1) + ": boundaries crossed";
    in.date_precision = recourse::core::DatePrecision::kExact;
    in.date_start = daysAgo(today, 30 + ((n * 37 + i * 211) % 2900));
    in.channel = "in_session";
    in.narrative =
        "What happened in this session, in the person's own words, over a few sentences. "
        "They said the therapist asked about things unrelated to treatment and would not stop.";
    in.impact = "Could not sleep for weeks afterwards.";
    RECOURSE_RETURN_IF_ERROR(st.addIncident(in).status());
  }
  for (int r = 0; r < kRequestsEach; ++r) {
    recourse::core::RecordsRequest rq;
    rq.case_id = kase.id;
    rq.custodian_name = "Practice " + std::to_string((n + r) % 1400) + " Counseling";
    rq.custodian_address = std::to_string(r + 1) + " Records Way, Springfield";
    rq.custodian_email = "records" + std::to_string((n + r) % 1400) + "@example.org";
    RECOURSE_ASSIGN_OR_RETURN(auto added, st.addRequest(rq));
    if (r < kSentEach) {
      recourse::core::RequestEvent e;
      e.request_id = added.id;
      e.type = recourse::core::RequestEventType::kSent;
      e.on = daysAgo(today, (n * 7 + r * 13) % 60);
      e.via = "mail";
      RECOURSE_RETURN_IF_ERROR(st.addRequestEvent(e).status());
    }
  }
  if (n < kAdvocateClients) {
    RECOURSE_RETURN_IF_ERROR(
        st.grantAccess(client.id, "advocate", "assigned to this advocate").status());
  }
  return Status::ok();
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The p-th percentile (nearest rank) of `v`.
double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

struct Timing {
  double first = 0;
  std::vector<double> runs;
  std::vector<double> cpu;  // this side's share of each run (ms of processor time)
};

// This process's processor time (every thread of it) so far, in ms.
double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

Timing timeIt(int runs, const std::function<void()>& body) {
  Timing t;
  auto start = Clock::now();
  body();
  t.first = ms(Clock::now() - start);
  for (int i = 0; i < runs; ++i) {
    const double cpu = cpuMs();
    start = Clock::now();
    body();
    t.runs.push_back(ms(Clock::now() - start));
    t.cpu.push_back(cpuMs() - cpu);
  }
  return t;
}

std::vector<int> parseSteps(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) out.push_back(std::stoi(part));
  return out;
}

struct Views {
  size_t items = 0;
  double reads_ahead = 0;       // answers each deadlines view took from what it sent ahead
  double case_reads_ahead = 0;  // the same for each case page
  // Of the advocate's clients, how many a deadlines view read from their digests once the
  // first look had made them, and how many from their records.
  long long from_digests = 0, read_afresh = 0;
  Timing deadlines, caseload, case_page;
  // The deadlines view right after kChangedEach of the clients' records changed (an
  // incident added to each, untimed): those read afresh, the rest from their digests.
  Timing after_changes;
};

// How many clients' records change before each timed run of Views::after_changes.
constexpr int kChangedEach = 5;

// The advocate, in a process of their own (here: a store and connection of their own),
// looking at their deadlines, their caseload and their cases' pages, RUNS times each.
Views timeViews(const std::string& url, const recourse::core::Clock& clock,
                const recourse::service::Catalog& catalog, int loaded, int runs) {
  auto adv = must("open as the advocate", Store::openPostgres(url, clock));
  if (auto st = adv->unlock("advocate", kAdvocatePass); !st.isOk()) fail("unlock", st);
  recourse::service::Services svc{catalog, *adv, clock, ""};
  Views v;
  const long long ahead = adv->answersTakenAhead();
  v.deadlines = timeIt(
      runs, [&] { v.items = must("deadlines", recourse::service::listDeadlines(svc, {})).size(); });
  v.reads_ahead = static_cast<double>(adv->answersTakenAhead() - ahead) / (runs + 1);
  {
    auto in = must("deadline inputs", adv->deadlineInputs("", nullptr));
    v.from_digests = in.from_digests;
    v.read_afresh = in.read_afresh;
  }
  v.caseload = timeIt(runs, [&] { must("caseload", recourse::service::caseload(svc, 7)); });
  auto cases = must("the advocate's cases", adv->listCases(""));
  const auto expected = static_cast<size_t>(std::min(loaded, kAdvocateClients));
  if (cases.size() != expected) {
    fail("the advocate's cases",
         recourse::core::internalError("expected " + std::to_string(expected) + ", found " +
                                       std::to_string(cases.size())));
  }
  size_t next_case = 0;
  const long long case_ahead = adv->answersTakenAhead();
  v.case_page = timeIt(runs, [&] {
    const auto& k = cases[next_case++ % cases.size()];
    must("case page", recourse::service::caseOverview(svc, k.id));
  });
  v.case_reads_ahead = static_cast<double>(adv->answersTakenAhead() - case_ahead) / (runs + 1);
  // Last, as it writes: others at work meanwhile. Before each run a few of the clients'
  // records change (the writes untimed), so those few are read afresh and the rest come
  // from their digests.
  // ORG_SCALE_CHANGES=0 leaves this out (bench/deadlines_instructions.sh).
  const char* changes = std::getenv("ORG_SCALE_CHANGES");
  const int changed_each = changes != nullptr ? std::atoi(changes) : kChangedEach;
  size_t next_changed = 0;
  const auto today = clock.today();
  for (int i = 0; changed_each > 0 && i <= runs; ++i) {
    for (int k = 0; k < changed_each; ++k) {
      recourse::core::Incident later;
      later.case_id = cases[(next_changed++ * 97) % cases.size()].id;
      later.summary = "Noted later";
      later.date_precision = recourse::core::DatePrecision::kExact;
      later.date_start = daysAgo(today, 30);
      must("an incident added", adv->addIncident(later));
    }
    const double cpu = cpuMs();
    const auto start = Clock::now();
    must("deadlines after changes", recourse::service::listDeadlines(svc, {}));
    const double took = ms(Clock::now() - start);
    if (i == 0) {
      v.after_changes.first = took;
    } else {
      v.after_changes.runs.push_back(took);
      v.after_changes.cpu.push_back(cpuMs() - cpu);
    }
  }
  return v;
}

void dumpRuns(const Views& v) {
  if (std::getenv("ORG_SCALE_RUNS") == nullptr) return;
  for (size_t i = 0; i < v.deadlines.runs.size(); ++i) {
    std::fprintf(stderr, "%.1f/%.1f ", v.deadlines.runs[i], v.deadlines.cpu[i]);
  }
  std::fprintf(stderr, "\n");
}

void printViews(const Views& v, int loaded, int step_clients, double load_s, double copy_s,
                long long copied_rows) {
  std::printf(
      "clients=%d incidents=%d requests=%d load_rows_per_s=%.0f copy_s=%.1f "
      "copy_rows_per_s=%.0f deadlines_items=%zu deadlines_p50_ms=%.2f deadlines_p99_ms=%.2f "
      "caseload_p50_ms=%.2f caseload_p99_ms=%.2f case_p50_ms=%.2f case_p99_ms=%.2f "
      "first_deadlines_ms=%.1f first_case_ms=%.1f deadlines_cpu_p50_ms=%.2f "
      "deadlines_max_ms=%.2f deadlines_reads_ahead=%.1f deadlines_from_digests=%lld "
      "deadlines_read_afresh=%lld changed_p50_ms=%.2f changed_p99_ms=%.2f "
      "case_reads_ahead=%.1f\n",
      loaded, loaded * kIncidentsEach, loaded * kRequestsEach,
      load_s > 0 ? step_clients * (2.0 + kIncidentsEach + kRequestsEach + kSentEach) / load_s : 0,
      copy_s, copy_s > 0 ? static_cast<double>(copied_rows) / copy_s : 0, v.items,
      percentile(v.deadlines.runs, 50), percentile(v.deadlines.runs, 99),
      percentile(v.caseload.runs, 50), percentile(v.caseload.runs, 99),
      percentile(v.case_page.runs, 50), percentile(v.case_page.runs, 99), v.deadlines.first,
      v.case_page.first, percentile(v.deadlines.cpu, 50), percentile(v.deadlines.runs, 100),
      v.reads_ahead, v.from_digests, v.read_afresh,
      v.after_changes.runs.empty() ? 0.0 : percentile(v.after_changes.runs, 50),
      v.after_changes.runs.empty() ? 0.0 : percentile(v.after_changes.runs, 99),
      v.case_reads_ahead);
  dumpRuns(v);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr,
                 "usage: org_scale URL VAULT STEPS RUNS  (e.g. org_scale URL /tmp/v.db 1000 50)\n");
    return 2;
  }
  const std::string url = argv[1];
  const std::string vault = argv[2];
  const int runs = std::stoi(argv[4]);
  recourse::core::SystemClock clock;
  const auto params = must("key derivation", recourse::store::kdfParamsNamed("interactive"));
  auto catalog =
      recourse::service::Catalog::load({std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions",
                                        std::string(RECOURSE_SOURCE_DIR) + "/forms"});

  if (std::string(argv[3]).rfind("views:", 0) == 0) {
    const int loaded = std::stoi(std::string(argv[3]).substr(6));
    printViews(timeViews(url, clock, *catalog, loaded, runs), loaded, 0, 0, 0, 0);
    return 0;
  }
  const std::vector<int> steps = parseSteps(argv[3]);
  auto owner = must("make " + vault, Store::openFile(vault, Store::OpenMode::kCreate, clock));
  must("make the vault", owner->createVault("owner", kOwnerPass, params));
  must("make the advocate's account",
       owner->addAccount("advocate", "advocate", kAdvocatePass, "", params));

  int loaded = 0;
  for (size_t step = 0; step < steps.size(); ++step) {
    const int target = steps[step];
    const int before = loaded;
    const auto load_start = Clock::now();
    const auto today = clock.today();
    while (loaded < target) {
      const int end = std::min(target, loaded + kChunk);
      Status st = owner->inOneTransaction([&]() -> Status {
        for (int n = loaded; n < end; ++n) RECOURSE_RETURN_IF_ERROR(addOneClient(*owner, n, today));
        return Status::ok();
      });
      if (!st.isOk()) fail("load clients " + std::to_string(loaded), st);
      loaded = end;
    }
    const double load_s = std::max(1e-3, ms(Clock::now() - load_start) / 1000.0);
    const int step_clients = loaded - before;

    // Into the organization database: a schema of its own for every step but the last.
    const bool last = step + 1 == steps.size();
    const std::string schema = "step_" + std::to_string(loaded);
    const std::string step_url = last ? url
                                      : url + (url.find('?') == std::string::npos ? "?" : "&") +
                                            "options=-csearch_path%3D" + schema;
    const auto copy_start = Clock::now();
    long long copied_rows = 0;
    {
      auto org = must("open " + recourse::store::redactedUrl(step_url),
                      Store::openPostgres(step_url, clock));
      auto counts = must("copy into the organization database", owner->copyInto(*org));
      for (const auto& [table, n] : counts) copied_rows += n;
    }
    const double copy_s = std::max(1e-3, ms(Clock::now() - copy_start) / 1000.0);

    // (An earlier step's schema stays until the server goes: a tenth of the last one's size.)
    printViews(timeViews(step_url, clock, *catalog, loaded, runs), loaded, step_clients, load_s,
               copy_s, copied_rows);
  }
  return 0;
}
