// Fuzzes the HTTP server: the input is the raw bytes a browser (or anything else on this
// computer) sends to the local web server. One server, with a private in-memory vault
// created through the API, is started once per process; every input goes to it on a new
// connection, the sending side is then shut down, and the reply is read until the server
// closes the connection. Whatever comes back must be an HTTP/1.1 response; a server that
// crashes, trips a sanitizer or hangs is a finding, any HTTP status is not. (Poco answers
// in whatever version the request line names, "HTTP/2.1" or even "HT", so the check is for a
// status line with any version: a word, a space and a three-digit code.)
//
// Most routes answer only a request for the server's own Host with the session cookie and
// the CSRF token, which a fuzzer cannot guess (the port is picked at start, the tokens are
// random). So these placeholders in an input are replaced before it is sent:
//   @HOST@   127.0.0.1:<port>
//   @COOKIE@ recourse_session=<the session's id>
//   @CSRF@   the session's CSRF token
// A request that locks the vault ends the session; the next input unlocks it again.
//
// The vault fills as inputs add clients, cases and files, and a server with thousands of
// clients answers each listing more slowly (every name is decrypted), which would soon make
// the run about listing, not about input. So every kInputsPerWorld inputs the server is
// stopped and a new one started with a new, empty vault.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "fakes/fake_clock.h"
#include "server/http_server.h"
#include "service/services.h"
#include "service/vault.h"

namespace {

using recourse::server::HttpServer;
using recourse::service::Catalog;
using recourse::service::Vault;

constexpr char kPassphrase[] = "a long enough passphrase";
constexpr int kInputsPerWorld = 5000;

void fail(const std::string& why) {
  std::fprintf(stderr, "http_fuzz: %s\n", why.c_str());
  std::abort();
}

// Sends `request` on a new connection and returns everything the server sends back until
// it closes the connection (or stops answering for `timeout_s` seconds).
std::string exchange(std::uint16_t port, const std::string& request, int timeout_s) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = -1;
  // Thousands of connections a second, each closed by the server, use up this computer's
  // local ports for a while (TIME_WAIT): then connect() says EADDRNOTAVAIL, which is the
  // harness's pace, not the server's fault, so it waits and tries again. A signal to this
  // process (libFuzzer's own timers) can interrupt connect() too (EINTR): tried again.
  for (int attempt = 0;; ++attempt) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) fail(std::string("socket() failed: ") + std::strerror(errno));
    timeval tv{timeout_s, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
    const int e = errno;
    ::close(fd);
    if ((e != EADDRNOTAVAIL && e != EINTR) || attempt == 200) {
      fail(std::string("cannot connect to the server: ") + std::strerror(e));
    }
    ::usleep(50'000);
  }
  // The server may answer (and close) before it has read everything, e.g. a body over the
  // limit: a failed send is then expected, not a finding.
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string reply;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

bool statusLine(const std::string& reply) {
  // "<version> <three digits> ...": the version is whatever the request said.
  const size_t sp = reply.find(' ');
  auto digit = [&](size_t i) { return i < reply.size() && reply[i] >= '0' && reply[i] <= '9'; };
  return sp != std::string::npos && sp < reply.find('\r') && digit(sp + 1) && digit(sp + 2) &&
         digit(sp + 3);
}

std::string headerValue(const std::string& reply, const std::string& name) {
  size_t at = reply.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return reply.substr(at, reply.find_first_of(";\r", at) - at);
}

std::string jsonString(const std::string& reply, const std::string& key) {
  size_t at = reply.find("\"" + key + "\":\"");
  if (at == std::string::npos) return "";
  at += key.size() + 4;
  return reply.substr(at, reply.find('"', at) - at);
}

class World {
 public:
  World() {
    catalog_ = Catalog::load({std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions",
                              std::string(RECOURSE_SOURCE_DIR) + "/forms"});
    auto vault = Vault::inMemory(catalog_, clock_);
    if (!vault.isOk()) fail(vault.status().text());
    vault_ = std::move(vault).value();
    recourse::server::ServerConfig config;
    config.port = 0;
    config.kdf = "interactive";  // the vault is created and unlocked again through the API
    config.max_body_bytes = 64 * 1024;
    config.evidence_max_bytes = 300 * 1024;
    config.backup_max_bytes = 300 * 1024;
    config.threads = 4;
    server_ = std::make_unique<HttpServer>(*vault_, clock_, config);
    auto st = server_->start();
    if (!st.isOk()) fail(st.text());
    host_ = "127.0.0.1:" + std::to_string(server_->port());
    session("POST /api/v1/vault");
  }

  // Unlocks again (a fuzzed request may have locked the vault or ended the session).
  void keepSession() {
    if (vault_->state() != Vault::State::kUnlocked) session("POST /api/v1/session");
  }

  std::uint16_t port() const { return server_->port(); }

  // Replaces the placeholders with this server's host and session.
  std::string fill(std::string request) const {
    replaceAll(&request, "@HOST@", host_);
    replaceAll(&request, "@COOKIE@", cookie_);
    replaceAll(&request, "@CSRF@", csrf_);
    return request;
  }

 private:
  // Creates or unlocks the vault through the API and keeps the session it starts.
  void session(const std::string& request_line) {
    const std::string body = std::string("{\"passphrase\":\"") + kPassphrase + "\"}";
    const std::string reply = exchange(
        port(),
        request_line + " HTTP/1.1\r\nHost: " + host_ +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body,
        60);
    cookie_ = headerValue(reply, "Set-Cookie");
    csrf_ = jsonString(reply, "csrf_token");
    if (cookie_.empty() || csrf_.empty()) fail("no session from " + request_line + ": " + reply);
  }

  static void replaceAll(std::string* s, const std::string& from, const std::string& to) {
    for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
      s->replace(at, from.size(), to);
    }
  }

  recourse::testing::FakeClock clock_;  // never moves, so no session goes idle
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<Vault> vault_;
  std::unique_ptr<HttpServer> server_;
  std::string host_;
  std::string cookie_;
  std::string csrf_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<World> world;
  static int inputs = 0;
  if (!world || ++inputs % kInputsPerWorld == 0) {
    world.reset();  // stops the old server before the new one starts
    world = std::make_unique<World>();
  }
  world->keepSession();
  const std::string request = world->fill(std::string(reinterpret_cast<const char*>(data), size));
  const std::string reply = exchange(world->port(), request, 10);
  if (!reply.empty() && !statusLine(reply))
    fail("a reply that is not HTTP: " + reply.substr(0, 200));
  return 0;
}
