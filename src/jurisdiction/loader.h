// Loading and validating jurisdiction data files.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jurisdiction/json_reader.h"
#include "jurisdiction/model.h"

namespace recourse::jurisdiction {

// One license type of the shared vocabulary (jurisdictions/license-types.json).
struct LicenseType {
  std::string id;                    // "marriage_family_therapist"
  std::string label;                 // "Marriage and family therapist"
  std::vector<std::string> aliases;  // "LMFT", "MFT", ...
};

// Parses one jurisdiction file's text. Problems are appended with `file` and JSON paths.
// Returns the jurisdiction when it has no problems of its own; nullopt otherwise.
std::optional<Jurisdiction> parseJurisdiction(const std::string& text, const std::string& file,
                                              std::vector<Problem>* problems);

// Parses the license-type vocabulary file.
std::optional<std::vector<LicenseType>> parseLicenseTypes(const std::string& text,
                                                          const std::string& file,
                                                          std::vector<Problem>* problems);

// Why `text` cannot be a person-facing caution, or "" when it can: a caution is a short
// plain sentence (at most kMaxCautionChars) with no URL, file path, reference to the docs,
// research remark ("the brief", "- LAW") or shouting ("UNVERIFIED").
std::string cautionProblem(const std::string& text);
constexpr size_t kMaxCautionChars = 240;
// Why `text` (a citation or summary shown in letters and on screen) holds a maintainers'
// remark ("per the brief", "- LAW", "UNVERIFIED"), or "" when it holds none.
std::string researchMarker(const std::string& text);

constexpr size_t kMaxDataFileBytes = size_t{4} * 1024 * 1024;
constexpr char kLicenseTypesFile[] = "license-types.json";

}  // namespace recourse::jurisdiction
