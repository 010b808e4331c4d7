// The browser UI (src/web), compiled into the binary so the server reads no files at run
// time and cannot be made to serve anything else.
#pragma once

#include <string_view>

namespace recourse::server {

struct WebAsset {
  std::string_view content_type;
  std::string_view body;
};

// The asset for a URL path such as "/index.html", or nullptr.
const WebAsset* findWebAsset(std::string_view path);

}  // namespace recourse::server
