// Records requests at the workflow level: defaults from the case, the event rules, the
// state derived from events and the law, errors naming their field.
#include "service/requests.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"

namespace recourse::service {
namespace {

core::Date day(const std::string& s) { return *core::Date::parse(s, "date"); }

class RequestsTest : public testing::ServiceTest {
 protected:
  NewEvent event(const std::string& id, core::RequestEventType type, const std::string& on,
                 const std::string& via = "") {
    NewEvent e;
    e.request_id = id;
    e.type = type;
    e.on = day(on);
    e.via = via;
    return e;
  }
};

TEST_F(RequestsTest, ANewRequestTakesTheCustodianFromTheCase) {
  auto kase = addCase("us-ca", "LMFT");
  auto added = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr});
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->request.custodian_name, "Bay Clinic");
  EXPECT_EQ(added->request.custodian_address, "1 Main St, Oakland, CA 94607");
  EXPECT_EQ(added->state.status, core::RequestStatus::kDraft);
  EXPECT_TRUE(added->events.empty());

  auto named = addRequest(
      services(), {kase.id, std::string("Oak Billing"), std::string(""), {}, "REF-1", "", nullptr});
  ASSERT_TRUE(named.isOk());
  EXPECT_EQ(named->request.custodian_name, "Oak Billing");
  EXPECT_EQ(named->request.custodian_address, "");

  auto missing = addRequest(services(), {"cs_nothere", {}, {}, {}, "", "", nullptr});
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "case_id");
}

TEST_F(RequestsTest, EventsFollowTheRequestsStoryAndNothingWrongIsRecorded) {
  auto kase = addCase("us-ca", "LMFT");
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  auto early = recordEvent(services(), event(id, T::kDenied, "2026-03-01"));
  EXPECT_EQ(early.status().field(), "type");
  EXPECT_NE(early.status().message().find("sent first"), std::string::npos);
  auto future = recordEvent(services(), event(id, T::kSent, "2026-03-09", "mail"));
  EXPECT_EQ(future.status().field(), "on");
  auto no_via = recordEvent(services(), event(id, T::kSent, "2026-03-01"));
  EXPECT_EQ(no_via.status().field(), "via");
  EXPECT_TRUE(showRequest(services(), id)->events.empty());

  auto sent = recordEvent(services(), event(id, T::kSent, "2026-03-01", "mail"));
  ASSERT_TRUE(sent.isOk()) << sent.status().toString();
  EXPECT_EQ(sent->state.status, core::RequestStatus::kAwaiting);
  ASSERT_TRUE(sent->state.due.has_value());
  EXPECT_EQ(*sent->state.sent_on, day("2026-03-01"));

  auto before = recordEvent(services(), event(id, T::kAcknowledged, "2026-02-20"));
  EXPECT_EQ(before.status().field(), "on");
  EXPECT_NE(before.status().message().find("before the request was received on 2026-03-01"),
            std::string::npos);
  EXPECT_EQ(showRequest(services(), id)->events.size(), 1u);

  EXPECT_EQ(
      recordEvent(services(), event("rq_nothere", T::kSent, "2026-03-01", "mail")).status().field(),
      "request_id");
}

TEST_F(RequestsTest, ListingIsPerCaseAndALockedVaultIsNotAnEmptyList) {
  auto a = addCase();
  auto b = addCase();
  ASSERT_TRUE(addRequest(services(), {a.id, {}, {}, {}, "", "", nullptr}).isOk());
  ASSERT_TRUE(addRequest(services(), {b.id, {}, {}, {}, "", "", nullptr}).isOk());
  EXPECT_EQ(listRequests(services(), "")->size(), 2u);
  EXPECT_EQ(listRequests(services(), a.id)->size(), 1u);
  EXPECT_EQ(listRequests(services(), "cs_nothere").status().field(), "case_id");
  store().lock();
  EXPECT_EQ(listRequests(services(), "").status().code(), core::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace recourse::service
