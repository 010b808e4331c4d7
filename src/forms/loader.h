// Loading and validating form definitions (forms/*.json) and the harm taxonomy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "forms/model.h"
#include "jurisdiction/json_reader.h"

namespace recourse::forms {

using jurisdiction::Problem;

// Parses one form file's text. Every problem — structure, unknown show_if fields, mustache
// syntax, placeholders naming unknown fields — is appended as file:JSON-path: message.
// Returns the form only when it has no problems.
std::optional<Form> parseForm(const std::string& text, const std::string& file,
                              std::vector<Problem>* problems);

struct EthicsCitation {
  std::string code;  // "apa"
  std::string section;
  std::string title;
  // What it asks of the therapist, in plain words to the person ("you"); only where its text
  // was read. A letter cites a section only when it is verified and has these words.
  std::string plain;
  bool verified = false;
  std::string read_at;
  std::string note;
};

struct HarmKind {
  std::string id;
  std::string label;
  std::string description;
  std::vector<std::string> examples;
  std::vector<EthicsCitation> ethics;
  std::vector<std::string> words;  // plain words a person may type for it ("abandoned")
};

struct EthicsCode {
  std::string id;
  std::string name;
  std::string edition;
  std::string url;
  // The professions whose own code this is (license type ids of
  // jurisdictions/license-types.json): an LMFT's conduct is cited against the AAMFT code
  // first.
  std::vector<std::string> license_types;
  // Where it is the profession's own code (jurisdiction ids, e.g. "us": a state inherits
  // it); none listed: anywhere. An American association's code is not an Ontario social
  // worker's own.
  std::vector<std::string> jurisdictions;
  // Whether it is the own code of a therapist licensed as `license` in the place whose
  // chain of jurisdiction ids (the place first, then its parents) is `chain`.
  bool ownFor(const std::string& license, const std::vector<std::string>& chain) const;
};

struct HarmTaxonomy {
  std::vector<EthicsCode> codes;
  std::vector<HarmKind> harms;
  const HarmKind* find(const std::string& id) const;
  // What a person typed for a kind of harm: its id, its id in words ("boundary violation"),
  // its label or one of its words, ignoring case, spaces and punctuation. nullptr if none.
  const HarmKind* resolve(const std::string& text) const;
  const EthicsCode* code(const std::string& id) const;
};

std::optional<HarmTaxonomy> parseHarmTaxonomy(const std::string& text, const std::string& file,
                                              std::vector<Problem>* problems);

constexpr char kHarmTaxonomyFile[] = "harm-taxonomy.json";

// Every form in `dir` plus the harm taxonomy; files with problems are left out and reported.
struct FormSet {
  std::vector<Form> forms;
  std::optional<HarmTaxonomy> taxonomy;
  std::vector<Problem> problems;
  const Form* find(const std::string& id) const;
};
FormSet loadFormDirectory(const std::string& dir);

}  // namespace recourse::forms
