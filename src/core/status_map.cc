#include "core/status_map.h"

namespace recourse::core {

int httpStatusFor(const Status& status) {
  // Too many wrong passphrases for an account: try again later, not "too large".
  if (status.reason() == "unlock_wait") return 429;
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

int exitCodeFor(const Status& status) {
  if (status.reason() == "unlock_wait") return kExitFailure;
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kResourceExhausted:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

}  // namespace recourse::core
