// What a jurisdiction file says, as typed values. Every legal fact carries a FactMeta:
// where it comes from, whether it was confirmed, and when. docs/jurisdictions.md
// documents the JSON these are read from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace recourse::jurisdiction {

struct Source {
  std::string citation;  // e.g. "45 CFR 164.524(b)(2)"
  std::string url;       // official URL, when known
  std::string read_at;   // the page actually read, when it differs from url
};

struct FactMeta {
  Source source;
  bool verified = false;
  // For a verified fact, what its words were read in: "official" (the law or the body's own
  // text, on an official site or an official archive) or "secondary" (a mirror, a summary).
  std::string verified_against;
  std::optional<core::Date> last_verified;
  // For a fact that could not be confirmed: `caution` is what a person reads (one or two
  // short plain sentences: what could not be confirmed and what to check); `note` is the
  // maintainers' research record (sources read, URLs, reasoning) and never reaches a
  // document or a screen outside `jurisdictions show --research-notes`.
  std::string caution;
  std::string note;
};

enum class DayType { kCalendar, kBusiness, kCalendarMonth };
const char* dayTypeName(DayType t);

// A time limit: N days (or months) from a starting event.
struct DayRule {
  FactMeta meta;
  std::optional<int> count;  // days, or months for kCalendarMonth; empty when unknown
  DayType type = DayType::kCalendar;
  std::string starts_on;      // plain words: "receipt of the written request"
  bool roll_forward = false;  // a due date on a closed day moves to the next working day
  std::string summary;
};

// How an extension's count is read. Laws word it two ways: "may extend the time by no more
// than 30 days" adds days after the first due date (kAfterFirstDue); "no later than 21
// working days after receiving the request" is a total counted from the start again
// (kTotalFromStart).
enum class ExtensionBasis { kAfterFirstDue, kTotalFromStart };
const char* extensionBasisName(ExtensionBasis b);

struct ExtensionRule {
  FactMeta meta;
  std::optional<int> count;
  DayType type = DayType::kCalendar;
  ExtensionBasis basis = ExtensionBasis::kAfterFirstDue;
  std::string conditions;
  bool written_notice_required = false;
  // The notice must come within this many days (or months) of the start, counted as the law
  // counts them (Washington: working days).
  std::optional<int> notice_within;
  DayType notice_type = DayType::kCalendar;
  int max_extensions = 1;
};

// A fact that is text: a summary plus named details.
struct TextFact {
  FactMeta meta;
  std::string summary;
  std::vector<std::pair<std::string, std::string>> details;  // (key, text) in file order
};

struct Escalation {
  FactMeta meta;
  std::string body;
  std::string how;
  std::string url;
  std::optional<DayRule> time_limit;
  std::string time_limit_from;
  // What the body does with a complaint and by when, where its rules or pages say.
  std::optional<TextFact> process;
};

// A time limit for copies that some providers only are held to, beside the general one
// (Texas: physicians 15 business days, Occ. Code 159.006(d); a provider with an electronic
// record system 15 business days, H&S 181.102). With `license_types` it applies to those
// licenses and can govern the due date; with only `condition` (words the person may not be
// able to check, "if they keep electronic records") it is shown beside the due date and
// never moves it.
struct ProviderRule {
  std::string id;
  std::string applies_to;  // plain words
  std::vector<std::string> license_types;
  std::string condition;
  DayRule rule;
};

// What a person's written consent to a disclosure must say, where a law lets the holder send
// records to someone else only with it: `elements` are what the letter must state beyond what
// every request letter has (what is to be sent, by whom, to whom, the person's signature and
// the date), ids of kConsentElements.
struct CopyConsent {
  FactMeta meta;
  std::string summary;
  std::vector<std::string> elements;
};

// The statements a written consent may have to make, as data files name them:
//   purpose       why the records are to be sent ("at my request" where the law allows)
//   expiry        the day the consent ends
//   revoke        that the person may revoke it in writing, and how
//   no_condition  that care or payment does not depend on signing it
//   redisclosure  that the recipient may disclose the records again, outside this law
//   inspect       that the person may see and copy what is sent
//   refusal       what follows if the person does not consent
//   witness       a witness who can confirm who signed it
//   copy          that the person may have a copy of the signed consent
//   no_redisclosure  that the person does not consent to the recipient disclosing it again
inline constexpr const char* kConsentElements[] = {
    "purpose", "expiry",  "revoke",  "no_condition", "redisclosure",
    "inspect", "refusal", "witness", "copy",         "no_redisclosure"};

// Sending a copy of the records straight to someone the person names (a new therapist, a
// lawyer). `direct_right`: a law makes the holder follow the person's written direction
// (HIPAA 164.524(c)(3)(ii)); `electronic_only`: that right reaches electronic copies only (the
// Ciox order). `consent`: what the person's written consent must say where the holder may
// send records to someone else with it.
struct ThirdPartyCopy {
  FactMeta meta;
  std::string summary;
  bool direct_right = false;
  bool electronic_only = false;
  std::optional<CopyConsent> consent;
};

struct RecordsAccess {
  FactMeta meta;
  std::string law_name;
  std::string summary;
  std::string applies_to;
  std::optional<DayRule> response;
  std::vector<ProviderRule> provider_responses;
  std::optional<DayRule> inspection;
  std::optional<ExtensionRule> extension;
  std::optional<TextFact> fees;
  std::optional<TextFact> mental_health;
  std::optional<TextFact> denial_review;
  std::optional<ThirdPartyCopy> third_party_copy;
  // The right to an electronic copy, where a law gives one (or says plainly it does not).
  std::optional<TextFact> electronic_copy;
  // That a provider may not retaliate against a person for using these rights or
  // complaining, where a law says so.
  std::optional<TextFact> retaliation;
  std::optional<Escalation> escalation;
};

// An exception the law makes to a complaint time limit. `harm_kinds` (ids from
// forms/harm-taxonomy.json) are the incidents it covers; with none, it turns on something an
// incident does not record (the act was concealed, so discovery was prevented) and is said
// in words only. `years` empty with `no_limit`: incidents of those kinds have no limit.
struct TimeLimitException {
  std::vector<std::string> harm_kinds;
  bool no_limit = false;
  std::optional<double> years;
  std::string summary;
};

// A right beside access: correcting records (HIPAA 45 CFR 164.526, UK GDPR Art. 16, PHIPA
// s. 55, APP 13, RCW 70.02.100) or an accounting of who they were disclosed to (HIPAA 45 CFR
// 164.528, RCW 70.02.020(2), and the nearest equivalent elsewhere). Its time limit and
// extension are counted by the same engine as access; `details` are the named texts
// (request_requirements, denial_grounds, ..., lookback, contents, exclusions, fees).
struct RecordsRight {
  FactMeta meta;
  std::string law_name;
  std::string summary;
  std::optional<DayRule> response;
  std::optional<ExtensionRule> extension;
  std::vector<std::pair<std::string, std::string>> details;  // (key, text) in file order
};

struct ComplaintTimeLimit {
  FactMeta meta;
  std::string summary;
  std::optional<double> years;
  // What the years are counted from: "act" (the incident) or "discovery" (when the person,
  // or the board, learned of it; Recourse then counts from the incident, never later).
  std::string counted_from = "act";
  std::vector<TimeLimitException> exceptions;
};

// A title as people meet it on a license ("LMFT", "AMFT", "Licensed Social Worker") and the
// license type it is. `license_type` is given in the file where the board regulates several
// types and the vocabulary cannot tell; otherwise the registry fills it in (the board's one
// type, or the vocabulary alias in the board's types). `note` says why a title is listed
// under more than one body of a place.
struct LicenseTitle {
  std::string title;
  std::string license_type;
  std::string note;
};

// What a person who complained can do when they disagree with how the body ended their
// complaint: ask it (or a review board, an ombudsman) to look again, and by when. Where the
// sources say there is no such right, `available` is false and `summary` says so (and what
// there is instead, such as a court's review).
struct OutcomeReview {
  FactMeta meta;
  bool available = true;
  std::string summary;
  std::string body;  // who reviews: the board itself, a review board, an ombudsman
  std::string how;
  std::string url;
  // The outcomes it is for (core::complaintOutcomeName ids); none listed: a complaint closed
  // with no action or with non-disciplinary action.
  std::vector<std::string> outcomes;
  // Counted from the outcome's day, which the person gives as the date on the decision: the
  // earliest of the days the rules count from (the decision, its letter, its receipt); the
  // rule's own words are in starts_on and its summary, shown with the date.
  std::optional<DayRule> time_limit;
};

// What a body is: a licensing board with statutory powers over the license, a statutory
// health complaints entity (it can act on anyone giving a health service, licensed or
// not), or a professional body that regulates its own members by their membership.
enum class BoardKind { kLicensingBoard, kComplaintsEntity, kProfessionalBody };
const char* boardKindName(BoardKind k);

struct Board {
  FactMeta meta;
  std::string id;
  std::string name;
  BoardKind kind = BoardKind::kLicensingBoard;
  std::string region;  // the part of the jurisdiction it serves, when not all of it
  std::vector<std::string> license_types;    // vocabulary ids: marriage_family_therapist, ...
  std::vector<LicenseTitle> license_titles;  // as used locally: LMFT, LCSW, ...
  std::string address;
  std::string phone;
  std::string fax;
  std::string email;
  std::string website;
  std::string complaint_url;
  std::vector<std::string> complaint_methods;
  std::string complaint_requirements;
  std::optional<ComplaintTimeLimit> complaint_time_limit;
  // What it does once it has a complaint, and by when, where its rules or pages say.
  std::optional<TextFact> process;
  // By when it first tells the person what it did with their complaint, where a law or its
  // own rules give a number of days (California: 10 days, Bus. & Prof. Code s. 129(b)).
  std::optional<DayRule> first_reply;
  // How long it says its handling usually takes, in its own words.
  std::optional<TextFact> published_timeline;
  std::optional<OutcomeReview> outcome_review;
  // What protects a person who complains to it (confidentiality, immunity, a ban on
  // retaliation or on settlements that stop a complaint), where a law says so.
  std::optional<TextFact> complainant_protection;
};

// Somewhere besides the licensing board a person can turn, as information with its source:
// a professional association's ethics committee (it acts on its own members only), the
// regulator of insurance or a health plan's own process when billing is at issue, the
// police where the law makes the conduct a crime (reporting is always the person's choice).
// Shown for a case when its therapist's license type is in `license_types` (none listed:
// any) and, when `harm_kinds` are listed, only when an incident of the case is of one of
// them (forms/harm-taxonomy.json ids).
enum class RouteKind { kAssociation, kInsurance, kCriminal, kOther };
const char* routeKindName(RouteKind k);  // "association", "insurance", "criminal", "other"
const std::vector<std::string>& routeKindNames();

struct OtherRoute {
  FactMeta meta;
  std::string id;  // starts with the jurisdiction id and "-"
  RouteKind kind = RouteKind::kOther;
  std::string name;        // the body: "American Psychological Association, Ethics Office"
  std::string summary;     // plain words: what it can and cannot do
  std::string how;         // how to reach it, in plain words
  std::string url;         // its own page, when known
  std::string time_limit;  // plain words, when a source gives one
  std::vector<std::string> license_types;
  std::vector<std::string> harm_kinds;
};

enum class HolidayKind {
  kFixed,
  kNthWeekday,
  kLastWeekday,
  kNthWeekdayOffset,
  kEasterOffset,
  kWeekdayBefore,  // the last `weekday` strictly before month/day (Victoria Day)
};
enum class Observed { kNone, kNearestWeekday, kNextMonday, kSundayToMonday, kNextFreeWeekday };

struct HolidayRule {
  std::string name;
  HolidayKind kind = HolidayKind::kFixed;
  unsigned month = 1;
  unsigned day = 1;
  unsigned weekday = 1;  // 0 = Sunday ... 6 = Saturday
  int n = 1;
  int offset_days = 0;
  Observed observed = Observed::kNone;
  std::optional<int> since;  // first year the holiday applies
  std::optional<int> until;  // last year it applies
  int year_parity = -1;      // 0: even years only, 1: odd years only, -1: every year
  bool verified = true;      // false: the rule itself could not be confirmed
  std::string caution;       // what a person reads when it could not (see FactMeta)
};

struct Holidays {
  FactMeta meta;
  std::vector<HolidayRule> rules;
};

struct Jurisdiction {
  std::string id;
  std::string name;
  std::string parent;  // "" for a country
  std::string language;
  std::string page_size;  // "letter" or "a4"
  std::string notes;
  std::optional<RecordsAccess> records_access;
  std::optional<RecordsRight> records_amendment;
  std::optional<RecordsRight> disclosures_accounting;
  // The right of access as it applies to a health plan's records about the person (claims,
  // payments): HIPAA covers health plans like providers (45 CFR 160.103, 164.524).
  std::optional<RecordsRight> health_plan_access;
  std::vector<Board> boards;
  std::vector<OtherRoute> other_routes;
  std::optional<Holidays> holidays;
  std::string file;  // where it was loaded from
};

}  // namespace recourse::jurisdiction
