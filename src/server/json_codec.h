// JSON <-> domain model, shared by the HTTP API and the CLI's --json output.
// Parsing is strict: unknown fields, wrong types and malformed JSON are InvalidArgument
// with a message that names the field.
#pragma once

#include <Poco/JSON/Object.h>

#include <set>
#include <string>

#include "core/entities.h"
#include "core/status.h"

namespace recourse::server {

Poco::JSON::Object::Ptr clientToJson(const core::Client& c);
Poco::JSON::Object::Ptr providerToJson(const core::Provider& p);
Poco::JSON::Object::Ptr caseToJson(const core::Case& c);
Poco::JSON::Object::Ptr incidentToJson(const core::Incident& i);

// Parses a JSON text that must be an object. On failure the message starts with "body".
core::StatusOr<Poco::JSON::Object::Ptr> parseObject(const std::string& text);

// Builds a Client from a request body: {"name", "email", "phone", "address", "notes"}.
core::StatusOr<core::Client> clientFromJson(const Poco::JSON::Object::Ptr& obj);
// Builds a Case from {"client_id", "title", "treatment_start", "treatment_end", "notes",
// "provider": {"name", "credentials", "license_type", "license_number", "jurisdiction",
// "practice", "address", "email", "phone"}}.
core::StatusOr<core::Case> caseFromJson(const Poco::JSON::Object::Ptr& obj);

// Reads an optional string member; InvalidArgument naming `prefix + key` when it is
// present but not a string.
core::Status readString(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                        const std::string& prefix, std::string* out);
// InvalidArgument naming the first member of obj that is not in `allowed`.
core::Status checkKnownFields(const Poco::JSON::Object::Ptr& obj,
                              const std::set<std::string>& allowed, const std::string& prefix);

std::string toJsonText(const Poco::JSON::Object::Ptr& obj);

}  // namespace recourse::server
