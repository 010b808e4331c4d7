// People, cases and the long-running Vault at the workflow level.
#include "service/people.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "service/drafts.h"
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

TEST_F(PeopleTest, AClientIsCorrectedFieldByFieldAndTheNameCannotBeCleared) {
  auto kase = addCase();
  ClientEdit edit;
  edit.client_id = kase.client_id;
  edit.email = "maya@example.org";
  edit.address = "";  // cleared
  auto saved = editClient(services(), edit);
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  EXPECT_EQ(saved->name, "Maya Okafor");  // not given: unchanged
  EXPECT_EQ(saved->email, "maya@example.org");
  EXPECT_EQ(saved->address, "");
  EXPECT_EQ(store().getClient(kase.client_id)->address, "");

  ClientEdit nameless;
  nameless.client_id = kase.client_id;
  nameless.name = "";
  nameless.email = "other@example.org";
  auto refused = editClient(services(), nameless);
  EXPECT_EQ(refused.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "name");
  EXPECT_EQ(store().getClient(kase.client_id)->email, "maya@example.org");  // nothing stored

  ClientEdit ghost;
  ghost.client_id = "cl_nothere";
  EXPECT_EQ(editClient(services(), ghost).status().field(), "client_id");
}

TEST_F(PeopleTest, ADateOfBirthCanBeAddedCorrectedAndCleared) {
  auto kase = addCase();
  ClientEdit edit;
  edit.client_id = kase.client_id;
  edit.date_of_birth = "1985-02-14";
  auto saved = editClient(services(), edit);
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  EXPECT_EQ(store().getClient(kase.client_id)->date_of_birth, "1985-02-14");

  edit.date_of_birth = "1985-02-30";
  auto refused = editClient(services(), edit);
  EXPECT_EQ(refused.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "date_of_birth");
  EXPECT_EQ(store().getClient(kase.client_id)->date_of_birth, "1985-02-14");  // unchanged

  // Not after today (the fixture's today is 2026-03-02), and the day is not echoed back.
  edit.date_of_birth = "2031-01-01";
  auto future = editClient(services(), edit);
  EXPECT_EQ(future.status().field(), "date_of_birth");
  EXPECT_EQ(future.status().reason(), "birth_in_future");
  EXPECT_EQ(future.status().message().find("2031"), std::string::npos);
  EXPECT_EQ(store().getClient(kase.client_id)->date_of_birth, "1985-02-14");
  core::Client born_later;
  born_later.name = "Sam";
  born_later.date_of_birth = "2031-01-01";
  EXPECT_EQ(addClient(services(), born_later).status().reason(), "birth_in_future");

  edit.date_of_birth = "";
  ASSERT_TRUE(editClient(services(), edit).isOk());
  EXPECT_EQ(store().getClient(kase.client_id)->date_of_birth, "");
}

TEST_F(PeopleTest, ACaseIsCorrectedAndBadValuesNameTheirField) {
  auto kase = addCase("us-ca", "LMFT");
  CaseEdit edit;
  edit.case_id = kase.id;
  edit.provider_address = "";
  edit.license_number = "LMFT 98765";
  edit.treatment_start = "2023-05-01";
  auto saved = editCase(services(), edit);
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  EXPECT_EQ(saved->provider.address, "");
  EXPECT_EQ(saved->provider.license_number, "LMFT 98765");
  EXPECT_EQ(saved->provider.name, "Dr. Jane Smith");
  EXPECT_EQ(*saved->treatment_start, core::Date(2023, 5, 1));

  auto field_of = [&](CaseEdit e) {
    e.case_id = kase.id;
    return editCase(services(), e).status().field();
  };
  CaseEdit e1;
  e1.provider_name = "";
  EXPECT_EQ(field_of(e1), "provider.name");
  CaseEdit e2;
  e2.jurisdiction = "CA";
  EXPECT_EQ(field_of(e2), "provider.jurisdiction");
  CaseEdit e3;
  e3.treatment_end = "2023-02-30";
  EXPECT_EQ(field_of(e3), "treatment_end");
  CaseEdit e4;
  e4.treatment_end = "2022-01-01";  // before the start
  e4.practice = "Somewhere else";
  EXPECT_EQ(field_of(e4), "treatment_end");
  auto after = store().getCase(kase.id);
  EXPECT_EQ(after->provider.practice, "Bay Clinic");  // nothing stored on failure
  EXPECT_FALSE(after->treatment_end.has_value());
  // Treatment that has not ended yet has no end date (the clock says 2026-03-02).
  CaseEdit e5;
  e5.case_id = kase.id;
  e5.treatment_end = "2026-03-03";
  auto future = editCase(services(), e5);
  EXPECT_EQ(future.status().field(), "treatment_end");
  EXPECT_EQ(future.status().reason(), "day_in_future");
  core::Case ahead = store().getCase(kase.id).value();
  ahead.id.clear();
  ahead.treatment_start = core::Date(2027, 1, 1);
  EXPECT_EQ(service::addCase(services(), ahead).status().field(), "treatment_start");

  CaseEdit cleared;
  cleared.case_id = kase.id;
  cleared.treatment_start = "";
  EXPECT_FALSE(editCase(services(), cleared)->treatment_start.has_value());
}

// A correction checks the jurisdiction as adding a case does: a suggestion for a near miss,
// the code the catalog knows for another spelling, and an unknown one kept only on purpose.
TEST_F(PeopleTest, ACorrectedJurisdictionIsCheckedLikeANewOne) {
  auto kase = addCase("us-ca", "LMFT");
  CaseEdit edit;
  edit.case_id = kase.id;
  edit.jurisdiction = "us-waa";
  auto refused = editCase(services(), edit);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().field(), "provider.jurisdiction");
  EXPECT_NE(refused.status().message().find("did you mean us-wa"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(store().getCase(kase.id)->provider.jurisdiction, "us-ca");

  edit.jurisdiction = "US-WA";
  auto fixed = editCase(services(), edit);
  ASSERT_TRUE(fixed.isOk()) << fixed.status().toString();
  EXPECT_EQ(fixed->provider.jurisdiction, "us-wa");

  edit.jurisdiction = "xx-yy";
  edit.keep_unknown_jurisdiction = true;
  auto kept = editCase(services(), edit);
  ASSERT_TRUE(kept.isOk()) << kept.status().toString();
  EXPECT_EQ(kept->provider.jurisdiction, "xx-yy");
  EXPECT_FALSE(unknownJurisdictionWarning(services(), *kept).empty());
}

TEST_F(PeopleTest, DeletingAClientSaysWhatGoesAndRemovesIt) {
  auto kase = addCase();
  addIncident(kase.id, "2024-02-10");
  addIncident(kase.id, "2024-03-10");
  core::Case second = kase;
  second.provider.name = "Dr. Second";
  auto other = store().addCase(second);
  ASSERT_TRUE(other.isOk());
  auto scope = clientDeletionScope(services(), kase.client_id);
  ASSERT_TRUE(scope.isOk()) << scope.status().toString();
  EXPECT_EQ(scope->name, "Maya Okafor");
  EXPECT_EQ(scope->cases, 2u);
  EXPECT_EQ(scope->incidents, 2u);
  EXPECT_TRUE(showClient(services(), kase.client_id).isOk());  // asking removed nothing

  auto case_scope = caseDeletionScope(services(), other->id);
  EXPECT_EQ(case_scope->incidents, 0u);
  ASSERT_TRUE(deleteCase(services(), other->id).isOk());
  EXPECT_EQ(showClient(services(), kase.client_id)->cases.size(), 1u);

  auto removed = deleteClient(services(), kase.client_id);
  ASSERT_TRUE(removed.isOk()) << removed.status().toString();
  EXPECT_EQ(removed->cases, 1u);
  EXPECT_EQ(removed->incidents, 2u);
  EXPECT_EQ(showClient(services(), kase.client_id).status().code(), core::StatusCode::kNotFound);
  EXPECT_TRUE(listClients(services())->empty());
  EXPECT_EQ(deleteClient(services(), kase.client_id).status().field(), "client_id");
  EXPECT_EQ(deleteCase(services(), kase.id).status().field(), "case_id");
}

TEST_F(PeopleTest, DraftsAreCheckedKeptAndGoneWithWhatTheyWereAbout) {
  auto kase = addCase();
  const std::string good =
      R"({"path":"/cases/)" + kase.id +
      R"(/incidents/new","values":{"summary":"Called me","harm_kinds":["a"]}})";
  ASSERT_TRUE(saveDraft(services(), kPlaceDraft, good).isOk());
  EXPECT_EQ(**loadDraft(services(), kPlaceDraft), good);
  EXPECT_EQ(saveDraft(services(), "other", good).field(), "name");
  EXPECT_EQ(saveDraft(services(), kPlaceDraft, "[1]").field(), "draft");
  EXPECT_EQ(
      saveDraft(services(), kPlaceDraft, R"({"path":"https://x.example/","values":{}})").field(),
      "path");
  EXPECT_EQ(saveDraft(services(), kPlaceDraft, R"({"path":"/a","values":{"n":3}})").field(),
            "values.n");
  EXPECT_EQ(saveDraft(services(), kPlaceDraft, R"({"path":"/a","values":{},"x":1})").field(), "x");
  EXPECT_EQ(saveDraft(services(), kPlaceDraft,
                      R"({"path":"/a","values":{"t":")" + std::string(kMaxDraftBytes, 'x') + "\"}}")
                .field(),
            "draft");
  EXPECT_EQ(**loadDraft(services(), kPlaceDraft), good);  // refusals changed nothing
  // Removing the case removes what was being typed about it.
  ASSERT_TRUE(deleteCase(services(), kase.id).isOk());
  EXPECT_FALSE(loadDraft(services(), kPlaceDraft)->has_value());
}

}  // namespace
}  // namespace recourse::service
