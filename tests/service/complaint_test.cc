// The complaint workflows at the workflow level: review (prefill, refusal of wrong answers,
// nothing saved on failure) and the packet (refused before review, then made).
#include "service/complaint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fakes/service_fixture.h"
#include "pdf/layout.h"
#include "pdf/pdf_tools.h"
#include "service/evidence.h"
#include "service/incidents.h"
#include "service/people.h"

namespace recourse::service {
namespace {

class ComplaintTest : public testing::ServiceTest {
 protected:
  // Reviews with `set`, expecting success.
  void review(const std::string& case_id, const std::vector<std::string>& set) {
    auto r = reviewComplaint(services(), {case_id, nullptr, set});
    ASSERT_TRUE(r.isOk()) << r.status().toString();
  }
  // The packet's text (folded), made after a review with a summary.
  std::string packetText(const std::string& case_id, const std::string& name = "packet.pdf",
                         bool running_number = false) {
    path_ = tmp_.file(name);
    ComplaintPacketRequest req{case_id, path_};
    req.running_number = running_number;
    auto made = makeComplaintPacket(services(), req);
    EXPECT_TRUE(made.isOk()) << made.status().toString();
    if (!made.isOk()) return "";
    pages_ = made->pages;
    return testing::foldedText(path_);
  }
  std::string pageText(int page) {
    return testing::run("pdftotext -f " + std::to_string(page) + " -l " + std::to_string(page) +
                        " '" + path_ + "' -");
  }
  std::string reviewed(const std::string& case_id, const std::string& field) {
    auto r = reviewComplaint(services(), {case_id, nullptr, {}});
    EXPECT_TRUE(r.isOk());
    for (const auto& step : r->steps) {
      for (const auto& f : step.fields) {
        if (f.id == field) return f.value;
      }
    }
    return "(not shown)";
  }
  // A one-page PDF saying `text` and added as evidence.
  core::EvidenceItem addPdfEvidence(const std::string& case_id, const std::string& text,
                                    const std::string& incident_id = "") {
    pdf::LayoutOptions opt;
    opt.font_mode = pdf::FontMode::kBuiltin;
    opt.page_numbers = false;  // only `text` on it
    auto l = pdf::Layout::create(opt, pdf::DocInfo{});
    (*l)->paragraph(text);
    std::string file = tmp_.file("ev" + std::to_string(++files_) + ".pdf");
    testing::writeBytes(file, *(*l)->finish());
    return addFile(case_id, file, text, incident_id);
  }
  core::EvidenceItem addFile(const std::string& case_id, const std::string& file,
                             const std::string& description, const std::string& incident_id = "") {
    AddEvidence a;
    a.case_id = case_id;
    a.incident_id = incident_id;
    a.description = description;
    a.source_path = file;
    auto e = addEvidence(services(), a);
    EXPECT_TRUE(e.isOk()) << e.status().toString();
    return *e;
  }

  std::string path_;
  long pages_ = 0;
  int files_ = 0;
};

TEST_F(ComplaintTest, TheLicenseIsNamedInWordsNotByItsCode) {
  // As the browser stores it: the license type's id.
  auto kase = addCase("us-ca", "marriage_family_therapist");
  review(kase.id, {"summary=Ended therapy by text."});
  const std::string text = packetText(kase.id);
  EXPECT_NE(text.find("Dr. Jane Smith, marriage and family therapist"), std::string::npos) << text;
  EXPECT_EQ(text.find("marriage_family_therapist"), std::string::npos) << text;
  // As a person typed it on the command line: kept as typed.
  auto typed = addCase("us-ca", "LMFT");
  review(typed.id, {"summary=Ended therapy by text."});
  EXPECT_NE(packetText(typed.id, "typed.pdf").find("Dr. Jane Smith, LMFT"), std::string::npos);
}

TEST_F(ComplaintTest, ReviewPrefillsCountsWhatIsMissingAndSaves) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2019-04-15");
  auto r = reviewComplaint(services(), {kase.id, nullptr, {}});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_NE(r->board_name.find("Behavioral Sciences"), std::string::npos) << r->board_name;
  EXPECT_EQ(r->provider_name, "Dr. Jane Smith");
  EXPECT_EQ(r->incidents, 1u);
  bool name_prefilled = false;
  for (const auto& step : r->steps) {
    for (const auto& f : step.fields) {
      if (f.id == "complainant_name") name_prefilled = f.value == "Maya Okafor";
    }
  }
  EXPECT_TRUE(name_prefilled);
  EXPECT_GT(r->missing, 0u);
  // 2019-04-15 + 7 years = 2026-04-15: 44 days after 2026-03-02.
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].text.find("will be 7 years old on 2026-04-15, in 44 days"),
            std::string::npos)
      << r->warnings[0].text;
  auto saved = store().complaintOfCase(kase.id);
  ASSERT_TRUE(saved.isOk());
  EXPECT_TRUE(saved->has_value());
}

TEST_F(ComplaintTest, AWrongAnswerIsRefusedAndNothingIsSaved) {
  auto kase = addCase();
  auto r = reviewComplaint(services(), {kase.id, nullptr, {"relationship=neighbour"}});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "set");
  EXPECT_NE(r.status().message().find("relationship"), std::string::npos);
  EXPECT_FALSE(store().complaintOfCase(kase.id)->has_value());

  auto unknown = reviewComplaint(services(), {kase.id, nullptr, {"no_such_field=1"}});
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().field(), "set");
}

TEST_F(ComplaintTest, AnUnknownCaseIsNotFoundAndALockedVaultIsNot) {
  auto missing = reviewComplaint(services(), {"cs_nope", nullptr, {}});
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "case_id");
  auto kase = addCase();
  store().lock();
  auto locked = reviewComplaint(services(), {kase.id, nullptr, {}});
  ASSERT_FALSE(locked.isOk());
  EXPECT_EQ(locked.status().code(), core::StatusCode::kUnauthenticated);
}

TEST_F(ComplaintTest, ThePacketWaitsForTheReviewThenHoldsTheComplaint) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2024-02-10");
  const std::string out = tmp_.file("packet.pdf");
  auto early = makeComplaintPacket(services(), {kase.id, out});
  ASSERT_FALSE(early.isOk());
  EXPECT_EQ(early.status().field(), "review");
  EXPECT_FALSE(std::filesystem::exists(out));

  ASSERT_TRUE(reviewComplaint(services(), {kase.id, nullptr, {}}).isOk());
  auto unanswered = makeComplaintPacket(services(), {kase.id, out});
  ASSERT_FALSE(unanswered.isOk());
  EXPECT_EQ(unanswered.status().field(), "answers");
  EXPECT_NE(unanswered.status().message().find("summary"), std::string::npos)
      << unanswered.status().message();
  EXPECT_FALSE(std::filesystem::exists(out));

  ASSERT_TRUE(reviewComplaint(services(), {kase.id,
                                           nullptr,
                                           {"summary=She ended therapy by text.",
                                            "desired_outcome=An investigation."}})
                  .isOk());
  auto made = makeComplaintPacket(services(), {kase.id, out});
  ASSERT_TRUE(made.isOk()) << made.status().toString();
  EXPECT_GE(made->pages, 2);
  EXPECT_EQ(made->incidents, 1u);
  EXPECT_EQ(made->exhibits, 0u);
  int rc = -1;
  testing::run("qpdf --check '" + out + "'", &rc);
  EXPECT_EQ(rc, 0);
  const std::string text = testing::foldedText(out);
  EXPECT_NE(text.find("She ended therapy by text."), std::string::npos) << text;
  EXPECT_NE(text.find("Dr. Jane Smith"), std::string::npos);
  // The file exists now: a second packet to the same place is refused, the first kept.
  auto again = makeComplaintPacket(services(), {kase.id, out});
  ASSERT_FALSE(again.isOk());
  EXPECT_EQ(again.status().field(), "out_path");
}

TEST_F(ComplaintTest, ARemovedExhibitIsNoLongerInThePacket) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2024-02-10");
  const std::string keep = tmp_.file("keep.txt");
  const std::string wrong = tmp_.file("wrong.txt");
  testing::writeFile(keep, "The message that ended therapy.\n");
  testing::writeFile(wrong, "A file added by mistake.\n");
  AddEvidence a;
  a.case_id = kase.id;
  a.description = "Kept exhibit";
  a.source_path = keep;
  AddEvidence b = a;
  b.description = "Mistaken exhibit";
  b.source_path = wrong;
  ASSERT_TRUE(addEvidence(services(), a).isOk());
  auto mistaken = addEvidence(services(), b);
  ASSERT_TRUE(mistaken.isOk()) << mistaken.status().toString();
  ASSERT_TRUE(reviewComplaint(services(), {kase.id,
                                           nullptr,
                                           {"summary=She ended therapy by text.",
                                            "desired_outcome=An investigation."}})
                  .isOk());
  const std::string before = tmp_.file("before.pdf");
  auto first = makeComplaintPacket(services(), {kase.id, before});
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->exhibits, 2u);
  EXPECT_NE(testing::foldedText(before).find("Mistaken exhibit"), std::string::npos);

  auto removed = removeEvidence(services(), mistaken->id);
  ASSERT_TRUE(removed.isOk()) << removed.status().toString();
  const std::string after = tmp_.file("after.pdf");
  auto second = makeComplaintPacket(services(), {kase.id, after});
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(second->exhibits, 1u);
  const std::string text = testing::foldedText(after);
  EXPECT_EQ(text.find("Mistaken exhibit"), std::string::npos);
  EXPECT_NE(text.find("Kept exhibit"), std::string::npos);
}

// The board reads the complaint: its tables label answers in the board's words, not in the
// questions put to the person, and each fingerprint wraps between groups of 16, never inside.
TEST_F(ComplaintTest, TablesSpeakToTheBoardAndFingerprintsWrapBetweenGroups) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2024-02-10");
  const core::EvidenceItem e = addPdfEvidence(kase.id, "Her message of 2024-02-10");
  review(kase.id, {"summary=She ended therapy by text."});
  const std::string text = packetText(kase.id);
  EXPECT_EQ(text.find("Your name"), std::string::npos) << text;
  EXPECT_EQ(text.find("Your address"), std::string::npos) << text;
  EXPECT_EQ(text.find("When you saw them"), std::string::npos) << text;
  EXPECT_NE(text.find("Name of the person complaining"), std::string::npos) << text;
  EXPECT_NE(text.find("a timeline of 1 incident and 1 exhibit."), std::string::npos) << text;
  ASSERT_EQ(e.sha256_hex.size(), 64u);
  // Every group of 16 is whole in the text (in the index and on the cover).
  for (size_t i = 0; i < 64; i += 16) {
    EXPECT_NE(text.find(e.sha256_hex.substr(i, 16)), std::string::npos) << text;
  }
  EXPECT_EQ(text.find(e.sha256_hex.substr(8, 16)), std::string::npos)
      << "a group broken across lines: " << text;
}

TEST_F(ComplaintTest, EveryFactRecordedReachesTheComplaint) {
  auto kase = addCase("us-ca", "LMFT");
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Sessions ran over into the evening";
  i.date_start = core::Date(2023, 10, 1);
  i.date_end = core::Date(2024, 6, 30);
  i.date_precision = core::DatePrecision::kRecurring;
  i.channel = "in_session";
  i.impact = "I stopped sleeping and left my job.";
  i.witnesses = "Ruth Adler, my sister, 555-0142";
  i.harm_kinds = {"boundary_violation"};
  auto added = store().addIncident(i);
  ASSERT_TRUE(added.isOk());
  addPdfEvidence(kase.id, "A note from the clinic");             // exhibit 1, about no incident
  addPdfEvidence(kase.id, "Her text of 2024-06-30", added->id);  // exhibit 2
  review(kase.id, {"summary=She kept me late.", "other_actions=insurer,police",
                   "contact_preference=email", "records_release=false"});
  const std::string text = packetText(kase.id);
  EXPECT_NE(text.find("Witnesses: Ruth Adler, my sister, 555-0142"), std::string::npos) << text;
  EXPECT_NE(text.find("Impact: I stopped sleeping and left my job."), std::string::npos) << text;
  EXPECT_NE(text.find("repeatedly from 2023-10-01 to 2024-06-30"), std::string::npos) << text;
  EXPECT_NE(text.find("See Exhibit 2."), std::string::npos) << text;
  EXPECT_EQ(text.find("See Exhibit 1"), std::string::npos) << text;
  EXPECT_NE(text.find("In a session"), std::string::npos) << text;
  EXPECT_EQ(text.find("in_session"), std::string::npos) << text;
  // The review shows the choices in the form's words too.
  EXPECT_EQ(reviewed(kase.id, "other_actions"), "An insurer, Police");
  // Every answer shown in the review is printed, as the review shows it.
  auto r = reviewComplaint(services(), {kase.id, nullptr, {}});
  ASSERT_TRUE(r.isOk());
  for (const auto& step : r->steps) {
    for (const auto& f : step.fields) {
      if (f.value.empty()) continue;
      std::string shown = f.value;
      if (f.id == "other_actions") {
        // Each choice (the review joins them with ", ", the document may join otherwise).
        for (const char* part : {"An insurer", "Police"}) {
          EXPECT_NE(shown.find(part), std::string::npos) << shown;
          EXPECT_NE(text.find(part), std::string::npos) << part;
        }
        continue;
      }
      if (f.id == "records_release") {
        EXPECT_NE(text.find("I do not agree, for now, to the board obtaining my therapy records"),
                  std::string::npos)
            << text;
        continue;
      }
      if (!shown.empty()) {
        EXPECT_NE(text.find(shown), std::string::npos) << f.id << ": " << shown;
      }
    }
  }
  // The exhibit's cover says which incident it shows, and nothing about how it is stored.
  EXPECT_NE(text.find("What it shows repeatedly from 2023-10-01 to 2024-06-30: Sessions ran over"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("application/pdf"), std::string::npos) << text;
  EXPECT_EQ(text.find(" bytes"), std::string::npos) << text;
  EXPECT_EQ(text.find("Saved in Recourse"), std::string::npos) << text;
}

TEST_F(ComplaintTest, ApproximateDatesSortByTheirEarliestPossibleDay) {
  auto kase = addCase();
  addIncident(kase.id, "2024-08-30");
  core::Incident words;
  words.case_id = kase.id;
  words.summary = "Told my partner";
  words.date_text = "spring 2024";
  words.date_precision = core::DatePrecision::kApproximate;
  ASSERT_TRUE(store().addIncident(words).isOk());
  core::Incident undated;
  undated.case_id = kase.id;
  undated.summary = "Some time, I am not sure when";
  ASSERT_TRUE(store().addIncident(undated).isOk());
  auto list = listIncidents(services(), kase.id);
  ASSERT_TRUE(list.isOk());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].summary, "Told my partner");
  EXPECT_EQ((*list)[1].summary, "Sessions ended by text message");
  EXPECT_EQ((*list)[2].summary, "Some time, I am not sure when");
  auto t = timeline(services(), kase.id);
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->incidents[0].summary, "Told my partner");
  auto shown = showCase(services(), kase.id);
  ASSERT_TRUE(shown.isOk());
  EXPECT_EQ(shown->incidents[0].summary, "Told my partner");
  review(kase.id, {"summary=What happened."});
  testing::expectInOrder(packetText(kase.id),
                         {"spring 2024 Told my partner",
                          "2024-08-30 Sessions ended by text message", "date not given Some time"});

  core::Incident i;
  for (const auto& [words_given, day] : std::vector<std::pair<std::string, std::string>>{
           {"spring 2024", "2024-03-01"},
           {"June 2024", "2024-06-01"},
           {"around 2023", "2023-01-01"},
           {"late 2023", "2023-09-01"},
           {"2024-05", "2024-05-01"},
           {"the winter of 2022", "2022-01-01"},
           {"when I decided to stop, 2021", "2021-01-01"},
           {"15 March 2024", "2024-03-01"},
           {"March 15, 2024", "2024-03-01"},
           {"the summer of 2021", "2021-06-01"},
           {"end of 2023", "2023-09-01"},
           {"mid-2024", "2024-04-01"},
           // A month or part of the year only counts next to the year: these words say
           // nothing about the month, so the year's first day counts (never later).
           {"I think it may have been 2020", "2020-01-01"},
           {"late one night in 2020", "2020-01-01"},
           {"near the end of therapy, 2019", "2019-01-01"},
           {"a while ago", ""},
           {"around March", ""}}) {
    i.date_text = words_given;
    auto got = earliestPossibleDay(i);
    EXPECT_EQ(got ? got->toString() : "", day) << words_given;
  }
}

TEST_F(ComplaintTest, ThePracticeAddressOnTheCasePrefillsTheComplaint) {
  auto kase = addCase();
  EXPECT_EQ(reviewed(kase.id, "practice_address"), "1 Main St, Oakland, CA 94607");
}

TEST_F(ComplaintTest, TheBoardsAddressIsSetOutOnAnEnvelopesLines) {
  // The law data keeps an address on one line; the letter sets it out as a clerk (and a
  // window envelope) expects: one part a line, the city with its state and ZIP code.
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2024-02-10");
  review(kase.id, {"summary=She ended therapy by text."});
  packetText(kase.id);
  const std::string cover = pageText(1);
  EXPECT_NE(cover.find("Board of Behavioral Sciences\n1625 N Market Blvd.\nSuite S-200\n"
                       "Sacramento, CA 95834\n"),
            std::string::npos)
      << cover;
  // The client's address, typed on one line, is set out the same way.
  EXPECT_NE(cover.find("12 Elm Street\nOakland, CA 94601\n"), std::string::npos) << cover;
}

TEST_F(ComplaintTest, TheCoverLetterSpeaksOfExhibitsOnlyWhenThereAreSome) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2024-02-10");
  review(kase.id, {"summary=She ended therapy by text."});
  std::string none = packetText(kase.id, "none.pdf");
  EXPECT_NE(none.find("no exhibits"), std::string::npos) << none;
  EXPECT_EQ(none.find("Each exhibit follows its own cover sheet"), std::string::npos) << none;
  addPdfEvidence(kase.id, "A saved email");
  std::string one = packetText(kase.id, "one.pdf");
  EXPECT_NE(one.find("Each exhibit follows its own cover sheet"), std::string::npos) << one;
}

TEST_F(ComplaintTest, AComplaintOnSomeonesBehalfTakesTheClientsNameAndTheHelpersAddress) {
  auto kase = addCase();
  review(kase.id, {});  // first as the client: the client's name and address filled in
  review(kase.id, {"relationship=representative"});
  EXPECT_EQ(reviewed(kase.id, "client_name"), "Maya Okafor");
  // The helper is asked for their own name; the client's address is not theirs.
  EXPECT_EQ(reviewed(kase.id, "complainant_name"), "");
  EXPECT_EQ(reviewed(kase.id, "complainant_address"), "");
  review(kase.id, {"complainant_name=Sam Rivera", "complainant_address.line1=40 Advocacy Way",
                   "complainant_address.city=Berkeley", "summary=What happened."});
  const std::string text = packetText(kase.id);
  // The cover letter says so too, and the complaint.
  EXPECT_EQ(testing::countOf(text, "on behalf of Maya Okafor, with their knowledge"), 2u) << text;
  EXPECT_NE(text.find("Sam Rivera 40 Advocacy Way Berkeley"), std::string::npos) << text;
  EXPECT_EQ(text.find("12 Elm Street"), std::string::npos) << text;
}

TEST_F(ComplaintTest, AnAddressGivenWholeIsRefusedNamingItsParts) {
  auto kase = addCase();
  auto r = reviewComplaint(services(), {kase.id, nullptr, {"complainant_address=12 Elm St"}});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().field(), "set");
  for (const char* part : {"complainant_address", "line1", "city", "postal_code", "country"}) {
    EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
  }
}

TEST_F(ComplaintTest, EthicsSectionsOfTheTherapistsOwnProfessionComeFirst) {
  for (const auto& [license, own, other] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"LMFT", "AAMFT", "APA"},
           {"psychologist", "APA", "AAMFT"},
           {"LCSW", "NASW", "APA"},
           {"LPCC", "ACA", "APA"}}) {
    auto kase = addCase("us-ca", license);
    core::Incident i;
    i.case_id = kase.id;
    i.summary = "Ended therapy by text";
    i.harm_kinds = {"abandonment"};
    ASSERT_TRUE(store().addIncident(i).isOk());
    review(kase.id, {"summary=What happened."});
    const std::string text = packetText(kase.id, license + ".pdf");
    const size_t at = text.find("Ethics standards that apply");
    ASSERT_NE(at, std::string::npos) << text;
    // The note says whose come first; then each harm: the own code's sections, then others.
    testing::expectInOrder(text.substr(at),
                           {"so the sections of the", "come first.", "Ending therapy",
                            ": " + own + " ", ". In other professions' codes: ", other + " "});
    EXPECT_NE(text.find("[unverified]"), std::string::npos) << text;
  }
}

TEST_F(ComplaintTest, PagesAreNumberedAcrossThePacketAndCanCarryARunningNumber) {
  auto kase = addCase();
  addIncident(kase.id, "2024-02-10");
  addPdfEvidence(kase.id, "Exhibit original text");
  review(kase.id, {"summary=What happened."});
  std::string text = packetText(kase.id, "numbered.pdf", true);
  ASSERT_GE(pages_, 4);
  const std::string total = std::to_string(pages_);
  for (int p = 1; p <= pages_; ++p) {
    std::string page = pageText(p);
    EXPECT_NE(page.find("Page " + std::to_string(p) + " of " + total), std::string::npos)
        << "page " << p << ":\n"
        << page;
    char number[16];
    std::snprintf(number, sizeof number, "%06d", p);
    EXPECT_NE(page.find(number), std::string::npos) << "page " << p << ":\n" << page;
  }
  // No part counts its pages on its own.
  EXPECT_EQ(text.find("Page 1 of 1 "), std::string::npos) << text;
  // Without the option, no running number.
  std::string plain = packetText(kase.id, "plain.pdf", false);
  EXPECT_EQ(plain.find("000001"), std::string::npos);
  EXPECT_NE(plain.find("Page 1 of " + total), std::string::npos);
}

TEST_F(ComplaintTest, APlainTextExhibitIsPrinted) {
  auto kase = addCase();
  const std::string file = tmp_.file("email.txt");
  testing::writeBytes(file, {});
  {
    std::string mail =
        "From: Dr. Jane Smith <jane@example.org>\r\nSubject: Our sessions\r\n\r\n"
        "I will not be able to see you any more.\r\n";
    testing::writeBytes(file, std::vector<std::uint8_t>(mail.begin(), mail.end()));
  }
  addFile(kase.id, file, "Her email ending therapy");
  review(kase.id, {"summary=What happened."});
  const std::string text = packetText(kase.id);
  EXPECT_NE(text.find("Subject: Our sessions"), std::string::npos) << text;
  EXPECT_NE(text.find("I will not be able to see you any more."), std::string::npos) << text;
  EXPECT_EQ(text.find("cannot be shown on paper"), std::string::npos) << text;
}

TEST_F(ComplaintTest, EveryPartHasAHeadingAndTheSignatureIsNeverAlone) {
  auto kase = addCase();
  addIncident(kase.id, "2024-02-10");
  // Summaries growing a line at a time move the signature across a whole page.
  std::string summary = "It went on for months.";
  for (int n = 0; n < 56; ++n) {
    summary += "\nIt went on for months.";
    review(kase.id,
           {"summary=" + summary, "desired_outcome=An investigation.", "records_release=true"});
    const std::string text = packetText(kase.id, "sig" + std::to_string(n) + ".pdf");
    testing::expectInOrder(
        text, {"What happened", "Timeline", "What I would like to happen",
               "My records, and where else I reported this", "Contact details",
               "About the therapist", "Exhibit index", "No exhibits are attached.", "Signature"});
    // The signature (its "Date" label) is on the page of the sentence before it.
    int found = 0;
    for (int p = 1; p <= pages_; ++p) {
      std::string page = pageText(p);
      size_t at = page.find("what I have written in this complaint is true");
      if (at == std::string::npos) continue;
      ++found;
      EXPECT_NE(page.rfind("Signature", at), std::string::npos)  // its heading with it
          << "summary " << n << ", page " << p << ":\n"
          << page;
      EXPECT_NE(page.find("Date", at), std::string::npos)
          << "summary " << n << ", page " << p << ":\n"
          << page;
    }
    EXPECT_EQ(found, 1) << n;
  }
}

}  // namespace
}  // namespace recourse::service
