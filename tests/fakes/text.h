// Small text helpers for tests that make broken variants of good data.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace recourse::testing {

// `text` with the first `from` replaced by `to`; a test failure when `from` is absent.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace recourse::testing
