// Shared by the workflows (internal to the service): a lookup's NotFound named for the
// front ends, and every other failure passed on as it is.
#pragma once

#include <string>

#include "core/date.h"
#include "core/status.h"

namespace recourse::service {

// NotFound from the store means the id is wrong: NotFound with `message`, about `field`.
// Anything else (a locked vault, damage, a failed disk) is returned as it is, never as
// "not found".
inline core::Status notFoundAs(const core::Status& st, const std::string& message,
                               const std::string& field) {
  if (st.code() == core::StatusCode::kNotFound) return core::notFound(message).withField(field);
  return st;
}

// A YYYY-MM-DD text as a date. InvalidArgument about `field` when it is not one (the
// message without the field's name, which the front ends add as their own).
inline core::StatusOr<core::Date> parseDateAbout(const std::string& text,
                                                 const std::string& field) {
  auto d = core::Date::parse(text, field);
  if (d.isOk()) return d;
  std::string m = d.status().message();
  const std::string prefix = field + ": ";
  if (m.rfind(prefix, 0) == 0) m = m.substr(prefix.size());
  return core::invalidArgument(m).withField(field).withReason("not_a_date");
}

// A day that has not come yet, where only a past or present one makes sense: InvalidArgument
// about `field`, reason "day_in_future" {day}.
inline core::Status dayInFuture(const core::Date& day, const std::string& field) {
  return core::invalidArgument(day.toString() + " is in the future")
      .withField(field)
      .withReason("day_in_future", {{"day", day.toString()}});
}

}  // namespace recourse::service
