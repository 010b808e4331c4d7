#include "cli/command.h"
#include "service/vault.h"

namespace recourse::cli {
namespace {

class InitCommand final : public Command {
 public:
  std::string name() const override { return "init"; }
  std::string summary() const override { return "create an encrypted vault in the data directory"; }
  std::vector<OptionSpec> options() const override {
    return {{"kdf", "STRENGTH",
             "key-derivation cost: interactive, moderate (default, ~0.5-1 s) or sensitive"}};
  }

  core::Status run(Context& ctx) override {
    const std::string kdf_name = ctx.args().has("kdf") ? ctx.args().get("kdf") : "moderate";
    RECOURSE_RETURN_IF_ERROR(service::checkKdfStrength(kdf_name));
    RECOURSE_ASSIGN_OR_RETURN(std::string dir, ctx.dataDir());
    // Refused before the passphrase is asked when a vault is already there.
    RECOURSE_ASSIGN_OR_RETURN(bool exists, service::vaultExists(dir, ctx.env().clock));
    if (exists) return core::conflict("a vault already exists in " + dir + "; nothing was changed");
    RECOURSE_ASSIGN_OR_RETURN(std::string pass, ctx.passphrase(/*confirm=*/true));
    RECOURSE_ASSIGN_OR_RETURN(
        std::string code, service::createVault(dir, pass, kdf_name, ctx.env().clock, ctx.user()));
    const std::string user = ctx.user().empty() ? "owner" : ctx.user();
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("data_dir", dir);
      o->set("kdf", kdf_name);
      o->set("user", user);
      o->set("recovery_code", code);
      ctx.printJson(o);
    } else {
      ctx.out() << "Created a new encrypted vault in " << dir << ", with one account, " << user
                << ".\n"
                << "Keep your passphrase safe: without it this data cannot be opened.\n\n"
                << "Your recovery code (shown this once; write it down and keep it apart from "
                   "this computer):\n\n    "
                << code << "\n\n"
                << "If you ever forget your passphrase, it lets you set a new one:\n"
                << "    recourse user recover " << user << "\n";
    }
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeInitCommand() { return std::make_unique<InitCommand>(); }

}  // namespace recourse::cli
