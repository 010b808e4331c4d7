#include "jurisdiction/json_reader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <vector>

#include "core/validation.h"

namespace recourse::jurisdiction {
namespace {

// Builds the value as Poco's own handler does, and notes the first key given twice in one
// object, by its JSON path ("$.records_access.response.days"): the parser keeps the last of
// them silently, so `"days": 15, "days": 400` would read as 400.
class DuplicateKeys final : public Poco::JSON::ParseHandler {
 public:
  void reset() override {
    frames_.clear();
    duplicate_.clear();
    ParseHandler::reset();
  }
  void startObject() override {
    element();
    ParseHandler::startObject();
    frames_.push_back({false, 0, {}, {}});
  }
  void endObject() override {
    frames_.pop_back();
    ParseHandler::endObject();
  }
  void startArray() override {
    element();
    ParseHandler::startArray();
    frames_.push_back({true, 0, {}, {}});
  }
  void endArray() override {
    frames_.pop_back();
    ParseHandler::endArray();
  }
  void key(const std::string& k) override {
    Frame& f = frames_.back();
    f.key = k;
    if (!f.seen.insert(k).second && duplicate_.empty()) duplicate_ = path();
    ParseHandler::key(k);
  }
  void value(int v) override { element(), ParseHandler::value(v); }
  void value(unsigned v) override { element(), ParseHandler::value(v); }
  void value(Poco::Int64 v) override { element(), ParseHandler::value(v); }
  void value(Poco::UInt64 v) override { element(), ParseHandler::value(v); }
  void value(const std::string& v) override { element(), ParseHandler::value(v); }
  void value(double v) override { element(), ParseHandler::value(v); }
  void value(bool v) override { element(), ParseHandler::value(v); }
  void null() override { element(), ParseHandler::null(); }

  const std::string& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool array;
    size_t index;  // in an array: how many elements have started
    std::string key;
    std::set<std::string> seen;
  };
  // An element of an array starts.
  void element() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string path() const {
    std::string out = "$";
    for (const Frame& f : frames_) {
      out += f.array ? "[" + std::to_string(f.index == 0 ? 0 : f.index - 1) + "]" : "." + f.key;
    }
    return out;
  }
  std::vector<Frame> frames_;
  std::string duplicate_;
};

}  // namespace

Poco::Dynamic::Var parseJsonNoting(const std::string& text, std::string* duplicate) {
  Poco::SharedPtr<DuplicateKeys> handler = new DuplicateKeys;
  Poco::JSON::Parser parser(handler);
  Poco::Dynamic::Var v = parser.parse(text);
  *duplicate = handler->duplicate();
  return v;
}

ObjectPtr parseJsonObject(const std::string& text, const std::string& file,
                          std::vector<Problem>* problems) {
  if (!core::isValidUtf8(text)) {
    problems->push_back({file, "$", "the file is not valid UTF-8 text"});
    return nullptr;
  }
  try {
    std::string duplicate;
    Poco::Dynamic::Var v = parseJsonNoting(text, &duplicate);
    if (!duplicate.empty()) {
      problems->push_back({file, duplicate,
                           "is given twice in one object; give each key once (the file is "
                           "left out, so no second value is taken silently)"});
      return nullptr;
    }
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
