// Running the PDF checking tools (poppler-utils, qpdf) on files the tests write.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
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

// Text with every run of spaces, newlines and page breaks folded to one space: words wrap
// onto new lines wherever the layout puts them.
inline std::string folded(const std::string& text) {
  std::string out;
  for (char ch : text) {
    bool space = ch == '\n' || ch == ' ' || ch == '\f';
    if (space && !out.empty() && out.back() == ' ') continue;
    out.push_back(space ? ' ' : ch);
  }
  return out;
}

// pdftotext output, folded.
inline std::string foldedText(const std::string& pdf_path) {
  return folded(run("pdftotext '" + pdf_path + "' -"));
}

// The number of pages pdfinfo reports, nullopt when it reports none.
inline std::optional<int> pdfPageCount(const std::string& pdf_path) {
  const std::string info = run("pdfinfo '" + pdf_path + "'");
  const size_t at = info.find("Pages:");
  if (at == std::string::npos) return std::nullopt;
  return std::atoi(info.c_str() + at + 6);
}

// The text of one page (1-based), folded as foldedText.
inline std::string pageText(const std::string& pdf_path, int page) {
  const std::string p = std::to_string(page);
  return folded(run("pdftotext -f " + p + " -l " + p + " '" + pdf_path + "' -"));
}

// The median height, in points, of the words pdftotext finds on one page (1-based): about
// 1.16 times the type size for DejaVu. 0 when there are none.
inline double medianWordHeight(const std::string& pdf_path, int page) {
  const std::string p = std::to_string(page);
  const std::string html = run("pdftotext -bbox -f " + p + " -l " + p + " '" + pdf_path + "' -");
  std::vector<double> heights;
  for (size_t at = html.find("<word "); at != std::string::npos; at = html.find("<word ", at + 1)) {
    const size_t y0 = html.find("yMin=\"", at);
    const size_t y1 = html.find("yMax=\"", at);
    if (y0 == std::string::npos || y1 == std::string::npos) break;
    heights.push_back(std::atof(html.c_str() + y1 + 6) - std::atof(html.c_str() + y0 + 6));
  }
  if (heights.empty()) return 0;
  std::sort(heights.begin(), heights.end());
  return heights[heights.size() / 2];
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
