#include "service/accounts.h"

#include <map>

#include "service/vault.h"
#include "store/crypto.h"
#include "store/data_dir.h"
#include "store/store.h"

namespace recourse::service {

using core::Status;
using core::StatusOr;

namespace {

Account fromStore(const store::Store::AccountInfo& a, const std::string& me_id) {
  return Account{a.id,          a.name,       a.role,       a.client_id,
                 a.fingerprint, a.created_at, a.created_by, a.id == me_id};
}

// What an audit action is about, in plain words.
std::string plainWhat(const std::string& action) {
  static const std::map<std::string, std::string> kWords = {
      {"read.client", "their details"},
      {"read.cases", "their cases"},
      {"read.case", "a case"},
      {"read.incidents", "what happened (incidents)"},
      {"read.incident", "an incident"},
      {"read.requests", "records requests"},
      {"read.request", "a records request"},
      {"read.request_events", "a request's history"},
      {"read.evidence", "an evidence item"},
      {"read.evidence_list", "the evidence list"},
      {"read.evidence_file", "an evidence file"},
      {"read.complaint", "the complaint"},
      {"read.complaint_events", "what happened to the complaint after it was filed"},
      {"read.caseload", "a summary for a caseload (what is due, whether a complaint was sent)"},
      {"access.grant", "access given"},
      {"access.revoke", "access taken away"},
      {"client.handover", "a copy of all their records, made for them to keep"},
      {"client.received", "their records, brought here from where they were kept before"},
  };
  auto it = kWords.find(action);
  if (it != kWords.end()) return it->second;
  static const std::map<std::string, std::string> kKinds = {
      {"client", "their details"},      {"case", "a case"},
      {"incident", "an incident"},      {"evidence", "an evidence item"},
      {"request", "a records request"}, {"complaint", "the complaint"},
      {"user", "an account"},
  };
  static const std::map<std::string, std::string> kVerbs = {
      {"add", "added"},
      {"edit", "changed"},
      {"delete", "deleted"},
      {"remove", "removed"},
      {"task", "marked a step done in"},
      {"event", "recorded what happened with"},
  };
  const size_t dot = action.find('.');
  if (dot == std::string::npos) return action;
  const std::string kind = action.substr(0, dot);
  std::string verb = action.substr(dot + 1);
  if (verb.rfind("event", 0) == 0) verb = "event";
  auto k = kKinds.find(kind);
  auto v = kVerbs.find(verb);
  if (k == kKinds.end() || v == kVerbs.end()) return action;
  return v->second + " " + k->second;
}

}  // namespace

StatusOr<Account> currentAccount(Services& s) {
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  return fromStore(me, me.id);
}

StatusOr<std::vector<Account>> listAccounts(Services& s) {
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  RECOURSE_ASSIGN_OR_RETURN(auto all, s.store.accounts());
  std::vector<Account> out;
  out.reserve(all.size());
  for (const auto& a : all) out.push_back(fromStore(a, me.id));
  return out;
}

StatusOr<NewAccountOut> addAccount(Services& s, const NewAccountIn& in) {
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(in.strength));
  RECOURSE_RETURN_IF_ERROR(checkNewPassphrase(in.passphrase));
  RECOURSE_ASSIGN_OR_RETURN(
      auto made, s.store.addAccount(in.name, in.role, in.passphrase, in.client_id, params));
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  return NewAccountOut{fromStore(made.account, me.id), made.recovery_code, made.client_key_sealed};
}

Status changePassphrase(Services& s, const std::string& current, const std::string& fresh,
                        const std::string& strength) {
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(strength));
  RECOURSE_RETURN_IF_ERROR(checkNewPassphrase(fresh, "new_passphrase"));
  return s.store.changePassphrase(current, fresh, params);
}

StatusOr<std::string> recoverAccount(const std::string& data_dir, const std::string& user,
                                     const std::string& code, const std::string& fresh,
                                     const std::string& strength, const core::Clock& clock) {
  RECOURSE_ASSIGN_OR_RETURN(auto params, store::kdfParamsNamed(strength));
  RECOURSE_RETURN_IF_ERROR(checkNewPassphrase(fresh, "new_passphrase"));
  if (user.empty()) return core::invalidArgument("say whose account").withField("user");
  RECOURSE_ASSIGN_OR_RETURN(bool exists, vaultExists(data_dir, clock));
  if (!exists) {
    return core::failedPrecondition("there is no vault in " + data_dir + " yet")
        .withField("data_dir");
  }
  RECOURSE_ASSIGN_OR_RETURN(
      auto st, store::Store::openDataDir(data_dir, store::Store::OpenMode::kExisting, clock));
  st->setVia("cli");
  RECOURSE_RETURN_IF_ERROR(st->unlockWithRecovery(user, code));
  auto fresh_code = st->resetPassphrase(fresh, params);
  st->lock();
  return fresh_code;
}

namespace {
Access fromStore(const store::Store::AccessInfo& a, const std::string& me_id) {
  return Access{
      fromStore(a.account, me_id), a.kind, a.granted_by, a.granted_at, a.reason, a.problem};
}
}  // namespace

StatusOr<std::vector<Access>> accessTo(Services& s, const std::string& client_id) {
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  RECOURSE_ASSIGN_OR_RETURN(auto all, s.store.accessTo(client_id));
  std::vector<Access> out;
  out.reserve(all.size());
  for (const auto& a : all) out.push_back(fromStore(a, me.id));
  return out;
}

StatusOr<Access> grantAccess(Services& s, const std::string& client_id, const std::string& user,
                             const std::string& reason) {
  if (user.empty()) {
    return core::invalidArgument("say whose account to give access to").withField("user");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto me, s.store.me());
  RECOURSE_ASSIGN_OR_RETURN(auto given, s.store.grantAccess(client_id, user, reason));
  return fromStore(given, me.id);
}

Status revokeAccess(Services& s, const std::string& client_id, const std::string& user,
                    const std::string& reason) {
  if (user.empty()) {
    return core::invalidArgument("say whose access to take away").withField("user");
  }
  return s.store.revokeAccess(client_id, user, reason);
}

StatusOr<bool> adminsMayGrant(Services& s) { return s.store.adminsMayGrant(); }

Status setAdminsMayGrant(Services& s, bool allowed) { return s.store.setAdminsMayGrant(allowed); }

StatusOr<History> clientHistory(Services& s, const std::string& client_id) {
  RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.auditEventsOf(client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto accounts, s.store.accounts());
  std::map<std::string, const store::Store::AccountInfo*> by_id;
  for (const auto& a : accounts) by_id[a.id] = &a;
  History h;
  for (const auto& e : events) {
    HistoryEntry out{e.seq, e.at, e.action, plainWhat(e.action), e.entity_id, "", "", e.via};
    auto it = by_id.find(e.user_id);
    if (it != by_id.end()) {
      out.user = it->second->name;
      out.role = it->second->role;
    } else {
      out.user = e.user_id;
    }
    h.entries.push_back(std::move(out));
  }
  h.chain = s.store.verifyAuditChain();
  return h;
}

}  // namespace recourse::service
