// Status and StatusOr: how expected failures travel across module boundaries.
//
// No exception crosses a module boundary in Recourse. Code that talks to Poco, SQLite or
// libsodium catches what those libraries throw and returns a Status instead. A Status
// message is written for the person reading it: it names the field, file or argument
// involved and never contains sealed (personal) data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace recourse::core {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong; the message names the field
  kNotFound,            // an id or file that does not exist
  kConflict,            // the thing already exists / the state does not allow it
  kUnauthenticated,     // wrong passphrase, vault locked, missing session
  kPermissionDenied,    // the operating system or a policy refused
  kResourceExhausted,   // too large (request body, file)
  kCorruption,          // stored data failed a check (damaged file, failed MAC)
  kIOError,             // reading or writing failed
  kFailedPrecondition,  // e.g. no vault yet, database from a newer version
  kInternal,            // a bug: should not happen
};

// Returns a short stable name such as "invalid_argument" (used in JSON errors).
std::string_view statusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(StatusCode code, std::string message, std::string field)
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status ok() { return Status(); }

  bool isOk() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // What went wrong, without the field it is about ("must not be empty").
  const std::string& message() const { return message_; }
  // The input the status is about, as data: a field of a typed request or record
  // ("case_id", "date_end"), or empty when it is about no one input. Front ends turn it
  // into their own words (the CLI's "--case", the browser's form field); the message never
  // carries it for a caller to re-parse.
  const std::string& field() const { return field_; }

  // What a person reads when no front end renames the field: "field: message", or the
  // message alone when there is no field.
  std::string text() const;
  // "invalid_argument: name: must not be empty"
  std::string toString() const;

  // Returns a copy about `field` (see field()).
  Status withField(std::string field) const;
  // Returns a copy with `context` prepended to the message ("context: message").
  Status withContext(std::string_view context) const;

  // What went wrong as data, for a front end that speaks the person's language from its own
  // catalog rather than showing message(): a stable name ("day_in_future") and the facts the
  // sentence needs, as text (days as YYYY-MM-DD, kinds by their stable names). Empty when
  // only message() says it. withField and withContext keep both.
  using ReasonArgs = std::vector<std::pair<std::string, std::string>>;
  Status withReason(std::string reason, ReasonArgs args = {}) const;
  const std::string& reason() const { return reason_; }
  const ReasonArgs& reasonArgs() const { return reason_args_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::string reason_;
  ReasonArgs reason_args_;
};

inline Status invalidArgument(std::string msg) {
  return Status(StatusCode::kInvalidArgument, std::move(msg));
}
inline Status notFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
inline Status conflict(std::string msg) { return Status(StatusCode::kConflict, std::move(msg)); }
inline Status unauthenticated(std::string msg) {
  return Status(StatusCode::kUnauthenticated, std::move(msg));
}
inline Status permissionDenied(std::string msg) {
  return Status(StatusCode::kPermissionDenied, std::move(msg));
}
inline Status resourceExhausted(std::string msg) {
  return Status(StatusCode::kResourceExhausted, std::move(msg));
}
inline Status corruption(std::string msg) {
  return Status(StatusCode::kCorruption, std::move(msg));
}
inline Status ioError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
inline Status failedPrecondition(std::string msg) {
  return Status(StatusCode::kFailedPrecondition, std::move(msg));
}
inline Status internalError(std::string msg) {
  return Status(StatusCode::kInternal, std::move(msg));
}

// Either a value or a non-OK Status.
// REQUIRES: constructed from a Status only when that Status is not OK.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.isOk()) status_ = internalError("StatusOr built from an OK status without value");
  }

  bool isOk() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace recourse::core

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define RECOURSE_RETURN_IF_ERROR(expr)                     \
  do {                                                     \
    ::recourse::core::Status recourse_status_ = (expr);    \
    if (!recourse_status_.isOk()) return recourse_status_; \
  } while (false)

// Declares or assigns `lhs` from a StatusOr `expr`, returning its error from the enclosing
// function when it has one: RECOURSE_ASSIGN_OR_RETURN(auto x, findThing());
// `lhs` may be a declaration ("auto x"), so it cannot be parenthesized. Never use the macro
// as the body of an unbraced if or loop: it expands to several statements.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define RECOURSE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.isOk()) return tmp.status();                \
  lhs = std::move(tmp.value())
// NOLINTEND(bugprone-macro-parentheses)
#define RECOURSE_CONCAT_INNER(a, b) a##b
#define RECOURSE_CONCAT(a, b) RECOURSE_CONCAT_INNER(a, b)
#define RECOURSE_ASSIGN_OR_RETURN(lhs, expr) \
  RECOURSE_ASSIGN_OR_RETURN_IMPL(RECOURSE_CONCAT(recourse_status_or_, __LINE__), lhs, expr)
