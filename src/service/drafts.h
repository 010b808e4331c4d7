// Drafts: the page a person is filling in and what they have typed there, saved as they
// type (sealed, like every personal field) so that leaving at any point — a lock, a quick
// exit, a closed tab, the next day — loses nothing, and coming back resumes on that page.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

// The one draft the browser keeps: where the person was and what they had typed.
inline constexpr char kPlaceDraft[] = "place";
// The largest draft kept: a page of answers with its accounts at the longest a record takes
// (core::kMaxLongText, 1 MiB each; a page has up to two), escaped as JSON, fits; the
// server's body cap for a page and its own limit are the same.
inline constexpr size_t kMaxDraftBytes = size_t{4} * 1024 * 1024;

// Saves `json` (a JSON object: {"path": "/cases/...", "values": {...}}) as draft `name`.
// InvalidArgument about "name" (only "place"), "path" (not a page of the app), "values"
// (not an object of texts or lists of texts) or "draft" (too large); Unauthenticated while
// locked. Nothing is saved on failure.
core::Status saveDraft(Services& s, const std::string& name, const std::string& json);
// The draft, or nullopt. InvalidArgument about "name".
core::StatusOr<std::optional<std::string>> loadDraft(Services& s, const std::string& name);
// Removes the draft (nothing when there is none). InvalidArgument about "name".
core::Status discardDraft(Services& s, const std::string& name);

}  // namespace recourse::service
