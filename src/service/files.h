// Writing output files so that a failure leaves nothing half-written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace recourse::service {

// Writes `bytes` to `path` + ".partial", checks every write and the close, then renames it
// to `path`. On failure the partial file is removed and IOError names `what` (e.g.
// "--out: letter.pdf").
core::Status writeFileAtomically(const std::string& path, const std::vector<std::uint8_t>& bytes,
                                 const std::string& what);

// OK when nothing exists at `path` (or `path` is empty: no file wanted). InvalidArgument
// about `field` when something does ("... already exists; choose a new file name"); IOError
// when it cannot be checked. Never throws.
core::Status requireNewFile(const std::string& path, const std::string& field);

}  // namespace recourse::service
