#include "server/json_codec.h"

#include <gtest/gtest.h>

namespace recourse::server {
namespace {

TEST(JsonCodecTest, ClientJsonHasNullForEmptyFields) {
  core::Client c;
  c.id = "cl_1";
  c.name = "Zoë";
  std::string text = toJsonText(clientToJson(c));
  EXPECT_NE(text.find("\"email\":null"), std::string::npos);
  EXPECT_NE(text.find("\"name\":\"Zoë\""), std::string::npos);
}

TEST(JsonCodecTest, ClientDateOfBirthGoesBothWays) {
  auto obj = parseObject(R"({"name":"Zoë","date_of_birth":"1984-07-19"})");
  ASSERT_TRUE(obj.isOk());
  auto c = clientFromJson(*obj);
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->date_of_birth, "1984-07-19");
  EXPECT_NE(toJsonText(clientToJson(*c)).find(R"("date_of_birth":"1984-07-19")"),
            std::string::npos);
}

TEST(JsonCodecTest, CaseFromJsonReadsNestedProvider) {
  auto obj = parseObject(R"({"client_id":"cl_1","provider":{"name":"Dr. P","license_type":"LCSW"},)"
                         R"("treatment_start":"2024-02-29","title":null})");
  ASSERT_TRUE(obj.isOk());
  auto c = caseFromJson(*obj);
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->provider.name, "Dr. P");
  EXPECT_EQ(c->provider.license_type, "LCSW");
  EXPECT_EQ(c->treatment_start->toString(), "2024-02-29");
  EXPECT_EQ(c->title, "");
}

TEST(JsonCodecTest, CaseFromJsonNeedsProviderObject) {
  auto obj = parseObject(R"({"client_id":"cl_1","provider":"Dr. P"})");
  ASSERT_TRUE(obj.isOk());
  EXPECT_EQ(caseFromJson(*obj).status().message().rfind("provider: ", 0), 0u);
  obj = parseObject(R"({"provider":{"name":"x"}})");
  EXPECT_EQ(caseFromJson(*obj).status().message(), "client_id: must name the client");
}

TEST(JsonCodecTest, MalformedJson) {
  for (const char* bad : {"", "{", "{\"a\":}", "nul", "{\"name\":\"x\"} trailing"}) {
    auto r = parseObject(bad);
    EXPECT_FALSE(r.isOk()) << bad;
    if (!r.isOk()) {
      EXPECT_EQ(r.status().message().rfind("body: ", 0), 0u) << bad;
    }
  }
}

}  // namespace
}  // namespace recourse::server
