// Accounts and access (store/accounts.h): who may open whose records, what giving and
// taking away access does to the keys, and what someone with the database file alone can
// and cannot do.
#include "store/accounts.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "store/data_dir.h"
#include "store/keyring.h"
#include "store/store.h"

namespace recourse::store {
namespace {

using core::StatusCode;

constexpr char kAdminPass[] = "admin passphrase one";
constexpr char kAdvPass[] = "advocate passphrase";
constexpr char kOtherPass[] = "another advocate's";
constexpr char kClientPass[] = "the client's own one";

KdfParams fast() { return *kdfParamsNamed("interactive"); }

// Reads and runs SQL on the file directly, as someone with the device could.
struct Raw {
  explicit Raw(const std::string& path) { sqlite3_open(path.c_str(), &db); }
  ~Raw() { sqlite3_close(db); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  int exec(const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // The first column of the first row, as bytes ("" when none).
  Bytes blob(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    Bytes out;
    if (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
      out.assign(p, p + sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }
  std::string text(const std::string& sql) {
    Bytes b = blob(sql);
    return std::string(b.begin(), b.end());
  }
  // Binds blobs in order to `sql` and runs it.
  int execBlobs(const std::string& sql, const std::vector<Bytes>& blobs) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return SQLITE_ERROR;
    for (size_t i = 0; i < blobs.size(); ++i) {
      sqlite3_bind_blob(st, static_cast<int>(i + 1), blobs[i].data(),
                        static_cast<int>(blobs[i].size()), SQLITE_TRANSIENT);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc;
  }
  sqlite3* db = nullptr;
};

std::string q(const std::string& s) { return "'" + s + "'"; }

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cryptoInit());
    auto st = Store::openFile(db(), Store::OpenMode::kCreate, clock_);
    ASSERT_TRUE(st.isOk()) << st.status().toString();
    store_ = std::move(st).value();
    auto code = store_->createVault("admin", kAdminPass, fast());
    ASSERT_TRUE(code.isOk()) << code.status().toString();
    admin_code_ = *code;
    store_->setVia("cli");
    ASSERT_TRUE(store_->addAccount("adv", "advocate", kAdvPass, "", fast()).isOk());
    ASSERT_TRUE(store_->addAccount("other", "advocate", kOtherPass, "", fast()).isOk());
  }

  std::string db() const { return databasePath(dir_.path()); }

  // Closes the store and opens the file again, unlocked as `user`.
  Store& as(const std::string& user, const std::string& pass) {
    store_.reset();
    store_ = std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
    core::Status s = store_->unlock(user, pass);
    EXPECT_TRUE(s.isOk()) << user << ": " << s.toString();
    return *store_;
  }

  std::string addClient(const std::string& name) {
    core::Client c;
    c.name = name;
    auto added = store_->addClient(c);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? added->id : "";
  }

  std::string addCase(const std::string& client_id) {
    core::Case k;
    k.client_id = client_id;
    k.provider.name = "Dr. Vale";
    auto added = store_->addCase(k);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? added->id : "";
  }

  std::string addIncident(const std::string& case_id, const std::string& summary) {
    core::Incident i;
    i.case_id = case_id;
    i.summary = summary;
    auto added = store_->addIncident(i);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? added->id : "";
  }

  // An account's seed, opened from the file with its passphrase, as its holder could.
  SecretKey seedOf(Raw& raw, const std::string& user, const std::string& pass) {
    const std::string where = " FROM users WHERE name = " + q(user);
    const std::string id = raw.text("SELECT id" + where);
    const Bytes salt = raw.blob("SELECT salt" + where);
    KdfParams params{std::stoull(raw.text("SELECT CAST(opslimit AS TEXT)" + where)),
                     std::stoull(raw.text("SELECT CAST(memlimit AS TEXT)" + where))};
    auto kek = deriveKey(pass, salt, params);
    EXPECT_TRUE(kek.isOk());
    auto seed = openKey(*kek, raw.blob("SELECT sealed_seed" + where),
                        "recourse/v1/users/sealed_seed/" + id);
    EXPECT_TRUE(seed.isOk());
    return std::move(seed).value();
  }
  std::string idOf(Raw& raw, const std::string& user) {
    return raw.text("SELECT id FROM users WHERE name = " + q(user));
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::string admin_code_;
};

TEST_F(AccountsTest, AnAdvocateSeesOnlyTheClientsWhoGaveThemAccess) {
  const std::string ana = addClient("Ana");
  const std::string bea = addClient("Bea");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());

  Store& adv = as("adv", kAdvPass);
  auto listed = adv.listClients();
  ASSERT_TRUE(listed.isOk()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "Ana");
  auto refused = adv.getClient(bea);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().reason(), "no_access");
  EXPECT_TRUE(adv.listCases("")->empty());
  // Nor can they change or delete what they cannot open.
  core::Client edit;
  edit.id = bea;
  edit.name = "Changed";
  EXPECT_EQ(adv.updateClient(edit).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.deleteClient(bea, dir_.path()).status().code(), StatusCode::kPermissionDenied);

  Store& other = as("other", kOtherPass);
  EXPECT_TRUE(other.listClients()->empty());
  EXPECT_EQ(other.getClient(ana).status().code(), StatusCode::kPermissionDenied);

  Store& admin = as("admin", kAdminPass);
  EXPECT_EQ(admin.listClients()->size(), 2u);
}

TEST_F(AccountsTest, GivingAccessIsCheckedAndRecorded) {
  const std::string ana = addClient("Ana");
  auto self = store_->grantAccess(ana, "admin", "");
  EXPECT_EQ(self.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(self.status().field(), "user");
  EXPECT_EQ(store_->grantAccess(ana, "nobody", "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->grantAccess("cl_none", "adv", "").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  auto twice = store_->grantAccess(ana, "adv", "");
  EXPECT_EQ(twice.status().code(), StatusCode::kConflict);
  EXPECT_EQ(store_->revokeAccess(ana, "other", "").code(), StatusCode::kNotFound);

  auto access = store_->accessTo(ana);
  ASSERT_TRUE(access.isOk()) << access.status().toString();
  ASSERT_EQ(access->size(), 2u);
  EXPECT_EQ((*access)[0].account.name, "admin");
  EXPECT_EQ((*access)[0].kind, "creator");
  EXPECT_EQ((*access)[1].account.name, "adv");
  EXPECT_EQ((*access)[1].granted_by, "admin");
  EXPECT_TRUE((*access)[1].problem.empty());
  EXPECT_EQ((*access)[1].account.fingerprint.size(), 39u);  // 8 groups of 4, 7 spaces

  // An advocate with access may not pass it on: the client (or whoever keeps their
  // records) decides.
  Store& adv = as("adv", kAdvPass);
  auto onward = adv.grantAccess(ana, "other", "");
  EXPECT_EQ(onward.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(onward.status().reason(), "may_not_grant");
  EXPECT_EQ(adv.addAccount("x", "admin", "long enough pass", "", fast()).status().code(),
            StatusCode::kPermissionDenied);

  Store& admin = as("admin", kAdminPass);
  auto history = admin.auditEventsOf(ana);
  ASSERT_TRUE(history.isOk());
  bool granted = false;
  for (const auto& e : *history) {
    if (e.action == "access.grant") {
      granted = true;
      EXPECT_EQ(e.via, "cli");
      EXPECT_EQ(e.client_id, ana);
    }
  }
  EXPECT_TRUE(granted);
}

TEST_F(AccountsTest, TheClientsOwnAccountDecidesWhoElseMayOpenTheirRecords) {
  const std::string ana = addClient("Ana");
  auto made = store_->addAccount("ana", "client", kClientPass, ana, fast());
  ASSERT_TRUE(made.isOk()) << made.status().toString();
  EXPECT_TRUE(made->client_key_sealed);
  // Whoever made the account never sees its recovery code, so cannot use it later to take
  // the account over: there is none until its holder first signs in.
  EXPECT_TRUE(made->recovery_code.empty());
  EXPECT_EQ(store_->unlockWithRecovery("ana", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF").reason(),
            "wrong_recovery_code");
  ASSERT_TRUE(store_->unlock("admin", kAdminPass).isOk());
  // Once the client has an account, the admin who made the record no longer decides.
  EXPECT_EQ(store_->grantAccess(ana, "adv", "").status().reason(), "may_not_grant");

  const auto code = as("ana", kClientPass).takeRecoveryCode();
  ASSERT_TRUE(code.has_value()) << "the first sign-in makes the holder's recovery code";
  EXPECT_EQ(as("ana", kClientPass).takeRecoveryCode(), std::nullopt) << "only once";
  ASSERT_TRUE(store_->unlockWithRecovery("ana", *code).isOk());
  Store& client = as("ana", kClientPass);
  ASSERT_EQ(client.listClients()->size(), 1u);
  ASSERT_TRUE(client.grantAccess(ana, "adv", "").isOk());
  Store& adv = as("adv", kAdvPass);
  EXPECT_EQ(adv.getClient(ana)->name, "Ana");
  // The client sees who opened their records, and through what.
  Store& again = as("ana", kClientPass);
  auto history = again.auditEventsOf(ana);
  ASSERT_TRUE(history.isOk()) << history.status().toString();
  const std::string adv_id = *[&] {
    auto all = again.accounts();
    for (const auto& a : *all) {
      if (a.name == "adv") return std::optional<std::string>(a.id);
    }
    return std::optional<std::string>("");
  }();
  bool read_by_adv = false;
  for (const auto& e : *history) {
    if (e.action == "read.client" && e.user_id == adv_id) read_by_adv = true;
  }
  EXPECT_TRUE(read_by_adv);
  // Someone without access cannot read the client's history either.
  Store& other = as("other", kOtherPass);
  EXPECT_EQ(other.auditEventsOf(ana).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(AccountsTest, ARevokedAdvocateCannotOpenWhatIsWrittenAfterEvenWithACopyOfTheFile) {
  const std::string ana = addClient("Ana");
  const std::string kase = addCase(ana);
  addIncident(kase, "before");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  ASSERT_TRUE(store_->grantAccess(ana, "other", "").isOk());
  Store& adv = as("adv", kAdvPass);
  ASSERT_EQ(adv.listIncidents(kase)->size(), 1u);
  store_.reset();
  // The advocate keeps a copy of the file as it was while they had access.
  const std::string copy = dir_.path() + "/kept-copy.db";
  std::filesystem::copy_file(db(), copy);

  Store& admin = as("admin", kAdminPass);
  ASSERT_TRUE(admin.revokeAccess(ana, "adv", "").isOk());
  const std::string after = addIncident(kase, "CANARY-after-revoke");
  ASSERT_FALSE(after.empty());

  // Through the store: refused, and the client is no longer listed.
  Store& revoked = as("adv", kAdvPass);
  EXPECT_EQ(revoked.getClient(ana).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(revoked.listIncidents(kase).status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(revoked.listClients()->empty());
  // The others kept access, under the new key.
  Store& other = as("other", kOtherPass);
  EXPECT_EQ(other.listIncidents(kase)->size(), 2u);
  store_.reset();

  // By hand: the old key, from the copy and the advocate's own passphrase, opens the old
  // grant but not what was written after.
  Raw old_copy(copy);
  Raw now(db());
  SecretKey seed = seedOf(old_copy, "adv", kAdvPass);
  const std::string adv_id = idOf(old_copy, "adv");
  auto old_key = openSealedToMe(
      seed, old_copy.blob("SELECT sealed_key FROM key_grants WHERE client_id = " + q(ana) +
                          " AND user_id = " + q(adv_id)));
  ASSERT_TRUE(old_key.isOk());
  const Bytes sealed_after = now.blob("SELECT summary FROM incidents WHERE id = " + q(after));
  ASSERT_FALSE(sealed_after.empty());
  EXPECT_EQ(open(*old_key, sealed_after, "recourse/v1/incidents/summary/" + after).status().code(),
            StatusCode::kCorruption);
  // Nor what was written before: it was sealed again under the new key.
  const std::string before_id = now.text("SELECT id FROM incidents WHERE id != " + q(after));
  EXPECT_FALSE(open(*old_key, now.blob("SELECT summary FROM incidents WHERE id = " + q(before_id)),
                    "recourse/v1/incidents/summary/" + before_id)
                   .isOk());
  EXPECT_TRUE(now.blob("SELECT sealed_key FROM key_grants WHERE user_id = " + q(adv_id)).empty());
}

TEST_F(AccountsTest, AnotherProgramsRevocationIsSeenBeforeTheNextWrite) {
  const std::string ana = addClient("Ana");
  const std::string kase = addCase(ana);
  addIncident(kase, "dated in words");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  ASSERT_EQ(store_->getClient(ana)->name, "Ana");  // the key is cached here now
  // A listing across the caseload hands the last client's key out again without looking
  // it up (Keyring::storedClientKeyAt): it has Ana's now.
  ASSERT_EQ(store_->incidentsByCase("")->by_case.at(kase).size(), 1u);
  // And a deadlines view kept what it needs of her records, sealed under that key.
  ASSERT_EQ(store_->deadlineInputs("", nullptr)->read_afresh, 1);
  const std::string count_digests =
      "SELECT count(*) FROM deadline_digests WHERE client_id = " + q(ana);
  EXPECT_EQ(Raw(db()).text(count_digests), "1");
  // A second program (another connection to the same file) takes the advocate's access
  // away, which gives Ana's records a new key.
  auto second = std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
  ASSERT_TRUE(second->unlock("admin", kAdminPass).isOk());
  ASSERT_TRUE(second->revokeAccess(ana, "adv", "").isOk());
  // The digest under the old key (which the advocate holds) went with it.
  EXPECT_EQ(Raw(db()).text(count_digests), "0");
  // The next view reads her records afresh, under the new key, and keeps a digest that the
  // other program (which holds only the new key) opens.
  auto after_revoke = store_->deadlineInputs("", nullptr);
  ASSERT_TRUE(after_revoke.isOk()) << after_revoke.status().toString();
  EXPECT_EQ(after_revoke->read_afresh, 1);
  ASSERT_EQ(after_revoke->incidents.by_case.at(kase).size(), 1u);
  auto seen_by_second = second->deadlineInputs("", nullptr);
  ASSERT_TRUE(seen_by_second.isOk()) << seen_by_second.status().toString();
  EXPECT_EQ(seen_by_second->from_digests, 1);
  // The same listing first: under the new key (the old one would not open the incident).
  auto again = store_->incidentsByCase("");
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_TRUE(again->unreadable.empty());
  ASSERT_EQ(again->by_case.at(kase).size(), 1u);
  EXPECT_EQ(again->by_case.at(kase)[0].summary, "dated in words");
  // This one writes with the new key, not the one it had: both read it back.
  core::Client edit = *store_->getClient(ana);
  edit.notes = "written after the new key";
  ASSERT_TRUE(store_->updateClient(edit).isOk());
  EXPECT_EQ(second->getClient(ana)->notes, "written after the new key");
  EXPECT_EQ(store_->getClient(ana)->notes, "written after the new key");
}

TEST_F(AccountsTest, AnAdvocateWithMoreClientsThanTheKeyCacheHoldsReadsThemAllAgainAndAgain) {
  // More clients than Keyring keeps open at once: the second and third listing open each
  // key again from the copy sealed at the first, and another program's revocation still
  // ends access at once.
  constexpr int kClients = static_cast<int>(Keyring::kMaxCachedKeys) + 6;
  std::vector<std::string> ids;
  for (int i = 0; i < kClients; ++i) {
    ids.push_back(addClient("Client " + std::to_string(i)));
    ASSERT_TRUE(store_->grantAccess(ids.back(), "adv", "").isOk());
  }
  Store& adv = as("adv", kAdvPass);
  for (int round = 0; round < 3; ++round) {
    auto listed = adv.listClients();
    ASSERT_TRUE(listed.isOk()) << listed.status().toString();
    ASSERT_EQ(listed->size(), static_cast<size_t>(kClients));
    std::set<std::string> names;
    for (const auto& c : *listed) names.insert(c.name);
    EXPECT_EQ(names.count("Client 0"), 1u);
    EXPECT_EQ(names.count("Client " + std::to_string(kClients - 1)), 1u);
    EXPECT_EQ(names.size(), static_cast<size_t>(kClients));
  }
  auto second = std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
  ASSERT_TRUE(second->unlock("admin", kAdminPass).isOk());
  ASSERT_TRUE(second->revokeAccess(ids[0], "adv", "").isOk());
  auto refused = adv.getClient(ids[0]);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied) << refused.status().toString();
  EXPECT_EQ(adv.listClients()->size(), static_cast<size_t>(kClients - 1));
  EXPECT_EQ(adv.getClient(ids[1])->name, "Client 1");
}

TEST_F(AccountsTest, ARevocationThatCannotFinishLeavesTheOldKeyInForce) {
  const std::string ana = addClient("Ana");
  const std::string kase = addCase(ana);
  const std::string damaged = addIncident(kase, "one");
  addIncident(kase, "two");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  store_.reset();
  {
    Raw raw(db());
    // A sealed value that no longer opens: sealing it again must fail, and with it all.
    ASSERT_EQ(raw.exec("UPDATE incidents SET narrative = x'01020304' WHERE id = " + q(damaged)),
              SQLITE_OK);
  }
  Store& admin = as("admin", kAdminPass);
  core::Status s = admin.revokeAccess(ana, "adv", "");
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.toString();
  Store& adv = as("adv", kAdvPass);
  EXPECT_EQ(adv.getClient(ana)->name, "Ana");  // still their access, under the old key
  EXPECT_TRUE(adv.getCase(kase).isOk());
}

TEST_F(AccountsTest, AGrantWrittenIntoTheFileIsFoundOut) {
  const std::string ana = addClient("Ana");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  store_.reset();
  {
    // The advocate, holding Ana's key, writes a grant for a friend straight into the file,
    // sealing the key to them and signing it with their own key: they may not give it.
    Raw raw(db());
    SecretKey seed = seedOf(raw, "adv", kAdvPass);
    const std::string adv_id = idOf(raw, "adv");
    const std::string other_id = idOf(raw, "other");
    auto key = openSealedToMe(
        seed, raw.blob("SELECT sealed_key FROM key_grants WHERE user_id = " + q(adv_id)));
    ASSERT_TRUE(key.isOk());
    Grant g;
    g.client_id = ana;
    g.user_id = other_id;
    g.key_version = 1;
    g.sealed_key =
        sealToPublicKey(*key, raw.blob("SELECT box_public FROM users WHERE id = " + q(other_id)));
    g.kind = "grant";
    g.granted_by = adv_id;
    g.granted_at = "2026-03-02T09:00:00Z";
    Account receiver;
    receiver.keys.box = raw.blob("SELECT box_public FROM users WHERE id = " + q(other_id));
    g.signature = signMessage(seed, grantMessage(g, receiver));
    ASSERT_EQ(raw.execBlobs("INSERT INTO key_grants (client_id, user_id, key_version, sealed_key, "
                            "kind, granted_by, granted_at, signature) VALUES (" +
                                q(ana) + ", " + q(other_id) + ", 1, ?, 'grant', " + q(adv_id) +
                                ", '2026-03-02T09:00:00Z', ?)",
                            {g.sealed_key, g.signature}),
              SQLITE_DONE);
  }
  Store& other = as("other", kOtherPass);
  auto opened = other.getClient(ana);
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(opened.status().reason(), "grant_forged");
  // And the admin sees it named as not counting.
  Store& admin = as("admin", kAdminPass);
  auto access = admin.accessTo(ana);
  ASSERT_TRUE(access.isOk());
  ASSERT_EQ(access->size(), 3u);
  EXPECT_NE((*access)[2].problem.find("may not give it"), std::string::npos)
      << (*access)[2].problem;
  // A forged grant is not carried over when someone's access is taken away.
  ASSERT_TRUE(admin.revokeAccess(ana, "adv", "").isOk());
  EXPECT_EQ(admin.accessTo(ana)->size(), 1u);
}

TEST_F(AccountsTest, SwappingAnAccountsPublicKeyInTheFileIsFoundOut) {
  const std::string ana = addClient("Ana");
  store_.reset();
  {
    // Someone with the file puts their own key in place of the advocate's, hoping the next
    // grant is sealed to them.
    Raw raw(db());
    SecretKey mine = SecretKey::random();
    PublicKeys pub = publicKeysOf(mine);
    ASSERT_EQ(raw.execBlobs("UPDATE users SET box_public = ? WHERE name = 'adv'", {pub.box}),
              SQLITE_DONE);
  }
  Store& admin = as("admin", kAdminPass);
  auto g = admin.grantAccess(ana, "adv", "");
  EXPECT_EQ(g.status().code(), StatusCode::kCorruption);
  EXPECT_NE(g.status().message().find("does not match its certificate"), std::string::npos);
  EXPECT_EQ(admin.accounts().status().code(), StatusCode::kCorruption);
}

TEST_F(AccountsTest, AVaultSecretOfSomeoneElsesChoosingDoesNotOpen) {
  store_.reset();
  {
    // Someone with the file seals a secret of their own to the advocate's public key and
    // re-seals the check value under it, hoping to certify accounts of their own.
    Raw raw(db());
    SecretKey theirs = SecretKey::random();
    const Bytes box = raw.blob("SELECT box_public FROM users WHERE name = 'adv'");
    ASSERT_EQ(raw.execBlobs("UPDATE users SET vault_secret = ? WHERE name = 'adv'",
                            {sealToPublicKey(theirs, box)}),
              SQLITE_DONE);
    ASSERT_EQ(raw.execBlobs("UPDATE vault SET check_value = ?",
                            {seal(theirs, "recourse vault check v2: audit chain keyed",
                                  "recourse/v1/vault/check")}),
              SQLITE_DONE);
  }
  store_ = std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
  EXPECT_EQ(store_->unlock("adv", kAdvPass).code(), StatusCode::kCorruption);
  EXPECT_FALSE(store_->isUnlocked());
}

TEST_F(AccountsTest, AnOldGrantWrittenBackIsNotGivenTheNewKey) {
  const std::string ana = addClient("Ana");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  ASSERT_TRUE(store_->grantAccess(ana, "other", "").isOk());
  store_.reset();
  const std::string kept = dir_.path() + "/kept.db";
  std::filesystem::copy_file(db(), kept);
  Store& admin = as("admin", kAdminPass);
  ASSERT_TRUE(admin.revokeAccess(ana, "adv", "").isOk());
  store_.reset();
  {
    // The revoked advocate puts their old grant (validly signed, for the old key) back.
    Raw raw(db());
    ASSERT_EQ(raw.exec("ATTACH '" + kept +
                       "' AS old; INSERT INTO key_grants SELECT g.* FROM "
                       "old.key_grants g JOIN old.users u ON u.id = g.user_id WHERE u.name = "
                       "'adv'"),
              SQLITE_OK);
  }
  Store& again = as("admin", kAdminPass);
  EXPECT_EQ(again.accessTo(ana)->size(), 3u);  // listed (an old key), but gives nothing:
  ASSERT_TRUE(again.revokeAccess(ana, "other", "").isOk());
  auto access = again.accessTo(ana);
  ASSERT_EQ(access->size(), 1u);  // the old grant was not given the new key
  EXPECT_EQ((*access)[0].account.name, "admin");
  Store& adv = as("adv", kAdvPass);
  EXPECT_EQ(adv.getClient(ana).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(AccountsTest, AnAdvocateCannotDeleteAPersonNorLearnTheirCasesExist) {
  const std::string ana = addClient("Ana");
  const std::string bea = addClient("Bea");
  const std::string beas_case = addCase(bea);
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  Store& adv = as("adv", kAdvPass);
  auto refused = adv.deleteClient(ana, dir_.path());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().reason(), "may_not_delete");
  // A case with nothing in it yet: not an empty list, a refusal.
  EXPECT_EQ(adv.listIncidents(beas_case).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.listEvidence(beas_case).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.listRequests(beas_case).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.tasksDone(beas_case).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.listCases(bea).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.getClient(ana)->name, "Ana");
}

TEST_F(AccountsTest, WrongPassphrasesSlowTheAccountDownEvenAfterARestart) {
  for (int i = 0; i < 3; ++i) {
    store_.reset();
    store_ = std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
    core::Status s = store_->unlock("adv", "not the passphrase");
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(s.reason(), "wrong_passphrase");
  }
  store_.reset();
  store_ = std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
  core::Status waiting = store_->unlock("adv", kAdvPass);
  EXPECT_EQ(waiting.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(waiting.reason(), "unlock_wait");
  // Another account is not held up by it.
  EXPECT_TRUE(store_->unlock("other", kOtherPass).isOk());
  store_->lock();
  clock_.advance(std::chrono::seconds(6));
  EXPECT_TRUE(store_->unlock("adv", kAdvPass).isOk());
  // A success clears the count.
  store_->lock();
  EXPECT_EQ(store_->unlock("adv", "wrong once more").code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(store_->unlock("adv", kAdvPass).isOk());
  // Without a name, a vault with several accounts asks whose.
  store_->lock();
  EXPECT_EQ(store_->unlock("", kAdvPass).field(), "user");
  EXPECT_EQ(store_->unlock("nobody", kAdvPass).code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, APassphraseCanBeChangedAndAForgottenOneRecoveredWithTheCode) {
  Store& adv = as("adv", kAdvPass);
  EXPECT_EQ(adv.changePassphrase("wrong", "a new passphrase", fast()).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(adv.changePassphrase(kAdvPass, "short", fast()).field(), "passphrase");
  ASSERT_TRUE(adv.changePassphrase(kAdvPass, "a new passphrase", fast()).isOk());
  store_->lock();
  EXPECT_EQ(store_->unlock("adv", kAdvPass).code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(store_->unlock("adv", "a new passphrase").isOk());

  // The admin forgot theirs: the recovery code shown when the vault was made opens it.
  store_->lock();
  EXPECT_EQ(store_->unlockWithRecovery("admin", "AAAA-BBBB").reason(), "wrong_recovery_code");
  // Typed in lower case and without dashes, it still reads.
  std::string typed;
  for (char c : admin_code_) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  ASSERT_TRUE(store_->unlockWithRecovery("admin", typed).isOk());
  auto fresh = store_->resetPassphrase("the admin's new one", fast());
  ASSERT_TRUE(fresh.isOk()) << fresh.status().toString();
  EXPECT_NE(*fresh, admin_code_);
  store_->lock();
  EXPECT_TRUE(store_->unlock("admin", "the admin's new one").isOk());
  store_->lock();
  EXPECT_EQ(store_->unlockWithRecovery("admin", admin_code_).code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(store_->unlockWithRecovery("admin", *fresh).isOk());
}

TEST_F(AccountsTest, ATamperedAuditEntryIsReported) {
  const std::string ana = addClient("Ana");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  store_.reset();
  {
    Raw raw(db());
    // Someone hides who read the records by naming another account.
    ASSERT_EQ(raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user_id = "
                       "'us_someone' WHERE action = 'access.grant'"),
              SQLITE_OK);
  }
  Store& admin = as("admin", kAdminPass);
  core::Status s = admin.verifyAuditChain();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("does not match the chain"), std::string::npos) << s.message();
}

TEST_F(AccountsTest, AnAuditEntrySplitDifferentlyIsReported) {
  const std::string ana = addClient("Ana");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "").isOk());
  store_.reset();
  {
    // The same bytes in the link, but who did it moved into another field.
    Raw raw(db());
    ASSERT_EQ(raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET entity_id = "
                       "entity_id || '|' || user_id || '|' || via || '|' || client_id, "
                       "user_id = '', via = '', client_id = '' WHERE action = 'access.grant'"),
              SQLITE_OK);
  }
  Store& admin = as("admin", kAdminPass);
  EXPECT_EQ(admin.verifyAuditChain().code(), StatusCode::kCorruption);
}

TEST_F(AccountsTest, NothingTypedByAnyAccountIsInTheFileInTheClear) {
  const std::string ana = addClient("CANARY-multi-name");
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "CANARY-multi-reason").isOk());
  ASSERT_TRUE(store_->saveDraft("page", "CANARY-multi-draft-admin").isOk());
  Store& adv = as("adv", kAdvPass);
  const std::string kase = addCase(ana);
  addIncident(kase, "CANARY-multi-incident");
  ASSERT_TRUE(adv.saveDraft("page", "CANARY-multi-draft-adv").isOk());
  EXPECT_EQ(*adv.draft("page"), std::optional<std::string>("CANARY-multi-draft-adv"));
  Store& admin = as("admin", kAdminPass);
  // Each account's drafts are its own.
  EXPECT_EQ(*admin.draft("page"), std::optional<std::string>("CANARY-multi-draft-admin"));
  ASSERT_TRUE(admin.revokeAccess(ana, "adv", "").isOk());
  store_.reset();
  const std::string bytes = testing::allBytesUnder(dir_.path());
  EXPECT_EQ(bytes.find("CANARY-multi"), std::string::npos);
}

// tests/data/vault-v11 (see its README): made by the release before accounts.
class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cryptoInit());
    const std::filesystem::path from =
        std::filesystem::path(RECOURSE_SOURCE_DIR) / "tests/data/vault-v11";
    std::filesystem::copy_file(from / "recourse.db", db());
    std::filesystem::copy(from / "evidence", evidence(), std::filesystem::copy_options::recursive);
  }
  std::string db() const { return databasePath(dir_.path()); }
  std::string evidence() const { return dir_.path() + "/evidence"; }
  std::unique_ptr<Store> open() {
    return std::move(Store::openFile(db(), Store::OpenMode::kExisting, clock_)).value();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
};

TEST_F(UpgradeTest, TheOwnerOfAVaultMadeBeforeAccountsBecomesItsFirstAccount) {
  auto st = open();
  EXPECT_EQ(st->unlock("", "not it").code(), StatusCode::kUnauthenticated);
  ASSERT_TRUE(st->unlock("", "release vault passphrase").isOk());
  auto code = st->takeRecoveryCode();
  ASSERT_TRUE(code.has_value());
  EXPECT_FALSE(st->takeRecoveryCode().has_value());  // shown once
  EXPECT_EQ(st->me()->name, "owner");
  EXPECT_EQ(st->me()->role, "admin");
  // Everything the release wrote still opens, and both chains hold.
  auto clients = st->listClients();
  ASSERT_EQ(clients->size(), 2u);
  EXPECT_EQ((*clients)[0].name, "Dana CANARY-v11-name Reyes");
  EXPECT_EQ((*clients)[0].notes, "CANARY-v11-notes");
  auto incidents = st->listIncidents("cs_3ca7vkxhkf");
  ASSERT_EQ(incidents->size(), 1u);
  EXPECT_EQ((*incidents)[0].narrative, "CANARY-v11-narrative");
  std::string bytes;
  ASSERT_TRUE(
      st->readEvidence("ev_m4ntgynvkn", evidence(), "", [&](const std::uint8_t* p, size_t n) {
          bytes.append(reinterpret_cast<const char*>(p), n);
          return core::Status::ok();
        }).isOk());
  EXPECT_EQ(bytes, "CANARY-v11-evidence-bytes\n");
  EXPECT_TRUE(st->verifyAuditChain().isOk()) << st->verifyAuditChain().toString();
  EXPECT_TRUE(st->verifyEvidence(evidence())->empty());
  st.reset();
  {
    Raw raw(db());
    // The vault secret every account is given is not the old passphrase key: with that, a
    // copy of the file from before the upgrade would open every client's key.
    SecretKey seed = [&] {
      const std::string where = " FROM users WHERE name = 'owner'";
      auto kek = deriveKey("release vault passphrase", raw.blob("SELECT salt" + where),
                           {std::stoull(raw.text("SELECT CAST(opslimit AS TEXT)" + where)),
                            std::stoull(raw.text("SELECT CAST(memlimit AS TEXT)" + where))});
      return std::move(openKey(*kek, raw.blob("SELECT sealed_seed" + where),
                               "recourse/v1/users/sealed_seed/" + raw.text("SELECT id" + where)))
          .value();
    }();
    auto secret = openKey(
        deriveSubkey(seed, "vaultsec"),
        raw.blob("SELECT vault_secret FROM users WHERE name = 'owner'"),
        "recourse/v1/users/vault_secret/" + raw.text("SELECT id FROM users WHERE name = 'owner'"));
    ASSERT_TRUE(secret.isOk());
    Raw original(std::string(RECOURSE_SOURCE_DIR) + "/tests/data/vault-v11/recourse.db");
    auto old_kek =
        deriveKey("release vault passphrase", original.blob("SELECT salt FROM vault"),
                  {std::stoull(original.text("SELECT CAST(opslimit AS TEXT) FROM vault")),
                   std::stoull(original.text("SELECT CAST(memlimit AS TEXT) FROM vault"))});
    ASSERT_TRUE(old_kek.isOk());
    EXPECT_NE(toHex(secret->data(), SecretKey::kSize), toHex(old_kek->data(), SecretKey::kSize));
    // No client key is wrapped by a passphrase key any more.
    EXPECT_TRUE(raw.blob("SELECT wrapped_key FROM clients WHERE length(wrapped_key) > 0").empty());
    EXPECT_EQ(raw.text("SELECT CAST(kdf_version AS TEXT) FROM vault"), "2");
    EXPECT_EQ(raw.text("SELECT CAST(count(*) AS TEXT) FROM key_grants"), "2");
  }
  // Later unlocks open it as an account, with the same passphrase or the recovery code.
  st = open();
  ASSERT_TRUE(st->unlock("owner", "release vault passphrase").isOk());
  EXPECT_FALSE(st->takeRecoveryCode().has_value());
  EXPECT_EQ(st->getClient("cl_zkxp2ym30k")->email, "dana@example.org");
  st->lock();
  EXPECT_TRUE(st->unlockWithRecovery("owner", *code).isOk());
  auto history = st->auditEventsOf("cl_zkxp2ym30k");
  ASSERT_TRUE(history.isOk());
  EXPECT_GE(history->size(), 6u);  // the release's entries about Dana's records, and reads
  EXPECT_EQ((*history)[0].action, "client.add");
}

TEST_F(UpgradeTest, AnUpgradeThatCannotFinishChangesNothing) {
  {
    Raw raw(db());
    // One client's wrapped key no longer opens: the upgrade must not half-happen.
    ASSERT_EQ(raw.exec("UPDATE clients SET wrapped_key = x'0102' WHERE id = 'cl_mq1q31ywm8'"),
              SQLITE_OK);
  }
  auto st = open();
  EXPECT_EQ(st->unlock("", "release vault passphrase").code(), StatusCode::kCorruption);
  EXPECT_FALSE(st->isUnlocked());
  st.reset();
  Raw raw(db());
  EXPECT_EQ(raw.text("SELECT CAST(kdf_version AS TEXT) FROM vault"), "1");
  EXPECT_EQ(raw.text("SELECT CAST(count(*) AS TEXT) FROM users"), "0");
  EXPECT_EQ(raw.text("SELECT CAST(count(*) AS TEXT) FROM key_grants"), "0");
}

}  // namespace
}  // namespace recourse::store

namespace recourse::store {
namespace {

// A view across a caseload (deadlines, an advocate's clients) reads every incident and every
// request's history of the clients the account holds in one go: the same records the
// per-case listings give, of those clients only, each case's read logged once, and a case
// with a record that does not open left out whole and named (or the whole read refused).
TEST_F(AccountsTest, ACaseloadsIncidentsAndRequestHistoriesAreReadInOneGo) {
  const std::string ana = addClient("Ana");
  const std::string ben = addClient("Ben");
  const std::string ana_case = addCase(ana);
  const std::string ben_case = addCase(ben);
  auto dated = [&](const std::string& case_id, const std::string& summary, const char* day) {
    core::Incident i;
    i.case_id = case_id;
    i.summary = summary;
    i.date_precision = core::DatePrecision::kExact;
    i.date_start = *core::Date::parse(day, "day");
    auto added = store_->addIncident(i);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return added.isOk() ? added->id : "";
  };
  dated(ana_case, "Later", "2025-03-01");
  dated(ana_case, "Earlier", "2024-01-15");
  dated(ana_case, "Later, the same day", "2025-03-01");  // after "Later": as added
  dated(ben_case, "Ben's", "2025-01-01");
  auto sentRequest = [&](const std::string& case_id, const char* day) {
    core::RecordsRequest r;
    r.case_id = case_id;
    r.custodian_name = "Clinic";
    r.custodian_address = "1 Records Way";
    auto added = store_->addRequest(r);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    core::RequestEvent e;
    e.request_id = added->id;
    e.type = core::RequestEventType::kSent;
    e.on = *core::Date::parse(day, "day");
    e.via = "mail";
    e.details = "sent by post";
    EXPECT_TRUE(store_->addRequestEvent(e).isOk());
    return added->id;
  };
  const std::string ana_request = sentRequest(ana_case, "2026-01-05");
  const std::string ben_request = sentRequest(ben_case, "2026-01-06");
  {
    // Ana's request followed up, then its acknowledgement noted (recorded last, dated
    // between), and a draft never sent.
    core::RequestEvent e;
    e.request_id = ana_request;
    e.type = core::RequestEventType::kFollowUpSent;
    e.on = *core::Date::parse("2026-02-01", "day");
    e.details = "followed up";
    ASSERT_TRUE(store_->addRequestEvent(e).isOk());
    e.type = core::RequestEventType::kAcknowledged;
    e.on = *core::Date::parse("2026-01-20", "day");
    e.details = "they wrote back";
    ASSERT_TRUE(store_->addRequestEvent(e).isOk());
    e.type = core::RequestEventType::kFeeQuoted;  // the same day: after it, as recorded
    e.details = "and asked for a fee";
    ASSERT_TRUE(store_->addRequestEvent(e).isOk());
    core::RecordsRequest draft;
    draft.case_id = ana_case;
    draft.custodian_name = "Draft Clinic";
    ASSERT_TRUE(store_->addRequest(draft).isOk());
  }
  ASSERT_TRUE(store_->grantAccess(ana, "adv", "assigned").isOk());

  Store& adv = as("adv", kAdvPass);
  auto incidents = adv.incidentsByCase("");
  ASSERT_TRUE(incidents.isOk()) << incidents.status().toString();
  ASSERT_EQ(incidents->by_case.size(), 1u);  // Ana's case only
  const auto& mine = incidents->by_case.at(ana_case);
  auto one_by_one = adv.listIncidents(ana_case);
  ASSERT_TRUE(one_by_one.isOk());
  ASSERT_EQ(mine.size(), 3u);
  ASSERT_EQ(one_by_one->size(), 3u);
  EXPECT_EQ(mine[0].summary, "Earlier");  // in date order, unsealed
  EXPECT_EQ(mine[1].summary, "Later");    // then as added
  EXPECT_EQ(mine[2].summary, "Later, the same day");
  for (size_t i = 0; i < mine.size(); ++i) {
    EXPECT_EQ(mine[i].id, (*one_by_one)[i].id);
    EXPECT_EQ(mine[i].summary, (*one_by_one)[i].summary);
  }
  auto under_way = adv.requestsUnderWay("", nullptr);
  ASSERT_TRUE(under_way.isOk()) << under_way.status().toString();
  ASSERT_EQ(under_way->requests.size(), 1u);  // Ana's sent one, not her draft nor Ben's
  EXPECT_EQ(under_way->requests[0].id, ana_request);
  EXPECT_EQ(under_way->requests[0].custodian_address, "1 Records Way");
  const auto& events = under_way->histories;
  ASSERT_EQ(events.by_request.size(), 1u);
  ASSERT_EQ(events.by_request.at(ana_request).size(), 4u);
  EXPECT_EQ(events.by_request.at(ana_request)[0].details, "sent by post");  // by day
  EXPECT_EQ(events.by_request.at(ana_request)[1].details, "they wrote back");
  EXPECT_EQ(events.by_request.at(ana_request)[2].details, "and asked for a fee");
  EXPECT_EQ(events.by_request.at(ana_request)[3].details, "followed up");
  EXPECT_EQ(events.by_request.count(ben_request), 0u);
  auto of_ana = adv.requestsUnderWay(ana, nullptr);
  ASSERT_TRUE(of_ana.isOk()) << of_ana.status().toString();
  EXPECT_EQ(of_ana->requests.size(), 1u);
  // One client by id: theirs, or refused for a client the account does not hold.
  EXPECT_EQ(adv.incidentsByCase(ana)->by_case.size(), 1u);
  EXPECT_EQ(adv.incidentsByCase(ben).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.requestsUnderWay(ben, nullptr).status().code(), StatusCode::kPermissionDenied);
  // A summary (a view across a caseload) reads only what such a view shows.
  auto summary = adv.incidentsByCase("", Store::Fields::kSummary);
  ASSERT_TRUE(summary.isOk()) << summary.status().toString();
  ASSERT_EQ(summary->by_case.at(ana_case).size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(summary->by_case.at(ana_case)[i].id, mine[i].id);  // the same order
    EXPECT_EQ(summary->by_case.at(ana_case)[i].date_start, mine[i].date_start);
  }
  EXPECT_EQ(summary->by_case.at(ana_case)[0].summary, "");  // left on the server
  auto requests = adv.requestsUnderWay("", nullptr, Store::Fields::kSummary);
  ASSERT_TRUE(requests.isOk()) << requests.status().toString();
  ASSERT_EQ(requests->requests.size(), 1u);
  EXPECT_EQ(requests->requests.front().custodian_name, "Clinic");
  EXPECT_EQ(requests->requests.front().custodian_address, "");  // left on the server
  EXPECT_EQ(requests->histories.by_request.at(ana_request)[0].details, "");
  EXPECT_EQ(requests->histories.by_request.at(ana_request)[3].on,
            *core::Date::parse("2026-02-01", "day"));
  // One case's requests (a case page): the same history; another client's case refused.
  auto of_case = adv.requestEventsOfCase(ana_case);
  ASSERT_TRUE(of_case.isOk()) << of_case.status().toString();
  ASSERT_EQ(of_case->by_request.size(), 1u);
  EXPECT_EQ(of_case->by_request.at(ana_request)[0].details, "sent by post");
  EXPECT_EQ(adv.requestEventsOfCase(ben_case).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(adv.requestEventsOfCase("ca_none").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(adv.incidentsByCase("").isOk());  // again: not logged a second time

  Store& admin = as("admin", kAdminPass);
  auto history = admin.auditEventsOf(ana);
  ASSERT_TRUE(history.isOk()) << history.status().toString();
  int incident_reads = 0;
  int event_reads = 0;
  for (const auto& e : *history) {
    if (e.action == "read.incidents" && e.entity_id == ana_case) ++incident_reads;
    if (e.action == "read.request_events" && e.entity_id == ana_case) ++event_reads;
  }
  EXPECT_EQ(incident_reads, 1);
  EXPECT_EQ(event_reads, 1);  // by the caseload's read and the case's, within the window

  // One of Ben's incidents damaged in the file: Ben's case left out and named, Ana's read.
  {
    Raw raw(db());
    ASSERT_EQ(raw.exec("UPDATE incidents SET summary = X'00112233' WHERE case_id = " + q(ben_case)),
              SQLITE_OK);
  }
  Store& again = as("admin", kAdminPass);
  auto all = again.incidentsByCase("");
  ASSERT_TRUE(all.isOk()) << all.status().toString();
  EXPECT_EQ(all->by_case.count(ben_case), 0u);
  EXPECT_EQ(all->by_case.at(ana_case).size(), 3u);
  ASSERT_EQ(all->unreadable.size(), 1u);
  EXPECT_NE(all->unreadable.at(ben_case).find(ben_case), std::string::npos);
  // The same for a history with an event that does not read.
  {
    Raw raw(db());
    ASSERT_EQ(raw.exec("UPDATE request_events SET details = X'00112233' WHERE request_id = " +
                       q(ben_request)),
              SQLITE_OK);
  }
  Store& third = as("admin", kAdminPass);
  auto third_read = third.requestsUnderWay("", nullptr);
  ASSERT_TRUE(third_read.isOk()) << third_read.status().toString();
  const auto& histories = third_read->histories;
  EXPECT_EQ(histories.by_request.count(ben_request), 0u);
  EXPECT_EQ(histories.by_request.count(ana_request), 1u);
  EXPECT_EQ(histories.unreadable.count(ben_request), 1u);
  EXPECT_EQ(third_read->requests.size(), 2u);  // the request itself reads
  // A request that does not read: named in `damaged` and left out, or the read refused.
  {
    Raw raw(db());
    ASSERT_EQ(raw.exec("UPDATE records_requests SET custodian_name = X'00112233' WHERE id = " +
                       q(ben_request)),
              SQLITE_OK);
  }
  Store& fourth = as("admin", kAdminPass);
  std::vector<std::string> damaged;
  auto fourth_read = fourth.requestsUnderWay("", &damaged);
  ASSERT_TRUE(fourth_read.isOk()) << fourth_read.status().toString();
  ASSERT_EQ(fourth_read->requests.size(), 1u);
  EXPECT_EQ(fourth_read->requests[0].id, ana_request);
  ASSERT_EQ(damaged.size(), 1u);
  EXPECT_NE(damaged[0].find(ben_request), std::string::npos);
  EXPECT_EQ(fourth.requestsUnderWay("", nullptr).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace recourse::store
