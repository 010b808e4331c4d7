#include "server/http_server.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <istream>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status_map.h"
#include "server/answer_cache.h"
#include "server/json_codec.h"
#include "server/web_assets.h"
#include "service/accounts.h"
#include "service/case_overview.h"
#include "service/caseload.h"
#include "service/complaint.h"
#include "service/complaint_tracking.h"
#include "service/csv.h"
#include "service/deadlines.h"
#include "service/drafts.h"
#include "service/evidence.h"
#include "service/incidents.h"
#include "service/interviews.h"
#include "service/letter.h"
#include "service/other_routes.h"
#include "service/people.h"
#include "service/requests.h"
#include "service/transfer.h"

namespace recourse::server {

using core::Status;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace {

constexpr char kCookie[] = "recourse_session";
constexpr size_t kMaxDrain = size_t{16} * 1024 * 1024;

// A request body must keep coming: each read waits at most the read timeout, and the whole
// body may take the body grace (ServerConfig) plus a second for every MiB of it. A caller
// trickling a body a byte at a time cannot hold a worker for longer.
constexpr long long kBodyBytesPerSecond = 1LL << 20;

class BodyPace {
 public:
  BodyPace(long long declared, std::chrono::milliseconds grace)
      : declared_(declared), grace_(grace) {}
  // True once the body has taken longer than its size allows (`got` bytes so far).
  bool late(long long got) const {
    const long long size = std::max(declared_, got);
    const auto allowed = grace_ + std::chrono::seconds(size / kBodyBytesPerSecond);
    return std::chrono::steady_clock::now() - start_ > allowed;
  }
  static core::Status tooSlow() {
    return core::ioError("the request took too long to arrive; nothing was changed")
        .withReason("body_too_slow");
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  long long declared_;
  std::chrono::milliseconds grace_;
};

struct Shared {
  service::Vault& vault;
  const core::Clock& clock;
  const ServerConfig& config;
  SessionTable& sessions;
  std::uint16_t port;
  AnswerCache answers;
  // Every request uses the vault under a shared hold; a restore puts another vault in its
  // place under the exclusive one, so no request sees it half-changed.
  std::shared_mutex vault_use;
  // One restore at a time.
  std::mutex restoring;
};

void setSecurityHeaders(HTTPServerResponse& resp) {
  resp.set("Content-Security-Policy",
           "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
           "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  resp.set("X-Content-Type-Options", "nosniff");
  resp.set("X-Frame-Options", "DENY");
  resp.set("Referrer-Policy", "no-referrer");
  resp.set("Cross-Origin-Opener-Policy", "same-origin");
  resp.set("Cross-Origin-Resource-Policy", "same-origin");
  resp.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  // Nothing this server sends may be kept by the browser: it is all personal or leads to it.
  resp.set("Cache-Control", "no-store");
  resp.set("Pragma", "no-cache");
}

void sendJsonText(HTTPServerResponse& resp, int status, const std::string& text) {
  if (status == 408) {
    // Poco still uses RFC 2616's "Request Time-out"; RFC 9110 says "Request Timeout".
    resp.setStatusAndReason(HTTPResponse::HTTP_REQUEST_TIMEOUT, "Request Timeout");
  } else {
    resp.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
  }
  resp.setContentType("application/json; charset=utf-8");
  resp.setContentLength(static_cast<std::streamsize>(text.size()));
  resp.send().write(text.data(), static_cast<std::streamsize>(text.size()));
}

void sendJson(HTTPServerResponse& resp, int status, const Object::Ptr& body) {
  sendJsonText(resp, status, toJsonText(body));
}

void sendError(HTTPServerResponse& resp, const Status& status) {
  Object::Ptr err = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  err->set("code", std::string(core::statusCodeName(status.code())));
  err->set("message", status.text());
  if (!status.field().empty()) err->set("field", status.field());
  if (!status.reason().empty()) {
    err->set("reason", status.reason());
    Object::Ptr args = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : status.reasonArgs()) args->set(name, value);
    err->set("args", args);
  }
  Object::Ptr body = new Object;
  body->set("error", err);
  if (status.reason() == "unlock_wait") {
    for (const auto& [name, value] : status.reasonArgs()) {
      if (name == "seconds") resp.set("Retry-After", value);
    }
  }
  // A body that came too slowly is the caller's timeout, not the server's failure.
  sendJson(resp, status.reason() == "body_too_slow" ? 408 : core::httpStatusFor(status), body);
}

void sendErrorWithStatus(HTTPServerResponse& resp, int http, std::string_view code,
                         const std::string& message) {
  Object::Ptr err = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  err->set("code", std::string(code));
  err->set("message", message);
  Object::Ptr body = new Object;
  body->set("error", err);
  sendJson(resp, http, body);
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Shared& shared) : s_(shared) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) override {
    setSecurityHeaders(resp);
    try {
      route(req, resp);
    } catch (const Poco::TimeoutException&) {
      // A read of the request that waited past the read timeout.
      if (!resp.sent()) sendError(resp, BodyPace::tooSlow());
    } catch (const Poco::Exception& e) {
      if (!resp.sent()) sendError(resp, core::internalError("the server could not answer"));
    } catch (const std::exception& e) {
      if (!resp.sent()) sendError(resp, core::internalError("the server could not answer"));
    }
  }

 private:
  // --- request guards -------------------------------------------------------------------
  // The names this server answers to: this machine's own, and, when it serves others, the
  // address it listens on and the name people reach it by.
  std::vector<std::string> hostNames() const {
    std::vector<std::string> names = {"127.0.0.1", "localhost"};
    if (!isLoopback(s_.config.bind) && s_.config.bind != "0.0.0.0" && s_.config.bind != "::") {
      names.push_back(s_.config.bind);
    }
    if (!s_.config.public_host.empty()) names.push_back(s_.config.public_host);
    return names;
  }

  bool hostAllowed(const HTTPServerRequest& req) const {
    const std::string& host = req.getHost();
    const std::string port = ":" + std::to_string(s_.port);
    for (const auto& name : hostNames()) {
      if (host == name + port) return true;
    }
    return false;
  }

  bool originAllowed(const HTTPServerRequest& req) const {
    const std::string port = ":" + std::to_string(s_.port);
    if (req.has("Origin")) {
      const std::string& origin = req.get("Origin");
      const std::string scheme = s_.config.tls_cert.empty() ? "http://" : "https://";
      bool same = false;
      for (const auto& name : hostNames()) same = same || origin == scheme + name + port;
      if (!same) return false;
    }
    if (req.has("Sec-Fetch-Site")) {
      const std::string& site = req.get("Sec-Fetch-Site");
      if (site != "same-origin" && site != "none") return false;
    }
    return true;
  }

  // Reads the body up to `cap` bytes. On success true; otherwise the 413 is already sent.
  bool readBody(HTTPServerRequest& req, HTTPServerResponse& resp, size_t cap, std::string* body) {
    std::istream& in = req.stream();
    body->clear();
    char buf[8192];
    const bool declared_too_large =
        req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(cap);
    bool too_large = declared_too_large;
    const BodyPace pace(req.hasContentLength() ? req.getContentLength64() : -1,
                        s_.config.body_grace);
    for (size_t n; !too_large && (n = readSome(in, buf, sizeof buf)) > 0;) {
      body->append(buf, n);
      too_large = body->size() > cap;
      if (!too_large && pace.late(static_cast<long long>(body->size()))) break;
    }
    if (!too_large) {
      // Shorter than it said: the rest did not come in time (a read waited past the read
      // timeout, or the whole took too long), or the caller gave up.
      if (req.hasContentLength() &&
          static_cast<Poco::Int64>(body->size()) < req.getContentLength64()) {
        body->clear();
        sendError(resp, BodyPace::tooSlow());
        return false;
      }
      return true;
    }
    body->clear();
    resp.setKeepAlive(false);
    // The limit as a person reads it ("2 MB"), for the page's own words.
    const std::string max = cap >= size_t{1024} * 1024 ? std::to_string(cap / 1024 / 1024) + " MB"
                                                       : std::to_string(cap / 1024) + " KB";
    // Answered at once: a Content-Length over the limit is refused before a byte of the body
    // is read, so a caller cannot hold a worker by promising a body it never sends.
    sendError(resp, core::resourceExhausted("body: larger than the " + std::to_string(cap) +
                                            "-byte limit")
                        .withReason("body_too_large", {{"max", max}}));
    // Then a moderate excess is read and dropped, so that a caller still sending sees the
    // answer rather than a reset connection; a body promised larger than that is not waited
    // for.
    if (!declared_too_large || req.getContentLength64() <= static_cast<Poco::Int64>(kMaxDrain)) {
      drain(in);
    }
    return false;
  }

  std::string sessionCookie(const HTTPServerRequest& req) const {
    Poco::Net::NameValueCollection cookies;
    req.getCookies(cookies);
    return cookies.get(kCookie, "");
  }

  // Checks the session (and for writes the CSRF token). Sends 401/403 and returns false
  // when the caller may not go on.
  bool authorize(const HTTPServerRequest& req, HTTPServerResponse& resp, bool write) {
    std::string csrf;
    const std::string id = sessionCookie(req);
    if (!unlocked() || id.empty() ||
        !s_.sessions.touch(id, s_.clock.now(), s_.config.idle_lock, &csrf)) {
      if (!id.empty() && s_.sessions.anyIdle(s_.clock.now(), s_.config.idle_lock)) lockAll();
      sendError(resp, core::unauthenticated("session: the vault is locked; unlock it to go on"));
      return false;
    }
    if (write && req.get("X-CSRF-Token", "") != csrf) {
      sendError(resp, core::permissionDenied("X-CSRF-Token: missing or does not match the "
                                             "session; reload the page"));
      return false;
    }
    return true;
  }

  void lockAll() {
    s_.sessions.clear();
    s_.vault.lock();
    s_.answers.clear();
  }

  bool unlocked() { return s_.vault.state() == service::Vault::State::kUnlocked; }

  // The workflows of the unlocked vault; sends 401 and returns null when it is locked.
  service::Services* services(HTTPServerResponse& resp) {
    auto s = s_.vault.services();
    if (!s.isOk()) {
      sendError(resp, s.status());
      return nullptr;
    }
    return *s;
  }

  void startSession(HTTPServerResponse& resp, int status, const Object::Ptr& extra = nullptr) {
    std::string csrf;
    std::string id = s_.sessions.create(s_.clock.now(), &csrf);
    Poco::Net::HTTPCookie cookie(kCookie, id);
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
    cookie.setSecure(!s_.config.tls_cert.empty());
    resp.addCookie(cookie);
    Object::Ptr body = new Object;
    body->set("vault", "unlocked");
    body->set("csrf_token", csrf);
    if (extra) {
      for (const auto& [k, v] : *extra) body->set(k, v);
    }
    sendJson(resp, status, body);
  }

  // --- routing ---------------------------------------------------------------------------
 public:
  // One request on its way to its endpoint: the path's parameters and the body, read and
  // within the route's limit.
  struct Call {
    HTTPServerRequest& req;
    HTTPServerResponse& resp;
    const Poco::URI& uri;
    std::string body;
    std::string id;  // the path's {id}, when the route has one
  };

  // Who may call a route.
  enum class Access {
    kAnyone,        // no session: health, creating the vault, unlocking and locking it
    kSession,       // an unlocked session (reads)
    kSessionWrite,  // an unlocked session and its CSRF token (every change)
  };

  struct Route {
    const char* method;
    const char* pattern;  // "/api/v1/clients/{id}": {id} matches one path segment
    Access access;
    size_t max_body;  // bytes a body may have (the server's own limit applies too)
    void (Handler::*handle)(Call&);
    // How the body arrives: read whole (up to max_body and the server's body limit) or
    // streamed by the endpoint itself (an evidence upload, up to the server's evidence
    // limit, after the session is checked; a backup to restore, which checks for itself).
    // kExclusive: read whole, then run with every other request held back (signing in,
    // which may change whose vault this is for every session).
    enum class Body { kRead, kEvidence, kBackup, kExclusive };
    Body body = Body::kRead;
  };

  static constexpr size_t kSmallBody = size_t{16} * 1024;  // a passphrase, a small form
  // A record with its answers: an account at its longest (core::kMaxLongText, 1 MiB) and
  // the rest, as the drafts of a page are (service::kMaxDraftBytes).
  static constexpr size_t kFormBody = service::kMaxDraftBytes;
  static_assert(kFormBody <= kDefaultMaxBody,
                "the server's own limit must let a page of answers through");
  static constexpr size_t kUploadBody = size_t{256} * 1024 * 1024;       // an evidence file
  static constexpr size_t kBackupBody = size_t{4} * 1024 * 1024 * 1024;  // a whole vault

  // Every API endpoint. docs/api.md describes each; a test checks the two agree.
  static const std::vector<Route>& routes() {
    static const std::vector<Route> kRoutes = {
        {"GET", "/api/v1/health", Access::kAnyone, 0, &Handler::health},
        {"POST", "/api/v1/vault", Access::kAnyone, kSmallBody, &Handler::createVault},
        {"GET", "/api/v1/session", Access::kAnyone, 0, &Handler::sessionInfo},
        {"POST", "/api/v1/session", Access::kAnyone, kSmallBody, &Handler::unlock,
         Route::Body::kExclusive},
        {"DELETE", "/api/v1/session", Access::kAnyone, 0, &Handler::lock},
        {"POST", "/api/v1/session/recover", Access::kAnyone, kSmallBody, &Handler::recover,
         Route::Body::kExclusive},
        {"GET", "/api/v1/account", Access::kSession, 0, &Handler::showAccount},
        {"PUT", "/api/v1/account/passphrase", Access::kSessionWrite, kSmallBody,
         &Handler::changePassphrase},
        {"GET", "/api/v1/accounts", Access::kSession, 0, &Handler::listAccounts},
        {"POST", "/api/v1/accounts", Access::kSessionWrite, kSmallBody, &Handler::addAccount},
        {"GET", "/api/v1/caseload", Access::kSession, 0, &Handler::showCaseload},
        {"POST", "/api/v1/vault/export", Access::kSessionWrite, kSmallBody, &Handler::exportBackup},
        {"POST", "/api/v1/vault/import", Access::kAnyone, kBackupBody, &Handler::restoreBackup,
         Route::Body::kBackup},
        {"GET", "/api/v1/clients", Access::kSession, 0, &Handler::listClients},
        {"POST", "/api/v1/clients", Access::kSessionWrite, kFormBody, &Handler::addClient},
        {"GET", "/api/v1/clients/{id}", Access::kSession, 0, &Handler::showClient},
        {"PATCH", "/api/v1/clients/{id}", Access::kSessionWrite, kFormBody, &Handler::editClient},
        {"DELETE", "/api/v1/clients/{id}", Access::kSessionWrite, 0, &Handler::deleteClient},
        {"GET", "/api/v1/clients/{id}/access", Access::kSession, 0, &Handler::showAccess},
        {"POST", "/api/v1/clients/{id}/access", Access::kSessionWrite, kSmallBody,
         &Handler::grantAccess},
        {"POST", "/api/v1/clients/{id}/access/revoke", Access::kSessionWrite, kSmallBody,
         &Handler::revokeAccess},
        {"GET", "/api/v1/clients/{id}/history", Access::kSession, 0, &Handler::showHistory},
        {"GET", "/api/v1/clients/{id}/history.csv", Access::kSession, 0, &Handler::historyCsv},
        {"GET", "/api/v1/cases", Access::kSession, 0, &Handler::listCases},
        {"POST", "/api/v1/cases", Access::kSessionWrite, kFormBody, &Handler::addCase},
        {"GET", "/api/v1/cases/{id}", Access::kSession, 0, &Handler::showCase},
        {"PATCH", "/api/v1/cases/{id}", Access::kSessionWrite, kFormBody, &Handler::editCase},
        {"DELETE", "/api/v1/cases/{id}", Access::kSessionWrite, 0, &Handler::deleteCase},
        {"GET", "/api/v1/cases/{id}/overview", Access::kSession, 0, &Handler::caseOverview},
        {"PUT", "/api/v1/cases/{id}/tasks", Access::kSessionWrite, kSmallBody, &Handler::markTask},
        {"GET", "/api/v1/cases/{id}/timeline.pdf", Access::kSession, 0, &Handler::timelinePdf},
        {"GET", "/api/v1/cases/{id}/incidents", Access::kSession, 0, &Handler::listIncidents},
        {"POST", "/api/v1/cases/{id}/incidents", Access::kSessionWrite, kFormBody,
         &Handler::addIncident},
        {"GET", "/api/v1/incidents/{id}", Access::kSession, 0, &Handler::showIncident},
        {"PATCH", "/api/v1/incidents/{id}", Access::kSessionWrite, kFormBody,
         &Handler::editIncident},
        {"DELETE", "/api/v1/incidents/{id}", Access::kSessionWrite, 0, &Handler::deleteIncident},
        {"GET", "/api/v1/cases/{id}/evidence", Access::kSession, 0, &Handler::listEvidence},
        {"POST", "/api/v1/cases/{id}/evidence", Access::kSessionWrite, kUploadBody,
         &Handler::uploadEvidence, Route::Body::kEvidence},
        {"GET", "/api/v1/cases/{id}/evidence/check", Access::kSession, 0, &Handler::checkEvidence},
        {"GET", "/api/v1/evidence/{id}", Access::kSession, 0, &Handler::showEvidence},
        {"GET", "/api/v1/evidence/{id}/file", Access::kSession, 0, &Handler::downloadEvidence},
        {"PATCH", "/api/v1/evidence/{id}", Access::kSessionWrite, kFormBody,
         &Handler::editEvidence},
        {"DELETE", "/api/v1/evidence/{id}", Access::kSessionWrite, 0, &Handler::removeEvidence},
        {"GET", "/api/v1/cases/{id}/requests", Access::kSession, 0, &Handler::listRequests},
        {"POST", "/api/v1/cases/{id}/requests", Access::kSessionWrite, kSmallBody,
         &Handler::addRequest},
        {"GET", "/api/v1/requests/{id}", Access::kSession, 0, &Handler::showRequest},
        {"PATCH", "/api/v1/requests/{id}", Access::kSessionWrite, kSmallBody,
         &Handler::editRequest},
        {"DELETE", "/api/v1/requests/{id}", Access::kSessionWrite, 0, &Handler::deleteRequest},
        {"PATCH", "/api/v1/requests/{id}/answers", Access::kSessionWrite, kFormBody,
         &Handler::saveRequestAnswers},
        {"GET", "/api/v1/requests/{id}/letter.pdf", Access::kSession, 0, &Handler::requestLetter},
        {"GET", "/api/v1/requests/{id}/letter", Access::kSession, 0, &Handler::showLetterAnswers},
        {"PATCH", "/api/v1/requests/{id}/letter", Access::kSessionWrite, kFormBody,
         &Handler::saveLetterAnswers},
        {"POST", "/api/v1/requests/{id}/events", Access::kSessionWrite, kSmallBody,
         &Handler::recordRequestEvent},
        {"PATCH", "/api/v1/request-events/{id}", Access::kSessionWrite, kSmallBody,
         &Handler::editRequestEvent},
        {"DELETE", "/api/v1/request-events/{id}", Access::kSessionWrite, 0,
         &Handler::deleteRequestEvent},
        {"GET", "/api/v1/cases/{id}/complaint", Access::kSession, 0, &Handler::showComplaint},
        {"PATCH", "/api/v1/cases/{id}/complaint", Access::kSessionWrite, kFormBody,
         &Handler::saveComplaint},
        {"GET", "/api/v1/cases/{id}/complaint.pdf", Access::kSession, 0, &Handler::complaintPacket},
        {"PUT", "/api/v1/cases/{id}/complaint/sent", Access::kSessionWrite, kSmallBody,
         &Handler::complaintSent},
        {"GET", "/api/v1/cases/{id}/complaint/tracking", Access::kSession, 0,
         &Handler::complaintTracking},
        {"GET", "/api/v1/cases/{id}/complaint/status-letter.pdf", Access::kSession, 0,
         &Handler::complaintStatusLetter},
        {"POST", "/api/v1/cases/{id}/complaint/status-letter.pdf", Access::kSessionWrite,
         kSmallBody, &Handler::complaintStatusLetter},
        {"PUT", "/api/v1/cases/{id}/complaint/filing", Access::kSessionWrite, kSmallBody,
         &Handler::complaintFiling},
        {"GET", "/api/v1/cases/{id}/routes", Access::kSession, 0, &Handler::caseRoutes},
        {"POST", "/api/v1/cases/{id}/ending-letter.pdf", Access::kSessionWrite, kSmallBody,
         &Handler::endingLetter},
        {"POST", "/api/v1/cases/{id}/concern-letter.pdf", Access::kSessionWrite, kSmallBody,
         &Handler::concernLetter},
        {"POST", "/api/v1/cases/{id}/complaint/events", Access::kSessionWrite, kSmallBody,
         &Handler::recordComplaintEvent},
        {"PATCH", "/api/v1/complaint-events/{id}", Access::kSessionWrite, kSmallBody,
         &Handler::editComplaintEvent},
        {"DELETE", "/api/v1/complaint-events/{id}", Access::kSessionWrite, 0,
         &Handler::deleteComplaintEvent},
        {"GET", "/api/v1/forms/{id}", Access::kSession, 0, &Handler::showForm},
        {"GET", "/api/v1/drafts/{id}", Access::kSession, 0, &Handler::showDraft},
        {"PUT", "/api/v1/drafts/{id}", Access::kSessionWrite, kFormBody, &Handler::saveDraft},
        {"DELETE", "/api/v1/drafts/{id}", Access::kSessionWrite, 0, &Handler::discardDraft},
        {"GET", "/api/v1/deadlines", Access::kSession, 0, &Handler::listDeadlines},
        {"GET", "/api/v1/deadlines.ics", Access::kSession, 0, &Handler::deadlinesCalendar},
        {"GET", "/api/v1/harm-kinds", Access::kSession, 0, &Handler::listHarmKinds},
        {"GET", "/api/v1/jurisdictions", Access::kSession, 0, &Handler::listJurisdictions},
        {"GET", "/api/v1/license-types", Access::kSession, 0, &Handler::listLicenseTypes},
    };
    return kRoutes;
  }

 private:
  // Whether `path` fits `pattern`; the {id} segment, if any, goes to *id.
  static bool matches(std::string_view pattern, std::string_view path, std::string* id) {
    while (!pattern.empty() && !path.empty()) {
      const size_t p_end = pattern.find('/', 1);
      const size_t q_end = path.find('/', 1);
      std::string_view p = pattern.substr(0, p_end);
      std::string_view q = path.substr(0, q_end);
      if (p == "/{id}") {
        if (q.size() < 2) return false;
        *id = std::string(q.substr(1));
      } else if (p != q) {
        return false;
      }
      pattern = p_end == std::string_view::npos ? std::string_view() : pattern.substr(p_end);
      path = q_end == std::string_view::npos ? std::string_view() : path.substr(q_end);
    }
    return pattern.empty() && path.empty();
  }

  void route(HTTPServerRequest& req, HTTPServerResponse& resp) {
    size_t hosts = 0;
    for (const auto& [name, value] : req) hosts += Poco::icompare(name, "Host") == 0 ? 1 : 0;
    if (hosts != 1) {
      resp.setKeepAlive(false);
      sendErrorWithStatus(resp, 400, "invalid_argument",
                          hosts == 0 ? "Host: the request has no Host header"
                                     : "Host: the request gives the Host header more than once");
      return;
    }
    if (!hostAllowed(req)) {
      std::string names;
      for (const auto& name : hostNames()) {
        names += (names.empty() ? "" : " or ") + name + ":" + std::to_string(s_.port);
      }
      sendErrorWithStatus(resp, 421, "misdirected", "Host: this server answers only to " + names);
      return;
    }
    const std::string& method = req.getMethod();
    const bool write = method != "GET" && method != "HEAD";
    if (write && !originAllowed(req)) {
      sendErrorWithStatus(resp, 403, "cross_origin", "Origin: cross-site requests are refused");
      return;
    }
    Poco::URI uri(req.getURI());
    const std::string& path = uri.getPath();
    if (path == "/exit") {
      std::shared_lock use(s_.vault_use);
      return quickExit(req, resp);
    }
    if (path.rfind("/api/", 0) != 0) {
      serveAsset(method, path, resp);
      return;
    }
    const Route* found = nullptr;
    std::string allowed;  // the methods the path takes, for a 405
    std::string id;
    for (const auto& r : routes()) {
      std::string got;
      if (!matches(r.pattern, path, &got)) continue;
      allowed += (allowed.empty() ? "" : ", ") + std::string(r.method);
      if (method == r.method) {
        found = &r;
        id = std::move(got);
      }
    }
    if (found == nullptr) {
      if (!allowed.empty()) return methodNotAllowed(resp, allowed);
      return sendError(
          resp, core::notFound("path: no API endpoint " + method + " " + path.substr(0, 80)));
    }
    Call call{req, resp, uri, {}, std::move(id)};
    if (found->body == Route::Body::kBackup) {
      // Takes the vault's holds itself (see restoreBackup).
      resp.setKeepAlive(false);
      (this->*(found->handle))(call);
      drain(req.stream());
      return;
    }
    if (found->body == Route::Body::kExclusive) {
      // Signing in: the body is read first, holding nothing, so a slow sender holds back no
      // one; then every other request waits while the account may change.
      const size_t cap = std::min(found->max_body, s_.config.max_body_bytes);
      if (!readBody(req, resp, cap, &call.body)) return;
      std::unique_lock only(s_.vault_use);
      (this->*(found->handle))(call);
      return;
    }
    std::shared_lock use(s_.vault_use);
    if (found->body == Route::Body::kEvidence) {
      // The connection closes after the answer. What is left of a body refused before its
      // end is read and dropped (up to 16 MiB) so that the caller, still sending, gets the
      // answer rather than a reset connection. The session first: nothing of an upload is
      // kept for a caller who may not send it.
      resp.setKeepAlive(false);
      if (authorize(req, resp, true)) {
        const long long cap =
            std::min(static_cast<long long>(found->max_body), s_.config.evidence_max_bytes);
        if (req.hasContentLength() && req.getContentLength64() > cap) {
          sendError(resp, core::resourceExhausted("the file is larger than the " +
                                                  service::describeSize(cap) +
                                                  " Recourse keeps; nothing was added")
                              .withField("file"));
          // A body promised far larger than what is dropped after a refusal is not waited for.
          if (req.getContentLength64() > static_cast<Poco::Int64>(kMaxDrain)) return;
        } else {
          (this->*(found->handle))(call);
        }
      }
      drain(req.stream());
      return;
    }
    if (write) {
      const size_t cap = std::min(found->max_body, s_.config.max_body_bytes);
      if (!readBody(req, resp, cap, &call.body)) return;
    }
    if (found->access != Access::kAnyone &&
        !authorize(req, resp, found->access == Access::kSessionWrite)) {
      return;
    }
    (this->*(found->handle))(call);
  }

  // Reads what one read of the connection brings (up to cap bytes); 0 at the end of the
  // body or when a read fails or waits past the read timeout. One read at a time, so that
  // a body's pace is looked at as it arrives.
  static size_t readSome(std::istream& in, char* buf, size_t cap) {
    if (in.peek() == std::char_traits<char>::eof()) return 0;
    const std::streamsize avail = std::max<std::streamsize>(1, in.rdbuf()->in_avail());
    in.read(buf, std::min<std::streamsize>(avail, static_cast<std::streamsize>(cap)));
    return static_cast<size_t>(in.gcount());
  }

  // Reads and drops what is left of a request body, up to kMaxDrain bytes.
  void drain(std::istream& in) const {
    char buf[8192];
    size_t drained = 0;
    const BodyPace pace(static_cast<long long>(kMaxDrain), s_.config.body_grace);
    try {
      for (size_t n; drained < kMaxDrain && !pace.late(static_cast<long long>(drained)) &&
                     (n = readSome(in, buf, sizeof buf)) > 0;) {
        drained += n;
      }
    } catch (const Poco::Exception&) {
      // The caller went away: nothing left to read.
    }
  }

  void methodNotAllowed(HTTPServerResponse& resp, const std::string& allowed) {
    resp.set("Allow", allowed);
    sendErrorWithStatus(resp, 405, "method_not_allowed",
                        "method: not allowed on this path (it takes " + allowed + ")");
  }

  // The quick exit's last step: the page has already blanked itself and comes here (a
  // navigation, so it works even when scripts are slow); every session ends, the vault
  // locks and its keys are wiped, and the browser goes on to a neutral site. Only the app's
  // own pages may send a person here (Sec-Fetch-Site), so another site cannot lock it.
  void quickExit(HTTPServerRequest& req, HTTPServerResponse& resp) {
    if (!originAllowed(req)) {
      sendErrorWithStatus(resp, 403, "cross_origin", "Origin: cross-site requests are refused");
      return;
    }
    lockAll();
    Poco::Net::HTTPCookie cookie(kCookie, "");
    cookie.setMaxAge(0);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
    cookie.setSecure(!s_.config.tls_cert.empty());
    resp.addCookie(cookie);
    resp.set("Clear-Site-Data", "\"cache\"");
    resp.set("Location", s_.config.exit_url);
    resp.setContentLength(0);
    resp.setStatusAndReason(HTTPResponse::HTTP_SEE_OTHER);
    resp.send();
  }

  // A page of the app: its own address (/cases/…) serves the app, which draws the page, so
  // that every page can be bookmarked, reloaded and reached with Back and Forward.
  // Its segments are letters, digits, "-" and "_" only: no file names, no "..".
  static bool isAppPage(const std::string& path) {
    return std::all_of(path.begin(), path.end(), [](char ch) {
      return ch == '/' || ch == '-' || ch == '_' || (ch >= '0' && ch <= '9') ||
             (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    });
  }

  // One part of a language's message catalog, /messages/<lang>/<part>.json: the messages
  // whose keys start with "<part>.", so that a page loads only its own words. Worked out once
  // from the embedded /messages/<lang>.json; nullopt for a language or part it does not have.
  static std::optional<std::string> catalogPart(const std::string& lang, const std::string& part) {
    using Parts = std::map<std::string, std::string>;
    static std::mutex mu;
    static std::map<std::string, Parts> by_lang;
    std::lock_guard lk(mu);
    auto found = by_lang.find(lang);
    if (found == by_lang.end()) {
      const WebAsset* whole = findWebAsset("/messages/" + lang + ".json");
      if (whole == nullptr) return std::nullopt;  // only languages there are get kept
      Parts parts;
      {
        auto obj = parseObject(std::string(whole->body));
        if (obj.isOk()) {
          std::map<std::string, Object::Ptr> grouped;
          for (const auto& [key, value] : **obj) {
            const std::string ns = key.substr(0, key.find('.'));
            auto& into = grouped[ns];
            if (into.isNull()) into = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            into->set(key, value);
          }
          for (const auto& [ns, o] : grouped) parts[ns] = toJsonText(o);
        }
      }
      found = by_lang.emplace(lang, std::move(parts)).first;
    }
    auto it = found->second.find(part);
    if (it == found->second.end()) return std::nullopt;
    return it->second;
  }

  void serveAsset(const std::string& method, const std::string& path, HTTPServerResponse& resp) {
    // /messages/<lang>/<part>.json
    const std::string_view prefix = "/messages/";
    const std::string_view suffix = ".json";
    const size_t slash = path.find('/', prefix.size());
    if (path.rfind(prefix, 0) == 0 && slash != std::string::npos && path.size() > suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        slash + 1 < path.size() - suffix.size()) {
      const std::string lang = path.substr(prefix.size(), slash - prefix.size());
      const std::string part = path.substr(slash + 1, path.size() - suffix.size() - slash - 1);
      auto text = catalogPart(lang, part);
      if (!text || (method != "GET" && method != "HEAD")) {
        sendError(resp, core::notFound("path: nothing at " + path.substr(0, 80)));
        return;
      }
      resp.setStatus(HTTPResponse::HTTP_OK);
      resp.setContentType("application/json; charset=utf-8");
      resp.setContentLength(static_cast<std::streamsize>(text->size()));
      if (method == "HEAD") {
        resp.send();
      } else {
        resp.send() << *text;
      }
      return;
    }
    const WebAsset* asset = findWebAsset(path);
    if (asset == nullptr && isAppPage(path)) asset = findWebAsset("/index.html");
    if (asset == nullptr || (method != "GET" && method != "HEAD")) {
      sendError(resp, core::notFound("path: nothing at " + path.substr(0, 80)));
      return;
    }
    resp.setStatus(HTTPResponse::HTTP_OK);
    resp.setContentType(std::string(asset->content_type));
    resp.setContentLength(static_cast<std::streamsize>(asset->body.size()));
    if (method == "HEAD") {
      resp.send();
    } else {
      resp.send() << asset->body;
    }
  }

  // --- endpoints -------------------------------------------------------------------------
  std::string vaultState() {
    switch (s_.vault.state()) {
      case service::Vault::State::kUnlocked:
        return "unlocked";
      case service::Vault::State::kLocked:
        return "locked";
      case service::Vault::State::kNone:
        break;
    }
    return "none";
  }

  void health(Call& c) {
    HTTPServerResponse& resp = c.resp;
    Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("status", "ok");
    body->set("vault", vaultState());
    sendJson(resp, 200, body);
  }

  core::StatusOr<std::string> passphraseFrom(const std::string& body) {
    auto obj = parseObject(body);
    if (!obj.isOk()) return obj.status();
    RECOURSE_RETURN_IF_ERROR(checkKnownFields(*obj, {"passphrase"}, ""));
    std::string pass;
    RECOURSE_RETURN_IF_ERROR(readString(*obj, "passphrase", "", &pass));
    if (pass.empty()) return core::invalidArgument("must not be empty").withField("passphrase");
    return pass;
  }

  // A sign-in body: the passphrase and, for a vault with several accounts, whose ("user").
  struct SignIn {
    std::string user;
    std::string passphrase;
  };
  core::StatusOr<SignIn> signInFrom(const std::string& body) {
    auto obj = parseObject(body);
    if (!obj.isOk()) return obj.status();
    RECOURSE_RETURN_IF_ERROR(checkKnownFields(*obj, {"passphrase", "user"}, ""));
    SignIn in;
    RECOURSE_RETURN_IF_ERROR(readString(*obj, "user", "", &in.user));
    RECOURSE_RETURN_IF_ERROR(readString(*obj, "passphrase", "", &in.passphrase));
    if (in.passphrase.empty()) {
      return core::invalidArgument("must not be empty")
          .withField("passphrase")
          .withReason("required");
    }
    return in;
  }

  // The account the vault is open as, for a session's answer; null when it cannot be read.
  Object::Ptr currentAccountJson() {
    auto svc = s_.vault.services();
    if (!svc.isOk()) return nullptr;
    auto me = service::currentAccount(**svc);
    if (!me.isOk()) return nullptr;
    return accountToJson(*me);
  }

  // The answer to creating, unlocking or recovering: the session, whose it is, and a
  // recovery code when one was just made (shown once: the server keeps no copy).
  void startSignedIn(HTTPServerResponse& resp, int status, std::optional<std::string> code) {
    Object::Ptr extra = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (Object::Ptr me = currentAccountJson()) extra->set("account", me);
    if (code) extra->set("recovery_code", *code);
    startSession(resp, status, extra);
  }

  void createVault(Call& c) {
    HTTPServerResponse& resp = c.resp;
    auto in = signInFrom(c.body);
    if (!in.isOk()) return sendError(resp, in.status());
    Status st = s_.vault.create(in->passphrase, s_.config.kdf, in->user);
    if (!st.isOk()) return sendError(resp, st);
    startSignedIn(resp, 201, s_.vault.takeRecoveryCode());
  }

  // Signing in. The vault is open as one account at a time: when someone else signs in,
  // every session of the one before ends (their pages find themselves locked), so no page
  // ever acts as an account that did not sign in on it. A wrong passphrase changes nothing.
  void unlock(Call& c) {
    HTTPServerResponse& resp = c.resp;
    auto in = signInFrom(c.body);
    if (!in.isOk()) return sendError(resp, in.status());
    std::string before;
    if (unlocked()) {
      if (Object::Ptr me = currentAccountJson()) before = me->getValue<std::string>("name");
    }
    Status st = s_.vault.unlock(in->passphrase, in->user);
    if (!st.isOk()) return sendError(resp, st);
    Object::Ptr me = currentAccountJson();
    const std::string now = me ? me->getValue<std::string>("name") : "";
    if (before.empty() || before != now) {
      s_.sessions.clear();
      s_.answers.clear();
    }
    startSignedIn(resp, 200, s_.vault.takeRecoveryCode());
  }

  // A forgotten passphrase: the account's recovery code opens it, a new passphrase is set
  // and a new recovery code shown (the old one stops working). Every other session ends.
  void recover(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"user", "recovery_code", "new_passphrase"}, "");
    std::string user;
    std::string code;
    std::string fresh;
    if (st.isOk()) st = readString(*obj, "user", "", &user);
    if (st.isOk()) st = readString(*obj, "recovery_code", "", &code);
    if (st.isOk()) st = readString(*obj, "new_passphrase", "", &fresh);
    if (!st.isOk()) return sendError(c.resp, st);
    if (s_.vault.state() == service::Vault::State::kNone) {
      return sendError(c.resp, core::failedPrecondition("there is no vault here yet"));
    }
    auto fresh_code = s_.vault.recover(user, code, fresh, s_.config.kdf);
    if (!fresh_code.isOk()) {
      if (!unlocked()) lockAll();
      return sendError(c.resp, fresh_code.status());
    }
    s_.sessions.clear();
    s_.answers.clear();
    startSignedIn(c.resp, 200, *fresh_code);
  }

  // A backup of the whole vault, to download: the encrypted export file (`recourse export`
  // makes the same), sealed with the vault's passphrase, which the person types again so
  // that the file is known to open with it.
  void exportBackup(Call& c) {
    auto pass = passphraseFrom(c.body);
    if (!pass.isOk()) return sendError(c.resp, pass.status());
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    if (svc->data_dir.empty()) {
      return sendError(c.resp, core::failedPrecondition("this vault is kept in memory only; "
                                                        "it has no backup to make"));
    }
    service::ExportVault in;
    in.out_path = svc->data_dir + "/backup-" + service::randomToken(8) + ".exporting";
    in.passphrase = *pass;
    in.strength = s_.config.kdf;
    auto size = service::exportVault(*svc, in);
    if (!size.isOk()) return sendError(c.resp, size.status());
    struct Remove {
      std::string path;
      ~Remove() { std::remove(path.c_str()); }
    } remove{in.out_path};
    std::ifstream file(in.out_path, std::ios::binary);
    if (!file) return sendError(c.resp, core::ioError("the backup could not be read back"));
    c.resp.setStatusAndReason(HTTPResponse::HTTP_OK);
    c.resp.setContentType("application/octet-stream");
    c.resp.set("Content-Disposition", "attachment; filename=\"recourse-backup-" +
                                          s_.clock.today().toString() + ".recourse\"");
    c.resp.setContentLength64(*size);
    std::ostream& out = c.resp.send();
    char buf[64 * 1024];
    while (file.read(buf, sizeof buf) || file.gcount() > 0) {
      out.write(buf, file.gcount());
    }
  }

  // Restoring a backup: the file is the body, its passphrase percent-encoded in the
  // X-Recourse-Passphrase header, and ?replace=yes when a vault is here already (it is kept
  // beside the restored one). With no vault yet anyone at this computer may restore one (as
  // anyone may create one); otherwise only an unlocked session with its CSRF token. The file
  // is received and checked while the vault goes on serving; only putting the new one in
  // place holds every other request back. On success the restored vault is unlocked for
  // this caller's new session, and every other session has ended.
  void restoreBackup(Call& c) {
    std::unique_lock one(s_.restoring, std::try_to_lock);
    if (!one.owns_lock()) {
      return sendError(c.resp, core::conflict("a backup is being restored already; wait for it "
                                              "to finish")
                                   .withField("file"));
    }
    std::string pass;
    Poco::URI::decode(c.req.get("X-Recourse-Passphrase", ""), pass);
    bool replace = false;
    Status st = Status::ok();
    for (const auto& [k, v] : c.uri.getQueryParameters()) {
      if (k == "replace" && (v == "yes" || v == "no")) {
        replace = v == "yes";
      } else if (st.isOk()) {
        st = core::invalidArgument(k.substr(0, 40) +
                                   ": is not a known query parameter (replace="
                                   "yes or no)");
      }
    }
    std::unique_ptr<service::IncomingBackup> incoming;
    {
      std::shared_lock use(s_.vault_use);
      const bool exists = s_.vault.state() != service::Vault::State::kNone;
      if (exists && !authorize(c.req, c.resp, true)) return;
      if (st.isOk() && pass.empty()) {
        st = core::invalidArgument("the backup's passphrase is needed to open it")
                 .withField("passphrase");
      }
      if (st.isOk() && exists && !replace) {
        st = core::conflict(
                 "a vault is here already; restoring replaces it (replace=yes), "
                 "keeping it beside the restored one")
                 .withField("replace");
      }
      if (st.isOk() && s_.vault.dataDir().empty()) {
        st = core::failedPrecondition(
            "this vault is kept in memory only; there is nowhere "
            "to restore a backup to");
      }
      const long long cap = s_.config.backup_max_bytes;
      if (st.isOk() && c.req.hasContentLength() && c.req.getContentLength64() > cap) {
        st = core::resourceExhausted("the backup is larger than the " + service::describeSize(cap) +
                                     " Recourse takes; nothing was changed")
                 .withField("file");
      }
      if (!st.isOk()) return sendError(c.resp, st);
      auto received = service::IncomingBackup::receive(
          s_.vault.dataDir(),
          bodySource(c.req, "the backup did not arrive whole; nothing was changed"), cap);
      if (!received.isOk()) return sendError(c.resp, received.status());
      incoming = std::move(received).value();
    }
    std::unique_lock use(s_.vault_use);
    auto restored = s_.vault.importFile(incoming->path(), pass, replace);
    s_.answers.clear();
    if (!restored.isOk()) {
      if (s_.vault.state() != service::Vault::State::kUnlocked) s_.sessions.clear();
      return sendError(c.resp, restored.status());
    }
    s_.sessions.clear();
    startSession(c.resp, 201);
  }

  void lock(Call& c) {
    HTTPServerResponse& resp = c.resp;
    lockAll();
    Poco::Net::HTTPCookie cookie(kCookie, "");
    cookie.setMaxAge(0);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
    cookie.setSecure(!s_.config.tls_cert.empty());
    resp.addCookie(cookie);
    Object::Ptr out = new Object;
    out->set("vault", vaultState());
    sendJson(resp, 200, out);
  }

  void sessionInfo(Call& c) {
    const HTTPServerRequest& req = c.req;
    HTTPServerResponse& resp = c.resp;
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::string csrf;
    const std::string id = sessionCookie(req);
    bool live = unlocked() && !id.empty() &&
                s_.sessions.touch(id, s_.clock.now(), s_.config.idle_lock, &csrf);
    out->set("vault", live ? "unlocked" : (vaultState() == "none" ? "none" : "locked"));
    if (live) {
      out->set("csrf_token", csrf);
      if (Object::Ptr me = currentAccountJson()) out->set("account", me);
    } else if (vaultState() != "none") {
      // Whether the sign-in page asks for a name too (several accounts), never who they are.
      auto needs = s_.vault.needsUserName();
      out->set("needs_user", needs.isOk() && *needs);
    }
    sendJson(resp, 200, out);
  }

  // --- accounts and access ---------------------------------------------------------------
  void showAccount(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto me = service::currentAccount(*svc);
    if (!me.isOk()) return sendError(c.resp, me.status());
    sendJson(c.resp, 200, accountToJson(*me));
  }

  void changePassphrase(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"passphrase", "new_passphrase"}, "");
    std::string current;
    std::string fresh;
    if (st.isOk()) st = readString(*obj, "passphrase", "", &current);
    if (st.isOk()) st = readString(*obj, "new_passphrase", "", &fresh);
    if (st.isOk() && current.empty()) {
      st =
          core::invalidArgument("must not be empty").withField("passphrase").withReason("required");
    }
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    st = service::changePassphrase(*svc, current, fresh, s_.config.kdf);
    if (!st.isOk()) return sendError(c.resp, st);
    Object::Ptr out = new Object;
    out->set("changed", true);
    sendJson(c.resp, 200, out);
  }

  void listAccounts(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto all = service::listAccounts(*svc);
    if (!all.isOk()) return sendError(c.resp, all.status());
    auto me = service::currentAccount(*svc);
    if (!me.isOk()) return sendError(c.resp, me.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& a : *all) {
      // Clients' own accounts name people: only an administrator sees the others'.
      if (me->role != "admin" && a.role == "client" && !a.me) continue;
      arr->add(accountToJson(a));
    }
    Object::Ptr out = new Object;
    out->set("accounts", arr);
    auto may = service::adminsMayGrant(*svc);
    out->set("admins_may_grant", may.isOk() && *may);
    sendJson(c.resp, 200, out);
  }

  void addAccount(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    service::NewAccountIn in;
    in.strength = s_.config.kdf;
    Status st = checkKnownFields(*obj, {"name", "role", "passphrase", "client_id"}, "");
    if (st.isOk()) st = readString(*obj, "name", "", &in.name);
    if (st.isOk()) st = readString(*obj, "role", "", &in.role);
    if (st.isOk()) st = readString(*obj, "passphrase", "", &in.passphrase);
    if (st.isOk()) st = readString(*obj, "client_id", "", &in.client_id);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto made = service::addAccount(*svc, in);
    if (!made.isOk()) return sendError(c.resp, made.status());
    Object::Ptr out = accountToJson(made->account);
    out->set("client_key_sealed", made->client_key_sealed);
    sendJson(c.resp, 201, out);
  }

  static Object::Ptr accessToJson(const service::Access& a) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("account", accountToJson(a.account));
    o->set("kind", a.kind);
    o->set("granted_by", a.granted_by);
    o->set("granted_at", a.granted_at);
    o->set("reason", a.reason);
    o->set("problem", a.problem);
    return o;
  }

  void showAccess(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto who = service::accessTo(*svc, c.id);
    if (!who.isOk()) return sendError(c.resp, who.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& a : *who) arr->add(accessToJson(a));
    Object::Ptr out = new Object;
    out->set("client_id", c.id);
    out->set("access", arr);
    sendJson(c.resp, 200, out);
  }

  // {"user": NAME, "reason": TEXT} for granting and revoking.
  core::Status accessChangeFrom(const std::string& body, std::string* user, std::string* reason) {
    auto obj = parseObject(body);
    if (!obj.isOk()) return obj.status();
    RECOURSE_RETURN_IF_ERROR(checkKnownFields(*obj, {"user", "reason"}, ""));
    RECOURSE_RETURN_IF_ERROR(readString(*obj, "user", "", user));
    RECOURSE_RETURN_IF_ERROR(readString(*obj, "reason", "", reason));
    if (user->empty()) {
      return core::invalidArgument("say whose access this is")
          .withField("user")
          .withReason("required");
    }
    return Status::ok();
  }

  void grantAccess(Call& c) {
    std::string user;
    std::string reason;
    Status st = accessChangeFrom(c.body, &user, &reason);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto given = service::grantAccess(*svc, c.id, user, reason);
    if (!given.isOk()) return sendError(c.resp, given.status());
    s_.answers.clear();
    sendJson(c.resp, 201, accessToJson(*given));
  }

  void revokeAccess(Call& c) {
    std::string user;
    std::string reason;
    Status st = accessChangeFrom(c.body, &user, &reason);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    st = service::revokeAccess(*svc, c.id, user, reason);
    if (!st.isOk()) return sendError(c.resp, st);
    s_.answers.clear();
    Object::Ptr out = new Object;
    out->set("revoked", user);
    sendJson(c.resp, 200, out);
  }

  void showHistory(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto history = service::clientHistory(*svc, c.id);
    if (!history.isOk()) return sendError(c.resp, history.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& e : history->entries) {
      Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("seq", e.seq);
      j->set("at", core::formatTimestamp(e.at));
      j->set("action", e.action);
      j->set("read", e.action.rfind("read.", 0) == 0);
      j->set("what", e.what);
      j->set("entity_id", e.entity_id);
      j->set("user", e.user);
      j->set("role", e.role);
      j->set("via", e.via);
      arr->add(j);
    }
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("client_id", c.id);
    out->set("chain_ok", history->chain.isOk());
    if (!history->chain.isOk()) out->set("problem", history->chain.text());
    out->set("entries", arr);
    sendJson(c.resp, 200, out);
  }

  // The same history as a spreadsheet file to keep (a client's own copy of who looked).
  void historyCsv(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto history = service::clientHistory(*svc, c.id);
    if (!history.isOk()) return sendError(c.resp, history.status());
    std::string text = service::csvLine({"when", "who", "role", "via", "what", "action", "record"});
    for (const auto& e : history->entries) {
      text += service::csvLine(
          {core::formatTimestamp(e.at), e.user, e.role, e.via, e.what, e.action, e.entity_id});
    }
    if (!history->chain.isOk()) {
      text += service::csvLine({"", "", "", "", "PROBLEM: " + history->chain.text(), "", ""});
    }
    c.resp.setStatusAndReason(HTTPResponse::HTTP_OK);
    c.resp.setContentType("text/csv; charset=utf-8");
    c.resp.set("Content-Disposition", "attachment; filename=\"recourse-access-history-" +
                                          s_.clock.today().toString() + ".csv\"");
    c.resp.setContentLength(static_cast<std::streamsize>(text.size()));
    c.resp.send() << text;
  }

  void showCaseload(Call& c) {
    int within = 7;
    for (const auto& [k, v] : c.uri.getQueryParameters()) {
      if (k != "within_days") {
        return sendError(c.resp,
                         core::invalidArgument(k.substr(0, 40) + ": is not a known query parameter "
                                                                 "(within_days)"));
      }
      if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos) {
        return sendError(c.resp, core::invalidArgument("expected a number of days from 0 to 3650")
                                     .withField("within_days"));
      }
      within = std::stoi(v);
    }
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto load = service::caseload(*svc, within);
    if (!load.isOk()) return sendError(c.resp, load.status());
    Poco::JSON::Array::Ptr people = new Poco::JSON::Array;
    for (const auto& p : load->clients) people->add(caseloadClientToJson(p));
    Poco::JSON::Array::Ptr soon = new Poco::JSON::Array;
    for (const auto& d : load->due_soon) soon->add(deadlineItemToJson(d));
    Poco::JSON::Array::Ptr late = new Poco::JSON::Array;
    for (const auto& d : load->overdue) late->add(deadlineItemToJson(d));
    Poco::JSON::Array::Ptr waiting = new Poco::JSON::Array;
    for (const auto& w : load->waiting) waiting->add(waitingComplaintToJson(w));
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("within_days", within);
    out->set("clients", people);
    out->set("due_soon", soon);
    out->set("overdue", late);
    out->set("complaints_waiting", waiting);
    out->set("damaged", stringArray(load->damaged));
    sendJson(c.resp, 200, out);
  }

  void listClients(Call& c) {
    HTTPServerResponse& resp = c.resp;
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    std::vector<std::string> damaged;
    auto clients = service::listClients(*svc, &damaged);
    if (!clients.isOk()) return sendError(resp, clients.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& c : *clients) arr->add(clientToJson(c));
    Object::Ptr out = new Object;
    out->set("clients", arr);
    out->set("damaged", stringArray(damaged));  // what could not be read, left out
    sendJson(resp, 200, out);
  }

  void addClient(Call& c) {
    HTTPServerResponse& resp = c.resp;
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(resp, obj.status());
    auto client = clientFromJson(*obj);
    if (!client.isOk()) return sendError(resp, client.status());
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto added = service::addClient(*svc, *client);
    if (!added.isOk()) return sendError(resp, added.status());
    sendJson(resp, 201, clientToJson(*added));
  }

  void showClient(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const std::string& id = c.id;
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto shown = service::showClient(*svc, id);
    if (!shown.isOk()) return sendError(resp, shown.status());
    Object::Ptr out = clientToJson(shown->client);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& c : shown->cases) arr->add(caseToJson(c));
    out->set("cases", arr);
    sendJson(resp, 200, out);
  }

  void listCases(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const Poco::URI& uri = c.uri;
    std::string client_id;
    for (const auto& [k, v] : uri.getQueryParameters()) {
      if (k == "client_id") {
        client_id = v;
      } else {
        return sendError(
            resp, core::invalidArgument(k.substr(0, 40) + ": is not a known query parameter"));
      }
    }
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto cases = service::listCases(*svc, client_id);
    if (!cases.isOk()) return sendError(resp, cases.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& c : *cases) arr->add(caseToJson(c));
    Object::Ptr out = new Object;
    out->set("cases", arr);
    sendJson(resp, 200, out);
  }

  // The body's "keep_unknown_jurisdiction": true keeps a jurisdiction Recourse has no law
  // for; anything but a JSON boolean is refused naming the member.
  static Status keepUnknownJurisdiction(const Object::Ptr& obj, bool* keep) {
    if (!obj->has("keep_unknown_jurisdiction")) return Status::ok();
    const auto& v = obj->get("keep_unknown_jurisdiction");
    if (v.type() != typeid(bool)) {
      return core::invalidArgument("must be true or false").withField("keep_unknown_jurisdiction");
    }
    *keep = v.extract<bool>();
    return Status::ok();
  }

  void addCase(Call& call) {
    HTTPServerResponse& resp = call.resp;
    auto obj = parseObject(call.body);
    if (!obj.isOk()) return sendError(resp, obj.status());
    auto c = caseFromJson(*obj);
    if (!c.isOk()) return sendError(resp, c.status());
    service::CaseOptions opt;
    Status keep = keepUnknownJurisdiction(*obj, &opt.keep_unknown_jurisdiction);
    if (!keep.isOk()) return sendError(resp, keep);
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto added = service::addCase(*svc, *c, opt);
    if (!added.isOk()) return sendError(resp, added.status());
    Object::Ptr out = caseToJson(*added);
    const std::string warning = service::unknownJurisdictionWarning(*svc, *added);
    if (!warning.empty()) out->set("warning", warning);
    sendJson(resp, 201, out);
  }

  void showCase(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const std::string& id = c.id;
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto shown = service::showCase(*svc, id);
    if (!shown.isOk()) return sendError(resp, shown.status());
    Object::Ptr out = caseToJson(shown->kase);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& i : shown->incidents) arr->add(incidentToJson(i));
    out->set("incidents", arr);
    sendJson(resp, 200, out);
  }

  static Poco::JSON::Array::Ptr stringArray(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& i : items) arr->add(i);
    return arr;
  }

  // A fact's source and whether it was confirmed, for the page to cite it.
  static void setFactMeta(Object& o, const jurisdiction::FactMeta& m) {
    o.set("citation", m.source.citation);
    o.set("source_url", m.source.url);
    o.set("verified", m.verified);
    if (m.last_verified) o.set("last_verified", m.last_verified->toString());
    if (!m.verified) o.set("caution", m.caution);
  }

  static Object::Ptr boardsJson(const service::CaseBoards& b) {
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& f : b.boards) {
      const jurisdiction::Board& board = *f.board;
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", board.id);
      o->set("name", board.name);
      o->set("jurisdiction", f.jurisdiction->name);
      o->set("kind", std::string(jurisdiction::boardKindName(board.kind)));
      o->set("region", board.region);
      o->set("address_lines", stringArray(f.address_lines));
      o->set("phone", board.phone);
      o->set("email", board.email);
      o->set("website", board.website);
      o->set("complaint_url", board.complaint_url);
      o->set("complaint_methods", stringArray(board.complaint_methods));
      o->set("complaint_requirements", board.complaint_requirements);
      setFactMeta(*o, board.meta);
      if (board.complaint_time_limit) {
        Object::Ptr t = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        t->set("summary", board.complaint_time_limit->summary);
        setFactMeta(*t, board.complaint_time_limit->meta);
        o->set("time_limit", t);
      }
      for (const auto& [key, fact] :
           {std::pair{"process", &board.process},
            std::pair{"complainant_protection", &board.complainant_protection}}) {
        if (!*fact) continue;
        Object::Ptr t = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        t->set("summary", (*fact)->summary);
        setFactMeta(*t, (*fact)->meta);
        o->set(key, t);
      }
      arr->add(o);
    }
    out->set("found", arr);
    if (!b.missing.empty()) out->set("missing", b.missing);
    if (!b.note.empty()) out->set("note", b.note);
    out->set("warnings", noticesToJson(b.warnings));
    return out;
  }

  // The case as its page shows it: the case, whose it is, the status of each of its tasks
  // and the board that licenses the therapist.
  void caseOverview(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    // Taken before the reads: a change made while they run moves the stamp, so what they
    // read is kept under the stamp from before it and is never found again.
    const service::ReadStamp stamp = service::readStamp(*svc);
    const std::string key = "overview " + c.id;
    if (auto kept = s_.answers.find(key, stamp)) return sendJsonText(c.resp, 200, *kept);
    auto o = service::caseOverview(*svc, c.id);
    if (!o.isOk()) return sendError(c.resp, o.status());
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("case", caseToJson(o->kase));
    Object::Ptr client = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    client->set("id", o->client.id);
    client->set("name", o->client.name);
    out->set("client", client);
    Poco::JSON::Array::Ptr tasks = new Poco::JSON::Array;
    for (const auto& t : o->tasks) {
      Object::Ptr to = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      to->set("id", t.id);
      to->set("status", std::string(service::taskStatusName(t.status)));
      to->set("count", static_cast<Poco::UInt64>(t.count));
      if (!t.missing.empty()) to->set("missing", t.missing);
      tasks->add(to);
    }
    out->set("tasks", tasks);
    out->set("board", boardsJson(o->boards));
    std::string text = toJsonText(out);
    sendJsonText(c.resp, 200, text);
    s_.answers.put(key, stamp, std::move(text));
  }

  // {"task": "incidents" or "evidence", "completed": true or false}: the person says they
  // have finished that part of the case (or not).
  void markTask(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"task", "completed"}, "");
    std::string task;
    if (st.isOk()) st = readString(*obj, "task", "", &task);
    if (st.isOk() && task.empty()) st = core::invalidArgument("is required").withField("task");
    if (st.isOk() && !obj.value()->has("completed")) {
      st = core::invalidArgument("is required (true or false)").withField("completed");
    }
    bool completed = false;
    if (st.isOk()) st = readBool(*obj, "completed", &completed);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    st = service::markTaskDone(*svc, c.id, task, completed);
    if (!st.isOk()) return sendError(c.resp, st);
    Object::Ptr out = new Object;
    out->set("task", task);
    out->set("completed", completed);
    sendJson(c.resp, 200, out);
  }

  // A download: the bytes with a file name that says what it is (never a person's name).
  // `unshown`: characters the document writes as [U+XXXX] (its fonts cannot show them),
  // named in the header X-Recourse-Unshown ("U+1F33B U+0007") for the page to tell the
  // person, as the command line does.
  static void sendPdf(HTTPServerResponse& resp, const std::vector<std::uint8_t>& pdf,
                      const std::string& file_name, const std::vector<char32_t>& unshown = {}) {
    resp.setStatusAndReason(HTTPResponse::HTTP_OK);
    resp.setContentType("application/pdf");
    resp.set("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
    if (!unshown.empty()) {
      std::string codes;
      // The first 64 are plenty to tell the person; the PDF shows every one.
      for (size_t i = 0; i < unshown.size() && i < 64; ++i) {
        const char32_t cp = unshown[i];
        char buf[16];
        std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
        codes += (codes.empty() ? "" : " ") + std::string(buf);
      }
      resp.set("X-Recourse-Unshown", codes);
    }
    resp.setContentLength(static_cast<std::streamsize>(pdf.size()));
    resp.send().write(reinterpret_cast<const char*>(pdf.data()),
                      static_cast<std::streamsize>(pdf.size()));
  }

  void timelinePdf(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto pdf = service::timelinePdf(*svc, c.id);
    if (!pdf.isOk()) return sendError(c.resp, pdf.status());
    sendPdf(c.resp, pdf->pdf, "timeline.pdf", pdf->unshown);
  }

  // The removal counts, for the browser to say what went.
  static Object::Ptr removedJson(const service::DeletionScope& d) {
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("deleted", d.name);
    out->set("cases", static_cast<Poco::UInt64>(d.cases));
    out->set("incidents", static_cast<Poco::UInt64>(d.incidents));
    out->set("evidence", static_cast<Poco::UInt64>(d.evidence));
    out->set("requests", static_cast<Poco::UInt64>(d.requests));
    return out;
  }

  void editClient(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const std::string& id = c.id;
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(resp, obj.status());
    Status st = checkKnownFields(
        *obj, {"name", "email", "phone", "address", "notes", "date_of_birth", "version"}, "");
    service::ClientEdit edit;
    edit.client_id = id;
    if (st.isOk()) st = readVersion(*obj, &edit.version);
    for (const auto& [key, field] :
         std::initializer_list<std::pair<const char*, std::optional<std::string>*>>{
             {"name", &edit.name},
             {"email", &edit.email},
             {"phone", &edit.phone},
             {"address", &edit.address},
             {"notes", &edit.notes},
             {"date_of_birth", &edit.date_of_birth}}) {
      if (st.isOk()) st = readCorrection(*obj, key, "", field);
    }
    if (!st.isOk()) return sendError(resp, st);
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto saved = service::editClient(*svc, edit);
    if (!saved.isOk()) return sendError(resp, saved.status());
    sendJson(resp, 200, clientToJson(*saved));
  }

  void editCase(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const std::string& id = c.id;
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(resp, obj.status());
    service::CaseEdit edit;
    edit.case_id = id;
    Status st = checkKnownFields(*obj,
                                 {"title", "treatment_start", "treatment_end", "notes", "provider",
                                  "keep_unknown_jurisdiction", "version"},
                                 "");
    if (st.isOk()) st = keepUnknownJurisdiction(*obj, &edit.keep_unknown_jurisdiction);
    if (st.isOk()) st = readVersion(*obj, &edit.version);
    for (const auto& [key, field] :
         std::initializer_list<std::pair<const char*, std::optional<std::string>*>>{
             {"title", &edit.title},
             {"notes", &edit.notes},
             {"treatment_start", &edit.treatment_start},
             {"treatment_end", &edit.treatment_end}}) {
      if (st.isOk()) st = readCorrection(*obj, key, "", field);
    }
    if (st.isOk() && obj.value()->has("provider")) {
      if ((*obj)->get("provider").type() != typeid(Object::Ptr)) {
        st = core::invalidArgument("must be an object").withField("provider");
      } else {
        Object::Ptr p = (*obj)->getObject("provider");
        st = checkKnownFields(p,
                              {"name", "credentials", "license_type", "license_number",
                               "jurisdiction", "practice", "address", "email", "phone"},
                              "provider.");
        for (const auto& [key, field] :
             std::initializer_list<std::pair<const char*, std::optional<std::string>*>>{
                 {"name", &edit.provider_name},
                 {"credentials", &edit.provider_credentials},
                 {"license_type", &edit.license_type},
                 {"license_number", &edit.license_number},
                 {"jurisdiction", &edit.jurisdiction},
                 {"practice", &edit.practice},
                 {"address", &edit.provider_address},
                 {"email", &edit.provider_email},
                 {"phone", &edit.provider_phone}}) {
          if (st.isOk()) st = readCorrection(p, key, "provider.", field);
        }
      }
    }
    if (!st.isOk()) return sendError(resp, st);
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto saved = service::editCase(*svc, edit);
    if (!saved.isOk()) return sendError(resp, saved.status());
    Object::Ptr out = caseToJson(*saved);
    const std::string warning = service::unknownJurisdictionWarning(*svc, *saved);
    if (!warning.empty() && edit.jurisdiction) out->set("warning", warning);
    sendJson(resp, 200, out);
  }

  void deleteClient(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const std::string& id = c.id;
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto removed = service::deleteClient(*svc, id);
    if (!removed.isOk()) return sendError(resp, removed.status());
    sendJson(resp, 200, removedJson(*removed));
  }

  void deleteCase(Call& c) {
    HTTPServerResponse& resp = c.resp;
    const std::string& id = c.id;
    service::Services* svc = services(resp);
    if (svc == nullptr) return;
    auto removed = service::deleteCase(*svc, id);
    if (!removed.isOk()) return sendError(resp, removed.status());
    sendJson(resp, 200, removedJson(*removed));
  }

  // --- incidents -------------------------------------------------------------------------
  // An incident as the page shows it: the stored fields, its date in words and its kinds
  // of harm in their plain words.
  static Object::Ptr incidentView(service::Services& svc, const core::Incident& i) {
    Object::Ptr o = incidentToJson(i);
    o->set("when", service::describeWhen(i));
    Poco::JSON::Array::Ptr labels = new Poco::JSON::Array;
    for (const auto& l : service::harmLabels(svc.catalog, i.harm_kinds)) labels->add(l);
    o->set("harm_labels", labels);
    return o;
  }

  void listIncidents(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto list = service::listIncidents(*svc, c.id);
    if (!list.isOk()) return sendError(c.resp, list.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& i : *list) arr->add(incidentView(*svc, i));
    Object::Ptr out = new Object;
    out->set("incidents", arr);
    sendJson(c.resp, 200, out);
  }

  void addIncident(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    auto in = newIncidentFromJson(*obj, c.id);
    if (!in.isOk()) return sendError(c.resp, in.status());
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto added = service::recordIncident(*svc, *in);
    if (!added.isOk()) return sendError(c.resp, added.status());
    sendJson(c.resp, 201, incidentView(*svc, *added));
  }

  void showIncident(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto found = service::getIncident(*svc, c.id);
    if (!found.isOk()) return sendError(c.resp, found.status());
    sendJson(c.resp, 200, incidentView(*svc, *found));
  }

  void editIncident(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    auto edit = incidentEditFromJson(*obj, c.id);
    if (!edit.isOk()) return sendError(c.resp, edit.status());
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto saved = service::editIncident(*svc, *edit);
    if (!saved.isOk()) return sendError(c.resp, saved.status());
    sendJson(c.resp, 200, incidentView(*svc, *saved));
  }

  void deleteIncident(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    Status st = service::deleteIncident(*svc, c.id);
    if (!st.isOk()) return sendError(c.resp, st);
    Object::Ptr out = new Object;
    out->set("deleted", c.id);
    sendJson(c.resp, 200, out);
  }

  // The kinds of harm in their plain words, each with what it means and examples, for a
  // person to recognise what happened to them.
  void listHarmKinds(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    const auto& taxonomy = svc->catalog.forms().taxonomy;
    if (taxonomy) {
      for (const auto& h : taxonomy->harms) {
        Object::Ptr k = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        k->set("id", h.id);
        k->set("label", h.label);
        k->set("description", h.description);
        k->set("examples", stringArray(h.examples));
        arr->add(k);
      }
    }
    Object::Ptr out = new Object;
    out->set("harm_kinds", arr);
    sendJson(c.resp, 200, out);
  }

  // --- evidence --------------------------------------------------------------------------
  void listEvidence(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto all = service::listEvidence(*svc, c.id);
    if (!all.isOk()) return sendError(c.resp, all.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& e : *all) arr->add(evidenceToJson(e));
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("evidence", arr);
    out->set("max_bytes", static_cast<Poco::Int64>(s_.config.evidence_max_bytes));
    out->set("max_size", service::describeSize(s_.config.evidence_max_bytes));
    sendJson(c.resp, 200, out);
  }

  // The file is the body, streamed into the sealed store as it arrives; what it is comes in
  // the query: name (required), description, date (YYYY-MM-DD), incident_id.
  void uploadEvidence(Call& c) {
    service::UploadEvidence in;
    in.case_id = c.id;
    in.max_bytes = s_.config.evidence_max_bytes;
    Status st;
    for (const auto& [k, v] : c.uri.getQueryParameters()) {
      if (k == "name") {
        in.original_name = v;
      } else if (k == "description") {
        in.description = v;
      } else if (k == "incident_id") {
        in.incident_id = v;
      } else if (k == "date") {
        if (v.empty()) continue;
        auto d = core::Date::parse(v, "date");
        if (!d.isOk()) {
          st = core::invalidArgument(d.status().message()).withField("date");
        } else {
          in.date = *d;
        }
      } else {
        st = core::invalidArgument(k.substr(0, 40) + ": is not a known query parameter");
      }
    }
    if (st.isOk() && in.original_name.empty()) {
      st = core::invalidArgument("must be the file's name").withField("name");
    }
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    in.source = bodySource(c.req, "the upload was cut short; nothing was added");
    auto added = service::uploadEvidence(*svc, in);
    if (!added.isOk()) return sendError(c.resp, added.status());
    sendJson(c.resp, 201, evidenceToJson(*added));
  }

  void showEvidence(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto e = service::getEvidence(*svc, c.id);
    if (!e.isOk()) return sendError(c.resp, e.status());
    sendJson(c.resp, 200, evidenceToJson(*e));
  }

  // A request's body as a workflow's source of bytes, read as it arrives: up to `cap` bytes
  // a call, 0 at its end. A body that ends before its Content-Length says, or a connection
  // that fails, is an IOError about "file" saying `cut_short`.
  std::function<core::StatusOr<size_t>(std::uint8_t*, size_t)> bodySource(
      HTTPServerRequest& req, std::string cut_short) const {
    std::istream* body = &req.stream();
    const long long expected = req.hasContentLength() ? req.getContentLength64() : -1;
    const auto read_timeout = s_.config.read_timeout;
    return [body, expected, got = 0LL, cut_short = std::move(cut_short),
            pace = BodyPace(expected, s_.config.body_grace), read_timeout,
            last = std::chrono::steady_clock::now()](std::uint8_t* buf,
                                                     size_t cap) mutable -> core::StatusOr<size_t> {
      size_t n = 0;
      try {
        // What one read brings, and the pace looked at after each, until cap is full.
        while (n < cap) {
          const size_t got_now = readSome(*body, reinterpret_cast<char*>(buf) + n, cap - n);
          if (got_now == 0) break;
          n += got_now;
          last = std::chrono::steady_clock::now();
          if (pace.late(got + static_cast<long long>(n))) {
            return BodyPace::tooSlow().withField("file");
          }
        }
      } catch (const Poco::TimeoutException&) {
        return BodyPace::tooSlow().withField("file");
      } catch (const Poco::Exception&) {
        return core::ioError(cut_short).withField("file");
      }
      got += static_cast<long long>(n);
      const auto now = std::chrono::steady_clock::now();
      // Short of its length, after a read that waited its whole read timeout (the stream
      // says only that it ended): the caller stopped sending, which is a timeout, not a
      // body cut short by a closed connection.
      if (n == 0 && expected >= 0 && got < expected &&
          (pace.late(got) || now - last >= read_timeout - std::chrono::milliseconds(50))) {
        return BodyPace::tooSlow().withField("file");
      }
      if (n == 0 && expected >= 0 && got != expected) {
        return core::ioError(cut_short).withField("file");
      }
      return n;
    };
  }

  // A file name for Content-Disposition: an ASCII stand-in, and the real name encoded
  // (RFC 6266, RFC 5987).
  static std::string dispositionFor(const std::string& name) {
    std::string ascii;
    std::string encoded;
    for (unsigned char ch : name) {
      const bool plain = std::isalnum(ch) != 0 || ch == '.' || ch == '-' || ch == '_';
      ascii += plain || ch == ' ' ? static_cast<char>(ch) : '_';
      if (plain) {
        encoded += static_cast<char>(ch);
      } else {
        static const char* kHex = "0123456789ABCDEF";
        encoded += '%';
        encoded += kHex[ch >> 4];
        encoded += kHex[ch & 15];
      }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  // The original bytes, checked whole before the first one is sent.
  void downloadEvidence(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto e = service::getEvidence(*svc, c.id);
    if (!e.isOk()) return sendError(c.resp, e.status());
    std::ostream* out = nullptr;
    auto sent = service::sendEvidence(*svc, c.id, [&](const std::uint8_t* p, size_t n) {
      if (out == nullptr) {
        c.resp.setStatusAndReason(HTTPResponse::HTTP_OK);
        c.resp.setContentType(e->media_type.empty() ? "application/octet-stream" : e->media_type);
        c.resp.set("Content-Disposition", dispositionFor(e->original_name));
        c.resp.setContentLength64(e->size_bytes);
        out = &c.resp.send();
      }
      out->write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
      return out->good() ? Status::ok() : core::ioError("the download was cut short");
    });
    if (!sent.isOk() && out == nullptr) return sendError(c.resp, sent.status());
  }

  void checkEvidence(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto checked = service::checkCaseEvidence(*svc, c.id);
    if (!checked.isOk()) return sendError(c.resp, checked.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    size_t problems = 0;
    for (const auto& ch : *checked) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", ch.item.id);
      o->set("intact", ch.problem.empty());
      if (!ch.problem.empty()) {
        o->set("problem", ch.problem);
        ++problems;
      }
      arr->add(o);
    }
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("checked", arr);
    out->set("problems", static_cast<Poco::UInt64>(problems));
    sendJson(c.resp, 200, out);
  }

  // A correction of what is said about a file: {"description", "date", "incident_id"}, each
  // optional ("" or null clears it). The file itself never changes.
  void editEvidence(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"description", "date", "incident_id", "version"}, "");
    service::EvidenceEdit edit;
    edit.evidence_id = c.id;
    if (st.isOk()) st = readVersion(*obj, &edit.version);
    if (st.isOk()) st = readCorrection(*obj, "description", "", &edit.description);
    if (st.isOk()) st = readCorrection(*obj, "date", "", &edit.date);
    if (st.isOk()) st = readCorrection(*obj, "incident_id", "", &edit.incident_id);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto saved = service::editEvidence(*svc, edit);
    if (!saved.isOk()) return sendError(c.resp, saved.status());
    sendJson(c.resp, 200, evidenceToJson(*saved));
  }

  void removeEvidence(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto removed = service::removeEvidence(*svc, c.id);
    if (!removed.isOk()) return sendError(c.resp, removed.status());
    Object::Ptr out = new Object;
    out->set("deleted", c.id);
    sendJson(c.resp, 200, out);
  }

  // --- records requests ------------------------------------------------------------------
  // A request with its interview: the answers the letter would use, each step shown or not
  // and what it still needs.
  static Object::Ptr requestView(const service::RequestInterview& in) {
    Object::Ptr o = trackedRequestToJson(in.tracked, /*with_commands=*/false);
    Object::Ptr iv = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    setInterview(in.form->id, in.answers, in.steps, in.missing, iv);
    o->set("interview", iv);
    return o;
  }

  // An interview's "form", "answers", "steps" (each `id`, `visible`, `missing`, `shown`)
  // and "missing" in all.
  static void setInterview(const std::string& form, const Object::Ptr& answers,
                           const std::vector<service::StepState>& steps, size_t missing,
                           Object::Ptr out) {
    out->set("form", form);
    out->set("answers", answers);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& st : steps) {
      Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("id", st.step->id);
      j->set("visible", st.visible);
      j->set("missing", stringArray(st.missing));
      j->set("shown", stringArray(st.shown));
      arr->add(j);
    }
    out->set("steps", arr);
    out->set("missing", static_cast<Poco::UInt64>(missing));
  }

  void listRequests(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    std::vector<std::string> damaged;
    auto all = service::listRequests(*svc, c.id, "", &damaged);
    if (!all.isOk()) return sendError(c.resp, all.status());
    auto rights = service::requestRights(*svc, c.id);
    if (!rights.isOk()) return sendError(c.resp, rights.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& t : *all) arr->add(trackedRequestToJson(t, false));
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("requests", arr);
    out->set("damaged", stringArray(damaged));  // what could not be read, left out
    out->set("rights", rightsToJson(*rights));
    sendJson(c.resp, 200, out);
  }

  // What can be asked for about the case, each kind with the laws that give it there.
  static Object::Ptr rightsToJson(const service::RequestRights& rights) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("jurisdiction", rights.jurisdiction);
    o->set("jurisdiction_name", rights.jurisdiction_name);
    Poco::JSON::Array::Ptr kinds = new Poco::JSON::Array;
    for (const auto& r : rights.rights) {
      Object::Ptr k = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      k->set("kind", std::string(core::requestKindName(r.kind)));
      Poco::JSON::Array::Ptr laws = new Poco::JSON::Array;
      for (const auto& l : r.laws) {
        Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("jurisdiction", l.jurisdiction);
        j->set("jurisdiction_name", l.jurisdiction_name);
        j->set("law", l.law_name);
        j->set("summary", l.summary);
        j->set("citation", l.citation);
        j->set("verified", l.verified);
        if (!l.verified && !l.caution.empty()) j->set("caution", l.caution);
        laws->add(j);
      }
      k->set("laws", laws);
      kinds->add(k);
    }
    o->set("kinds", kinds);
    Poco::JSON::Array::Ptr notes = new Poco::JSON::Array;
    for (const auto& n : rights.notes) {
      Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("topic", n.topic);
      j->set("jurisdiction", n.law.jurisdiction);
      j->set("jurisdiction_name", n.law.jurisdiction_name);
      j->set("summary", n.law.summary);
      j->set("citation", n.law.citation);
      j->set("verified", n.law.verified);
      if (!n.law.verified && !n.law.caution.empty()) j->set("caution", n.law.caution);
      if (n.topic == "third_party_consent") {
        Poco::JSON::Array::Ptr elements = new Poco::JSON::Array;
        for (const auto& e : n.elements) elements->add(e);
        j->set("elements", elements);
      }
      notes->add(j);
    }
    o->set("notes", notes);
    return o;
  }

  // A new request, not yet sent: what it asks for ("kind": access, the default, amendment or
  // accounting), the custodian (default: the practice, else the therapist), for a copy where
  // it goes ("send_to": me, the default, or third_party) and the answers a person starts from
  // (service::defaultRequestAnswers).
  void addRequest(Call& c) {
    auto obj = parseObject(c.body.empty() ? "{}" : c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"custodian_name", "kind", "send_to"}, "");
    service::NewRequest in;
    in.case_id = c.id;
    if (st.isOk() && (*obj)->has("custodian_name")) {
      std::string name;
      st = readString(*obj, "custodian_name", "", &name);
      if (!name.empty()) in.custodian_name = name;
    }
    if (st.isOk()) st = readString(*obj, "kind", "", &in.kind);
    // "send_to": "third_party" starts a copy sent straight to someone the person chooses (a
    // new therapist): the interview then asks who.
    std::string send_to;
    if (st.isOk()) st = readString(*obj, "send_to", "", &send_to);
    const core::RequestKind kind =
        core::parseRequestKind(in.kind).value_or(core::RequestKind::kAccess);
    if (st.isOk() && !send_to.empty() &&
        (kind != core::RequestKind::kAccess || (send_to != "me" && send_to != "third_party"))) {
      st = core::invalidArgument(kind != core::RequestKind::kAccess
                                     ? "is only for a copy of the records (kind access)"
                                     : "must be me or third_party")
               .withField("send_to");
    }
    if (!st.isOk()) return sendError(c.resp, st);
    in.answers = service::defaultRequestAnswers(kind);
    if (!send_to.empty()) in.answers->set("send_to", send_to);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto added = service::addRequest(*svc, in);
    if (!added.isOk()) return sendError(c.resp, added.status());
    auto view = service::requestInterview(*svc, added->request.id);
    if (!view.isOk()) return sendError(c.resp, view.status());
    sendJson(c.resp, 201, requestView(*view));
  }

  void showRequest(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto view = service::requestInterview(*svc, c.id);
    if (!view.isOk()) return sendError(c.resp, view.status());
    sendJson(c.resp, 200, requestView(*view));
  }

  // A correction of a request: who holds the records, their reference, the day it was
  // sent. The same rules as `request edit`.
  void editRequest(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj,
                                 {"custodian_name", "custodian_address", "custodian_email",
                                  "reference", "sent_on", "version"},
                                 "");
    service::RequestEdit edit;
    edit.request_id = c.id;
    if (st.isOk()) st = readVersion(*obj, &edit.version);
    for (const auto& [key, field] :
         std::initializer_list<std::pair<const char*, std::optional<std::string>*>>{
             {"custodian_name", &edit.custodian_name},
             {"custodian_address", &edit.custodian_address},
             {"custodian_email", &edit.custodian_email},
             {"reference", &edit.reference}}) {
      if (st.isOk()) st = readCorrection(*obj, key, "", field);
    }
    if (st.isOk()) st = readDate(*obj, "sent_on", &edit.sent_on);
    if (st.isOk() && (*obj)->has("sent_on") && !edit.sent_on) {
      st = core::invalidArgument("cannot be emptied: correct the day instead").withField("sent_on");
    }
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto saved = service::editRequest(*svc, edit);
    if (!saved.isOk()) return sendError(c.resp, saved.status());
    sendJson(c.resp, 200, trackedRequestToJson(*saved, false));
  }

  void deleteRequest(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    Status st = service::deleteRequest(*svc, c.id);
    if (!st.isOk()) return sendError(c.resp, st);
    Object::Ptr out = new Object;
    out->set("deleted", c.id);
    sendJson(c.resp, 200, out);
  }

  // A correction of one recorded event: {"on", "via", "details", "reply_within_days"}, each
  // optional; the request with its interview as it stands after.
  void editRequestEvent(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st =
        checkKnownFields(*obj, {"on", "via", "details", "reply_within_days", "version"}, "");
    service::EventEdit edit;
    edit.event_id = c.id;
    if (st.isOk()) st = readVersion(*obj, &edit.version);
    if (st.isOk()) st = readDate(*obj, "on", &edit.on);
    if (st.isOk() && (*obj)->has("on") && !edit.on) {
      st = core::invalidArgument("cannot be emptied: every event has a day").withField("on");
    }
    if (st.isOk()) st = readCorrection(*obj, "via", "", &edit.via);
    if (st.isOk()) st = readCorrection(*obj, "details", "", &edit.details);
    if (st.isOk() && (*obj)->has("reply_within_days")) {
      const auto& v = (*obj)->get("reply_within_days");
      if (!v.isInteger()) {
        st = core::invalidArgument("must be a number of days").withField("reply_within_days");
      } else {
        edit.reply_within_days = v.convert<int>();
      }
    }
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto saved = service::editEvent(*svc, edit);
    if (!saved.isOk()) return sendError(c.resp, saved.status());
    auto view = service::requestInterview(*svc, saved->request.id);
    if (!view.isOk()) return sendError(c.resp, view.status());
    sendJson(c.resp, 200, requestView(*view));
  }

  void deleteRequestEvent(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto left = service::deleteEvent(*svc, c.id);
    if (!left.isOk()) return sendError(c.resp, left.status());
    auto view = service::requestInterview(*svc, left->request.id);
    if (!view.isOk()) return sendError(c.resp, view.status());
    sendJson(c.resp, 200, requestView(*view));
  }

  // A page of answers as a body gives it: each of `ids` ("form", "step") a string that is
  // required, and "answers" an object; no other member.
  static Status readPage(const Object::Ptr& obj,
                         std::initializer_list<std::pair<const char*, std::string*>> ids) {
    std::set<std::string> known{"answers"};
    for (const auto& [name, out] : ids) known.emplace(name);
    Status st = checkKnownFields(obj, known, "");
    for (const auto& [name, out] : ids) {
      if (st.isOk()) st = readString(obj, name, "", out);
      if (st.isOk() && out->empty()) st = core::invalidArgument("is required").withField(name);
    }
    if (st.isOk() && (!obj->has("answers") || obj->get("answers").type() != typeid(Object::Ptr))) {
      st = core::invalidArgument("must be an object").withField("answers");
    }
    return st;
  }

  // {"step": "you", "answers": {...}}: one page of the interview, saved.
  void saveRequestAnswers(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    std::string step;
    Status st = readPage(*obj, {{"step", &step}});
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto saved = service::saveRequestStep(*svc, c.id, step, (*obj)->getObject("answers"));
    if (!saved.isOk()) return sendError(c.resp, saved.status());
    sendJson(c.resp, 200, requestView(*saved));
  }

  // A later letter's own questions (?form=ID): {"form", "answers", "steps", "missing"}, as
  // a request's interview is given.
  static Object::Ptr letterView(const service::LetterInterview& in) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("request_id", in.tracked.request.id);
    setInterview(in.form->id, in.answers, in.steps, in.missing, o);
    return o;
  }

  void showLetterAnswers(Call& c) {
    std::string form;
    for (const auto& [k, v] : c.uri.getQueryParameters()) {
      if (k != "form") {
        return sendError(
            c.resp, core::invalidArgument(k.substr(0, 40) + ": is not a known query parameter"));
      }
      form = v;
    }
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto view = service::letterInterview(*svc, c.id, form);
    if (!view.isOk()) return sendError(c.resp, view.status());
    sendJson(c.resp, 200, letterView(*view));
  }

  // {"form": ID, "step": ID, "answers": {...}}: one page of a later letter's questions, saved.
  void saveLetterAnswers(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    std::string form;
    std::string step;
    Status st = readPage(*obj, {{"form", &form}, {"step", &step}});
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto saved = service::saveLetterStep(*svc, c.id, form, step, (*obj)->getObject("answers"));
    if (!saved.isOk()) return sendError(c.resp, saved.status());
    sendJson(c.resp, 200, letterView(*saved));
  }

  // The letter the request calls for now (or ?form=ID), as a PDF download.
  void requestLetter(Call& c) {
    service::LetterRequest in;
    in.request_id = c.id;
    for (const auto& [k, v] : c.uri.getQueryParameters()) {
      if (k == "form") {
        in.form_id = v;
      } else {
        return sendError(
            c.resp, core::invalidArgument(k.substr(0, 40) + ": is not a known query parameter"));
      }
    }
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto letter = service::makeLetter(*svc, in);
    if (!letter.isOk()) return sendError(c.resp, letter.status());
    sendPdf(c.resp, letter->pdf, letter->form_id + ".pdf", letter->unshown);
  }

  // {"type": "sent", "on": "YYYY-MM-DD", "via": "email", "details": "..."}
  void recordRequestEvent(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"type", "on", "via", "details", "reply_within_days"}, "");
    std::string type;
    service::NewEvent e;
    e.request_id = c.id;
    if (st.isOk()) st = readString(*obj, "type", "", &type);
    if (st.isOk()) st = readString(*obj, "via", "", &e.via);
    if (st.isOk()) st = readString(*obj, "details", "", &e.details);
    if (st.isOk()) {
      auto t = core::parseRequestEvent(type);
      if (!t) {
        std::string types;
        for (const auto& n : core::requestEventNames()) types += (types.empty() ? "" : ", ") + n;
        st = core::invalidArgument("must be one of " + types).withField("type");
      } else {
        e.type = *t;
      }
    }
    std::optional<core::Date> on;
    if (st.isOk()) st = readDate(*obj, "on", &on);
    if (st.isOk() && !on) {
      st = core::invalidArgument("is required (YYYY-MM-DD)").withField("on").withReason("required");
    }
    if (st.isOk()) e.on = *on;
    if (st.isOk() && (*obj)->has("reply_within_days")) {
      const auto& v = (*obj)->get("reply_within_days");
      if (!v.isInteger()) {
        st = core::invalidArgument("must be a number of days").withField("reply_within_days");
      } else {
        e.reply_within_days = v.convert<int>();
      }
    }
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto recorded = service::recordEvent(*svc, e);
    if (!recorded.isOk()) return sendError(c.resp, recorded.status());
    auto view = service::requestInterview(*svc, c.id);
    if (!view.isOk()) return sendError(c.resp, view.status());
    sendJson(c.resp, 200, requestView(*view));
  }

  // A form's interview, in the person's language: steps, questions, help, choices and when
  // each is shown, for the browser to draw one page at a time.
  static Object::Ptr conditionJson(const forms::Condition& c) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    switch (c.op) {
      case forms::Condition::Op::kEquals:
        o->set("field", c.field);
        o->set("equals", c.values.empty() ? "" : c.values[0]);
        break;
      case forms::Condition::Op::kIn:
        o->set("field", c.field);
        o->set("in", stringArray(c.values));
        break;
      case forms::Condition::Op::kIsSet:
        o->set("field", c.field);
        o->set("is_set", c.is_set);
        break;
      case forms::Condition::Op::kAll:
      case forms::Condition::Op::kAny:
      case forms::Condition::Op::kNot: {
        Poco::JSON::Array::Ptr kids = new Poco::JSON::Array;
        for (const auto& k : c.children) kids->add(conditionJson(k));
        o->set(c.op == forms::Condition::Op::kAll   ? "all"
               : c.op == forms::Condition::Op::kAny ? "any"
                                                    : "not",
               kids);
        break;
      }
    }
    return o;
  }

  void showForm(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    const forms::Form* form = svc->catalog.forms().find(c.id);
    if (form == nullptr) {
      return sendError(
          c.resp, core::notFound("no form \"" + c.id.substr(0, 40) + "\"").withField("form_id"));
    }
    const std::string lang = "en";
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("id", form->id);
    out->set("title", form->title.get(lang));
    out->set("description", form->description.empty() ? "" : form->description.get(lang));
    Poco::JSON::Array::Ptr steps = new Poco::JSON::Array;
    for (const auto& st : form->steps) {
      Object::Ptr so = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      so->set("id", st.id);
      so->set("title", st.title.empty() ? "" : st.title.get(lang));
      so->set("intro", st.intro.empty() ? "" : st.intro.get(lang));
      if (st.show_if) so->set("show_if", conditionJson(*st.show_if));
      Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
      for (const auto& f : st.fields) {
        Object::Ptr fo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        fo->set("id", f.id);
        fo->set("type", std::string(forms::fieldTypeName(f.type)));
        fo->set("required", f.required);
        fo->set("label", f.label.empty() ? "" : f.label.get(lang));
        fo->set("help", f.help.empty() ? "" : f.help.get(lang));
        Poco::JSON::Array::Ptr options = new Poco::JSON::Array;
        for (const auto& opt : f.options) {
          Object::Ptr oo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
          oo->set("value", opt.value);
          oo->set("label", opt.label.empty() ? opt.value : opt.label.get(lang));
          options->add(oo);
        }
        fo->set("options", options);
        if (f.show_if) fo->set("show_if", conditionJson(*f.show_if));
        if (f.required_if) fo->set("required_if", conditionJson(*f.required_if));
        if (!f.parts.empty()) {
          Object::Ptr parts = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
          for (const auto& [name, rule] : f.parts) {
            Object::Ptr po = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            po->set("required", rule.required);
            if (rule.required_if) po->set("required_if", conditionJson(*rule.required_if));
            po->set("help", rule.help.empty() ? "" : rule.help.get(lang));
            parts->set(name, po);
          }
          fo->set("parts", parts);
        }
        if (f.max_length) fo->set("max_length", static_cast<Poco::UInt64>(*f.max_length));
        fields->add(fo);
      }
      so->set("fields", fields);
      steps->add(so);
    }
    out->set("steps", steps);
    sendJson(c.resp, 200, out);
  }

  // --- the complaint ---------------------------------------------------------------------
  static Object::Ptr complaintJson(const service::ComplaintReview& r) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("case_id", r.case_id);
    o->set("form", r.form_id);
    o->set("board", r.board_name);
    if (!r.board_note.empty()) o->set("board_note", r.board_note);
    o->set("answers", r.answers);
    o->set("saved", r.saved);
    o->set("sent_on",
           r.filed_on ? Poco::Dynamic::Var(r.filed_on->toString()) : Poco::Dynamic::Var());
    Poco::JSON::Array::Ptr steps = new Poco::JSON::Array;
    for (const auto& st : r.steps) {
      Object::Ptr so = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      so->set("id", st.id);
      so->set("title", st.title);
      Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
      for (const auto& f : st.fields) {
        Object::Ptr fo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        fo->set("id", f.id);
        fo->set("label", f.label);
        fo->set("value", f.value);
        fo->set("required", f.required);
        fields->add(fo);
      }
      so->set("fields", fields);
      steps->add(so);
    }
    o->set("steps", steps);
    o->set("missing", static_cast<Poco::UInt64>(r.missing));
    o->set("incidents", static_cast<Poco::UInt64>(r.incidents));
    o->set("exhibits", static_cast<Poco::UInt64>(r.exhibits));
    o->set("warnings", noticesToJson(r.warnings));
    return o;
  }

  // {"on": "YYYY-MM-DD"}: the day the person sent the complaint to the board; {"on": null}
  // when it was not sent after all.
  void complaintSent(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"on"}, "");
    if (st.isOk() && !obj.value()->has("on")) {
      st = core::invalidArgument("is required: the day it was sent, or null").withField("on");
    }
    std::optional<core::Date> on;
    if (st.isOk()) st = readDate(*obj, "on", &on);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto r = service::recordComplaintSent(*svc, c.id, on);
    if (!r.isOk()) {
      const Status& e = r.status();
      return sendError(c.resp, e.field() == "filed_on" ? e.withField("on") : e);
    }
    sendJson(c.resp, 200, complaintJson(*r));
  }

  // --- after filing ------------------------------------------------------------------------
  static Object::Ptr noticeJson(const core::Notice& n) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("key", n.key);
    Object::Ptr args = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [k, v] : n.args) args->set(k, v);
    o->set("args", args);
    o->set("text", n.text);
    return o;
  }

  static Object::Ptr trackedComplaintJson(const service::TrackedComplaint& t) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("case_id", t.case_id);
    o->set("complaint_id", t.complaint_id);
    o->set("board_id", t.board_id);
    o->set("board", t.board_name);
    o->set("status", std::string(jurisdiction::complaintStatusName(t.state.status)));
    o->set("filed_on",
           t.filed_on ? Poco::Dynamic::Var(t.filed_on->toString()) : Poco::Dynamic::Var());
    o->set("filed_via", t.filed_via);
    o->set("board_reference", t.board_reference);
    o->set("outcome",
           t.state.outcome
               ? Poco::Dynamic::Var(std::string(core::complaintOutcomeName(*t.state.outcome)))
               : Poco::Dynamic::Var());
    o->set("version", static_cast<Poco::Int64>(t.version));
    Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
    for (const auto& e : t.events) {
      Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("id", e.id);
      j->set("type", std::string(core::complaintEventName(e.type)));
      j->set("on", e.on.toString());
      j->set("reply_by",
             e.reply_by ? Poco::Dynamic::Var(e.reply_by->toString()) : Poco::Dynamic::Var());
      j->set("outcome",
             e.outcome ? Poco::Dynamic::Var(std::string(core::complaintOutcomeName(*e.outcome)))
                       : Poco::Dynamic::Var());
      j->set("details", e.details);
      j->set("version", static_cast<Poco::Int64>(e.version));
      events->add(j);
    }
    o->set("events", events);
    Poco::JSON::Array::Ptr next = new Poco::JSON::Array;
    for (const auto& step : t.state.next) {
      Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("key", step.key);
      j->set("what", noticeJson(step.what));
      j->set("by", step.by ? Poco::Dynamic::Var(step.by->toString()) : Poco::Dynamic::Var());
      j->set("deadline", step.deadline);
      j->set("citation", step.citation);
      j->set("verified", step.verified);
      j->set("caution", step.caution);
      j->set("form", step.form);
      next->add(j);
    }
    o->set("next", next);
    Poco::JSON::Array::Ptr facts = new Poco::JSON::Array;
    for (const auto& f : t.state.board_facts) {
      Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("key", f.key);
      j->set("text", f.text);
      j->set("citation", f.citation);
      j->set("verified", f.verified);
      j->set("caution", f.caution);
      facts->add(j);
    }
    o->set("board_facts", facts);
    o->set("event_types", stringArray(core::complaintEventNames()));
    o->set("outcomes", stringArray(core::complaintOutcomeNames()));
    o->set("channels", stringArray(core::complaintChannels()));
    return o;
  }

  // Where the complaint stands after filing, what happened and what can come next.
  void complaintTracking(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto t = service::trackComplaint(*svc, c.id);
    if (!t.isOk()) return sendError(c.resp, t.status());
    sendJson(c.resp, 200, trackedComplaintJson(*t));
  }

  void caseRoutes(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto r = service::otherRoutes(*svc, c.id);
    if (!r.isOk()) return sendError(c.resp, r.status());
    sendJson(c.resp, 200, otherRoutesToJson(*r));
  }

  // A letter to the therapist, POSTed with its answers (the form's own fields only; the
  // case fills the person's name and address when they are left out). Nothing is stored.
  void therapistLetter(Call& c, const std::string& form_id) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    const forms::Form* form = svc->catalog.forms().find(form_id);
    if (form == nullptr)
      return sendError(c.resp, core::failedPrecondition(form_id + " is missing"));
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    std::set<std::string> fields;
    for (const auto& step : form->steps) {
      for (const auto& f : step.fields) fields.insert(f.id);
    }
    Status st = checkKnownFields(*obj, fields, "");
    if (!st.isOk()) return sendError(c.resp, st);
    service::LetterRequest in;
    in.form_id = form_id;
    in.case_id = c.id;
    in.answers = *obj;
    auto letter = service::makeLetter(*svc, in);
    if (!letter.isOk()) return sendError(c.resp, letter.status());
    sendPdf(c.resp, letter->pdf, form_id + ".pdf", letter->unshown);
  }
  void endingLetter(Call& c) { therapistLetter(c, "ending-request"); }
  void concernLetter(Call& c) { therapistLetter(c, "concern-letter"); }

  // The letter asking the board where the complaint stands (forms/complaint-status-inquiry);
  // POSTed with {"anything_to_add": "..."}, the person's own words go in as they wrote them.
  void complaintStatusLetter(Call& c) {
    service::LetterRequest in;
    in.form_id = "complaint-status-inquiry";
    in.case_id = c.id;
    if (c.req.getMethod() == "POST") {
      auto obj = parseObject(c.body);
      if (!obj.isOk()) return sendError(c.resp, obj.status());
      Status st = checkKnownFields(*obj, {"anything_to_add"}, "");
      std::string words;
      if (st.isOk()) st = readString(*obj, "anything_to_add", "", &words);
      if (!st.isOk()) return sendError(c.resp, st);
      in.answers = new Object;
      if (!words.empty()) in.answers->set("anything_to_add", words);
    }
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto letter = service::makeLetter(*svc, in);
    if (!letter.isOk()) return sendError(c.resp, letter.status());
    sendPdf(c.resp, letter->pdf, "complaint-status-inquiry.pdf", letter->unshown);
  }

  // {"filed_on": "YYYY-MM-DD" | null, "filed_via": "...", "board_reference": "...",
  // "version": N}: each member given replaces the stored one (null filed_on: not sent after
  // all).
  void complaintFiling(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"filed_on", "filed_via", "board_reference", "version"}, "");
    service::ComplaintFiling in;
    in.case_id = c.id;
    if (st.isOk()) st = readVersion(*obj, &in.version);
    if (st.isOk()) st = readDate(*obj, "filed_on", &in.filed_on);
    if (st.isOk() && (*obj)->has("filed_on") && !in.filed_on) in.clear_filed_on = true;
    if (st.isOk()) st = readCorrection(*obj, "filed_via", "", &in.filed_via);
    if (st.isOk()) st = readCorrection(*obj, "board_reference", "", &in.board_reference);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto t = service::recordComplaintFiling(*svc, in);
    if (!t.isOk()) return sendError(c.resp, t.status());
    sendJson(c.resp, 200, trackedComplaintJson(*t));
  }

  // {"type": "...", "on": "YYYY-MM-DD", "reply_by": "YYYY-MM-DD", "outcome": "...",
  // "details": "..."}
  void recordComplaintEvent(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"type", "on", "reply_by", "outcome", "details"}, "");
    service::NewComplaintEvent e;
    e.case_id = c.id;
    if (st.isOk()) st = readString(*obj, "type", "", &e.type);
    if (st.isOk()) st = readString(*obj, "outcome", "", &e.outcome);
    if (st.isOk()) st = readString(*obj, "details", "", &e.details);
    if (st.isOk()) st = readDate(*obj, "on", &e.on);
    if (st.isOk()) st = readDate(*obj, "reply_by", &e.reply_by);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto t = service::recordComplaintEvent(*svc, e);
    if (!t.isOk()) return sendError(c.resp, t.status());
    sendJson(c.resp, 201, trackedComplaintJson(*t));
  }

  // {"on", "reply_by" (null: none), "outcome", "details", "version"}: each member given
  // replaces the stored one.
  void editComplaintEvent(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = checkKnownFields(*obj, {"on", "reply_by", "outcome", "details", "version"}, "");
    service::ComplaintEventEdit edit;
    edit.event_id = c.id;
    if (st.isOk()) st = readVersion(*obj, &edit.version);
    if (st.isOk()) st = readDate(*obj, "on", &edit.on);
    if (st.isOk() && (*obj)->has("on") && !edit.on) {
      st = core::invalidArgument("cannot be emptied: every step has a day").withField("on");
    }
    if (st.isOk()) st = readDate(*obj, "reply_by", &edit.reply_by);
    if (st.isOk() && (*obj)->has("reply_by") && !edit.reply_by) edit.clear_reply_by = true;
    if (st.isOk()) st = readCorrection(*obj, "outcome", "", &edit.outcome);
    if (st.isOk()) st = readCorrection(*obj, "details", "", &edit.details);
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto t = service::editComplaintEvent(*svc, edit);
    if (!t.isOk()) return sendError(c.resp, t.status());
    sendJson(c.resp, 200, trackedComplaintJson(*t));
  }

  void deleteComplaintEvent(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto t = service::deleteComplaintEvent(*svc, c.id);
    if (!t.isOk()) return sendError(c.resp, t.status());
    sendJson(c.resp, 200, trackedComplaintJson(*t));
  }

  // The complaint's answers as they stand (saved, and prefilled from the case); nothing is
  // saved by looking.
  void showComplaint(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    service::ReviewComplaint in;
    in.case_id = c.id;
    in.look_only = true;
    auto r = service::reviewComplaint(*svc, in);
    if (!r.isOk()) return sendError(c.resp, r.status());
    sendJson(c.resp, 200, complaintJson(*r));
  }

  // {"answers": {...}}: answers merged into the saved ones and saved (an empty object saves
  // the answers as reviewed, which the packet needs first).
  void saveComplaint(Call& c) {
    auto obj = parseObject(c.body);
    if (!obj.isOk()) return sendError(c.resp, obj.status());
    Status st = readPage(*obj, {});
    if (!st.isOk()) return sendError(c.resp, st);
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    service::ReviewComplaint in;
    in.case_id = c.id;
    in.answers = (*obj)->getObject("answers");
    auto r = service::reviewComplaint(*svc, in);
    if (!r.isOk()) return sendError(c.resp, r.status());
    sendJson(c.resp, 200, complaintJson(*r));
  }

  void complaintPacket(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    service::ComplaintPacketRequest in;
    in.case_id = c.id;
    in.in_memory = true;
    auto packet = service::makeComplaintPacket(*svc, in);
    if (!packet.isOk()) return sendError(c.resp, packet.status());
    sendPdf(c.resp, packet->pdf, "complaint-packet.pdf", packet->unshown);
  }

  // --- drafts --------------------------------------------------------------------------------
  void showDraft(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto d = service::loadDraft(*svc, c.id);
    if (!d.isOk()) return sendError(c.resp, d.status());
    if (!*d) return sendError(c.resp, core::notFound("no draft").withField("name"));
    auto obj = parseObject(**d);
    if (!obj.isOk()) return sendError(c.resp, core::corruption("the draft cannot be read"));
    sendJson(c.resp, 200, *obj);
  }

  void saveDraft(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    Status st = service::saveDraft(*svc, c.id, c.body);
    if (!st.isOk()) return sendError(c.resp, st);
    Object::Ptr out = new Object;
    out->set("saved", c.id);
    sendJson(c.resp, 200, out);
  }

  void discardDraft(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    Status st = service::discardDraft(*svc, c.id);
    if (!st.isOk()) return sendError(c.resp, st);
    Object::Ptr out = new Object;
    out->set("deleted", c.id);
    sendJson(c.resp, 200, out);
  }

  // --- what is due -------------------------------------------------------------------------
  static const char* deadlineKindName(service::DeadlineItem::Kind k) {
    switch (k) {
      case service::DeadlineItem::Kind::kRecordsDue:
        return "records_due";
      case service::DeadlineItem::Kind::kNextStep:
        return "next_step";
      case service::DeadlineItem::Kind::kComplaintTimeLimit:
        return "complaint_time_limit";
      case service::DeadlineItem::Kind::kNoDueDate:
        return "no_due_date";
      case service::DeadlineItem::Kind::kComplaintDeadline:
        return "complaint_deadline";
      case service::DeadlineItem::Kind::kComplaintStep:
        return "complaint_step";
    }
    return "records_due";
  }

  // Everything due across every case, soonest first (?client_id= for one person's).
  core::StatusOr<std::vector<service::DeadlineItem>> deadlinesFor(
      Call& c, service::Services& svc, std::vector<std::string>* damaged = nullptr) {
    service::DeadlinesQuery q;
    for (const auto& [k, v] : c.uri.getQueryParameters()) {
      if (k == "client_id") {
        q.client_id = v;
      } else {
        return core::invalidArgument(k.substr(0, 40) + ": is not a known query parameter");
      }
    }
    return service::listDeadlines(svc, q, damaged);
  }

  void listDeadlines(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    std::vector<std::string> damaged;
    auto items = deadlinesFor(c, *svc, &damaged);
    if (!items.isOk()) return sendError(c.resp, items.status());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& it : *items) arr->add(deadlineItemToJson(it));
    Object::Ptr out = new Object;
    out->set("deadlines", arr);
    out->set("damaged", stringArray(damaged));  // what could not be read, left out
    sendJson(c.resp, 200, out);
  }

  static Object::Ptr deadlineItemToJson(const service::DeadlineItem& it) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("kind", std::string(deadlineKindName(it.kind)));
    o->set("date", it.date.toString());
    o->set("days_from_today", static_cast<Poco::Int64>(it.days_from_today));
    o->set("what", noticeToJson(it.what));
    o->set("verified", it.verified);
    o->set("case_id", it.case_id);
    o->set("ref", it.ref);
    o->set("client_id", it.client_id);
    o->set("client_name", it.client_name);
    o->set("case_label", it.case_label);
    o->set("case_title", it.case_title);
    o->set("therapist", it.therapist);
    return o;
  }

  void deadlinesCalendar(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto items = deadlinesFor(c, *svc);
    if (!items.isOk()) return sendError(c.resp, items.status());
    const std::string ics = service::toICalendar(*items, s_.clock.now());
    c.resp.setStatusAndReason(HTTPResponse::HTTP_OK);
    c.resp.setContentType("text/calendar; charset=utf-8");
    c.resp.set("Content-Disposition", "attachment; filename=\"recourse-deadlines.ics\"");
    c.resp.setContentLength(static_cast<std::streamsize>(ics.size()));
    c.resp.send() << ics;
  }

  // --- what a person chooses from -------------------------------------------------------
  // The places Recourse has law for, by name (a person chooses "California", not "us-ca").
  void listJurisdictions(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    auto all = svc->catalog.law().all();
    std::stable_sort(all.begin(), all.end(),
                     [](const auto* a, const auto* b) { return a->name < b->name; });
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto* j : all) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", j->id);
      o->set("name", j->name);
      o->set("parent", j->parent);
      // Whether boards that license therapists are recorded there (a national baseline
      // such as "us" has none: licenses are issued by its states).
      o->set("licenses", !j->boards.empty());
      arr->add(o);
    }
    Object::Ptr out = new Object;
    out->set("jurisdictions", arr);
    sendJson(c.resp, 200, out);
  }

  // The kinds of license, in plain words with the abbreviations people know them by.
  void listLicenseTypes(Call& c) {
    service::Services* svc = services(c.resp);
    if (svc == nullptr) return;
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& t : svc->catalog.law().licenseTypes()) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", t.id);
      o->set("label", t.label);
      Poco::JSON::Array::Ptr aliases = new Poco::JSON::Array;
      for (const auto& a : t.aliases) aliases->add(a);
      o->set("aliases", aliases);
      arr->add(o);
    }
    Object::Ptr out = new Object;
    out->set("license_types", arr);
    sendJson(c.resp, 200, out);
  }

  Shared& s_;
};

const char* accessName(Handler::Access a) {
  switch (a) {
    case Handler::Access::kAnyone:
      return "anyone";
    case Handler::Access::kSession:
      return "session";
    case Handler::Access::kSessionWrite:
      return "session + CSRF";
  }
  return "";
}

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new Handler(*shared_);
  }

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace

std::vector<ApiRoute> apiRoutes() {
  std::vector<ApiRoute> out;
  for (const auto& r : Handler::routes()) {
    out.push_back({r.method, r.pattern, accessName(r.access), r.max_body});
  }
  return out;
}

// ---- SessionTable --------------------------------------------------------------------

std::string SessionTable::create(core::Timestamp now, std::string* csrf) {
  std::lock_guard lk(mu_);
  std::string id = service::randomToken(32);
  *csrf = service::randomToken(32);
  sessions_[id] = Session{*csrf, now};
  return id;
}

bool SessionTable::touch(const std::string& id, core::Timestamp now, std::chrono::seconds idle,
                         std::string* csrf) {
  std::lock_guard lk(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  if (now - it->second.last_seen > idle) return false;
  it->second.last_seen = now;
  *csrf = it->second.csrf;
  return true;
}

void SessionTable::clear() {
  std::lock_guard lk(mu_);
  sessions_.clear();
}

bool SessionTable::anyIdle(core::Timestamp now, std::chrono::seconds idle) {
  std::lock_guard lk(mu_);
  for (const auto& [id, s] : sessions_) {
    if (now - s.last_seen > idle) return true;
  }
  return false;
}

// ---- HttpServer ----------------------------------------------------------------------

HttpServer::HttpServer(service::Vault& vault, const core::Clock& clock, ServerConfig config)
    : vault_(vault), clock_(clock), config_(std::move(config)) {}

HttpServer::~HttpServer() { stop(); }

bool isLoopback(const std::string& address) {
  if (address == "localhost" || address == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, address.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

Status HttpServer::start() {
  const bool tls = !config_.tls_cert.empty() || !config_.tls_key.empty();
  if (tls && (config_.tls_cert.empty() || config_.tls_key.empty())) {
    return core::invalidArgument("TLS needs both a certificate and its private key")
        .withField(config_.tls_cert.empty() ? "tls_cert" : "tls_key");
  }
  if (!isLoopback(config_.bind)) {
    // Others on the network reach the vault only over TLS, and only once it exists and so
    // is opened by signing in to an account.
    if (!tls) {
      return core::failedPrecondition(
                 "serving beyond this computer needs TLS: give a certificate and its key "
                 "(--tls-cert, --tls-key), or listen on 127.0.0.1")
          .withField("bind");
    }
    if ((config_.bind == "0.0.0.0" || config_.bind == "::") && config_.public_host.empty()) {
      return core::invalidArgument(
                 "listening on every address needs the name people reach this computer by "
                 "(--host, such as recourse.office.lan): requests naming another are refused")
          .withField("host");
    }
    if (vault_.state() == service::Vault::State::kNone) {
      return core::failedPrecondition(
                 "make the vault on this computer first (recourse init), so that nobody on the "
                 "network can be the one who makes it")
          .withField("bind");
    }
  }
  Poco::Net::Context::Ptr tls_context;
  if (tls) {
    static std::once_flag ssl_once;
    std::call_once(ssl_once, [] { Poco::Net::initializeSSL(); });
    for (const auto* file : {&config_.tls_cert, &config_.tls_key}) {
      std::ifstream readable(*file);
      if (!readable) {
        return core::invalidArgument("cannot read " + *file)
            .withField(file == &config_.tls_cert ? "tls_cert" : "tls_key");
      }
    }
    try {
      tls_context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, config_.tls_key,
                                           config_.tls_cert, "", Poco::Net::Context::VERIFY_NONE, 9,
                                           false, "HIGH:!aNULL:!MD5:!RC4:!3DES");
      tls_context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    } catch (const Poco::Exception& e) {
      return core::invalidArgument("the certificate or its key cannot be used (" + e.displayText() +
                                   ")")
          .withField("tls_cert");
    }
  }
  try {
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR (restart while old connections linger) but never SO_REUSEPORT, which
    // would let a second server share the port.
    socket.bind(Poco::Net::SocketAddress(config_.bind, config_.port), /*reuseAddress=*/true,
                /*reusePort=*/false);
    // Room for a burst of connections while the gate thread catches up (connection_gate.h).
    socket.listen(1024);
    port_ = socket.address().port();
    std::shared_ptr<Shared> shared(
        new Shared{vault_, clock_, config_, sessions_, port_, {}, {}, {}});
    GateLimits limits;
    limits.workers = config_.threads;
    limits.header_timeout = config_.header_timeout;
    limits.read_timeout = config_.read_timeout;
    limits.tls = tls;
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    // One request per connection: a connection waiting for its next request would hold a
    // worker, where a new connection waits in the gate (connection_gate.h) holding none.
    params->setKeepAlive(false);
    params->setTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(limits.read_timeout.count()) * 1000));
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory(new Factory(shared));
    gate_ = std::make_unique<ConnectionGate>(
        socket, limits, [params, factory, tls_context](Poco::Net::StreamSocket& connection) {
          if (tls_context.isNull()) {
            Poco::Net::HTTPServerConnection answer(connection, params, factory);
            answer.run();
            return;
          }
          // The handshake, then HTTP inside it; a client that fails the handshake (plain
          // HTTP, an old protocol) is closed.
          try {
            Poco::Net::SecureStreamSocket secure =
                Poco::Net::SecureStreamSocket::attach(connection, tls_context);
            secure.completeHandshake();
            Poco::Net::HTTPServerConnection answer(secure, params, factory);
            answer.run();
          } catch (const Poco::Exception&) {
            connection.close();
          }
        });
    gate_->start();
  } catch (const Poco::Exception& e) {
    return core::ioError("cannot listen on " + config_.bind + ":" + std::to_string(config_.port) +
                         " (" + e.displayText() + ")")
        .withField("port");
  }
  return Status::ok();
}

void HttpServer::stop() {
  if (gate_) {
    gate_->stop();
    gate_.reset();
  }
  sessions_.clear();
  vault_.lock();
}

std::string HttpServer::url() const {
  const std::string scheme = config_.tls_cert.empty() ? "http://" : "https://";
  std::string host = config_.public_host;
  if (host.empty()) {
    host = isLoopback(config_.bind) || config_.bind == "0.0.0.0" || config_.bind == "::"
               ? "127.0.0.1"
               : config_.bind;
  }
  return scheme + host + ":" + std::to_string(port_) + "/";
}

}  // namespace recourse::server
