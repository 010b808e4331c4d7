// Confirming a deletion: on a terminal, or with --yes.
#include <istream>
#include <string>
#include <vector>

#include "cli/command.h"

namespace recourse::cli {

std::string countsPhrase(size_t cases, size_t incidents, size_t evidence, size_t requests) {
  std::vector<std::string> parts;
  if (cases > 0) parts.push_back(plural(cases, "case", "cases"));
  if (incidents > 0) parts.push_back(plural(incidents, "incident", "incidents"));
  if (evidence > 0) parts.push_back(plural(evidence, "evidence file", "evidence files"));
  if (requests > 0) parts.push_back(plural(requests, "records request", "records requests"));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

OptionSpec yesOption() { return {"yes", "", "delete without asking (for scripts)"}; }

std::vector<OptionSpec> newPassphraseOptions(const std::string& whose) {
  return {{"new-passphrase-file", "FILE",
           "read " + whose + " passphrase from FILE (else RECOURSE_NEW_PASSPHRASE, else asked)"},
          {"kdf", "STRENGTH", "key-derivation cost: interactive, moderate (default), sensitive",
           false, "kdf"}};
}

core::StatusOr<bool> confirmDeletion(Context& ctx, const std::string& question) {
  if (ctx.args().has("yes")) return true;
  if (!ctx.env().interactive) {
    return core::invalidArgument(
               "nothing was deleted: there is no terminal to confirm on. To delete without being "
               "asked, run the same command with --yes")
        .withField("yes");
  }
  ctx.out() << question << " This cannot be undone. Type yes to delete: " << std::flush;
  std::string line;
  std::getline(ctx.env().in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  size_t start = line.find_first_not_of(' ');
  line = start == std::string::npos ? "" : line.substr(start);
  for (auto& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (line == "yes") return true;
  ctx.out() << "Nothing was deleted.\n";
  return false;
}

}  // namespace recourse::cli
