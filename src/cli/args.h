// Command-line parsing: "parse, then act". Each command declares its options; the parser
// turns argv into ParsedArgs or a usage error naming the argument.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace recourse::cli {

struct OptionSpec {
  OptionSpec(std::string name_in, std::string value_name_in, std::string help_in,
             bool repeatable_in = false, std::string field_in = "")
      : name(std::move(name_in)),
        value_name(std::move(value_name_in)),
        help(std::move(help_in)),
        repeatable(repeatable_in),
        field(std::move(field_in)) {}

  std::string name;        // without dashes: "name" for --name
  std::string value_name;  // "TEXT"; empty for a flag
  std::string help;
  bool repeatable = false;
  std::string field;  // the JSON field it sets, for translating validation messages
};

struct ParsedArgs {
  // Global options (accepted before or after the command).
  std::optional<std::string> data_dir;
  std::optional<std::string> database;  // a PostgreSQL URL, or "local"
  std::optional<std::string> passphrase_file;
  std::optional<std::string> user;
  std::optional<std::string> jurisdictions_dir;
  std::optional<std::string> forms_dir;
  bool json = false;
  bool help = false;
  bool version = false;
  // The command ("client add") and what followed it.
  std::vector<std::string> words;                           // all non-option words in order
  std::map<std::string, std::vector<std::string>> options;  // name -> values ("" for flags)
  std::vector<std::string> positionals;                     // words after the command words

  bool has(const std::string& name) const { return options.count(name) > 0; }
  std::string get(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() || it->second.empty() ? std::string() : it->second.back();
  }
  std::vector<std::string> all(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>() : it->second;
  }
};

// First pass: global options and the non-option words, so the command can be found.
// Options that are not global are kept unparsed in `rest` (with their position).
struct Scan {
  ParsedArgs globals;
  std::vector<std::string> rest;  // everything that is not a global option
};
core::StatusOr<Scan> scanGlobals(const std::vector<std::string>& args);

// Second pass, once the command is known: its options and positionals. `command_words` is
// how many leading words name the command. On failure the message names the argument.
core::StatusOr<ParsedArgs> parseCommandArgs(const Scan& scan, size_t command_words,
                                            const std::vector<OptionSpec>& specs,
                                            const std::string& command_name);

// Leading non-option words of `rest` (the candidates for the command name).
std::vector<std::string> leadingWords(const std::vector<std::string>& rest);

}  // namespace recourse::cli
