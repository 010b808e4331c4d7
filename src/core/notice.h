// A sentence for the person that each front end says in its own words. `key` names it in
// the browser's message catalog ("notice.<key>" in src/web/messages/<lang>.json); `args`
// are the facts it needs, as text (days as YYYY-MM-DD, counts as digits, names and
// citations as the data gives them); `text` says it in English for the command line and
// the documents. A front end without the key shows `text`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace recourse::core {

struct Notice {
  using Args = std::vector<std::pair<std::string, std::string>>;
  std::string key;
  Args args;
  std::string text;
};

// The `text` of each notice, in order (for front ends that print sentences).
inline std::vector<std::string> noticeTexts(const std::vector<Notice>& notices) {
  std::vector<std::string> out;
  out.reserve(notices.size());
  for (const auto& n : notices) out.push_back(n.text);
  return out;
}

}  // namespace recourse::core
