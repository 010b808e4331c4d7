// People, cases and the long-running Vault at the workflow level.
#include "service/people.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "service/vault.h"

namespace recourse::service {
namespace {

class PeopleTest : public testing::ServiceTest {};

TEST_F(PeopleTest, ClientsAndCasesAreCheckedAndFoundAgain) {
  core::Client nameless;
  auto refused = addClient(services(), nameless);
  EXPECT_EQ(refused.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "name");
  EXPECT_TRUE(listClients(services())->empty());

  core::Client c;
  c.name = "Zoë Müller";
  auto client = addClient(services(), c);
  ASSERT_TRUE(client.isOk()) << client.status().toString();

  core::Case k;
  k.client_id = client->id;
  auto no_provider = service::addCase(services(), k);
  EXPECT_EQ(no_provider.status().field(), "provider.name");
  k.provider.name = "Dr. Ana Pérez";
  k.client_id = "cl_nothere";
  EXPECT_EQ(service::addCase(services(), k).status().field(), "client_id");
  k.client_id = client->id;
  auto kase = service::addCase(services(), k);
  ASSERT_TRUE(kase.isOk()) << kase.status().toString();

  auto shown = showClient(services(), client->id);
  ASSERT_TRUE(shown.isOk());
  ASSERT_EQ(shown->cases.size(), 1u);
  EXPECT_EQ(shown->cases[0].provider.name, "Dr. Ana Pérez");
  EXPECT_EQ(showClient(services(), "cl_nothere").status().field(), "client_id");
  EXPECT_EQ(listCases(services(), "cl_nothere").status().field(), "client_id");
  EXPECT_EQ(listCases(services(), "")->size(), 1u);

  auto caseShown = showCase(services(), kase->id);
  ASSERT_TRUE(caseShown.isOk());
  EXPECT_EQ(caseShown->client.name, "Zoë Müller");
  EXPECT_EQ(showCase(services(), "cs_nothere").status().field(), "case_id");

  store().lock();
  EXPECT_EQ(showCase(services(), kase->id).status().code(), core::StatusCode::kUnauthenticated);
}

// A jurisdiction Recourse has no law for is refused with a suggestion, or kept on purpose.
TEST_F(PeopleTest, AnUnknownJurisdictionIsRefusedWithASuggestionOrKeptOnPurpose) {
  core::Client c;
  c.name = "Maya Okafor";
  auto client = addClient(services(), c);
  ASSERT_TRUE(client.isOk());
  core::Case k;
  k.client_id = client->id;
  k.provider.name = "Dr. Jane Smith";
  for (const char* typed : {"CA", "us-cal", "California"}) {
    k.provider.jurisdiction = typed;
    auto refused = service::addCase(services(), k);
    ASSERT_FALSE(refused.isOk()) << typed;
    EXPECT_EQ(refused.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(refused.status().field(), "provider.jurisdiction");
    EXPECT_NE(refused.status().message().find("did you mean us-ca (California)"), std::string::npos)
        << refused.status().message();
    EXPECT_NE(refused.status().message().find("Recourse knows: au, ca-on,"), std::string::npos);
  }
  EXPECT_TRUE(listCases(services(), "")->empty()) << "nothing stored";

  k.provider.jurisdiction = "US-CA";  // the id in capitals is the id
  auto known = service::addCase(services(), k);
  ASSERT_TRUE(known.isOk()) << known.status().toString();
  EXPECT_EQ(known->provider.jurisdiction, "us-ca");
  EXPECT_EQ(unknownJurisdictionWarning(services(), *known), "");

  k.provider.jurisdiction = "xx-yy";
  auto kept = service::addCase(services(), k, {true});
  ASSERT_TRUE(kept.isOk()) << kept.status().toString();
  EXPECT_EQ(kept->provider.jurisdiction, "xx-yy");
  EXPECT_NE(unknownJurisdictionWarning(services(), *kept).find("no law for \"xx-yy\""),
            std::string::npos);
}

TEST_F(PeopleTest, AVaultIsCreatedUnlockedAndLockedWithItsWorkflowsOnlyWhileOpen) {
  auto vault = Vault::inMemory(catalog_, clock_);
  ASSERT_TRUE(vault.isOk()) << vault.status().toString();
  Vault& v = **vault;
  EXPECT_EQ(v.state(), Vault::State::kNone);
  EXPECT_EQ(v.services().status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(v.create("short", "interactive").field(), "passphrase");
  EXPECT_EQ(v.create("long enough passphrase", "weak").field(), "kdf");
  EXPECT_EQ(v.state(), Vault::State::kNone);
  ASSERT_TRUE(v.create("long enough passphrase", "interactive").isOk());
  EXPECT_EQ(v.state(), Vault::State::kUnlocked);
  EXPECT_EQ(v.create("long enough passphrase", "interactive").code(), core::StatusCode::kConflict);
  core::Client c;
  c.name = "Sam Lee";
  ASSERT_TRUE(addClient(**v.services(), c).isOk());
  v.lock();
  EXPECT_EQ(v.state(), Vault::State::kLocked);
  EXPECT_EQ(v.services().status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(v.unlock("wrong passphrase").code(), core::StatusCode::kUnauthenticated);
  ASSERT_TRUE(v.unlock("long enough passphrase").isOk());
  EXPECT_EQ(listClients(**v.services())->size(), 1u);
}

}  // namespace
}  // namespace recourse::service
