// Evidence at the workflow level: checks before anything is kept, the fingerprint, export
// byte for byte with its custody entry, verification.
#include "service/evidence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <vector>

#include "fakes/service_fixture.h"
#include "store/crypto.h"

namespace recourse::service {
namespace {

class EvidenceTest : public testing::ServiceTest {
 protected:
  AddEvidence request(const std::string& case_id, const std::string& path) {
    AddEvidence in;
    in.case_id = case_id;
    in.source_path = path;
    return in;
  }
};

TEST_F(EvidenceTest, BadFilesAreRefusedByWhatIsWrongAndNothingIsKept) {
  auto kase = addCase();
  const std::string empty = tmp_.file("empty.txt");
  testing::writeFile(empty, "");
  auto r = addEvidence(services(), request(kase.id, empty));
  EXPECT_EQ(r.status().field(), "file");
  EXPECT_NE(r.status().message().find("is empty"), std::string::npos);

  const std::string fake_pdf = tmp_.file("letter.pdf");
  testing::writeFile(fake_pdf, "not a pdf at all");
  r = addEvidence(services(), request(kase.id, fake_pdf));
  EXPECT_EQ(r.status().field(), "file");
  EXPECT_NE(r.status().message().find("its name says PDF"), std::string::npos);

  const std::string big = tmp_.file("big.txt");
  testing::writeFile(big, std::string(2048, 'x'));
  auto too_big = request(kase.id, big);
  too_big.max_bytes = 1024;
  r = addEvidence(services(), too_big);
  EXPECT_EQ(r.status().code(), core::StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().field(), "file");

  r = addEvidence(services(), request(kase.id, tmp_.file("missing.txt")));
  EXPECT_EQ(r.status().field(), "file");
  r = addEvidence(services(), request("cs_nothere", big));
  EXPECT_EQ(r.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(r.status().field(), "case_id");
  auto other = addCase();
  auto elsewhere = addIncident(other.id, "2024-01-01");
  auto wrong_incident = request(kase.id, big);
  wrong_incident.incident_id = elsewhere.id;
  r = addEvidence(services(), wrong_incident);
  EXPECT_EQ(r.status().field(), "incident_id");

  EXPECT_TRUE(listEvidence(services(), kase.id)->empty());
  EXPECT_TRUE(store().custodyLog()->empty());
}

TEST_F(EvidenceTest, KeptExportedByteForByteAndVerified) {
  auto kase = addCase();
  const std::string note = tmp_.file("note.txt");
  const std::string content = "She wrote: don't come back. Zoë";
  testing::writeFile(note, content);
  auto in = request(kase.id, note);
  in.description = "Text from the therapist";
  in.date = *core::Date::parse("2024-02-10", "date");
  auto added = addEvidence(services(), in);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->sha256_hex.size(), 64u);
  EXPECT_EQ(added->media_type, "application/octet-stream");
  EXPECT_EQ(added->size_bytes, static_cast<long long>(content.size()));
  EXPECT_EQ(testing::readFile(note), content);  // the original is untouched

  const std::string out = tmp_.file("copy.txt");
  auto exported = exportEvidence(services(), added->id, out);
  ASSERT_TRUE(exported.isOk()) << exported.status().toString();
  EXPECT_EQ(testing::readFile(out), content);
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  auto again = exportEvidence(services(), added->id, out);
  EXPECT_EQ(again.status().field(), "out_path");
  EXPECT_EQ(exportEvidence(services(), "ev_nothere", tmp_.file("x")).status().field(),
            "evidence_id");

  auto check = verifyEvidence(services());
  ASSERT_TRUE(check.isOk()) << check.status().toString();
  EXPECT_TRUE(check->problems.empty());
  EXPECT_EQ(check->files, 1u);
  EXPECT_EQ(check->custody_entries, 2u);  // intake, export
}

// What an add cut off by kill -9 leaves behind (a ".partial" untouched for a while) is
// removed for good and said by the check, as is any file no record names; one still being
// written is left alone. Opening the vault removes such leftovers too.
TEST_F(EvidenceTest, LeftoversAndStrangersInTheEvidenceFolderAreSaid) {
  auto kase = addCase();
  const std::string note = tmp_.file("note.txt");
  testing::writeFile(note, "kept");
  ASSERT_TRUE(addEvidence(services(), request(kase.id, note)).isOk());
  const std::string dir = tmp_.path() + "/evidence";
  const std::string stale = dir + "/ev_cutoff.sealed.partial";
  const std::string fresh = dir + "/ev_running.sealed.partial";
  const std::string stranger = dir + "/holiday.jpg";
  // A sealed file whose record was never committed (cut off between the rename and the
  // commit): while recent it may be an add finishing now, and is left alone.
  const std::string orphan = dir + "/ev_nocommit.sealed";
  testing::writeFile(stale, "half");
  testing::writeFile(fresh, "half");
  testing::writeFile(stranger, "?");
  testing::writeFile(orphan, "sealed bytes");
  std::filesystem::last_write_time(
      stale, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  // A sealed file's age is its ctime (a rename sets it; nothing can set it back), measured
  // by the vault's clock, which is set to this computer's time.
  clock_.advance(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() -
                                                                  clock_.now()));
  auto check = verifyEvidence(services());
  ASSERT_TRUE(check.isOk()) << check.status().toString();
  std::string all;
  for (const auto& p : check->problems) all += p + "\n";
  EXPECT_NE(all.find("ev_cutoff.sealed.partial: left behind by an evidence add that was cut off; "
                     "removed"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("holiday.jpg: a file in the evidence folder that no record names"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find("ev_nocommit"), std::string::npos) << all;
  EXPECT_TRUE(std::filesystem::exists(orphan));
  EXPECT_EQ(all.find("ev_running"), std::string::npos) << all;
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_TRUE(std::filesystem::exists(stranger));
  // An hour later the orphan is old: removed, and said.
  clock_.advance(std::chrono::hours(1));
  check = verifyEvidence(services());
  ASSERT_TRUE(check.isOk()) << check.status().toString();
  all.clear();
  for (const auto& p : check->problems) all += p + "\n";
  EXPECT_NE(all.find("ev_nocommit.sealed: left behind by an evidence add that was cut off "
                     "before its record was kept; removed"),
            std::string::npos)
      << all;
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_EQ(all.find(".sealed: left behind"), all.rfind(".sealed: left behind")) << all;

  testing::writeFile(stale, "half");
  std::filesystem::last_write_time(
      stale, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  EXPECT_EQ(store::removeEvidenceLeftovers(dir), 1u);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(fresh));
}

// An upload as the browser sends it: `bytes` given a few at a time.
struct ChunkedSource {
  std::string bytes;
  size_t step = 7;
  size_t at = 0;
  int calls = 0;
  std::function<core::StatusOr<size_t>(std::uint8_t*, size_t)> fn() {
    return [this](std::uint8_t* buf, size_t cap) -> core::StatusOr<size_t> {
      ++calls;
      const size_t n = std::min({step, cap, bytes.size() - at});
      std::memcpy(buf, bytes.data() + at, n);
      at += n;
      return n;
    };
  }
};

// Every file in the evidence folder, sealed or partial.
std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) out.push_back(e.path().string());
  }
  return out;
}

TEST_F(EvidenceTest, AnUploadIsSealedAsItArrivesAndKeptByteForByte) {
  auto kase = addCase();
  auto incident = addIncident(kase.id, "2024-02-10");
  ChunkedSource src;
  src.bytes = "CANARY-7f3a upload: she wrote don't come back. Zoë\n";
  for (int i = 0; i < 5000; ++i) src.bytes += "line " + std::to_string(i) + "\n";  // > 64 KiB
  UploadEvidence in;
  in.case_id = kase.id;
  in.incident_id = incident.id;
  in.description = "Texts from the therapist";
  in.original_name = "C:\\Users\\zoe\\texts.txt";
  in.source = src.fn();
  auto added = uploadEvidence(services(), in);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->original_name, "texts.txt");  // the name only, not the folders
  EXPECT_EQ(added->size_bytes, static_cast<long long>(src.bytes.size()));
  EXPECT_EQ(added->incident_id, incident.id);
  EXPECT_GT(src.calls, 1000);  // it came in small pieces

  const std::string out = tmp_.file("back.txt");
  ASSERT_TRUE(exportEvidence(services(), added->id, out).isOk());
  EXPECT_EQ(testing::readFile(out), src.bytes);
  testing::writeFile(tmp_.file("same.txt"), src.bytes);
  EXPECT_EQ(added->sha256_hex, *store::sha256File(tmp_.file("same.txt")));
  // Nothing of it is on disk unsealed.
  for (const auto& f : filesIn(tmp_.path() + "/evidence")) {
    EXPECT_EQ(testing::readFile(f).find("CANARY-7f3a"), std::string::npos) << f;
  }
  auto check = verifyEvidence(services());
  ASSERT_TRUE(check.isOk());
  EXPECT_TRUE(check->problems.empty());
}

TEST_F(EvidenceTest, AnUploadThatIsRefusedLeavesNothing) {
  auto kase = addCase();
  auto upload = [&](const std::string& name, const std::string& bytes, long long max_bytes,
                    const std::string& case_id, int* calls) {
    ChunkedSource src;
    src.bytes = bytes;
    src.step = 100;
    UploadEvidence in;
    in.case_id = case_id;
    in.original_name = name;
    in.max_bytes = max_bytes;
    in.source = src.fn();
    auto r = uploadEvidence(services(), in);
    if (calls != nullptr) *calls = src.calls;
    return r.status();
  };
  int calls = 0;
  core::Status st = upload("big.txt", std::string(200000, 'x'), 1024, kase.id, &calls);
  EXPECT_EQ(st.code(), core::StatusCode::kResourceExhausted);
  EXPECT_EQ(st.field(), "file");
  EXPECT_NE(st.message().find("big.txt"), std::string::npos);
  EXPECT_NE(st.message().find("the largest file Recourse keeps is 1.0 KB"), std::string::npos);
  EXPECT_LT(calls, 20);  // it stopped reading once past the limit

  st = upload("letter.pdf", "not a pdf at all", 1 << 20, kase.id, nullptr);
  EXPECT_EQ(st.field(), "file");
  EXPECT_NE(st.message().find("letter.pdf: its name says PDF"), std::string::npos);
  st = upload("broken.pdf", "%PDF-1.4\n1 0 obj << >> endobj\n", 1 << 20, kase.id, nullptr);
  EXPECT_EQ(st.field(), "file");
  EXPECT_NE(st.message().find("cannot be read as one"), std::string::npos);
  st = upload("photo.png", "\x89PNG\r\n\x1a\nnot really", 1 << 20, kase.id, nullptr);
  EXPECT_EQ(st.field(), "file");
  EXPECT_NE(st.message().find("damaged"), std::string::npos);
  st = upload("empty.txt", "", 1 << 20, kase.id, nullptr);
  EXPECT_NE(st.message().find("empty.txt is empty"), std::string::npos);
  st = upload("", "abc", 1 << 20, kase.id, nullptr);
  EXPECT_EQ(st.field(), "name");
  st = upload(std::string(501, 'n') + ".txt", "abc", 1 << 20, kase.id, &calls);
  EXPECT_EQ(st.field(), "file");
  EXPECT_EQ(st.reason(), "file_name_too_long");
  EXPECT_EQ(calls, 0);  // refused before a byte is read
  st = upload("a.txt", "abc", 1 << 20, "cs_nothere", &calls);
  EXPECT_EQ(st.code(), core::StatusCode::kNotFound);
  EXPECT_EQ(st.field(), "case_id");
  EXPECT_EQ(calls, 0);  // nothing read for a case that is not there

  EXPECT_TRUE(listEvidence(services(), kase.id)->empty());
  EXPECT_TRUE(store().custodyLog()->empty());
  EXPECT_TRUE(filesIn(tmp_.path() + "/evidence").empty());
}

TEST(EvidenceLimitTest, SizesAreWholeMegabytes) {
  EXPECT_EQ(*parseEvidenceLimitMb("2", "max"), 2LL * 1024 * 1024);
  for (const char* bad : {"", "0", "-1", "1.5", "12MB", "99999999999999999999"}) {
    auto r = parseEvidenceLimitMb(bad, "max");
    EXPECT_FALSE(r.isOk()) << bad;
    EXPECT_EQ(r.status().field(), "max");
  }
  EXPECT_EQ(describeSize(512), "512 bytes");
  EXPECT_EQ(describeSize(1536), "1.5 KB");
}

TEST_F(EvidenceTest, WhatIsSaidAboutAFileIsCorrectedAndTheFileStaysAsItWas) {
  auto kase = addCase();
  auto incident = addIncident(kase.id, "2024-01-01");
  const std::string path = tmp_.file("texts.txt");
  testing::writeFile(path, "The texts.\n");
  auto in = request(kase.id, path);
  in.description = "Texts";
  auto added = addEvidence(services(), in);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  const size_t custody = store().custodyLog()->size();

  auto fixed = editEvidence(services(), {added->id, std::string("Texts from Dr. P"),
                                         std::string("2024-01-02"), incident.id});
  ASSERT_TRUE(fixed.isOk()) << fixed.status().toString();
  auto read = getEvidence(services(), added->id);
  EXPECT_EQ(read->description, "Texts from Dr. P");
  EXPECT_EQ(read->date, core::Date::parse("2024-01-02", "date").value());
  EXPECT_EQ(read->incident_id, incident.id);
  EXPECT_EQ(read->sha256_hex, added->sha256_hex);
  EXPECT_EQ(read->original_name, "texts.txt");
  EXPECT_EQ(store().auditEvents()->back().action, "evidence.edit");
  EXPECT_EQ(store().custodyLog()->size(), custody);  // the file was not touched

  // Refusals name their field and change nothing.
  auto future = editEvidence(services(), {added->id, {}, std::string("2026-03-09"), {}});
  EXPECT_EQ(future.status().field(), "date");
  EXPECT_EQ(future.status().reason(), "day_in_future");
  auto not_a_day = editEvidence(services(), {added->id, {}, std::string("2024-02-30"), {}});
  EXPECT_EQ(not_a_day.status().field(), "date");
  EXPECT_EQ(not_a_day.status().reason(), "not_a_date");
  auto elsewhere = addIncident(addCase().id, "2024-01-01");
  EXPECT_EQ(editEvidence(services(), {added->id, {}, {}, elsewhere.id}).status().field(),
            "incident_id");
  EXPECT_EQ(editEvidence(services(), {"ev_nothere", std::string("x"), {}, {}}).status().field(),
            "evidence_id");
  EXPECT_EQ(getEvidence(services(), added->id)->incident_id, incident.id);

  // "" clears.
  auto cleared =
      editEvidence(services(), {added->id, std::string(""), std::string(""), std::string("")});
  ASSERT_TRUE(cleared.isOk()) << cleared.status().toString();
  EXPECT_EQ(cleared->description, "");
  EXPECT_FALSE(cleared->date.has_value());
  EXPECT_EQ(cleared->incident_id, "");
}

}  // namespace
}  // namespace recourse::service
