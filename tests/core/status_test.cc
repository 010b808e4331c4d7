#include "core/status.h"

#include <gtest/gtest.h>

#include "core/status_map.h"

namespace recourse::core {
namespace {

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "ok");
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s = invalidArgument("--name: must not be empty");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.toString(), "invalid_argument: --name: must not be empty");
  EXPECT_EQ(s.withContext("client add").message(), "client add: --name: must not be empty");
}

TEST(StatusTest, CarriesTheFieldAsData) {
  Status s = invalidArgument("must not be empty").withField("name");
  EXPECT_EQ(s.field(), "name");
  EXPECT_EQ(s.message(), "must not be empty");
  EXPECT_EQ(s.text(), "name: must not be empty");
  EXPECT_EQ(s.toString(), "invalid_argument: name: must not be empty");
  // Context goes before the message; the field stays data.
  Status c = s.withContext("row 3");
  EXPECT_EQ(c.field(), "name");
  EXPECT_EQ(c.message(), "row 3: must not be empty");
  EXPECT_TRUE(Status::ok().withField("name").field().empty());
}

TEST(StatusTest, CarriesItsReasonThroughFieldAndContext) {
  Status s = invalidArgument("2026-05-01 is in the future")
                 .withReason("day_in_future", {{"day", "2026-05-01"}})
                 .withField("on")
                 .withContext("row 3");
  EXPECT_EQ(s.reason(), "day_in_future");
  ASSERT_EQ(s.reasonArgs().size(), 1u);
  EXPECT_EQ(s.reasonArgs()[0].first, "day");
  EXPECT_EQ(s.reasonArgs()[0].second, "2026-05-01");
  EXPECT_EQ(s.field(), "on");
  EXPECT_EQ(s.message(), "row 3: 2026-05-01 is in the future");
  EXPECT_TRUE(invalidArgument("x").reason().empty());
  EXPECT_TRUE(Status::ok().withReason("day_in_future").reason().empty());
}

TEST(StatusTest, StatusOrHoldsValueOrError) {
  StatusOr<int> good = 7;
  ASSERT_TRUE(good.isOk());
  EXPECT_EQ(*good, 7);
  StatusOr<int> bad = notFound("case: no case with id x");
  EXPECT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

TEST(StatusTest, StatusOrFromOkStatusIsAnInternalError) {
  StatusOr<int> odd = Status::ok();
  EXPECT_FALSE(odd.isOk());
  EXPECT_EQ(odd.status().code(), StatusCode::kInternal);
}

TEST(StatusMapTest, HttpStatusForEachCode) {
  EXPECT_EQ(httpStatusFor(Status::ok()), 200);
  EXPECT_EQ(httpStatusFor(invalidArgument("x")), 400);
  EXPECT_EQ(httpStatusFor(unauthenticated("x")), 401);
  EXPECT_EQ(httpStatusFor(permissionDenied("x")), 403);
  EXPECT_EQ(httpStatusFor(notFound("x")), 404);
  EXPECT_EQ(httpStatusFor(conflict("x")), 409);
  EXPECT_EQ(httpStatusFor(failedPrecondition("x")), 409);
  EXPECT_EQ(httpStatusFor(resourceExhausted("x")), 413);
  EXPECT_EQ(httpStatusFor(corruption("x")), 500);
  EXPECT_EQ(httpStatusFor(ioError("x")), 500);
}

TEST(StatusMapTest, ExitCodeForEachCode) {
  EXPECT_EQ(exitCodeFor(Status::ok()), 0);
  EXPECT_EQ(exitCodeFor(invalidArgument("x")), 2);
  EXPECT_EQ(exitCodeFor(notFound("x")), 2);
  EXPECT_EQ(exitCodeFor(unauthenticated("x")), 1);
  EXPECT_EQ(exitCodeFor(corruption("x")), 1);
  EXPECT_EQ(exitCodeFor(conflict("x")), 1);
}

}  // namespace
}  // namespace recourse::core
