#include "store/schema.h"

namespace recourse::store {

// Columns typed BLOB hold sealed values (XChaCha20-Poly1305, see crypto.h) bound to
// "recourse/v1/<table>/<column>/<id>". TEXT and INTEGER columns are stored in the clear
// and hold no personal data: ids, dates, codes, counts, hashes. docs/threat-model.md lists
// what that reveals.
namespace {

// Version 13: every record a person edits carries a version, 1 when made and one more on
// each change, so that a change made from what someone saw before another person's change
// is refused instead of overwriting it (Database::updateVersioned). Not sealed: a count.
std::vector<std::string> versionColumns(const std::string& type) {
  std::vector<std::string> out;
  for (const char* table : {"clients", "cases", "incidents", "evidence", "records_requests",
                            "request_events", "complaints"}) {
    out.push_back(std::string("ALTER TABLE ") + table + " ADD COLUMN version " + type +
                  " NOT NULL DEFAULT 1");
  }
  return out;
}

}  // namespace

const std::vector<Migration>& sqliteMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       {
           R"(CREATE TABLE vault (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                kdf_version INTEGER NOT NULL,
                opslimit INTEGER NOT NULL,
                memlimit INTEGER NOT NULL,
                salt BLOB NOT NULL,
                check_value BLOB NOT NULL,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE clients (
                id TEXT PRIMARY KEY,
                wrapped_key BLOB NOT NULL,
                name BLOB NOT NULL,
                email BLOB, phone BLOB, address BLOB, notes BLOB,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE providers (
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                name BLOB NOT NULL,
                credentials BLOB, license_type TEXT, license_number BLOB, jurisdiction TEXT,
                practice BLOB, address BLOB, email BLOB, phone BLOB,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                provider_id TEXT NOT NULL REFERENCES providers(id),
                title BLOB, treatment_start TEXT, treatment_end TEXT, notes BLOB,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE incidents (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                summary BLOB NOT NULL,
                date_precision TEXT NOT NULL,
                date_start TEXT, date_end TEXT, date_text BLOB, channel TEXT,
                narrative BLOB, impact BLOB, harm_kinds BLOB, witnesses BLOB,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE evidence (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                incident_id TEXT REFERENCES incidents(id) ON DELETE SET NULL,
                original_name BLOB NOT NULL, media_type TEXT, size_bytes INTEGER NOT NULL,
                sha256 TEXT NOT NULL, description BLOB, added_by TEXT,
                intake_at TEXT NOT NULL))",
           R"(CREATE TABLE records_requests (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                custodian_name BLOB NOT NULL, custodian_address BLOB,
                jurisdiction TEXT, sent_on TEXT, sent_via TEXT,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE complaints (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                board_id TEXT, jurisdiction TEXT, filed_on TEXT,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                action TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL))",
           R"(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END)",
           R"(CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END)",
           "CREATE INDEX providers_client ON providers(client_id)",
           "CREATE INDEX cases_client ON cases(client_id)",
           "CREATE INDEX incidents_case ON incidents(case_id, date_start)",
           "CREATE INDEX evidence_case ON evidence(case_id)",
           "CREATE INDEX requests_case ON records_requests(case_id)",
           "CREATE INDEX complaints_case ON complaints(case_id)",
       }},
      {2,
       {
           // Requests gain contact details, a reference and the letter's answers; what
           // happens to them is a list of events (their status is derived, not stored).
           // The version-1 columns sent_on and sent_via are no longer written.
           "ALTER TABLE records_requests ADD COLUMN custodian_email BLOB",
           "ALTER TABLE records_requests ADD COLUMN reference BLOB",
           "ALTER TABLE records_requests ADD COLUMN answers BLOB",
           R"(CREATE TABLE request_events (
                id TEXT PRIMARY KEY,
                request_id TEXT NOT NULL REFERENCES records_requests(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                on_date TEXT NOT NULL,
                via TEXT,
                details BLOB,
                recorded_at TEXT NOT NULL))",
           "CREATE INDEX request_events_request ON request_events(request_id, on_date)",
       }},
      {3,
       {
           // What a batch import made from which record, so re-importing the same file
           // finds it instead of making a duplicate. `key` is a keyed hash (see
           // Store::rememberImported): it reveals nothing of the record.
           R"(CREATE TABLE import_keys (
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                created_at TEXT NOT NULL))",
       }},
      {4,
       {
           // Evidence files are sealed on disk (crypto_secretstream) under their own key,
           // kept here wrapped by the client's key. The custody log is hash-chained and
           // append-only like the audit log; it names evidence by id and hash only.
           "ALTER TABLE evidence ADD COLUMN file_key BLOB",
           "ALTER TABLE evidence ADD COLUMN exhibit_date TEXT",
           R"(CREATE TABLE custody_log (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                action TEXT NOT NULL,
                evidence_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL))",
           R"(CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log
              BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END)",
           R"(CREATE TRIGGER custody_log_no_delete BEFORE DELETE ON custody_log
              BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END)",
           // A complaint keeps the answers the person reviewed (sealed).
           "ALTER TABLE complaints ADD COLUMN answers BLOB",
           "ALTER TABLE complaints ADD COLUMN updated_at TEXT",
       }},
      {5,
       {
           // The audit log's links become BLAKE2b keyed with a subkey of the vault key, like
           // the custody log's. Re-linking needs that key, so a vault made before this
           // version says 'sha256' here until its first unlock re-links it (see
           // store/audit_log.h) and says 'keyed' from then on. This column is for people
           // reading the database: the store goes by the vault's check value, which is
           // sealed under the vault key and says the same, so editing the column cannot make
           // the store accept a plain chain again.
           "ALTER TABLE vault ADD COLUMN audit_chain TEXT NOT NULL DEFAULT 'sha256'",
       }},
      {6,
       {
           // The person's date of birth, sealed like their other details: records offices
           // use it to find the right file.
           "ALTER TABLE clients ADD COLUMN date_of_birth BLOB",
       }},
      {7,
       {
           // A follow-up letter's reply window (7, 10 or 14 days), so that the request's
           // state waits for that window before it suggests another follow-up. NULL for
           // other events and for follow-ups recorded before this version.
           "ALTER TABLE request_events ADD COLUMN reply_within_days INTEGER",
       }},
      {8,
       {
           // Which spreadsheet row a batch request came from and its letter number, so
           // re-runs keep each letter's number and follow-ups come out in the batch's
           // mailing order with the row and the office's own client reference (sealed under
           // the client's key) to join them back.
           R"(CREATE TABLE batch_rows (
                request_id TEXT PRIMARY KEY
                  REFERENCES records_requests(id) ON DELETE CASCADE,
                letter_no INTEGER NOT NULL UNIQUE,
                csv_row INTEGER NOT NULL,
                client_ref BLOB))",
       }},
      {9,
       {
           // What a person was typing and on which page, saved as they type so that leaving
           // (a lock, a quick exit, a closed tab) loses nothing. Sealed under a subkey of the
           // vault key (a page may be about any client); no audit entries (they change with
           // every few keystrokes); cleared when a client or case is deleted.
           R"(CREATE TABLE drafts (
                name TEXT PRIMARY KEY,
                payload BLOB NOT NULL,
                updated_at TEXT NOT NULL))",
       }},
      {10,
       {
           // The parts of a case the person has said they have finished ("incidents",
           // "evidence"): only they can say when they have written down all they want to.
           // Not sealed: it says which steps are done, nothing of what is in them.
           R"(CREATE TABLE case_tasks_done (
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                task TEXT NOT NULL,
                marked_at TEXT NOT NULL,
                PRIMARY KEY (case_id, task)))",
       }},
      {11,
       {
           // What a request asks for: access (every request made before this version),
           // amendment (a correction) or accounting (a list of disclosures). Not sealed: it
           // says which right is used, nothing of the person.
           "ALTER TABLE records_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'access'",
       }},
      {12,
       {
           // People's accounts (store/accounts.h). Each has a random seed from which their
           // X25519 and Ed25519 key pairs come, sealed under a key derived from their
           // passphrase (Argon2id) and again under one from their recovery code. The
           // vault's own secret (the key the audit, custody and import subkeys come from) is
           // sealed to each account under a subkey of its seed. `certificate` is a keyed hash,
           // under a subkey of the vault secret, of the account's id, name, role, client and public
           // keys: someone who can write this file but holds no account cannot add one or
           // swap a public key (so client_id has no foreign key: deleting a client
           // re-certifies its account). A vault made before this version has no accounts until its
           // first unlock makes its owner the first (Keyring::unlock).
           R"(CREATE TABLE users (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                role TEXT NOT NULL,
                client_id TEXT,
                box_public BLOB NOT NULL,
                sign_public BLOB NOT NULL,
                opslimit INTEGER NOT NULL,
                memlimit INTEGER NOT NULL,
                salt BLOB NOT NULL,
                sealed_seed BLOB NOT NULL,
                recovery_salt BLOB NOT NULL,
                recovery_seed BLOB NOT NULL,
                vault_secret BLOB NOT NULL,
                certificate TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT,
                failed_unlocks INTEGER NOT NULL DEFAULT 0,
                unlock_after TEXT))",
           // A client's data key sealed to each account that may open it (crypto_box_seal),
           // signed (Ed25519) by whoever gave it. key_version is the client's key's version
           // when it was sealed: revoking someone's access makes a new key (and version)
           // and seals it again to everyone else. `reason` is sealed under the client key.
           R"(CREATE TABLE key_grants (
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                key_version INTEGER NOT NULL,
                sealed_key BLOB NOT NULL,
                kind TEXT NOT NULL,
                granted_by TEXT NOT NULL,
                reason BLOB,
                granted_at TEXT NOT NULL,
                signature BLOB NOT NULL,
                PRIMARY KEY (client_id, user_id)))",
           "CREATE INDEX key_grants_user ON key_grants(user_id)",
           // clients.wrapped_key is emptied once the keys are sealed to accounts.
           "ALTER TABLE clients ADD COLUMN key_version INTEGER NOT NULL DEFAULT 1",
           "ALTER TABLE clients ADD COLUMN created_by TEXT",
           // Who did it (an account id), through what ("cli", "browser") and whose data it
           // was. Linked into the chain only when set (hash_chain.h), so entries written
           // before this version keep their links.
           "ALTER TABLE audit_log ADD COLUMN user_id TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE audit_log ADD COLUMN via TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE audit_log ADD COLUMN client_id TEXT NOT NULL DEFAULT ''",
           "CREATE INDEX audit_log_client ON audit_log(client_id)",
           // Whether an administrator may give or take away access to a client's records,
           // with a recorded reason (an organisation's policy; off unless turned on).
           "ALTER TABLE vault ADD COLUMN admins_may_grant INTEGER NOT NULL DEFAULT 0",
           // A vault made before accounts keeps the subkeys its passphrase key gave (the
           // import, custody and audit keys, so its chains and import keys stay as they
           // were), sealed under the new, random vault secret; the passphrase key itself is
           // given to no one.
           "ALTER TABLE vault ADD COLUMN carried_keys BLOB",
       }},
      {13, versionColumns("INTEGER")},
      {14,
       {
           // Each request event names its request's case too (which never changes), so that
           // a caseload's histories are found from its cases in one index range each, not
           // one lookup per request (there are ten requests to a case, most never sent).
           "ALTER TABLE request_events ADD COLUMN case_id TEXT",
           "UPDATE request_events SET case_id = "
           "(SELECT r.case_id FROM records_requests r WHERE r.id = request_events.request_id)",
           "CREATE INDEX request_events_case ON request_events(case_id)",
       }},
      // PostgreSQL's text columns compare bytes from version 15; SQLite's always have.
      {15, {}},
      // Version 16: an evidence file's sealed bytes may be kept in the database, in parts of
      // at most 1 MiB (EvidenceRepo::kPartBytes), rather than in the evidence folder: always
      // in an organization's database, and in a vault moved back out of one. Sealed as the
      // file is (crypto_secretstream under its own file key), so BLOB.
      {16,
       {
           R"(CREATE TABLE evidence_parts (
                evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
                part INTEGER NOT NULL,
                bytes BLOB NOT NULL,
                PRIMARY KEY (evidence_id, part)))",
       }},
      // Version 17: what happens to a complaint after it is filed (service/complaint_tracking.h):
      // how it reached the board and the board's reference for it (sealed: it finds the
      // person's file), and the events the person records, with their own notes sealed. Each
      // event names its complaint's case too, so that a caseload's are found from its cases.
      {17,
       {
           "ALTER TABLE complaints ADD COLUMN filed_via TEXT",
           "ALTER TABLE complaints ADD COLUMN board_reference BLOB",
           R"(CREATE TABLE complaint_events (
                id TEXT PRIMARY KEY,
                complaint_id TEXT NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
                case_id TEXT NOT NULL,
                type TEXT NOT NULL,
                on_date TEXT NOT NULL,
                reply_by TEXT,
                outcome TEXT,
                details BLOB,
                recorded_at TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1))",
           "CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, on_date)",
           "CREATE INDEX complaint_events_case ON complaint_events(case_id)",
       }},
      // Version 18: what a deadlines view needs of each client's records (their incidents'
      // dates and kinds of harm, their requests under way and those requests' histories), kept
      // as one value sealed under the client's key (store/deadline_digests.h) and named by the
      // last change to the client's records in the audit log, which the partial index finds
      // in one step: a view across hundreds of clients opens one value each instead of
      // thousands of rows.
      {18,
       {
           R"(CREATE TABLE deadline_digests (
                client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
                last_change TEXT NOT NULL,
                sealed BLOB NOT NULL))",
           "CREATE INDEX audit_log_changes ON audit_log(client_id, seq, hash)"
           " WHERE action NOT LIKE 'read.%'",
       }},
  };
  return kMigrations;
}

// PostgreSQL: the schema SQLite reaches at version 12, made in one step. bytea holds what
// BLOB holds in SQLite (sealed values); every table has a `rowid` (SQLite's is implicit) so
// that listings keep the order rows were added in. The append-only logs refuse UPDATE and
// DELETE from a trigger; every write notifies "recourse_changes" (see pg_db.h).
const std::vector<Migration>& postgresMigrations() {
  static const std::vector<Migration> kMigrations = {
      {12,
       {
           R"(CREATE TABLE recourse_schema (version INTEGER NOT NULL))",
           "INSERT INTO recourse_schema (version) VALUES (0)",
           R"(CREATE TABLE vault (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id INTEGER PRIMARY KEY CHECK (id = 1),
                kdf_version BIGINT NOT NULL,
                opslimit BIGINT NOT NULL,
                memlimit BIGINT NOT NULL,
                salt BYTEA NOT NULL,
                check_value BYTEA NOT NULL,
                created_at TEXT NOT NULL,
                audit_chain TEXT NOT NULL DEFAULT 'sha256',
                admins_may_grant BIGINT NOT NULL DEFAULT 0,
                carried_keys BYTEA))",
           R"(CREATE TABLE users (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                client_id TEXT,
                box_public BYTEA NOT NULL,
                sign_public BYTEA NOT NULL,
                opslimit BIGINT NOT NULL,
                memlimit BIGINT NOT NULL,
                salt BYTEA NOT NULL,
                sealed_seed BYTEA NOT NULL,
                recovery_salt BYTEA NOT NULL,
                recovery_seed BYTEA NOT NULL,
                vault_secret BYTEA NOT NULL,
                certificate TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT,
                failed_unlocks BIGINT NOT NULL DEFAULT 0,
                unlock_after TEXT))",
           // SQLite's COLLATE NOCASE: one account per name, whatever its case.
           "CREATE UNIQUE INDEX users_name ON users (lower(name))",
           R"(CREATE TABLE clients (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                wrapped_key BYTEA NOT NULL,
                name BYTEA NOT NULL,
                email BYTEA, phone BYTEA, address BYTEA, notes BYTEA,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                date_of_birth BYTEA,
                key_version BIGINT NOT NULL DEFAULT 1,
                created_by TEXT))",
           R"(CREATE TABLE providers (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                name BYTEA NOT NULL,
                credentials BYTEA, license_type TEXT, license_number BYTEA, jurisdiction TEXT,
                practice BYTEA, address BYTEA, email BYTEA, phone BYTEA,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE cases (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                provider_id TEXT NOT NULL REFERENCES providers(id),
                title BYTEA, treatment_start TEXT, treatment_end TEXT, notes BYTEA,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE incidents (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                summary BYTEA NOT NULL,
                date_precision TEXT NOT NULL,
                date_start TEXT, date_end TEXT, date_text BYTEA, channel TEXT,
                narrative BYTEA, impact BYTEA, harm_kinds BYTEA, witnesses BYTEA,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE evidence (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                incident_id TEXT REFERENCES incidents(id) ON DELETE SET NULL,
                original_name BYTEA NOT NULL, media_type TEXT, size_bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL, description BYTEA, added_by TEXT,
                intake_at TEXT NOT NULL,
                file_key BYTEA,
                exhibit_date TEXT))",
           R"(CREATE TABLE records_requests (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                custodian_name BYTEA NOT NULL, custodian_address BYTEA,
                jurisdiction TEXT, sent_on TEXT, sent_via TEXT,
                created_at TEXT NOT NULL,
                custodian_email BYTEA,
                reference BYTEA,
                answers BYTEA,
                kind TEXT NOT NULL DEFAULT 'access'))",
           R"(CREATE TABLE request_events (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                request_id TEXT NOT NULL REFERENCES records_requests(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                on_date TEXT NOT NULL,
                via TEXT,
                details BYTEA,
                recorded_at TEXT NOT NULL,
                reply_within_days BIGINT))",
           R"(CREATE TABLE complaints (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                board_id TEXT, jurisdiction TEXT, filed_on TEXT,
                created_at TEXT NOT NULL,
                answers BYTEA,
                updated_at TEXT))",
           R"(CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                action TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                user_id TEXT NOT NULL DEFAULT '',
                via TEXT NOT NULL DEFAULT '',
                client_id TEXT NOT NULL DEFAULT ''))",
           R"(CREATE TABLE custody_log (
                seq BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                action TEXT NOT NULL,
                evidence_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL))",
           R"(CREATE FUNCTION recourse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                RAISE EXCEPTION 'the % is append-only', replace(TG_TABLE_NAME, '_', ' ');
              END $$)",
           R"(CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
              FOR EACH ROW EXECUTE FUNCTION recourse_append_only())",
           R"(CREATE TRIGGER custody_log_append_only BEFORE UPDATE OR DELETE ON custody_log
              FOR EACH ROW EXECUTE FUNCTION recourse_append_only())",
           R"(CREATE TABLE import_keys (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                created_at TEXT NOT NULL))",
           R"(CREATE TABLE batch_rows (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                request_id TEXT PRIMARY KEY
                  REFERENCES records_requests(id) ON DELETE CASCADE,
                letter_no BIGINT NOT NULL UNIQUE,
                csv_row BIGINT NOT NULL,
                client_ref BYTEA))",
           R"(CREATE TABLE drafts (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                name TEXT PRIMARY KEY,
                payload BYTEA NOT NULL,
                updated_at TEXT NOT NULL))",
           R"(CREATE TABLE case_tasks_done (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
                task TEXT NOT NULL,
                marked_at TEXT NOT NULL,
                PRIMARY KEY (case_id, task)))",
           R"(CREATE TABLE key_grants (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                key_version BIGINT NOT NULL,
                sealed_key BYTEA NOT NULL,
                kind TEXT NOT NULL,
                granted_by TEXT NOT NULL,
                reason BYTEA,
                granted_at TEXT NOT NULL,
                signature BYTEA NOT NULL,
                PRIMARY KEY (client_id, user_id)))",
           "CREATE INDEX providers_client ON providers(client_id)",
           "CREATE INDEX cases_client ON cases(client_id)",
           "CREATE INDEX incidents_case ON incidents(case_id, date_start)",
           "CREATE INDEX evidence_case ON evidence(case_id)",
           "CREATE INDEX requests_case ON records_requests(case_id)",
           "CREATE INDEX complaints_case ON complaints(case_id)",
           "CREATE INDEX request_events_request ON request_events(request_id, on_date)",
           "CREATE INDEX key_grants_user ON key_grants(user_id)",
           "CREATE INDEX audit_log_client ON audit_log(client_id)",
           // Other Recourse processes learn of every commit (pg_db.h, changeCounts).
           R"(CREATE FUNCTION recourse_notify() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                PERFORM pg_notify('recourse_changes', '');
                RETURN NULL;
              END $$)",
           R"(DO $$
              DECLARE t TEXT;
              BEGIN
                FOREACH t IN ARRAY ARRAY['vault', 'users', 'clients', 'providers', 'cases',
                    'incidents', 'evidence', 'records_requests', 'request_events', 'complaints',
                    'audit_log', 'custody_log', 'import_keys', 'batch_rows', 'drafts',
                    'case_tasks_done', 'key_grants'] LOOP
                  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                                 'FOR EACH STATEMENT EXECUTE FUNCTION recourse_notify()',
                                 t || '_notify', t);
                END LOOP;
              END $$)",
       }},
      {13, versionColumns("BIGINT")},
      {14,
       {
           // Each request event names its request's case too (which never changes), so that
           // a caseload's histories are found from its cases in one index range each, not
           // one lookup per request (there are ten requests to a case, most never sent).
           "ALTER TABLE request_events ADD COLUMN case_id TEXT",
           "UPDATE request_events SET case_id = "
           "(SELECT r.case_id FROM records_requests r WHERE r.id = request_events.request_id)",
           "CREATE INDEX request_events_case ON request_events(case_id)",
           // The planner's view of the new column, now rather than when autovacuum comes by.
           "ANALYZE request_events",
       }},
      {15,
       {
           // Every text column compares bytes (COLLATE "C"), whatever locale the database was
           // made with: they hold ids, codes, ISO dates and account names, nothing sorted by
           // a language's rules, and an index lookup through the operating system's collation
           // (a database made with en_US.UTF-8 or C.UTF-8) costs the server some 13% more on
           // a caseload's views. Sealed values are bytea, which has no collation.
           R"(DO $$
              DECLARE r record;
              BEGIN
                FOR r IN SELECT c.table_name, c.column_name
                           FROM information_schema.columns c
                           JOIN information_schema.tables t
                             ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                          WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                            AND c.data_type = 'text' AND c.collation_name IS DISTINCT FROM 'C'
                LOOP
                  EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE "C"',
                                 r.table_name, r.column_name);
                END LOOP;
              END $$)",
           // A column's type changed loses its statistics: without them the planner scans
           // whole tables (the deadlines view at 100,000 clients took a second instead of
           // 45 ms until they were gathered again).
           R"(DO $$
              DECLARE r record;
              BEGIN
                FOR r IN SELECT table_name FROM information_schema.tables
                          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                LOOP
                  EXECUTE format('ANALYZE %I', r.table_name);
                END LOOP;
              END $$)",
       }},
      {16,
       {
           R"(CREATE TABLE evidence_parts (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                evidence_id TEXT COLLATE "C" NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
                part BIGINT NOT NULL,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (evidence_id, part)))",
           // Sealed bytes do not compress: kept out of line as they are, without trying.
           "ALTER TABLE evidence_parts ALTER COLUMN bytes SET STORAGE EXTERNAL",
       }},
      {17,
       {
           R"(ALTER TABLE complaints ADD COLUMN filed_via TEXT COLLATE "C")",
           "ALTER TABLE complaints ADD COLUMN board_reference BYTEA",
           R"(CREATE TABLE complaint_events (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                id TEXT COLLATE "C" PRIMARY KEY,
                complaint_id TEXT COLLATE "C" NOT NULL
                  REFERENCES complaints(id) ON DELETE CASCADE,
                case_id TEXT COLLATE "C" NOT NULL,
                type TEXT COLLATE "C" NOT NULL,
                on_date TEXT COLLATE "C" NOT NULL,
                reply_by TEXT COLLATE "C",
                outcome TEXT COLLATE "C",
                details BYTEA,
                recorded_at TEXT COLLATE "C" NOT NULL,
                version BIGINT NOT NULL DEFAULT 1))",
           "CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, on_date)",
           "CREATE INDEX complaint_events_case ON complaint_events(case_id)",
           R"(CREATE TRIGGER complaint_events_notify AFTER INSERT OR UPDATE OR DELETE
                ON complaint_events FOR EACH STATEMENT EXECUTE FUNCTION recourse_notify())",
       }},
      {18,
       {
           // No notify trigger: a digest changes nothing any view shows.
           R"(CREATE TABLE deadline_digests (
                rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,
                client_id TEXT COLLATE "C" PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
                last_change TEXT COLLATE "C" NOT NULL,
                sealed BYTEA NOT NULL))",
           "ALTER TABLE deadline_digests ALTER COLUMN sealed SET STORAGE EXTERNAL",
           "CREATE INDEX audit_log_changes ON audit_log(client_id, seq) INCLUDE (hash)"
           " WHERE action NOT LIKE 'read.%'",
       }},
  };
  return kMigrations;
}

const std::vector<std::string>& schemaTables() {
  static const std::vector<std::string> kTables = {
      "vault",       "users",      "clients",          "providers",        "cases",
      "incidents",   "evidence",   "evidence_parts",   "records_requests", "request_events",
      "batch_rows",  "complaints", "complaint_events", "case_tasks_done",  "key_grants",
      "import_keys", "drafts",     "audit_log",        "custody_log"};
  return kTables;
}

const std::vector<std::string>& derivedTables() {
  static const std::vector<std::string> kTables = {"deadline_digests"};
  return kTables;
}

int latestSchemaVersion() { return sqliteMigrations().back().version; }

}  // namespace recourse::store
