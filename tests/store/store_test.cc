#include "store/store.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "fakes/fake_clock.h"
#include "fakes/test_store.h"
#include "store/deadline_digests.h"
#include "store/schema.h"

namespace recourse::store {
namespace {

using core::StatusCode;

constexpr char kPass[] = "a long enough passphrase";

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto st = testing::openTestStore(clock_);
    ASSERT_TRUE(st.isOk()) << st.status().toString();
    store_ = std::move(st).value();
    ASSERT_TRUE(store_->createVault(kPass, *kdfParamsNamed("interactive")).isOk());
  }

  core::Client addClient(const std::string& name) {
    core::Client c;
    c.name = name;
    auto added = store_->addClient(c);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? *added : core::Client{};
  }

  core::Case addCase(const std::string& client_id) {
    core::Case c;
    c.client_id = client_id;
    c.provider.name = "Dr. Ana Pérez";
    c.provider.license_type = "LMFT";
    c.provider.license_number = "12345";
    c.provider.jurisdiction = "us-ca";
    c.treatment_start = core::Date(2024, 1, 15);
    auto added = store_->addCase(c);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? *added : core::Case{};
  }

  // The entries that record changes (reads are entries too, "read.…").
  std::vector<core::AuditEvent> changes() {
    std::vector<core::AuditEvent> out;
    auto all = store_->auditEvents();
    for (auto& e : *all) {
      if (e.action.rfind("read.", 0) != 0) out.push_back(e);
    }
    return out;
  }
  size_t auditCount() { return changes().size(); }
  core::AuditEvent lastChange() { return changes().back(); }

  testing::FakeClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, NewStoreIsAtLatestSchema) {
  EXPECT_EQ(store_->schemaVersion(), latestSchemaVersion());
  EXPECT_TRUE(store_->hasVault());
  EXPECT_TRUE(store_->isUnlocked());
}

TEST_F(StoreTest, AddsAndReadsClients) {
  core::Client in;
  in.name = "Zoë Müller";
  in.email = "zoe@example.org";
  in.notes = "Prefers email.";
  in.date_of_birth = "1984-07-19";
  auto added = store_->addClient(in);
  ASSERT_TRUE(added.isOk());
  EXPECT_EQ(added->id.rfind("cl_", 0), 0u);
  EXPECT_EQ(core::formatTimestamp(added->created_at), "2026-03-02T09:00:00Z");

  auto got = store_->getClient(added->id);
  ASSERT_TRUE(got.isOk());
  EXPECT_EQ(got->name, "Zoë Müller");
  EXPECT_EQ(got->email, "zoe@example.org");
  EXPECT_EQ(got->phone, "");
  EXPECT_EQ(got->notes, "Prefers email.");
  EXPECT_EQ(got->date_of_birth, "1984-07-19");

  addClient("Nguyễn Thị Minh");
  auto all = store_->listClients();
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Zoë Müller");
  EXPECT_EQ((*all)[1].name, "Nguyễn Thị Minh");
}

TEST_F(StoreTest, UnknownIdsAreNotFound) {
  EXPECT_EQ(store_->getClient("cl_nothere").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->getCase("cs_nothere").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->listIncidents("cs_nothere").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->listCases("cl_nothere").status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, InvalidInputWritesNothing) {
  size_t before = auditCount();
  core::Client bad;
  bad.name = "";
  auto r = store_->addClient(bad);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().text(), "name: must not be empty");
  EXPECT_EQ(store_->listClients()->size(), 0u);
  EXPECT_EQ(auditCount(), before);
}

TEST_F(StoreTest, CaseForUnknownClientWritesNothing) {
  size_t before = auditCount();
  core::Case c;
  c.client_id = "cl_nothere";
  c.provider.name = "Dr. X";
  auto r = store_->addCase(c);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->listCases("")->size(), 0u);
  EXPECT_EQ(auditCount(), before);
}

TEST_F(StoreTest, CasesCarryTheirProvider) {
  core::Client zoe = addClient("Zoë");
  core::Client ana = addClient("Ana");
  core::Case c = addCase(zoe.id);
  addCase(ana.id);
  auto got = store_->getCase(c.id);
  ASSERT_TRUE(got.isOk());
  EXPECT_EQ(got->client_id, zoe.id);
  EXPECT_EQ(got->provider.name, "Dr. Ana Pérez");
  EXPECT_EQ(got->provider.license_type, "LMFT");
  EXPECT_EQ(got->provider.license_number, "12345");
  EXPECT_EQ(got->provider.jurisdiction, "us-ca");
  ASSERT_TRUE(got->treatment_start.has_value());
  EXPECT_EQ(got->treatment_start->toString(), "2024-01-15");
  EXPECT_FALSE(got->treatment_end.has_value());
  EXPECT_EQ(store_->listCases(zoe.id)->size(), 1u);
  EXPECT_EQ(store_->listCases("")->size(), 2u);
}

TEST_F(StoreTest, IncidentsComeInTimelineOrder) {
  core::Case c = addCase(addClient("Zoë").id);
  auto add = [&](const std::string& summary, std::optional<core::Date> date) {
    core::Incident i;
    i.case_id = c.id;
    i.summary = summary;
    i.date_start = date;
    i.date_precision = date ? core::DatePrecision::kExact : core::DatePrecision::kUnknown;
    ASSERT_TRUE(store_->addIncident(i).isOk());
  };
  add("undated first", std::nullopt);
  add("march", core::Date(2024, 3, 10));
  add("january", core::Date(2024, 1, 5));
  add("undated second", std::nullopt);
  add("february", core::Date(2024, 2, 29));
  auto list = store_->listIncidents(c.id);
  ASSERT_TRUE(list.isOk());
  std::vector<std::string> order;
  for (const auto& i : *list) order.push_back(i.summary);
  EXPECT_EQ(order, (std::vector<std::string>{"january", "february", "march", "undated first",
                                             "undated second"}));
}

TEST_F(StoreTest, IncidentFieldsRoundTrip) {
  core::Case c = addCase(addClient("Zoë").id);
  core::Incident i;
  i.case_id = c.id;
  i.summary = "Ended therapy by text";
  i.date_precision = core::DatePrecision::kApproximate;
  i.date_start = core::Date(2024, 4, 1);
  i.date_text = "spring 2024";
  i.channel = "text";
  i.narrative = "Line one.\nLine two.";
  i.impact = "Could not sleep.";
  i.harm_kinds = {"abandonment", "no_referral"};
  i.witnesses = "my sister";
  ASSERT_TRUE(store_->addIncident(i).isOk());
  auto got = store_->listIncidents(c.id);
  ASSERT_TRUE(got.isOk());
  ASSERT_EQ(got->size(), 1u);
  const core::Incident& g = got->front();
  EXPECT_EQ(g.summary, i.summary);
  EXPECT_EQ(g.date_precision, core::DatePrecision::kApproximate);
  EXPECT_EQ(g.date_text, "spring 2024");
  EXPECT_EQ(g.channel, "text");
  EXPECT_EQ(g.narrative, i.narrative);
  EXPECT_EQ(g.impact, i.impact);
  EXPECT_EQ(g.harm_kinds, i.harm_kinds);
  EXPECT_EQ(g.witnesses, "my sister");
}

TEST_F(StoreTest, LockedVaultRefusesPersonalData) {
  core::Client zoe = addClient("Zoë");
  core::Case k = addCase(zoe.id);
  store_->lock();
  EXPECT_FALSE(store_->isUnlocked());
  EXPECT_EQ(store_->listClients().status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->getClient(zoe.id).status().code(), StatusCode::kUnauthenticated);
  core::Client c;
  c.name = "x";
  EXPECT_EQ(store_->addClient(c).status().code(), StatusCode::kUnauthenticated);
  // Every lookup, of a record that exists or not: a locked vault is never "not found".
  for (const std::string& id : {k.id, std::string("cs_nothere")}) {
    EXPECT_EQ(store_->getCase(id).status().code(), StatusCode::kUnauthenticated) << id;
    EXPECT_EQ(store_->listIncidents(id).status().code(), StatusCode::kUnauthenticated) << id;
    EXPECT_EQ(store_->listRequests(id).status().code(), StatusCode::kUnauthenticated) << id;
    EXPECT_EQ(store_->listEvidence(id).status().code(), StatusCode::kUnauthenticated) << id;
    EXPECT_EQ(store_->complaintOfCase(id).status().code(), StatusCode::kUnauthenticated) << id;
  }
  EXPECT_EQ(store_->listCases(zoe.id).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->listCases("cl_nothere").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->getRequest("rq_nothere").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->listRequestEvents("rq_nothere").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->getIncident("in_nothere").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->getEvidence("ev_nothere").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(StoreTest, RecordsAreCheckedBeforeAnythingIsWritten) {
  core::Case k = addCase(addClient("Zoë").id);
  size_t before = auditCount();
  core::RecordsRequest r;
  r.case_id = k.id;
  r.custodian_name = "  ";
  auto added = store_->addRequest(r);
  EXPECT_EQ(added.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(added.status().field(), "custodian_name");
  EXPECT_EQ(added.status().message(), "must not be empty");
  r.custodian_name = "Bay Clinic";
  r.jurisdiction = "California";
  EXPECT_EQ(store_->addRequest(r).status().field(), "jurisdiction");
  r.jurisdiction = "us-ca";
  auto request = store_->addRequest(r);
  ASSERT_TRUE(request.isOk()) << request.status().toString();
  before = auditCount();

  core::RequestEvent e;
  e.request_id = request->id;
  e.on = core::Date(2026, 3, 2);
  e.via = "pigeon";
  auto event = store_->addRequestEvent(e);
  EXPECT_EQ(event.status().field(), "via");
  EXPECT_EQ(event.status().message(),
            "\"pigeon\" is not one of mail, email, fax, portal, in_person");
  e.via = "mail";
  e.request_id = "rq_nothere";
  event = store_->addRequestEvent(e);
  EXPECT_EQ(event.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(event.status().field(), "request_id");
  EXPECT_EQ(event.status().message(), "no records request with id rq_nothere");

  core::Complaint c;
  c.case_id = k.id;
  c.answers_json = std::string("{\"a\": \"\xC3\x28\"}");
  auto complaint = store_->saveComplaint(c);
  EXPECT_EQ(complaint.status().field(), "answers");
  EXPECT_EQ(complaint.status().message(), "is not valid UTF-8 text");

  EXPECT_EQ(auditCount(), before);
  EXPECT_TRUE(store_->listRequestEvents(request->id)->empty());
  EXPECT_FALSE(store_->complaintOfCase(k.id)->has_value());
}

TEST_F(StoreTest, WrongPassphraseIsRefusedAndChangesNothing) {
  addClient("Zoë");
  store_->lock();
  size_t before = auditCount();
  core::Status s = store_->unlock("not the passphrase");
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(), "that passphrase does not open this vault; nothing was changed");
  EXPECT_FALSE(store_->isUnlocked());
  EXPECT_EQ(auditCount(), before);
  ASSERT_TRUE(store_->unlock(kPass).isOk());
  EXPECT_EQ(store_->listClients()->front().name, "Zoë");
}

TEST_F(StoreTest, SecondVaultIsRefused) {
  EXPECT_EQ(store_->createVault("another passphrase", *kdfParamsNamed("interactive")).code(),
            StatusCode::kConflict);
  store_->lock();
  EXPECT_TRUE(store_->unlock(kPass).isOk());
}

TEST_F(StoreTest, UnlockWithoutVaultSaysSo) {
  auto fresh = Store::openInMemory(clock_);
  ASSERT_TRUE(fresh.isOk());
  EXPECT_FALSE((*fresh)->hasVault());
  core::Status s = (*fresh)->unlock(kPass);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "there is no vault here yet");
  core::Status empty = (*fresh)->createVault("", *kdfParamsNamed("interactive"));
  EXPECT_EQ(empty.field(), "passphrase");
  EXPECT_EQ(empty.message(), "must not be empty");
  EXPECT_FALSE((*fresh)->hasVault());
}

TEST_F(StoreTest, AuditLogIsAHashChain) {
  core::Client zoe = addClient("Zoë");
  clock_.advance(std::chrono::minutes(5));
  addCase(zoe.id);
  auto events = store_->auditEvents();
  ASSERT_TRUE(events.isOk());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].action, "vault.create");
  EXPECT_EQ((*events)[1].action, "client.add");
  EXPECT_EQ((*events)[1].entity_id, zoe.id);
  EXPECT_EQ((*events)[2].action, "case.add");
  EXPECT_EQ(core::formatTimestamp((*events)[2].at), "2026-03-02T09:05:00Z");
  EXPECT_EQ((*events)[0].prev_hash, "");
  EXPECT_EQ((*events)[1].prev_hash, (*events)[0].hash);
  EXPECT_EQ((*events)[2].prev_hash, (*events)[1].hash);
  // Each link is keyed with the vault key: not the plain SHA-256 of the entry's fields,
  // which anyone could recompute.
  EXPECT_EQ((*events)[0].hash.size(), 64u);
  EXPECT_NE((*events)[0].hash, sha256Hex("|1|2026-03-02T09:00:00Z|vault.create|vault|1"));
  EXPECT_TRUE(store_->verifyAuditChain().isOk());
  // Reading the entries needs no key (ids and actions only); checking the links does.
  store_->lock();
  EXPECT_EQ(store_->auditEvents()->size(), 3u);
  EXPECT_EQ(store_->verifyAuditChain().code(), StatusCode::kUnauthenticated);
}

TEST_F(StoreTest, SnapshotRoundTrips) {
  core::Client zoe = addClient("Zoë");
  auto snap = store_->serialize();
  ASSERT_TRUE(snap.isOk());
  auto copy = Store::fromSnapshot(*snap, clock_);
  ASSERT_TRUE(copy.isOk()) << copy.status().toString();
  ASSERT_TRUE((*copy)->unlock(kPass).isOk());
  EXPECT_EQ((*copy)->getClient(zoe.id)->name, "Zoë");
  Bytes garbage(4096, 0x41);
  EXPECT_FALSE(Store::fromSnapshot(garbage, clock_).isOk());
}

}  // namespace
}  // namespace recourse::store

namespace recourse::store {
namespace {

class StoreBatchTest : public StoreTest {};

TEST_F(StoreBatchTest, OneTransactionCommitsEverythingTogether) {
  size_t audit_before = auditCount();
  std::string id;
  core::Status s = store_->inOneTransaction([&]() -> core::Status {
    core::Client c;
    c.name = "Zoë Müller";
    auto added = store_->addClient(c);
    if (!added.isOk()) return added.status();
    id = added->id;
    return store_->rememberImported("client", "ref:42", id);
  });
  ASSERT_TRUE(s.isOk()) << s.toString();
  EXPECT_EQ(store_->getClient(id)->name, "Zoë Müller");
  EXPECT_EQ(store_->findImported("client", "ref:42")->value_or(""), id);
  EXPECT_EQ(auditCount(), audit_before + 1);
  EXPECT_TRUE(store_->verifyAuditChain().isOk());
}

TEST_F(StoreBatchTest, AFailureUndoesEveryWriteOfTheTransaction) {
  size_t clients_before = store_->listClients()->size();
  size_t audit_before = auditCount();
  core::Status s = store_->inOneTransaction([&]() -> core::Status {
    core::Client c;
    c.name = "First";
    auto a = store_->addClient(c);
    if (!a.isOk()) return a.status();
    RECOURSE_RETURN_IF_ERROR(store_->rememberImported("client", "one", a->id));
    // An inner failure undoes only itself...
    core::Client bad;
    EXPECT_FALSE(store_->addClient(bad).isOk());
    EXPECT_EQ(store_->rememberImported("client", "one", a->id).code(), StatusCode::kConflict);
    // ...and the outer body's failure undoes everything.
    return core::invalidArgument("row 3: stop");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->listClients()->size(), clients_before);
  EXPECT_EQ(auditCount(), audit_before);
  EXPECT_FALSE(store_->findImported("client", "one")->has_value());
  EXPECT_TRUE(store_->verifyAuditChain().isOk());
}

TEST_F(StoreBatchTest, ImportKeysAreKeyedHashesNotTheRecord) {
  core::Client c = addClient("Zoë");
  ASSERT_TRUE(store_->rememberImported("client", "Zoë Müller|1990-01-01", c.id).isOk());
  EXPECT_EQ(store_->rememberImported("client", "Zoë Müller|1990-01-01", c.id).code(),
            StatusCode::kConflict);
  EXPECT_FALSE(store_->findImported("case", "Zoë Müller|1990-01-01")->has_value());
  EXPECT_FALSE(store_->findImported("client", "zoë müller|1990-01-01")->has_value());
  // The snapshot holds neither the material nor its plain hash.
  auto snap = store_->serialize();
  ASSERT_TRUE(snap.isOk());
  std::string bytes(snap->begin(), snap->end());
  EXPECT_EQ(bytes.find("Müller|1990"), std::string::npos);
  EXPECT_EQ(bytes.find(sha256Hex(std::string("client") + '\0' + "Zoë Müller|1990-01-01")),
            std::string::npos);
  store_->lock();
  EXPECT_EQ(store_->findImported("client", "x").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(StoreTest, AClientsDetailsCanBeCorrectedAndClearedButNotTheName) {
  core::Client c;
  c.name = "Maya Okafor";
  c.email = "maya@example.org";
  c.phone = "555-0100";
  auto added = store_->addClient(c);
  ASSERT_TRUE(added.isOk());
  core::Client changed = *added;
  changed.name = "Maya O. Okafor";
  changed.email = "";
  changed.address = "12 Elm Street";
  size_t before = auditCount();
  auto saved = store_->updateClient(changed);
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  auto read = store_->getClient(added->id);
  EXPECT_EQ(read->name, "Maya O. Okafor");
  EXPECT_EQ(read->email, "");
  EXPECT_EQ(read->phone, "555-0100");
  EXPECT_EQ(read->address, "12 Elm Street");
  EXPECT_EQ(read->created_at, added->created_at);
  EXPECT_EQ(auditCount(), before + 1);
  EXPECT_EQ(lastChange().action, "client.edit");

  changed.name = "";
  auto refused = store_->updateClient(changed);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "name");
  EXPECT_EQ(store_->getClient(added->id)->name, "Maya O. Okafor");
  EXPECT_EQ(auditCount(), before + 1);
  core::Client ghost;
  ghost.id = "cl_nothere";
  ghost.name = "x";
  EXPECT_EQ(store_->updateClient(ghost).status().field(), "client_id");
}

TEST_F(StoreTest, ACaseAndItsTherapistCanBeCorrected) {
  auto client = addClient("Maya");
  auto kase = addCase(client.id);
  core::Case changed = kase;
  changed.provider.name = "Dr. Ana Perez-Lopez";
  changed.provider.license_number = "";
  changed.provider.address = "1 Main St";
  changed.treatment_start.reset();
  changed.title = "Ending by text";
  auto saved = store_->updateCase(changed);
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  auto read = store_->getCase(kase.id);
  EXPECT_EQ(read->provider.name, "Dr. Ana Perez-Lopez");
  EXPECT_EQ(read->provider.id, kase.provider.id);
  EXPECT_EQ(read->provider.license_number, "");
  EXPECT_EQ(read->provider.license_type, "LMFT");
  EXPECT_EQ(read->provider.address, "1 Main St");
  EXPECT_FALSE(read->treatment_start.has_value());
  EXPECT_EQ(read->title, "Ending by text");
  EXPECT_EQ(lastChange().action, "case.edit");

  changed.treatment_start = core::Date(2025, 1, 1);
  changed.treatment_end = core::Date(2024, 1, 1);
  EXPECT_EQ(store_->updateCase(changed).status().field(), "treatment_end");
  EXPECT_FALSE(store_->getCase(kase.id)->treatment_start.has_value());
}

TEST_F(StoreTest, ARequestAndItsSentEventCanBeCorrected) {
  auto kase = addCase(addClient("Maya").id);
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  r.reference = "REF-1";
  auto req = store_->addRequest(r);
  ASSERT_TRUE(req.isOk());
  core::RecordsRequest changed = *req;
  changed.custodian_address = "1 Main St";
  changed.reference = "";
  ASSERT_TRUE(store_->updateRequest(changed).isOk());
  auto read = store_->getRequest(req->id);
  EXPECT_EQ(read->custodian_address, "1 Main St");
  EXPECT_EQ(read->reference, "");
  EXPECT_EQ(lastChange().action, "request.edit");

  core::RequestEvent e;
  e.request_id = req->id;
  e.on = core::Date(2026, 2, 1);
  e.via = "mail";
  auto sent = store_->addRequestEvent(e);
  ASSERT_TRUE(sent.isOk());
  core::RequestEvent fixed = *sent;
  fixed.on = core::Date(2026, 2, 3);
  fixed.via = "email";
  ASSERT_TRUE(store_->updateRequestEvent(fixed).isOk());
  auto events = store_->listRequestEvents(req->id);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].on, core::Date(2026, 2, 3));
  EXPECT_EQ((*events)[0].via, "email");
  EXPECT_EQ((*events)[0].id, sent->id);
  fixed.via = "pigeon";
  EXPECT_EQ(store_->updateRequestEvent(fixed).status().field(), "via");
  fixed.id = "ev_nothere";
  fixed.via = "mail";
  EXPECT_EQ(store_->updateRequestEvent(fixed).status().field(), "event_id");
}

TEST_F(StoreTest, OneEventIsReadAndDeletedByItsIdAndTheDeletionIsLogged) {
  auto kase = addCase(addClient("Maya").id);
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  auto req = store_->addRequest(r);
  ASSERT_TRUE(req.isOk());
  core::RequestEvent e;
  e.request_id = req->id;
  e.on = core::Date(2026, 2, 1);
  e.via = "mail";
  e.details = "Sent with tracking.";
  auto sent = store_->addRequestEvent(e);
  e.type = core::RequestEventType::kAcknowledged;
  e.via = "";
  e.details = "";
  auto ack = store_->addRequestEvent(e);
  ASSERT_TRUE(sent.isOk());
  ASSERT_TRUE(ack.isOk());
  auto read = store_->requestEvent(sent->id);
  ASSERT_TRUE(read.isOk()) << read.status().toString();
  EXPECT_EQ(read->request_id, req->id);
  EXPECT_EQ(read->details, "Sent with tracking.");
  EXPECT_EQ(read->type, core::RequestEventType::kSent);
  EXPECT_EQ(store_->requestEvent("ev_nothere").status().field(), "event_id");

  ASSERT_TRUE(store_->deleteRequestEvent(ack->id).isOk());
  auto left = store_->listRequestEvents(req->id);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, sent->id);
  EXPECT_EQ(lastChange().action, "request.event.delete");
  EXPECT_EQ(lastChange().entity_id, req->id);
  EXPECT_EQ(store_->deleteRequestEvent(ack->id).field(), "event_id");
  store_->lock();
  EXPECT_EQ(store_->requestEvent(sent->id).status().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->deleteRequestEvent(sent->id).code(), core::StatusCode::kUnauthenticated);
}

TEST_F(StoreTest, AFollowUpKeepsItsReplyWindow) {
  auto kase = addCase(addClient("Maya").id);
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  auto req = store_->addRequest(r);
  core::RequestEvent e;
  e.request_id = req->id;
  e.type = core::RequestEventType::kFollowUpSent;
  e.on = core::Date(2026, 2, 1);
  e.reply_within_days = 10;
  ASSERT_TRUE(store_->addRequestEvent(e).isOk());
  EXPECT_EQ(store_->listRequestEvents(req->id)->front().reply_within_days, 10);
  e.reply_within_days = -1;
  EXPECT_EQ(store_->addRequestEvent(e).status().field(), "reply_within_days");
}

TEST_F(StoreTest, DeletingACaseRemovesWhatItHoldsAndLeavesOtherCases) {
  auto client = addClient("Maya");
  auto keep = addCase(client.id);
  auto gone = addCase(client.id);
  for (const auto* k : {&keep, &gone}) {
    core::Incident i;
    i.case_id = k->id;
    i.summary = "Ended by text";
    ASSERT_TRUE(store_->addIncident(i).isOk());
    core::RecordsRequest r;
    r.case_id = k->id;
    r.custodian_name = "Bay Clinic";
    auto req = store_->addRequest(r);
    core::RequestEvent e;
    e.request_id = req->id;
    e.on = core::Date(2026, 2, 1);
    ASSERT_TRUE(store_->addRequestEvent(e).isOk());
    ASSERT_TRUE(store_->rememberImported("request", "row " + k->id, req->id).isOk());
  }
  auto removed = store_->deleteCase(gone.id, "/nonexistent");
  ASSERT_TRUE(removed.isOk()) << removed.status().toString();
  EXPECT_EQ(removed->cases.size(), 1u);
  EXPECT_EQ(removed->incidents.size(), 1u);
  EXPECT_EQ(removed->requests.size(), 1u);
  EXPECT_EQ(store_->getCase(gone.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->listCases(client.id)->size(), 1u);
  EXPECT_EQ(store_->listIncidents(keep.id)->size(), 1u);
  EXPECT_EQ(store_->listRequests("")->size(), 1u);
  EXPECT_FALSE(store_->findImported("request", "row " + gone.id)->has_value());
  EXPECT_TRUE(store_->findImported("request", "row " + keep.id)->has_value());
  auto last = lastChange();
  EXPECT_EQ(last.action, "case.delete");
  EXPECT_EQ(last.entity_id, gone.id);
  EXPECT_TRUE(store_->verifyAuditChain().isOk());
  EXPECT_EQ(store_->deleteCase(gone.id, "/nonexistent").status().field(), "case_id");
}

TEST_F(StoreTest, DeletingAnIncidentOrARequestRemovesOnlyIt) {
  auto kase = addCase(addClient("Maya").id);
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Ended by text";
  auto a = store_->addIncident(i);
  auto b = store_->addIncident(i);
  ASSERT_TRUE(store_->deleteIncident(a->id).isOk());
  auto left = store_->listIncidents(kase.id);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, b->id);
  EXPECT_EQ(lastChange().action, "incident.delete");
  EXPECT_EQ(store_->deleteIncident(a->id).status().field(), "incident_id");

  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  auto req = store_->addRequest(r);
  core::RequestEvent e;
  e.request_id = req->id;
  e.on = core::Date(2026, 2, 1);
  ASSERT_TRUE(store_->addRequestEvent(e).isOk());
  ASSERT_TRUE(store_->deleteRequest(req->id).isOk());
  EXPECT_TRUE(store_->listRequests(kase.id)->empty());
  EXPECT_EQ(lastChange().action, "request.delete");
  EXPECT_EQ(store_->deleteRequest(req->id).status().field(), "request_id");
  store_->lock();
  EXPECT_EQ(store_->deleteIncident(b->id).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(StoreTest, AChangeFromAnOldVersionIsRefusedAndNamesWhoChangedIt) {
  auto client = addClient("Maya");
  auto kase = addCase(client.id);
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Ended by text";
  auto made = store_->addIncident(i);
  ASSERT_TRUE(made.isOk());
  EXPECT_EQ(made->version, 1);
  // Two people open version 1; the first saves.
  core::Incident first = *made;
  first.narrative = "The first person's words";
  auto saved = store_->updateIncident(first);
  ASSERT_TRUE(saved.isOk()) << saved.status().toString();
  EXPECT_EQ(saved->version, 2);
  // The second saves from version 1: refused, saying who changed it; nothing changes.
  core::Incident second = *made;
  second.narrative = "The second person's words";
  auto late = store_->updateIncident(second);
  ASSERT_FALSE(late.isOk());
  EXPECT_EQ(late.status().code(), StatusCode::kConflict);
  EXPECT_EQ(late.status().reason(), "changed_meanwhile");
  EXPECT_EQ(late.status().field(), "version");
  ASSERT_FALSE(late.status().reasonArgs().empty());
  EXPECT_EQ(late.status().reasonArgs().front().first, "by");
  EXPECT_EQ(late.status().reasonArgs().front().second, std::string(Store::kDefaultUser));
  auto now = store_->getIncident(made->id);
  ASSERT_TRUE(now.isOk());
  EXPECT_EQ(now->narrative, "The first person's words");
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(lastChange().action, "incident.edit");
  // From the version they now see, it saves; version 0 is not checked.
  second.version = now->version;
  ASSERT_TRUE(store_->updateIncident(second).isOk());
  core::Incident unchecked = *now;
  unchecked.version = 0;
  auto anyway = store_->updateIncident(unchecked);
  ASSERT_TRUE(anyway.isOk());
  EXPECT_EQ(anyway->version, 4);

  // The same for every record a person edits.
  core::Client stale_client = client;
  client.notes = "first";
  ASSERT_TRUE(store_->updateClient(client).isOk());
  stale_client.notes = "second";
  EXPECT_EQ(store_->updateClient(stale_client).status().reason(), "changed_meanwhile");
  core::Case stale_case = kase;
  kase.title = "first";
  ASSERT_TRUE(store_->updateCase(kase).isOk());
  stale_case.provider.practice = "second";
  EXPECT_EQ(store_->updateCase(stale_case).status().reason(), "changed_meanwhile");
  EXPECT_EQ(store_->getCase(kase.id)->provider.practice, kase.provider.practice);
  core::RecordsRequest r;
  r.case_id = kase.id;
  r.custodian_name = "Bay Clinic";
  auto req = store_->addRequest(r);
  ASSERT_TRUE(req.isOk());
  core::RecordsRequest stale_req = *req;
  core::RecordsRequest fresh_req = *req;
  fresh_req.reference = "A-1";
  ASSERT_TRUE(store_->updateRequest(fresh_req).isOk());
  stale_req.reference = "B-2";
  EXPECT_EQ(store_->updateRequest(stale_req).status().reason(), "changed_meanwhile");
  EXPECT_EQ(store_->getRequest(req->id)->reference, "A-1");
  EXPECT_EQ(store_->getRequest(req->id)->version, 2);
}

// ---- Deadline digests (deadline_digests.h) ---------------------------------------------

// What a deadlines view reads, the same from the digests as from the records
// (incidentsByCase and requestsUnderWay, which read the records alone), field by field.
void expectSameAsRecords(Store& st, const Store::DeadlineInputs& in) {
  auto incidents = st.incidentsByCase("", Store::Fields::kSummary);
  auto under_way = st.requestsUnderWay("", nullptr, Store::Fields::kSummary);
  ASSERT_TRUE(incidents.isOk() && under_way.isOk());
  ASSERT_EQ(in.incidents.by_case.size(), incidents->by_case.size());
  for (const auto& [kase, want] : incidents->by_case) {
    ASSERT_EQ(in.incidents.by_case.count(kase), 1u) << kase;
    const auto& got = in.incidents.by_case.at(kase);
    ASSERT_EQ(got.size(), want.size()) << kase;
    for (size_t n = 0; n < want.size(); ++n) {
      EXPECT_EQ(got[n].id, want[n].id);
      EXPECT_EQ(got[n].case_id, want[n].case_id);
      EXPECT_EQ(got[n].date_precision, want[n].date_precision);
      EXPECT_EQ(got[n].date_start, want[n].date_start);
      EXPECT_EQ(got[n].date_end, want[n].date_end);
      EXPECT_EQ(got[n].date_text, want[n].date_text);
      EXPECT_EQ(got[n].channel, want[n].channel);
      EXPECT_EQ(got[n].harm_kinds, want[n].harm_kinds);
      EXPECT_EQ(got[n].version, want[n].version);
    }
  }
  EXPECT_TRUE(in.incidents.unreadable.empty());
  const auto& want_requests = under_way->requests;
  ASSERT_EQ(in.under_way.requests.size(), want_requests.size());
  for (size_t n = 0; n < want_requests.size(); ++n) {
    const auto& got = in.under_way.requests[n];
    const auto& want = want_requests[n];
    EXPECT_EQ(got.id, want.id);  // in the order added, across clients
    EXPECT_EQ(got.case_id, want.case_id);
    EXPECT_EQ(got.custodian_name, want.custodian_name);
    EXPECT_EQ(got.jurisdiction, want.jurisdiction);
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.created_at, want.created_at);
    EXPECT_EQ(got.version, want.version);
  }
  const auto& want_events = under_way->histories.by_request;
  ASSERT_EQ(in.under_way.histories.by_request.size(), want_events.size());
  for (const auto& [request, want] : want_events) {
    ASSERT_EQ(in.under_way.histories.by_request.count(request), 1u) << request;
    const auto& got = in.under_way.histories.by_request.at(request);
    ASSERT_EQ(got.size(), want.size()) << request;
    for (size_t n = 0; n < want.size(); ++n) {
      EXPECT_EQ(got[n].id, want[n].id);
      EXPECT_EQ(got[n].request_id, want[n].request_id);
      EXPECT_EQ(got[n].type, want[n].type);
      EXPECT_EQ(got[n].on, want[n].on);
      EXPECT_EQ(got[n].via, want[n].via);
      EXPECT_EQ(got[n].reply_within_days, want[n].reply_within_days);
      EXPECT_EQ(got[n].recorded_at, want[n].recorded_at);
      EXPECT_EQ(got[n].version, want[n].version);
    }
  }
  EXPECT_TRUE(in.under_way.histories.unreadable.empty());
}

// A view made from the digests says what one made from the records says, and any change to a
// client's records (of every kind a deadline depends on) is seen by the very next view: that
// client is read afresh, the others still come from their digests. Reads change nothing.
TEST_F(StoreTest, DeadlineDigestsSayWhatTheRecordsSayAndEveryChangeIsSeenAtOnce) {
  auto maya = addClient("Maya");
  auto ruth = addClient("Ruth");
  auto jo = addClient("Jo");
  auto maya_case = addCase(maya.id);
  auto ruth_case = addCase(ruth.id);
  addCase(jo.id);  // nothing recorded yet
  core::Incident words;
  words.case_id = maya_case.id;
  words.summary = "Touched without asking";
  words.date_precision = core::DatePrecision::kApproximate;
  words.date_start = core::Date(2024, 3, 1);
  words.date_end = core::Date(2024, 5, 31);
  words.date_text = "spring 2024";
  words.channel = "in_session";
  words.harm_kinds = {"sexual_misconduct", "boundary_violation"};
  auto in_words = store_->addIncident(words);
  ASSERT_TRUE(in_words.isOk()) << in_words.status().toString();
  core::Incident exact;
  exact.case_id = maya_case.id;
  exact.summary = "Shared what I said";
  exact.date_precision = core::DatePrecision::kExact;
  exact.date_start = core::Date(2023, 11, 2);
  auto on_a_day = store_->addIncident(exact);
  ASSERT_TRUE(on_a_day.isOk());
  exact.case_id = ruth_case.id;
  ASSERT_TRUE(store_->addIncident(exact).isOk());
  core::RecordsRequest r;
  r.case_id = maya_case.id;
  r.custodian_name = "Sunrise Counseling";
  r.jurisdiction = "us-ca";
  auto maya_request = store_->addRequest(r);
  ASSERT_TRUE(maya_request.isOk());
  auto draft = store_->addRequest(r);  // nothing sent: not under way
  ASSERT_TRUE(draft.isOk());
  r.case_id = ruth_case.id;
  r.custodian_name = "Bay Clinic";
  r.kind = core::RequestKind::kAmendment;
  auto ruth_request = store_->addRequest(r);
  ASSERT_TRUE(ruth_request.isOk());
  core::RequestEvent sent;
  sent.request_id = maya_request->id;
  sent.on = core::Date(2026, 2, 2);
  sent.via = "mail";
  ASSERT_TRUE(store_->addRequestEvent(sent).isOk());
  core::RequestEvent fee;
  fee.request_id = maya_request->id;
  fee.type = core::RequestEventType::kFeeQuoted;
  fee.on = core::Date(2026, 2, 20);
  auto fee_quoted = store_->addRequestEvent(fee);
  ASSERT_TRUE(fee_quoted.isOk());
  sent.request_id = ruth_request->id;
  ASSERT_TRUE(store_->addRequestEvent(sent).isOk());

  // `afresh` clients read from their records, the rest from their digests; the same either
  // way. On SQLite any client read afresh means every one is (deadline_digests.h).
  const bool all_or_none = testing::testEngine() == "SQLite";
  auto view = [&](long long afresh) {
    if (all_or_none && afresh > 0) afresh = 3;
    std::vector<std::string> damaged;
    auto in = store_->deadlineInputs("", &damaged);
    ASSERT_TRUE(in.isOk()) << in.status().toString();
    EXPECT_TRUE(damaged.empty());
    EXPECT_EQ(in->read_afresh, afresh);
    EXPECT_EQ(in->from_digests, 3 - afresh);
    expectSameAsRecords(*store_, *in);
  };
  {
    SCOPED_TRACE("the first view makes every digest");
    view(3);
  }
  {
    SCOPED_TRACE("the next reads them all");
    view(0);
  }
  // Reads are logged in the audit log too, and change nothing a digest holds.
  ASSERT_TRUE(store_->listIncidents(maya_case.id).isOk());
  ASSERT_TRUE(store_->getRequest(maya_request->id).isOk());
  {
    SCOPED_TRACE("after reads");
    view(0);
  }
  const std::vector<std::pair<std::string, std::function<void()>>> changes = {
      {"an incident's dates and words changed",
       [&] {
         core::Incident changed = *store_->getIncident(in_words->id);
         changed.date_text = "early spring 2024";
         changed.date_start = core::Date(2024, 2, 1);
         changed.harm_kinds = {"boundary_violation"};
         ASSERT_TRUE(store_->updateIncident(changed).isOk());
       }},
      {"an incident added",
       [&] {
         core::Incident more = exact;
         more.date_start = core::Date(2025, 1, 9);
         ASSERT_TRUE(store_->addIncident(more).isOk());
       }},
      {"an incident deleted", [&] { ASSERT_TRUE(store_->deleteIncident(on_a_day->id).isOk()); }},
      {"an event recorded",
       [&] {
         core::RequestEvent paid;
         paid.request_id = maya_request->id;
         paid.type = core::RequestEventType::kFeePaid;
         paid.on = core::Date(2026, 3, 1);
         ASSERT_TRUE(store_->addRequestEvent(paid).isOk());
       }},
      {"an event's day changed",
       [&] {
         core::RequestEvent moved = *store_->requestEvent(fee_quoted->id);
         moved.on = core::Date(2026, 2, 21);
         ASSERT_TRUE(store_->updateRequestEvent(moved).isOk());
       }},
      {"an event deleted", [&] { ASSERT_TRUE(store_->deleteRequestEvent(fee_quoted->id).isOk()); }},
      {"a request's custodian changed",
       [&] {
         core::RecordsRequest renamed = *store_->getRequest(ruth_request->id);
         renamed.custodian_name = "Bay Clinic, Records Office";
         renamed.jurisdiction = "us-pa";
         ASSERT_TRUE(store_->updateRequest(renamed).isOk());
       }},
      {"a draft sent",
       [&] {
         core::RequestEvent out;
         out.request_id = draft->id;
         out.on = core::Date(2026, 4, 1);
         out.via = "email";
         ASSERT_TRUE(store_->addRequestEvent(out).isOk());
       }},
      {"a request deleted", [&] { ASSERT_TRUE(store_->deleteRequest(maya_request->id).isOk()); }},
  };
  for (const auto& [what, change] : changes) {
    SCOPED_TRACE(what);
    change();
    view(1);  // that client's records read afresh
    view(0);  // and kept
  }
}

// More changed clients than are worth reading one by one: everyone's records are read at
// once, the same, and every one of them gets a digest.
TEST_F(StoreTest, ManyChangedClientsAreReadAtOnceAndAllGetTheirDigests) {
  const long long clients = static_cast<long long>(DeadlineDigests::kOneByOne) + 6;
  for (long long n = 0; n < clients; ++n) {
    auto kase = addCase(addClient("Client " + std::to_string(n)).id);
    core::RecordsRequest r;
    r.case_id = kase.id;
    r.custodian_name = "Clinic " + std::to_string(n);
    auto request = store_->addRequest(r);
    ASSERT_TRUE(request.isOk());
    core::RequestEvent sent;
    sent.request_id = request->id;
    sent.on = core::Date(2026, 1, 5);
    ASSERT_TRUE(store_->addRequestEvent(sent).isOk());
    core::Incident i;
    i.case_id = kase.id;
    i.summary = "s";
    i.date_precision = core::DatePrecision::kExact;
    i.date_start = core::Date(2025, 6, static_cast<unsigned>(1 + n % 28));
    ASSERT_TRUE(store_->addIncident(i).isOk());
  }
  auto first = store_->deadlineInputs("", nullptr);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->read_afresh, clients);
  EXPECT_EQ(first->from_digests, 0);
  expectSameAsRecords(*store_, *first);
  auto again = store_->deadlineInputs("", nullptr);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->read_afresh, 0);
  EXPECT_EQ(again->from_digests, clients);
  expectSameAsRecords(*store_, *again);
}

// One client's view (their own page) reads their digest alone, and uses it.
TEST_F(StoreTest, OneClientsDeadlineInputsComeFromTheirDigestAlone) {
  auto maya = addClient("Maya");
  auto kase = addCase(maya.id);
  addCase(addClient("Ruth").id);
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "s";
  ASSERT_TRUE(store_->addIncident(i).isOk());
  auto first = store_->deadlineInputs(maya.id, nullptr);
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(first->read_afresh, 1);
  auto again = store_->deadlineInputs(maya.id, nullptr);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->from_digests, 1);
  EXPECT_EQ(again->read_afresh, 0);
  ASSERT_EQ(again->incidents.by_case.size(), 1u);
  EXPECT_EQ(again->incidents.by_case.at(kase.id).size(), 1u);
  auto none = store_->deadlineInputs("cl_nothere", nullptr);  // no such client: nothing
  ASSERT_TRUE(none.isOk()) << none.status().toString();
  EXPECT_TRUE(none->incidents.by_case.empty());
  EXPECT_EQ(none->from_digests + none->read_afresh, 0);
}

// The encoding inside a digest reads back as written, and anything else is Corruption (a
// digest that does not read is read afresh instead).
TEST(DeadlineDigestCodec, ReadsBackWhatItWroteAndRefusesAnythingElse) {
  DigestContent c;
  core::Incident i;
  i.id = "in_1";
  i.case_id = "cs_1";
  i.date_precision = core::DatePrecision::kRange;
  i.date_start = core::Date(2020, 2, 29);
  i.date_end = core::Date(2021, 1, 1);
  i.date_text = "that winter — ça";
  i.channel = "video";
  i.harm_kinds = {"a", "b"};
  i.version = 7;
  c.incidents.push_back(i);
  i.id = "in_2";
  i.date_start.reset();
  i.date_end.reset();
  i.harm_kinds.clear();
  c.incidents.push_back(i);
  DigestContent::Request r;
  r.place = 42;
  r.request.id = "rq_1";
  r.request.case_id = "cs_1";
  r.request.custodian_name = "Sunrise";
  r.request.kind = core::RequestKind::kClaims;
  r.request.created_at = core::Timestamp(std::chrono::seconds(1'700'000'000));
  r.request.version = 3;
  core::RequestEvent e;
  e.id = "ev_1";
  e.type = core::RequestEventType::kFollowUpSent;
  e.on = core::Date(2026, 1, 31);
  e.via = "fax";
  e.reply_within_days = 14;
  e.recorded_at = core::Timestamp(std::chrono::seconds(1'700'000'100));
  e.version = 2;
  r.events.push_back(e);
  c.requests.push_back(r);
  const std::string bytes = encodeDigest(c);
  auto back = decodeDigest(bytes);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  ASSERT_EQ(back->incidents.size(), 2u);
  EXPECT_EQ(back->incidents[0].date_start, (core::Date(2020, 2, 29)));
  EXPECT_EQ(back->incidents[0].date_end, (core::Date(2021, 1, 1)));
  EXPECT_EQ(back->incidents[0].date_text, "that winter — ça");
  EXPECT_EQ(back->incidents[0].harm_kinds, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(back->incidents[0].date_precision, core::DatePrecision::kRange);
  EXPECT_EQ(back->incidents[0].version, 7);
  EXPECT_FALSE(back->incidents[1].date_start.has_value());
  EXPECT_TRUE(back->incidents[1].harm_kinds.empty());
  ASSERT_EQ(back->requests.size(), 1u);
  EXPECT_EQ(back->requests[0].place, 42);
  EXPECT_EQ(back->requests[0].request.kind, core::RequestKind::kClaims);
  EXPECT_EQ(back->requests[0].request.created_at, r.request.created_at);
  ASSERT_EQ(back->requests[0].events.size(), 1u);
  const auto& got = back->requests[0].events[0];
  EXPECT_EQ(got.request_id, "rq_1");
  EXPECT_EQ(got.type, core::RequestEventType::kFollowUpSent);
  EXPECT_EQ(got.on, (core::Date(2026, 1, 31)));
  EXPECT_EQ(got.reply_within_days, 14);
  EXPECT_EQ(got.recorded_at, e.recorded_at);
  // Cut short anywhere, one byte more, or another format: not read.
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(decodeDigest(bytes.substr(0, n)).status().code(), StatusCode::kCorruption) << n;
  }
  EXPECT_EQ(decodeDigest(bytes + "x").status().code(), StatusCode::kCorruption);
  std::string other = bytes;
  other[0] = 'X';
  EXPECT_EQ(decodeDigest(other).status().code(), StatusCode::kCorruption);
  // A build that numbers the kinds of dates, requests or events otherwise (its fingerprint,
  // after the format's name) does not read this one's.
  other = bytes;
  other[4] = static_cast<char>(other[4] ^ 1);
  EXPECT_EQ(decodeDigest(other).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(decodeDigest("").status().code(), StatusCode::kCorruption);
}

// A page's read-log entries held back (Store::HeldReads) are written together when it says,
// or when the hold ends; another thread's reads meanwhile are logged as they happen.
TEST_F(StoreTest, HeldReadsAreLoggedTogetherAndOtherThreadsAsTheyHappen) {
  auto kase = addCase(addClient("Maya").id);
  auto other = addCase(addClient("Ruth").id);
  auto reads = [&](const std::string& action, const std::string& id) {
    int n = 0;
    auto all = store_->auditEvents();
    EXPECT_TRUE(all.isOk());
    for (const auto& e : *all) n += e.action == action && e.entity_id == id;
    return n;
  };
  {
    Store::HeldReads held(*store_);
    ASSERT_TRUE(store_->getCase(kase.id).isOk());
    {
      Store::HeldReads inner(*store_);  // nested: the outer one writes
      ASSERT_TRUE(store_->listIncidents(kase.id).isOk());
      ASSERT_TRUE(inner.write().isOk());
    }
    EXPECT_EQ(reads("read.case", kase.id), 0);
    EXPECT_EQ(reads("read.incidents", kase.id), 0);
    std::thread([&] { ASSERT_TRUE(store_->getCase(other.id).isOk()); }).join();
    EXPECT_EQ(reads("read.case", other.id), 1);  // not held: another thread's
    ASSERT_TRUE(held.write().isOk());
    EXPECT_EQ(reads("read.case", kase.id), 1);
    EXPECT_EQ(reads("read.incidents", kase.id), 1);
    ASSERT_TRUE(held.write().isOk());  // once only
  }
  EXPECT_EQ(reads("read.case", kase.id), 1);
  {
    // A page that stops early: what it read is logged when the hold ends.
    Store::HeldReads held(*store_);
    ASSERT_TRUE(store_->listIncidents(other.id).isOk());
    EXPECT_EQ(reads("read.incidents", other.id), 0);
  }
  EXPECT_EQ(reads("read.incidents", other.id), 1);
  EXPECT_TRUE(store_->verifyAuditChain().isOk());
}

// While a page is read (Store::HeldReads), whose a case is is asked of the database once,
// not by each read of it; outside a page, and after it, each read asks again. A record
// the page removes is not found afterwards.
TEST_F(StoreTest, APageAsksWhoseACaseIsOnce) {
  auto kase = addCase(addClient("Maya").id);
  core::Incident incident;
  incident.case_id = kase.id;
  incident.summary = "Session ran over";
  incident.date_precision = core::DatePrecision::kExact;
  incident.date_start = core::Date(2024, 3, 1);
  ASSERT_TRUE(store_->addIncident(incident).isOk());
  auto readCase = [&] {
    ASSERT_TRUE(store_->listIncidents(kase.id).isOk());
    ASSERT_TRUE(store_->listEvidence(kase.id).isOk());
    ASSERT_TRUE(store_->listRequests(kase.id).isOk());
    ASSERT_TRUE(store_->complaintOfCase(kase.id).isOk());
    ASSERT_TRUE(store_->tasksDone(kase.id).isOk());
    ASSERT_TRUE(store_->requestEventsOfCase(kase.id).isOk());
  };
  long long before = store_->ownerLookups();
  readCase();
  EXPECT_GE(store_->ownerLookups() - before, 6);  // outside a page: each read asks
  {
    Store::HeldReads page(*store_);
    before = store_->ownerLookups();
    ASSERT_TRUE(store_->getCase(kase.id).isOk());  // the case's row says whose it is
    readCase();
    EXPECT_EQ(store_->ownerLookups() - before, 0);
    ASSERT_TRUE(page.write().isOk());
  }
  {
    Store::HeldReads page(*store_);
    before = store_->ownerLookups();
    readCase();  // without the case's row first: asked once
    EXPECT_EQ(store_->ownerLookups() - before, 1);
    ASSERT_TRUE(store_->deleteCase(kase.id, "/nonexistent").isOk());
    EXPECT_EQ(store_->listIncidents(kase.id).status().code(), StatusCode::kNotFound);
    ASSERT_TRUE(page.write().isOk());
  }
  before = store_->ownerLookups();
  EXPECT_EQ(store_->listIncidents(kase.id).status().code(), StatusCode::kNotFound);
  EXPECT_GT(store_->ownerLookups() - before, 0);  // the page's memory ended with it
  EXPECT_TRUE(store_->verifyAuditChain().isOk());
}

}  // namespace
}  // namespace recourse::store
