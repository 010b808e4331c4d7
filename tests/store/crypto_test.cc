#include "store/crypto.h"

#include <gtest/gtest.h>

namespace recourse::store {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(cryptoInit()); }
};

TEST_F(CryptoTest, SealOpensOnlyWithSameKeyAndContext) {
  SecretKey key = SecretKey::random();
  Bytes sealed = seal(key, "Zoë Müller", "recourse/v1/clients/name/cl_1");
  std::string as_text(sealed.begin(), sealed.end());
  EXPECT_EQ(as_text.find("Zo"), std::string::npos);
  auto opened = open(key, sealed, "recourse/v1/clients/name/cl_1");
  ASSERT_TRUE(opened.isOk());
  EXPECT_EQ(*opened, "Zoë Müller");

  // Moved to another row or column: refused.
  EXPECT_EQ(open(key, sealed, "recourse/v1/clients/name/cl_2").status().code(),
            core::StatusCode::kCorruption);
  EXPECT_FALSE(open(key, sealed, "recourse/v1/clients/notes/cl_1").isOk());
  // Another key: refused.
  EXPECT_FALSE(open(SecretKey::random(), sealed, "recourse/v1/clients/name/cl_1").isOk());
  // One flipped bit: refused.
  sealed[sealed.size() / 2] ^= 0x01;
  EXPECT_FALSE(open(key, sealed, "recourse/v1/clients/name/cl_1").isOk());
  // Truncated: refused.
  EXPECT_FALSE(open(key, Bytes(sealed.begin(), sealed.begin() + 10), "x").isOk());
}

TEST_F(CryptoTest, SealingTwiceGivesDifferentBytes) {
  SecretKey key = SecretKey::random();
  EXPECT_NE(seal(key, "same", "ad"), seal(key, "same", "ad"));
}

TEST_F(CryptoTest, DerivedKeyDependsOnPassphraseAndSalt) {
  auto params = kdfParamsNamed("interactive");
  ASSERT_TRUE(params.isOk());
  Bytes salt = randomBytes(kSaltSize);
  auto a = deriveKey("correct horse", salt, *params);
  auto b = deriveKey("correct horse", salt, *params);
  auto c = deriveKey("correct horsf", salt, *params);
  auto d = deriveKey("correct horse", randomBytes(kSaltSize), *params);
  ASSERT_TRUE(a.isOk() && b.isOk() && c.isOk() && d.isOk());
  auto same = [](const SecretKey& x, const SecretKey& y) {
    return std::equal(x.data(), x.data() + SecretKey::kSize, y.data());
  };
  EXPECT_TRUE(same(*a, *b));
  EXPECT_FALSE(same(*a, *c));
  EXPECT_FALSE(same(*a, *d));
}

TEST_F(CryptoTest, KdfNamesAndBadParameters) {
  EXPECT_TRUE(kdfParamsNamed("moderate").isOk());
  EXPECT_TRUE(kdfParamsNamed("sensitive").isOk());
  auto bad = kdfParamsNamed("weak");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().text().rfind("kdf: ", 0), 0u);
  EXPECT_EQ(deriveKey("p", randomBytes(3), {2, 1 << 20}).status().code(),
            core::StatusCode::kCorruption);
  EXPECT_EQ(deriveKey("p", randomBytes(kSaltSize), {0, 0}).status().code(),
            core::StatusCode::kCorruption);
}

TEST_F(CryptoTest, WrappedKeysRoundTrip) {
  SecretKey kek = SecretKey::random();
  SecretKey key = SecretKey::random();
  Bytes wrapped = sealKey(kek, key, "keys/cl_1");
  auto back = openKey(kek, wrapped, "keys/cl_1");
  ASSERT_TRUE(back.isOk());
  EXPECT_TRUE(std::equal(key.data(), key.data() + SecretKey::kSize, back->data()));
  EXPECT_FALSE(openKey(kek, wrapped, "keys/cl_2").isOk());
}

TEST_F(CryptoTest, IdsAndHashes) {
  std::string id = randomId("cl");
  EXPECT_EQ(id.size(), 13u);
  EXPECT_EQ(id.rfind("cl_", 0), 0u);
  EXPECT_NE(randomId("cl"), randomId("cl"));
  // SHA-256 of "abc" (FIPS 180-2 test vector).
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace recourse::store
