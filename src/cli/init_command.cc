#include <filesystem>

#include "cli/command.h"
#include "server/json_codec.h"
#include "store/crypto.h"
#include "store/data_dir.h"

namespace recourse::cli {
namespace {

constexpr size_t kMinPassphrase = 8;

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
    auto params = store::kdfParamsNamed(kdf_name);
    if (!params.isOk()) return params.status().withField("--kdf");
    auto dir = ctx.dataDir();
    if (!dir.isOk()) return dir.status();
    const std::string path = store::databasePath(*dir);
    if (std::filesystem::exists(path)) {
      auto existing =
          store::Store::openFile(path, store::Store::OpenMode::kExisting, ctx.env().clock);
      if (!existing.isOk()) return existing.status();
      if ((*existing)->hasVault()) {
        return core::conflict("a vault already exists in " + *dir + "; nothing was changed");
      }
    }
    auto pass = ctx.passphrase(/*confirm=*/true);
    if (!pass.isOk()) return pass.status();
    if (pass->size() < kMinPassphrase) {
      return core::invalidArgument("passphrase: use at least 8 characters");
    }
    RECOURSE_RETURN_IF_ERROR(store::ensureDataDir(*dir));
    auto st = store::Store::openFile(path, store::Store::OpenMode::kCreate, ctx.env().clock);
    if (!st.isOk()) return st.status();
    RECOURSE_RETURN_IF_ERROR((*st)->createVault(*pass, *params));
    if (ctx.args().json) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("data_dir", *dir);
      o->set("kdf", kdf_name);
      ctx.printJson(o);
    } else {
      ctx.out() << "Created a new encrypted vault in " << *dir << ".\n"
                << "Keep your passphrase safe: without it this data cannot be opened.\n";
    }
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeInitCommand() { return std::make_unique<InitCommand>(); }

}  // namespace recourse::cli
