// Shared by the evidence and complaint commands.
#pragma once

#include <string>

#include "cli/command.h"

namespace recourse::cli {

// The largest evidence file accepted unless --max-size or RECOURSE_EVIDENCE_MAX_MB say
// otherwise (docs/user-guide.md states it).
constexpr long long kDefaultEvidenceLimitMb = 256;

// Where sealed evidence files live inside the data directory.
std::string evidenceDir(const std::string& data_dir);
// The evidence size limit in bytes (--max-size MB, else RECOURSE_EVIDENCE_MAX_MB, else
// the default). InvalidArgument naming the option or variable when it is not a size.
core::StatusOr<long long> evidenceLimitBytes(Context& ctx);
// "12.3 MB", "512 bytes".
std::string describeSize(long long bytes);

}  // namespace recourse::cli
