#include "core/status.h"

namespace recourse::core {

std::string_view statusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kResourceExhausted:
      return "too_large";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kIOError:
      return "io_error";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::text() const {
  if (field_.empty()) return message_;
  return field_ + ": " + message_;
}

std::string Status::toString() const {
  if (isOk()) return "ok";
  return std::string(statusCodeName(code_)) + ": " + text();
}

Status Status::withField(std::string field) const {
  if (isOk()) return *this;
  Status s = *this;
  s.field_ = std::move(field);
  return s;
}

Status Status::withContext(std::string_view context) const {
  if (isOk()) return *this;
  Status s = *this;
  s.message_ = std::string(context) + ": " + message_;
  return s;
}

Status Status::withReason(std::string reason, ReasonArgs args) const {
  if (isOk()) return *this;
  Status s = *this;
  s.reason_ = std::move(reason);
  s.reason_args_ = std::move(args);
  return s;
}

}  // namespace recourse::core
