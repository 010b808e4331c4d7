// The Store is a facade: it owns the parts (database.h, keyring.h, audit_log.h and one
// repository per kind of record), holds the one mutex every public method takes, and
// forwards. What each method does is in the part it forwards to.
#include "store/store.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "store/audit_log.h"
#include "store/cases.h"
#include "store/clients.h"
#include "store/complaints.h"
#include "store/data_dir.h"
#include "store/deadline_digests.h"
#include "store/drafts.h"
#include "store/evidence.h"
#include "store/import_keys.h"
#include "store/incidents.h"
#include "store/keyring.h"
#include "store/pg_db.h"
#include "store/removal.h"
#include "store/requests.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

namespace recourse::store {

using core::Status;
using core::StatusOr;

// The next keys_epoch_ of any store in this process (see changeStamp()).
std::uint64_t nextKeysEpoch() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

namespace {

// Not renamed, written or otherwise changed for longer than kLeftoverAge before `now` (by
// its ctime, which a rename sets, unlike its mtime): not a file an add is putting in place
// right now.
bool isOld(const std::filesystem::path& p, core::Timestamp now) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return false;
  const auto changed = std::chrono::system_clock::time_point(
      std::chrono::seconds(st.st_ctim.tv_sec) +
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(st.st_ctim.tv_nsec)));
  return now - changed > kLeftoverAge;
}

// One engine's database as the interface the store works with.
template <class Engine>
StatusOr<std::unique_ptr<Database>> asDatabase(StatusOr<std::unique_ptr<Engine>> db) {
  if (!db.isOk()) return db.status();
  return std::unique_ptr<Database>(std::move(db).value());
}
}  // namespace

Store::Store(std::unique_ptr<Database> db, const core::Clock& clock)
    : clock_(clock),
      keys_epoch_(nextKeysEpoch()),
      db_(std::move(db)),
      keys_(std::make_unique<Keyring>(*db_, clock_)),
      audit_(std::make_unique<AuditTrail>(*db_, *keys_, clock_)) {
  StoreParts parts{*db_, *keys_, *audit_, clock_, damaged_};
  clients_ = std::make_unique<ClientsRepo>(parts);
  cases_ = std::make_unique<CasesRepo>(parts, *clients_);
  incidents_ = std::make_unique<IncidentsRepo>(parts);
  requests_ = std::make_unique<RequestsRepo>(parts);
  digests_ = std::make_unique<DeadlineDigests>(parts, *incidents_, *requests_);
  complaints_ = std::make_unique<ComplaintsRepo>(parts);
  drafts_ = std::make_unique<DraftsRepo>(parts);
  evidence_ = std::make_unique<EvidenceRepo>(parts);
  import_keys_ = std::make_unique<ImportKeysRepo>(parts);
  remover_ = std::make_unique<Remover>(parts, *evidence_);
}

Store::~Store() { lock(); }

StatusOr<std::unique_ptr<Store>> Store::open(StatusOr<std::unique_ptr<Database>> db,
                                             const core::Clock& clock) {
  if (!db.isOk()) return db.status();
  RECOURSE_RETURN_IF_ERROR((*db)->migrate());
  return std::unique_ptr<Store>(new Store(std::move(db).value(), clock));
}

StatusOr<std::unique_ptr<Store>> Store::openFile(const std::string& path, OpenMode mode,
                                                 const core::Clock& clock, Locking locking) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  std::unique_ptr<VaultLock> held;
  std::error_code ec;
  // Nothing to lock where there is nothing to open (SqliteDb says NotFound).
  const bool present = mode == OpenMode::kCreate || std::filesystem::exists(path, ec);
  if (locking == Locking::kShared && present) {
    auto taken = VaultLock::take(path, VaultLock::Mode::kShared);
    if (taken.isOk()) {
      held = std::move(taken).value();
    } else if (taken.status().code() != core::StatusCode::kPermissionDenied) {
      // A place this process cannot write needs no lock: nothing here writes to it.
      return taken.status();
    }
  }
  auto db = SqliteDb::openFile(path, mode == OpenMode::kCreate);
  if (!db.isOk()) return db.status();
  auto store = open(asDatabase(std::move(db)), clock);
  if (!store.isOk()) return store.status().withContext(path);
  (*store)->vault_lock_ = std::move(held);
  return store;
}

StatusOr<std::unique_ptr<Store>> Store::openInMemory(const core::Clock& clock) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  return open(asDatabase(SqliteDb::openInMemory()), clock);
}

StatusOr<std::unique_ptr<Store>> Store::openPostgres(const std::string& url,
                                                     const core::Clock& clock) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  return open(asDatabase(PgDb::connect(url)), clock);
}

StatusOr<std::unique_ptr<Store>> Store::openDataDir(const std::string& dir, OpenMode mode,
                                                    const core::Clock& clock, Locking locking) {
  RECOURSE_ASSIGN_OR_RETURN(std::string url, organizationDatabase(dir));
  if (!url.empty()) return openPostgres(url, clock);
  RECOURSE_ASSIGN_OR_RETURN(auto store, openFile(databasePath(dir), mode, clock, locking));
  // The file's lock may have been waited for while a move put the vault elsewhere.
  RECOURSE_ASSIGN_OR_RETURN(url, organizationDatabase(dir));
  if (url.empty()) return store;
  // Not this file (at most an empty one, which nothing opens while the directory points
  // at the database), but the database the vault moved to.
  store.reset();
  return openPostgres(url, clock);
}

StatusOr<std::map<std::string, long long>> Store::rowCounts() {
  std::lock_guard lk(mu_);
  std::map<std::string, long long> counts;
  for (const std::string& table : schemaTables()) {
    RECOURSE_ASSIGN_OR_RETURN(auto row, db_->firstRow("SELECT count(*) FROM " + table));
    counts[table] = row ? row->integer(0) : 0;
  }
  return counts;
}

StatusOr<long long> Store::otherConnections() {
  std::lock_guard lk(mu_);
  return db_->otherConnections();
}

std::string_view Store::engine() const { return db_->engine(); }

StatusOr<std::map<std::string, long long>> Store::copyInto(Store& target,
                                                           const std::string& evidence_dir) {
  std::scoped_lock lk(mu_, target.mu_);
  std::map<std::string, long long> counts;
  RECOURSE_RETURN_IF_ERROR(target.db_->inTransaction([&]() -> Status {
    for (const std::string& table : schemaTables()) {
      RECOURSE_ASSIGN_OR_RETURN(auto row, target.db_->firstRow("SELECT count(*) FROM " + table));
      if (row && row->integer(0) > 0) {
        return core::conflict("the destination holds records already (" + table +
                              "); nothing was copied")
            .withField("to");
      }
    }
    RECOURSE_ASSIGN_OR_RETURN(counts, copyAll(*db_, *target.db_));
    // Read back: every table holds what was copied into it, before anything is committed.
    for (const auto& [table, n] : counts) {
      RECOURSE_ASSIGN_OR_RETURN(auto row, target.db_->firstRow("SELECT count(*) FROM " + table));
      if (!row || row->integer(0) != n) {
        return core::ioError("copying " + table + ": the destination did not keep every row");
      }
    }
    if (!target.evidence_->filesInDatabase()) return Status::ok();
    // The files this vault keeps in its folder go into the database with their records.
    RECOURSE_ASSIGN_OR_RETURN(auto items, db_->select("SELECT id FROM evidence ORDER BY rowid"));
    std::vector<std::string> missing;
    for (const auto& r : items) {
      const std::string id = r.text(0);
      RECOURSE_ASSIGN_OR_RETURN(long long parts, evidence_->partsOf(id));
      if (parts > 0) continue;  // copied with the rows
      const std::string path = EvidenceRepo::sealedFilePath(evidence_dir, id);
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        missing.push_back(id);
        continue;
      }
      RECOURSE_RETURN_IF_ERROR(
          target.evidence_->storePartsFromFile(id, path).withContext("copying evidence " + id));
    }
    if (!missing.empty()) {
      std::string ids;
      for (const auto& id : missing) ids += (ids.empty() ? "" : ", ") + id;
      return core::corruption(std::to_string(missing.size()) +
                              " evidence file(s) are missing from " + evidence_dir + " (" + ids +
                              "); nothing was copied. recourse evidence verify says more; "
                              "an item whose file is lost can be removed (evidence remove)");
    }
    RECOURSE_ASSIGN_OR_RETURN(auto row,
                              target.db_->firstRow("SELECT count(*) FROM evidence_parts"));
    counts["evidence_parts"] = row ? row->integer(0) : 0;
    return Status::ok();
  }));
  // Millions of rows may have arrived at once: the planner's view of the tables follows.
  // The copy is committed by now; should this fail, the server's own statistics collector
  // catches up later, so it does not make the move fail.
  (void)target.db_->refreshStatistics();
  return counts;
}

StatusOr<std::unique_ptr<Store>> Store::fromSnapshot(const Bytes& snapshot,
                                                     const core::Clock& clock) {
  if (!cryptoInit()) return core::internalError("libsodium could not be initialised");
  return open(asDatabase(SqliteDb::fromSnapshot(snapshot)), clock);
}

// ---- vault ---------------------------------------------------------------------------

bool Store::hasVault() {
  std::lock_guard lk(mu_);
  return keys_->hasVault();
}

void Store::lock() {
  std::lock_guard lk(mu_);
  keys_->lock();
  reads_logged_.clear();
  keys_epoch_ = nextKeysEpoch();
}

bool Store::isUnlocked() {
  std::lock_guard lk(mu_);
  return keys_->isUnlocked();
}

// ---- repositories --------------------------------------------------------------------

StatusOr<core::Client> Store::addClient(const core::Client& client) {
  std::lock_guard lk(mu_);
  return clients_->add(client);
}

StatusOr<core::Client> Store::getClient(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(core::Client c, clients_->get(id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.client", "client", c.id, c.id));
  return c;
}

namespace {
// Each client's id once, in order.
template <typename T, typename IdOf>
std::vector<std::string> distinctIds(const std::vector<T>& items, IdOf id_of) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    const std::string& id = id_of(item);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}
}  // namespace

StatusOr<std::vector<core::Client>> Store::listClients() {
  std::vector<std::string>* none = nullptr;
  return listClients(none);
}

namespace {
// Points the damage sink at `ids` for one listing.
class DamageScope {
 public:
  DamageScope(std::vector<std::string>*& sink, std::vector<std::string>* ids) : sink_(sink) {
    sink_ = ids;
  }
  ~DamageScope() { sink_ = nullptr; }
  DamageScope(const DamageScope&) = delete;
  DamageScope& operator=(const DamageScope&) = delete;

 private:
  std::vector<std::string>*& sink_;
};
}  // namespace

StatusOr<std::vector<core::Client>> Store::listClients(std::vector<std::string>* damaged,
                                                       Fields fields) {
  std::lock_guard lk(mu_);
  DamageScope scope(damaged_, damaged);
  RECOURSE_ASSIGN_OR_RETURN(auto clients, clients_->list(fields == Fields::kAll));
  std::vector<ReadNote> notes;
  notes.reserve(clients.size());
  for (const auto& c : clients) notes.push_back({"read.client", "client", c.id, c.id});
  RECOURSE_RETURN_IF_ERROR(noteReads(notes));
  return clients;
}

void Store::readAheadCaseload(Fields fields) {
  std::lock_guard lk(mu_);
  if (!keys_->requireUnlocked().isOk()) return;
  const bool all = fields == Fields::kAll;
  std::vector<Query> reads = {digests_->namesQuery(""), cases_->listQuery(all),
                              clients_->listQuery(all)};
  for (auto& q : complaints_->filingsQueries("")) reads.push_back(std::move(q));
  db_->readAhead(std::move(reads));
}

void Store::readAheadCase(const core::Case& kase) {
  std::lock_guard lk(mu_);
  if (!keys_->requireUnlocked().isOk()) return;
  db_->readAhead({ClientsRepo::getQuery(kase.client_id), IncidentsRepo::caseQuery(kase.id),
                  EvidenceRepo::caseQuery(kase.id), RequestsRepo::caseQuery(kase.id),
                  ComplaintsRepo::ofCaseQuery(kase.id), CasesRepo::tasksDoneQuery(kase.id),
                  requests_->caseEventsQuery(kase.id)});
}

void Store::endReadAhead() {
  std::lock_guard lk(mu_);
  db_->dropReadAhead();
}

long long Store::answersTakenAhead() {
  std::lock_guard lk(mu_);
  return db_->answersTakenAhead();
}

long long Store::ownerLookups() {
  std::lock_guard lk(mu_);
  return audit_->ownerLookups();
}

StatusOr<std::vector<core::Case>> Store::listCases(const std::string& client_id,
                                                   std::vector<std::string>* damaged,
                                                   Fields fields) {
  std::lock_guard lk(mu_);
  DamageScope scope(damaged_, damaged);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto cases, cases_->list(client_id, fields == Fields::kAll));
  std::vector<ReadNote> notes;
  for (const auto& id : distinctIds(cases, [](const core::Case& c) { return c.client_id; })) {
    notes.push_back({"read.cases", "client", id, id});
  }
  RECOURSE_RETURN_IF_ERROR(noteReads(notes));
  return cases;
}

StatusOr<std::vector<core::RecordsRequest>> Store::listRequests(const std::string& case_id,
                                                                std::vector<std::string>* damaged,
                                                                Fields fields) {
  std::lock_guard lk(mu_);
  DamageScope scope(damaged_, damaged);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("case", case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto requests, requests_->list(case_id, fields == Fields::kAll));
  std::vector<ReadNote> notes;
  std::unordered_set<std::string> seen;
  for (const auto& r : requests) {
    if (seen.insert(r.case_id).second) notes.push_back({"read.requests", "case", r.case_id, ""});
  }
  RECOURSE_RETURN_IF_ERROR(noteReads(notes));
  return requests;
}

StatusOr<Store::CaseIncidents> Store::incidentsByCase(const std::string& client_id, Fields fields) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto all, incidents_->listAll(client_id, fields == Fields::kAll));
  RECOURSE_RETURN_IF_ERROR(noteCaseReads("read.incidents", all.case_client));
  return CaseIncidents{std::move(all.by_case), std::move(all.unreadable)};
}

namespace {

Store::RequestsUnderWay underWayOf(RequestsRepo::UnderWay&& all) {
  return {std::move(all.requests), Store::RequestHistories{std::move(all.histories.by_request),
                                                           std::move(all.histories.unreadable)}};
}

}  // namespace

void Store::addUnderWayReads(const std::map<std::string, std::string>& case_client,
                             std::vector<ReadNote>& notes) {
  for (const auto& [kase, client] : case_client) {
    notes.push_back({"read.requests", "case", kase, client});
    notes.push_back({"read.request_events", "case", kase, client});
  }
}

StatusOr<Store::RequestsUnderWay> Store::requestsUnderWay(const std::string& client_id,
                                                          std::vector<std::string>* damaged,
                                                          Fields fields) {
  std::lock_guard lk(mu_);
  DamageScope scope(damaged_, damaged);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto all, requests_->underWay(client_id, fields == Fields::kAll));
  // Both kinds of read, logged in one transaction.
  std::vector<ReadNote> notes;
  notes.reserve(2 * all.histories.case_client.size());
  addUnderWayReads(all.histories.case_client, notes);
  RECOURSE_RETURN_IF_ERROR(noteReads(notes));
  return underWayOf(std::move(all));
}

StatusOr<Store::DeadlineInputs> Store::deadlineInputs(const std::string& client_id,
                                                      std::vector<std::string>* damaged) {
  std::lock_guard lk(mu_);
  DamageScope scope(damaged_, damaged);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto in, digests_->read(client_id));
  // Digests written change no answer: left out of the change stamp, as reads logged are.
  read_log_rows_ += in.saved;
  std::vector<ReadNote> notes;
  notes.reserve(in.incidents.case_client.size() + 2 * in.under_way.histories.case_client.size());
  for (const auto& [kase, client] : in.incidents.case_client) {
    notes.push_back({"read.incidents", "case", kase, client});
  }
  addUnderWayReads(in.under_way.histories.case_client, notes);
  RECOURSE_RETURN_IF_ERROR(noteReads(notes));
  return DeadlineInputs{
      CaseIncidents{std::move(in.incidents.by_case), std::move(in.incidents.unreadable)},
      underWayOf(std::move(in.under_way)), in.from_digests, in.read_afresh};
}

StatusOr<Store::RequestHistories> Store::requestEventsOfCase(const std::string& case_id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(std::string client_id, audit_->clientOfCase(case_id));
  RECOURSE_RETURN_IF_ERROR(keys_->clientKey(client_id).status());
  RECOURSE_ASSIGN_OR_RETURN(auto all, requests_->listAllEvents(client_id, case_id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.request_events", "case", case_id, client_id));
  return RequestHistories{std::move(all.by_request), std::move(all.unreadable)};
}

StatusOr<core::Case> Store::addCase(const core::Case& c) {
  std::lock_guard lk(mu_);
  return cases_->add(c);
}

StatusOr<core::Case> Store::getCase(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(core::Case c, cases_->get(id));
  audit_->seenOnPage("case", c.id, c.client_id);
  RECOURSE_RETURN_IF_ERROR(noteRead("read.case", "case", c.id, c.client_id));
  return c;
}

StatusOr<std::vector<core::Case>> Store::listCases(const std::string& client_id) {
  return listCases(client_id, nullptr);
}

StatusOr<core::Incident> Store::addIncident(const core::Incident& incident) {
  std::lock_guard lk(mu_);
  return incidents_->add(incident);
}

StatusOr<std::vector<core::Incident>> Store::listIncidents(const std::string& case_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("case", case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto incidents, incidents_->list(case_id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.incidents", "case", case_id));
  return incidents;
}

StatusOr<core::Incident> Store::getIncident(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(core::Incident i, incidents_->get(id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.incident", "incident", i.id));
  return i;
}

StatusOr<core::Incident> Store::updateIncident(const core::Incident& incident) {
  std::lock_guard lk(mu_);
  return incidents_->update(incident);
}

StatusOr<core::RecordsRequest> Store::addRequest(const core::RecordsRequest& request) {
  std::lock_guard lk(mu_);
  return requests_->add(request);
}

StatusOr<core::RecordsRequest> Store::getRequest(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(core::RecordsRequest r, requests_->get(id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.request", "request", r.id));
  return r;
}

StatusOr<std::vector<core::RecordsRequest>> Store::listRequests(const std::string& case_id) {
  return listRequests(case_id, nullptr);
}

StatusOr<core::RequestEvent> Store::addRequestEvent(const core::RequestEvent& event) {
  std::lock_guard lk(mu_);
  return requests_->addEvent(event);
}

StatusOr<std::vector<core::RequestEvent>> Store::listRequestEvents(const std::string& request_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("request", request_id));
  RECOURSE_ASSIGN_OR_RETURN(auto events, requests_->listEvents(request_id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.request_events", "request", request_id));
  return events;
}

StatusOr<std::vector<core::AuditEvent>> Store::auditEvents() {
  std::lock_guard lk(mu_);
  return audit_->events();
}

Status Store::verifyAuditChain() {
  std::lock_guard lk(mu_);
  return audit_->verify();
}

// ---- corrections and deletions -------------------------------------------------------

StatusOr<core::Client> Store::updateClient(const core::Client& client) {
  std::lock_guard lk(mu_);
  return clients_->update(client);
}

StatusOr<core::Case> Store::updateCase(const core::Case& c) {
  std::lock_guard lk(mu_);
  return cases_->update(c);
}

Status Store::markTaskDone(const std::string& case_id, const std::string& task, bool done) {
  std::lock_guard lk(mu_);
  return cases_->markTaskDone(case_id, task, done);
}

StatusOr<std::vector<std::string>> Store::tasksDone(const std::string& case_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("case", case_id));
  return cases_->tasksDone(case_id);
}

StatusOr<core::RecordsRequest> Store::updateRequest(const core::RecordsRequest& request) {
  std::lock_guard lk(mu_);
  return requests_->update(request);
}

StatusOr<core::RequestEvent> Store::updateRequestEvent(const core::RequestEvent& event) {
  std::lock_guard lk(mu_);
  return requests_->updateEvent(event);
}

StatusOr<core::RequestEvent> Store::requestEvent(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(core::RequestEvent e, requests_->getEvent(id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.request_events", "request", e.request_id));
  return e;
}

Status Store::deleteRequestEvent(const std::string& id) {
  std::lock_guard lk(mu_);
  return requests_->deleteEvent(id);
}

StatusOr<Removed> Store::deleteClient(const std::string& id, const std::string& evidence_dir) {
  std::lock_guard lk(mu_);
  return remover_->deleteClient(id, evidence_dir);
}

StatusOr<Removed> Store::deleteCase(const std::string& id, const std::string& evidence_dir) {
  std::lock_guard lk(mu_);
  return remover_->deleteCase(id, evidence_dir);
}

StatusOr<Removed> Store::deleteIncident(const std::string& id) {
  std::lock_guard lk(mu_);
  return remover_->deleteIncident(id);
}

StatusOr<Removed> Store::deleteRequest(const std::string& id) {
  std::lock_guard lk(mu_);
  return remover_->deleteRequest(id);
}

StatusOr<Removed> Store::removeEvidence(const std::string& id, const std::string& evidence_dir) {
  std::lock_guard lk(mu_);
  return remover_->removeEvidence(id, evidence_dir);
}

// ---- drafts --------------------------------------------------------------------------

Status Store::saveDraft(const std::string& name, const std::string& text) {
  std::lock_guard lk(mu_);
  return drafts_->save(name, text);
}

StatusOr<std::optional<std::string>> Store::draft(const std::string& name) {
  std::lock_guard lk(mu_);
  return drafts_->get(name);
}

Status Store::deleteDraft(const std::string& name) {
  std::lock_guard lk(mu_);
  return drafts_->remove(name);
}

Status Store::clearDrafts() {
  std::lock_guard lk(mu_);
  return drafts_->clear();
}

// ---- evidence ------------------------------------------------------------------------

StatusOr<core::EvidenceItem> Store::addEvidence(const core::EvidenceItem& item,
                                                const std::string& source, const std::string& dir) {
  std::lock_guard lk(mu_);
  return evidence_->add(item, source, dir);
}

StatusOr<std::unique_ptr<PendingEvidence>> Store::sealEvidence(const std::string& case_id,
                                                               const ByteSource& source,
                                                               const std::string& dir,
                                                               long long max_bytes) {
  {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(evidence_->checkCase(case_id));
  }
  return EvidenceRepo::seal(case_id, source, dir, max_bytes);
}

StatusOr<core::EvidenceItem> Store::commitEvidence(std::unique_ptr<PendingEvidence> pending,
                                                   const core::EvidenceItem& item) {
  std::lock_guard lk(mu_);
  return evidence_->commit(std::move(pending), item);
}

StatusOr<core::EvidenceItem> Store::updateEvidence(const core::EvidenceItem& item) {
  std::lock_guard lk(mu_);
  return evidence_->update(item);
}

StatusOr<core::EvidenceItem> Store::getEvidence(const std::string& id) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(core::EvidenceItem e, evidence_->get(id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.evidence", "evidence", e.id));
  return e;
}

StatusOr<std::vector<core::EvidenceItem>> Store::listEvidence(const std::string& case_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("case", case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto items, evidence_->list(case_id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.evidence_list", "case", case_id));
  return items;
}

Status Store::readEvidence(const std::string& id, const std::string& dir, std::string_view action,
                           const std::function<Status(const std::uint8_t*, size_t)>& sink) {
  EvidenceRepo::Readable r;
  {
    std::lock_guard lk(mu_);
    RECOURSE_ASSIGN_OR_RETURN(r, evidence_->readable(id, dir));
    RECOURSE_RETURN_IF_ERROR(noteRead("read.evidence_file", "evidence", id));
  }
  // Parts kept in the database are read one at a time, the store held for each.
  SealedParts kept(r.parts, [&](long long n) {
    std::lock_guard lk(mu_);
    return evidence_->part(id, n);
  });
  auto opened = r.parts > 0 ? openStream(r.file_key, kept.source(),
                                         "its sealed file in the database", r.ad, sink)
                            : store::openFile(r.file_key, r.path, r.ad, sink);
  if (!opened.isOk()) return opened.status().withContext(id);
  if (*opened != r.item.sha256_hex) {
    return core::corruption(id + ": the file's SHA-256 is " + *opened + ", not " +
                            r.item.sha256_hex + " as recorded at intake");
  }
  if (action.empty()) return Status::ok();
  std::lock_guard lk(mu_);
  return evidence_->recordCustody({id}, action);
}

Status Store::recordCustody(const std::vector<std::string>& ids, std::string_view action) {
  std::lock_guard lk(mu_);
  return evidence_->recordCustody(ids, action);
}

StatusOr<std::vector<core::CustodyEntry>> Store::custodyLog() {
  std::lock_guard lk(mu_);
  return evidence_->custodyLog();
}

StatusOr<bool> Store::hasSealedFile(const std::string& id, const std::string& dir) {
  std::lock_guard lk(mu_);
  RECOURSE_ASSIGN_OR_RETURN(long long parts, evidence_->partsOf(id));
  if (parts > 0) return true;
  std::error_code ec;
  return std::filesystem::exists(EvidenceRepo::sealedFilePath(dir, id), ec);
}

Status Store::copySealedFile(const std::string& id, const std::string& dir,
                             const std::function<Status(const std::uint8_t*, size_t)>& sink) {
  std::lock_guard lk(mu_);
  return evidence_->copySealed(id, dir, sink);
}

Status Store::writeSealedFile(const std::string& id, const std::string& dir,
                              const std::string& path) {
  std::lock_guard lk(mu_);
  return evidence_->writeSealedFile(id, dir, path);
}

StatusOr<long long> Store::unpackEvidence(const std::string& dir) {
  std::lock_guard lk(mu_);
  if (evidence_->filesInDatabase()) return 0;
  RECOURSE_ASSIGN_OR_RETURN(
      auto rows,
      db_->select("SELECT DISTINCT evidence_id FROM evidence_parts ORDER BY evidence_id"));
  if (rows.empty()) return 0;
  RECOURSE_RETURN_IF_ERROR(ensureDataDir(dir));
  std::vector<std::string> written;
  auto undo = [&](const Status& s) {
    std::error_code ec;
    for (const auto& path : written) std::filesystem::remove(path, ec);
    return s;
  };
  for (const auto& r : rows) {
    const std::string id = r.text(0);
    const std::string path = EvidenceRepo::sealedFilePath(dir, id);
    if (Status w = evidence_->writeSealedFile(id, dir, path); !w.isOk()) return undo(w);
    written.push_back(path);
  }
  Status taken = db_->inTransaction([&] { return db_->execute("DELETE FROM evidence_parts"); });
  if (!taken.isOk()) return undo(taken);
  // The space they took goes back to the disk (the file may have held gigabytes of them).
  (void)db_->execute("VACUUM");
  return static_cast<long long>(written.size());
}

StatusOr<long long> Store::moveEvidenceIn(const std::string& dir) {
  std::lock_guard lk(mu_);
  if (!evidence_->filesInDatabase()) return 0;
  return evidence_->moveFilesIn(dir);
}

StatusOr<std::vector<std::string>> Store::verifyEvidence(const std::string& dir) {
  EvidenceRepo::CustodyCheck log;
  std::vector<core::EvidenceItem> all;
  {
    std::lock_guard lk(mu_);
    RECOURSE_ASSIGN_OR_RETURN(log, evidence_->checkCustodyLog());
    RECOURSE_ASSIGN_OR_RETURN(all, evidence_->listAll());
  }
  std::vector<std::string> problems = log.problems;
  // One item at a time: opening every sealed file takes a while, and other threads may
  // use the store in between.
  for (const auto& e : all) {
    std::lock_guard lk(mu_);
    RECOURSE_RETURN_IF_ERROR(evidence_->checkItem(e, log, dir, &problems));
  }
  {
    // Parts of a sealed file kept in the database belong to a record too.
    std::lock_guard lk(mu_);
    RECOURSE_ASSIGN_OR_RETURN(
        auto strays,
        db_->select("SELECT DISTINCT evidence_id FROM evidence_parts WHERE evidence_id "
                    "NOT IN (SELECT id FROM evidence) ORDER BY evidence_id"));
    for (const auto& r : strays) {
      problems.push_back(r.text(0) +
                         ": a sealed file in the database that no record names; left as it is");
    }
  }
  // Every file in the folder is one a record names; anything else is said. What an add cut
  // off left behind (".partial", untouched for a while, so not one still being written) is
  // removed, and said.
  std::set<std::string> expected;
  for (const auto& e : all) expected.insert(e.id + ".sealed");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (expected.count(name) != 0) continue;
    if (isStaleLeftover(entry.path())) {
      std::error_code rm;
      std::filesystem::remove(entry.path(), rm);
      problems.push_back(name + ": left behind by an evidence add that was cut off; " +
                         (rm ? "it could not be removed (" + rm.message() + ")" : "removed"));
    } else if (name.size() > 8 && name.compare(name.size() - 8, 8, ".partial") == 0) {
      continue;  // being written by an add still running
    } else if (entry.path().extension() == ".sealed" && name.rfind("ev_", 0) == 0) {
      // A sealed file whose record was never committed: an add cut off between putting the
      // file in place and committing its record (or one doing so right now, if recent).
      if (!isOld(entry.path(), clock_.now())) continue;
      {
        // Looked up again now: the list above was read before the items were checked, and
        // an add may have committed since.
        std::lock_guard lk(mu_);
        auto found = evidence_->get(name.substr(0, name.size() - 7));
        if (found.status().code() != core::StatusCode::kNotFound) continue;
      }
      std::error_code rm;
      std::filesystem::remove(entry.path(), rm);
      problems.push_back(name +
                         ": left behind by an evidence add that was cut off before its "
                         "record was kept; " +
                         (rm ? "it could not be removed (" + rm.message() + ")" : "removed"));
    } else {
      problems.push_back(name +
                         ": a file in the evidence folder that no record names; left as "
                         "it is");
    }
  }
  return problems;
}

bool isStaleLeftover(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  if (name.size() <= 8 || name.compare(name.size() - 8, 8, ".partial") != 0) return false;
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(p, ec);
  if (ec) return false;
  return std::filesystem::file_time_type::clock::now() - written > kLeftoverAge;
}

size_t removeEvidenceLeftovers(const std::string& dir) {
  size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::error_code rm;
    if (isStaleLeftover(entry.path()) && std::filesystem::remove(entry.path(), rm)) ++removed;
  }
  return removed;
}

// ---- complaints ----------------------------------------------------------------------

StatusOr<std::optional<core::Complaint>> Store::complaintOfCase(const std::string& case_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("case", case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto complaint, complaints_->ofCase(case_id));
  if (complaint) RECOURSE_RETURN_IF_ERROR(noteRead("read.complaint", "case", case_id));
  return complaint;
}

StatusOr<Store::ComplaintFilings> Store::complaintFilings(const std::string& client_id,
                                                          std::vector<std::string>* damaged) {
  std::lock_guard lk(mu_);
  DamageScope scope(damaged_, damaged);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("client", client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto all, complaints_->filings(client_id));
  std::vector<ReadNote> notes;
  std::unordered_set<std::string> seen;
  for (const auto& [kase, client] : all.case_client) {
    if (seen.insert(client).second) notes.push_back({"read.caseload", "client", client, client});
  }
  RECOURSE_RETURN_IF_ERROR(noteReads(notes));
  return ComplaintFilings{std::move(all.by_case), std::move(all.unreadable),
                          std::move(all.events_by_case)};
}

StatusOr<core::Complaint> Store::saveComplaint(const core::Complaint& complaint) {
  std::lock_guard lk(mu_);
  return complaints_->save(complaint);
}

StatusOr<core::ComplaintEvent> Store::addComplaintEvent(const core::ComplaintEvent& event) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("complaint", event.complaint_id));
  return complaints_->addEvent(event);
}

StatusOr<core::ComplaintEvent> Store::updateComplaintEvent(const core::ComplaintEvent& event) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("complaint_event", event.id));
  return complaints_->updateEvent(event);
}

StatusOr<core::ComplaintEvent> Store::complaintEvent(const std::string& event_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("complaint_event", event_id));
  RECOURSE_ASSIGN_OR_RETURN(auto e, complaints_->event(event_id));
  RECOURSE_RETURN_IF_ERROR(noteRead("read.complaint_events", "case", e.case_id));
  return e;
}

StatusOr<std::vector<core::ComplaintEvent>> Store::complaintEvents(
    const std::string& complaint_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("complaint", complaint_id));
  RECOURSE_ASSIGN_OR_RETURN(auto events, complaints_->events(complaint_id));
  if (!events.empty()) {
    RECOURSE_RETURN_IF_ERROR(noteRead("read.complaint_events", "case", events.front().case_id));
  }
  return events;
}

Status Store::deleteComplaintEvent(const std::string& event_id) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(requireAccessTo("complaint_event", event_id));
  return complaints_->deleteEvent(event_id);
}

// ---- whole-database snapshot ---------------------------------------------------------

StatusOr<Bytes> Store::serialize() {
  std::lock_guard lk(mu_);
  return db_->serialize();
}

Status Store::saveAs(const std::string& path) {
  std::lock_guard lk(mu_);
  return db_->saveAs(path);
}

int Store::schemaVersion() {
  std::lock_guard lk(mu_);
  return db_->userVersion();
}

Store::ChangeStamp Store::changeStamp() {
  std::lock_guard lk(mu_);
  Database::ChangeCounts counts = db_->changeCounts();
  return {keys_epoch_, counts.own - read_log_rows_, counts.others};
}

// ---- batches -------------------------------------------------------------------------

Status Store::inOneTransaction(const std::function<Status()>& body) {
  std::lock_guard lk(mu_);
  RECOURSE_RETURN_IF_ERROR(keys_->requireUnlocked());
  return db_->inBulkTransaction(body);
}

Status Store::rememberImported(std::string_view kind, std::string_view material,
                               const std::string& entity_id) {
  std::lock_guard lk(mu_);
  return import_keys_->remember(kind, material, entity_id);
}

StatusOr<std::optional<std::string>> Store::findImported(std::string_view kind,
                                                         std::string_view material) {
  std::lock_guard lk(mu_);
  return import_keys_->find(kind, material);
}

// ---- Batch rows and corrections ---------------------------------------------------------------

Status Store::prefetchImported(const std::vector<std::pair<std::string, std::string>>& wanted) {
  std::lock_guard lk(mu_);
  return import_keys_->prefetch(wanted);
}

Status Store::rememberImportedLatest(std::string_view kind, std::string_view material,
                                     const std::string& entity_id) {
  std::lock_guard lk(mu_);
  return import_keys_->rememberLatest(kind, material, entity_id);
}

Status Store::rememberBatchRow(const BatchRow& row, bool kept) {
  std::lock_guard lk(mu_);
  return import_keys_->rememberBatchRow(row, kept);
}

StatusOr<std::optional<BatchRow>> Store::batchRowOf(const std::string& request_id) {
  std::lock_guard lk(mu_);
  return import_keys_->batchRowOf(request_id);
}

StatusOr<long long> Store::lastLetterNumber() {
  std::lock_guard lk(mu_);
  return import_keys_->lastLetterNumber();
}

}  // namespace recourse::store
