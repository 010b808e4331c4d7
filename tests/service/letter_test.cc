// Making a letter at the workflow level: bytes back, nothing written; the tracked request
// decides the form; each failure names its field and is what it is.
#include "service/letter.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"

namespace recourse::service {
namespace {

class LetterTest : public testing::ServiceTest {
 protected:
  std::string textOf(const Letter& letter) {
    const std::string path = tmp_.file("letter-" + std::to_string(++n_) + ".pdf");
    testing::writeBytes(path, letter.pdf);
    return testing::foldedText(path);
  }
  int n_ = 0;
};

TEST_F(LetterTest, ARecordsRequestFromTheCaseAndTheLaw) {
  auto kase = addCase("us-ca", "LMFT");
  auto letter = makeLetter(
      services(),
      {"records-request", kase.id, "", nullptr, {"scope=all", "format=paper", "send_to=me"}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  EXPECT_EQ(letter->form_id, "records-request");
  EXPECT_GE(letter->pages, 1);
  EXPECT_FALSE(letter->due_date.empty());
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("Maya Okafor"), std::string::npos) << text;
  EXPECT_NE(text.find("45 CFR 164.524"), std::string::npos) << text;
  EXPECT_NE(text.find(letter->due_date), std::string::npos) << text;
  EXPECT_TRUE(std::filesystem::is_empty(tmp_.path()) ||
              !std::filesystem::exists(tmp_.file("letter-0.pdf")));
}

TEST_F(LetterTest, MissingAnswersAreListedByField) {
  auto kase = addCase();
  auto letter = makeLetter(services(), {"records-request", kase.id, "", nullptr, {}, {}});
  ASSERT_FALSE(letter.isOk());
  EXPECT_EQ(letter.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(letter.status().field(), "answers");
  EXPECT_NE(letter.status().message().find("scope: is needed for this document (all, dates)"),
            std::string::npos)
      << letter.status().message();
}

TEST_F(LetterTest, EachWrongIdNamesItsFieldAndALockedVaultIsNotNotFound) {
  auto kase = addCase();
  auto form = makeLetter(services(), {"nope", kase.id, "", nullptr, {}, {}});
  EXPECT_EQ(form.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(form.status().field(), "form_id");
  auto kcase = makeLetter(services(), {"records-request", "cs_nothere", "", nullptr, {}, {}});
  EXPECT_EQ(kcase.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(kcase.status().field(), "case_id");
  auto req = makeLetter(services(), {"", "", "rq_nothere", nullptr, {}, {}});
  EXPECT_EQ(req.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(req.status().field(), "request_id");
  auto set = makeLetter(services(), {"records-request", kase.id, "", nullptr, {"colour=blue"}, {}});
  EXPECT_EQ(set.status().field(), "set");
  store().lock();
  auto locked =
      makeLetter(services(), {"records-request", kase.id, "", nullptr, {"scope=all"}, {}});
  EXPECT_EQ(locked.status().code(), core::StatusCode::kUnauthenticated);
}

TEST_F(LetterTest, ATrackedRequestPicksTheLetterItsStateCallsFor) {
  auto kase = addCase("us-ca", "LMFT");
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  r.answers_json = R"({"scope":"all"})";
  auto added = store().addRequest(r);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  core::RequestEvent sent;
  sent.request_id = added->id;
  sent.type = core::RequestEventType::kSent;
  sent.on = *core::Date::parse("2026-01-05", "on");
  sent.via = "mail";
  ASSERT_TRUE(store().addRequestEvent(sent).isOk());
  // Sent on 5 January; by 2 March the answer is overdue: a follow-up.
  auto letter = makeLetter(
      services(), {"", "", added->id, nullptr, {"heard_back=nothing", "reply_within_days=14"}, {}});
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  EXPECT_EQ(letter->form_id, "records-followup");
  const std::string text = textOf(*letter);
  EXPECT_NE(text.find("Bay Clinic"), std::string::npos) << text;
  EXPECT_NE(text.find("January 5, 2026"), std::string::npos) << text;

  core::RequestEvent denied;
  denied.request_id = added->id;
  denied.type = core::RequestEventType::kDenied;
  denied.on = *core::Date::parse("2026-02-20", "on");
  ASSERT_TRUE(store().addRequestEvent(denied).isOk());
  auto review = makeLetter(
      services(), {"", "", added->id, nullptr, {"what_refused=all", "review_route=review"}, {}});
  ASSERT_TRUE(review.isOk()) << review.status().toString();
  EXPECT_EQ(review->form_id, "denial-review");
}

TEST(LetterFormForTest, EachStatusHasItsLetter) {
  EXPECT_EQ(letterFormFor(core::RequestStatus::kDenied), "denial-review");
  EXPECT_EQ(letterFormFor(core::RequestStatus::kOverdue), "records-followup");
  EXPECT_EQ(letterFormFor(core::RequestStatus::kPartiallyFulfilled), "records-followup");
  EXPECT_EQ(letterFormFor(core::RequestStatus::kAwaiting), "records-request");
}

}  // namespace
}  // namespace recourse::service
