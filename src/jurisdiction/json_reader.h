// Reading data files (jurisdictions/*.json, forms/*.json) with precise error reports.
// A JsonReader walks a parsed document and records every problem it finds as
// "file:JSON-path: message" instead of stopping at the first, so `check` commands can list
// them all. It never throws.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace recourse::jurisdiction {

struct Problem {
  std::string file;  // file name as given (usually relative)
  std::string path;  // JSON path, e.g. "$.boards[0].license_types"
  std::string message;
  std::string toString() const { return file + ":" + path + ": " + message; }
};

using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

// Parses JSON text as Poco's parser does (and throws what it throws), setting *duplicate
// to the JSON path of the first key given twice in one object ("$.a.b"), or "" when none:
// the parser itself keeps the last value silently.
Poco::Dynamic::Var parseJsonNoting(const std::string& text, std::string* duplicate);

// Parses JSON text. On a syntax error, or a key given twice in one object, records a
// problem (at "$", or at the key) and returns null.
ObjectPtr parseJsonObject(const std::string& text, const std::string& file,
                          std::vector<Problem>* problems);

// Reads a whole file. On failure records a problem and returns nullopt.
std::optional<std::string> readTextFile(const std::string& path, const std::string& file,
                                        std::vector<Problem>* problems, size_t max_bytes);

class JsonReader {
 public:
  JsonReader(std::string file, std::vector<Problem>* problems)
      : file_(std::move(file)), problems_(problems) {}

  void problem(const std::string& path, const std::string& message) {
    problems_->push_back({file_, path, message});
  }
  size_t problemCount() const { return problems_->size(); }

  // Records a problem for each member of `obj` not in `allowed`.
  void checkKeys(const ObjectPtr& obj, const std::string& path,
                 const std::set<std::string>& allowed);

  // Accessors: `required` members that are missing or null are problems; members of the
  // wrong type are always problems. Missing optional members give the empty value.
  std::string string(const ObjectPtr& obj, const std::string& path, const std::string& key,
                     bool required);
  std::optional<long long> integer(const ObjectPtr& obj, const std::string& path,
                                   const std::string& key, bool required);
  std::optional<double> number(const ObjectPtr& obj, const std::string& path,
                               const std::string& key, bool required);
  std::optional<bool> boolean(const ObjectPtr& obj, const std::string& path, const std::string& key,
                              bool required);
  std::optional<core::Date> date(const ObjectPtr& obj, const std::string& path,
                                 const std::string& key, bool required);
  ObjectPtr object(const ObjectPtr& obj, const std::string& path, const std::string& key,
                   bool required);
  ArrayPtr array(const ObjectPtr& obj, const std::string& path, const std::string& key,
                 bool required);
  std::vector<std::string> stringArray(const ObjectPtr& obj, const std::string& path,
                                       const std::string& key, bool required);
  // Element i of an array as an object (a problem if it is not one).
  ObjectPtr objectAt(const ArrayPtr& arr, const std::string& path, size_t i);

  static std::string member(const std::string& path, const std::string& key) {
    return path + "." + key;
  }
  static std::string index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  bool present(const ObjectPtr& obj, const std::string& path, const std::string& key,
               bool required);

  std::string file_;
  std::vector<Problem>* problems_;
};

}  // namespace recourse::jurisdiction
