#include "jurisdiction/registry.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace recourse::jurisdiction {
namespace {

std::string normalize(const std::string& s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

std::string lowered(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (!std::isspace(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

// Levenshtein distance, capped: anything past `cap` is cap + 1.
size_t editDistance(const std::string& a, const std::string& b, size_t cap) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > cap) return cap + 1;
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], cap + 1);
}

}  // namespace

std::string Registry::knownId(const std::string& text) const {
  const std::string t = lowered(text);
  return by_id_.count(t) != 0 ? t : std::string();
}

namespace {

// Everyday names (lower case, letters and digits only) for a place whose id is another
// code. They only suggest the id (nothing is accepted without it), so a person typing "UK"
// is pointed to gb.
bool isAliasOf(const std::string& normalized, const std::string& id) {
  static const std::vector<std::pair<std::string, std::string>> kAliases = {
      {"uk", "gb"},      {"unitedkingdom", "gb"}, {"greatbritain", "gb"}, {"britain", "gb"},
      {"england", "gb"}, {"scotland", "gb"},      {"wales", "gb"},        {"northernireland", "gb"},
      {"usa", "us"},     {"unitedstates", "us"},  {"america", "us"},      {"canada", "ca-on"}};
  return std::any_of(kAliases.begin(), kAliases.end(),
                     [&](const auto& a) { return a.first == normalized && a.second == id; });
}

}  // namespace

std::vector<const Jurisdiction*> Registry::suggest(const std::string& text) const {
  const std::string t = lowered(text);
  const std::string t_name = normalize(text);
  std::vector<std::pair<int, const Jurisdiction*>> scored;  // lower is better
  if (t.empty()) return {};
  for (const auto& [id, j] : by_id_) {
    const size_t dash = id.find('-');
    const std::string region = dash == std::string::npos ? id : id.substr(dash + 1);
    const std::string country = id.substr(0, dash);
    int score = -1;
    if (isAliasOf(t_name, id)) {
      score = 0;  // "UK" -> gb, "USA" -> us
    } else if (t == region && dash != std::string::npos) {
      score = 0;  // "ca" -> us-ca, "on" -> ca-on
    } else if (!t_name.empty() && t_name == normalize(j.name)) {
      score = 0;  // "California"
    } else if (t == country) {
      score = 1;  // "ca" -> ca-on as well, after us-ca
    } else if (size_t d = t.size() < 4 ? 3 : editDistance(t, id, 2);
               d <= (id.size() > 5 ? 2u : 1u)) {
      score = 1 + static_cast<int>(d);  // "us-cal", "usca"
    } else if (t_name.size() >= 4 && normalize(j.name).rfind(t_name, 0) == 0) {
      score = 2;  // "calif"
    } else if (t_name.size() >= 5 && editDistance(t_name, normalize(j.name), 2) <= 2) {
      score = 3;  // "Califronia"
    }
    if (score >= 0) scored.emplace_back(score, &j);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Jurisdiction*> out;
  for (const auto& s : scored) {
    if (out.size() == 3) break;
    out.push_back(s.second);
  }
  return out;
}

std::string Registry::didYouMean(const std::string& text) const {
  auto near = suggest(text);
  if (near.empty()) return "";
  std::string out = "; did you mean ";
  for (size_t i = 0; i < near.size(); ++i) {
    out += (i == 0                 ? ""
            : i + 1 == near.size() ? " or "
                                   : ", ") +
           near[i]->id + " (" + near[i]->name + ")";
  }
  return out + "?";
}

core::StatusOr<std::string> Registry::checkJurisdiction(const std::string& text,
                                                        const std::string& field) const {
  std::string id = knownId(text);
  if (!id.empty()) return id;
  std::string known;
  for (const auto& [kid, j] : by_id_) known += (known.empty() ? "" : ", ") + kid;
  std::string shown = text.substr(0, 30);
  std::string hint = didYouMean(text);
  return core::invalidArgument("\"" + shown + "\" is not a jurisdiction Recourse knows" +
                               (hint.empty() ? "." : hint) + " Recourse knows: " + known + ".")
      .withField(field);
}

Registry Registry::loadDirectory(const std::string& dir) {
  Registry reg;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    reg.problems_.push_back({dir, "$", "is not a directory of jurisdiction files"});
    return reg;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const std::string name = p.filename().string();
    const std::string shown = "jurisdictions/" + name;
    auto text = readTextFile(p.string(), shown, &reg.problems_, kMaxDataFileBytes);
    if (!text) continue;
    if (name == kLicenseTypesFile) {
      if (auto types = parseLicenseTypes(*text, shown, &reg.problems_)) {
        reg.license_types_ = std::move(*types);
      }
      continue;
    }
    if (auto j = parseJurisdiction(*text, shown, &reg.problems_)) {
      std::string id = j->id;
      reg.by_id_.emplace(id, std::move(*j));
    }
  }
  if (reg.license_types_.empty()) {
    reg.problems_.push_back({"jurisdictions/" + std::string(kLicenseTypesFile), "$",
                             "the license-type vocabulary is missing or invalid"});
  }
  reg.crossCheck();
  return reg;
}

Registry Registry::fromValues(std::vector<Jurisdiction> jurisdictions,
                              std::vector<LicenseType> license_types) {
  Registry reg;
  reg.license_types_ = std::move(license_types);
  for (auto& j : jurisdictions) {
    std::string id = j.id;
    reg.by_id_.emplace(id, std::move(j));
  }
  reg.crossCheck();
  return reg;
}

void Registry::crossCheck() {
  std::set<std::string> known_types;
  for (const auto& t : license_types_) known_types.insert(t.id);
  std::set<std::string> bad;
  for (const auto& [id, j] : by_id_) {
    if (!j.parent.empty()) {
      if (!by_id_.count(j.parent)) {
        problems_.push_back(
            {j.file, "$.parent", "names \"" + j.parent + "\", which is not loaded"});
        bad.insert(id);
      } else {
        // Walk up; a chain longer than the number of files is a cycle.
        std::string cur = j.parent;
        for (size_t steps = 0; !cur.empty(); ++steps) {
          if (steps > by_id_.size() || cur == id) {
            problems_.push_back({j.file, "$.parent", "the parent chain loops back to " + id});
            bad.insert(id);
            break;
          }
          auto it = by_id_.find(cur);
          cur = it == by_id_.end() ? "" : it->second.parent;
        }
      }
    }
    if (!known_types.empty()) {
      for (size_t r = 0; r < j.other_routes.size(); ++r) {
        for (size_t t = 0; t < j.other_routes[r].license_types.size(); ++t) {
          const std::string& type = j.other_routes[r].license_types[t];
          if (!known_types.count(type)) {
            problems_.push_back({j.file,
                                 "$.other_routes[" + std::to_string(r) + "].license_types[" +
                                     std::to_string(t) + "]",
                                 "\"" + type + "\" is not in license-types.json"});
            bad.insert(id);
          }
        }
      }
      for (size_t b = 0; b < j.boards.size(); ++b) {
        for (size_t t = 0; t < j.boards[b].license_types.size(); ++t) {
          const std::string& type = j.boards[b].license_types[t];
          if (!known_types.count(type)) {
            problems_.push_back(
                {j.file,
                 "$.boards[" + std::to_string(b) + "].license_types[" + std::to_string(t) + "]",
                 "\"" + type + "\" is not in license-types.json"});
            bad.insert(id);
          }
        }
      }
    }
  }
  if (!known_types.empty()) checkTitles();
  for (const auto& id : bad) by_id_.erase(id);
  // A file whose parent was just removed is no longer valid either.
  bool removed = !bad.empty();
  while (removed) {
    removed = false;
    for (auto it = by_id_.begin(); it != by_id_.end();) {
      if (!it->second.parent.empty() && !by_id_.count(it->second.parent)) {
        problems_.push_back({it->second.file, "$.parent",
                             "its parent \"" + it->second.parent + "\" could not be loaded"});
        it = by_id_.erase(it);
        removed = true;
      } else {
        ++it;
      }
    }
  }
}

// Gives every listed title its license type, and reports a title that maps to none of its
// board's types, or that two bodies of one place list alike with no note saying why.
void Registry::checkTitles() {
  for (auto& [id, j] : by_id_) {
    for (size_t b = 0; b < j.boards.size(); ++b) {
      Board& board = j.boards[b];
      const auto& types = board.license_types;
      for (size_t t = 0; t < board.license_titles.size(); ++t) {
        LicenseTitle& title = board.license_titles[t];
        const std::string where =
            "$.boards[" + std::to_string(b) + "].license_titles[" + std::to_string(t) + "]";
        if (!title.license_type.empty()) {
          if (std::find(types.begin(), types.end(), title.license_type) == types.end()) {
            problems_.push_back({j.file, where,
                                 "\"" + title.title + "\" is given the license type \"" +
                                     title.license_type + "\", which this board does not list"});
          }
          continue;
        }
        if (types.size() == 1) {
          title.license_type = types[0];
          continue;
        }
        const std::string key = normalize(title.title);
        for (const auto& lt : license_types_) {
          if (std::find(types.begin(), types.end(), lt.id) == types.end()) continue;
          bool named = normalize(lt.label) == key || normalize(lt.id) == key;
          for (const auto& a : lt.aliases) named = named || normalize(a) == key;
          if (named) {
            title.license_type = lt.id;
            break;
          }
        }
        if (title.license_type.empty()) {
          std::string listed;
          for (const auto& ty : types) listed += (listed.empty() ? "" : ", ") + ty;
          problems_.push_back({j.file, where,
                               "\"" + title.title +
                                   "\" maps to none of this board's license types (" + listed +
                                   "); write it as {\"title\": \"" + title.title +
                                   "\", \"license_type\": ...} or add it to a type's aliases"});
        }
      }
    }
    // One title under two bodies of the same kind and region needs a note saying why.
    for (size_t a = 0; a < j.boards.size(); ++a) {
      for (size_t b = a + 1; b < j.boards.size(); ++b) {
        const Board& x = j.boards[a];
        const Board& y = j.boards[b];
        if (x.kind != y.kind || x.region != y.region) continue;
        for (size_t t = 0; t < y.license_titles.size(); ++t) {
          const LicenseTitle& ty = y.license_titles[t];
          for (const auto& tx : x.license_titles) {
            if (normalize(tx.title) != normalize(ty.title)) continue;
            if (!tx.note.empty() || !ty.note.empty()) continue;
            problems_.push_back(
                {j.file,
                 "$.boards[" + std::to_string(b) + "].license_titles[" + std::to_string(t) + "]",
                 "\"" + ty.title + "\" is also listed under " + x.id +
                     "; give one of them a note saying why both bodies take it"});
          }
        }
      }
    }
  }
}

std::vector<const FactMeta*> factsOf(const Jurisdiction& j) {
  std::vector<const FactMeta*> out;
  if (j.records_access) {
    const auto& ra = *j.records_access;
    out.push_back(&ra.meta);
    for (const auto* r : {&ra.response, &ra.inspection}) {
      if (*r) out.push_back(&(*r)->meta);
    }
    for (const auto& p : ra.provider_responses) out.push_back(&p.rule.meta);
    if (ra.extension) out.push_back(&ra.extension->meta);
    for (const auto* t :
         {&ra.fees, &ra.mental_health, &ra.denial_review, &ra.electronic_copy, &ra.retaliation}) {
      if (*t) out.push_back(&(*t)->meta);
    }
    if (ra.third_party_copy) {
      out.push_back(&ra.third_party_copy->meta);
      if (ra.third_party_copy->consent) out.push_back(&ra.third_party_copy->consent->meta);
    }
    if (ra.escalation) {
      out.push_back(&ra.escalation->meta);
      if (ra.escalation->time_limit) out.push_back(&ra.escalation->time_limit->meta);
      if (ra.escalation->process) out.push_back(&ra.escalation->process->meta);
    }
  }
  for (const auto* right :
       {&j.records_amendment, &j.disclosures_accounting, &j.health_plan_access}) {
    if (!*right) continue;
    out.push_back(&(*right)->meta);
    if ((*right)->response) out.push_back(&(*right)->response->meta);
    if ((*right)->extension) out.push_back(&(*right)->extension->meta);
  }
  for (const auto& b : j.boards) {
    out.push_back(&b.meta);
    if (b.complaint_time_limit) out.push_back(&b.complaint_time_limit->meta);
    for (const auto* t : {&b.process, &b.published_timeline, &b.complainant_protection}) {
      if (*t) out.push_back(&(*t)->meta);
    }
    if (b.first_reply) out.push_back(&b.first_reply->meta);
    if (b.outcome_review) {
      out.push_back(&b.outcome_review->meta);
      if (b.outcome_review->time_limit) out.push_back(&b.outcome_review->time_limit->meta);
    }
  }
  for (const auto& r : j.other_routes) out.push_back(&r.meta);
  if (j.holidays) out.push_back(&j.holidays->meta);
  return out;
}

FactGrades gradeFacts(const Jurisdiction& j) {
  FactGrades g;
  for (const FactMeta* m : factsOf(j)) {
    if (!m->verified) {
      ++g.unverified;
    } else if (m->verified_against == "official") {
      ++g.official;
    } else {
      ++g.secondary;
    }
    if (m->last_verified) {
      if (!g.oldest_check || *m->last_verified < *g.oldest_check) g.oldest_check = m->last_verified;
      if (!g.newest_check || *g.newest_check < *m->last_verified) g.newest_check = m->last_verified;
    }
  }
  return g;
}

std::vector<const Jurisdiction*> Registry::all() const {
  std::vector<const Jurisdiction*> out;
  for (const auto& [id, j] : by_id_) out.push_back(&j);
  return out;
}

Registry::BoardMatch Registry::boardById(const std::string& board_id) const {
  for (const auto& [id, j] : by_id_) {
    for (const auto& b : j.boards) {
      if (b.id == board_id) return {&b, &j};
    }
  }
  return {nullptr, nullptr};
}

const Jurisdiction* Registry::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::vector<const Jurisdiction*> Registry::chain(const std::string& id) const {
  std::vector<const Jurisdiction*> out;
  const Jurisdiction* j = find(id);
  while (j != nullptr && out.size() <= by_id_.size()) {
    out.push_back(j);
    j = j->parent.empty() ? nullptr : find(j->parent);
  }
  return out;
}

std::vector<const Jurisdiction*> Registry::givingRight(const std::string& id,
                                                       core::RequestKind kind) const {
  std::vector<const Jurisdiction*> out;
  for (const Jurisdiction* j : chain(id)) {
    bool gives = false;
    switch (kind) {
      case core::RequestKind::kAccess:
        gives = j->records_access.has_value();
        break;
      case core::RequestKind::kAmendment:
        gives = j->records_amendment.has_value();
        break;
      case core::RequestKind::kAccounting:
        gives = j->disclosures_accounting.has_value();
        break;
      case core::RequestKind::kClaims:
        gives = j->health_plan_access.has_value();
        break;
    }
    if (gives) out.push_back(j);
  }
  return out;
}

std::string Registry::resolveLicense(const std::string& text,
                                     const std::string& jurisdiction_id) const {
  const std::string key = normalize(text);
  if (key.empty()) return {};
  for (const auto& t : license_types_) {
    if (normalize(t.id) == key || normalize(t.label) == key) return t.id;
  }
  // Local titles first: "LPC" may mean different things in different places.
  for (const Jurisdiction* j : chain(jurisdiction_id)) {
    for (const auto& b : j->boards) {
      for (const auto& title : b.license_titles) {
        if (normalize(title.title) == key && !title.license_type.empty()) {
          return title.license_type;
        }
      }
    }
  }
  for (const auto& t : license_types_) {
    for (const auto& a : t.aliases) {
      if (normalize(a) == key) return t.id;
    }
  }
  return {};
}

core::StatusOr<std::vector<Registry::BoardMatch>> Registry::findBoards(
    const std::string& jurisdiction_id, const std::string& license) const {
  auto jurisdictions = chain(jurisdiction_id);
  if (jurisdictions.empty()) {
    std::string known;
    for (const auto& [id, j] : by_id_) known += (known.empty() ? "" : ", ") + id;
    return core::notFound("\"" + jurisdiction_id.substr(0, 20) +
                          "\" is not a known jurisdiction (known: " + known + ")")
        .withField("jurisdiction");
  }
  std::string type = resolveLicense(license, jurisdiction_id);
  if (type.empty()) {
    std::string known;
    for (const auto& t : license_types_) {
      known += (known.empty() ? "" : "; ") + t.id;
      if (!t.aliases.empty()) {
        known += " (";
        for (size_t i = 0; i < t.aliases.size() && i < 4; ++i) {
          known += (i ? ", " : "") + t.aliases[i];
        }
        known += ")";
      }
    }
    return core::invalidArgument("\"" + license.substr(0, 40) +
                                 "\" is not a license type Recourse knows. Known types: " + known)
        .withField("license");
  }
  // A title a body lists ("DO", "AMFT") goes to the bodies that list it, in the nearest
  // place that has one: the title can say more than its type (a DO's osteopathic board).
  // A type's own id or name ("psychiatrist") means every body for that type.
  const std::string key = normalize(license);
  bool names_type = false;
  for (const auto& t : license_types_) {
    names_type = names_type || normalize(t.id) == key || normalize(t.label) == key;
  }
  for (const Jurisdiction* j : names_type ? std::vector<const Jurisdiction*>{} : jurisdictions) {
    std::vector<BoardMatch> matches;
    for (const auto& b : j->boards) {
      for (const auto& title : b.license_titles) {
        if (normalize(title.title) == key) {
          matches.push_back({&b, j});
          break;
        }
      }
    }
    if (!matches.empty()) return matches;
  }
  for (const Jurisdiction* j : jurisdictions) {
    std::vector<BoardMatch> matches;
    for (const auto& b : j->boards) {
      if (std::find(b.license_types.begin(), b.license_types.end(), type) !=
          b.license_types.end()) {
        matches.push_back({&b, j});
      }
    }
    if (!matches.empty()) return matches;
  }
  return core::notFound("no board for " + type + " is recorded for " + jurisdiction_id +
                        " yet; the jurisdiction's health department can say who licenses it");
}

const HolidayCalendar& Registry::calendar(const std::string& jurisdiction_id) const {
  if (!calendars_) calendars_ = std::make_shared<Calendars>();
  std::lock_guard lk(calendars_->mu);
  auto& slot = calendars_->by_id[jurisdiction_id];
  if (!slot) {
    slot = std::make_unique<HolidayCalendar>();
    for (const Jurisdiction* j : chain(jurisdiction_id)) {
      if (j->holidays) {
        slot = std::make_unique<HolidayCalendar>(j->holidays->rules);
        break;
      }
    }
  }
  return *slot;
}

}  // namespace recourse::jurisdiction
