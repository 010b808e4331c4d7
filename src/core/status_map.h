// The single mapping from Status to the outside world: HTTP status codes for the server
// and process exit codes for the CLI. Every caller goes through these two functions so the
// meaning of an error is the same wherever it surfaces.
#pragma once

#include "core/status.h"

namespace recourse::core {

// 200 for OK; 400, 401, 403, 404, 409, 413 for the caller's errors; 500 otherwise.
int httpStatusFor(const Status& status);

// CLI exit codes: 0 ok, 2 bad usage or input (the message names the argument), 1 any
// other failure.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
int exitCodeFor(const Status& status);

}  // namespace recourse::core
