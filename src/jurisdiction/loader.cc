#include "jurisdiction/loader.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "core/complaint.h"
#include "core/validation.h"

namespace recourse::jurisdiction {
namespace {

const std::set<std::string> kFactKeys = {"source",        "verified", "verified_against",
                                         "last_verified", "caution",  "note"};

// Whether plain words state a number of years ("within 2 years", "five years after").
bool yearsInProse(const std::string& text) {
  static const std::vector<std::string> kNumbers = {"one",    "two",     "three", "four", "five",
                                                    "six",    "seven",   "eight", "nine", "ten",
                                                    "twelve", "fifteen", "twenty"};
  std::string lower;
  for (char c : text)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (size_t at = lower.find(" year"); at != std::string::npos; at = lower.find(" year", at + 1)) {
    size_t end = at;
    size_t begin = lower.rfind(' ', end - 1);
    begin = begin == std::string::npos ? 0 : begin + 1;
    std::string word = lower.substr(begin, end - begin);
    if (word.empty()) continue;
    if (std::isdigit(static_cast<unsigned char>(word[0]))) return true;
    for (const auto& n : kNumbers) {
      if (word == n) return true;
    }
  }
  return false;
}

std::set<std::string> withFactKeys(std::set<std::string> keys) {
  keys.insert(kFactKeys.begin(), kFactKeys.end());
  return keys;
}

bool isHttpUrl(const std::string& s) {
  return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

}  // namespace

std::string researchMarker(const std::string& text) {
  for (const char* bad : {"the brief", "per the brief", " - LAW", " - GUIDANCE", "UNVERIFIED"}) {
    if (text.find(bad) != std::string::npos) {
      return std::string("is shown to people, so it must not contain \"") + bad +
             "\" (research remarks go in note; an unverified fact says so in caution)";
    }
  }
  return "";
}

std::string cautionProblem(const std::string& text) {
  if (text.size() > kMaxCautionChars) {
    return "a caution must be short (at most " + std::to_string(kMaxCautionChars) +
           " characters); put the research in note";
  }
  if (text.find('\n') != std::string::npos) return "a caution must be one paragraph";
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  // Maintainers' markers: links, files, the docs, the research brief, evidence grades.
  for (const char* bad :
       {"http:", "https:", "www.", ".json", ".md", ".htm", "docs/", "src/", "forms/",
        "jurisdictions/", "brief", " - law", " - guidance", "todo", "fixme", "see note"}) {
    if (lower.find(bad) != std::string::npos) {
      return std::string("a caution is read by the person, so it must not contain \"") + bad +
             "\" (links, files, docs and research remarks go in note)";
    }
  }
  if (text.find("UNVERIFIED") != std::string::npos || text.find("NOT ") != std::string::npos) {
    return "a caution says things plainly, without capitals for emphasis";
  }
  if (!std::isupper(static_cast<unsigned char>(text.front())) || text.back() != '.') {
    return "a caution is a sentence: it starts with a capital letter and ends with a full stop";
  }
  return "";
}

namespace {

class Parser {
 public:
  Parser(const std::string& file, std::vector<Problem>* problems) : r_(file, problems) {}

  FactMeta fact(const ObjectPtr& o, const std::string& path) {
    FactMeta m;
    ObjectPtr src = r_.object(o, path, "source", true);
    std::string sp = JsonReader::member(path, "source");
    if (src) {
      r_.checkKeys(src, sp, {"citation", "url", "read_at"});
      m.source.citation = shown(src, sp, "citation", true);
      m.source.url = r_.string(src, sp, "url", false);
      m.source.read_at = r_.string(src, sp, "read_at", false);
      if (m.source.url.empty() && m.source.read_at.empty()) {
        r_.problem(sp, "needs a url (or read_at: the page that was read)");
      }
      for (const auto* u : {&m.source.url, &m.source.read_at}) {
        if (!u->empty() && !isHttpUrl(*u)) {
          r_.problem(sp, "\"" + u->substr(0, 60) + "\" is not an http(s) URL");
        }
      }
    }
    m.verified = r_.boolean(o, path, "verified", true).value_or(false);
    m.last_verified = r_.date(o, path, "last_verified", m.verified);
    m.verified_against = r_.string(o, path, "verified_against", m.verified);
    if (!m.verified && !m.verified_against.empty()) {
      r_.problem(JsonReader::member(path, "verified_against"), "is only for a verified fact");
    } else if (m.verified && !m.verified_against.empty() && m.verified_against != "official" &&
               m.verified_against != "secondary") {
      r_.problem(JsonReader::member(path, "verified_against"),
                 "must be official (the law's or the body's own text) or secondary (a mirror or "
                 "a summary)");
    }
    m.note = r_.string(o, path, "note", false);
    if (!m.verified && m.note.empty()) {
      r_.problem(JsonReader::member(path, "note"),
                 "an unverified fact must say in a note what could not be confirmed");
    }
    m.caution = caution(o, path, m.verified);
    return m;
  }

  // A text that letters and screens show (citations, summaries): no research remarks.
  std::string shown(const ObjectPtr& o, const std::string& path, const std::string& key,
                    bool required) {
    std::string text = r_.string(o, path, key, required);
    std::string why = researchMarker(text);
    if (!why.empty()) r_.problem(JsonReader::member(path, key), why);
    return text;
  }

  // The person-facing caution of a fact: required when the fact is unverified, and held to
  // the plain-text rules (cautionProblem).
  std::string caution(const ObjectPtr& o, const std::string& path, bool verified) {
    std::string c = r_.string(o, path, "caution", false);
    const std::string cp = JsonReader::member(path, "caution");
    if (!verified && c.empty()) {
      r_.problem(cp,
                 "an unverified fact needs a caution: one short plain sentence for the person "
                 "(what could not be confirmed and what to check); research goes in note");
    } else if (!c.empty()) {
      std::string why = cautionProblem(c);
      if (!why.empty()) r_.problem(cp, why);
    }
    return c;
  }

  DayType dayType(const ObjectPtr& o, const std::string& path, bool required) {
    std::string t = r_.string(o, path, "day_type", required);
    if (t == "calendar" || t.empty()) return DayType::kCalendar;
    if (t == "business") return DayType::kBusiness;
    if (t == "calendar_month") return DayType::kCalendarMonth;
    r_.problem(JsonReader::member(path, "day_type"),
               "\"" + t.substr(0, 30) + "\" is not calendar, business or calendar_month");
    return DayType::kCalendar;
  }

  // Reads "days" (or "months" for calendar_month) as a count. Absent means the law sets
  // no number (e.g. "within a reasonable time"); the caller then requires a summary.
  std::optional<int> count(const ObjectPtr& o, const std::string& path, DayType type) {
    const char* key = type == DayType::kCalendarMonth ? "months" : "days";
    const char* other = type == DayType::kCalendarMonth ? "days" : "months";
    if (o->has(other) && !o->get(other).isEmpty()) {
      r_.problem(JsonReader::member(path, other),
                 std::string("does not go with day_type ") + dayTypeName(type) + "; use " + key);
    }
    auto v = r_.integer(o, path, key, false);
    if (!v) return std::nullopt;
    if (*v < 1 || *v > 3650) {
      r_.problem(JsonReader::member(path, key), "must be between 1 and 3650");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  bool hasCount(const ObjectPtr& o) {
    return (o->has("days") && !o->get("days").isEmpty()) ||
           (o->has("months") && !o->get("months").isEmpty());
  }

  std::optional<DayRule> dayRule(const ObjectPtr& parent, const std::string& ppath,
                                 const std::string& key, const std::set<std::string>& extra = {}) {
    ObjectPtr o = r_.object(parent, ppath, key, false);
    if (!o) return std::nullopt;
    return dayRuleAt(o, JsonReader::member(ppath, key), extra);
  }

  DayRule dayRuleAt(const ObjectPtr& o, const std::string& path,
                    const std::set<std::string>& extra) {
    std::set<std::string> keys = {"days",      "months",       "day_type",
                                  "starts_on", "roll_forward", "summary"};
    keys.insert(extra.begin(), extra.end());
    r_.checkKeys(o, path, withFactKeys(keys));
    DayRule d;
    d.meta = fact(o, path);
    d.type = dayType(o, path, hasCount(o));
    d.count = count(o, path, d.type);
    d.starts_on = r_.string(o, path, "starts_on", true);
    d.roll_forward = r_.boolean(o, path, "roll_forward", false).value_or(false);
    d.summary = shown(o, path, "summary", false);
    if (!hasCount(o) && d.summary.empty()) {
      r_.problem(JsonReader::member(path, "summary"),
                 "a rule without days (or months) must say in a summary what the law says "
                 "instead, e.g. \"within a reasonable time\"");
    }
    return d;
  }

  std::optional<ExtensionRule> extension(const ObjectPtr& parent, const std::string& ppath,
                                         const std::optional<DayRule>& base) {
    ObjectPtr o = r_.object(parent, ppath, "extension", false);
    if (!o) return std::nullopt;
    std::string path = JsonReader::member(ppath, "extension");
    if (o->has("notice_within_days")) {
      r_.problem(JsonReader::member(path, "notice_within_days"),
                 "is replaced by notice_within: {\"days\": N, \"day_type\": ...}, counted as "
                 "the law counts the notice period");
    }
    r_.checkKeys(o, path,
                 withFactKeys({"days", "months", "day_type", "counted_from", "conditions",
                               "written_notice_required", "notice_within", "max_extensions",
                               "notice_within_days"}));
    ExtensionRule e;
    e.meta = fact(o, path);
    e.type = dayType(o, path, true);
    e.count = count(o, path, e.type);
    std::string from = r_.string(o, path, "counted_from", true);
    if (from == "first_due_date") {
      e.basis = ExtensionBasis::kAfterFirstDue;
    } else if (from == "start") {
      e.basis = ExtensionBasis::kTotalFromStart;
    } else if (!from.empty()) {
      r_.problem(JsonReader::member(path, "counted_from"),
                 "\"" + from.substr(0, 30) +
                     "\" is not first_due_date (the law adds days after the first due date) or "
                     "start (the law gives a total counted from the start)");
    }
    e.conditions = r_.string(o, path, "conditions", true);
    e.written_notice_required =
        r_.boolean(o, path, "written_notice_required", false).value_or(false);
    if (ObjectPtr n = r_.object(o, path, "notice_within", false)) {
      std::string npath = JsonReader::member(path, "notice_within");
      r_.checkKeys(n, npath, {"days", "months", "day_type"});
      e.notice_type = dayType(n, npath, true);
      e.notice_within = count(n, npath, e.notice_type);
      if (!e.notice_within) {
        r_.problem(npath, std::string("needs ") +
                              (e.notice_type == DayType::kCalendarMonth ? "months" : "days"));
      }
    }
    if (auto m = r_.integer(o, path, "max_extensions", false)) {
      if (*m < 1 || *m > 10) {
        r_.problem(JsonReader::member(path, "max_extensions"), "must be between 1 and 10");
      } else {
        e.max_extensions = static_cast<int>(*m);
      }
    }
    // A total counted from the start must be longer than the period it extends.
    if (base && base->count && e.count && e.basis == ExtensionBasis::kTotalFromStart &&
        base->type == e.type && *e.count <= *base->count) {
      r_.problem(JsonReader::member(path, e.type == DayType::kCalendarMonth ? "months" : "days"),
                 "a total of " + std::to_string(*e.count) +
                     " counted from the start is not "
                     "longer than the " +
                     std::to_string(*base->count) +
                     " the response already allows; the extension would shorten it");
    }
    // The notice must be possible before the answer is due.
    if (base && base->count && e.notice_within && base->type == e.notice_type &&
        *e.notice_within > *base->count) {
      r_.problem(JsonReader::member(path, "notice_within"),
                 "a notice window of " + std::to_string(*e.notice_within) +
                     " is longer than the response period of " + std::to_string(*base->count) +
                     "; a notice after the answer is due cannot extend it");
    }
    return e;
  }

  std::optional<TextFact> textFact(const ObjectPtr& parent, const std::string& ppath,
                                   const std::string& key,
                                   const std::vector<std::string>& detail_keys) {
    ObjectPtr o = r_.object(parent, ppath, key, false);
    if (!o) return std::nullopt;
    std::string path = JsonReader::member(ppath, key);
    std::set<std::string> keys(detail_keys.begin(), detail_keys.end());
    keys.insert("summary");
    r_.checkKeys(o, path, withFactKeys(keys));
    TextFact t;
    t.meta = fact(o, path);
    t.summary = shown(o, path, "summary", true);
    for (const auto& k : detail_keys) {
      std::string v = r_.string(o, path, k, false);
      if (!v.empty()) t.details.emplace_back(k, v);
    }
    return t;
  }

  std::optional<ThirdPartyCopy> thirdPartyCopy(const ObjectPtr& parent, const std::string& ppath) {
    ObjectPtr o = r_.object(parent, ppath, "third_party_copy", false);
    if (!o) return std::nullopt;
    const std::string path = JsonReader::member(ppath, "third_party_copy");
    r_.checkKeys(o, path, withFactKeys({"summary", "direct_right", "electronic_only", "consent"}));
    ThirdPartyCopy t;
    t.meta = fact(o, path);
    t.summary = shown(o, path, "summary", true);
    t.direct_right = r_.boolean(o, path, "direct_right", false).value_or(false);
    t.electronic_only = r_.boolean(o, path, "electronic_only", false).value_or(false);
    if (t.electronic_only && !t.direct_right) {
      r_.problem(JsonReader::member(path, "electronic_only"),
                 "only limits a direct_right: set direct_right too, or leave it out");
    }
    if (ObjectPtr c = r_.object(o, path, "consent", false)) {
      const std::string cp = JsonReader::member(path, "consent");
      r_.checkKeys(c, cp, withFactKeys({"summary", "elements"}));
      CopyConsent consent;
      consent.meta = fact(c, cp);
      consent.summary = shown(c, cp, "summary", true);
      consent.elements = r_.stringArray(c, cp, "elements", false);
      std::set<std::string> seen;
      for (size_t i = 0; i < consent.elements.size(); ++i) {
        const std::string& e = consent.elements[i];
        const bool known = std::any_of(std::begin(kConsentElements), std::end(kConsentElements),
                                       [&](const char* k) { return e == k; });
        const std::string ep = JsonReader::index(JsonReader::member(cp, "elements"), i);
        if (!known) {
          std::string all;
          for (const char* k : kConsentElements) all += std::string(all.empty() ? "" : ", ") + k;
          r_.problem(ep, "\"" + e + "\" is not a statement Recourse knows; one of " + all);
        } else if (!seen.insert(e).second) {
          r_.problem(ep, "\"" + e + "\" is listed twice");
        }
      }
      t.consent = std::move(consent);
    }
    if (!t.direct_right && !t.consent) {
      r_.problem(path, "say what it gives: direct_right, or the consent the holder needs");
    }
    return t;
  }

  std::optional<Escalation> escalation(const ObjectPtr& parent, const std::string& ppath) {
    ObjectPtr o = r_.object(parent, ppath, "escalation", false);
    if (!o) return std::nullopt;
    std::string path = JsonReader::member(ppath, "escalation");
    r_.checkKeys(o, path, withFactKeys({"body", "how", "url", "time_limit", "process"}));
    Escalation e;
    e.meta = fact(o, path);
    e.body = r_.string(o, path, "body", true);
    e.how = r_.string(o, path, "how", false);
    e.url = r_.string(o, path, "url", false);
    e.time_limit = dayRule(o, path, "time_limit", {"from"});
    if (ObjectPtr tl = r_.object(o, path, "time_limit", false)) {
      e.time_limit_from = r_.string(tl, JsonReader::member(path, "time_limit"), "from", false);
    }
    e.process = textFact(o, path, "process", {});
    return e;
  }

  std::optional<RecordsAccess> recordsAccess(const ObjectPtr& root) {
    ObjectPtr o = r_.object(root, "$", "records_access", false);
    if (!o) return std::nullopt;
    const std::string path = "$.records_access";
    r_.checkKeys(
        o, path,
        withFactKeys({"law_name", "summary", "applies_to", "response", "provider_responses",
                      "inspection", "extension", "fees", "mental_health", "denial_review",
                      "third_party_copy", "electronic_copy", "retaliation", "escalation"}));
    RecordsAccess ra;
    ra.meta = fact(o, path);
    ra.law_name = r_.string(o, path, "law_name", true);
    ra.summary = shown(o, path, "summary", true);
    ra.applies_to = r_.string(o, path, "applies_to", false);
    ra.response = dayRule(o, path, "response");
    if (ArrayPtr pr = r_.array(o, path, "provider_responses", false)) {
      const std::string pp = JsonReader::member(path, "provider_responses");
      std::set<std::string> ids;
      for (size_t i = 0; i < pr->size(); ++i) {
        ObjectPtr po = r_.objectAt(pr, pp, i);
        if (!po) continue;
        const std::string ip = JsonReader::index(pp, i);
        const DayRule rule = dayRuleAt(po, ip, {"id", "applies_to", "license_types", "condition"});
        ProviderRule v;
        v.id = r_.string(po, ip, "id", true);
        v.applies_to = shown(po, ip, "applies_to", true);
        v.license_types = r_.stringArray(po, ip, "license_types", false);
        v.condition = shown(po, ip, "condition", false);
        v.rule = rule;
        if (v.license_types.empty() && v.condition.empty()) {
          r_.problem(ip, "say whom it applies to: license_types, or a condition in words");
        }
        if (!rule.count) {
          r_.problem(JsonReader::member(ip, "days"), "a provider's time limit needs its days");
        }
        if (!v.id.empty() && !ids.insert(v.id).second) {
          r_.problem(JsonReader::member(ip, "id"), "\"" + v.id + "\" is used twice");
        }
        ra.provider_responses.push_back(std::move(v));
      }
    }
    ra.inspection = dayRule(o, path, "inspection");
    ra.extension = extension(o, path, ra.response);
    ra.fees = textFact(o, path, "fees", {"cap", "hipaa"});
    ra.mental_health =
        textFact(o, path, "mental_health",
                 {"psychotherapy_notes", "summary_instead_of_copy", "harm_exception", "hipaa"});
    ra.denial_review = textFact(o, path, "denial_review", {});
    ra.third_party_copy = thirdPartyCopy(o, path);
    ra.electronic_copy = textFact(o, path, "electronic_copy", {"hipaa"});
    ra.retaliation = textFact(o, path, "retaliation", {});
    ra.escalation = escalation(o, path);
    // A number of days the summary promises must be a field the engine counts from.
    std::set<int> counts;
    for (const auto* r : {&ra.response, &ra.inspection}) {
      if (*r && (*r)->count) counts.insert(*(*r)->count);
    }
    if (ra.extension && ra.extension->count) counts.insert(*ra.extension->count);
    if (ra.escalation && ra.escalation->time_limit && ra.escalation->time_limit->count) {
      counts.insert(*ra.escalation->time_limit->count);
    }
    for (const auto& p : ra.provider_responses) {
      if (p.rule.count) counts.insert(*p.rule.count);
    }
    static const std::regex kDays(R"((\d+) (?:working |business |calendar )?days?\b)");
    for (std::sregex_iterator it(ra.summary.begin(), ra.summary.end(), kDays), end; it != end;
         ++it) {
      const int n = std::stoi((*it)[1].str());
      if (!counts.count(n)) {
        r_.problem(JsonReader::member(path, "summary"),
                   "says \"" + it->str() +
                       "\", but no time limit of that many days is a field (response, "
                       "inspection, extension or provider_responses)");
      }
    }
    return ra;
  }

  // records_amendment / disclosures_accounting: a law, its time limit and extension, and
  // the named texts `detail_keys`.
  std::optional<RecordsRight> recordsRight(const ObjectPtr& root, const std::string& key,
                                           const std::vector<std::string>& detail_keys) {
    ObjectPtr o = r_.object(root, "$", key, false);
    if (!o) return std::nullopt;
    const std::string path = "$." + key;
    std::set<std::string> keys(detail_keys.begin(), detail_keys.end());
    keys.insert({"law_name", "summary", "response", "extension"});
    r_.checkKeys(o, path, withFactKeys(keys));
    RecordsRight r;
    r.meta = fact(o, path);
    r.law_name = r_.string(o, path, "law_name", true);
    r.summary = shown(o, path, "summary", true);
    r.response = dayRule(o, path, "response");
    r.extension = extension(o, path, r.response);
    for (const auto& k : detail_keys) {
      std::string v = shown(o, path, k, false);
      if (!v.empty()) r.details.emplace_back(k, v);
    }
    return r;
  }

  Board board(const ObjectPtr& o, const std::string& path) {
    r_.checkKeys(o, path,
                 withFactKeys({"id",
                               "name",
                               "kind",
                               "region",
                               "license_types",
                               "license_titles",
                               "address",
                               "phone",
                               "fax",
                               "email",
                               "website",
                               "complaint_url",
                               "complaint_methods",
                               "complaint_requirements",
                               "complaint_time_limit",
                               "process",
                               "first_reply",
                               "published_timeline",
                               "outcome_review",
                               "complainant_protection"}));
    Board b;
    b.meta = fact(o, path);
    b.id = r_.string(o, path, "id", true);
    b.name = r_.string(o, path, "name", true);
    b.license_types = r_.stringArray(o, path, "license_types", true);
    const std::string kind = r_.string(o, path, "kind", false);
    if (kind == "complaints_entity") {
      b.kind = BoardKind::kComplaintsEntity;
    } else if (kind == "professional_body") {
      b.kind = BoardKind::kProfessionalBody;
    } else if (!kind.empty() && kind != "licensing_board") {
      r_.problem(JsonReader::member(path, "kind"),
                 "\"" + kind.substr(0, 30) +
                     "\" is not licensing_board, complaints_entity or professional_body");
    }
    b.region = r_.string(o, path, "region", false);
    if (ArrayPtr titles = r_.array(o, path, "license_titles", false)) {
      const std::string tpath = JsonReader::member(path, "license_titles");
      for (size_t i = 0; i < titles->size(); ++i) {
        Poco::Dynamic::Var v = titles->get(static_cast<unsigned>(i));
        LicenseTitle t;
        if (v.isString()) {
          t.title = v.extract<std::string>();
        } else if (ObjectPtr to = r_.objectAt(titles, tpath, i)) {
          const std::string ip = JsonReader::index(tpath, i);
          r_.checkKeys(to, ip, {"title", "license_type", "note"});
          t.title = r_.string(to, ip, "title", true);
          t.license_type = r_.string(to, ip, "license_type", false);
          t.note = r_.string(to, ip, "note", false);
        } else {
          continue;
        }
        if (t.title.empty()) {
          r_.problem(JsonReader::index(tpath, i), "a title must not be empty");
          continue;
        }
        b.license_titles.push_back(std::move(t));
      }
    }
    b.address = r_.string(o, path, "address", false);
    b.phone = r_.string(o, path, "phone", false);
    b.fax = r_.string(o, path, "fax", false);
    b.email = r_.string(o, path, "email", false);
    b.website = r_.string(o, path, "website", false);
    b.complaint_url = r_.string(o, path, "complaint_url", false);
    for (const auto* u : {&b.website, &b.complaint_url}) {
      if (!u->empty() && !isHttpUrl(*u)) {
        r_.problem(path, "\"" + u->substr(0, 60) + "\" is not an http(s) URL");
      }
    }
    b.complaint_methods = r_.stringArray(o, path, "complaint_methods", false);
    static const std::set<std::string> kMethods = {"online", "mail",  "email",
                                                   "fax",    "phone", "in_person"};
    for (size_t i = 0; i < b.complaint_methods.size(); ++i) {
      if (!kMethods.count(b.complaint_methods[i])) {
        r_.problem(JsonReader::index(JsonReader::member(path, "complaint_methods"), i),
                   "\"" + b.complaint_methods[i].substr(0, 30) +
                       "\" is not one of online, mail, email, fax, phone, in_person");
      }
    }
    if (b.website.empty() && b.complaint_url.empty() && b.address.empty()) {
      r_.problem(path, "a board needs at least a website, complaint_url or address");
    }
    b.complaint_requirements = shown(o, path, "complaint_requirements", false);
    if (ObjectPtr tl = r_.object(o, path, "complaint_time_limit", false)) {
      std::string tp = JsonReader::member(path, "complaint_time_limit");
      r_.checkKeys(
          tl, tp,
          withFactKeys({"summary", "years", "no_fixed_limit", "counted_from", "exceptions"}));
      ComplaintTimeLimit limit;
      limit.meta = fact(tl, tp);
      limit.summary = shown(tl, tp, "summary", true);
      limit.years = r_.number(tl, tp, "years", false);
      if (limit.years && (*limit.years <= 0 || *limit.years > 100)) {
        r_.problem(JsonReader::member(tp, "years"), "must be between 0 and 100");
        limit.years.reset();
      }
      limit.counted_from = r_.string(tl, tp, "counted_from", false);
      if (limit.counted_from.empty()) limit.counted_from = "act";
      if (limit.counted_from != "act" && limit.counted_from != "discovery") {
        r_.problem(JsonReader::member(tp, "counted_from"), "must be act or discovery");
      }
      if (ArrayPtr ex = r_.array(tl, tp, "exceptions", false)) {
        const std::string ep = JsonReader::member(tp, "exceptions");
        for (size_t k = 0; k < ex->size(); ++k) {
          ObjectPtr eo = r_.objectAt(ex, ep, k);
          if (!eo) continue;
          const std::string ip = JsonReader::index(ep, k);
          r_.checkKeys(eo, ip, {"harm_kinds", "no_limit", "years", "summary"});
          TimeLimitException e;
          e.harm_kinds = r_.stringArray(eo, ip, "harm_kinds", false);
          e.no_limit = r_.boolean(eo, ip, "no_limit", false).value_or(false);
          e.years = r_.number(eo, ip, "years", false);
          e.summary = shown(eo, ip, "summary", true);
          if (e.no_limit == e.years.has_value()) {
            r_.problem(ip, "an exception needs either years or \"no_limit\": true");
          } else if (e.years && limit.years && *e.years <= *limit.years) {
            r_.problem(JsonReader::member(ip, "years"),
                       "an exception's years must be longer than the limit it is an exception to");
          }
          limit.exceptions.push_back(std::move(e));
        }
      }
      // A limit in years written in the summary must be a field the engine reads, unless the
      // file says there is no fixed one (the years in the words are about something else).
      const bool no_fixed = r_.boolean(tl, tp, "no_fixed_limit", false).value_or(false);
      if (no_fixed && limit.years) {
        r_.problem(JsonReader::member(tp, "no_fixed_limit"), "contradicts years");
      }
      if (!limit.years && !no_fixed && yearsInProse(limit.summary)) {
        r_.problem(JsonReader::member(tp, "years"),
                   "the summary gives a time limit in years, but years is not set; add it (and "
                   "exceptions) as fields, or set no_fixed_limit: true if the law has none");
      }
      b.complaint_time_limit = limit;
    }
    b.process = textFact(o, path, "process", {});
    b.first_reply = dayRule(o, path, "first_reply");
    // Shown as what is owed by the date: a reply, or only a decision to investigate.
    if (b.first_reply && b.first_reply->summary.empty()) {
      r_.problem(JsonReader::member(JsonReader::member(path, "first_reply"), "summary"),
                 "must say in plain words what the board owes by then (a reply, a decision "
                 "whether to investigate)");
    }
    b.published_timeline = textFact(o, path, "published_timeline", {});
    b.outcome_review = outcomeReview(o, path);
    b.complainant_protection = textFact(o, path, "complainant_protection", {});
    return b;
  }

  std::optional<OutcomeReview> outcomeReview(const ObjectPtr& parent, const std::string& ppath) {
    ObjectPtr o = r_.object(parent, ppath, "outcome_review", false);
    if (!o) return std::nullopt;
    const std::string path = JsonReader::member(ppath, "outcome_review");
    r_.checkKeys(
        o, path,
        withFactKeys({"available", "summary", "body", "how", "url", "outcomes", "time_limit"}));
    OutcomeReview v;
    v.meta = fact(o, path);
    v.available = r_.boolean(o, path, "available", false).value_or(true);
    v.summary = shown(o, path, "summary", true);
    v.body = r_.string(o, path, "body", v.available);
    v.how = r_.string(o, path, "how", false);
    v.url = r_.string(o, path, "url", false);
    if (!v.url.empty() && !isHttpUrl(v.url)) {
      r_.problem(JsonReader::member(path, "url"),
                 "\"" + v.url.substr(0, 60) + "\" is not an http(s) URL");
    }
    v.outcomes = r_.stringArray(o, path, "outcomes", false);
    for (const auto& name : v.outcomes) {
      if (!core::parseComplaintOutcome(name)) {
        std::string list;
        for (const auto& n : core::complaintOutcomeNames()) list += (list.empty() ? "" : ", ") + n;
        r_.problem(JsonReader::member(path, "outcomes"),
                   "\"" + name.substr(0, 30) + "\" is not one of " + list);
      }
    }
    v.time_limit = dayRule(o, path, "time_limit");
    if (!v.available && v.time_limit) {
      r_.problem(JsonReader::member(path, "time_limit"),
                 "a time limit for a review the sources say is not available");
    }
    return v;
  }

  OtherRoute otherRoute(const ObjectPtr& o, const std::string& path) {
    r_.checkKeys(o, path,
                 withFactKeys({"id", "kind", "name", "summary", "how", "url", "time_limit",
                               "license_types", "harm_kinds"}));
    OtherRoute v;
    v.meta = fact(o, path);
    v.id = r_.string(o, path, "id", true);
    const std::string kind = r_.string(o, path, "kind", true);
    bool known = false;
    for (const auto& name : routeKindNames()) {
      if (name == kind) {
        known = true;
        v.kind = kind == "association" ? RouteKind::kAssociation
                 : kind == "insurance" ? RouteKind::kInsurance
                 : kind == "criminal"  ? RouteKind::kCriminal
                                       : RouteKind::kOther;
      }
    }
    if (!known && !kind.empty()) {
      r_.problem(JsonReader::member(path, "kind"),
                 "\"" + kind.substr(0, 30) + "\" is not association, insurance, criminal or other");
    }
    v.name = r_.string(o, path, "name", true);
    v.summary = shown(o, path, "summary", true);
    v.how = shown(o, path, "how", false);
    v.url = r_.string(o, path, "url", false);
    if (!v.url.empty() && !isHttpUrl(v.url)) {
      r_.problem(JsonReader::member(path, "url"),
                 "\"" + v.url.substr(0, 60) + "\" is not an http(s) URL");
    }
    v.time_limit = shown(o, path, "time_limit", false);
    v.license_types = r_.stringArray(o, path, "license_types", false);
    v.harm_kinds = r_.stringArray(o, path, "harm_kinds", false);
    if (v.kind == RouteKind::kCriminal && v.harm_kinds.empty()) {
      r_.problem(JsonReader::member(path, "harm_kinds"),
                 "a crime is shown only for the kinds of harm it covers: list them");
    }
    return v;
  }

  unsigned weekday(const ObjectPtr& o, const std::string& path) {
    static const char* kNames[] = {"sunday",   "monday", "tuesday", "wednesday",
                                   "thursday", "friday", "saturday"};
    std::string w = r_.string(o, path, "weekday", true);
    for (unsigned i = 0; i < 7; ++i) {
      if (w == kNames[i]) return i;
    }
    if (!w.empty()) r_.problem(JsonReader::member(path, "weekday"), "is not a day of the week");
    return 1;
  }

  HolidayRule holiday(const ObjectPtr& o, const std::string& path) {
    r_.checkKeys(o, path,
                 {"name", "rule", "month", "day", "weekday", "n", "offset_days", "observed",
                  "since", "until", "years", "verified", "caution", "note"});
    HolidayRule h;
    h.name = r_.string(o, path, "name", true);
    std::string rule = r_.string(o, path, "rule", true);
    auto month = [&] {
      auto m = r_.integer(o, path, "month", true);
      if (m && (*m < 1 || *m > 12)) r_.problem(JsonReader::member(path, "month"), "must be 1-12");
      return m && *m >= 1 && *m <= 12 ? static_cast<unsigned>(*m) : 1u;
    };
    if (rule == "fixed") {
      h.kind = HolidayKind::kFixed;
      h.month = month();
      auto d = r_.integer(o, path, "day", true);
      if (d && (*d < 1 || *d > 31)) r_.problem(JsonReader::member(path, "day"), "must be 1-31");
      h.day = d && *d >= 1 && *d <= 31 ? static_cast<unsigned>(*d) : 1u;
      if (!core::Date(2000, h.month, h.day).valid()) {
        r_.problem(JsonReader::member(path, "day"), "is not a day of that month");
      }
    } else if (rule == "nth_weekday" || rule == "nth_weekday_offset") {
      h.kind = rule == "nth_weekday" ? HolidayKind::kNthWeekday : HolidayKind::kNthWeekdayOffset;
      h.month = month();
      h.weekday = weekday(o, path);
      auto n = r_.integer(o, path, "n", true);
      if (n && (*n < 1 || *n > 5)) r_.problem(JsonReader::member(path, "n"), "must be 1-5");
      h.n = n && *n >= 1 && *n <= 5 ? static_cast<int>(*n) : 1;
      if (h.kind == HolidayKind::kNthWeekdayOffset) {
        h.offset_days = static_cast<int>(r_.integer(o, path, "offset_days", true).value_or(0));
      }
    } else if (rule == "last_weekday") {
      h.kind = HolidayKind::kLastWeekday;
      h.month = month();
      h.weekday = weekday(o, path);
    } else if (rule == "weekday_before") {
      h.kind = HolidayKind::kWeekdayBefore;
      h.month = month();
      auto d = r_.integer(o, path, "day", true);
      if (d && (*d < 1 || *d > 31)) r_.problem(JsonReader::member(path, "day"), "must be 1-31");
      h.day = d && *d >= 1 && *d <= 31 ? static_cast<unsigned>(*d) : 1u;
      h.weekday = weekday(o, path);
    } else if (rule == "easter_offset") {
      h.kind = HolidayKind::kEasterOffset;
      auto off = r_.integer(o, path, "offset_days", true);
      if (off && (*off < -60 || *off > 60)) {
        r_.problem(JsonReader::member(path, "offset_days"), "must be between -60 and 60");
      }
      h.offset_days = off ? static_cast<int>(*off) : 0;
    } else if (!rule.empty()) {
      r_.problem(JsonReader::member(path, "rule"),
                 "\"" + rule.substr(0, 30) +
                     "\" is not fixed, nth_weekday, last_weekday, nth_weekday_offset, "
                     "weekday_before or easter_offset");
    }
    std::string obs = r_.string(o, path, "observed", false);
    if (obs.empty() || obs == "none") {
      h.observed = Observed::kNone;
    } else if (obs == "nearest_weekday") {
      h.observed = Observed::kNearestWeekday;
    } else if (obs == "next_monday") {
      h.observed = Observed::kNextMonday;
    } else if (obs == "sunday_to_monday") {
      h.observed = Observed::kSundayToMonday;
    } else if (obs == "next_weekday_not_holiday") {
      h.observed = Observed::kNextFreeWeekday;
    } else {
      r_.problem(JsonReader::member(path, "observed"),
                 "\"" + obs.substr(0, 30) +
                     "\" is not none, nearest_weekday, next_monday, sunday_to_monday or "
                     "next_weekday_not_holiday");
    }
    if (auto s = r_.integer(o, path, "since", false)) h.since = static_cast<int>(*s);
    if (auto u = r_.integer(o, path, "until", false)) h.until = static_cast<int>(*u);
    std::string years = r_.string(o, path, "years", false);
    if (years == "even") {
      h.year_parity = 0;
    } else if (years == "odd") {
      h.year_parity = 1;
    } else if (!years.empty()) {
      r_.problem(JsonReader::member(path, "years"), "must be even or odd");
    }
    h.verified = r_.boolean(o, path, "verified", false).value_or(true);
    if (!h.verified && r_.string(o, path, "note", false).empty()) {
      r_.problem(JsonReader::member(path, "note"),
                 "an unverified holiday must say in a note what could not be confirmed");
    }
    h.caution = caution(o, path, h.verified);
    return h;
  }

  std::optional<Holidays> holidays(const ObjectPtr& root) {
    ObjectPtr o = r_.object(root, "$", "holidays", false);
    if (!o) return std::nullopt;
    const std::string path = "$.holidays";
    r_.checkKeys(o, path, withFactKeys({"rules"}));
    Holidays h;
    h.meta = fact(o, path);
    ArrayPtr rules = r_.array(o, path, "rules", true);
    if (rules) {
      for (size_t i = 0; i < rules->size(); ++i) {
        std::string rp = JsonReader::index(path + ".rules", i);
        if (ObjectPtr ro = r_.objectAt(rules, path + ".rules", i)) {
          h.rules.push_back(holiday(ro, rp));
        }
      }
    }
    return h;
  }

  std::optional<Jurisdiction> jurisdiction(const ObjectPtr& root, const std::string& file) {
    size_t before = r_.problemCount();
    r_.checkKeys(root, "$",
                 {"id", "name", "parent", "language", "page_size", "notes", "records_access",
                  "records_amendment", "disclosures_accounting", "health_plan_access", "boards",
                  "other_routes", "holidays"});
    Jurisdiction j;
    j.file = file;
    j.id = r_.string(root, "$", "id", true);
    if (!j.id.empty() && !core::isJurisdictionCode(j.id)) {
      r_.problem("$.id", "\"" + j.id.substr(0, 20) + "\" is not a code such as us, us-ca, gb");
    }
    std::string base = file.substr(file.find_last_of('/') + 1);
    if (!j.id.empty() && base != j.id + ".json") {
      r_.problem("$.id", "\"" + j.id + "\" does not match the file name " + base);
    }
    j.name = r_.string(root, "$", "name", true);
    j.parent = r_.string(root, "$", "parent", false);
    j.language = r_.string(root, "$", "language", true);
    j.page_size = r_.string(root, "$", "page_size", true);
    if (!j.page_size.empty() && j.page_size != "letter" && j.page_size != "a4") {
      r_.problem("$.page_size", "must be letter or a4");
    }
    j.notes = r_.string(root, "$", "notes", false);
    j.records_access = recordsAccess(root);
    j.records_amendment =
        recordsRight(root, "records_amendment",
                     {"applies_to", "request_requirements", "denial_grounds", "denial_contents",
                      "statement_of_disagreement", "future_disclosures", "opinions", "fees"});
    j.disclosures_accounting =
        recordsRight(root, "disclosures_accounting",
                     {"applies_to", "lookback", "contents", "exclusions", "fees"});
    j.health_plan_access =
        recordsRight(root, "health_plan_access", {"applies_to", "what_it_holds", "fees"});
    if (ArrayPtr boards = r_.array(root, "$", "boards", true)) {
      std::set<std::string> ids;
      for (size_t i = 0; i < boards->size(); ++i) {
        std::string bp = JsonReader::index("$.boards", i);
        if (ObjectPtr bo = r_.objectAt(boards, "$.boards", i)) {
          Board b = board(bo, bp);
          if (!b.id.empty() && !ids.insert(b.id).second) {
            r_.problem(bp + ".id", "\"" + b.id + "\" is used twice");
          }
          if (!b.id.empty() && !j.id.empty() && b.id.rfind(j.id + "-", 0) != 0) {
            r_.problem(bp + ".id", "a board id starts with the jurisdiction id (" + j.id + "-)");
          }
          j.boards.push_back(std::move(b));
        }
      }
    }
    if (ArrayPtr routes = r_.array(root, "$", "other_routes", false)) {
      std::set<std::string> ids;
      for (const auto& b : j.boards) ids.insert(b.id);
      for (size_t i = 0; i < routes->size(); ++i) {
        std::string rp = JsonReader::index("$.other_routes", i);
        if (ObjectPtr ro = r_.objectAt(routes, "$.other_routes", i)) {
          OtherRoute route = otherRoute(ro, rp);
          if (!route.id.empty() && !ids.insert(route.id).second) {
            r_.problem(rp + ".id", "\"" + route.id + "\" is used twice");
          }
          if (!route.id.empty() && !j.id.empty() && route.id.rfind(j.id + "-", 0) != 0) {
            r_.problem(rp + ".id", "an id starts with the jurisdiction id (" + j.id + "-)");
          }
          j.other_routes.push_back(std::move(route));
        }
      }
    }
    j.holidays = holidays(root);
    if (r_.problemCount() != before) return std::nullopt;
    return j;
  }

 private:
  JsonReader r_;
};

}  // namespace

std::optional<Jurisdiction> parseJurisdiction(const std::string& text, const std::string& file,
                                              std::vector<Problem>* problems) {
  ObjectPtr root = parseJsonObject(text, file, problems);
  if (!root) return std::nullopt;
  Parser p(file, problems);
  return p.jurisdiction(root, file);
}

std::optional<std::vector<LicenseType>> parseLicenseTypes(const std::string& text,
                                                          const std::string& file,
                                                          std::vector<Problem>* problems) {
  ObjectPtr root = parseJsonObject(text, file, problems);
  if (!root) return std::nullopt;
  size_t before = problems->size();
  JsonReader r(file, problems);
  r.checkKeys(root, "$", {"license_types"});
  std::vector<LicenseType> out;
  std::set<std::string> ids;
  static const std::regex kId("[a-z][a-z0-9_]{1,63}");
  if (ArrayPtr arr = r.array(root, "$", "license_types", true)) {
    for (size_t i = 0; i < arr->size(); ++i) {
      std::string path = JsonReader::index("$.license_types", i);
      ObjectPtr o = r.objectAt(arr, "$.license_types", i);
      if (!o) continue;
      r.checkKeys(o, path, {"id", "label", "aliases"});
      LicenseType t;
      t.id = r.string(o, path, "id", true);
      if (!t.id.empty() && !std::regex_match(t.id, kId)) {
        r.problem(path + ".id", "must be lowercase letters, digits and _");
      }
      if (!t.id.empty() && !ids.insert(t.id).second) {
        r.problem(path + ".id", "\"" + t.id + "\" is used twice");
      }
      t.label = r.string(o, path, "label", true);
      t.aliases = r.stringArray(o, path, "aliases", false);
      out.push_back(std::move(t));
    }
  }
  if (problems->size() != before) return std::nullopt;
  return out;
}

const char* boardKindName(BoardKind k) {
  switch (k) {
    case BoardKind::kLicensingBoard:
      return "licensing_board";
    case BoardKind::kComplaintsEntity:
      return "complaints_entity";
    case BoardKind::kProfessionalBody:
      return "professional_body";
  }
  return "licensing_board";
}

const char* routeKindName(RouteKind k) {
  switch (k) {
    case RouteKind::kAssociation:
      return "association";
    case RouteKind::kInsurance:
      return "insurance";
    case RouteKind::kCriminal:
      return "criminal";
    case RouteKind::kOther:
      return "other";
  }
  return "other";
}

const std::vector<std::string>& routeKindNames() {
  static const std::vector<std::string> kNames = {"association", "insurance", "criminal", "other"};
  return kNames;
}

const char* extensionBasisName(ExtensionBasis b) {
  return b == ExtensionBasis::kTotalFromStart ? "start" : "first_due_date";
}

const char* dayTypeName(DayType t) {
  switch (t) {
    case DayType::kCalendar:
      return "calendar";
    case DayType::kBusiness:
      return "business";
    case DayType::kCalendarMonth:
      return "calendar_month";
  }
  return "calendar";
}

}  // namespace recourse::jurisdiction
