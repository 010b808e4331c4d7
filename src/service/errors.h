// Shared by the workflows (internal to the service): a lookup's NotFound named for the
// front ends, and every other failure passed on as it is.
#pragma once

#include <string>

#include "core/status.h"

namespace recourse::service {

// NotFound from the store means the id is wrong: NotFound with `message`, about `field`.
// Anything else (a locked vault, damage, a failed disk) is returned as it is, never as
// "not found".
inline core::Status notFoundAs(const core::Status& st, const std::string& message,
                               const std::string& field) {
  if (st.code() == core::StatusCode::kNotFound) return core::notFound(message).withField(field);
  return st;
}

}  // namespace recourse::service
