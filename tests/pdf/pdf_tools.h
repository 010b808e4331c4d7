// Running the PDF checking tools (poppler-utils, qpdf) on files the tests write.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace recourse::testing {

// Runs a shell command; returns its standard output (standard error is discarded).
inline std::string run(const std::string& command, int* exit_code = nullptr) {
  std::string out;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (exit_code != nullptr) *exit_code = WEXITSTATUS(rc);
  return out;
}

inline void writeBytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline size_t countOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// pdftotext output with every run of spaces, newlines and page breaks folded to one space:
// words wrap onto new lines wherever the layout puts them.
inline std::string foldedText(const std::string& pdf_path) {
  std::string folded;
  for (char ch : run("pdftotext '" + pdf_path + "' -")) {
    bool space = ch == '\n' || ch == ' ' || ch == '\f';
    if (space && !folded.empty() && folded.back() == ' ') continue;
    folded.push_back(space ? ' ' : ch);
  }
  return folded;
}

// Each needle occurs in `text`, in the order given.
inline void expectInOrder(const std::string& text, const std::vector<std::string>& needles) {
  size_t last = 0;
  for (size_t i = 0; i < needles.size(); ++i) {
    size_t at = text.find(needles[i]);
    ASSERT_NE(at, std::string::npos) << needles[i] << "\n" << text;
    if (i > 0) {
      EXPECT_LT(last, at) << needles[i - 1] << " before " << needles[i];
    }
    last = at;
  }
}

}  // namespace recourse::testing
