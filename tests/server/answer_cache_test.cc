// The server's kept answers: found only while the vault reads as it did, never more than
// kMaxEntries of them, and all gone at once when cleared (as on every lock).
#include "server/answer_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace recourse::server {
namespace {

TEST(AnswerCacheTest, AnAnswerIsFoundOnlyWhileTheVaultReadsAsItDid) {
  AnswerCache cache;
  service::ReadStamp stamp{1, 10, 2, 20000};
  cache.put("/api/v1/cases/cs_1/overview", stamp, "{\"a\":1}");
  EXPECT_EQ(cache.find("/api/v1/cases/cs_1/overview", stamp), "{\"a\":1}");
  for (auto changed : {service::ReadStamp{2, 10, 2, 20000}, service::ReadStamp{1, 11, 2, 20000},
                       service::ReadStamp{1, 10, 3, 20000}, service::ReadStamp{1, 10, 2, 20001}}) {
    EXPECT_FALSE(cache.find("/api/v1/cases/cs_1/overview", changed).has_value());
  }
  EXPECT_FALSE(cache.find("/api/v1/cases/cs_2/overview", stamp).has_value());
  cache.clear();
  EXPECT_FALSE(cache.find("/api/v1/cases/cs_1/overview", stamp).has_value());
}

TEST(AnswerCacheTest, NeverHoldsMoreThanItsLimit) {
  AnswerCache cache;
  const service::ReadStamp stamp{1, 1, 1, 1};
  auto key = [](size_t i) { return "/api/v1/cases/cs_" + std::to_string(i) + "/overview"; };
  for (size_t i = 0; i < AnswerCache::kMaxEntries; ++i) cache.put(key(i), stamp, std::to_string(i));
  for (size_t i = 0; i < AnswerCache::kMaxEntries; ++i) {
    EXPECT_EQ(cache.find(key(i), stamp), std::to_string(i)) << i;
  }
  // Putting one again does not count twice.
  cache.put(key(0), stamp, "again");
  EXPECT_EQ(cache.find(key(AnswerCache::kMaxEntries - 1), stamp),
            std::to_string(AnswerCache::kMaxEntries - 1));
  // One more than the limit: the kept answers go, the new one stays.
  cache.put(key(AnswerCache::kMaxEntries), stamp, "new");
  size_t kept = 0;
  for (size_t i = 0; i <= AnswerCache::kMaxEntries; ++i) kept += cache.find(key(i), stamp) ? 1 : 0;
  EXPECT_EQ(kept, 1u);
  EXPECT_EQ(cache.find(key(AnswerCache::kMaxEntries), stamp), "new");
}

}  // namespace
}  // namespace recourse::server
