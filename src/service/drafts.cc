#include "service/drafts.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "store/store.h"

namespace recourse::service {

namespace {

core::Status checkName(const std::string& name) {
  if (name != kPlaceDraft) {
    return core::invalidArgument("\"" + name.substr(0, 40) + "\" is not a kind of draft (place)")
        .withField("name");
  }
  return core::Status::ok();
}

bool isText(const Poco::Dynamic::Var& v) { return v.isString(); }

// A page of the app: "/" then letters, digits, "-", "_", "/", and a query of the same
// plus "=", "&".
bool isAppPath(const std::string& path) {
  if (path.empty() || path[0] != '/' || path.size() > 500) return false;
  return std::all_of(path.begin(), path.end(), [](char ch) {
    return ch == '/' || ch == '-' || ch == '_' || ch == '?' || ch == '=' || ch == '&' ||
           (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
  });
}

}  // namespace

core::Status saveDraft(Services& s, const std::string& name, const std::string& json) {
  RECOURSE_RETURN_IF_ERROR(checkName(name));
  if (json.size() > kMaxDraftBytes) {
    return core::invalidArgument("is larger than " + std::to_string(kMaxDraftBytes / 1024) + " KB")
        .withField("draft")
        .withReason("body_too_large",
                    {{"max", std::to_string(kMaxDraftBytes / 1024 / 1024) + " MB"}});
  }
  Poco::JSON::Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(json);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) obj = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    obj = nullptr;
  }
  if (!obj) return core::invalidArgument("must be a JSON object").withField("draft");
  for (const auto& k : obj->getNames()) {
    if (k != "path" && k != "values") {
      return core::invalidArgument("is not a known field (known: path, values)")
          .withField(k.substr(0, 40));
    }
  }
  if (!obj->has("path") || !obj->get("path").isString() ||
      !isAppPath(obj->getValue<std::string>("path"))) {
    return core::invalidArgument("must be a page of the app").withField("path");
  }
  if (!obj->has("values") || obj->get("values").type() != typeid(Poco::JSON::Object::Ptr)) {
    return core::invalidArgument("must be an object").withField("values");
  }
  auto values = obj->getObject("values");
  for (const auto& k : values->getNames()) {
    const auto& v = values->get(k);
    bool ok = isText(v);
    if (!ok && v.type() == typeid(Poco::JSON::Array::Ptr)) {
      auto arr = v.extract<Poco::JSON::Array::Ptr>();
      ok = true;
      for (size_t i = 0; i < arr->size(); ++i)
        ok = ok && arr->get(static_cast<unsigned>(i)).isString();
    }
    if (!ok)
      return core::invalidArgument("must be a text or a list of texts")
          .withField("values." + k.substr(0, 40));
  }
  return s.store.saveDraft(name, json);
}

core::StatusOr<std::optional<std::string>> loadDraft(Services& s, const std::string& name) {
  RECOURSE_RETURN_IF_ERROR(checkName(name));
  return s.store.draft(name);
}

core::Status discardDraft(Services& s, const std::string& name) {
  RECOURSE_RETURN_IF_ERROR(checkName(name));
  return s.store.deleteDraft(name);
}

}  // namespace recourse::service
