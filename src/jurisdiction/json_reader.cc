#include "jurisdiction/json_reader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/validation.h"

namespace recourse::jurisdiction {

ObjectPtr parseJsonObject(const std::string& text, const std::string& file,
                          std::vector<Problem>* problems) {
  if (!core::isValidUtf8(text)) {
    problems->push_back({file, "$", "the file is not valid UTF-8 text"});
    return nullptr;
  }
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() != typeid(ObjectPtr)) {
      problems->push_back({file, "$", "the file must hold one JSON object"});
      return nullptr;
    }
    return v.extract<ObjectPtr>();
  } catch (const Poco::Exception& e) {
    problems->push_back({file, "$", "malformed JSON (" + e.message() + ")"});
  } catch (const std::exception& e) {
    problems->push_back({file, "$", std::string("malformed JSON (") + e.what() + ")"});
  }
  return nullptr;
}

std::optional<std::string> readTextFile(const std::string& path, const std::string& file,
                                        std::vector<Problem>* problems, size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    problems->push_back({file, "$", "cannot read the file (" + ec.message() + ")"});
    return std::nullopt;
  }
  if (size > max_bytes) {
    problems->push_back(
        {file, "$", "the file is larger than " + std::to_string(max_bytes) + " bytes"});
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems->push_back({file, "$", "cannot open the file"});
    return std::nullopt;
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void JsonReader::checkKeys(const ObjectPtr& obj, const std::string& path,
                           const std::set<std::string>& allowed) {
  if (!obj) return;
  for (const auto& name : obj->getNames()) {
    if (!allowed.count(name)) problem(member(path, name), "unknown field");
  }
}

bool JsonReader::present(const ObjectPtr& obj, const std::string& path, const std::string& key,
                         bool required) {
  if (!obj) return false;
  if (!obj->has(key) || obj->get(key).isEmpty()) {
    if (required) problem(member(path, key), "is required");
    return false;
  }
  return true;
}

std::string JsonReader::string(const ObjectPtr& obj, const std::string& path,
                               const std::string& key, bool required) {
  if (!present(obj, path, key, required)) return {};
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isString()) {
    problem(member(path, key), "must be a string");
    return {};
  }
  std::string s = v.extract<std::string>();
  if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) {
    problem(member(path, key), "must not be empty");
  }
  return s;
}

std::optional<long long> JsonReader::integer(const ObjectPtr& obj, const std::string& path,
                                             const std::string& key, bool required) {
  if (!present(obj, path, key, required)) return std::nullopt;
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isInteger() || v.isBoolean()) {
    problem(member(path, key), "must be a whole number");
    return std::nullopt;
  }
  try {
    return v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    problem(member(path, key), "is out of range");
    return std::nullopt;
  }
}

std::optional<double> JsonReader::number(const ObjectPtr& obj, const std::string& path,
                                         const std::string& key, bool required) {
  if (!present(obj, path, key, required)) return std::nullopt;
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isNumeric() || v.isBoolean()) {
    problem(member(path, key), "must be a number");
    return std::nullopt;
  }
  double d = v.convert<double>();
  if (!std::isfinite(d)) {
    problem(member(path, key), "must be a finite number");
    return std::nullopt;
  }
  return d;
}

std::optional<bool> JsonReader::boolean(const ObjectPtr& obj, const std::string& path,
                                        const std::string& key, bool required) {
  if (!present(obj, path, key, required)) return std::nullopt;
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isBoolean()) {
    problem(member(path, key), "must be true or false");
    return std::nullopt;
  }
  return v.extract<bool>();
}

std::optional<core::Date> JsonReader::date(const ObjectPtr& obj, const std::string& path,
                                           const std::string& key, bool required) {
  std::string s = string(obj, path, key, required);
  if (s.empty()) return std::nullopt;
  auto d = core::Date::parse(s, "date");
  if (!d.isOk()) {
    problem(member(path, key), "\"" + s.substr(0, 40) + "\" is not a date as YYYY-MM-DD");
    return std::nullopt;
  }
  return *d;
}

ObjectPtr JsonReader::object(const ObjectPtr& obj, const std::string& path, const std::string& key,
                             bool required) {
  if (!present(obj, path, key, required)) return nullptr;
  Poco::Dynamic::Var v = obj->get(key);
  if (v.type() != typeid(ObjectPtr)) {
    problem(member(path, key), "must be an object");
    return nullptr;
  }
  return v.extract<ObjectPtr>();
}

ArrayPtr JsonReader::array(const ObjectPtr& obj, const std::string& path, const std::string& key,
                           bool required) {
  if (!present(obj, path, key, required)) return nullptr;
  Poco::Dynamic::Var v = obj->get(key);
  if (v.type() != typeid(ArrayPtr)) {
    problem(member(path, key), "must be a list");
    return nullptr;
  }
  return v.extract<ArrayPtr>();
}

std::vector<std::string> JsonReader::stringArray(const ObjectPtr& obj, const std::string& path,
                                                 const std::string& key, bool required) {
  std::vector<std::string> out;
  ArrayPtr arr = array(obj, path, key, required);
  if (!arr) return out;
  for (size_t i = 0; i < arr->size(); ++i) {
    Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
    if (!v.isString()) {
      problem(index(member(path, key), i), "must be a string");
      continue;
    }
    out.push_back(v.extract<std::string>());
  }
  if (required && out.empty() && arr->size() == 0) problem(member(path, key), "must not be empty");
  return out;
}

ObjectPtr JsonReader::objectAt(const ArrayPtr& arr, const std::string& path, size_t i) {
  Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
  if (v.type() != typeid(ObjectPtr)) {
    problem(index(path, i), "must be an object");
    return nullptr;
  }
  return v.extract<ObjectPtr>();
}

}  // namespace recourse::jurisdiction
