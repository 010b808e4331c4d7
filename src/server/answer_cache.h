// The server's answers to reads, kept while the vault reads as it did when they were worked
// out (service::ReadStamp).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "service/services.h"

namespace recourse::server {

// Answers to reads, kept while the vault reads as it did when they were worked out
// (service::ReadStamp): a page asks for the same case again and again as a person moves
// through it, and most of those asks find nothing changed. It holds personal data, so it
// is emptied whenever the vault locks, and it never holds more than kMaxEntries answers.
// Thread safety: internally locked.
class AnswerCache {
 public:
  static constexpr size_t kMaxEntries = 64;

  std::optional<std::string> find(const std::string& key, const service::ReadStamp& stamp) {
    std::lock_guard lk(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || !(it->second.stamp == stamp)) return std::nullopt;
    return it->second.text;
  }

  void put(const std::string& key, const service::ReadStamp& stamp, std::string text) {
    std::lock_guard lk(mu_);
    if (entries_.size() >= kMaxEntries && entries_.find(key) == entries_.end()) entries_.clear();
    entries_[key] = {stamp, std::move(text)};
  }

  void clear() {
    std::lock_guard lk(mu_);
    entries_.clear();
  }

 private:
  struct Entry {
    service::ReadStamp stamp;
    std::string text;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace recourse::server
