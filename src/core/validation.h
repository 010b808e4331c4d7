// Invariants of the domain model, checked before anything is stored. Every failure names
// the field as data (Status::field(): its JSON name, "name", "provider.license_number"), so
// the server can point at the form field and the CLI at the option that sets it.
#pragma once

#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/status.h"

namespace recourse::core {

constexpr size_t kMaxShortText = 500;         // names, numbers, titles
constexpr size_t kMaxLongText = size_t{1024} * 1024;  // narratives and notes (1 MiB)

// On success returns OK. On failure returns InvalidArgument naming the first bad field.
Status validateClient(const Client& client);
Status validateProvider(const Provider& provider, std::string_view prefix);
Status validateCase(const Case& c);
Status validateIncident(const Incident& incident);

// A jurisdiction code: lowercase ISO country, optionally "-" and a subdivision ("us",
// "us-ca", "ca-on", "gb").
bool isJurisdictionCode(std::string_view code);

// Checks that text is valid UTF-8 without NUL bytes.
bool isValidUtf8(std::string_view text);

}  // namespace recourse::core
