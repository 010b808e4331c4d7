#include "store/accounts.h"

#include <algorithm>
#include <cctype>

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr char kUsers[] = "users";
constexpr char kColumns[] =
    "SELECT id, name, role, client_id, box_public, sign_public, certificate, created_at, "
    "created_by, failed_unlocks, unlock_after FROM users";

// The recovery code is random (120 bits), so a light Argon2id cost is enough.
KdfParams recoveryParams() {
  auto p = kdfParamsNamed("interactive");
  return *p;
}

Status checkName(std::string_view name) {
  if (name.empty()) return core::invalidArgument("must not be empty").withField("name");
  if (name.size() > 64)
    return core::invalidArgument("must be at most 64 characters").withField("name");
  if (name.front() == ' ' || name.back() == ' ') {
    return core::invalidArgument("must not begin or end with a space").withField("name");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return core::invalidArgument("must not contain control characters").withField("name");
    }
  }
  return Status::ok();
}

Status checkPassphrase(std::string_view passphrase) {
  if (passphrase.size() < kMinAccountPassphrase) {
    return core::invalidArgument("must be at least " + std::to_string(kMinAccountPassphrase) +
                                 " characters")
        .withField("passphrase");
  }
  return Status::ok();
}

// 24 characters of Crockford base32 (120 bits) in six groups: "7K2M-…".
std::string makeRecoveryCode() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const Bytes random = randomBytes(24);
  std::string code;
  for (size_t i = 0; i < random.size(); ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kAlphabet[random[i] % 32];
  }
  return code;
}

// A recovery code as typed: case, spaces and dashes do not matter, and the letters people
// mistake for digits read as those digits (Crockford's rules).
std::string normalRecoveryCode(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (c == '-' || c == ' ') continue;
    if (c == 'O') {
      out += '0';
    } else if (c == 'I' || c == 'L') {
      out += '1';
    } else {
      out += c;
    }
  }
  return out;
}

StatusOr<Resealed> sealUnder(const std::string& id, std::string_view column, const SecretKey& seed,
                             std::string_view secret, const KdfParams& params) {
  Bytes salt = randomBytes(kSaltSize);
  RECOURSE_ASSIGN_OR_RETURN(SecretKey kek, deriveKey(secret, salt, params));
  return Resealed{params, std::move(salt), sealKey(kek, seed, sealContext(kUsers, column, id))};
}

std::string nowText(const core::Clock& clock) { return core::formatTimestamp(clock.now()); }

}  // namespace

std::string_view roleName(Role role) {
  switch (role) {
    case Role::kClient:
      return "client";
    case Role::kAdvocate:
      return "advocate";
    case Role::kStaff:
      return "staff";
    case Role::kAdmin:
      return "admin";
  }
  return "client";
}

StatusOr<Role> roleNamed(std::string_view name) {
  for (Role r : {Role::kClient, Role::kAdvocate, Role::kStaff, Role::kAdmin}) {
    if (roleName(r) == name) return r;
  }
  return core::invalidArgument("\"" + std::string(name.substr(0, 20)) +
                               "\" is not one of client, advocate, staff, admin")
      .withField("role");
}

StatusOr<NewAccount> prepareAccount(std::string_view name, Role role, std::string_view passphrase,
                                    const KdfParams& params, bool check_length,
                                    bool with_recovery) {
  RECOURSE_RETURN_IF_ERROR(checkName(name));
  if (check_length) RECOURSE_RETURN_IF_ERROR(checkPassphrase(passphrase));
  if (passphrase.empty()) return core::invalidArgument("must not be empty").withField("passphrase");
  NewAccount n;
  n.account.id = randomId("us");
  n.account.name = std::string(name);
  n.account.role = role;
  n.seed = SecretKey::random();
  n.account.keys = publicKeysOf(n.seed);
  RECOURSE_ASSIGN_OR_RETURN(Resealed sealed,
                            sealUnder(n.account.id, "sealed_seed", n.seed, passphrase, params));
  n.params = sealed.params;
  n.salt = std::move(sealed.salt);
  n.sealed_seed = std::move(sealed.sealed_seed);
  if (!with_recovery) return n;  // empty: made at the holder's first sign-in
  RECOURSE_ASSIGN_OR_RETURN(NewRecovery recovery, newRecovery(n.account.id, n.seed));
  n.recovery_salt = std::move(recovery.salt);
  n.recovery_seed = std::move(recovery.sealed_seed);
  n.recovery_code = std::move(recovery.code);
  return n;
}

StatusOr<Resealed> resealSeed(const std::string& account_id, const SecretKey& seed,
                              std::string_view passphrase, const KdfParams& params) {
  RECOURSE_RETURN_IF_ERROR(checkPassphrase(passphrase));
  return sealUnder(account_id, "sealed_seed", seed, passphrase, params);
}

StatusOr<NewRecovery> newRecovery(const std::string& account_id, const SecretKey& seed) {
  std::string code = makeRecoveryCode();
  RECOURSE_ASSIGN_OR_RETURN(Resealed sealed, sealUnder(account_id, "recovery_seed", seed,
                                                       normalRecoveryCode(code), recoveryParams()));
  return NewRecovery{std::move(sealed.salt), std::move(sealed.sealed_seed), std::move(code)};
}

std::string certificateOf(const SecretKey& users_key, const Account& a) {
  std::string m = "recourse/v1/account\n";
  m.append(a.id).append("\n").append(a.name).append("\n").append(roleName(a.role));
  m.append("\n").append(a.client_id).append("\n");
  m.append(toHex(a.keys.box.data(), a.keys.box.size())).append("\n");
  m.append(toHex(a.keys.sign.data(), a.keys.sign.size()));
  return keyedHashHex(users_key, m);
}

// ---- Accounts --------------------------------------------------------------------------

StatusOr<std::vector<Account>> Accounts::read(const std::string& where,
                                              const std::vector<Value>& args) {
  RECOURSE_ASSIGN_OR_RETURN(auto rows, db_.select(std::string(kColumns) + where, args));
  std::vector<Account> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Account a;
    a.id = r.text(0);
    a.name = r.text(1);
    auto role = roleNamed(r.text(2));
    if (!role.isOk()) {
      return core::corruption("account " + a.id +
                              " has an unknown role: it was changed outside "
                              "Recourse");
    }
    a.role = *role;
    a.client_id = r.text(3);
    a.keys.box = r.blob(4);
    a.keys.sign = r.blob(5);
    a.certificate = r.text(6);
    a.created_at = r.text(7);
    a.created_by = r.text(8);
    a.failed_unlocks = r.integer(9);
    a.unlock_after = r.text(10);
    out.push_back(std::move(a));
  }
  return out;
}

StatusOr<std::optional<Account>> Accounts::byName(std::string_view name) {
  RECOURSE_ASSIGN_OR_RETURN(auto found, read(" WHERE lower(name) = lower(?)", {std::string(name)}));
  if (found.empty()) return std::optional<Account>();
  return std::optional<Account>(std::move(found.front()));
}

StatusOr<std::optional<Account>> Accounts::byId(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(auto found, read(" WHERE id = ?", {id}));
  if (found.empty()) return std::optional<Account>();
  return std::optional<Account>(std::move(found.front()));
}

StatusOr<std::vector<Account>> Accounts::all() { return read(" ORDER BY created_at, rowid", {}); }

StatusOr<std::vector<Account>> Accounts::ofClient(const std::string& client_id) {
  return read(" WHERE client_id = ? ORDER BY rowid", {client_id});
}

Status Accounts::insert(const NewAccount& n, const SecretKey& vault_secret,
                        const SecretKey& users_key, const std::string& created_by) {
  RECOURSE_ASSIGN_OR_RETURN(auto taken, byName(n.account.name));
  if (taken) {
    return core::conflict("there is already an account named " + taken->name).withField("name");
  }
  // Sealed under a subkey of the account's own seed (which only whoever makes the account,
  // and then the account, ever holds), not to its public key: anyone can seal to a public
  // key, so someone with the file alone could otherwise give every account a vault secret
  // of their own and certify accounts of their own with it.
  const Bytes sealed_secret = sealKey(deriveSubkey(n.seed, "vaultsec"), vault_secret,
                                      sealContext(kUsers, "vault_secret", n.account.id));
  return db_.insert(kUsers, {{"id", n.account.id},
                             {"name", n.account.name},
                             {"role", std::string(roleName(n.account.role))},
                             {"client_id", textOrNull(n.account.client_id)},
                             {"box_public", n.account.keys.box},
                             {"sign_public", n.account.keys.sign},
                             {"opslimit", static_cast<long long>(n.params.opslimit)},
                             {"memlimit", static_cast<long long>(n.params.memlimit)},
                             {"salt", n.salt},
                             {"sealed_seed", n.sealed_seed},
                             {"recovery_salt", n.recovery_salt},
                             {"recovery_seed", n.recovery_seed},
                             {"vault_secret", sealed_secret},
                             {"certificate", certificateOf(users_key, n.account)},
                             {"created_at", nowText(clock_)},
                             {"created_by", textOrNull(created_by)}});
}

Status Accounts::setClient(const Account& a, const std::string& client_id,
                           const SecretKey& users_key) {
  Account changed = a;
  changed.client_id = client_id;
  return db_.execute("UPDATE users SET client_id = ?, certificate = ? WHERE id = ?",
                     {textOrNull(client_id), certificateOf(users_key, changed), a.id});
}

Status Accounts::storeResealed(const std::string& id, const Resealed& r) {
  return db_.execute(
      "UPDATE users SET opslimit = ?, memlimit = ?, salt = ?, sealed_seed = ? WHERE id = ?",
      {static_cast<long long>(r.params.opslimit), static_cast<long long>(r.params.memlimit), r.salt,
       r.sealed_seed, id});
}

Status Accounts::storeRecovery(const std::string& id, const NewRecovery& r) {
  return db_.execute("UPDATE users SET recovery_salt = ?, recovery_seed = ? WHERE id = ?",
                     {r.salt, r.sealed_seed, id});
}

StatusOr<bool> Accounts::hasRecovery(const std::string& id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow("SELECT length(recovery_seed) FROM users WHERE id = ?", {id}));
  return row && row->integer(0) > 0;
}

Status Accounts::checkCertificate(const Account& a, const SecretKey& users_key) const {
  if (certificateOf(users_key, a) != a.certificate) {
    return core::corruption("account " + a.name + " (" + a.id +
                            ") does not match its certificate: it was changed outside Recourse");
  }
  return Status::ok();
}

StatusOr<SecretKey> Accounts::openSeed(const Account& a, std::string_view passphrase) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row,
      db_.firstRow("SELECT opslimit, memlimit, salt, sealed_seed FROM users WHERE id = ?", {a.id}));
  if (!row) return core::notFound("there is no account named " + a.name).withField("user");
  KdfParams params{static_cast<std::uint64_t>(row->integer(0)),
                   static_cast<std::uint64_t>(row->integer(1))};
  RECOURSE_ASSIGN_OR_RETURN(SecretKey kek, deriveKey(passphrase, row->blob(2), params));
  auto seed = openKey(kek, row->blob(3), sealContext(kUsers, "sealed_seed", a.id));
  if (!seed.isOk()) {
    return core::unauthenticated("that passphrase does not open " + a.name +
                                 "'s account; nothing was changed")
        .withReason("wrong_passphrase");
  }
  return seed;
}

StatusOr<SecretKey> Accounts::openSeedWithRecovery(const Account& a, std::string_view code) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row,
      db_.firstRow("SELECT recovery_salt, recovery_seed FROM users WHERE id = ?", {a.id}));
  if (!row) return core::notFound("there is no account named " + a.name).withField("user");
  if (row->blob(1).empty()) {
    return core::unauthenticated(a.name +
                                 "'s account has no recovery code yet: it is made the "
                                 "first time its holder signs in")
        .withReason("wrong_recovery_code");
  }
  RECOURSE_ASSIGN_OR_RETURN(SecretKey kek,
                            deriveKey(normalRecoveryCode(code), row->blob(0), recoveryParams()));
  auto seed = openKey(kek, row->blob(1), sealContext(kUsers, "recovery_seed", a.id));
  if (!seed.isOk()) {
    return core::unauthenticated("that recovery code does not open " + a.name +
                                 "'s account; nothing was changed")
        .withReason("wrong_recovery_code");
  }
  return seed;
}

StatusOr<SecretKey> Accounts::openVaultSecret(const Account& a, const SecretKey& seed) {
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            db_.firstRow("SELECT vault_secret FROM users WHERE id = ?", {a.id}));
  if (!row) return core::notFound("there is no account named " + a.name).withField("user");
  auto secret = openKey(deriveSubkey(seed, "vaultsec"), row->blob(0),
                        sealContext(kUsers, "vault_secret", a.id));
  if (!secret.isOk()) {
    return core::corruption("the vault's key sealed to " + a.name +
                            " does not open: it was changed outside Recourse");
  }
  return secret;
}

Status Accounts::checkWait(const Account& a) {
  if (a.unlock_after.empty()) return Status::ok();
  auto after = core::parseTimestamp(a.unlock_after, "unlock_after");
  if (!after.isOk()) return Status::ok();  // unreadable: do not lock anyone out for it
  const auto now = clock_.now();
  if (now >= *after) return Status::ok();
  const long long seconds =
      std::chrono::duration_cast<std::chrono::seconds>(*after - now).count() + 1;
  return core::resourceExhausted("too many wrong passphrases for " + a.name + "; try again in " +
                                 std::to_string(seconds) + " seconds")
      .withReason("unlock_wait", {{"seconds", std::to_string(seconds)}});
}

Status Accounts::noteFailure(const Account& a) {
  RECOURSE_ASSIGN_OR_RETURN(auto row,
                            db_.firstRow("SELECT failed_unlocks FROM users WHERE id = ?", {a.id}));
  const long long failed = (row ? row->integer(0) : 0) + 1;
  std::string after;
  if (failed >= kFreeAttempts) {
    const long long steps = std::min<long long>(failed - kFreeAttempts, 8);
    const long long wait = std::min<long long>(5LL << steps, 15LL * 60);
    after = core::formatTimestamp(clock_.now() + std::chrono::seconds(wait));
  }
  return db_.inTransaction([&] {
    return db_.execute("UPDATE users SET failed_unlocks = ?, unlock_after = ? WHERE id = ?",
                       {failed, textOrNull(after), a.id});
  });
}

Status Accounts::noteSuccess(const Account& a) {
  if (a.failed_unlocks == 0 && a.unlock_after.empty()) return Status::ok();
  return db_.execute("UPDATE users SET failed_unlocks = 0, unlock_after = NULL WHERE id = ?",
                     {a.id});
}

// ---- Grants ----------------------------------------------------------------------------

namespace {
constexpr char kGrantColumns[] =
    "SELECT client_id, user_id, key_version, sealed_key, kind, granted_by, reason, granted_at, "
    "signature FROM key_grants";

Grant grantOf(const Row& r) {
  Grant g;
  g.client_id = r.text(0);
  g.user_id = r.text(1);
  g.key_version = r.integer(2);
  g.sealed_key = r.blob(3);
  g.kind = r.text(4);
  g.granted_by = r.text(5);
  g.reason = r.blob(6);
  g.granted_at = r.text(7);
  g.signature = r.blob(8);
  return g;
}

std::string hashOf(const Bytes& b) {
  return sha256Hex(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}
}  // namespace

std::string grantMessage(const Grant& g, const Account& receiver) {
  std::string m = "recourse/v1/grant\n";
  m.append(g.client_id).append("\n").append(g.user_id).append("\n");
  m.append(std::to_string(g.key_version)).append("\n");
  m.append(toHex(receiver.keys.box.data(), receiver.keys.box.size())).append("\n");
  m.append(g.kind).append("\n").append(g.granted_by).append("\n").append(g.granted_at);
  m.append("\n").append(hashOf(g.sealed_key)).append("\n").append(hashOf(g.reason));
  return m;
}

StatusOr<std::optional<Grant>> Grants::of(const std::string& client_id,
                                          const std::string& user_id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow(std::string(kGrantColumns) + " WHERE client_id = ? AND user_id = ?",
                             {client_id, user_id}));
  if (!row) return std::optional<Grant>();
  return std::optional<Grant>(grantOf(*row));
}

StatusOr<std::vector<Grant>> Grants::forClient(const std::string& client_id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto rows,
      db_.select(std::string(kGrantColumns) + " WHERE client_id = ? ORDER BY rowid", {client_id}));
  std::vector<Grant> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(grantOf(r));
  return out;
}

StatusOr<std::vector<std::string>> Grants::clientsOf(const std::string& user_id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto rows, db_.select("SELECT g.client_id FROM key_grants g JOIN clients c ON c.id = "
                            "g.client_id WHERE g.user_id = ? ORDER BY c.rowid",
                            {user_id}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

StatusOr<bool> Grants::adminsMayGrant() {
  RECOURSE_ASSIGN_OR_RETURN(auto row, db_.firstRow("SELECT admins_may_grant FROM vault"));
  return row && row->integer(0) != 0;
}

StatusOr<std::string> Grants::createdBy(const std::string& client_id) {
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, db_.firstRow("SELECT created_by FROM clients WHERE id = ?", {client_id}));
  if (!row) return core::notFound("no client with id " + client_id).withField("client_id");
  return row->text(0);
}

Status Grants::mayGive(const Account& giver, const std::string& client_id, bool has_reason) {
  if (giver.client_id == client_id && giver.role == Role::kClient) return Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(auto own, accounts_.ofClient(client_id));
  RECOURSE_ASSIGN_OR_RETURN(std::string maker, createdBy(client_id));
  if (own.empty() && !maker.empty() && maker == giver.id) return Status::ok();
  if (giver.role == Role::kAdmin) {
    RECOURSE_ASSIGN_OR_RETURN(bool policy, adminsMayGrant());
    if (policy && has_reason) return Status::ok();
    if (policy) {
      return core::invalidArgument("an administrator acting for a client must say why")
          .withField("reason");
    }
  }
  return core::permissionDenied(
             own.empty()
                 ? "only the person who keeps this client's records can give or take away access"
                 : "only the client themself can give or take away access to their records")
      .withReason("may_not_grant");
}

Grant Grants::make(const std::string& client_id, long long version, const SecretKey& key,
                   const Account& receiver, std::string kind, const Account& giver,
                   const SecretKey& giver_seed, Bytes reason, const std::string& at) const {
  Grant g;
  g.client_id = client_id;
  g.user_id = receiver.id;
  g.key_version = version;
  g.sealed_key = sealToPublicKey(key, receiver.keys.box);
  g.kind = std::move(kind);
  g.granted_by = giver.id;
  g.reason = std::move(reason);
  g.granted_at = at;
  g.signature = signMessage(giver_seed, grantMessage(g, receiver));
  return g;
}

Status Grants::insert(const Grant& g) {
  return db_.insert("key_grants", {{"client_id", g.client_id},
                                   {"user_id", g.user_id},
                                   {"key_version", g.key_version},
                                   {"sealed_key", g.sealed_key},
                                   {"kind", g.kind},
                                   {"granted_by", g.granted_by},
                                   {"reason", g.reason.empty() ? Value() : Value(g.reason)},
                                   {"granted_at", g.granted_at},
                                   {"signature", g.signature}});
}

Status Grants::check(const Grant& g, const SecretKey& users_key) {
  auto forged = [&](const std::string& why) {
    return core::corruption("the access to client " + g.client_id + " held by account " +
                            g.user_id + " " + why + ": it was changed outside Recourse")
        .withReason("grant_forged", {{"client_id", g.client_id}, {"user_id", g.user_id}});
  };
  RECOURSE_ASSIGN_OR_RETURN(auto receiver, accounts_.byId(g.user_id));
  RECOURSE_ASSIGN_OR_RETURN(auto giver, accounts_.byId(g.granted_by));
  if (!receiver || !giver) return forged("names an account that does not exist");
  if (!accounts_.checkCertificate(*receiver, users_key).isOk() ||
      !accounts_.checkCertificate(*giver, users_key).isOk()) {
    return forged("names an account that does not match its certificate");
  }
  if (!signatureValid(giver->keys.sign, grantMessage(g, *receiver), g.signature)) {
    return forged("is not signed by the account it names as its giver");
  }
  // Whoever could ever have given it: the record's maker (to itself when it made the
  // record, to the client's own account, or to others while the client had no account),
  // the client themself, an administrator with a reason. mayGive() is stricter about new
  // grants; this only asks whether the giver could have given it at all.
  RECOURSE_ASSIGN_OR_RETURN(std::string maker, createdBy(g.client_id));
  if (!maker.empty() && giver->id == maker) return Status::ok();
  if (giver->client_id == g.client_id && giver->role == Role::kClient) return Status::ok();
  if (giver->role == Role::kAdmin && !g.reason.empty()) return Status::ok();
  return forged("was given by an account that may not give it");
}

}  // namespace recourse::store
