// The SQLite store: repositories over SQLite, the vault that seals personal fields,
// migrations, and the serialized snapshot used by export/import.
//
// Store is a facade over parts a newcomer can find by name:
//   database.h     the connection: transactions, migrations, errors; one interface over
//                  SQLite (sqlite_db.h) and PostgreSQL (pg_db.h)
//   sealed.h       sealing a column value bound to its table, column and row
//   keyring.h      the vault key, client data keys, derived subkeys
//   hash_chain.h   the keyed hash chain of the audit log and the custody log
//   audit_log.h    the audit log
//   clients.h, cases.h, incidents.h, requests.h, complaints.h, evidence.h, import_keys.h
//                  one repository per kind of record
//
// Thread safety: every public method takes one internal recursive mutex, so one Store may
// be shared by the HTTP server's worker threads (and a batch may call back into the store
// from inside inOneTransaction).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/repository.h"
#include "store/crypto.h"
#include "store/vault_lock.h"

namespace recourse::store {

class Database;
class Keyring;
class AuditTrail;
class ClientsRepo;
class CasesRepo;
class IncidentsRepo;
class RequestsRepo;
class DeadlineDigests;
class ComplaintsRepo;
class DraftsRepo;
class EvidenceRepo;
class PendingEvidence;
class ImportKeysRepo;
class Remover;
struct Account;

// What a deletion removed (ids only).
struct Removed {
  std::vector<std::string> cases;
  std::vector<std::string> incidents;
  std::vector<std::string> evidence;
  std::vector<std::string> requests;
  // Sealed files that could not be deleted (still sealed, their key gone).
  std::vector<std::string> files_left;
};

// Where a request a batch made came from: its letter number (given once, never changed), the
// spreadsheet row it was last read from and the office's own client reference (sealed).
struct BatchRow {
  std::string request_id;
  long long letter_no = 0;
  long long csv_row = 0;
  std::string client_ref;
};

class Store final : public core::ClientRepository,
                    public core::CaseRepository,
                    public core::IncidentRepository,
                    public core::RequestRepository,
                    public core::AuditLog {
 public:
  enum class OpenMode { kExisting, kCreate };
  // kShared: the store holds a shared VaultLock (vault_lock.h) on the file while it is
  // open, taken before the file is opened. kHeldByCaller: the caller holds it exclusively.
  enum class Locking { kShared, kHeldByCaller };

  // Opens (kCreate: creates if missing) the database file at `path` and runs migrations.
  // On failure: NotFound (kExisting and no file), Corruption (not a Recourse database or
  // damaged), FailedPrecondition (written by a newer Recourse), IOError/PermissionDenied,
  // Conflict (reason "vault_importing") when an import holds the vault's lock too long.
  // A file that fails to open is never modified.
  static core::StatusOr<std::unique_ptr<Store>> openFile(const std::string& path, OpenMode mode,
                                                         const core::Clock& clock,
                                                         Locking locking = Locking::kShared);
  // The store of the data directory `dir`: the organization database it points at
  // (data_dir.h, organizationDatabase) as openPostgres does, or else its own file
  // (databasePath) as openFile does.
  // A process that was waiting while the data directory was pointed at an organization
  // database (migrate) opens that database, never a new empty file.
  static core::StatusOr<std::unique_ptr<Store>> openDataDir(const std::string& dir, OpenMode mode,
                                                            const core::Clock& clock,
                                                            Locking locking = Locking::kShared);
  // Opens an organization's PostgreSQL database at `url` ("postgresql://…", pg_db.h) and
  // runs its migrations (making its tables the first time). IOError naming the server when
  // it cannot be reached; FailedPrecondition when written by a newer Recourse. Sealed
  // fields reach the server sealed; keys stay in this process.
  static core::StatusOr<std::unique_ptr<Store>> openPostgres(const std::string& url,
                                                             const core::Clock& clock);
  // Which engine holds the data: "SQLite" or "PostgreSQL".
  std::string_view engine() const;
  // A fresh, private in-memory database (tests).
  static core::StatusOr<std::unique_ptr<Store>> openInMemory(const core::Clock& clock);
  // Loads a snapshot made by serialize() into memory, checking its schema version.
  static core::StatusOr<std::unique_ptr<Store>> fromSnapshot(const Bytes& snapshot,
                                                             const core::Clock& clock);
  ~Store() override;

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- vault ---------------------------------------------------------------------------
  // False also when the database cannot be read (the next call that needs it says why).
  bool hasVault();
  // Creates the vault with its first account, `user` (an administrator), and leaves it
  // unlocked as that account. Returns the account's recovery code, to be shown once.
  // Conflict if a vault exists; InvalidArgument about "user" or "passphrase".
  // `with_recovery` false for a vault made for someone else: "" is returned, and the code is
  // made at its holder's first sign-in (takeRecoveryCode), for them alone.
  core::StatusOr<std::string> createVault(std::string_view user, std::string_view passphrase,
                                          const KdfParams& params, bool with_recovery = true);
  // The same with the first account named kDefaultUser.
  core::Status createVault(std::string_view passphrase, const KdfParams& params);
  // Unlocks as the account `user` ("" for the only one). See Keyring::unlock for the
  // errors; nothing changes on failure but the count of wrong passphrases.
  //
  // A vault made before accounts opens with its one passphrase, and that first unlock
  // upgrades it: its owner becomes its first account (named `user`, or kDefaultUser), an
  // administrator with the same passphrase; every client's key is sealed to that account
  // and no longer wrapped by a passphrase key; drafts are sealed under its own key. All in
  // one transaction: a failure leaves the vault as it was. takeRecoveryCode() then gives
  // the new account's recovery code, once.
  //
  // The first unlock of a vault made before schema version 5 also re-links its audit log
  // with the vault key (see audit_log.h); when that fails for another reason than a broken
  // chain, the vault stays locked.
  core::Status unlock(std::string_view user, std::string_view passphrase);
  core::Status unlock(std::string_view passphrase) { return unlock("", passphrase); }
  // OK when `passphrase` opens the account `user` ("" for the only one), or a vault made
  // before accounts, without upgrading it and leaving the store locked. Errors as unlock.
  core::Status checkOpens(std::string_view user, std::string_view passphrase);
  // Unlocks as `user` with their recovery code (for a forgotten passphrase: then
  // resetPassphrase). Errors as unlock, reason "wrong_recovery_code".
  core::Status unlockWithRecovery(std::string_view user, std::string_view code);
  // The recovery code the last upgrade made, once; nullopt afterwards or when none.
  std::optional<std::string> takeRecoveryCode();
  // OK when `passphrase` opens the unlocked account (Unauthenticated otherwise, and the
  // failure is counted); changes nothing else.
  core::Status checkPassphrase(std::string_view passphrase);
  static constexpr std::string_view kDefaultUser = "owner";
  // How many accounts the vault has: 0 with no vault or one made before accounts. Needs no
  // key (the sign-in page asks for a name only when there are several).
  core::StatusOr<long long> accountCount();

  // --- accounts and access (accounts.h) -------------------------------------------------
  struct AccountInfo {
    std::string id;
    std::string name;
    std::string role;  // client, advocate, staff, admin
    std::string client_id;
    std::string fingerprint;
    std::string created_at;
    std::string created_by;  // an account name ("" for the first)
  };
  // The unlocked account. Unauthenticated while locked.
  core::StatusOr<AccountInfo> me();
  // The clients the unlocked account holds access to (ids, no record is read).
  core::StatusOr<std::vector<std::string>> myClientIds();
  // Every account, oldest first; Corruption when one does not match its certificate.
  core::StatusOr<std::vector<AccountInfo>> accounts();
  // Makes an account (only an administrator may): `role` one of client, advocate, staff,
  // admin; a client's account names the client it is (`client_id`), whose key is sealed to
  // it when the unlocked account holds it and may give it. Returns the account and its
  // recovery code, to be shown once. PermissionDenied (reason "admin_only"); InvalidArgument
  // about "name", "role", "passphrase" or "client_id"; Conflict about "name"; NotFound about
  // "client_id". Logged "user.add".
  struct NewAccountMade {
    AccountInfo account;
    std::string recovery_code;
    bool client_key_sealed = false;
  };
  core::StatusOr<NewAccountMade> addAccount(std::string_view name, std::string_view role,
                                            std::string_view passphrase,
                                            const std::string& client_id, const KdfParams& params);
  // The unlocked account's passphrase: `current` must open it (Unauthenticated, counted);
  // InvalidArgument about "passphrase" for a new one too short. Logged "user.passwd".
  core::Status changePassphrase(std::string_view current, std::string_view fresh,
                                const KdfParams& params);
  // After unlockWithRecovery: a new passphrase and a new recovery code (returned, to be
  // shown once; the old code no longer works). Logged "user.recover".
  core::StatusOr<std::string> resetPassphrase(std::string_view fresh, const KdfParams& params);

  // Who may open a client's records, and who gave it.
  struct AccessInfo {
    AccountInfo account;
    std::string kind;        // creator, own, grant, rotation, upgrade
    std::string granted_by;  // an account name
    std::string granted_at;
    std::string reason;
    std::string problem;  // why the grant does not count ("" when it does)
  };
  // REQUIRES the unlocked account to hold access to the client (PermissionDenied).
  core::StatusOr<std::vector<AccessInfo>> accessTo(const std::string& client_id);
  // Seals the client's key to `user` (see Grants::mayGive for who may). InvalidArgument
  // about "user" for oneself, Conflict when they have it already, NotFound about "user" or
  // "client_id", PermissionDenied (reason "may_not_grant"), InvalidArgument about "reason"
  // for an administrator without one. Logged "access.grant".
  core::StatusOr<AccessInfo> grantAccess(const std::string& client_id, std::string_view user,
                                         const std::string& reason);
  // Makes `user`, a client's own account not yet linked to anyone, the own account of
  // `client_id` (for a record made before the person had an account, or by a records batch):
  // their key is sealed to it ("own", signed by the unlocked account) and from then on the
  // person decides who else may open their records. True when linked now, false when it was
  // linked to this client already (nothing changes). Who may: the record's maker, or whoever
  // may give access (Grants::mayGive). NotFound about "user" (reason no_such_user) or
  // "client_id"; InvalidArgument about "user" for an account that is not a client's;
  // Conflict about "user" (linked to another client) or "client_id" (it has an own account
  // already). One transaction; logged "access.grant".
  core::StatusOr<bool> linkClientAccount(const std::string& client_id, std::string_view user);
  // Takes `user`'s access away: the client gets a new key, all their records are sealed
  // again under it, and it is sealed again to everyone else who had access; `user`'s grant
  // is removed. One transaction: either the old key stays in force or the new one does.
  // NotFound about "user" (no such account, or they have no access), others as
  // grantAccess. Logged "access.revoke".
  core::Status revokeAccess(const std::string& client_id, std::string_view user,
                            const std::string& reason);
  // Whether administrators may act for clients (give and take away access, with a reason).
  // Setting it: administrators only (PermissionDenied), logged "policy.admins_may_grant".
  core::StatusOr<bool> adminsMayGrant();
  core::Status setAdminsMayGrant(bool allowed);
  // What the audit entries written from now on say they came through ("cli", "browser").
  void setVia(std::string via);
  // The audit entries about one client's records, oldest first: the client's own account,
  // an administrator, or an account with access to them may read them (PermissionDenied
  // otherwise). Entries from before accounts are found by the records they name.
  core::StatusOr<std::vector<core::AuditEvent>> auditEventsOf(const std::string& client_id);

  // Holds back the read-log entries (audit_log.h: "read.…") of the calls this thread makes
  // until write() or the end of the returned object, and then writes them in one
  // transaction: a page that reads a case's records in several calls logs them in one write,
  // not one each (each a commit to wait for). The page calls write() before it shows
  // anything, and fails if that does; a page that stops early has what it read logged at
  // the end anyway. Other threads' reads are logged as they happen. Holds nest. While the
  // outermost stands, which client each record read belongs to is asked of the database
  // once (AuditTrail::beginPage), not by every call that reads it.
  class HeldReads {
   public:
    explicit HeldReads(Store& store);
    ~HeldReads();
    HeldReads(const HeldReads&) = delete;
    HeldReads& operator=(const HeldReads&) = delete;
    core::Status write();

   private:
    Store& store_;
    bool outer_;
    bool written_ = false;
  };
  // Wipes every key from memory.
  void lock();
  bool isUnlocked();
  // The lock this store holds on its file: null for a store in memory, one opened with
  // kHeldByCaller, or a file in a place this process cannot write. Released with the
  // store, or handed over (to keep it while the store closes).
  VaultLock* vaultLock() { return vault_lock_.get(); }
  std::unique_ptr<VaultLock> releaseVaultLock() { return std::move(vault_lock_); }
  void adoptVaultLock(std::unique_ptr<VaultLock> held) { vault_lock_ = std::move(held); }

  // --- repositories (core/repository.h) -------------------------------------------------
  core::StatusOr<core::Client> addClient(const core::Client& client) override;
  core::StatusOr<core::Client> getClient(const std::string& id) override;
  core::StatusOr<std::vector<core::Client>> listClients() override;
  // Damage-tolerant listings: a record that cannot be read (it does not unseal, or its row
  // is damaged) is named in *damaged ("client cl_…", "case cs_…", "request rq_…") and left
  // out, instead of failing the whole listing; other failures are returned as they are.
  // What a listing unseals: every field, or only what a view across a caseload shows
  // (kSummary: a client's name; a case's title and its therapist's name; a request's
  // custodian name; nothing of a request's events; an incident's date in words and its
  // kinds of harm, what time limits are worked out from, and not its times of entry). The
  // other sealed fields are left empty, and not checked: a record damaged there lists as it
  // is.
  enum class Fields { kAll, kSummary };
  core::StatusOr<std::vector<core::Client>> listClients(std::vector<std::string>* damaged,
                                                        Fields fields = Fields::kAll);
  core::StatusOr<std::vector<core::Case>> listCases(const std::string& client_id,
                                                    std::vector<std::string>* damaged,
                                                    Fields fields = Fields::kAll);
  core::StatusOr<std::vector<core::RecordsRequest>> listRequests(const std::string& case_id,
                                                                 std::vector<std::string>* damaged,
                                                                 Fields fields = Fields::kAll);
  // Says that a view across the whole caseload reads next, in this order: deadlineInputs("")
  // (its first statement: the digests), listCases("") and listClients, each with `fields`,
  // then complaintFilings("") (two reads: the filings and their steps). An organization
  // database is sent all five queries at once, so that it works on the later ones while
  // this process opens the first (Database::readAhead); any other statement in between (a
  // client read afresh) only undoes that. Nothing on SQLite.
  void readAheadCaseload(Fields fields);
  // Says that a case page's reads come next, after getCase(kase.id), in this order:
  // getClient(kase.client_id), listIncidents, listEvidence, listRequests, complaintOfCase,
  // tasksDone and requestEventsOfCase of the case, inside a HeldReads (which asks whose the
  // case is once). An organization database is sent them all at once, as for
  // readAheadCaseload; endReadAhead drops any the page does not read. Nothing on SQLite.
  void readAheadCase(const core::Case& kase);
  // Drops what readAheadCaseload sent and the view did not read (it ended early).
  void endReadAhead();
  // Database::answersTakenAhead (for tests and benchmarks).
  long long answersTakenAhead();
  // AuditTrail::ownerLookups (for tests and benchmarks).
  long long ownerLookups();
  core::StatusOr<core::Case> addCase(const core::Case& c) override;
  core::StatusOr<core::Case> getCase(const std::string& id) override;
  core::StatusOr<std::vector<core::Case>> listCases(const std::string& client_id) override;
  core::StatusOr<core::Incident> addIncident(const core::Incident& incident) override;
  core::StatusOr<std::vector<core::Incident>> listIncidents(const std::string& case_id) override;
  core::StatusOr<core::RecordsRequest> addRequest(const core::RecordsRequest& request) override;
  core::StatusOr<core::RecordsRequest> getRequest(const std::string& id) override;
  core::StatusOr<std::vector<core::RecordsRequest>> listRequests(
      const std::string& case_id) override;
  core::StatusOr<core::RequestEvent> addRequestEvent(const core::RequestEvent& event) override;
  core::StatusOr<std::vector<core::RequestEvent>> listRequestEvents(
      const std::string& request_id) override;
  // For views across a caseload (deadlines, an advocate's clients): every incident, and
  // every records request under way with its history, of `client_id`'s cases ("" for every
  // client the unlocked account may open), each in one read instead of one per case or
  // request. Incidents by case id (in date order); requests in the order added, events by
  // request id (in order). Logged "read.incidents", or "read.requests" and
  // "read.request_events", once per case. A case with an incident, or a request with an
  // event, that does not read is left out whole and named in `unreadable`: the caller decides
  // whether that fails what it shows. PermissionDenied for a client the account may not open.
  struct CaseIncidents {
    std::unordered_map<std::string, std::vector<core::Incident>> by_case;
    std::map<std::string, std::string> unreadable;  // case id -> what to say about it
  };
  core::StatusOr<CaseIncidents> incidentsByCase(const std::string& client_id,
                                                Fields fields = Fields::kAll);
  struct RequestHistories {
    std::unordered_map<std::string, std::vector<core::RequestEvent>> by_request;
    std::map<std::string, std::string> unreadable;  // request id -> what to say about it
  };
  // A request under way has anything recorded of what happened: a draft has nothing, and
  // nothing is due for it. A request that does not read is named in `damaged` and left out
  // (without it, the read fails).
  struct RequestsUnderWay {
    std::vector<core::RecordsRequest> requests;
    RequestHistories histories;
  };
  core::StatusOr<RequestsUnderWay> requestsUnderWay(const std::string& client_id,
                                                    std::vector<std::string>* damaged,
                                                    Fields fields = Fields::kAll);
  // Both at once, for a deadlines view (kSummary's fields), logged as they are: from one
  // sealed digest per client where nothing of theirs has changed since it was made, and
  // from their records otherwise (deadline_digests.h); a new digest is kept of a client read
  // afresh. Records that do not read are named in `damaged` (requests) and in `unreadable`
  // (a case's incidents, a request's history), as those two name them.
  struct DeadlineInputs {
    CaseIncidents incidents;
    RequestsUnderWay under_way;
    long long from_digests = 0;  // clients read from their digest (tests, benchmarks)
    long long read_afresh = 0;   // clients read from their records
  };
  core::StatusOr<DeadlineInputs> deadlineInputs(const std::string& client_id,
                                                std::vector<std::string>* damaged);
  // The same for one case's requests (a case page). NotFound about "case_id".
  core::StatusOr<RequestHistories> requestEventsOfCase(const std::string& case_id);
  // Readable while locked: entries hold ids and actions only.
  core::StatusOr<std::vector<core::AuditEvent>> auditEvents() override;
  // The links are keyed with the vault key: Unauthenticated while locked.
  core::Status verifyAuditChain() override;

  // --- incidents, beyond adding and listing -------------------------------------------
  core::StatusOr<core::Incident> getIncident(const std::string& id);
  // Replaces an incident's fields (its id, case and creation time stay), checked like
  // addIncident. NotFound when there is no such incident; nothing changes on failure.
  core::StatusOr<core::Incident> updateIncident(const core::Incident& incident);

  // --- corrections ----------------------------------------------------------------------
  // Each replaces the record's fields with those given (ids, owner and creation time stay),
  // re-sealed, checked as when added, logged "<kind>.edit". NotFound (field "client_id",
  // "case_id", "request_id", "event_id") when there is no such record; InvalidArgument
  // naming the field; nothing changes on failure.
  core::StatusOr<core::Client> updateClient(const core::Client& client);
  // The case and its therapist (c.provider) together.
  core::StatusOr<core::Case> updateCase(const core::Case& c);
  // See CasesRepo::markTaskDone / tasksDone.
  core::Status markTaskDone(const std::string& case_id, const std::string& task, bool done);
  core::StatusOr<std::vector<std::string>> tasksDone(const std::string& case_id);
  core::StatusOr<core::RecordsRequest> updateRequest(const core::RecordsRequest& request);
  // An event's day, channel, details and reply window (its type and request stay).
  core::StatusOr<core::RequestEvent> updateRequestEvent(const core::RequestEvent& event);
  // One event. NotFound (field "event_id").
  core::StatusOr<core::RequestEvent> requestEvent(const std::string& id);

  // --- deletions ------------------------------------------------------------------------
  // Each deletes the record and everything it holds in one transaction, logged
  // "client.delete", "case.delete", "incident.delete", "request.delete", "evidence.remove"
  // (ids only); each evidence item removed gets a "remove" entry in the custody log (id and
  // hash). Sealed evidence files in `evidence_dir` are deleted after the commit (those
  // that cannot be are listed in Removed::files_left; they stay sealed, with their key
  // gone). Deleting an incident keeps its evidence in the case, unlinked. NotFound (field
  // "client_id", "case_id", "incident_id", "request_id", "evidence_id"); Unauthenticated
  // while locked; nothing changes on failure.
  core::StatusOr<Removed> deleteClient(const std::string& id, const std::string& evidence_dir);
  core::StatusOr<Removed> deleteCase(const std::string& id, const std::string& evidence_dir);
  core::StatusOr<Removed> deleteIncident(const std::string& id);
  core::StatusOr<Removed> deleteRequest(const std::string& id);
  // One event of a request, logged "request.event.delete". NotFound (field "event_id").
  core::Status deleteRequestEvent(const std::string& id);
  core::StatusOr<Removed> removeEvidence(const std::string& id, const std::string& evidence_dir);

  // --- evidence -------------------------------------------------------------------------
  // Seals the file at `source` into folder `dir` and records it with a custody entry
  // ("intake"). REQUIRES: item.sha256_hex is the SHA-256 taken of the file before anything
  // else read it; the file is sealed under a fresh key (wrapped by the client's key) while
  // hashed again, and a different hash (the file changed meanwhile) keeps nothing. On any
  // failure neither a record nor a sealed file is left.
  core::StatusOr<core::EvidenceItem> addEvidence(const core::EvidenceItem& item,
                                                 const std::string& source, const std::string& dir);
  // Evidence that arrives as a stream (an upload), in two steps so that it can be checked
  // before it is kept. sealEvidence checks the case (NotFound about "case_id";
  // Unauthenticated while locked), then seals what `source` gives under a fresh key without
  // holding the store (an upload may take minutes); past `max_bytes` it stops with
  // ResourceExhausted about "file" and nothing is left. The caller reads the bytes back
  // (PendingEvidence::read) to check them, then commitEvidence records the file as
  // addEvidence does (the id, size and SHA-256 come from the sealing), or drops it, which
  // removes it.
  core::StatusOr<std::unique_ptr<PendingEvidence>> sealEvidence(const std::string& case_id,
                                                                const ByteSource& source,
                                                                const std::string& dir,
                                                                long long max_bytes);
  core::StatusOr<core::EvidenceItem> commitEvidence(std::unique_ptr<PendingEvidence> pending,
                                                    const core::EvidenceItem& item);
  core::StatusOr<core::EvidenceItem> getEvidence(const std::string& id);
  // See EvidenceRepo::update.
  core::StatusOr<core::EvidenceItem> updateEvidence(const core::EvidenceItem& item);
  // A case's evidence in the order it was added.
  core::StatusOr<std::vector<core::EvidenceItem>> listEvidence(const std::string& case_id);
  // Passes the original bytes to `sink` and checks them against the recorded hash
  // (Corruption when they differ or the sealed file was altered). On success logs `action`
  // ("export") in the custody log; an empty action logs nothing (see recordCustody). The
  // store is not held while the bytes go to `sink` (a slow reader holds up nothing else).
  core::Status readEvidence(const std::string& id, const std::string& dir, std::string_view action,
                            const std::function<core::Status(const std::uint8_t*, size_t)>& sink);
  // Logs `action` for each evidence item, all in one transaction.
  core::Status recordCustody(const std::vector<std::string>& ids, std::string_view action);
  core::StatusOr<std::vector<core::CustodyEntry>> custodyLog();
  // Opens every sealed file and checks its hash, and re-computes the custody chain.
  // Returns one line per problem found ("ev_...: ..."); empty when all is intact.
  core::StatusOr<std::vector<std::string>> verifyEvidence(const std::string& dir);
  // Whether item `id`'s sealed file is here to read: in the database, or in folder `dir`.
  core::StatusOr<bool> hasSealedFile(const std::string& id, const std::string& dir);
  // Passes item `id`'s sealed bytes as they are kept (database or folder `dir`) to `sink`,
  // unopened: to copy the file into another vault. Corruption when it is missing.
  core::Status copySealedFile(const std::string& id, const std::string& dir,
                              const std::function<core::Status(const std::uint8_t*, size_t)>& sink);
  // The same into a new file at `path` (nothing left there on failure).
  core::Status writeSealedFile(const std::string& id, const std::string& dir,
                               const std::string& path);
  // In an organization's database, every office computer reads evidence files from the
  // database: those an earlier version kept in this computer's folder `dir` move in (each
  // removed from the folder once the database holds it). Returns how many moved; 0 on a
  // vault of one computer, whose files stay in its folder.
  core::StatusOr<long long> moveEvidenceIn(const std::string& dir);
  // The reverse, for a vault file made from an organization's database (migrate --to
  // local): every evidence file its database holds is written into folder `dir`, where a
  // vault of one computer keeps them (and from where an export streams them), then taken
  // out of the database. Returns how many. On failure the files written are removed and
  // the database keeps them all. REQUIRES: no other program has the vault open.
  core::StatusOr<long long> unpackEvidence(const std::string& dir);

  // --- drafts ---------------------------------------------------------------------------
  // What a person was typing and where, sealed under the vault's drafts subkey: saved
  // (replacing the one of that name), read (nullopt when none), removed, or all removed.
  // Unauthenticated while locked.
  core::Status saveDraft(const std::string& name, const std::string& text);
  core::StatusOr<std::optional<std::string>> draft(const std::string& name);
  core::Status deleteDraft(const std::string& name);
  core::Status clearDrafts();

  // --- complaints -----------------------------------------------------------------------
  // The case's complaint (one per case), or nullopt.
  core::StatusOr<std::optional<core::Complaint>> complaintOfCase(const std::string& case_id);
  // Where the complaints of `client_id`'s cases ("" for every client the unlocked account
  // may open) went and when, without their answers, in one read: by case id. Logged as one
  // "read.caseload" of each client with a complaint (not as a read of the complaint). With
  // `damaged`, one that does not read is named there and its case listed in `unreadable`.
  // PermissionDenied for a client the account may not open.
  // Each filed complaint's events come too, by case, oldest first, without their notes.
  struct ComplaintFilings {
    std::unordered_map<std::string, core::Complaint> by_case;
    std::set<std::string> unreadable;
    std::unordered_map<std::string, std::vector<core::ComplaintEvent>> events_by_case;
  };
  core::StatusOr<ComplaintFilings> complaintFilings(const std::string& client_id,
                                                    std::vector<std::string>* damaged = nullptr);
  // Creates the case's complaint or replaces its board and answers.
  core::StatusOr<core::Complaint> saveComplaint(const core::Complaint& complaint);

  // --- what happens to a complaint after it is filed --------------------------------------
  // Records one event of complaint `event.complaint_id` (its id, case, recorded_at and
  // version are the store's to fill), its notes sealed; logged "complaint.event". NotFound
  // about "complaint_id"; InvalidArgument as core::validateComplaintEvent. Whether the event
  // fits the complaint's story is the service's to check.
  core::StatusOr<core::ComplaintEvent> addComplaintEvent(const core::ComplaintEvent& event);
  // Replaces the day, reply date, outcome and notes of event `event.id` (its type stays);
  // logged "complaint.event.edit". A record that has moved on since event.version (when set)
  // is not changed: Conflict, reason "changed_meanwhile". NotFound about "event_id".
  core::StatusOr<core::ComplaintEvent> updateComplaintEvent(const core::ComplaintEvent& event);
  // One event with its notes. NotFound about "event_id". Logged "read.complaint_events".
  core::StatusOr<core::ComplaintEvent> complaintEvent(const std::string& event_id);
  // A complaint's events with their notes, by day and then in the order recorded. NotFound
  // about "complaint_id". Logged "read.complaint_events" of the complaint's case.
  core::StatusOr<std::vector<core::ComplaintEvent>> complaintEvents(
      const std::string& complaint_id);
  // Removes one event; logged "complaint.event.delete". NotFound about "event_id".
  core::Status deleteComplaintEvent(const std::string& event_id);

  // --- moving between engines -------------------------------------------------------------
  // Copies every row of this store into `target` (another engine, or another file), sealed
  // fields as they are (no key is needed or used), in one transaction of the target's.
  // Returns how many rows each table gave. Conflict when the target holds a vault or any
  // record already (nothing is copied); the target's error as it is otherwise (nothing is
  // left half-copied).
  // Evidence files in folder `evidence_dir` go into the target's database with their rows
  // when the target keeps files there (an organization's): Corruption naming them, and
  // nothing copied, when any is missing.
  core::StatusOr<std::map<std::string, long long>> copyInto(Store& target,
                                                            const std::string& evidence_dir = "");
  // One client's records copied into `target`, a vault just made for that person (unlocked
  // as its only account, holding no client yet), to be their own: the client, their
  // therapists, cases, incidents, evidence records, requests with their histories,
  // complaints, batch rows and finished steps, with their ids and times, read from one
  // consistent view. Every sealed value is sealed again under a new key given to the
  // target's account alone, so no key of this store opens the copy's records. (The evidence
  // files go as they are: their file keys, now wrapped by the new key there, are the ones
  // this store also holds for the same files.) The custody entries of
  // the client's evidence are linked into the target's own chain as they were written, with
  // a "handover" entry for each item; its audit log says "client.received". The evidence
  // files are the caller's to copy: they are sealed under their file keys, which come
  // along. Nothing of the organization's own (accounts, grants, batch import keys, drafts)
  // goes. Nothing is logged here: noteHandedOver does that once the copy has gone.
  // REQUIRES: this store unlocked by an account that may open the client. PermissionDenied
  // about "client_id" unless the account is the person's own, or keeps their records, or is
  // an administrator where the policy lets them act for clients (reason
  // "may_not_hand_over"), as for deleting them; NotFound about "client_id"; Conflict when
  // the target is not empty, or when the client's key changed meanwhile (reason
  // "key_changed"); Corruption when this store's custody log does not verify (a copy could
  // not vouch for the evidence's history). On failure the target is unchanged.
  struct ClientCopy {
    std::map<std::string, long long> rows;        // per table
    std::map<std::string, std::string> evidence;  // id -> SHA-256: the files that go with it
    std::string at;                               // when the handover entries say it was
  };
  core::StatusOr<ClientCopy> copyClientInto(const std::string& client_id, Store& target);
  // Logs that `copy` was handed over: "handover" in the custody log for each of its evidence
  // items, "client.handover" in the audit log.
  core::Status noteHandedOver(const std::string& client_id, const ClientCopy& copy);
  // How many rows each table of the schema holds.
  core::StatusOr<std::map<std::string, long long>> rowCounts();
  // How many other Recourse programs have this store open (0 for a file, which its lock
  // guards instead).
  core::StatusOr<long long> otherConnections();

  // --- whole-database snapshot ----------------------------------------------------------
  // A consistent copy of the whole database (sealed fields stay sealed).
  core::StatusOr<Bytes> serialize();
  // Writes this database to a new file at `path` (which must not exist), synced to disk.
  core::Status saveAs(const std::string& path);
  int schemaVersion();

  // A stamp of everything a read could see: equal stamps (taken while unlocked) mean every
  // read would answer as before, so a front end may keep what it worked out from them.
  // Moves on every write through this store, every commit by another process, and every
  // lock and unlock; never repeats across stores in one process.
  struct ChangeStamp {
    std::uint64_t keys = 0;  // which unlocking of which store
    long long own = 0;
    unsigned others = 0;
    bool operator==(const ChangeStamp&) const = default;
  };
  ChangeStamp changeStamp();

  // --- batches --------------------------------------------------------------------------
  // Runs `body` as one transaction: every store call it makes is written together, or, when
  // body returns an error (or the database fails), none is. Calls inside keep their own
  // all-or-nothing guarantee (savepoints). Other threads wait until it ends. `body` stops at
  // the first failure of a call and returns it: the organization database may send writes
  // later, together (Database::inBulkTransaction), so a write it refuses can surface as the
  // failure of a later call, or of the whole.
  core::Status inOneTransaction(const std::function<core::Status()>& body);
  // Remembers that `entity_id` was made from an imported record, so importing the same
  // record again can find it instead of creating a duplicate. `kind` names what it is
  // ("client", "case", "request"); `material` is the record's identifying text. Only a
  // keyed hash of kind and material is stored (BLAKE2b under a key derived from the vault
  // key), so the table reveals nothing of the personal data it came from.
  // Conflict when the same kind and material are already recorded.
  core::Status rememberImported(std::string_view kind, std::string_view material,
                                const std::string& entity_id);
  // The id recorded for (kind, material), or nullopt.
  core::StatusOr<std::optional<std::string>> findImported(std::string_view kind,
                                                          std::string_view material);

  // --- batch rows and corrections (request batch re-runs) ---------------------------------
  // Corrections go through updateClient, updateRequest and updateRequestEvent above. See
  // ImportKeysRepo::rememberBatchRow / batchRowOf / lastLetterNumber.
  // Inside inOneTransaction, on an engine where every read is a round trip to a server:
  // reads what findImported would answer for each (kind, material) at once, so that it then
  // answers them from memory for the rest of the transaction (what is remembered meanwhile
  // kept up to date). Nothing elsewhere: each findImported reads for itself.
  core::Status prefetchImported(const std::vector<std::pair<std::string, std::string>>& wanted);
  // Points (kind, material) at entity_id, replacing what it pointed at (no Conflict).
  core::Status rememberImportedLatest(std::string_view kind, std::string_view material,
                                      const std::string& entity_id);
  core::Status rememberBatchRow(const BatchRow& row, bool kept);
  core::StatusOr<std::optional<BatchRow>> batchRowOf(const std::string& request_id);
  core::StatusOr<long long> lastLetterNumber();

 private:
  Store(std::unique_ptr<Database> db, const core::Clock& clock);
  // Migrates `db` and builds the store over it.
  static core::StatusOr<std::unique_ptr<Store>> open(core::StatusOr<std::unique_ptr<Database>> db,
                                                     const core::Clock& clock);

  // Records a read of a client's records in the audit log: `action` ("read.incidents")
  // about `type`/`id`. The same read by the same account is recorded once per
  // kReadLogWindow (a page that is opened again and again is one entry, not hundreds).
  core::Status noteRead(std::string_view action, std::string_view type, const std::string& id,
                        std::string client_id = {});
  // The same for many reads at once, in one transaction (a listing across a caseload).
  struct ReadNote {
    std::string_view action;
    std::string_view type;
    std::string id;
    std::string client_id;  // "" to look it up
  };
  core::Status noteReads(const std::vector<ReadNote>& notes);
  // noteReads' writing part (outside a HeldReads).
  core::Status writeReadNotes(const std::vector<ReadNote>& notes);
  // What a read of the requests under way logs: both kinds of read of each case of
  // `case_client` (requestsUnderWay, deadlineInputs), added to `notes`.
  static void addUnderWayReads(const std::map<std::string, std::string>& case_client,
                               std::vector<ReadNote>& notes);
  // `action` of each case of `case_client` (case id -> client id), as one noteReads.
  core::Status noteCaseReads(std::string_view action,
                             const std::map<std::string, std::string>& case_client);
  static constexpr std::chrono::minutes kReadLogWindow{10};
  static constexpr size_t kReadsRemembered = 1 << 16;
  core::Status upgradeToAccounts(std::string_view user, std::string_view passphrase);
  // PermissionDenied when `type`/`id` belongs to a client the unlocked account may not
  // open (so that even an empty list does not say the record is there); OK for "" and for
  // an id not found (the repository says NotFound).
  core::Status requireAccessTo(std::string_view type, const std::string& id);
  AccountInfo infoOf(const Account& a);

  std::recursive_mutex mu_;
  std::map<std::string, core::Timestamp> reads_logged_;
  // HeldReads: the thread holding its reads' entries back, and those entries.
  std::optional<std::thread::id> reads_held_by_;
  std::vector<ReadNote> held_reads_;
  // Audit rows written for reads: they change no answer, so the change stamp leaves them out.
  long long read_log_rows_ = 0;
  std::optional<std::string> recovery_code_;
  const core::Clock& clock_;
  std::uint64_t keys_epoch_;  // see changeStamp(); a new value on every lock and unlock
  // Declared in the order they depend on each other; destroyed in reverse.
  std::unique_ptr<VaultLock> vault_lock_;  // released only once the database is closed
  std::unique_ptr<Database> db_;
  // Set for one damage-tolerant listing at a time (under mu_); see StoreParts.
  std::vector<std::string>* damaged_ = nullptr;
  std::unique_ptr<Keyring> keys_;
  std::unique_ptr<AuditTrail> audit_;
  std::unique_ptr<ClientsRepo> clients_;
  std::unique_ptr<CasesRepo> cases_;
  std::unique_ptr<IncidentsRepo> incidents_;
  std::unique_ptr<RequestsRepo> requests_;
  std::unique_ptr<DeadlineDigests> digests_;
  std::unique_ptr<ComplaintsRepo> complaints_;
  std::unique_ptr<DraftsRepo> drafts_;
  std::unique_ptr<EvidenceRepo> evidence_;
  std::unique_ptr<ImportKeysRepo> import_keys_;
  std::unique_ptr<Remover> remover_;
};

// What an evidence add that was cut off (a crash, kill -9) leaves in the evidence folder: a
// ".partial" file untouched for kLeftoverAge, so never one an add still running is writing.
inline constexpr std::chrono::minutes kLeftoverAge{10};
bool isStaleLeftover(const std::filesystem::path& p);
// Removes such leftovers from `dir`; how many. Called when a vault is opened.
size_t removeEvidenceLeftovers(const std::string& dir);

}  // namespace recourse::store
