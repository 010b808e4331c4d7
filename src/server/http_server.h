// The local web server: a JSON API and the browser UI, on 127.0.0.1 only.
//
// Security (docs/threat-model.md): listens on loopback; refuses any request whose Host is
// not its own loopback address and port (DNS rebinding) and any cross-origin write; a
// session cookie (HttpOnly, SameSite=Strict) plus a CSRF token guard every data call;
// strict CSP, nosniff, frame-deny and no-store on every response; bodies over the cap are
// refused with 413; idle sessions lock the vault.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "server/connection_gate.h"
#include "service/vault.h"

namespace recourse::server {

// The largest body read whole by default (a route's own limit may be lower): a page of
// answers with its accounts at their longest, as a draft of it may be
// (service::kMaxDraftBytes).
inline constexpr size_t kDefaultMaxBody = size_t{4} * 1024 * 1024;

struct ServerConfig {
  std::uint16_t port = 8750;  // 0 picks a free port
  // The address to listen on. Anything but loopback (127.0.0.1, ::1) serves other machines,
  // and start() refuses it without TLS, or before the vault exists (nobody on the network
  // may be the one who makes it).
  std::string bind = "127.0.0.1";
  // TLS (Poco NetSSL): the certificate chain and its private key, PEM files. Both empty:
  // plain HTTP, on loopback only.
  std::string tls_cert;
  std::string tls_key;
  // The name people reach the server by (https://NAME:PORT/), which requests must carry in
  // their Host header; "" for the bind address.
  std::string public_host;
  size_t max_body_bytes = kDefaultMaxBody;
  std::chrono::seconds idle_lock{15 * 60};
  std::string kdf = "moderate";  // strength for a vault created through the UI
  // Requests answered at once. Connections still sending their request hold no thread (see
  // connection_gate.h), so this bounds only the work done at the same time.
  int threads = 16;
  // How long a connection may take to send its request head before it is answered 408.
  std::chrono::milliseconds header_timeout{10'000};
  // How long one read of a request body may wait, and how long a whole body may take
  // (plus a second a MiB) before the request is answered 408.
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds body_grace{15'000};
  // The largest evidence file an upload may carry (the CLI's default limit).
  long long evidence_max_bytes = 256LL * 1024 * 1024;
  // The largest backup file a restore may carry.
  long long backup_max_bytes = 4LL * 1024 * 1024 * 1024;
  // Where the quick exit sends the browser once the vault is locked: an everyday site that
  // says nothing about why the person was here (the one GOV.UK's "Exit this page" uses).
  std::string exit_url = "https://www.bbc.co.uk/weather";
};

// Whether `address` is this machine's own (127.0.0.0/8, ::1, localhost).
bool isLoopback(const std::string& address);

// One API endpoint, as the server routes it and docs/api.md lists it.
struct ApiRoute {
  std::string method;   // "GET"
  std::string pattern;  // "/api/v1/clients/{id}"
  std::string access;   // "anyone", "session" or "session + CSRF"
  size_t max_body = 0;  // bytes a body may have (the server's max_body_bytes applies too)
};
// Every route, in the order the server tries them.
std::vector<ApiRoute> apiRoutes();

// Sessions and the vault's lock state, shared by the request handlers.
class SessionTable {
 public:
  struct Session {
    std::string csrf;
    core::Timestamp last_seen;
  };
  // Returns a new session id and fills csrf.
  std::string create(core::Timestamp now, std::string* csrf);
  // Looks up a live session and refreshes it. False when unknown or idle past the limit.
  bool touch(const std::string& id, core::Timestamp now, std::chrono::seconds idle,
             std::string* csrf);
  // Forgets every session; returns whether any had gone idle (the caller locks then).
  void clear();
  bool anyIdle(core::Timestamp now, std::chrono::seconds idle);

 private:
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
};

class HttpServer {
 public:
  // REQUIRES: vault and clock outlive the server.
  HttpServer(service::Vault& vault, const core::Clock& clock, ServerConfig config);
  ~HttpServer();

  // Binds 127.0.0.1:port and starts serving. On failure (port in use, ...) IOError.
  core::Status start();
  // Stops accepting, finishes in-flight requests, locks the vault.
  void stop();
  // The bound port (useful when config.port was 0). REQUIRES: start() succeeded.
  std::uint16_t port() const { return port_; }
  std::string url() const;

 private:
  service::Vault& vault_;
  const core::Clock& clock_;
  ServerConfig config_;
  SessionTable sessions_;
  std::unique_ptr<ConnectionGate> gate_;
  std::uint16_t port_ = 0;
};

}  // namespace recourse::server
