// A health plan's records of claims, asked for under the right of access, which covers health
// plans (45 CFR 160.103, 164.524): the plan is named by the person, the due date is counted
// under the plan's law, the letter cites it and asks for the claims for this therapist's
// services, and it is tracked and listed like any records request.
#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/deadlines.h"
#include "service/letter.h"
#include "service/requests.h"

namespace recourse::service {
namespace {

core::Date day(const std::string& s) { return *core::Date::parse(s, "date"); }

class ClaimsRequestTest : public testing::ServiceTest {};

TEST_F(ClaimsRequestTest, AskedOfTheNamedPlanCountedUnderHipaaAndCitedInTheLetter) {
  auto kase = addCase("us-ca", "LMFT");
  NewRequest in;
  in.case_id = kase.id;
  in.kind = "claims";
  // The plan is the person's to name: never taken to be the therapist's practice.
  auto unnamed = addRequest(services(), in);
  ASSERT_FALSE(unnamed.isOk());
  EXPECT_EQ(unnamed.status().field(), "custodian_name");
  EXPECT_EQ(unnamed.status().reason(), "plan_needed");
  auto none = store().listRequests(kase.id);
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->empty());

  in.custodian_name = "Golden State Health Plan";
  auto added = addRequest(services(), in);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->request.kind, core::RequestKind::kClaims);
  EXPECT_EQ(added->request.custodian_address, "");  // not the practice's
  NewEvent sent;
  sent.request_id = added->request.id;
  sent.type = core::RequestEventType::kSent;
  sent.on = day("2026-02-02");
  sent.via = "mail";
  auto tracked = recordEvent(services(), sent);
  ASSERT_TRUE(tracked.isOk()) << tracked.status().toString();
  // California has no law of its own for plans here: HIPAA's 30 calendar days from receipt,
  // 2 February + 30 = 4 March 2026.
  ASSERT_TRUE(tracked->state.due.has_value());
  EXPECT_EQ(*tracked->state.due, day("2026-03-04"));
  const auto& gov = tracked->state.deadline->deadlines[tracked->state.deadline->governing];
  EXPECT_EQ(gov.jurisdiction_id, "us");
  EXPECT_EQ(gov.count, 30);

  LetterRequest req;
  req.request_id = added->request.id;
  req.set = {"requester_address.line1=12 Elm Street, Oakland, CA 94601", "member_id=GSH-55120",
             "scope=all", "format=paper"};
  auto letter = makeLetter(services(), req);
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  EXPECT_EQ(letter->form_id, "claims-request");
  const std::string path = tmp_.file("claims.pdf");
  testing::writeBytes(path, letter->pdf);
  const std::string text = testing::foldedText(path);
  testing::expectInOrder(
      text, {"Golden State Health Plan", "Dear Golden State Health Plan,",
             "Member or policy number: GSH-55120", "under 45 CFR 164.524(b)(2)(i)",
             "the records of the claims submitted in my name for services by Dr. Jane Smith (Bay "
             "Clinic)",
             "the date of each service", "please respond by March 4, 2026"});
  // A plan's letter asks for claims, never the therapist's notes.
  EXPECT_EQ(text.find("psychotherapy"), std::string::npos) << text;
  EXPECT_EQ(text.find("{{"), std::string::npos);

  // In `deadlines`, by what it is.
  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk());
  bool listed = false;
  for (const auto& i : *items) {
    listed |= i.what.key == "due.claims" && i.what.text ==
                                                "Claims records due from Golden State "
                                                "Health Plan";
  }
  EXPECT_TRUE(listed);
}

TEST_F(ClaimsRequestTest, WhereNoKnownLawGivesItTheRequestIsRefusedByName) {
  auto kase = addCase("gb", "counsellor");
  NewRequest in;
  in.case_id = kase.id;
  in.kind = "claims";
  in.custodian_name = "A Health Insurer Ltd";
  auto r = addRequest(services(), in);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().field(), "kind");
  EXPECT_EQ(r.status().reason(), "right_not_here");
}

}  // namespace
}  // namespace recourse::service
