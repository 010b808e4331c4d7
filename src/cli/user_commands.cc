// Accounts and access: `user add|list|passwd|recover`, `grant`, `revoke`, `access`.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <optional>

#include "cli/command.h"
#include "server/json_codec.h"
#include "service/accounts.h"

namespace recourse::cli {
namespace {

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

class UserAdd final : public Command {
 public:
  std::string name() const override { return "user add"; }
  std::string summary() const override {
    return "make an account for someone who will use this vault (administrators only)";
  }
  std::string usage() const override { return "user add NAME --role ROLE [--client ID]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    std::vector<OptionSpec> v = {
        {"role", "ROLE", "client (the person themself), advocate, staff or admin (required)", false,
         "role"},
        {"client", "ID", "for a client's own account: which client they are", false, "client_id"}};
    for (auto& o : newPassphraseOptions("their")) v.push_back(std::move(o));
    return v;
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (a.positionals.empty()) return core::invalidArgument("NAME: say what the account is called");
    if (!a.has("role")) {
      return core::invalidArgument("--role: is required (client, advocate, staff or admin)");
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::NewAccountIn in;
    in.name = a.positionals[0];
    in.role = a.get("role");
    in.client_id = a.get("client");
    if (a.has("kdf")) in.strength = a.get("kdf");
    RECOURSE_ASSIGN_OR_RETURN(in.passphrase,
                              ctx.newPassphrase("Passphrase for " + in.name + "'s account: "));
    RECOURSE_ASSIGN_OR_RETURN(auto made, service::addAccount(session->services(), in));
    if (a.json) {
      auto o = server::accountToJson(made.account);
      o->set("client_key_sealed", made.client_key_sealed);
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << "Made the account " << made.account.name << " (" << made.account.role << ").\n"
              << "Its fingerprint: " << made.account.fingerprint << "\n\n"
              << "Give " << made.account.name
              << " the passphrase you chose, in person. The first time they sign in, Recourse "
                 "shows them their own recovery code (you never see it); they can change the "
                 "passphrase then with: recourse user passwd\n";
    if (!in.client_id.empty()) {
      ctx.out() << (made.client_key_sealed
                        ? "They can open their own records (client " + in.client_id + ").\n"
                        : "They cannot open their records yet: whoever keeps them gives access "
                          "with: recourse grant --client " +
                              in.client_id + " --to " + made.account.name + "\n");
    }
    return core::Status::ok();
  }
};

class UserList final : public Command {
 public:
  std::string name() const override { return "user list"; }
  std::string summary() const override {
    return "the accounts of this vault, with the fingerprints to compare";
  }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto all, service::listAccounts(session->services()));
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& acc : all) arr->add(server::accountToJson(acc));
      ctx.printJson(arr);
      return core::Status::ok();
    }
    size_t width = 4;
    for (const auto& acc : all) width = std::max(width, acc.name.size() + 1);
    ctx.out() << pad("NAME", width) << pad("ROLE", 9) << pad("FINGERPRINT", 40) << "CLIENT\n";
    for (const auto& acc : all) {
      ctx.out() << pad(acc.name, width) << pad(acc.role, 9) << pad(acc.fingerprint, 40)
                << acc.client_id << (acc.me ? "  (you)" : "") << "\n";
    }
    return core::Status::ok();
  }
};

class UserPasswd final : public Command {
 public:
  std::string name() const override { return "user passwd"; }
  std::string summary() const override { return "change your own passphrase"; }
  std::vector<OptionSpec> options() const override { return newPassphraseOptions("the new"); }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(std::string current, ctx.passphrase(false));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(std::string fresh, ctx.newPassphrase("New passphrase: "));
    const std::string kdf = ctx.args().has("kdf") ? ctx.args().get("kdf") : "moderate";
    RECOURSE_RETURN_IF_ERROR(service::changePassphrase(session->services(), current, fresh, kdf));
    RECOURSE_ASSIGN_OR_RETURN(auto me, service::currentAccount(session->services()));
    ctx.out() << "The passphrase of " << me.name
              << " is changed. The old one no longer opens it; the recovery code still does.\n";
    return core::Status::ok();
  }
};

class UserRecover final : public Command {
 public:
  std::string name() const override { return "user recover"; }
  std::string summary() const override {
    return "set a new passphrase with the recovery code, when the passphrase is forgotten";
  }
  std::string usage() const override { return "user recover NAME"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {{"recovery-code-file", "FILE",
             "read the recovery code from FILE (else RECOURSE_RECOVERY_CODE, else asked)"},
            {"new-passphrase-file", "FILE",
             "read the new passphrase from FILE (else RECOURSE_NEW_PASSPHRASE, else asked)"},
            {"kdf", "STRENGTH", "key-derivation cost: interactive, moderate (default), sensitive",
             false, "kdf"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    const std::string user = a.positionals.empty() ? ctx.user() : a.positionals[0];
    if (user.empty()) return core::invalidArgument("NAME: say whose account");
    RECOURSE_ASSIGN_OR_RETURN(std::string dir, ctx.dataDir());
    std::string code;
    if (a.has("recovery-code-file")) {
      RECOURSE_ASSIGN_OR_RETURN(
          code, Context::firstLineOf("recovery-code-file", a.get("recovery-code-file")));
    } else if (auto it = ctx.env().vars.find("RECOURSE_RECOVERY_CODE");
               it != ctx.env().vars.end() && !it->second.empty()) {
      code = it->second;
    } else if (ctx.env().read_secret) {
      RECOURSE_ASSIGN_OR_RETURN(code, ctx.env().read_secret("Recovery code: "));
    } else {
      return core::invalidArgument(
          "recovery code: none given; use --recovery-code-file FILE, set "
          "RECOURSE_RECOVERY_CODE, or run in a terminal to be asked");
    }
    RECOURSE_ASSIGN_OR_RETURN(std::string fresh, ctx.newPassphrase("New passphrase: "));
    const std::string kdf = a.has("kdf") ? a.get("kdf") : "moderate";
    RECOURSE_ASSIGN_OR_RETURN(
        std::string fresh_code,
        service::recoverAccount(dir, user, code, fresh, kdf, ctx.env().clock));
    if (a.json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("user", user);
      o->set("recovery_code", fresh_code);
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << "The new passphrase of " << user << " is set.\n"
              << "The old recovery code no longer works. The new one (shown this once):\n\n    "
              << fresh_code << "\n";
    return core::Status::ok();
  }
};

Poco::JSON::Object::Ptr accessJson(const service::Access& a) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("account", server::accountToJson(a.account));
  o->set("kind", a.kind);
  o->set("granted_by", a.granted_by);
  o->set("granted_at", a.granted_at);
  o->set("reason", a.reason);
  o->set("problem", a.problem);
  return o;
}

class Grant final : public Command {
 public:
  std::string name() const override { return "grant"; }
  std::string summary() const override {
    return "let another account open a client's records (the client, or whoever keeps them)";
  }
  std::string usage() const override { return "grant --client ID --to NAME [--reason TEXT]"; }
  std::vector<OptionSpec> options() const override {
    return {{"client", "ID", "whose records (required)", false, "client_id"},
            {"to", "NAME", "the account to let in (required)", false, "user"},
            {"reason", "TEXT", "why (required of an administrator acting for a client)", false,
             "reason"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("client")) return core::invalidArgument("--client: is required");
    if (!a.has("to")) return core::invalidArgument("--to: is required");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto given, service::grantAccess(session->services(), a.get("client"),
                                                               a.get("to"), a.get("reason")));
    if (a.json) {
      ctx.printJson(accessJson(given));
      return core::Status::ok();
    }
    ctx.out() << given.account.name << " (" << given.account.role
              << ") can now open the records of client " << a.get("client") << ".\n"
              << "Their fingerprint is " << given.account.fingerprint << "\n"
              << "Ask " << given.account.name
              << " to check that `recourse user list` shows them the same one.\n";
    return core::Status::ok();
  }
};

class Revoke final : public Command {
 public:
  std::string name() const override { return "revoke"; }
  std::string summary() const override {
    return "take away an account's access to a client's records (their records get a new key)";
  }
  std::string usage() const override { return "revoke --client ID --from NAME [--reason TEXT]"; }
  std::vector<OptionSpec> options() const override {
    return {{"client", "ID", "whose records (required)", false, "client_id"},
            {"from", "NAME", "the account to take access from (required)", false, "user"},
            {"reason", "TEXT", "why (required of an administrator acting for a client)", false,
             "reason"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("client")) return core::invalidArgument("--client: is required");
    if (!a.has("from")) return core::invalidArgument("--from: is required");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_RETURN_IF_ERROR(service::revokeAccess(session->services(), a.get("client"),
                                                   a.get("from"), a.get("reason")));
    if (a.json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("client_id", a.get("client"));
      o->set("revoked", a.get("from"));
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << a.get("from") << " can no longer open the records of client " << a.get("client")
              << ".\n"
              << "Their records now have a new key, which " << a.get("from")
              << " does not have: nothing written from now on can be opened by them.\n"
              << "What they already saw, or copied while they had access, cannot be taken "
                 "back.\n";
    return core::Status::ok();
  }
};

class AccessList final : public Command {
 public:
  std::string name() const override { return "access"; }
  std::string summary() const override {
    return "who can open a client's records, and who let them";
  }
  std::string usage() const override { return "access --client ID"; }
  std::vector<OptionSpec> options() const override {
    return {{"client", "ID", "whose records (required)", false, "client_id"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    if (!a.has("client")) return core::invalidArgument("--client: is required");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto all, service::accessTo(session->services(), a.get("client")));
    if (a.json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& x : all) arr->add(accessJson(x));
      ctx.printJson(arr);
      return core::Status::ok();
    }
    size_t width = 4;
    for (const auto& x : all) width = std::max(width, x.account.name.size() + 1);
    ctx.out() << pad("NAME", width) << pad("ROLE", 9) << pad("FINGERPRINT", 40)
              << "GIVEN BY, WHEN\n";
    for (const auto& x : all) {
      ctx.out() << pad(x.account.name, width) << pad(x.account.role, 9)
                << pad(x.account.fingerprint, 40) << x.granted_by << ", " << x.granted_at
                << (x.account.me ? "  (you)" : "") << "\n";
      if (!x.reason.empty()) ctx.out() << "    reason: " << x.reason << "\n";
      if (!x.problem.empty()) ctx.out() << "    PROBLEM: " << x.problem << "\n";
    }
    return core::Status::ok();
  }
};

class Policy final : public Command {
 public:
  std::string name() const override { return "policy"; }
  std::string summary() const override {
    return "whether administrators may give and take away access for clients (with a reason)";
  }
  std::string usage() const override { return "policy [--admins-may-grant on|off]"; }
  std::vector<OptionSpec> options() const override {
    return {{"admins-may-grant", "on|off",
             "on: an administrator who can open a client's records may give or take away "
             "access to them, giving a reason each time (administrators only; off by default)"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    std::optional<bool> set;
    if (a.has("admins-may-grant")) {
      const std::string v = a.get("admins-may-grant");
      if (v != "on" && v != "off") return core::invalidArgument("--admins-may-grant: on or off");
      set = v == "on";
    }
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    if (set) {
      RECOURSE_RETURN_IF_ERROR(service::setAdminsMayGrant(session->services(), *set));
    }
    RECOURSE_ASSIGN_OR_RETURN(bool on, service::adminsMayGrant(session->services()));
    if (a.json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("admins_may_grant", on);
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << (on ? "Administrators may give and take away access to a client's records "
                       "(those they can open), giving a reason each time.\n"
                     : "Only a client, or whoever keeps their records, decides who may open "
                       "them.\n");
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeUserCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<UserAdd>());
  v.push_back(std::make_unique<UserList>());
  v.push_back(std::make_unique<UserPasswd>());
  v.push_back(std::make_unique<UserRecover>());
  v.push_back(std::make_unique<Grant>());
  v.push_back(std::make_unique<Revoke>());
  v.push_back(std::make_unique<AccessList>());
  v.push_back(std::make_unique<Policy>());
  return v;
}

}  // namespace recourse::cli
