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
constexpr std::string_view kMagic = "rdd2";

// The names of the kinds a digest holds as small numbers, in order, and a fingerprint of
// them written into every digest: a build that numbers them differently (a kind added in the
// middle) does not read an older build's digests as its own, but reads the records afresh.
std::uint32_t vocabularyFingerprint() {
  static const std::uint32_t kPrint = [] {
    std::uint32_t h = 2166136261U;  // FNV-1a
    auto add = [&](std::string_view s) {
      for (char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619U;
      h = (h ^ 0xffU) * 16777619U;
    };
    for (int p = 0; p <= static_cast<int>(core::DatePrecision::kRecurring); ++p) {
      add(core::datePrecisionName(static_cast<core::DatePrecision>(p)));
    }
    for (const auto& n : core::requestKindNames()) add(n);
    for (const auto& n : core::requestEventNames()) add(n);
    return h;
  }();
  return kPrint;
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Whole numbers as LEB128 (signed ones zigzagged), text as its length and bytes: a digest is
// mostly short ids and names, each a byte or two of framing.
class Writer {
 public:
  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void s(std::int64_t v) { u(zigzag(v)); }
  void str(std::string_view s) {
    u(s.size());
    out_.append(s);
  }
  // 0 for none, else the day's number (zigzagged) and one.
  void date(const std::optional<core::Date>& d) {
    u(d ? zigzag(d->days().time_since_epoch().count()) + 1 : 0);
  }
  void fixed32(std::uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void magic() { out_.append(kMagic); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote; any read past the end, an overlong number, or a count larger than
// what is left leaves it failed (and every later read gives zeros and empty text).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool atEnd() const { return in_.empty(); }
  std::uint64_t u() {
    std::uint64_t v = 0;
    for (int shift = 0; ok_ && shift < 64; shift += 7) {
      if (in_.empty()) return fail<std::uint64_t>();
      const auto b = static_cast<std::uint8_t>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail<std::uint64_t>();
  }
  std::int64_t s() { return unzigzag(u()); }
  // Text of at most what is left.
  std::string_view view() {
    const std::uint64_t n = u();
    if (!ok_ || n > in_.size()) return fail<std::string_view>();
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }
  std::string str() { return std::string(view()); }
  std::optional<core::Date> date() {
    const std::uint64_t d = u();
    if (!ok_ || d == 0) return std::nullopt;
    const std::int64_t days = unzigzag(d - 1);
    if (days < -3'000'000 || days > 3'000'000) return fail<std::optional<core::Date>>();
    return core::Date(std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(days))));
  }
  std::uint32_t fixed32() {
    if (!ok_ || in_.size() < 4) return fail<std::uint32_t>();
    std::uint32_t v;
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return v;
  }
  bool magic() {
    if (in_.substr(0, kMagic.size()) != kMagic) return fail<bool>();
    in_.remove_prefix(kMagic.size());
    return true;
  }
  // A count of things each at least one byte long: no more than what is left (a damaged
  // count does not make a huge allocation).
  size_t count() {
    const std::uint64_t n = u();
    if (!ok_ || n > in_.size()) return fail<size_t>();
    return static_cast<size_t>(n);
  }
  // A number below `limit` (an index into a list, a kind's number).
  size_t below(size_t limit) {
    const std::uint64_t n = u();
    if (!ok_ || n >= limit) return fail<size_t>();
    return static_cast<size_t>(n);
  }

 private:
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

constexpr size_t kPrecisions = static_cast<size_t>(core::DatePrecision::kRecurring) + 1;

// Reads a digest, handing each of its parts to `sink` as it goes: its cases (begin), then
// each incident (by its case's place in that list) and each request with its history.
template <typename Sink>
Status decodeInto(std::string_view bytes, Sink& sink) {
  auto bad = [] { return core::corruption("a deadline digest that does not read"); };
  Reader r(bytes);
  if (!r.magic() || r.fixed32() != vocabularyFingerprint()) return bad();
  std::vector<std::string> cases(r.count());
  for (auto& c : cases) c = r.str();
  if (!r.ok()) return bad();
  sink.begin(cases);
  const size_t incidents = r.count();
  sink.expectIncidents(incidents);
  for (size_t n = 0; n < incidents && r.ok(); ++n) {
    const size_t kase = r.below(cases.size());
    core::Incident i;
    i.case_id = cases.empty() ? std::string() : cases[kase];
    i.id = r.str();
    i.date_precision = static_cast<core::DatePrecision>(r.below(kPrecisions));
    i.date_start = r.date();
    i.date_end = r.date();
    i.date_text = r.str();
    i.channel = r.str();
    const std::string_view kinds = r.view();
    if (!kinds.empty()) i.harm_kinds = splitKinds(std::string(kinds));
    i.version = static_cast<long long>(r.u());
    if (!r.ok()) return bad();
    sink.incident(kase, std::move(i));
  }
  const size_t requests = r.count();
  sink.expectRequests(requests);
  const size_t kinds = core::requestKindNames().size();
  const size_t types = core::requestEventNames().size();
  for (size_t n = 0; n < requests && r.ok(); ++n) {
    const auto place = static_cast<long long>(r.u());
    core::RecordsRequest q;
    q.id = r.str();
    const size_t kase = r.below(cases.size());
    q.case_id = cases.empty() ? std::string() : cases[kase];
    q.custodian_name = r.str();
    q.jurisdiction = r.str();
    q.created_at = core::Timestamp(std::chrono::seconds(r.s()));
    q.kind = static_cast<core::RequestKind>(r.below(kinds));
    q.version = static_cast<long long>(r.u());
    std::vector<core::RequestEvent> events(r.count());
    for (auto& e : events) {
      e.id = r.str();
      e.request_id = q.id;
      e.type = static_cast<core::RequestEventType>(r.below(types));
      auto on = r.date();
      if (!on) return bad();
      e.on = *on;
      e.via = r.str();
      e.recorded_at = core::Timestamp(std::chrono::seconds(r.s()));
      e.reply_within_days = static_cast<int>(r.s());
      e.version = static_cast<long long>(r.u());
    }
    if (!r.ok()) return bad();
    sink.request(place, kase, std::move(q), std::move(events));
  }
  if (!r.ok() || !r.atEnd()) return bad();
  return Status::ok();
}

}  // namespace

std::string encodeDigest(const DigestContent& c) {
  // Each case once, in the order first named.
  std::vector<std::string> cases;
  auto caseIndex = [&](const std::string& id) -> size_t {
    for (size_t k = cases.size(); k > 0; --k) {
      if (cases[k - 1] == id) return k - 1;
    }
    cases.push_back(id);
    return cases.size() - 1;
  };
  std::vector<size_t> incident_case;
  incident_case.reserve(c.incidents.size());
  for (const auto& i : c.incidents) incident_case.push_back(caseIndex(i.case_id));
  std::vector<size_t> request_case;
  request_case.reserve(c.requests.size());
  for (const auto& r : c.requests) request_case.push_back(caseIndex(r.request.case_id));
  Writer w;
  w.magic();
  w.fixed32(vocabularyFingerprint());
  w.u(cases.size());
  for (const auto& id : cases) w.str(id);
  w.u(c.incidents.size());
  for (size_t n = 0; n < c.incidents.size(); ++n) {
    const core::Incident& i = c.incidents[n];
    w.u(incident_case[n]);
    w.str(i.id);
    w.u(static_cast<std::uint64_t>(i.date_precision));
    w.date(i.date_start);
    w.date(i.date_end);
    w.str(i.date_text);
    w.str(i.channel);
    w.str(joinKinds(i.harm_kinds));
    w.u(static_cast<std::uint64_t>(i.version));
  }
  w.u(c.requests.size());
  for (size_t n = 0; n < c.requests.size(); ++n) {
    const DigestContent::Request& r = c.requests[n];
    w.u(static_cast<std::uint64_t>(r.place));
    w.str(r.request.id);
    w.u(request_case[n]);
    w.str(r.request.custodian_name);
    w.str(r.request.jurisdiction);
    w.s(r.request.created_at.time_since_epoch().count());
    w.u(static_cast<std::uint64_t>(r.request.kind));
    w.u(static_cast<std::uint64_t>(r.request.version));
    w.u(r.events.size());
    for (const auto& e : r.events) {
      w.str(e.id);
      w.u(static_cast<std::uint64_t>(e.type));
      w.date(e.on);
      w.str(e.via);
      w.s(e.recorded_at.time_since_epoch().count());
      w.s(e.reply_within_days);
      w.u(static_cast<std::uint64_t>(e.version));
    }
  }
  return w.take();
}

StatusOr<DigestContent> decodeDigest(std::string_view bytes) {
  struct Collect {
    DigestContent c;
    void begin(const std::vector<std::string>& /*cases*/) {}
    void expectIncidents(size_t n) { c.incidents.reserve(n); }
    void expectRequests(size_t n) { c.requests.reserve(n); }
    void incident(size_t /*kase*/, core::Incident&& i) { c.incidents.push_back(std::move(i)); }
    void request(long long place, size_t /*kase*/, core::RecordsRequest&& r,
                 std::vector<core::RequestEvent>&& events) {
      c.requests.push_back({place, std::move(r), std::move(events)});
    }
  } sink;
  RECOURSE_RETURN_IF_ERROR(decodeInto(bytes, sink));
  return std::move(sink.c);
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

// Adds one client's content (from its digest) to what read() gives: each case's incidents,
// which a digest holds case by case, moved in one run each.
void addContent(DigestContent&& c, const std::string& client_id, DeadlineDigests::Inputs& out,
                std::vector<long long>& places) {
  const size_t n = c.incidents.size();
  for (size_t k = 0; k < n;) {
    const std::string& kase = c.incidents[k].case_id;
    size_t end = k + 1;
    while (end < n && c.incidents[end].case_id == kase) ++end;
    out.incidents.case_client.try_emplace(kase, client_id);
    auto& list = out.incidents.by_case[kase];
    list.reserve(list.size() + (end - k));
    for (; k < end; ++k) list.push_back(std::move(c.incidents[k]));
  }
  for (auto& r : c.requests) {
    out.under_way.histories.case_client.try_emplace(r.request.case_id, client_id);
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
  out.incidents.by_case.reserve(rows.size());  // a case or so each
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
