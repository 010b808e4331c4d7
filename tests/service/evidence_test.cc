// Evidence at the workflow level: checks before anything is kept, the fingerprint, export
// byte for byte with its custody entry, verification.
#include "service/evidence.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fakes/service_fixture.h"

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

}  // namespace
}  // namespace recourse::service
