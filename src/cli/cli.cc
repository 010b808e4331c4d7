#include "cli/cli.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <streambuf>

#include "cli/command.h"
#include "core/status_map.h"
#include "jurisdiction/json_reader.h"
#include "service/accounts.h"

namespace recourse::cli {

using core::Status;
using core::StatusOr;

namespace {

constexpr char kVersion[] = "0.1.0";

size_t displayWidth(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void printTopHelp(std::ostream& os, const std::vector<std::unique_ptr<Command>>& cmds) {
  os << "Recourse — document what happened in therapy, request your records, and prepare a\n"
        "licensing-board complaint. Everything stays on this computer, encrypted.\n\n"
        "Usage: recourse [--data-dir DIR] [--json] COMMAND [options]\n\nCommands:\n";
  size_t width = 0;
  for (const auto& c : cmds) width = std::max(width, c->name().size());
  for (const auto& c : cmds) os << "  " << pad(c->name(), width + 2) << c->summary() << "\n";
  os << "\nGlobal options (before or after the command):\n"
        "  --data-dir DIR          where the encrypted data lives (default: "
        "~/.local/share/recourse)\n"
        "  --passphrase-file FILE  read the vault passphrase from the first line of FILE\n"
        "  --user NAME             whose account opens the vault (default: its only one)\n"
        "  --database URL          keep the records in an organization's PostgreSQL database\n"
        "                          (postgresql://user@host:port/db), remembered in the data\n"
        "                          directory; --database local goes back to its own file\n"
        "  --jurisdictions-dir DIR the jurisdiction data files (default: the built-in set)\n"
        "  --forms-dir DIR         the form definition files (default: the built-in set)\n"
        "  --json                  print results as JSON\n"
        "  --help                  help for any command, e.g. recourse client add --help\n"
        "  --version               print the version\n\n"
        "The passphrase is also read from RECOURSE_PASSPHRASE, or asked for at the terminal;\n"
        "the account's name from RECOURSE_USER.\n"
        "Exit codes: 0 ok, 2 bad usage or input, 1 any other failure.\n";
}

void printCommandHelp(std::ostream& os, const Command& c) {
  os << "Usage: recourse " << c.usage() << "\n\n" << c.summary() << "\n";
  auto specs = c.options();
  if (!specs.empty()) {
    os << "\nOptions:\n";
    for (const auto& s : specs) {
      std::string left = "--" + s.name + (s.value_name.empty() ? "" : " " + s.value_name);
      os << "  " << pad(left, 28) << s.help << (s.repeatable ? " (repeatable)" : "") << "\n";
    }
  }
  os << "\nGlobal options: --data-dir DIR, --passphrase-file FILE, --json, --help\n";
}

void printGroupHelp(std::ostream& os, const std::string& group,
                    const std::vector<std::unique_ptr<Command>>& cmds) {
  os << "Usage: recourse " << group << " SUBCOMMAND [options]\n\nSubcommands:\n";
  for (const auto& c : cmds) {
    if (c->name().rfind(group + " ", 0) == 0) {
      os << "  " << pad(c->name(), 18) << c->summary() << "\n";
    }
  }
}

// Passes text through to a terminal (or a file) with every control character that stored
// text could carry shown visibly in caret notation ("^[" for ESC, "^G" for BEL), so nothing
// a person (or anyone who wrote into their data) typed can move the cursor, change colours
// or rewrite what the terminal shows. Line breaks and tabs pass; a carriage return passes
// only where `allow_cr` (the progress line on stderr redraws itself with one). C1 controls,
// U+0080 to U+009F as UTF-8 (C2 80 to C2 9F), are shown as [U+0080].
class TerminalSafeBuf final : public std::streambuf {
 public:
  TerminalSafeBuf(std::streambuf* to, bool allow_cr) : to_(to), allow_cr_(allow_cr) {}
  ~TerminalSafeBuf() override { flushPending(); }
  TerminalSafeBuf(const TerminalSafeBuf&) = delete;
  TerminalSafeBuf& operator=(const TerminalSafeBuf&) = delete;

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    put(static_cast<unsigned char>(traits_type::to_char_type(ch)));
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) put(static_cast<unsigned char>(s[i]));
    return n;
  }
  int sync() override {
    flushPending();
    return to_->pubsync();
  }

 private:
  void raw(const char* s) {
    to_->sputn(s, static_cast<std::streamsize>(std::char_traits<char>::length(s)));
  }
  void flushPending() {
    if (pending_c2_) to_->sputc(static_cast<char>(0xC2));
    pending_c2_ = false;
  }
  void put(unsigned char c) {
    if (pending_c2_) {
      pending_c2_ = false;
      if (c >= 0x80 && c <= 0x9F) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "[U+%04X]", static_cast<unsigned>(c));
        raw(buf);
        return;
      }
      to_->sputc(static_cast<char>(0xC2));
    }
    if (c == 0xC2) {
      pending_c2_ = true;
      return;
    }
    const bool control = c < 0x20 || c == 0x7F;
    if (!control || c == '\n' || c == '\t' || (c == '\r' && allow_cr_)) {
      to_->sputc(static_cast<char>(c));
      return;
    }
    const char caret[3] = {'^', static_cast<char>(c == 0x7F ? '?' : c + 0x40), '\0'};
    raw(caret);
  }

  std::streambuf* to_;
  bool allow_cr_;
  bool pending_c2_ = false;
};

}  // namespace

std::string pad(const std::string& text, size_t width) {
  size_t w = displayWidth(text);
  return w >= width ? text + " " : text + std::string(width - w, ' ');
}

std::string plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string truncateForDisplay(const std::string& text, size_t width) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  if (displayWidth(flat) <= width) return flat;
  size_t count = 0;
  size_t i = 0;
  for (; i < flat.size(); ++i) {
    if ((flat[i] & 0xC0) != 0x80 && ++count > width - 1) break;
  }
  return flat.substr(0, i) + "…";
}

Status toOptionError(const Status& status, const std::vector<OptionSpec>& specs) {
  if (status.field().empty() || status.field().rfind("--", 0) == 0) return status;
  for (const auto& s : specs) {
    if ((!s.field.empty() && s.field == status.field()) || s.name == status.field()) {
      return status.withField("--" + s.name);
    }
  }
  return status;
}

StatusOr<std::string> Context::dataDir() {
  if (args_.data_dir) return *args_.data_dir;
  return service::defaultDataDir(env_.vars);
}

std::string Context::jurisdictionsDir() const {
  if (args_.jurisdictions_dir) return *args_.jurisdictions_dir;
  auto it = env_.vars.find("RECOURSE_JURISDICTIONS_DIR");
  if (it != env_.vars.end() && !it->second.empty()) return it->second;
  return std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions";
}

std::string Context::formsDir() const {
  if (args_.forms_dir) return *args_.forms_dir;
  auto it = env_.vars.find("RECOURSE_FORMS_DIR");
  if (it != env_.vars.end() && !it->second.empty()) return it->second;
  return std::string(RECOURSE_SOURCE_DIR) + "/forms";
}

StatusOr<std::string> Context::firstLineOf(const std::string& option, const std::string& file) {
  std::ifstream f(file);
  if (!f) return core::invalidArgument("--" + option + ": cannot read " + file);
  std::string line;
  std::getline(f, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return core::invalidArgument("--" + option + ": the first line of " + file + " is empty");
  }
  return line;
}

StatusOr<std::string> Context::passphrase(bool confirm) {
  if (args_.passphrase_file) return firstLineOf("passphrase-file", *args_.passphrase_file);
  auto it = env_.vars.find("RECOURSE_PASSPHRASE");
  if (it != env_.vars.end() && !it->second.empty()) return it->second;
  if (!env_.read_secret) {
    return core::invalidArgument(
        "passphrase: none given; use --passphrase-file FILE, set RECOURSE_PASSPHRASE, or run "
        "in a terminal to be asked");
  }
  auto first = env_.read_secret("Vault passphrase: ");
  if (!first.isOk()) return first.status();
  if (first->empty()) return core::invalidArgument("passphrase: must not be empty");
  if (confirm) {
    auto second = env_.read_secret("The same passphrase again: ");
    if (!second.isOk()) return second.status();
    if (*second != *first) {
      return core::invalidArgument("passphrase: the two entries differ; nothing was created");
    }
  }
  return first;
}

std::string Context::user() const {
  if (args_.user) return *args_.user;
  auto it = env_.vars.find("RECOURSE_USER");
  return it == env_.vars.end() ? std::string() : it->second;
}

StatusOr<std::string> Context::newPassphrase(const std::string& prompt) {
  if (args_.has("new-passphrase-file")) {
    return firstLineOf("new-passphrase-file", args_.get("new-passphrase-file"));
  }
  auto it = env_.vars.find("RECOURSE_NEW_PASSPHRASE");
  if (it != env_.vars.end() && !it->second.empty()) return it->second;
  if (!env_.read_secret) {
    return core::invalidArgument(
        "new passphrase: none given; use --new-passphrase-file FILE, set "
        "RECOURSE_NEW_PASSPHRASE, or run in a terminal to be asked");
  }
  auto first = env_.read_secret(prompt);
  if (!first.isOk()) return first.status();
  if (first->empty()) return core::invalidArgument("new passphrase: must not be empty");
  auto second = env_.read_secret("The same passphrase again: ");
  if (!second.isOk()) return second.status();
  if (*second != *first) {
    return core::invalidArgument("new passphrase: the two entries differ; nothing was changed");
  }
  return first;
}

std::shared_ptr<const service::Catalog> Context::catalog() {
  if (!catalog_) catalog_ = service::Catalog::load({jurisdictionsDir(), formsDir()});
  return catalog_;
}

StatusOr<std::unique_ptr<service::VaultSession>> Context::openSession() {
  RECOURSE_ASSIGN_OR_RETURN(std::string dir, dataDir());
  auto session = service::openVault(catalog(), env_.clock,
                                    {dir, user(), "cli", [this] { return passphrase(false); }});
  if (!session.isOk() && session.status().field() == "data_dir" &&
      session.status().code() == core::StatusCode::kFailedPrecondition) {
    return core::failedPrecondition(session.status().message() +
                                    "; create one with: recourse init --data-dir " + dir);
  }
  if (session.isOk()) {
    if (auto code = (*session)->takeRecoveryCode()) {
      // On the error stream: what the command prints stays as it always is.
      // A vault made before accounts was upgraded, or this is the first sign-in to an
      // account someone else made: either way the code is new, and only its holder sees it.
      auto me = service::currentAccount((*session)->services());
      const std::string name = me.isOk() ? me->name : user().empty() ? "owner" : user();
      env_.err << "Your account (\"" << name
               << "\") has a new recovery code. It is shown this once; write it down and keep "
                  "it apart from this computer:\n\n    "
               << *code << "\n\n";
    }
  }
  return session;
}

StatusOr<Poco::JSON::Object::Ptr> Context::readJsonOption(const std::string& name) {
  const std::string file = args_.get(name);
  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(env_.in), {});
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return core::invalidArgument("--" + name + ": cannot read " + file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::vector<jurisdiction::Problem> problems;
  auto obj = jurisdiction::parseJsonObject(text, file, &problems);
  if (!obj) return core::invalidArgument("--" + name + ": " + problems.front().message);
  return obj;
}

void Context::printJson(const Poco::Dynamic::Var& value) {
  std::ostringstream os;
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    value.extract<Poco::JSON::Object::Ptr>()->stringify(os, 2);
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    value.extract<Poco::JSON::Array::Ptr>()->stringify(os, 2);
  } else {
    Poco::JSON::Stringifier::stringify(value, os, 2);
  }
  env_.out << os.str() << "\n";
}

std::vector<std::unique_ptr<Command>> allCommands() {
  std::vector<std::unique_ptr<Command>> all;
  all.push_back(makeInitCommand());
  all.push_back(makeServeCommand());
  all.push_back(makeLetterCommand());
  for (auto* group :
       {&makeClientCommands, &makeCaseCommands, &makeIncidentCommands, &makeEvidenceCommands,
        &makeComplaintCommands, &makeRequestCommands, &makeJurisdictionCommands, &makeFormCommands,
        &makeVaultCommands, &makeUserCommands}) {
    for (auto& c : (*group)()) all.push_back(std::move(c));
  }
  return all;
}

namespace {
int runSafe(const std::vector<std::string>& args, CliEnv& env);
}  // namespace

int runCli(const std::vector<std::string>& args, CliEnv& env) {
  TerminalSafeBuf out_buf(env.out.rdbuf(), /*allow_cr=*/false);
  TerminalSafeBuf err_buf(env.err.rdbuf(), /*allow_cr=*/true);
  std::ostream out(&out_buf);
  std::ostream err(&err_buf);
  CliEnv safe{env.in, out, err, env.vars, env.clock, env.read_secret};
  safe.progress = env.progress;
  safe.interactive = env.interactive;
  const int code = runSafe(args, safe);
  out.flush();
  err.flush();
  return code;
}

namespace {
int runSafe(const std::vector<std::string>& args, CliEnv& env) {
  auto fail = [&](const Status& s) {
    env.err << "recourse: " << s.text() << "\n";
    return core::exitCodeFor(s);
  };
  auto scan = scanGlobals(args);
  if (!scan.isOk()) return fail(scan.status());
  auto commands = allCommands();
  if (scan->globals.version) {
    env.out << "recourse " << kVersion << "\n";
    return core::kExitOk;
  }
  std::vector<std::string> words = leadingWords(scan->rest);
  if (words.empty()) {
    printTopHelp(scan->globals.help ? env.out : env.err, commands);
    return scan->globals.help ? core::kExitOk : core::kExitUsage;
  }
  // The longest command name that the leading words spell.
  Command* cmd = nullptr;
  size_t used = 0;
  for (const auto& c : commands) {
    std::istringstream name(c->name());
    std::vector<std::string> parts{std::istream_iterator<std::string>(name), {}};
    if (parts.size() <= words.size() && std::equal(parts.begin(), parts.end(), words.begin()) &&
        parts.size() > used) {
      cmd = c.get();
      used = parts.size();
    }
  }
  if (cmd == nullptr) {
    bool is_group = std::any_of(commands.begin(), commands.end(), [&](const auto& c) {
      return c->name().rfind(words[0] + " ", 0) == 0;
    });
    if (is_group) {
      printGroupHelp(scan->globals.help ? env.out : env.err, words[0], commands);
      if (scan->globals.help) return core::kExitOk;
      if (words.size() > 1) {
        return fail(core::invalidArgument("'" + words[0] + " " + words[1].substr(0, 30) +
                                          "' is not a command"));
      }
      return core::kExitUsage;
    }
    return fail(core::invalidArgument("'" + words[0].substr(0, 30) +
                                      "' is not a command (see: recourse --help)"));
  }
  auto specs = cmd->options();
  if (scan->globals.help) {
    printCommandHelp(env.out, *cmd);
    if (auto parsed = parseCommandArgs(*scan, used, specs, cmd->name()); parsed.isOk()) {
      Context ctx(env, std::move(parsed).value());
      env.out << cmd->moreHelp(ctx);
    }
    return core::kExitOk;
  }
  auto parsed = parseCommandArgs(*scan, used, specs, cmd->name());
  if (!parsed.isOk()) return fail(parsed.status());
  if (parsed->positionals.size() > cmd->maxPositionals()) {
    return fail(
        core::invalidArgument("'" + parsed->positionals[cmd->maxPositionals()].substr(0, 40) +
                              "': unexpected argument (usage: recourse " + cmd->usage() + ")"));
  }
  Context ctx(env, std::move(parsed).value());
  if (ctx.args().database) {
    // Remembered in the data directory: later commands need not say it again.
    auto dir = ctx.dataDir();
    if (!dir.isOk()) return fail(dir.status());
    Status pointed = service::useDatabase(*dir, *ctx.args().database, env.clock);
    if (!pointed.isOk()) {
      return fail(pointed.field() == "database" ? pointed.withField("--database") : pointed);
    }
  }
  Status s;
  // No exception leaves runCli: a library that throws where it should not is reported as a
  // failure (exit 1) with what it said, never a crash with work half done.
  try {
    s = toOptionError(cmd->run(ctx), specs);
  } catch (const std::exception& e) {
    s = core::internalError(std::string("unexpected error: ") + e.what());
  }
  if (!s.isOk()) return fail(s);
  return core::kExitOk;
}

}  // namespace

}  // namespace recourse::cli
