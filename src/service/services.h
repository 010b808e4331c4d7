// What every workflow is handed: the catalog (the law, the forms, the fonts: loaded once per
// process and shared read-only by every thread), the store of one unlocked vault, the clock
// and the data directory. Only src/app and the front ends' set-up code build these; a
// workflow never reads the environment, the time or a file path of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "forms/loader.h"
#include "jurisdiction/registry.h"

namespace recourse::pdf {
struct FontKit;
}
namespace recourse::store {
class Store;
}

namespace recourse::service {

// Where the data files are.
struct CatalogPaths {
  std::string jurisdictions_dir;
  std::string forms_dir;
};

// The law (jurisdictions/*.json), the forms (forms/*.json and the harm taxonomy) and the
// fonts every PDF embeds. Loading never fails as a whole: a data file with problems is left
// out and listed in law().problems() / forms().problems, as `jurisdictions check` and
// `forms check` show. Thread safety: read-only after load; fonts() is safe to call from
// any thread.
class Catalog {
 public:
  static std::shared_ptr<const Catalog> load(const CatalogPaths& paths);
  // From values already loaded (tests).
  static std::shared_ptr<const Catalog> fromValues(jurisdiction::Registry law,
                                                   forms::FormSet forms);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  const jurisdiction::Registry& law() const { return law_; }
  const forms::FormSet& forms() const { return forms_; }
  // The fonts, found and checked on first use. On failure FailedPrecondition naming the
  // Debian package that provides them (the same status every later call).
  core::StatusOr<const pdf::FontKit*> fonts() const;

 private:
  Catalog(jurisdiction::Registry law, forms::FormSet forms);
  jurisdiction::Registry law_;
  forms::FormSet forms_;
  mutable std::once_flag fonts_once_;
  mutable std::unique_ptr<pdf::FontKit> fonts_;
  mutable core::Status fonts_status_;
};

// One unlocked vault and what the workflows need around it. REQUIRES: the store is
// unlocked and outlives this value; `data_dir` is where its sealed evidence files live
// ("" for an in-memory store without evidence).
struct Services {
  const Catalog& catalog;
  store::Store& store;
  const core::Clock& clock;
  std::string data_dir;
};

// A stamp of what every read would answer: what the vault holds (it moves on every change,
// by this process or another, and on every lock and unlock) and today's date (deadlines and
// statuses depend on it). Equal stamps mean a workflow that only reads answers as before,
// so a front end may keep that answer instead of working it out again.
struct ReadStamp {
  std::uint64_t keys = 0;
  long long own = 0;
  unsigned others = 0;
  long long today = 0;
  bool operator==(const ReadStamp&) const = default;
};
ReadStamp readStamp(Services& s);

// `bytes` random bytes from the operating system's generator, as lowercase hex (session
// ids, CSRF tokens).
std::string randomToken(size_t bytes);

// Where sealed evidence files live inside a data directory.
std::string evidenceDir(const std::string& data_dir);

}  // namespace recourse::service
