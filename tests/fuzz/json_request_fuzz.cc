// Fuzzes the decoding of JSON request bodies (server/json_codec.h): the first byte picks a
// decoder, the rest is the body as the HTTP API receives it. What decodes is encoded back
// to JSON, as the server does when it answers. InvalidArgument is the expected answer to a
// bad body; only a crash, a sanitizer report or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "server/json_codec.h"

namespace server = recourse::server;
using Poco::JSON::Object;

namespace {

void decode(std::uint8_t which, const Object::Ptr& obj) {
  switch (which % 8) {
    case 0: {
      auto c = server::clientFromJson(obj);
      if (c.isOk()) (void)server::toJsonText(server::clientToJson(*c));
      break;
    }
    case 1: {
      auto c = server::caseFromJson(obj);
      if (c.isOk()) {
        (void)server::toJsonText(server::caseToJson(*c));
        (void)server::toJsonText(server::providerToJson(c->provider));
      }
      break;
    }
    case 2:
      (void)server::newIncidentFromJson(obj, "in_fuzz");
      break;
    case 3:
      (void)server::incidentEditFromJson(obj, "in_fuzz");
      break;
    case 4: {
      std::optional<std::string> v;
      (void)server::readCorrection(obj, "notes", "provider.", &v);
      std::string s;
      (void)server::readString(obj, "name", "", &s);
      break;
    }
    case 5: {
      std::optional<recourse::core::Date> d;
      (void)server::readDate(obj, "date", &d);
      bool b = false;
      (void)server::readBool(obj, "approximate", &b);
      break;
    }
    case 6: {
      std::vector<std::string> v;
      (void)server::readStrings(obj, "harm_kinds", &v);
      break;
    }
    default:
      (void)server::checkKnownFields(obj, {"name", "email", "phone"}, "");
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string body = recourse::fuzz::text(data + 1, size - 1);
  auto obj = server::parseObject(body);
  if (!obj.isOk()) return 0;
  decode(data[0], *obj);
  return 0;
}
