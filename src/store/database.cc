#include "store/database.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

#include "store/schema.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

Value textOrNull(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

Value dateOrNull(const std::optional<core::Date>& d) {
  if (!d) return std::monostate{};
  return d->toString();
}

// ---- Row -------------------------------------------------------------------------------

namespace {

// A whole number held in binary: 2, 4 or 8 bytes, most significant first.
long long binaryInteger(std::string_view raw) {
  std::uint64_t v = 0;
  for (char c : raw) v = (v << 8) | static_cast<std::uint8_t>(c);
  switch (raw.size()) {
    case 2:
      return static_cast<std::int16_t>(v);
    case 4:
      return static_cast<std::int32_t>(v);
    default:
      return static_cast<long long>(v);
  }
}

// A held cell's whole number or truth value (not NULL, not a blob).
long long heldInteger(const HeldCells::Cell& c) {
  if (c.kind == HeldCells::Kind::kBool) {
    return c.binary ? (c.raw.empty() || c.raw[0] == 0 ? 0 : 1) : (c.raw == "t" ? 1 : 0);
  }
  if (c.binary) return binaryInteger(c.raw);
  // Held cells end in a NUL, so strtoll stops there at the latest.
  return std::strtoll(c.raw.data(), nullptr, 10);
}

// A held blob's bytes.
Bytes heldBlob(const HeldCells& held, const HeldCells::Cell& c) {
  if (c.binary) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(c.raw.data());
    return Bytes(p, p + c.raw.size());  // one copy, not byte by byte
  }
  return held.blob(c.raw);
}

}  // namespace

HeldCells::Cell Row::heldCell(size_t col) const {
  if (col >= held_->columns()) throw std::out_of_range("Row: no column " + std::to_string(col));
  return held_->cell(row_, col);
}

Value Row::value(size_t col) const {
  if (!held_) return cells_.at(col);
  const HeldCells::Cell c = heldCell(col);
  if (c.null) return std::monostate{};
  switch (c.kind) {
    case HeldCells::Kind::kBlob:
      return heldBlob(*held_, c);
    case HeldCells::Kind::kBool:
    case HeldCells::Kind::kInteger:
      return heldInteger(c);
    case HeldCells::Kind::kText:
      break;
  }
  return std::string(c.raw);
}

bool Row::isNull(size_t col) const {
  if (held_) return heldCell(col).null;
  return std::holds_alternative<std::monostate>(cells_.at(col));
}

std::optional<std::string_view> Row::view(size_t col) const {
  if (held_) {
    const HeldCells::Cell c = heldCell(col);
    if (c.kind != HeldCells::Kind::kText || c.null) return std::nullopt;
    return c.raw;
  }
  if (const auto* s = std::get_if<std::string>(&cells_.at(col))) return std::string_view(*s);
  return std::nullopt;
}

std::string Row::text(size_t col) const {
  if (auto v = view(col)) return std::string(*v);
  const Value v = value(col);
  if (const auto* i = std::get_if<long long>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<Bytes>(&v)) return std::string(b->begin(), b->end());
  return {};
}

long long Row::integer(size_t col) const {
  if (held_) {
    const HeldCells::Cell c = heldCell(col);
    if (c.null || c.kind == HeldCells::Kind::kBlob) return 0;
    return heldInteger(c);
  }
  const Value& v = cells_.at(col);
  if (const auto* i = std::get_if<long long>(&v)) return *i;
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

Bytes Row::blob(size_t col) const {
  if (held_) {
    const HeldCells::Cell c = heldCell(col);
    if (c.null) return {};
    if (c.kind == HeldCells::Kind::kBlob) return heldBlob(*held_, c);
    if (c.kind == HeldCells::Kind::kText) return Bytes(c.raw.begin(), c.raw.end());
    return {};
  }
  const Value& v = cells_.at(col);
  if (const auto* b = std::get_if<Bytes>(&v)) return *b;
  if (const auto* s = std::get_if<std::string>(&v)) return Bytes(s->begin(), s->end());
  return {};
}

const Bytes* Row::ownBlob(size_t col) const {
  if (held_) return nullptr;
  return std::get_if<Bytes>(&cells_.at(col));
}

std::string_view Row::spelled(size_t col, std::string* copy) const {
  if (auto held = view(col)) return *held;
  *copy = text(col);
  return *copy;
}

StatusOr<std::optional<core::Date>> Row::date(size_t col, std::string_view column) const {
  std::string copy;
  const std::string_view s = spelled(col, &copy);
  if (s.empty()) return std::optional<core::Date>();
  auto d = core::Date::parse(s, column);
  if (!d.isOk()) return core::corruption("stored " + std::string(column) + " is not a date");
  return std::optional<core::Date>(*d);
}

StatusOr<core::Timestamp> Row::timestamp(size_t col, std::string_view column) const {
  std::string copy;
  const std::string_view s = spelled(col, &copy);
  auto t = core::parseTimestamp(s, column);
  if (!t.isOk()) return core::corruption("stored " + std::string(column) + " is not a timestamp");
  return *t;
}

Status Database::insert(std::string_view table, const std::vector<Column>& cols) {
  std::string sql = "INSERT INTO " + std::string(table) + " (";
  std::string marks;
  std::vector<Value> args;
  args.reserve(cols.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    sql += (i ? ", " : "") + cols[i].name;
    marks += i ? ", ?" : "?";
    args.push_back(cols[i].value);
  }
  sql += ") VALUES (" + marks + ")";
  return execute(sql, args);
}

Status Database::insertMany(std::string_view table, const std::vector<std::string>& columns,
                            const std::vector<std::vector<Value>>& rows) {
  std::vector<Column> cols;
  for (const auto& row : rows) {
    cols.clear();
    for (size_t i = 0; i < columns.size(); ++i) cols.push_back({columns[i], row.at(i)});
    RECOURSE_RETURN_IF_ERROR(insert(table, cols));
  }
  return Status::ok();
}

Status Database::update(std::string_view table, const std::string& id, std::vector<Column> cols) {
  std::string sql = "UPDATE " + std::string(table) + " SET ";
  std::vector<Value> args;
  args.reserve(cols.size() + 1);
  for (size_t i = 0; i < cols.size(); ++i) {
    sql += (i ? ", " : "") + cols[i].name + " = ?";
    args.push_back(std::move(cols[i].value));
  }
  sql += " WHERE id = ?";
  args.emplace_back(id);
  return execute(sql, args);
}

StatusOr<long long> Database::updateVersioned(std::string_view table, const std::string& id,
                                              std::vector<Column> cols, long long expected) {
  std::string sql = "UPDATE " + std::string(table) + " SET ";
  std::vector<Value> args;
  args.reserve(cols.size() + 2);
  for (auto& col : cols) {
    sql += col.name + " = ?, ";
    args.push_back(std::move(col.value));
  }
  sql += "version = version + 1 WHERE id = ?";
  args.emplace_back(id);
  if (expected > 0) {
    sql += " AND version = ?";
    args.emplace_back(expected);
  }
  RECOURSE_RETURN_IF_ERROR(execute(sql, args));
  const long long changed = changedRows();
  RECOURSE_ASSIGN_OR_RETURN(
      auto row, firstRow("SELECT version FROM " + std::string(table) + " WHERE id = ?", {id}));
  if (!row) return core::notFound("no record " + id);
  if (changed == 0) {
    return core::conflict("it was changed by someone else since it was opened (now version " +
                          std::to_string(row->integer(0)) + "); nothing was saved")
        .withField("version")
        .withReason("changed_meanwhile");
  }
  return row->integer(0);
}

StatusOr<std::map<std::string, long long>> copyAll(Database& from, Database& to, int page) {
  // Page by page in the order rows were added (the chains by their sequence), so that a
  // vault of millions of rows never sits in memory whole.
  std::map<std::string, long long> counts;
  for (const std::string& table : schemaTables()) {
    // An evidence file's parts are up to 1 MiB each: a few at a time.
    const int kPage = std::max(1, table == "evidence_parts" ? std::min(page, 8) : page);
    RECOURSE_ASSIGN_OR_RETURN(auto columns, to.columnsOf(table));
    if (columns.empty()) return core::internalError("no table " + table + " to copy into");
    const bool chained = table == "audit_log" || table == "custody_log";
    const std::string key = chained ? "seq" : "rowid";
    std::string sql = "SELECT " + key;
    for (const auto& c : columns) sql += ", " + c;
    sql += " FROM " + table + " WHERE " + key + " > ? ORDER BY " + key + " LIMIT " +
           std::to_string(kPage);
    long long after = std::numeric_limits<long long>::min();
    long long copied = 0;
    std::vector<std::vector<Value>> page;
    for (;;) {
      RECOURSE_ASSIGN_OR_RETURN(auto rows, from.select(sql, {after}));
      if (rows.empty()) break;
      page.clear();
      page.reserve(rows.size());
      for (const auto& row : rows) {
        std::vector<Value> values;
        values.reserve(columns.size());
        for (size_t i = 0; i < columns.size(); ++i) values.push_back(row.value(i + 1));
        page.push_back(std::move(values));
      }
      RECOURSE_RETURN_IF_ERROR(to.insertMany(table, columns, page).withContext("copying " + table));
      after = rows.back().integer(0);
      copied += static_cast<long long>(rows.size());
      if (rows.size() < static_cast<size_t>(kPage)) break;
    }
    counts[table] = copied;
  }
  return counts;
}

}  // namespace recourse::store
