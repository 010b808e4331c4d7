#include <Poco/JSON/Array.h>

#include <optional>

#include "cli/command.h"
#include "server/json_codec.h"
#include "service/files.h"
#include "service/people.h"
#include "service/transfer.h"
#include "service/vault.h"

namespace recourse::cli {
namespace {

std::string idArgument(Context& ctx) {
  if (!ctx.args().positionals.empty()) return ctx.args().positionals[0];
  return std::string();
}

class ClientAdd final : public Command {
 public:
  std::string name() const override { return "client add"; }
  std::string summary() const override { return "add a person (the name is all that is needed)"; }
  std::string usage() const override { return "client add --name NAME [--email ...]"; }
  std::vector<OptionSpec> options() const override {
    return {{"name", "NAME", "the name to use in letters and forms (required)", false, "name"},
            {"email", "EMAIL", "email address", false, "email"},
            {"phone", "PHONE", "phone number", false, "phone"},
            {"address", "TEXT", "postal address (for letters)", false, "address"},
            {"date-of-birth", "YYYY-MM-DD",
             "date of birth (optional; records offices use it to find the file)", false,
             "date_of_birth"},
            {"notes", "TEXT", "private notes", false, "notes"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    core::Client c;
    c.name = a.get("name");
    c.email = a.get("email");
    c.phone = a.get("phone");
    c.address = a.get("address");
    c.date_of_birth = a.get("date-of-birth");
    c.notes = a.get("notes");
    if (!a.has("name")) return core::invalidArgument("--name: is required");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(auto added, service::addClient(session->services(), c));
    if (a.json) {
      ctx.printJson(server::clientToJson(added));
    } else {
      ctx.out() << "Added " << added.name << " (id " << added.id << ").\n";
    }
    return core::Status::ok();
  }
};

class ClientList final : public Command {
 public:
  std::string name() const override { return "client list"; }
  std::string summary() const override { return "list everyone in the vault"; }
  core::Status run(Context& ctx) override {
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    std::vector<std::string> damaged;
    auto clients = service::listClients(session->services(), &damaged);
    if (!clients.isOk()) return clients.status();
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& c : *clients) arr->add(server::clientToJson(c));
      ctx.printJson(arr);
      return damagedLeftOut(damaged);
    }
    if (clients->empty() && damaged.empty()) {
      ctx.out() << "No one yet. Add a person with: recourse client add --name NAME\n";
      return core::Status::ok();
    }
    ctx.out() << pad("ID", 15) << pad("NAME", 32) << "ADDED\n";
    for (const auto& c : *clients) {
      ctx.out() << pad(c.id, 15) << pad(truncateForDisplay(c.name, 30), 32)
                << core::formatTimestamp(c.created_at).substr(0, 10) << "\n";
    }
    return damagedLeftOut(damaged);
  }
};

class ClientShow final : public Command {
 public:
  std::string name() const override { return "client show"; }
  std::string summary() const override { return "show one person and their cases"; }
  std::string usage() const override { return "client show ID"; }
  size_t maxPositionals() const override { return 1; }
  core::Status run(Context& ctx) override {
    std::string id = idArgument(ctx);
    if (id.empty()) return core::invalidArgument("ID: name the client to show (client show ID)");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto shown = service::showClient(session->services(), id);
    if (!shown.isOk()) {
      return shown.status().field() == "client_id" ? shown.status().withField("ID")
                                                   : shown.status();
    }
    const core::Client* client = &shown->client;
    const std::vector<core::Case>* cases = &shown->cases;
    if (ctx.args().json) {
      auto o = server::clientToJson(*client);
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& c : *cases) arr->add(server::caseToJson(c));
      o->set("cases", arr);
      ctx.printJson(o);
      return core::Status::ok();
    }
    auto& out = ctx.out();
    out << client->name << "  (" << client->id << ")\n";
    if (!client->email.empty()) out << "  email:   " << client->email << "\n";
    if (!client->phone.empty()) out << "  phone:   " << client->phone << "\n";
    if (!client->address.empty()) out << "  address: " << client->address << "\n";
    if (!client->date_of_birth.empty()) out << "  born:    " << client->date_of_birth << "\n";
    if (!client->notes.empty()) out << "  notes:   " << client->notes << "\n";
    out << "  added:   " << core::formatTimestamp(client->created_at) << "\n";
    out << "Cases: " << cases->size() << "\n";
    for (const auto& c : *cases) {
      out << "  " << c.id << "  " << c.provider.name;
      if (!c.provider.license_type.empty()) out << ", " << c.provider.license_type;
      if (!c.provider.jurisdiction.empty()) out << " (" << c.provider.jurisdiction << ")";
      out << "\n";
    }
    return core::Status::ok();
  }
};

std::string holdings(const service::DeletionScope& d) {
  return countsPhrase(d.cases, d.incidents, d.evidence, d.requests);
}

class ClientEdit final : public Command {
 public:
  std::string name() const override { return "client edit"; }
  std::string summary() const override {
    return "correct a person's details (only what you give changes; \"\" empties a field)";
  }
  std::string usage() const override {
    return "client edit ID [--name NAME] [--email EMAIL] [--phone PHONE] [--address TEXT] "
           "[--date-of-birth YYYY-MM-DD] [--notes TEXT]";
  }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    return {
        {"name", "NAME", "the name to use in letters and forms (cannot be emptied)", false, "name"},
        {"email", "EMAIL", "email address", false, "email"},
        {"phone", "PHONE", "phone number", false, "phone"},
        {"address", "TEXT", "postal address (for letters)", false, "address"},
        {"date-of-birth", "YYYY-MM-DD", "date of birth (helps a records office find the file)",
         false, "date_of_birth"},
        {"notes", "TEXT", "private notes", false, "notes"}};
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    std::string id = idArgument(ctx);
    if (id.empty()) return core::invalidArgument("ID: name the client to change (client edit ID)");
    service::ClientEdit edit;
    edit.client_id = id;
    auto given = [&](const std::string& option) -> std::optional<std::string> {
      if (!a.has(option)) return std::nullopt;
      return a.get(option);
    };
    edit.name = given("name");
    edit.email = given("email");
    edit.phone = given("phone");
    edit.address = given("address");
    edit.notes = given("notes");
    edit.date_of_birth = given("date-of-birth");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    auto saved = service::editClient(session->services(), edit);
    if (!saved.isOk()) {
      return saved.status().field() == "client_id" ? saved.status().withField("ID")
                                                   : saved.status();
    }
    if (a.json) {
      ctx.printJson(server::clientToJson(*saved));
    } else {
      ctx.out() << "Saved the changes to " << saved->name << " (id " << saved->id << ").\n";
    }
    return core::Status::ok();
  }
};

class ClientDelete final : public Command {
 public:
  std::string name() const override { return "client delete"; }
  std::string summary() const override {
    return "delete a person and everything of theirs (asks first)";
  }
  std::string usage() const override { return "client delete ID [--yes]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override { return {yesOption()}; }
  core::Status run(Context& ctx) override {
    std::string id = idArgument(ctx);
    if (id.empty())
      return core::invalidArgument("ID: name the client to delete (client delete ID)");
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    service::Services& services = session->services();
    auto scope = service::clientDeletionScope(services, id);
    if (!scope.isOk()) {
      return scope.status().field() == "client_id" ? scope.status().withField("ID")
                                                   : scope.status();
    }
    const std::string held = holdings(*scope);
    RECOURSE_ASSIGN_OR_RETURN(
        bool go, confirmDeletion(ctx, "Delete client " + scope->name +
                                          (held.empty() ? "" : " and their " + held) + "?"));
    if (!go) return core::Status::ok();
    RECOURSE_ASSIGN_OR_RETURN(auto removed, service::deleteClient(services, id));
    const std::string gone = holdings(removed);
    ctx.out() << "Deleted " << removed.name << (gone.empty() ? "" : " and their " + gone)
              << ". The audit log keeps only the fact that a client was deleted (an id, no "
                 "names).\n";
    return core::Status::ok();
  }
};

class ClientHandover final : public Command {
 public:
  std::string name() const override { return "client handover"; }
  std::string summary() const override {
    return "give a person their own vault: their records in one encrypted file that opens "
           "with the passphrase they choose";
  }
  std::string usage() const override { return "client handover ID --out FILE [--name NAME]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    std::vector<OptionSpec> v = {
        {"out", "FILE", "the file to write (must not exist)"},
        {"name", "NAME", "their account's name in their vault (default owner)"}};
    for (auto& o : newPassphraseOptions("their")) v.push_back(std::move(o));
    return v;
  }
  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    service::HandOverClient in;
    in.client_id = idArgument(ctx);
    if (in.client_id.empty()) {
      return core::invalidArgument(
          "ID: name the client whose records they take (client "
          "handover ID --out FILE)");
    }
    if (!a.has("out")) return core::invalidArgument("--out: is required (a file path)");
    in.out_path = a.get("out");
    in.user = a.get("name");
    if (a.has("kdf")) in.strength = a.get("kdf");
    RECOURSE_RETURN_IF_ERROR(service::checkKdfStrength(in.strength));
    RECOURSE_RETURN_IF_ERROR(service::requireNewFile(in.out_path, "--out"));
    RECOURSE_ASSIGN_OR_RETURN(auto session, ctx.openSession());
    RECOURSE_ASSIGN_OR_RETURN(in.passphrase,
                              ctx.newPassphrase("Passphrase for their vault (they choose it): "));
    auto done = service::handOverClient(session->services(), in);
    if (!done.isOk()) {
      const core::Status& st = done.status();
      if (st.field() == "client_id") return st.withField("ID");
      if (st.field() == "out_path") return st.withField("--out");
      if (st.field() == "user") return st.withField("--name");
      return st;
    }
    auto count = [&](const char* table) {
      auto it = done->rows.find(table);
      return it == done->rows.end() ? 0LL : it->second;
    };
    if (a.json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
      o->set("out", in.out_path);
      o->set("bytes", static_cast<Poco::Int64>(done->bytes));
      Poco::JSON::Object::Ptr rows = new Poco::JSON::Object;
      for (const auto& [table, n] : done->rows) rows->set(table, static_cast<Poco::Int64>(n));
      o->set("rows", rows);
      o->set("evidence_files", static_cast<Poco::Int64>(done->evidence_files));
      ctx.printJson(o);
      return core::Status::ok();
    }
    ctx.out() << "Wrote " << in.out_path << ": their own vault, with " << count("cases")
              << " case(s), " << count("incidents") << " incident(s), " << count("records_requests")
              << " records request(s), " << count("complaints") << " complaint(s) and "
              << done->evidence_files << " evidence file(s).\n"
              << "It is sealed under a new key that only their passphrase opens. On their own "
                 "computer: recourse import "
              << in.out_path
              << " (or, in the browser, \"Restore the backup\" on its first page), with that "
                 "passphrase. The first time they sign "
                 "in, Recourse shows them their recovery code.\n"
              << "Their records stay here too. Once they have their copy and ask you to, "
                 "remove them with: recourse client delete "
              << in.client_id << "\n";
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeClientCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<ClientAdd>());
  v.push_back(std::make_unique<ClientList>());
  v.push_back(std::make_unique<ClientShow>());
  v.push_back(std::make_unique<ClientEdit>());
  v.push_back(std::make_unique<ClientDelete>());
  v.push_back(std::make_unique<ClientHandover>());
  return v;
}

}  // namespace recourse::cli
