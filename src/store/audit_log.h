// The audit log: one hash-chained entry (hash_chain.h) per change, and per read of a
// client's records, naming the action, the entity by type and id, the account that did it,
// through what ("cli", "browser") and whose records they were; never personal data. Its
// links are keyed with the vault's audit subkey, like the custody log's with the custody
// subkey.
//
// Every entry about a client's records checks that the unlocked account holds a grant for
// that client (Keyring::clientKey): a change by an account without access fails with the
// entry, so the transaction it belongs to is undone.
//
// Entries are written only while the vault is unlocked: every change that is logged needs
// the vault key anyway (sealing, or, for "vault.create", the new vault's own key), so there
// is no moment at which an entry is written without the key its link needs.
//
// A vault made before schema version 5 has a plain SHA-256 chain. The first unlock after
// the upgrade checks that chain and, when it is intact, re-links every entry with keyed
// links (relinkToKeyed). When it is not, nothing is re-linked (a damaged or forged history
// must not come out looking intact): the vault opens, keeps extending its plain chain, and
// verify() reports the break, at every unlock until someone looks into it.
//
// Thread safety: none of its own; the Store's mutex is held for every call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/entities.h"
#include "core/status.h"
#include "store/database.h"
#include "store/hash_chain.h"
#include "store/keyring.h"

namespace recourse::store {

class AuditTrail {
 public:
  AuditTrail(Database& db, Keyring& keys, const core::Clock& clock);

  // Appends `action` about the entity `type`/`id`, by the unlocked account. Its client is
  // found from the entity (clientOf) and the account must hold a grant for it
  // (PermissionDenied otherwise); a caller that already checked, or whose entity is gone
  // (a deletion), names the client itself. Unauthenticated when the vault is locked.
  // REQUIRES: inside the transaction of the change it records.
  core::Status append(std::string_view action, std::string_view type, std::string_view id,
                      std::optional<std::string> client_id = std::nullopt);
  // `refused` as it is, unless it is a change refused because the record moved on since it
  // was opened (reason "changed_meanwhile", Database::updateVersioned): then it also says
  // who changed `type`/`id` last and when, from this log (reason arguments "by", an account
  // name or "Someone else", and "at").
  core::Status explainChanged(const core::Status& refused, std::string_view type,
                              const std::string& id);
  // The client whose record `type`/`id` is: "" for a vault-wide entity, or one not found.
  core::StatusOr<std::string> clientOf(std::string_view type, std::string_view id);
  // Whose record `type`/`id`, made in the transaction under way, is (and the case it is
  // under, for what belongs to a case), so that what follows it in the same transaction (its
  // log entry, the rows under it) need not read that back from the database: a batch's row
  // otherwise reads each record it has just written. Kept only while the transaction
  // (Database::transactionMark) stands as it was; nothing when the engine keeps no mark.
  void noteOwner(std::string_view type, const std::string& id, const std::string& client_id,
                 const std::string& case_id = "");
  struct Owner {
    std::string client_id;
    std::string case_id;
  };
  // What noteOwner said of `type`/`id` in this transaction, or null.
  const Owner* knownOwner(std::string_view type, const std::string& id);
  // The client case `case_id` belongs to (clientOf). NotFound (field "case_id") when there
  // is no such case; the errors of the database otherwise, never NotFound.
  core::StatusOr<std::string> clientOfCase(const std::string& case_id);
  // While a page is read (Store::HeldReads), by this thread: whose each record clientOf
  // looked up is, kept until endPage, so that the page's later reads of the same case (each
  // checks access first, then reads its rows) do not ask the database again. What is kept
  // is only which client a record belongs to, which never changes; whether the account may
  // open that client's records is still asked every time (requireAccess, Keyring). A record
  // removed meanwhile by someone else is still found removed by the read of its rows.
  void beginPage();
  void endPage();
  // How many times clientOf asked the database (for tests and benchmarks).
  long long ownerLookups() const { return owner_lookups_; }
  // Forgets what the page knew (a record it read was removed), keeping it a page.
  void forgetPage() { page_owners_.clear(); }
  // That `type`/`id`, just read from the database, belongs to `client_id`: kept while a page
  // is read by this thread (beginPage), nothing otherwise.
  void seenOnPage(std::string_view type, const std::string& id, const std::string& client_id);
  // OK when the unlocked account may open `client_id`'s records ("" needs nothing).
  core::Status requireAccess(const std::string& client_id);
  // What the entries written from now on say they came through ("cli", "browser").
  void setVia(std::string via) { via_ = std::move(via); }
  // Every entry, oldest first. Works while locked: entries hold ids and actions only.
  core::StatusOr<std::vector<core::AuditEvent>> events();
  // Re-computes the chain. OK when intact; Corruption naming the first entry that breaks
  // it; Unauthenticated when locked (the links need the vault key).
  core::Status verify();
  // For a vault whose chain is still plain SHA-256 (Keyring::auditChain()): checks the
  // plain chain and, when intact, re-links every entry with keyed links and records that
  // the chain is keyed, all in one transaction. Corruption naming the first break when the
  // plain chain is broken; nothing changes then. REQUIRES: unlocked.
  core::Status relinkToKeyed();

 private:
  ChainLink link();

  // noteOwner's memory, for the transaction whose mark is owners_mark_.
  std::map<std::pair<std::string, std::string>, Owner> owners_;
  long long owners_mark_ = 0;
  // The page's memory (beginPage), for the thread page_thread_ only.
  std::map<std::pair<std::string, std::string>, std::string> page_owners_;
  std::optional<std::thread::id> page_thread_;
  long long owner_lookups_ = 0;

  Database& db_;
  Keyring& keys_;
  const core::Clock& clock_;
  HashChain chain_;
  std::string via_;
};

}  // namespace recourse::store
