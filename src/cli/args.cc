#include "cli/args.h"

namespace recourse::cli {
namespace {

bool isOption(const std::string& s) { return s.size() > 1 && s[0] == '-'; }

// Splits "--name=value" into ("name", "value", true); "--name" into ("name", "", false).
void splitOption(const std::string& token, std::string* name, std::string* value, bool* has_value) {
  size_t start = token.rfind("--", 0) == 0 ? 2 : 1;
  size_t eq = token.find('=');
  *has_value = eq != std::string::npos;
  *name = token.substr(start, *has_value ? eq - start : std::string::npos);
  *value = *has_value ? token.substr(eq + 1) : std::string();
}

}  // namespace

core::StatusOr<Scan> scanGlobals(const std::vector<std::string>& args) {
  Scan scan;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      for (++i; i < args.size(); ++i) scan.rest.push_back(args[i]);
      break;
    }
    if (!isOption(a)) {
      scan.rest.push_back(a);
      continue;
    }
    std::string name;
    std::string value;
    bool has_value = false;
    splitOption(a, &name, &value, &has_value);
    if (name == "data-dir" || name == "passphrase-file" || name == "jurisdictions-dir" ||
        name == "forms-dir" || name == "user" || name == "database") {
      if (!has_value) {
        if (i + 1 >= args.size()) {
          return core::invalidArgument("--" + name + ": needs a value (a path)");
        }
        value = args[++i];
      }
      if (value.empty()) return core::invalidArgument("--" + name + ": must not be empty");
      if (name == "data-dir") {
        scan.globals.data_dir = value;
      } else if (name == "database") {
        scan.globals.database = value;
      } else if (name == "passphrase-file") {
        scan.globals.passphrase_file = value;
      } else if (name == "user") {
        scan.globals.user = value;
      } else if (name == "jurisdictions-dir") {
        scan.globals.jurisdictions_dir = value;
      } else {
        scan.globals.forms_dir = value;
      }
    } else if (name == "json" && !has_value) {
      scan.globals.json = true;
    } else if ((name == "help" || name == "h") && !has_value) {
      scan.globals.help = true;
    } else if (name == "version" && !has_value) {
      scan.globals.version = true;
    } else {
      scan.rest.push_back(a);
    }
  }
  return scan;
}

std::vector<std::string> leadingWords(const std::vector<std::string>& rest) {
  std::vector<std::string> words;
  for (const auto& r : rest) {
    if (isOption(r)) break;
    words.push_back(r);
  }
  return words;
}

core::StatusOr<ParsedArgs> parseCommandArgs(const Scan& scan, size_t command_words,
                                            const std::vector<OptionSpec>& specs,
                                            const std::string& command_name) {
  ParsedArgs out = scan.globals;
  const auto& rest = scan.rest;
  for (size_t i = 0; i < command_words && i < rest.size(); ++i) out.words.push_back(rest[i]);
  for (size_t i = command_words; i < rest.size(); ++i) {
    const std::string& a = rest[i];
    if (!isOption(a)) {
      out.positionals.push_back(a);
      continue;
    }
    std::string name;
    std::string value;
    bool has_value = false;
    splitOption(a, &name, &value, &has_value);
    const OptionSpec* spec = nullptr;
    for (const auto& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      return core::invalidArgument("--" + name.substr(0, 40) + ": not an option of '" +
                                   command_name + "' (see: recourse " + command_name + " --help)");
    }
    if (spec->value_name.empty()) {
      if (has_value) return core::invalidArgument("--" + name + ": takes no value");
      value.clear();
    } else if (!has_value) {
      if (i + 1 >= rest.size()) {
        return core::invalidArgument("--" + name + ": needs a value (" + spec->value_name + ")");
      }
      value = rest[++i];
    }
    auto& slot = out.options[name];
    if (!slot.empty() && !spec->repeatable) {
      return core::invalidArgument("--" + name + ": given more than once");
    }
    slot.push_back(value);
  }
  return out;
}

}  // namespace recourse::cli
