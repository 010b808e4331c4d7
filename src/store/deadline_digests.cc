#include "store/deadline_digests.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <utility>

#include "store/sealed.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

namespace {

constexpr char kTable[] = "deadline_digests";
constexpr std::string_view kMagic = "rdd1";
constexpr std::int32_t kNoDate = std::numeric_limits<std::int32_t>::min();

class Writer {
 public:
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void i32(std::int32_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void date(const std::optional<core::Date>& d) {
    i32(d ? static_cast<std::int32_t>(d->days().time_since_epoch().count()) : kNoDate);
  }
  void magic() { out_.append(kMagic); }
  std::string take() { return std::move(out_); }

 private:
  void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads what Writer wrote; any read past the end, or a count larger than what is left,
// leaves it failed (and every later read gives zeros and empty text).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool atEnd() const { return in_.empty(); }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::int32_t i32() { return fixed<std::int32_t>(); }
  std::int64_t i64() { return fixed<std::int64_t>(); }
  std::string str() {
    const std::uint32_t n = u32();
    if (!ok_ || n > in_.size()) return fail<std::string>();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  std::optional<core::Date> date() {
    const std::int32_t d = i32();
    if (!ok_ || d == kNoDate) return std::nullopt;
    return core::Date(std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(d))));
  }
  bool magic() {
    if (in_.substr(0, kMagic.size()) != kMagic) return fail<bool>();
    in_.remove_prefix(kMagic.size());
    return true;
  }
  // A count of things each at least `least` bytes long: no more than could fit in what is
  // left (a damaged count does not make a huge allocation).
  std::uint32_t count(size_t least) {
    const std::uint32_t n = u32();
    if (!ok_ || n > in_.size() / least) return fail<std::uint32_t>();
    return n;
  }

 private:
  template <typename T>
  T fixed() {
    if (!ok_ || in_.size() < sizeof(T)) return fail<T>();
    T v;
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return v;
  }
  template <typename T>
  T fail() {
    ok_ = false;
    in_ = {};
    return T{};
  }
  std::string_view in_;
  bool ok_ = true;
};

// What a digest is sealed for: its client and the change it was made after.
std::string digestPlace(const std::string& client_id, const std::string& last_change) {
  return client_id + "/" + last_change;
}

}  // namespace

std::string encodeDigest(const DigestContent& c) {
  Writer w;
  w.magic();
  w.u32(static_cast<std::uint32_t>(c.incidents.size()));
  for (const auto& i : c.incidents) {
    w.str(i.case_id);
    w.str(i.id);
    w.str(core::datePrecisionName(i.date_precision));
    w.date(i.date_start);
    w.date(i.date_end);
    w.str(i.date_text);
    w.str(i.channel);
    w.str(joinKinds(i.harm_kinds));
    w.i64(i.version);
  }
  w.u32(static_cast<std::uint32_t>(c.requests.size()));
  for (const auto& r : c.requests) {
    w.i64(r.place);
    w.str(r.request.id);
    w.str(r.request.case_id);
    w.str(r.request.custodian_name);
    w.str(r.request.jurisdiction);
    w.i64(r.request.created_at.time_since_epoch().count());
    w.str(core::requestKindName(r.request.kind));
    w.i64(r.request.version);
    w.u32(static_cast<std::uint32_t>(r.events.size()));
    for (const auto& e : r.events) {
      w.str(e.id);
      w.str(core::requestEventName(e.type));
      w.date(e.on);
      w.str(e.via);
      w.i64(e.recorded_at.time_since_epoch().count());
      w.i32(e.reply_within_days);
      w.i64(e.version);
    }
  }
  return w.take();
}

StatusOr<DigestContent> decodeDigest(std::string_view bytes) {
  const Status bad = core::corruption("a deadline digest that does not read");
  Reader r(bytes);
  if (!r.magic()) return bad;
  DigestContent c;
  // The fewest bytes an incident and a request take (their fixed parts).
  const std::uint32_t incidents = r.count(8 * 4 + 2 * 4 + 8);
  c.incidents.reserve(incidents);
  for (std::uint32_t n = 0; n < incidents && r.ok(); ++n) {
    core::Incident i;
    i.case_id = r.str();
    i.id = r.str();
    auto precision = core::parseDatePrecision(r.str());
    if (!precision) return bad;
    i.date_precision = *precision;
    i.date_start = r.date();
    i.date_end = r.date();
    i.date_text = r.str();
    i.channel = r.str();
    i.harm_kinds = splitKinds(r.str());
    i.version = r.i64();
    c.incidents.push_back(std::move(i));
  }
  const std::uint32_t requests = r.count(8 + 6 * 4 + 8 + 8 + 4);
  c.requests.reserve(requests);
  for (std::uint32_t n = 0; n < requests && r.ok(); ++n) {
    DigestContent::Request one;
    one.place = r.i64();
    core::RecordsRequest& q = one.request;
    q.id = r.str();
    q.case_id = r.str();
    q.custodian_name = r.str();
    q.jurisdiction = r.str();
    q.created_at = core::Timestamp(std::chrono::seconds(r.i64()));
    auto kind = core::parseRequestKind(r.str());
    if (!kind) return bad;
    q.kind = *kind;
    q.version = r.i64();
    const std::uint32_t events = r.count(3 * 4 + 4 + 4 + 8 + 4 + 8);
    one.events.reserve(events);
    for (std::uint32_t k = 0; k < events && r.ok(); ++k) {
      core::RequestEvent e;
      e.id = r.str();
      e.request_id = q.id;
      auto type = core::parseRequestEvent(r.str());
      if (!type) return bad;
      e.type = *type;
      auto on = r.date();
      if (!on) return bad;
      e.on = *on;
      e.via = r.str();
      e.recorded_at = core::Timestamp(std::chrono::seconds(r.i64()));
      e.reply_within_days = r.i32();
      e.version = r.i64();
      one.events.push_back(std::move(e));
    }
    c.requests.push_back(std::move(one));
  }
  if (!r.ok() || !r.atEnd()) return bad;
  return c;
}

Query DeadlineDigests::namesQuery(const std::string& client_id) {
  // Each client's last change (the partial index audit_log_changes holds it, newest last)
  // beside the digest kept of them, if any.
  std::string sql =
      "SELECT x.client_id, (SELECT a.hash FROM audit_log a WHERE a.client_id = x.client_id AND"
      " a.action NOT LIKE 'read.%' ORDER BY a.seq DESC LIMIT 1), d.last_change, d.sealed FROM ";
  if (client_id.empty()) {
    sql +=
        "key_grants x LEFT JOIN deadline_digests d ON d.client_id = x.client_id"
        " WHERE x.user_id = ?";
    return {sql, {p_.keys.me().id}};
  }
  sql +=
      "(SELECT id AS client_id FROM clients WHERE id = ?) x LEFT JOIN deadline_digests d ON"
      " d.client_id = x.client_id";
  return {sql, {client_id}};
}

namespace {

// Adds one client's content (from its digest) to what read() gives.
void addContent(DigestContent&& c, const std::string& client_id, DeadlineDigests::Inputs& out,
                std::vector<long long>& places) {
  for (auto& i : c.incidents) {
    out.incidents.case_client.emplace(i.case_id, client_id);
    out.incidents.by_case[i.case_id].push_back(std::move(i));
  }
  for (auto& r : c.requests) {
    out.under_way.histories.case_client.emplace(r.request.case_id, client_id);
    if (!r.events.empty()) out.under_way.histories.by_request[r.request.id] = std::move(r.events);
    places.push_back(r.place);
    out.under_way.requests.push_back(std::move(r.request));
  }
}

template <typename Map>
void mergeInto(Map& to, Map&& from) {
  for (auto& [k, v] : from) to.emplace(k, std::move(v));
}

// One client's content out of records read afresh (of that client alone, or of every client
// the account may open); nullopt when anything of it did not read.
std::optional<DigestContent> contentOf(const std::string& client_id,
                                       const IncidentsRepo::ByCase& incidents,
                                       const RequestsRepo::UnderWay& under_way) {
  DigestContent c;
  for (const auto& [kase, client] : incidents.case_client) {
    if (client != client_id) continue;
    if (incidents.unreadable.count(kase) != 0) return std::nullopt;
    auto found = incidents.by_case.find(kase);
    if (found == incidents.by_case.end()) continue;
    c.incidents.insert(c.incidents.end(), found->second.begin(), found->second.end());
  }
  const auto& case_client = under_way.histories.case_client;
  for (size_t k = 0; k < under_way.requests.size(); ++k) {
    const core::RecordsRequest& r = under_way.requests[k];
    auto whose = case_client.find(r.case_id);
    if (whose == case_client.end() || whose->second != client_id) continue;
    if (under_way.histories.unreadable.count(r.id) != 0) return std::nullopt;
    DigestContent::Request one{under_way.places[k], r, {}};
    if (auto events = under_way.histories.by_request.find(r.id);
        events != under_way.histories.by_request.end()) {
      one.events = events->second;
    }
    c.requests.push_back(std::move(one));
  }
  return c;
}

}  // namespace

StatusOr<DeadlineDigests::Inputs> DeadlineDigests::read(const std::string& client_id) {
  RECOURSE_RETURN_IF_ERROR(p_.keys.requireUnlocked());
  const Query names = namesQuery(client_id);
  RECOURSE_ASSIGN_OR_RETURN(auto rows, p_.db.select(names.sql, names.args));
  Inputs out;
  std::vector<long long> places;
  // Clients to read afresh, with their last change (what a new digest is named by): those
  // whose digest is missing or named by an older change, then any whose digest does not
  // open. Many of them, and the digests are not opened at all (see below).
  std::vector<std::pair<std::string, std::string>> stale;
  std::vector<const Row*> named_now;
  for (const auto& row : rows) {
    if (!row.isNull(2) && row.view(2) == row.view(1).value_or(std::string_view())) {
      named_now.push_back(&row);
    } else {
      stale.emplace_back(row.text(0), row.text(1));
    }
  }
  // On an engine that does not keep every reference between rows (SQLite: another program
  // may write without its checks), a request whose case is gone is found only by reading
  // every client's at once, which names it: any client read afresh there means all are.
  auto everyoneAtOnce = [&] {
    if (stale.size() > kOneByOne) return true;
    return !stale.empty() && client_id.empty() && !p_.db.referencesEnforced();
  };
  if (!everyoneAtOnce()) {
    for (const Row* row : named_now) {
      std::string client = row->text(0);
      std::string last_change = row->text(1);
      auto content = [&]() -> StatusOr<DigestContent> {
        RECOURSE_ASSIGN_OR_RETURN(const SecretKey* key, p_.keys.storedClientKeyAt(client));
        RECOURSE_ASSIGN_OR_RETURN(std::string plain, unsealAt(*row, 3, *key, kTable, "sealed",
                                                              digestPlace(client, last_change)));
        return decodeDigest(plain);
      }();
      if (content.isOk()) {
        addContent(std::move(content).value(), client, out, places);
        ++out.from_digests;
      } else {
        stale.emplace_back(std::move(client), std::move(last_change));
      }
    }
  }
  out.read_afresh = static_cast<long long>(stale.size());
  // Read afresh: the stale clients one by one, or, when there are many, everyone at once (and
  // the digests read above put aside: those records are in what is read).
  std::vector<std::pair<std::string, DigestContent>> fresh;
  const size_t damage_before = p_.damaged != nullptr ? p_.damaged->size() : 0;
  auto damageGrew = [&] { return p_.damaged != nullptr && p_.damaged->size() != damage_before; };
  if (everyoneAtOnce()) {
    RECOURSE_ASSIGN_OR_RETURN(auto incidents, incidents_.listAll(client_id, false));
    RECOURSE_ASSIGN_OR_RETURN(auto under_way, requests_.underWay(client_id, false));
    if (!damageGrew()) {
      for (const auto& [client, last_change] : stale) {
        if (auto c = contentOf(client, incidents, under_way)) {
          fresh.emplace_back(client, std::move(*c));
        }
      }
    }
    out.from_digests = 0;
    out.read_afresh = static_cast<long long>(rows.size());
    out.incidents = std::move(incidents);
    out.under_way = std::move(under_way);
  } else {
    for (const auto& [client, last_change] : stale) {
      const size_t damage_here = p_.damaged != nullptr ? p_.damaged->size() : 0;
      RECOURSE_ASSIGN_OR_RETURN(auto incidents, incidents_.listAll(client, false));
      RECOURSE_ASSIGN_OR_RETURN(auto under_way, requests_.underWay(client, false));
      const bool clean = (p_.damaged == nullptr || p_.damaged->size() == damage_here) &&
                         incidents.unreadable.empty() && under_way.histories.unreadable.empty();
      if (clean) {
        if (auto c = contentOf(client, incidents, under_way)) {
          fresh.emplace_back(client, std::move(*c));
        }
      }
      mergeInto(out.incidents.by_case, std::move(incidents.by_case));
      mergeInto(out.incidents.case_client, std::move(incidents.case_client));
      mergeInto(out.incidents.unreadable, std::move(incidents.unreadable));
      mergeInto(out.under_way.histories.by_request, std::move(under_way.histories.by_request));
      mergeInto(out.under_way.histories.case_client, std::move(under_way.histories.case_client));
      mergeInto(out.under_way.histories.unreadable, std::move(under_way.histories.unreadable));
      for (size_t k = 0; k < under_way.requests.size(); ++k) {
        places.push_back(under_way.places[k]);
        out.under_way.requests.push_back(std::move(under_way.requests[k]));
      }
    }
    // Every client's requests in the order they were added, as one read gives them.
    std::vector<size_t> order(places.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(),
              [&](size_t x, size_t y) { return places[x] < places[y]; });
    std::vector<core::RecordsRequest> sorted;
    sorted.reserve(order.size());
    for (size_t k : order) sorted.push_back(std::move(out.under_way.requests[k]));
    out.under_way.requests = std::move(sorted);
    std::sort(places.begin(), places.end());
    out.under_way.places = std::move(places);
  }
  if (fresh.empty()) return out;
  // Kept for the next view. Named by the last change read before the records were: one
  // committed since then has another name, and the digest is not used.
  std::map<std::string, std::string> named(stale.begin(), stale.end());
  long long kept = 0;
  Status saved = p_.db.inTransaction([&]() -> Status {
    kept = 0;
    for (const auto& [client, content] : fresh) {
      // Under the client's key in force only: one another program replaced meanwhile (taking
      // someone's access away) is not used, as no write uses it.
      auto key = p_.keys.storedClientKey(client);
      if (!key.isOk() || !p_.keys.checkKeyCurrent(client).isOk()) continue;
      const std::string& last_change = named[client];
      RECOURSE_RETURN_IF_ERROR(p_.db.execute(
          "INSERT INTO deadline_digests (client_id, last_change, sealed) VALUES (?, ?, ?)"
          " ON CONFLICT (client_id) DO UPDATE SET last_change = excluded.last_change,"
          " sealed = excluded.sealed",
          {client, last_change,
           sealedValue(**key, kTable, "sealed", digestPlace(client, last_change),
                       encodeDigest(content))}));
      ++kept;
    }
    return Status::ok();
  });
  if (saved.isOk()) out.saved = kept;
  return out;
}

}  // namespace recourse::store
