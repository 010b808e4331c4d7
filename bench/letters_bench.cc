// Benchmark: N records-request letters with Unicode names, rendered from the
// shipped form definition in one process, single-threaded and on all cores. Prints one
// line of results; bench/run.sh runs it several times beside LibreOffice and reports
// medians. This is a measurement tool, not a test.
//
// usage: letters_bench N THREADS OUT_DIR [--embed] [--write-html DIR]
//   every letter embeds its font (DejaVu Sans); --embed is accepted and changes nothing
#include <Poco/JSON/Object.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "forms/loader.h"
#include "pdf/document.h"

using namespace recourse;  // NOLINT(google-build-using-namespace)

namespace {

// One person per letter, in six scripts and code pages: Western European, Vietnamese,
// Polish, Czech, Russian/Ukrainian, Greek.
const char* kNames[] = {"Zoë Müller-Nuñez", "Nguyễn Thị Minh", "Łukasz Wróblewski",
                        "Šimon Dvořák",     "Олена Коваль",    "Αλέξανδρος Παπαδόπουλος"};
const char* kOtherNames[] = {"Zoë Nuñez",      "Minh Nguyễn",     "Łukasz Wróbel",
                             "Šimon Dvořáček", "Олена Ковальчук", "Αλέξανδρος Παπαδάκης"};

pdf::DocumentContext contextFor(int i) {
  pdf::DocumentContext dc;
  std::string name = kNames[i % 6];
  dc.values["client.name"] = name;
  dc.values["law.citation"] = "Cal. Health & Safety Code § 123110(b)";
  dc.values["federal.citation"] = "45 CFR 164.524(b)(2)(i)";
  dc.values["law.response_rule"] =
      "Under Cal. Health & Safety Code § 123110(b), the records must be provided within 15 "
      "calendar days after the provider receives the request.";
  dc.values["due_date"] = "March 17, 2026";
  dc.sender = {name, "12 Elm St", "Oakland, CA 94607"};
  dc.recipient = {"Medical Records", "Bayview Counseling", "400 Bay St", "Oakland, CA 94607"};
  dc.date_line = "March 2, 2026";
  return dc;
}

Poco::JSON::Object::Ptr answersFor(int i) {
  Poco::JSON::Object::Ptr a = new Poco::JSON::Object;
  a->set("requester_name", std::string(kNames[i % 6]));
  a->set("other_names", std::string(kOtherNames[i % 6]));
  a->set("date_of_birth", std::string("1990-05-17"));
  a->set("custodian_name", std::string("Bayview Counseling"));
  a->set("scope", std::string("dates"));
  Poco::JSON::Object::Ptr range = new Poco::JSON::Object;
  range->set("start", std::string("2023-09-01"));
  range->set("end", std::string("2024-04-30"));
  a->set("date_range", range);
  a->set("include_billing", true);
  a->set("include_psychotherapy_notes", true);
  a->set("format", std::string("paper"));
  a->set("send_to", std::string("third_party"));
  Poco::JSON::Object::Ptr tp = new Poco::JSON::Object;
  tp->set("name", std::string("Legal Aid Society — Records Unit"));
  tp->set("address", std::string("55 Grand Ave, Oakland, CA 94612"));
  a->set("third_party", tp);
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: letters_bench N THREADS OUT_DIR [--write-html DIR]\n");
    return 2;
  }
  const int n = std::atoi(argv[1]);
  const int threads = std::max(1, std::atoi(argv[2]));
  const std::string out_dir = argv[3];
  std::string html_dir;
  for (int k = 4; k < argc; ++k) {
    std::string arg = argv[k];
    // --embed is accepted for older command lines: every letter embeds its font now.
    if (arg == "--write-html" && k + 1 < argc) html_dir = argv[++k];
  }

  forms::FormSet set = forms::loadFormDirectory(std::string(RECOURSE_SOURCE_DIR) + "/forms");
  const forms::Form* form = set.find("records-request");
  auto kit = pdf::FontKit::load();
  if (form == nullptr || !kit.isOk()) {
    std::fprintf(stderr, "cannot load the form or fonts\n");
    return 1;
  }
  std::atomic<int> next{0};
  std::atomic<int> pages{0};
  std::atomic<long long> bytes{0};
  std::atomic<int> failures{0};
  auto worker = [&] {
    for (int i = next++; i < n; i = next++) {
      auto answers = answersFor(i);
      pdf::DocInfo info{"Request for a copy of my records", kNames[i % 6], "Records request",
                        std::chrono::sys_seconds(std::chrono::seconds(1772442000))};
      auto doc = pdf::renderForm(*form, answers, contextFor(i), *kit, info);
      if (!doc.isOk()) {
        ++failures;
        continue;
      }
      pages += doc->pages;
      bytes += static_cast<long long>(doc->pdf.size());
      std::ofstream f(out_dir + "/letter-" + std::to_string(i) + ".pdf", std::ios::binary);
      f.write(reinterpret_cast<const char*>(doc->pdf.data()),
              static_cast<std::streamsize>(doc->pdf.size()));
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "letters=%d threads=%d seconds=%.3f letters_per_s=%.1f avg_pages=%.2f avg_kb=%.1f "
      "peak_rss_mb=%.1f failures=%d\n",
      n, threads, secs, n / secs, static_cast<double>(pages) / n,
      static_cast<double>(bytes) / n / 1024.0, ru.ru_maxrss / 1024.0, failures.load());

  if (!html_dir.empty()) {
    // The same letters as HTML, for the LibreOffice peer (rendered text of the same blocks).
    for (int i = 0; i < std::min(n, 200); ++i) {
      auto dc = contextFor(i);
      std::ofstream f(html_dir + "/letter-" + std::to_string(i) + ".html");
      f << "<html><head><meta charset=\"utf-8\"></head><body>";
      for (const auto& s : dc.sender) f << "<p><b>" << s << "</b></p>";
      for (const auto& s : dc.recipient) f << "<p>" << s << "</p>";
      f << "<p align=right>" << dc.date_line << "</p><h1>Request for a copy of my records</h1>"
        << "<p>Dear Medical Records,</p><p>I am asking for a copy of my records under "
        << dc.values["law.citation"] << " and " << dc.values["federal.citation"] << ".</p>"
        << "<p>This request covers all records about me dated from 2023-09-01 to 2024-04-30.</p>"
        << "<p>Please include my billing and payment records, including any claims made to an "
           "insurer.</p><p>Separately, I also ask for any psychotherapy or process notes kept "
           "apart from my record. If you decline to provide those notes, please still send the "
           "rest of my record without delay.</p><p>Please send a paper copy to the address "
           "above.</p><p>I direct you to send the copy to Legal Aid Society — Records Unit, 55 "
           "Grand Ave, Oakland, CA 94612.</p><p>"
        << dc.values["law.response_rule"] << " Based on the date you receive this letter, please "
        << "respond by " << dc.values["due_date"] << ".</p><p>If there will be a charge, please "
        << "tell me the amount before copying.</p><p>If you decide not to give me any part of my "
           "record, please tell me in writing which part and why, and how I can have that "
           "decision reviewed.</p><table><tr><td><b>Your name</b></td><td>"
        << kNames[i % 6] << "</td></tr><tr><td><b>Other names</b></td><td>" << kOtherNames[i % 6]
        << "</td></tr><tr><td><b>Date of birth</b></td><td>1990-05-17</td></tr></table>"
        << "<p>Thank you for your help.</p><p><br><br>______________________<br>" << kNames[i % 6]
        << "</p></body></html>";
    }
  }
  return failures == 0 ? 0 : 1;
}
