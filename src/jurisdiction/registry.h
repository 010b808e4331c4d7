// All loaded jurisdictions, with the checks that span files (parents, license types), the
// board finder and the holiday calendars.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/status.h"
#include "jurisdiction/holidays.h"
#include "jurisdiction/loader.h"
#include "jurisdiction/model.h"

namespace recourse::jurisdiction {

// Every fact a jurisdiction holds, in file order: its records-access law and each part of
// it, each body and its time limit, its holidays.
std::vector<const FactMeta*> factsOf(const Jurisdiction& j);

// How a jurisdiction's facts are graded: verified against official text, against a
// secondary source, or not confirmed; and the oldest date any was checked.
struct FactGrades {
  size_t official = 0;
  size_t secondary = 0;
  size_t unverified = 0;
  std::optional<core::Date> oldest_check;
  std::optional<core::Date> newest_check;
};
FactGrades gradeFacts(const Jurisdiction& j);

class Registry {
 public:
  // Loads every *.json in `dir` (and license-types.json). A file with problems is reported
  // and left out; the valid ones are kept. Cross-file problems (unknown parent, a cycle,
  // an unknown license type) also leave the offending file out.
  static Registry loadDirectory(const std::string& dir);
  // Builds a registry from already-parsed values (tests).
  static Registry fromValues(std::vector<Jurisdiction> jurisdictions,
                             std::vector<LicenseType> license_types);

  const std::vector<Problem>& problems() const { return problems_; }
  std::vector<const Jurisdiction*> all() const;  // sorted by id
  const Jurisdiction* find(const std::string& id) const;
  // The board with id `board_id` and its jurisdiction, in any jurisdiction; {nullptr,
  // nullptr} when none has it.
  struct BoardMatch;
  BoardMatch boardById(const std::string& board_id) const;
  // `id` and its ancestors, nearest first (us-ca, us). Empty if id is unknown.
  std::vector<const Jurisdiction*> chain(const std::string& id) const;
  // The places of `id`'s chain (nearest first) whose law gives the right `kind` asks for:
  // records_access, records_amendment or disclosures_accounting. Empty when none does, or
  // when id is unknown.
  std::vector<const Jurisdiction*> givingRight(const std::string& id, core::RequestKind kind) const;

  // What a person typed for a jurisdiction, matched case-insensitively to a known id
  // ("US-CA" -> "us-ca"); "" when no id matches exactly. Names and short forms do not
  // count as a match (they are suggestions: "CA" could be California or Canada).
  std::string knownId(const std::string& text) const;
  // Known jurisdictions close to what was typed, best first, at most 3: by short form
  // ("CA" -> us-ca, "ON" -> ca-on), by name ("California"), by edit distance ("us-cal").
  std::vector<const Jurisdiction*> suggest(const std::string& text) const;
  // "; did you mean us-ca (California)?" for the best suggestions, or "" when none is
  // close. Meant to follow "... is not a jurisdiction Recourse knows".
  std::string didYouMean(const std::string& text) const;
  // The one check every front end and the batch use for a typed jurisdiction. On success
  // the known id (lower case). On failure InvalidArgument about `field`: what was typed,
  // a suggestion when one is close, and the ids Recourse knows.
  core::StatusOr<std::string> checkJurisdiction(const std::string& text,
                                                const std::string& field) const;

  const std::vector<LicenseType>& licenseTypes() const { return license_types_; }
  // Resolves what a person typed ("LMFT", "lmft", "marriage_family_therapist", "Marriage and
  // family therapist") to a license type id, using the vocabulary's aliases and, for
  // `jurisdiction_id`, the boards' local titles. Empty when unknown.
  std::string resolveLicense(const std::string& text, const std::string& jurisdiction_id) const;

  struct BoardMatch {
    const Board* board;
    const Jurisdiction* jurisdiction;
  };
  // Boards regulating `license` in the jurisdiction (falling back to its parents when it has
  // none). InvalidArgument listing the known types when the license type is unknown;
  // NotFound when the jurisdiction is unknown or no board is recorded.
  core::StatusOr<std::vector<BoardMatch>> findBoards(const std::string& jurisdiction_id,
                                                     const std::string& license) const;

  // The holiday calendar business days are counted on in `jurisdiction_id`: its own
  // holidays, else its nearest ancestor's (none when no one in its chain has any). Made once
  // per jurisdiction and kept (each calendar keeps the years it has worked out), so a view
  // of thousands of deadlines does not work out the same holidays thousands of times.
  // Thread safe. The reference lives as long as the registry (and its copies).
  const HolidayCalendar& calendar(const std::string& jurisdiction_id) const;

 private:
  void crossCheck();
  void checkTitles();

  struct Calendars {
    std::mutex mu;
    std::map<std::string, std::unique_ptr<HolidayCalendar>> by_id;
  };
  // Shared by copies (they hold the same law); made again if this one was moved from.
  mutable std::shared_ptr<Calendars> calendars_ = std::make_shared<Calendars>();

  std::map<std::string, Jurisdiction> by_id_;
  std::vector<LicenseType> license_types_;
  std::vector<Problem> problems_;
};

}  // namespace recourse::jurisdiction
