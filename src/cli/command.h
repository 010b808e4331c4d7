// One class per subcommand. A command declares its name, summary and options; run() gets
// the parsed arguments and a Context with the environment and helpers shared by commands.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/status.h"
#include "service/services.h"
#include "service/vault.h"

namespace recourse::cli {

class Context {
 public:
  Context(CliEnv& env, ParsedArgs args) : env_(env), args_(std::move(args)) {}

  CliEnv& env() { return env_; }
  const ParsedArgs& args() const { return args_; }
  std::ostream& out() { return env_.out; }

  // The data directory: --data-dir, else the per-user default.
  core::StatusOr<std::string> dataDir();
  // The passphrase: --passphrase-file, else RECOURSE_PASSPHRASE, else a terminal prompt.
  // `confirm` asks twice at a prompt (for a new vault).
  core::StatusOr<std::string> passphrase(bool confirm);
  // The first line of `file` (a trailing CR dropped), for option --`option`: a passphrase
  // or a recovery code kept in a file. InvalidArgument naming the option when the file
  // cannot be read or its first line is empty.
  static core::StatusOr<std::string> firstLineOf(const std::string& option,
                                                 const std::string& file);
  // Whose account opens the vault: --user, else RECOURSE_USER, else "" (the only one).
  std::string user() const;
  // A new passphrase (for an account being made, or changed): --new-passphrase-file FILE
  // (a command's own option), else RECOURSE_NEW_PASSPHRASE, else asked twice at the
  // terminal with `prompt`.
  core::StatusOr<std::string> newPassphrase(const std::string& prompt);
  // Where the jurisdiction and form files are: --jurisdictions-dir / --forms-dir, else
  // RECOURSE_JURISDICTIONS_DIR / RECOURSE_FORMS_DIR, else the folders of the source tree
  // this binary was built from.
  std::string jurisdictionsDir() const;
  std::string formsDir() const;
  // The law, forms and fonts, loaded on first use and then kept for the whole command.
  std::shared_ptr<const service::Catalog> catalog();
  // Opens the vault (service::openVault) with the catalog, the clock and the passphrase
  // from the usual places; says how to create a vault when there is none.
  core::StatusOr<std::unique_ptr<service::VaultSession>> openSession();

  // Reads the JSON object named by option `--NAME FILE` ("-" for standard input). On
  // failure InvalidArgument naming the option.
  core::StatusOr<Poco::JSON::Object::Ptr> readJsonOption(const std::string& name);

  // Writes a JSON value followed by a newline.
  void printJson(const Poco::Dynamic::Var& value);

 private:
  CliEnv& env_;
  ParsedArgs args_;
  std::shared_ptr<const service::Catalog> catalog_;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string name() const = 0;     // "client add"
  virtual std::string summary() const = 0;  // one line for the command list
  virtual std::string usage() const { return name() + " [options]"; }
  virtual std::vector<OptionSpec> options() const { return {}; }
  // Positional arguments the command accepts (for its help and for the parser's check).
  virtual size_t maxPositionals() const { return 0; }
  // More for --help after the options, from the data files (e.g. the kinds of harm).
  virtual std::string moreHelp(Context& /*ctx*/) const { return ""; }
  virtual core::Status run(Context& ctx) = 0;
};

// Every command, in the order `recourse --help` lists them.
std::vector<std::unique_ptr<Command>> allCommands();

// Factories, one per file.
std::unique_ptr<Command> makeInitCommand();
std::vector<std::unique_ptr<Command>> makeUserCommands();
std::unique_ptr<Command> makeServeCommand();
std::unique_ptr<Command> makeLetterCommand();
std::unique_ptr<Command> makeRequestLetterCommand();
std::unique_ptr<Command> makeDeadlinesCommand();
std::unique_ptr<Command> makeCaseloadCommand();
std::unique_ptr<Command> makeRequestBatchCommand();
std::unique_ptr<Command> makeTimelineCommand();
std::unique_ptr<Command> makeRequestFollowupsCommand();
std::vector<std::unique_ptr<Command>> makeClientCommands();
std::vector<std::unique_ptr<Command>> makeCaseCommands();
std::vector<std::unique_ptr<Command>> makeIncidentCommands();
std::vector<std::unique_ptr<Command>> makeVaultCommands();         // export, import, audit
std::vector<std::unique_ptr<Command>> makeRequestCommands();       // request add|send|event|...
std::vector<std::unique_ptr<Command>> makeFormCommands();          // forms list|show|check|validate
std::vector<std::unique_ptr<Command>> makeEvidenceCommands();      // evidence add|list|...
std::vector<std::unique_ptr<Command>> makeComplaintCommands();     // complaint review|packet
std::vector<std::unique_ptr<Command>> makeJurisdictionCommands();  // jurisdictions, boards,
                                                                   // deadline

// Rewrites a validation message "field: ..." to name the option that sets the field.
core::Status toOptionError(const core::Status& status, const std::vector<OptionSpec>& specs);

// Asks before something is deleted for good. With --yes (the command must declare
// yesOption()): true at once. On a terminal: prints `question` followed by "This cannot be
// undone. Type yes to delete: " and reads a line; true when it is "yes" (else says that
// nothing was deleted and returns false). With no terminal and no --yes: InvalidArgument
// about --yes, and nothing is deleted.
core::StatusOr<bool> confirmDeletion(Context& ctx, const std::string& question);
OptionSpec yesOption();
// --new-passphrase-file and --kdf, for a command that sets a passphrase read with
// Context::newPassphrase; `whose` says whose it is in the help ("their", "the new").
std::vector<OptionSpec> newPassphraseOptions(const std::string& whose);
// "2 cases, 5 incidents, 3 evidence files and 1 records request" (parts with 0 left out);
// "" when all are 0.
std::string countsPhrase(size_t cases, size_t incidents, size_t evidence, size_t requests);

// Pads text to a display width (counting UTF-8 code points) for simple tables.
std::string pad(const std::string& text, size_t width);
std::string truncateForDisplay(const std::string& text, size_t width);
// "1 letter", "3 letters".
std::string plural(size_t n, const std::string& one, const std::string& many);

// After a listing that went on past damaged records: OK when nothing was damaged; else a
// Corruption naming each one left out (so the command exits 1 with everything else shown).
inline core::Status damagedLeftOut(const std::vector<std::string>& damaged) {
  if (damaged.empty()) return core::Status::ok();
  std::string names;
  for (const auto& d : damaged) names += (names.empty() ? "" : "; ") + d;
  return core::corruption("could not be read, so left out of what is shown: " + names +
                          " (they were changed outside Recourse; everything else is listed)");
}

}  // namespace recourse::cli
