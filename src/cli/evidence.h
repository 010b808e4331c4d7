// Shared by the evidence commands.
#pragma once

#include "cli/command.h"

namespace recourse::cli {

// The evidence size limit in bytes (--max-size MB, else RECOURSE_EVIDENCE_MAX_MB, else the
// service's default). InvalidArgument naming the option or variable when it is not a size.
core::StatusOr<long long> evidenceLimitBytes(Context& ctx);

}  // namespace recourse::cli
