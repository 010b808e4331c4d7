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

constexpr size_t kMaxDataFileBytes = size_t{4} * 1024 * 1024;
constexpr char kLicenseTypesFile[] = "license-types.json";

}  // namespace recourse::jurisdiction
