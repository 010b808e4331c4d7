// The Store's vault, accounts and access methods (store.h): creating and unlocking a vault,
// upgrading one made before accounts, making accounts, giving and taking away access, and
// the audit log's record of reads. The rules themselves are in accounts.h and keyring.h.
#include <algorithm>
#include <cstring>
#include <set>

#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/database.h"
#include "store/keyring.h"
#include "store/rekey.h"
#include "store/sealed.h"
#include "store/store.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

std::uint64_t nextKeysEpoch();  // store.cc

namespace {

// Where a grant's reason is sealed (under the client key of the grant's version).
std::string reasonContext(const std::string& client_id, const std::string& user_id) {
  return sealContext("key_grants", "reason", client_id + "/" + user_id);
}

Bytes sealedReason(const SecretKey& key, const std::string& client_id, const std::string& user_id,
                   const std::string& reason) {
  if (reason.empty()) return {};
  return seal(key, reason, reasonContext(client_id, user_id));
}

}  // namespace

// ---- vault ----------------------------------------------------------------------------

StatusOr<std::string> Store::createVault(std::string_view user, std::string_view passphrase,
                                         const KdfParams& params, bool with_recovery) {
  // Argon2id runs before the mutex is taken: other threads need not wait for it.
  RECOURSE_ASSIGN_OR_RETURN(
      Keyring::NewVault vault,
      Keyring::prepareVault(user.empty() ? kDefaultUser : user, passphrase, params, with_recovery));
  std::string code = vault.first.recovery_code;
  std::lock_guard lk(mu_);
  bool created = false;
  Status s = db_->inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(
        keys_->createVault(std::move(vault), core::formatTimestamp(clock_.now())));
    created = true;
    // Logged with the new vault's own key: no entry is ever written without one.
    return audit_->append("vault.create", "vault", "1", "");
  });
  if (!s.isOk() && created) keys_->lock();
  keys_epoch_ = nextKeysEpoch();
  reads_logged_.clear();
  if (!s.isOk()) return s;
  return code;
}

Status Store::createVault(std::string_view passphrase, const KdfParams& params) {
  return createVault(kDefaultUser, passphrase, params).status();
}

Status Store::upgradeToAccounts(std::string_view user, std::string_view passphrase) {
  RECOURSE_ASSIGN_OR_RETURN(Keyring::BeforeAccounts before, keys_->openBeforeAccounts(passphrase));
  RECOURSE_ASSIGN_OR_RETURN(auto vault_row, db_->firstRow("SELECT opslimit, memlimit FROM vault"));
  if (!vault_row) return core::failedPrecondition("there is no vault here yet");
  const KdfParams params{static_cast<std::uint64_t>(vault_row->integer(0)),
                         static_cast<std::uint64_t>(vault_row->integer(1))};
  RECOURSE_ASSIGN_OR_RETURN(
      NewAccount owner, prepareAccount(user.empty() ? kDefaultUser : user, Role::kAdmin, passphrase,
                                       params, /*check_length=*/false));
  const std::string code = owner.recovery_code;
  const std::string now = core::formatTimestamp(clock_.now());
  // A new, random vault secret: the old passphrase key is given to no account (with it, a
  // copy of the file from before the upgrade would open every client's key).
  SecretKey secret = SecretKey::random();
  bool adopted = false;
  Status s = db_->inTransaction([&]() -> Status {
    Accounts& accounts = keys_->accounts();
    RECOURSE_RETURN_IF_ERROR(accounts.insert(owner, secret, deriveSubkey(secret, "usercert"), ""));
    RECOURSE_ASSIGN_OR_RETURN(auto me, accounts.byId(owner.account.id));
    if (!me) return core::internalError("the first account was not written");
    // Every client's key, wrapped by the passphrase key until now, sealed to the owner.
    RECOURSE_ASSIGN_OR_RETURN(auto clients, db_->select("SELECT id FROM clients ORDER BY rowid"));
    for (const auto& row : clients) {
      const std::string id = row.text(0);
      RECOURSE_ASSIGN_OR_RETURN(SecretKey key, keys_->wrappedClientKey(before.kek, id));
      RECOURSE_RETURN_IF_ERROR(db_->execute(
          "UPDATE clients SET wrapped_key = ?, key_version = 1, created_by = ? WHERE id = ?",
          {Bytes{}, me->id, id}));
      RECOURSE_RETURN_IF_ERROR(keys_->grants().insert(
          keys_->grants().make(id, 1, key, *me, "upgrade", *me, owner.seed, {}, now)));
    }
    // Drafts move under the owner's own drafts key; one that no longer opens was lost
    // already and is dropped.
    const SecretKey old_drafts = deriveSubkey(before.kek, "draftsky");
    const SecretKey new_drafts = deriveSubkey(owner.seed, "draftsky");
    RECOURSE_ASSIGN_OR_RETURN(auto drafts, db_->select("SELECT name, payload FROM drafts"));
    RECOURSE_RETURN_IF_ERROR(db_->execute("DELETE FROM drafts"));
    for (const auto& row : drafts) {
      auto text = unsealAt(row, 1, old_drafts, "drafts", "payload", row.text(0));
      if (!text.isOk()) continue;
      const std::string name = me->id + "/" + row.text(0);
      RECOURSE_RETURN_IF_ERROR(db_->insert(
          "drafts", {{"name", name},
                     {"payload", sealedValue(new_drafts, "drafts", "payload", name, *text)},
                     {"updated_at", now}}));
    }
    RECOURSE_RETURN_IF_ERROR(keys_->writeUpgradedVault(before.kek, secret, before.chain));
    keys_->adopt(secret.copy(), before.chain, std::move(*me), owner.seed.copy());
    adopted = true;
    RECOURSE_RETURN_IF_ERROR(keys_->loadCarriedKeys());
    return audit_->append("vault.upgrade", "vault", "1", "");
  });
  if (!s.isOk()) {
    if (adopted) keys_->lock();
    return s;
  }
  recovery_code_ = code;
  return Status::ok();
}

Status Store::unlock(std::string_view user, std::string_view passphrase) {
  std::lock_guard lk(mu_);
  keys_epoch_ = nextKeysEpoch();
  RECOURSE_ASSIGN_OR_RETURN(Keyring::Kind kind, keys_->kind());
  if (kind == Keyring::Kind::kBeforeAccounts) {
    RECOURSE_RETURN_IF_ERROR(upgradeToAccounts(user, passphrase));
  } else {
    RECOURSE_RETURN_IF_ERROR(keys_->unlock(user, passphrase).status());
    // The first sign-in to an account someone else made: its recovery code is made now, for
    // its holder alone. Not made (a read-only disk): the next sign-in tries again.
    auto made = keys_->makeRecoveryIfMissing();
    if (made.isOk() && *made) recovery_code_ = std::move(**made);
  }
  reads_logged_.clear();
  keys_epoch_ = nextKeysEpoch();
  if (keys_->auditChain() == Keyring::AuditChain::kPlainSha256) {
    // The first unlock after the upgrade to schema 5 re-links the audit log with the
    // vault key. A broken plain chain is left as it is (see audit_log.h): the vault opens,
    // and verifyAuditChain() reports the break. Any other failure leaves the vault locked,
    // so the next unlock tries again.
    Status s = audit_->relinkToKeyed();
    if (!s.isOk() && s.code() != core::StatusCode::kCorruption) {
      keys_->lock();
      return s;
    }
  }
  return Status::ok();
}

Status Store::checkOpens(std::string_view user, std::string_view passphrase) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(Keyring::Kind kind, keys_->kind());
  if (kind == Keyring::Kind::kBeforeAccounts) {
    return keys_->openBeforeAccounts(passphrase).status();
  }
  Status s = keys_->unlock(user, passphrase).status();
  keys_->lock();
  keys_epoch_ = nextKeysEpoch();
  return s;
}

StatusOr<long long> Store::accountCount() {
  std::lock_guard lk(mu_);
  if (!keys_->hasVault()) return 0LL;
  RECOURSE_ASSIGN_OR_RETURN(auto row, db_->firstRow("SELECT COUNT(*) FROM users"));
  return row ? row->integer(0) : 0LL;
}

Status Store::unlockWithRecovery(std::string_view user, std::string_view code) {
  std::lock_guard lk(mu_);
  keys_epoch_ = nextKeysEpoch();
  reads_logged_.clear();
  RECOURSE_RETURN_IF_ERROR(keys_->unlockWithRecovery(user, code).status());
  keys_epoch_ = nextKeysEpoch();
  return Status::ok();
}

std::optional<std::string> Store::takeRecoveryCode() {
  std::lock_guard lk(mu_);
  return std::exchange(recovery_code_, std::nullopt);
}

Status Store::checkPassphrase(std::string_view passphrase) {
  std::lock_guard lk(mu_);
  return keys_->checkPassphrase(passphrase);
}

// ---- accounts --------------------------------------------------------------------------

Store::AccountInfo Store::infoOf(const Account& a) {
  AccountInfo info{
      a.id, a.name, std::string(roleName(a.role)), a.client_id, a.fingerprint(), a.created_at, ""};
  if (!a.created_by.empty()) {
    auto by = keys_->accounts().byId(a.created_by);
    info.created_by = by.isOk() && *by ? (*by)->name : a.created_by;
  }
  return info;
}

StatusOr<Store::AccountInfo> Store::me() {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  return infoOf(keys_->me());
}

StatusOr<std::vector<std::string>> Store::myClientIds() {
  std::lock_guard lk(mu_);
  return keys_->myClients();
}

StatusOr<std::vector<Store::AccountInfo>> Store::accounts() {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(auto all, keys_->accounts().all());
  // Which client a client's own account is, only to those who may open that client.
  const bool admin = keys_->me().role == Role::kAdmin;
  RECOURSE_ASSIGN_OR_RETURN(auto mine, keys_->myClients());
  std::vector<AccountInfo> out;
  out.reserve(all.size());
  for (const auto& a : all) {
    RECOURSE_RETURN_IF_ERROR(keys_->accounts().checkCertificate(a, keys_->usersKey()));
    out.push_back(infoOf(a));
    if (!admin && std::find(mine.begin(), mine.end(), a.client_id) == mine.end()) {
      out.back().client_id.clear();
    }
  }
  return out;
}

StatusOr<Store::NewAccountMade> Store::addAccount(std::string_view name, std::string_view role_name,
                                                  std::string_view passphrase,
                                                  const std::string& client_id,
                                                  const KdfParams& params) {
  RECOURSE_ASSIGN_OR_RETURN(Role role, roleNamed(role_name));
  if (!client_id.empty() && role != Role::kClient) {
    return core::invalidArgument("only a client's own account is linked to a client")
        .withField("client_id");
  }
  {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
    if (keys_->me().role != Role::kAdmin) {
      return core::permissionDenied("only an administrator can make accounts")
          .withReason("admin_only");
    }
  }
  // Argon2id (twice) without holding the store.
  // No recovery code yet: it is made at the holder's first sign-in, so that whoever made the
  // account never sees it (and cannot use it to take the account over later).
  RECOURSE_ASSIGN_OR_RETURN(NewAccount n,
                            prepareAccount(name, role, passphrase, params, true, false));
  n.account.client_id = client_id;
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  const Account me = keys_->me();
  if (me.role != Role::kAdmin) {
    return core::permissionDenied("only an administrator can make accounts")
        .withReason("admin_only");
  }
  NewAccountMade made;
  made.recovery_code = n.recovery_code;
  RECOURSE_RETURN_IF_ERROR(db_->inTransaction([&]() -> Status {
    if (!client_id.empty()) {
      RECOURSE_ASSIGN_OR_RETURN(
          auto row, db_->firstRow("SELECT created_by FROM clients WHERE id = ?", {client_id}));
      if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
      RECOURSE_ASSIGN_OR_RETURN(auto own, keys_->accounts().ofClient(client_id));
      if (!own.empty()) {
        return core::conflict("client " + client_id +
                              " already has an account: " + own.front().name)
            .withField("client_id");
      }
    }
    RECOURSE_RETURN_IF_ERROR(
        keys_->accounts().insert(n, keys_->vaultSecret(), keys_->usersKey(), me.id));
    RECOURSE_ASSIGN_OR_RETURN(auto stored, keys_->accounts().byId(n.account.id));
    if (!stored) return core::internalError("the new account was not written");
    if (!client_id.empty()) {
      // The client's key goes to their own account when this account holds it and made
      // the record (or may act for the client).
      auto key = keys_->clientKey(client_id);
      RECOURSE_ASSIGN_OR_RETURN(auto row,
                                db_->firstRow("SELECT key_version, created_by FROM clients "
                                              "WHERE id = ?",
                                              {client_id}));
      const bool maker = row && row->text(1) == me.id;
      const bool may = maker || keys_->grants().mayGive(me, client_id, true).isOk();
      if (!may) {
        // Else an administrator could make an account they control the client's "own",
        // which decides who may open the client's records.
        return core::permissionDenied(
                   "only whoever keeps this client's records (or an administrator acting for "
                   "clients, where the vault's policy allows it) can make their own account")
            .withField("client_id")
            .withReason("may_not_grant");
      }
      if (key.isOk() && row) {
        const SecretKey k = (*key)->copy();
        Bytes reason = maker ? Bytes{}
                             : sealedReason(k, client_id, stored->id,
                                            "their own account, made by an administrator");
        RECOURSE_RETURN_IF_ERROR(keys_->grants().insert(
            keys_->grants().make(client_id, row->integer(0), k, *stored, "own", me, keys_->mySeed(),
                                 std::move(reason), core::formatTimestamp(clock_.now()))));
        made.client_key_sealed = true;
      }
    }
    made.account = infoOf(*stored);
    return audit_->append("user.add", "user", stored->id, client_id);
  }));
  return made;
}

Status Store::changePassphrase(std::string_view current, std::string_view fresh,
                               const KdfParams& params) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->checkPassphrase(current));
  RECOURSE_ASSIGN_OR_RETURN(Resealed r, resealSeed(keys_->me().id, keys_->mySeed(), fresh, params));
  return db_->inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(keys_->accounts().storeResealed(keys_->me().id, r));
    return audit_->append("user.passwd", "user", keys_->me().id, "");
  });
}

StatusOr<std::string> Store::resetPassphrase(std::string_view fresh, const KdfParams& params) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  RECOURSE_ASSIGN_OR_RETURN(Resealed r, resealSeed(keys_->me().id, keys_->mySeed(), fresh, params));
  RECOURSE_ASSIGN_OR_RETURN(NewRecovery recovery, newRecovery(keys_->me().id, keys_->mySeed()));
  RECOURSE_RETURN_IF_ERROR(db_->inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(keys_->accounts().storeResealed(keys_->me().id, r));
    RECOURSE_RETURN_IF_ERROR(keys_->accounts().storeRecovery(keys_->me().id, recovery));
    return audit_->append("user.recover", "user", keys_->me().id, "");
  }));
  return recovery.code;
}

// ---- access ----------------------------------------------------------------------------

StatusOr<std::vector<Store::AccessInfo>> Store::accessTo(const std::string& client_id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, keys_->clientKey(client_id));
  const SecretKey key = keyp->copy();
  RECOURSE_ASSIGN_OR_RETURN(auto grants, keys_->grants().forClient(client_id));
  std::vector<AccessInfo> out;
  for (const auto& g : grants) {
    AccessInfo info;
    RECOURSE_ASSIGN_OR_RETURN(auto who, keys_->accounts().byId(g.user_id));
    if (who) {
      info.account = infoOf(*who);
    } else {
      info.account.id = g.user_id;
    }
    info.kind = g.kind;
    RECOURSE_ASSIGN_OR_RETURN(auto by, keys_->accounts().byId(g.granted_by));
    info.granted_by = by ? by->name : g.granted_by;
    info.granted_at = g.granted_at;
    if (!g.reason.empty()) {
      auto reason = store::open(key, g.reason, reasonContext(client_id, g.user_id));
      info.reason = reason.isOk() ? *reason : "";
    }
    Status valid = keys_->grants().check(g, keys_->usersKey());
    if (!valid.isOk()) info.problem = valid.message();
    out.push_back(std::move(info));
  }
  return out;
}

StatusOr<Store::AccessInfo> Store::grantAccess(const std::string& client_id, std::string_view user,
                                               const std::string& reason) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, keys_->clientKey(client_id));
  const SecretKey key = keyp->copy();
  const Account me = keys_->me();
  RECOURSE_ASSIGN_OR_RETURN(auto to, keys_->accounts().byName(user));
  if (!to) {
    return core::notFound("there is no account named " + std::string(user)).withField("user");
  }
  if (to->id == me.id) {
    return core::invalidArgument("you have access already; name someone else").withField("user");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto existing, keys_->grants().of(client_id, to->id));
  if (existing) {
    return core::conflict(to->name + " has access to these records already").withField("user");
  }
  RECOURSE_RETURN_IF_ERROR(keys_->grants().mayGive(me, client_id, !reason.empty()));
  // Sealed only to an account whose public key is the one it was made with.
  RECOURSE_RETURN_IF_ERROR(keys_->accounts().checkCertificate(*to, keys_->usersKey()));
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_->firstRow("SELECT key_version FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  const std::string now = core::formatTimestamp(clock_.now());
  Grant g = keys_->grants().make(client_id, row->integer(0), key, *to, "grant", me, keys_->mySeed(),
                                 sealedReason(key, client_id, to->id, reason), now);
  RECOURSE_RETURN_IF_ERROR(db_->inTransaction([&]() -> Status {
    // The key sealed to them must still be the one in force.
    RECOURSE_RETURN_IF_ERROR(keys_->checkKeyCurrent(client_id));
    RECOURSE_RETURN_IF_ERROR(keys_->grants().insert(g));
    return audit_->append("access.grant", "user", to->id, client_id);
  }));
  return AccessInfo{infoOf(*to), g.kind, me.name, now, reason, ""};
}

StatusOr<bool> Store::linkClientAccount(const std::string& client_id, std::string_view user) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, keys_->clientKey(client_id));
  const SecretKey key = keyp->copy();
  const Account me = keys_->me();
  RECOURSE_ASSIGN_OR_RETURN(auto to, keys_->accounts().byName(user));
  if (!to) {
    return core::notFound("there is no account named " + std::string(user))
        .withField("user")
        .withReason("no_such_user");
  }
  if (to->role != Role::kClient) {
    return core::invalidArgument(to->name + " is not a client's own account (their role is " +
                                 std::string(roleName(to->role)) + ")")
        .withField("user");
  }
  if (to->client_id == client_id) return false;  // linked already
  if (!to->client_id.empty()) {
    return core::conflict(to->name + " is the own account of another client already")
        .withField("user");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto own, keys_->accounts().ofClient(client_id));
  if (!own.empty()) {
    return core::conflict("client " + client_id + " already has an account: " + own.front().name)
        .withField("client_id");
  }
  RECOURSE_ASSIGN_OR_RETURN(
      auto row,
      db_->firstRow("SELECT key_version, created_by FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  const bool maker = row->text(1) == me.id;
  if (!maker) RECOURSE_RETURN_IF_ERROR(keys_->grants().mayGive(me, client_id, true));
  RECOURSE_RETURN_IF_ERROR(keys_->accounts().checkCertificate(*to, keys_->usersKey()));
  const std::string now = core::formatTimestamp(clock_.now());
  Bytes reason =
      maker ? Bytes{}
            : sealedReason(key, client_id, to->id, "their own account, linked by an administrator");
  Grant g = keys_->grants().make(client_id, row->integer(0), key, *to, "own", me, keys_->mySeed(),
                                 std::move(reason), now);
  RECOURSE_RETURN_IF_ERROR(db_->inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(keys_->checkKeyCurrent(client_id));
    RECOURSE_RETURN_IF_ERROR(keys_->accounts().setClient(*to, client_id, keys_->usersKey()));
    RECOURSE_ASSIGN_OR_RETURN(auto existing, keys_->grants().of(client_id, to->id));
    if (existing) {
      RECOURSE_RETURN_IF_ERROR(db_->execute(
          "DELETE FROM key_grants WHERE client_id = ? AND user_id = ?", {client_id, to->id}));
    }
    RECOURSE_RETURN_IF_ERROR(keys_->grants().insert(g));
    return audit_->append("access.grant", "user", to->id, client_id);
  }));
  return true;
}

Status Store::revokeAccess(const std::string& client_id, std::string_view user,
                           const std::string& reason) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(const SecretKey* keyp, keys_->clientKey(client_id));
  const SecretKey old_key = keyp->copy();
  const Account me = keys_->me();
  RECOURSE_ASSIGN_OR_RETURN(auto target, keys_->accounts().byName(user));
  if (!target) {
    return core::notFound("there is no account named " + std::string(user)).withField("user");
  }
  if (target->id == me.id) {
    return core::invalidArgument("you cannot take away your own access").withField("user");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto held, keys_->grants().of(client_id, target->id));
  if (!held) {
    return core::notFound(target->name + " has no access to these records").withField("user");
  }
  RECOURSE_RETURN_IF_ERROR(keys_->grants().mayGive(me, client_id, !reason.empty()));
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_->firstRow("SELECT key_version FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  const long long version = row->integer(0) + 1;
  const SecretKey new_key = SecretKey::random();
  const std::string now = core::formatTimestamp(clock_.now());
  RECOURSE_RETURN_IF_ERROR(db_->inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(keys_->checkKeyCurrent(client_id));
    RECOURSE_ASSIGN_OR_RETURN(auto grants, keys_->grants().forClient(client_id));
    RECOURSE_RETURN_IF_ERROR(resealClient(*db_, client_id, old_key, new_key).status());
    // Sealed under the old key, which the account losing access holds: made again under the
    // new one by the next view.
    RECOURSE_RETURN_IF_ERROR(
        db_->execute("DELETE FROM deadline_digests WHERE client_id = ?", {client_id}));
    RECOURSE_RETURN_IF_ERROR(
        db_->execute("DELETE FROM key_grants WHERE client_id = ?", {client_id}));
    for (const auto& g : grants) {
      if (g.user_id == target->id) continue;
      // Only grants of the key in force: an old one written back into the file (a revoked
      // account's, say) is not given the new key.
      if (g.key_version != version - 1) continue;
      // A grant that does not check (forged) is not carried over to the new key.
      if (!keys_->grants().check(g, keys_->usersKey()).isOk()) continue;
      RECOURSE_ASSIGN_OR_RETURN(auto who, keys_->accounts().byId(g.user_id));
      if (!who) continue;
      RECOURSE_RETURN_IF_ERROR(keys_->grants().insert(
          keys_->grants().make(client_id, version, new_key, *who, "rotation", me, keys_->mySeed(),
                               sealedReason(new_key, client_id, who->id, reason), now)));
    }
    RECOURSE_RETURN_IF_ERROR(
        db_->execute("UPDATE clients SET key_version = ? WHERE id = ?", {version, client_id}));
    return audit_->append("access.revoke", "user", target->id, client_id);
  }));
  keys_->forgetClientKey(client_id);
  return Status::ok();
}

StatusOr<bool> Store::adminsMayGrant() {
  std::lock_guard lk(mu_);
  return keys_->grants().adminsMayGrant();
}

Status Store::setAdminsMayGrant(bool allowed) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  if (keys_->me().role != Role::kAdmin) {
    return core::permissionDenied("only an administrator can change this policy")
        .withReason("admin_only");
  }
  return db_->inTransaction([&]() -> Status {
    RECOURSE_RETURN_IF_ERROR(
        db_->execute("UPDATE vault SET admins_may_grant = ? WHERE id = 1", {allowed ? 1LL : 0LL}));
    return audit_->append(allowed ? "policy.admins_may_grant.on" : "policy.admins_may_grant.off",
                          "vault", "1", "");
  });
}

void Store::setVia(std::string via) {
  std::lock_guard lk(mu_);
  audit_->setVia(std::move(via));
}

StatusOr<std::vector<core::AuditEvent>> Store::auditEventsOf(const std::string& client_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  const Account& me = keys_->me();
  RECOURSE_ASSIGN_OR_RETURN(auto exists,
                            db_->firstRow("SELECT 1 FROM clients WHERE id = ?", {client_id}));
  if (!exists) return core::notFound("no client with id " + client_id).withField("client_id");
  if (me.role != Role::kAdmin && me.client_id != client_id) {
    RECOURSE_RETURN_IF_ERROR(keys_->clientKey(client_id).status());
  }
  // Entries written before accounts name records, not clients: those of the client's
  // records that are still here.
  std::set<std::string> ids = {client_id};
  RECOURSE_ASSIGN_OR_RETURN(
      auto rows,
      db_->select("SELECT id FROM cases WHERE client_id = ? UNION ALL "
                  "SELECT x.id FROM incidents x JOIN cases c ON c.id = x.case_id WHERE "
                  "c.client_id = ? UNION ALL "
                  "SELECT x.id FROM evidence x JOIN cases c ON c.id = x.case_id WHERE "
                  "c.client_id = ? UNION ALL "
                  "SELECT x.id FROM records_requests x JOIN cases c ON c.id = x.case_id WHERE "
                  "c.client_id = ? UNION ALL "
                  "SELECT x.id FROM complaints x JOIN cases c ON c.id = x.case_id WHERE "
                  "c.client_id = ?",
                  // Plain placeholders, one each: both engines number them in order.
                  std::vector<Value>(5, Value(client_id))));
  for (const auto& r : rows) ids.insert(r.text(0));
  RECOURSE_ASSIGN_OR_RETURN(auto all, audit_->events());
  std::vector<core::AuditEvent> out;
  for (auto& e : all) {
    if (e.client_id == client_id || (e.client_id.empty() && ids.count(e.entity_id) > 0)) {
      out.push_back(std::move(e));
    }
  }
  return out;
}

Status Store::requireAccessTo(std::string_view type, const std::string& id) {
  if (id.empty() || !keys_->isUnlocked()) return Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(std::string client, audit_->clientOf(type, id));
  if (client.empty()) return Status::ok();
  return keys_->clientKey(client).status();
}

Status Store::noteRead(std::string_view action, std::string_view type, const std::string& id,
                       std::string client_id) {
  return noteReads({{action, type, id, std::move(client_id)}});
}

Status Store::noteCaseReads(std::string_view action,
                            const std::map<std::string, std::string>& case_client) {
  std::vector<ReadNote> notes;
  notes.reserve(case_client.size());
  for (const auto& [kase, client] : case_client) notes.push_back({action, "case", kase, client});
  return noteReads(notes);
}

Store::HeldReads::HeldReads(Store& store) : store_(store) {
  std::lock_guard lk(store_.mu_);
  outer_ = !store_.reads_held_by_.has_value();
  if (outer_) {
    store_.reads_held_by_ = std::this_thread::get_id();
    store_.audit_->beginPage();
  }
}

Store::HeldReads::~HeldReads() {
  if (!written_) (void)write();  // what a page that stopped early read is logged still
}

Status Store::HeldReads::write() {
  std::lock_guard lk(store_.mu_);
  if (!outer_ || written_) return Status::ok();  // the outermost hold writes
  written_ = true;
  store_.reads_held_by_.reset();
  std::vector<ReadNote> notes = std::move(store_.held_reads_);
  store_.held_reads_.clear();
  Status written = store_.writeReadNotes(notes);
  store_.audit_->endPage();
  return written;
}

Status Store::noteReads(const std::vector<ReadNote>& notes) {
  if (reads_held_by_ == std::this_thread::get_id()) {
    held_reads_.insert(held_reads_.end(), notes.begin(), notes.end());
    return Status::ok();
  }
  return writeReadNotes(notes);
}

Status Store::writeReadNotes(const std::vector<ReadNote>& notes) {
  if (!keys_->isUnlocked() || notes.empty()) return Status::ok();
  const auto now = clock_.now();
  std::vector<std::pair<const ReadNote*, std::string>> due;  // with its key in reads_logged_
  for (const auto& n : notes) {
    std::string key = keys_->me().id;
    key.append("|").append(n.action).append("|").append(n.id);
    auto it = reads_logged_.find(key);
    if (it != reads_logged_.end() && now - it->second < kReadLogWindow) continue;
    due.emplace_back(&n, std::move(key));
  }
  if (due.empty()) return Status::ok();
  // In one bulk transaction: its entries' inserts go with the commit (one wait, not one
  // each).
  RECOURSE_RETURN_IF_ERROR(db_->inBulkTransaction([&]() -> Status {
    for (const auto& [n, key] : due) {
      std::string client_id = n->client_id;
      if (client_id.empty()) {
        RECOURSE_ASSIGN_OR_RETURN(client_id, audit_->clientOf(n->type, n->id));
      }
      RECOURSE_RETURN_IF_ERROR(audit_->append(n->action, n->type, n->id, client_id));
    }
    return Status::ok();
  }));
  read_log_rows_ += static_cast<long long>(due.size());
  // Enough for a caseload of thousands of records; past it, the next reads are logged again.
  if (reads_logged_.size() + due.size() > kReadsRemembered) reads_logged_.clear();
  for (auto& [n, key] : due) reads_logged_[std::move(key)] = now;
  return Status::ok();
}

}  // namespace recourse::store
