// The complaint workflows at the workflow level: review (prefill, refusal of wrong answers,
// nothing saved on failure) and the packet (refused before review, then made).
#include "service/complaint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/evidence.h"

namespace recourse::service {
namespace {

class ComplaintTest : public testing::ServiceTest {};

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
  EXPECT_NE(r->warnings[0].find("ends on 2026-04-15, in 44 days"), std::string::npos)
      << r->warnings[0];
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

}  // namespace
}  // namespace recourse::service
