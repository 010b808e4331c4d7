// Incidents, evidence and the complaint packet, as a person (or their advocate) uses them.
// The clock is fixed at 2026-03-02. The case's therapist is a California LMFT, so the board
// is the Board of Behavioral Sciences, whose time limit Recourse records as 7 years from the
// act (Cal. Bus. & Prof. Code § 4990.32).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "fakes/cli_harness.h"
#include "fakes/temp_dir.h"
#include "pdf/layout.h"
#include "pdf/pdf_tools.h"
#include "store/crypto.h"
#include "store/data_dir.h"
#include "store/store.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Object;
using testing::countOf;
using testing::run;

class PacketTest : public testing::CliHarness {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(initVaultWithCase("Zoë Müller")); }

  std::string evidenceDir() const { return dataDir() + "/evidence"; }

  // A PDF of `pages` pages, page k saying "<label> page k".
  std::string makePdf(const std::string& name, const std::string& label, int pages) {
    pdf::LayoutOptions opt;
    opt.font_mode = pdf::FontMode::kBuiltin;
    auto l = pdf::Layout::create(opt, pdf::DocInfo{});
    EXPECT_TRUE(l.isOk());
    for (int p = 1; p <= pages; ++p) {
      (*l)->heading(label + " page " + std::to_string(p));
      if (p < pages) (*l)->pageBreak();
    }
    std::string path = tmp_.file(name);
    testing::writeBytes(path, *(*l)->finish());
    return path;
  }
  // A PNG or JPEG "screenshot" that shows `label`, rendered by poppler.
  std::string makeImage(const std::string& name, const std::string& label, bool png) {
    std::string page = makePdf(name + ".src.pdf", label, 1);
    std::string base = tmp_.file(name);
    run(std::string("pdftoppm ") + (png ? "-png" : "-jpeg") + " -r 12 -singlefile '" + page +
        "' '" + base + "'");
    return base + (png ? ".png" : ".jpg");
  }

  std::unique_ptr<store::Store> openStore() {
    auto st = store::Store::openFile(store::databasePath(dataDir()),
                                     store::Store::OpenMode::kExisting, clock_);
    EXPECT_TRUE(st.isOk()) << st.status().toString();
    EXPECT_TRUE((*st)->unlock(testing::kPassphrase).isOk());
    return std::move(st).value();
  }

  size_t evidenceFiles() {
    if (!std::filesystem::exists(evidenceDir())) return 0;
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(evidenceDir()),
                                             std::filesystem::directory_iterator()));
  }
};

TEST_F(PacketTest, FiftyIncidentsAndTwentyFiveExhibitsMakeOneCheckablePacket) {
  // 50 incidents, added out of order: exact dates, approximate ones, stretches of time, one
  // in the person's own words only, and two old enough for the board's time limit.
  struct Made {
    core::Date date;
    std::string summary;
  };
  std::vector<Made> dated;
  std::string approx_summary;
  {
    auto st = openStore();
    for (int i = 46; i >= 0; --i) {
      core::Incident inc;
      inc.case_id = case_;
      core::Date d(std::chrono::sys_days(core::Date(2024, 1, 1).days()) + std::chrono::days(9 * i));
      inc.date_start = d;
      inc.summary = "Event number " + std::to_string(100 + i);
      inc.date_precision = core::DatePrecision::kExact;
      if (i % 5 == 0) inc.date_precision = core::DatePrecision::kApproximate;
      if (i % 7 == 3) {
        inc.date_precision = core::DatePrecision::kRange;
        inc.date_end = core::Date(std::chrono::sys_days(d.days()) + std::chrono::days(3));
      }
      inc.harm_kinds = {i % 2 ? "abandonment" : "confidentiality_breach"};
      if (i == 20) approx_summary = inc.summary;
      ASSERT_TRUE(st->addIncident(inc).isOk());
      dated.push_back({d, inc.summary});
    }
    core::Incident words;
    words.case_id = case_;
    words.summary = "Event told in my own words";
    words.date_text = "spring 2024";
    words.date_precision = core::DatePrecision::kApproximate;
    ASSERT_TRUE(st->addIncident(words).isOk());
    core::Incident old_one;
    old_one.case_id = case_;
    old_one.summary = "Event long ago";
    old_one.date_start = core::Date(2018, 5, 1);
    old_one.date_precision = core::DatePrecision::kExact;
    ASSERT_TRUE(st->addIncident(old_one).isOk());
    dated.push_back({*old_one.date_start, old_one.summary});
    dated.push_back({core::Date(2024, 3, 1), words.summary});  // "spring 2024" at its earliest
  }
  // The 50th, through the command line, near the time limit.
  auto near = cli({"incident", "add", "--case", case_, "--summary", "Event near the limit",
                   "--date", "2019-04-15"});
  ASSERT_EQ(near.code, 0) << near.err;
  dated.push_back({core::Date(2019, 4, 15), "Event near the limit"});
  std::stable_sort(dated.begin(), dated.end(),
                   [](const Made& a, const Made& b) { return a.date < b.date; });

  // 20 images (PNG and JPEG) and 5 PDFs of 1 to 5 pages.
  std::vector<std::string> hashes;
  for (int i = 0; i < 20; ++i) {
    std::string path =
        makeImage("shot" + std::to_string(i), "Screenshot " + std::to_string(i), i % 2 == 0);
    auto r = cli({"evidence", "add", "--case", case_, path, "--describe",
                  "Screenshot " + std::to_string(i), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    hashes.push_back(r.json()->getValue<std::string>("sha256"));
    EXPECT_EQ(hashes.back(), *store::sha256File(path));
  }
  for (int i = 1; i <= 5; ++i) {
    std::string path = makePdf("bill" + std::to_string(i) + ".pdf", "Bill " + std::to_string(i), i);
    auto r =
        cli({"evidence", "add", "--case", case_, path, "--describe", "Bill " + std::to_string(i),
             "--date", "2024-0" + std::to_string(i) + "-15", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.json()->getValue<std::string>("media_type"), "application/pdf");
    hashes.push_back(r.json()->getValue<std::string>("sha256"));
  }

  // Nothing is generated before the person has reviewed it.
  std::string out = tmp_.file("packet.pdf");
  auto early = cli({"complaint", "packet", "--case", case_, "--out", out});
  EXPECT_EQ(early.code, 2);
  EXPECT_NE(early.err.find("review the complaint first"), std::string::npos) << early.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  auto review = cli({"complaint", "review", "--case", case_});
  ASSERT_EQ(review.code, 0) << review.err;
  EXPECT_NE(review.out.find("Board of Behavioral Sciences"), std::string::npos) << review.out;
  EXPECT_NE(review.out.find("[complainant_name]: Zoë Müller"), std::string::npos) << review.out;
  EXPECT_NE(review.out.find("[summary]: (needed)"), std::string::npos) << review.out;
  EXPECT_NE(review.out.find("1 answer is still needed"), std::string::npos) << review.out;
  // 2018-05-01 + 7 years = 2025-05-01, before today; 2019-04-15 + 7 years = 2026-04-15,
  // 44 days from 2026-03-02.
  EXPECT_NE(review.out.find("Some incidents (1) are more than 7 years old: the time limit "
                            "that applies to this board"),
            std::string::npos)
      << review.out;
  EXPECT_NE(
      review.out.find("The incident of 2019-04-15 will be 7 years old on 2026-04-15, in 44 days"),
      std::string::npos)
      << review.out;
  EXPECT_EQ(cli({"complaint", "packet", "--case", case_, "--out", out}).code, 2);
  // A wrong answer is refused and nothing is saved; a missing one is only listed.
  auto wrong = cli({"complaint", "review", "--case", case_, "--set", "relationship=neighbour"});
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("relationship"), std::string::npos) << wrong.err;
  EXPECT_NE(cli({"complaint", "review", "--case", case_}).out.find("[relationship]: The client"),
            std::string::npos);
  ASSERT_EQ(cli({"complaint", "review", "--case", case_, "--set",
                 "summary=She ended therapy by text and shared what I told her.", "--set",
                 "desired_outcome=An investigation."})
                .code,
            0);

  auto made = cli({"complaint", "packet", "--case", case_, "--out", out, "--json"});
  ASSERT_EQ(made.code, 0) << made.err;
  EXPECT_EQ(made.json()->getValue<int>("incidents"), 50);
  EXPECT_EQ(made.json()->getValue<int>("exhibits"), 25);

  int rc = -1;
  std::string check = run("qpdf --check '" + out + "'", &rc);
  EXPECT_EQ(rc, 0) << check;
  std::string text = testing::foldedText(out);
  // Every incident, in timeline order; approximate dates say so; the one given in words
  // only by the earliest day its words can mean.
  std::vector<std::string> order;
  for (const auto& m : dated) order.push_back(m.summary);
  testing::expectInOrder(text, order);
  EXPECT_NE(text.find("around 2024-06-29 " + approx_summary),
            std::string::npos);  // Jan 1 + 180 days
  EXPECT_NE(text.find("spring 2024 Event told in my own words"), std::string::npos);
  // The board sees which standards the harms break.
  EXPECT_NE(text.find("APA 10.10"), std::string::npos);
  // Every exhibit number and fingerprint (the index prints each as two halves).
  std::string squeezed;
  for (char c : text) {
    if (c != ' ') squeezed += c;
  }
  for (size_t i = 0; i < hashes.size(); ++i) {
    EXPECT_GE(countOf(squeezed, hashes[i]), 2u)
        << "exhibit " << i + 1 << " " << hashes[i];  // index, cover
    EXPECT_NE(text.find("Exhibit " + std::to_string(i + 1) + " "), std::string::npos);
  }
  // PDF exhibits: their own pages, each stamped.
  EXPECT_NE(text.find("Bill 5 page 5"), std::string::npos);
  EXPECT_NE(text.find("Exhibit 25 - page 5 of 5"), std::string::npos);
  EXPECT_NE(text.find("Exhibit 21 - page 1 of 1"), std::string::npos);
  // The 20 images are placed on pages.
  std::string images = run("pdfimages -list '" + out + "'");
  EXPECT_EQ(countOf(images, "\n"), 22u) << images;  // two header lines + 20 images
  // Pages add up: what comes before exhibit 1, then 2 pages per image exhibit, and a cover
  // sheet plus the original pages (1+2+3+4+5) per PDF exhibit.
  Poco::JSON::Parser parser;
  auto outline = parser.parse(run("qpdf --json --json-key=outlines '" + out + "'"))
                     .extract<Object::Ptr>()
                     ->getArray("outlines");
  ASSERT_EQ(outline->size(), 27u);  // cover letter, complaint, 25 exhibits
  EXPECT_EQ(outline->getObject(0)->getValue<std::string>("title"), "Cover letter");
  // The complaint's own parts beneath it.
  auto parts = outline->getObject(1)->getArray("kids");
  std::string titles;
  for (size_t i = 0; i < parts->size(); ++i) {
    titles += parts->getObject(static_cast<unsigned>(i))->getValue<std::string>("title") + "|";
  }
  EXPECT_EQ(titles,
            "Complaint to Board of Behavioral Sciences about Dr. Ana Pérez|What happened|"
            "Timeline|Ethics standards that apply|What I would like to happen|Contact details|"
            "About the therapist|Exhibit index|Signature|")
      << titles;
  EXPECT_EQ(outline->getObject(2)->getValue<std::string>("title"), "Exhibit 1: Screenshot 0");
  int first_exhibit = outline->getObject(2)->getValue<int>("destpageposfrom1");
  EXPECT_EQ(outline->getObject(22)->getValue<std::string>("title"), "Exhibit 21: Bill 1");
  EXPECT_EQ(outline->getObject(22)->getValue<int>("destpageposfrom1"), first_exhibit + 40);
  std::string info = run("pdfinfo '" + out + "'");
  size_t at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(std::stoi(info.substr(at + 6)), first_exhibit - 1 + 20 * 2 + 5 + 15) << info;

  // Each inclusion is in the custody log, and everything still verifies.
  auto st = openStore();
  auto log = st->custodyLog();
  EXPECT_EQ(std::count_if(log->begin(), log->end(),
                          [](const core::CustodyEntry& c) { return c.action == "packet"; }),
            25);
  st.reset();
  auto verify = cli({"evidence", "verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("All 25 evidence files"), std::string::npos) << verify.out;
}

TEST_F(PacketTest, EvidenceComesBackIdenticalAndTamperingIsReported) {
  std::string path = makePdf("letter.pdf", "Letter", 2);
  auto added = cli({"evidence", "add", "--case", case_, path, "--json"});
  ASSERT_EQ(added.code, 0) << added.err;
  std::string id = added.json()->getValue<std::string>("id");
  std::string copy = tmp_.file("copy.pdf");
  auto exported = cli({"evidence", "export", id, "--out", copy});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_EQ(testing::readFile(copy), testing::readFile(path));
  EXPECT_EQ(cli({"evidence", "export", id, "--out", copy}).code, 2);  // never overwrites

  // One byte of the sealed file changed.
  std::string sealed = evidenceDir() + "/" + id + ".sealed";
  std::string bytes = testing::readFile(sealed);
  bytes[bytes.size() - 20] ^= 0x10;
  testing::writeFile(sealed, bytes);
  auto verify = cli({"evidence", "verify"});
  EXPECT_EQ(verify.code, 1);
  EXPECT_NE(verify.err.find("1 problem found:\n  " + id + ": "), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find("altered"), std::string::npos) << verify.err;
  std::string copy2 = tmp_.file("copy2.pdf");
  EXPECT_EQ(cli({"evidence", "export", id, "--out", copy2}).code, 1);
  EXPECT_FALSE(std::filesystem::exists(copy2));
  EXPECT_FALSE(std::filesystem::exists(copy2 + ".partial"));

  // The sealed file removed altogether.
  std::filesystem::remove(sealed);
  verify = cli({"evidence", "verify"});
  EXPECT_EQ(verify.code, 1);
  EXPECT_NE(verify.err.find("missing"), std::string::npos) << verify.err;
}

TEST_F(PacketTest, ABoardsOwnComplaintFormIsUsedWhenThereIsOne) {
  // A copy of the form set with a form for California's Board of Behavioral Sciences.
  std::string forms = tmp_.file("forms");
  std::filesystem::copy(RECOURSE_SOURCE_DIR "/forms", forms);
  std::string general = testing::readFile(forms + "/board-complaint.json");
  std::string own = general;
  own.replace(own.find("\"board-complaint\""), 17, "\"board-complaint-us-ca-bbs\"");
  size_t title = own.find("Complaint to a licensing board");
  ASSERT_NE(title, std::string::npos);
  own.replace(title, 30, "BBS consumer complaint form");
  testing::writeFile(forms + "/board-complaint-us-ca-bbs.json", own);
  auto r = cli({"--forms-dir", forms, "complaint", "review", "--case", case_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("on the form \"BBS consumer complaint form\""), std::string::npos) << r.out;
  // Without it, the general form.
  auto g = cli({"complaint", "review", "--case", case_});
  EXPECT_NE(g.out.find("on the form \"Complaint to a licensing board\""), std::string::npos)
      << g.out;
}

TEST_F(PacketTest, AnExportCarriesTheEvidenceToAnotherComputer) {
  std::string path = makePdf("letter.pdf", "Letter", 1);
  auto added = cli({"evidence", "add", "--case", case_, path, "--json"});
  ASSERT_EQ(added.code, 0) << added.err;
  std::string id = added.json()->getValue<std::string>("id");
  std::string archive = tmp_.file("backup.recourse");
  auto ex = cli({"export", "--out", archive});
  ASSERT_EQ(ex.code, 0) << ex.err;
  // The export holds the sealed file, not the original bytes.
  EXPECT_EQ(testing::readFile(archive).find("Letter page 1"), std::string::npos);

  std::string other = tmp_.file("other-computer");
  auto run_other = [&](std::vector<std::string> args) {
    Result r = cliIn(other, std::move(args));
    return std::make_pair(r.code, r.out + r.err);
  };
  auto imported = run_other({"import", archive});
  ASSERT_EQ(imported.first, 0) << imported.second;
  auto verify = run_other({"evidence", "verify"});
  EXPECT_EQ(verify.first, 0) << verify.second;
  EXPECT_NE(verify.second.find("All 1 evidence file open"), std::string::npos) << verify.second;
  std::string copy = tmp_.file("copy.pdf");
  ASSERT_EQ(run_other({"evidence", "export", id, "--out", copy}).first, 0);
  EXPECT_EQ(testing::readFile(copy), testing::readFile(path));
}

TEST_F(PacketTest, BadFilesAreRefusedByNameAndLeaveNothingBehind) {
  auto refuse = [&](const std::vector<std::string>& extra, const std::string& expected) {
    std::vector<std::string> args = {"evidence", "add", "--case", case_};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = cli(args);
    EXPECT_EQ(r.code, 2) << expected;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  };
  testing::writeFile(tmp_.file("empty.png"), "");
  refuse({tmp_.file("empty.png")}, "empty.png is empty (0 bytes); nothing was added");
  testing::writeFile(tmp_.file("fake.pdf"), "This is a letter, not a PDF.");
  refuse({tmp_.file("fake.pdf")}, "fake.pdf: its name says PDF but it is not a PDF file");
  testing::writeFile(tmp_.file("broken.pdf"), "%PDF-1.4\n1 0 obj << >> endobj\n");
  refuse({tmp_.file("broken.pdf")}, "broken.pdf starts like a PDF but cannot be read as one");
  std::string png = testing::readFile(makeImage("ok", "A screenshot", true));
  testing::writeFile(tmp_.file("cut.png"), png.substr(0, png.size() / 2));
  refuse({tmp_.file("cut.png")}, "cut.png looks like a PNG image but is damaged");
  refuse({tmp_.file("nothing-here.jpg")}, "nothing-here.jpg cannot be read");
  refuse({tmp_.path()}, "is not a regular file");
  // 2 GB, without using the disk (a sparse file): refused before a byte is read.
  std::string big = tmp_.file("video.mp4");
  testing::writeFile(big, "");
  ASSERT_EQ(truncate(big.c_str(), 2LL * 1024 * 1024 * 1024), 0);
  refuse({big}, "video.mp4 is 2.0 GB; the largest file Recourse keeps is 256.0 MB");
  testing::writeFile(tmp_.file("two-mb.bin"), std::string(2 * 1024 * 1024, 'x'));
  refuse({tmp_.file("two-mb.bin"), "--max-size", "1"}, "the largest file Recourse keeps is 1.0 MB");
  refuse({tmp_.file("two-mb.bin"), "--max-size", "lots"}, "--max-size: \"lots\" is not a size");
  refuse({tmp_.file("two-mb.bin"), "--incident", "in_nothere"}, "no incident in_nothere");

  EXPECT_EQ(evidenceFiles(), 0u);
  auto list = cli({"evidence", "list", "--case", case_, "--json"});
  ASSERT_EQ(list.code, 0);
  EXPECT_EQ(list.jsonArray()->size(), 0u) << list.out;
  // A file that is fine is kept, with its type and size.
  auto ok = cli({"evidence", "add", "--case", case_, tmp_.file("two-mb.bin"), "--json"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.json()->getValue<std::string>("media_type"), "application/octet-stream");
  EXPECT_EQ(ok.json()->getValue<long>("size_bytes"), 2 * 1024 * 1024);
  EXPECT_EQ(evidenceFiles(), 1u);
}

TEST_F(PacketTest, TheRunningNumberOptionNumbersEveryPageExhibitsIncluded) {
  std::string path = makePdf("bill.pdf", "Bill", 2);
  ASSERT_EQ(cli({"evidence", "add", "--case", case_, path, "--describe", "A bill"}).code, 0);
  ASSERT_EQ(cli({"complaint", "review", "--case", case_, "--set", "summary=What happened."}).code,
            0);
  std::string out = tmp_.file("numbered.pdf");
  auto made =
      cli({"complaint", "packet", "--case", case_, "--out", out, "--running-number", "--json"});
  ASSERT_EQ(made.code, 0) << made.err;
  const int pages = made.json()->getValue<int>("pages");
  // The last two pages are the bill's own, each stamped, numbered and running-numbered.
  for (int p = pages - 1; p <= pages; ++p) {
    std::string page =
        run("pdftotext -f " + std::to_string(p) + " -l " + std::to_string(p) + " '" + out + "' -");
    char number[16];
    std::snprintf(number, sizeof number, "%06d", p);
    EXPECT_NE(page.find(number), std::string::npos) << page;
    EXPECT_NE(page.find("Page " + std::to_string(p) + " of " + std::to_string(pages)),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("Exhibit 1 - page " + std::to_string(p - pages + 2) + " of 2"),
              std::string::npos)
        << page;
  }
  EXPECT_NE(cli({"complaint", "packet", "--help"}).out.find("--running-number"), std::string::npos);
}

// Stored text never drives the terminal: an escape sequence, a bell or a C1 control in what
// was written is shown visibly ("^[", "^G", "[U+009B]"), in every listing and on stderr.
TEST_F(PacketTest, StoredControlCharactersAreShownNotSentToTheTerminal) {
  auto add = cli({"incident", "add", "--case", case_, "--date", "2024-05-03", "--summary",
                  "Red \x1b[31mtext\x1b[0m, a bell\x07 and \xc2\x9b here", "--json"});
  ASSERT_EQ(add.code, 0) << add.err;
  for (const auto& out :
       {cli({"timeline", "--case", case_}).out, cli({"incident", "show", add.id()}).out}) {
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
    EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
    EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << out;
    EXPECT_NE(out.find("Red ^[[31mtext^[[0m, a bell^G and [U+009B] here"), std::string::npos)
        << out;
  }
  auto bad = cli({"incident", "show", "in_\x1b[2Jnothere"});
  EXPECT_NE(bad.code, 0);
  EXPECT_EQ(bad.err.find('\x1b'), std::string::npos) << bad.err;
  // JSON stays JSON: the characters are escaped there, as JSON has them.
  auto json = cli({"incident", "show", add.id(), "--json"});
  EXPECT_NE(json.out.find("\\u001B[31m"), std::string::npos) << json.out;
}

TEST_F(PacketTest, IncidentsCanBeEditedShownAndPutOnATimeline) {
  auto a = cli({"incident", "add", "--case", case_, "--summary", "Ended therapy by text", "--date",
                "2024-04-02", "--channel", "text", "--harm", "abandonment", "--json"});
  ASSERT_EQ(a.code, 0) << a.err;
  std::string id = a.json()->getValue<std::string>("id");
  ASSERT_EQ(cli({"incident", "add", "--case", case_, "--summary", "Told my partner", "--when",
                 "spring 2024"})
                .code,
            0);
  ASSERT_EQ(cli({"incident", "add", "--case", case_, "--summary", "Sessions ran over", "--date",
                 "2023-10-01", "--approximate"})
                .code,
            0);
  auto edit = cli({"incident", "edit", id, "--narrative", "She wrote that she would stop.",
                   "--witnesses", "my sister", "--date", "2024-04-03"});
  ASSERT_EQ(edit.code, 0) << edit.err;
  EXPECT_EQ(cli({"incident", "edit", id, "--clear", "everything"}).code, 2);
  EXPECT_EQ(cli({"incident", "edit", id, "--harm", "not_a_harm"}).code, 2);
  auto show = cli({"incident", "show", id});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("when:      2024-04-03"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("summary:   Ended therapy by text"), std::string::npos);
  EXPECT_NE(show.out.find("where/how: Text messages"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("witnesses: my sister"), std::string::npos);
  EXPECT_NE(show.out.find("She wrote that she would stop."), std::string::npos);
  ASSERT_EQ(cli({"incident", "edit", id, "--clear", "witnesses"}).code, 0);
  EXPECT_EQ(cli({"incident", "show", id}).out.find("witnesses"), std::string::npos);

  std::string pdf = tmp_.file("timeline.pdf");
  auto t = cli({"timeline", "--case", case_, "--pdf", pdf});
  ASSERT_EQ(t.code, 0) << t.err;
  // By date, approximate shown as such, the one in words by the earliest day they can mean
  // ("spring 2024": March 1).
  testing::expectInOrder(
      t.out, {"around 2023-10-01", "Sessions ran over", "spring 2024", "Told my partner",
              "2024-04-03", "Ended therapy by text", "[Text messages]"});
  std::string text = testing::foldedText(pdf);
  testing::expectInOrder(text, {"Timeline: Dr. Ana Pérez", "around 2023-10-01 Sessions ran over",
                                "spring 2024 Told my partner", "2024-04-03 Ended therapy by text",
                                "Text messages"});  // the channel's words, not "text"
  EXPECT_EQ(cli({"timeline", "--case", case_, "--pdf", pdf}).code, 2);  // never overwrites
  EXPECT_EQ(t.out.find("Note: "), std::string::npos) << t.out;

  // What the fonts cannot show is said, as the letter says it; a Windows line ending is a
  // line break, never a "?".
  ASSERT_EQ(
      cli({"incident", "edit", id, "--narrative", "She wrote \xF0\x9F\x99\x82\r\nThen left."}).code,
      0);
  ASSERT_EQ(
      cli({"incident", "edit", id, "--summary", "Ended therapy by text \xF0\x9F\x99\x82"}).code, 0);
  std::string pdf2 = tmp_.file("timeline2.pdf");
  t = cli({"timeline", "--case", case_, "--pdf", pdf2});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Note: the font has no glyph for U+1F642; it is written as [U+1F642] in "
                       "the document"),
            std::string::npos)
      << t.out;
  text = testing::foldedText(pdf2);
  EXPECT_NE(text.find("Ended therapy by text [U+1F642]"), std::string::npos) << text;
  EXPECT_EQ(text.find('?'), std::string::npos) << text;
}

}  // namespace
}  // namespace recourse::cli
