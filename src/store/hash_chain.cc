#include "store/hash_chain.h"

#include <algorithm>

namespace recourse::store {

using core::Status;
using core::StatusOr;

std::string ChainLink::operator()(std::string_view material) const {
  if (key_ == nullptr) return sha256Hex(material);
  return keyedHashHex(*key_, material);
}

HashChain::HashChain(Database& db, std::string table, std::vector<std::string> fields,
                     std::string name, size_t optional_from)
    : db_(db),
      table_(std::move(table)),
      fields_(std::move(fields)),
      name_(std::move(name)),
      optional_from_(optional_from) {
  last_sql_ = "SELECT seq, hash FROM " + table_ + " ORDER BY seq DESC LIMIT 1";
  entries_sql_ = "SELECT seq, at";
  for (const auto& f : fields_) entries_sql_ += ", " + f;
  entries_sql_ += ", prev_hash, hash FROM " + table_ + " ORDER BY seq";
}

std::string HashChain::material(const std::string& prev, long long seq, const std::string& at,
                                const std::vector<std::string>& values) const {
  std::string m = prev + "|" + std::to_string(seq) + "|" + at;
  size_t linked = values.size();
  if (optional_from_ < linked &&
      std::all_of(values.begin() + static_cast<std::ptrdiff_t>(optional_from_), values.end(),
                  [](const std::string& v) { return v.empty(); })) {
    linked = optional_from_;
  }
  for (size_t i = 0; i < linked; ++i) m.append("|").append(values[i]);
  return m;
}

Status HashChain::append(const ChainLink& link, const std::string& at,
                         const std::vector<std::string>& values) {
  // '|' separates the fields in a link: a field holding one could be split differently.
  for (const auto& v : values) {
    if (v.find('|') != std::string::npos) {
      return core::internalError(name_ + ": an entry's field holds '|'");
    }
  }
  return db_.appendingTo(table_, [&]() -> Status {
    // The head this transaction last wrote, while the chain's lock (held to its end) keeps
    // others out and nothing of it was undone; else read.
    long long seq = 1;
    std::string prev;
    const long long mark = db_.transactionMark();
    if (head_ && mark != 0 && head_->mark == mark) {
      seq = head_->seq + 1;
      prev = head_->hash;
    } else {
      RECOURSE_ASSIGN_OR_RETURN(auto last, db_.firstRow(last_sql_));
      seq = last ? last->integer(0) + 1 : 1;
      prev = last ? last->text(1) : "";
    }
    head_.reset();
    std::vector<Column> cols;
    cols.reserve(fields_.size() + 4);
    cols.push_back({"seq", seq});
    cols.push_back({"at", at});
    for (size_t i = 0; i < fields_.size(); ++i) cols.push_back({fields_[i], values.at(i)});
    std::string hash = link(material(prev, seq, at, values));
    cols.push_back({"prev_hash", prev});
    cols.push_back({"hash", hash});
    RECOURSE_RETURN_IF_ERROR(db_.insert(table_, cols));
    if (mark != 0) head_ = Head{mark, seq, std::move(hash)};
    return Status::ok();
  });
}

StatusOr<std::vector<ChainEntry>> HashChain::entries() {
  RECOURSE_ASSIGN_OR_RETURN(auto rows, db_.select(entries_sql_));
  std::vector<ChainEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    ChainEntry e;
    e.seq = r.integer(0);
    e.at = r.text(1);
    for (size_t i = 0; i < fields_.size(); ++i) e.fields.push_back(r.text(2 + i));
    e.prev_hash = r.text(2 + fields_.size());
    e.hash = r.text(3 + fields_.size());
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> HashChain::verify(const std::vector<ChainEntry>& entries,
                                           const ChainLink& link) const {
  std::vector<std::string> problems;
  std::string prev;
  long long expected = 1;
  for (const auto& e : entries) {
    if (e.seq != expected) {
      problems.push_back(name_ + ": entry " + std::to_string(expected) + " is missing");
      expected = e.seq;
    }
    // No field written through append() holds '|': one that does was split differently in
    // the file (moving who did it into another field, say) to keep the same link.
    const bool resplit = std::any_of(e.fields.begin(), e.fields.end(), [](const std::string& f) {
      return f.find('|') != std::string::npos;
    });
    if (resplit || e.prev_hash != prev || e.hash != link(material(prev, e.seq, e.at, e.fields))) {
      problems.push_back(name_ + ": entry " + std::to_string(e.seq) +
                         " does not match the chain (it was changed, or one before it was)");
    }
    prev = e.hash;
    ++expected;
  }
  return problems;
}

Status HashChain::relink(const ChainLink& from, const ChainLink& to) {
  head_.reset();  // every link is written again
  RECOURSE_ASSIGN_OR_RETURN(auto all, entries());
  auto problems = verify(all, from);
  if (!problems.empty()) {
    return core::corruption(problems.front() + "; it was not re-linked to the vault key");
  }
  RECOURSE_RETURN_IF_ERROR(db_.setAppendOnly(table_, name_, false));
  const std::string update = "UPDATE " + table_ + " SET prev_hash = ?, hash = ? WHERE seq = ?";
  std::string prev;
  for (const auto& e : all) {
    std::string hash = to(material(prev, e.seq, e.at, e.fields));
    RECOURSE_RETURN_IF_ERROR(db_.execute(update, {prev, hash, e.seq}));
    prev = std::move(hash);
  }
  // Both guards are in place afterwards, even one someone had dropped.
  return db_.setAppendOnly(table_, name_, true);
}

}  // namespace recourse::store
