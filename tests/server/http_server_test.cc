#include "server/http_server.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "core/validation.h"
#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "forms/loader.h"
#include "service/vault.h"
#include "store/data_dir.h"
#include "store/store.h"
#include "store/vault_lock.h"

namespace recourse::server {
namespace {

using Poco::JSON::Object;

struct Reply {
  int status = 0;
  std::string reason;  // the status line's own words
  std::string body;
  std::map<std::string, std::string> headers;
  std::vector<std::string> cookies;
  Object::Ptr json() const {
    Poco::JSON::Parser p;
    return p.parse(body).extract<Object::Ptr>();
  }
  std::string errorMessage() const {
    return json()->getObject("error")->getValue<std::string>("message");
  }
  std::string errorField() const { return errorMember("field"); }
  std::string errorReason() const { return errorMember("reason"); }
  std::string errorMember(const std::string& name) const {
    auto err = json()->getObject("error");
    return err && err->has(name) ? err->getValue<std::string>(name) : "";
  }
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = std::move(store::Store::openInMemory(clock_)).value();
    store_ = store.get();
    // One jurisdiction, so cases can name one Recourse knows (and be refused one it does not).
    jurisdiction::Jurisdiction california;
    california.id = "us-ca";
    california.name = "California";
    jurisdiction::Board bbs;
    bbs.id = "bbs";
    bbs.name = "Board of Behavioral Sciences";
    bbs.license_types = {"marriage_family_therapist"};
    bbs.address = "1625 N Market Blvd., Suite S-200, Sacramento, CA 95834";
    bbs.complaint_methods = {"online", "mail"};
    bbs.meta.verified = true;
    bbs.complaint_time_limit = jurisdiction::ComplaintTimeLimit{};
    bbs.complaint_time_limit->summary = "Seven years after the act.";
    bbs.complaint_time_limit->years = 7;
    bbs.complaint_time_limit->meta.source.citation = "Cal. Bus. & Prof. Code 4982.05";
    bbs.complaint_time_limit->meta.verified = false;
    bbs.complaint_time_limit->meta.caution = "Check the limit with the board.";
    california.boards.push_back(bbs);
    catalog_ = service::Catalog::fromValues(
        jurisdiction::Registry::fromValues(
            {california},
            {{"marriage_family_therapist", "Marriage and family therapist", {"LMFT", "MFT"}}}),
        forms::loadFormDirectory(std::string(RECOURSE_SOURCE_DIR) + "/forms"));
    vault_ = service::Vault::adopt(std::move(store), catalog_, clock_, data_.path());
    ServerConfig config;
    config.port = 0;
    config.kdf = "interactive";
    config.max_body_bytes = 64 * 1024;
    config.evidence_max_bytes = 300 * 1024;
    server_ = std::make_unique<HttpServer>(*vault_, clock_, config);
    ASSERT_TRUE(server_->start().isOk());
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override { server_->stop(); }

  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             std::map<std::string, std::string> headers = {}, const std::string& host = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(host.empty() ? "127.0.0.1:" + std::to_string(server_->port()) : host);
    if (!cookie_.empty()) req.set("Cookie", cookie_);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST") {
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Reply r;
    r.status = resp.getStatus();
    r.reason = resp.getReason();
    Poco::StreamCopier::copyToString(in, r.body);
    for (const auto& [k, v] : resp) {
      if (Poco::icompare(k, "Set-Cookie") == 0) {
        r.cookies.push_back(v);
      } else {
        r.headers[k] = v;
      }
    }
    return r;
  }

  // Creates the vault through the API and keeps the session cookie and CSRF token.
  void createVault() {
    Reply r = call("POST", "/api/v1/vault", R"({"passphrase":"a long enough passphrase"})");
    ASSERT_EQ(r.status, 201) << r.body;
    csrf_ = r.json()->getValue<std::string>("csrf_token");
    ASSERT_EQ(r.cookies.size(), 1u);
    cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
  }

  std::map<std::string, std::string> csrf() { return {{"X-CSRF-Token", csrf_}}; }

  // A case of `client` about Dr. Ana Pérez; its id.
  std::string addCase(const std::string& client) {
    Reply r =
        call("POST", "/api/v1/cases",
             R"({"client_id":")" + client + R"(","provider":{"name":"Dr. Ana Pérez"}})", csrf());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()->getValue<std::string>("id") : "";
  }

  // Zoë Müller, with her address, and a case about Dr. Ana Pérez of Harbor Counseling, an
  // LMFT in California: what a records request needs. The case's id.
  std::string addRecordsCase() {
    Reply r = call("POST", "/api/v1/clients",
                   R"({"name":"Zoë Müller","address":"12 Elm St, Oakland, CA 94601"})", csrf());
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string zoe = r.json()->getValue<std::string>("id");
    r = call("POST", "/api/v1/cases",
             R"({"client_id":")" + zoe +
                 R"(","provider":{"name":"Dr. Ana Pérez","practice":"Harbor Counseling",)"
                 R"("license_type":"LMFT","jurisdiction":"us-ca"}})",
             csrf());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()->getValue<std::string>("id") : "";
  }

  std::string addClient(const std::string& name) {
    Reply r = call("POST", "/api/v1/clients", R"({"name":")" + name + R"("})", csrf());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()->getValue<std::string>("id");
  }

  testing::TempDir data_;  // where the vault's sealed evidence goes
  testing::FakeClock clock_;
  std::shared_ptr<const service::Catalog> catalog_;
  std::unique_ptr<service::Vault> vault_;
  store::Store* store_ = nullptr;  // the vault's store, to check what the API wrote
  // How many audit entries record changes (reads are entries too, "read.…").
  size_t changeCount() {
    auto all = store_->auditEvents();
    return static_cast<size_t>(std::count_if(
        all->begin(), all->end(), [](const auto& e) { return e.action.rfind("read.", 0) != 0; }));
  }
  std::unique_ptr<HttpServer> server_;
  std::string cookie_;
  std::string csrf_;
};

TEST_F(HttpServerTest, HealthAnswersWithSecurityHeaders) {
  Reply r = call("GET", "/api/v1/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "ok");
  EXPECT_EQ(r.json()->getValue<std::string>("vault"), "none");
  EXPECT_NE(r.headers["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);
  EXPECT_NE(r.headers["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r.headers["X-Frame-Options"], "DENY");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");
  EXPECT_EQ(r.headers["Referrer-Policy"], "no-referrer");
}

TEST_F(HttpServerTest, ListensOnLoopbackOnly) {
  EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(server_->port()) + "/");
}

TEST_F(HttpServerTest, ForeignHostIsRefused) {
  // A page on evil.example whose DNS now points at 127.0.0.1 (DNS rebinding).
  Reply r =
      call("GET", "/api/v1/health", "", {}, "evil.example:" + std::to_string(server_->port()));
  EXPECT_EQ(r.status, 421);
  EXPECT_NE(r.errorMessage().find("Host: "), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/health", "", {}, "127.0.0.1:1").status, 421);
  EXPECT_EQ(
      call("GET", "/api/v1/health", "", {}, "localhost:" + std::to_string(server_->port())).status,
      200);
}

// The status line of a request written by hand, or "" when none came before the receive
// timeout: what a client that sends nothing more would see.
std::string rawStatusLine(Poco::UInt16 port, const std::string& request) {
  Poco::Net::StreamSocket sock(Poco::Net::SocketAddress("127.0.0.1", port));
  sock.setReceiveTimeout(Poco::Timespan(10, 0));
  sock.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string got;
  char buf[512];
  try {
    while (got.find("\r\n") == std::string::npos) {
      const int n = sock.receiveBytes(buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
    return "";
  }
  return got.substr(0, got.find("\r\n"));
}

// Everything the server sends on `sock` until it closes it (or nothing comes for 3 s; a reset
// ends it too: what arrived before is the answer).
std::string readToClose(Poco::Net::StreamSocket& sock) {
  sock.setReceiveTimeout(Poco::Timespan(3, 0));
  std::string got;
  char buf[512];
  try {
    for (int n; (n = sock.receiveBytes(buf, sizeof buf)) > 0;) got.append(buf, n);
  } catch (const Poco::Exception&) {
  }
  return got;
}

// Connections that send nothing, or their request a line at a time, hold no worker: the
// app's own requests are answered at once while they are held, and they are dropped (408)
// once the header timeout has passed. The server has four workers here, as few as the
// number of slow clients that used to stall it.
TEST_F(HttpServerTest, SlowAndIdleConnectionsDoNotStallTheApp) {
  server_->stop();
  ServerConfig config;
  config.port = 0;
  config.threads = 4;
  config.header_timeout = std::chrono::milliseconds(2000);
  server_ = std::make_unique<HttpServer>(*vault_, clock_, config);
  ASSERT_TRUE(server_->start().isOk());
  const Poco::Net::SocketAddress at("127.0.0.1", server_->port());

  // Both ends of every connection are in this process.
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  const size_t idle_count = std::min<size_t>(1000, (files.rlim_cur - 256) / 2);
  ASSERT_GE(idle_count, 300u) << "too few open files allowed to hold connections";
  std::vector<Poco::Net::StreamSocket> idle;
  for (size_t i = 0; i < idle_count; ++i) idle.emplace_back(at);
  std::vector<Poco::Net::StreamSocket> slow;
  for (int i = 0; i < 8; ++i) {
    slow.emplace_back(at);
    const std::string first = "GET /api/v1/health HTTP/1.1\r\n";
    slow.back().sendBytes(first.data(), static_cast<int>(first.size()));
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    const std::string line = "X-Slow: 1\r\n";
    while (!done) {
      for (auto& sock : slow) {
        try {
          sock.sendBytes(line.data(), static_cast<int>(line.size()));
        } catch (const Poco::Exception&) {
          // Dropped by the server: what should happen, in time.
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  // The median of five: a stall behind held connections lasts seconds, where one answer
  // slowed by a busy machine (the test suites run in parallel) is a single outlier.
  std::vector<long> took;
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Reply r = call("GET", "/api/v1/health");
    took.push_back(static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start)
                                         .count()));
    EXPECT_EQ(r.status, 200);
  }
  std::sort(took.begin(), took.end());
  EXPECT_LT(took[2], 100) << "a request waited behind held connections";
  EXPECT_LT(took[4], 2000) << "a request waited behind held connections";

  // Held past the header timeout: answered 408 and closed.
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  done = true;
  trickle.join();
  auto answerOf = [](Poco::Net::StreamSocket& sock) {
    const std::string got = readToClose(sock);
    return got.substr(0, got.find("\r\n"));
  };
  EXPECT_EQ(answerOf(slow.front()), "HTTP/1.1 408 Request Timeout");
  EXPECT_EQ(answerOf(idle.back()), "HTTP/1.1 408 Request Timeout");
  // The app still answers.
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
}

// A body sent a byte at a time is answered 408 once it has taken longer than its size
// allows, and its worker is free again; nothing it carried is kept.
TEST_F(HttpServerTest, ABodyTrickledInIsAnswered408) {
  server_->stop();
  ServerConfig config;
  config.port = 0;
  config.threads = 1;  // the one worker it holds is the only one
  config.read_timeout = std::chrono::milliseconds(400);
  config.body_grace = std::chrono::milliseconds(600);
  server_ = std::make_unique<HttpServer>(*vault_, clock_, config);
  ASSERT_TRUE(server_->start().isOk());
  const std::string host = "Host: 127.0.0.1:" + std::to_string(server_->port()) + "\r\n";
  const std::string body = R"({"passphrase":"a long enough passphrase"})";

  auto trickle = [&](std::chrono::milliseconds gap) {
    Poco::Net::StreamSocket sock(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
    const std::string head =
        "POST /api/v1/vault HTTP/1.1\r\n" + host +
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n";
    sock.sendBytes(head.data(), static_cast<int>(head.size()));
    const auto start = std::chrono::steady_clock::now();
    try {
      for (char ch : body) {
        sock.sendBytes(&ch, 1);
        std::this_thread::sleep_for(gap);
      }
    } catch (const Poco::Exception&) {
      // The server stopped listening: what the test is for.
    }
    const std::string got = readToClose(sock);
    const auto took = std::chrono::steady_clock::now() - start;
    return std::make_pair(got.substr(0, got.find("\r\n")), took);
  };
  // A byte every 100 ms: each read is in time, the whole is not.
  auto [status, took] = trickle(std::chrono::milliseconds(100));
  EXPECT_EQ(status, "HTTP/1.1 408 Request Timeout");
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_FALSE(store_->hasVault());
  // Nothing at all for longer than one read may wait.
  std::tie(status, took) = trickle(std::chrono::milliseconds(700));
  EXPECT_EQ(status, "HTTP/1.1 408 Request Timeout");
  EXPECT_FALSE(store_->hasVault());
  // The one worker answers again.
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
}

// An upload whose sender stops part way, for longer than one read may wait, is answered
// 408 (it took too long), not 500, and nothing of it is kept.
TEST_F(HttpServerTest, AnUploadThatStopsPartWayIsATimeoutAndKeepsNothing) {
  server_->stop();
  ServerConfig config;
  config.port = 0;
  config.kdf = "interactive";
  config.read_timeout = std::chrono::milliseconds(300);
  config.body_grace = std::chrono::milliseconds(5000);
  config.evidence_max_bytes = 300 * 1024;
  server_ = std::make_unique<HttpServer>(*vault_, clock_, config);
  ASSERT_TRUE(server_->start().isOk());
  createVault();
  const std::string kase = addCase(addClient("Zoë Müller"));
  Poco::Net::StreamSocket sock(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
  const std::string head =
      "POST /api/v1/cases/" + kase +
      "/evidence?name=notes.txt HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
      "\r\nCookie: " + cookie_ + "\r\nX-CSRF-Token: " + csrf_ +
      "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n"
      "the first ten";
  sock.sendBytes(head.data(), static_cast<int>(head.size()));
  const std::string got = readToClose(sock);
  EXPECT_EQ(got.substr(0, got.find("\r\n")), "HTTP/1.1 408 Request Timeout") << got;
  EXPECT_NE(got.find("body_too_slow"), std::string::npos) << got;
  Reply r = call("GET", "/api/v1/cases/" + kase + "/evidence");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("notes.txt"), std::string::npos) << r.body;
}

// No Host header, or two, is a bad request; a body promised over the limit is refused at once,
// before any of it is read (the client here never sends it); every status line says its
// own words.
TEST_F(HttpServerTest, HostHeadersAndOversizedBodiesAreAnsweredAtOnce) {
  const Poco::UInt16 port = server_->port();
  const std::string host = "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  EXPECT_EQ(rawStatusLine(port, "GET /api/v1/health HTTP/1.1\r\n\r\n"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(rawStatusLine(port, "GET /api/v1/health HTTP/1.1\r\n" + host + host + "\r\n"),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(rawStatusLine(port, "GET /api/v1/health HTTP/1.1\r\n" + host + "\r\n"),
            "HTTP/1.1 200 OK");
  EXPECT_EQ(rawStatusLine(port, "POST /api/v1/vault HTTP/1.1\r\n" + host +
                                    "Content-Type: application/json\r\n"
                                    "Content-Length: 99999999999\r\n\r\n"),
            "HTTP/1.1 413 Request Entity Too Large");
  EXPECT_FALSE(store_->hasVault());
  Reply r =
      call("GET", "/api/v1/health", "", {}, "evil.example:" + std::to_string(server_->port()));
  EXPECT_EQ(r.status, 421);
  EXPECT_EQ(r.reason, "Misdirected Request");
  r = call("DELETE", "/api/v1/health");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.reason, "Method Not Allowed");
  r = call("GET", "/api/v1/nothing");
  EXPECT_EQ(r.reason, "Not Found");
}

TEST_F(HttpServerTest, CrossOriginWritesAreRefused) {
  Reply r = call("POST", "/api/v1/vault", R"({"passphrase":"a long enough passphrase"})",
                 {{"Origin", "http://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(store_->hasVault());
  r = call("POST", "/api/v1/vault", R"({"passphrase":"a long enough passphrase"})",
           {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(store_->hasVault());
}

TEST_F(HttpServerTest, VaultCreationStartsAStrictSession) {
  Reply r = call("POST", "/api/v1/vault", R"({"passphrase":"a long enough passphrase"})");
  ASSERT_EQ(r.status, 201);
  ASSERT_EQ(r.cookies.size(), 1u);
  EXPECT_NE(r.cookies[0].find("HttpOnly"), std::string::npos);
  EXPECT_NE(r.cookies[0].find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(r.json()->getValue<std::string>("csrf_token").size(), 64u);
  EXPECT_TRUE(store_->hasVault());
  EXPECT_EQ(call("POST", "/api/v1/vault", R"({"passphrase":"another passphrase"})").status, 409);
}

TEST_F(HttpServerTest, ShortPassphraseIsRefused) {
  Reply r = call("POST", "/api/v1/vault", R"({"passphrase":"short"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage(), "passphrase: use at least 8 characters");
  EXPECT_FALSE(store_->hasVault());
}

TEST_F(HttpServerTest, DataNeedsASession) {
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  createVault();
  std::string saved = cookie_;
  cookie_.clear();
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  cookie_ = "recourse_session=0000";
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  cookie_ = saved;
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 200);
}

TEST_F(HttpServerTest, WritesNeedTheCsrfToken) {
  createVault();
  Reply r = call("POST", "/api/v1/clients", R"({"name":"Zoë"})");
  EXPECT_EQ(r.status, 403);
  r = call("POST", "/api/v1/clients", R"({"name":"Zoë"})", {{"X-CSRF-Token", "wrong"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(store_->listClients()->size(), 0u);
  r = call("POST", "/api/v1/clients", R"({"name":"Zoë Müller"})", csrf());
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.json()->getValue<std::string>("name"), "Zoë Müller");
}

TEST_F(HttpServerTest, ClientsAndCasesApi) {
  createVault();
  std::string zoe = addClient("Zoë Müller");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + zoe +
                     R"(","provider":{"name":"Dr. Ana Pérez","license_type":"LMFT",)"
                     R"("license_number":"12345","jurisdiction":"us-ca"},)"
                     R"("treatment_start":"2024-01-15"})",
                 csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string case_id = r.json()->getValue<std::string>("id");
  EXPECT_EQ(r.json()->getObject("provider")->getValue<std::string>("license_type"), "LMFT");

  r = call("GET", "/api/v1/clients");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getArray("clients")->size(), 1u);

  r = call("GET", "/api/v1/clients/" + zoe);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getValue<std::string>("name"), "Zoë Müller");
  EXPECT_EQ(r.json()->getArray("cases")->size(), 1u);
  EXPECT_EQ(r.headers["Content-Type"], "application/json; charset=utf-8");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");

  r = call("GET", "/api/v1/cases");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getArray("cases")->getObject(0)->getValue<std::string>("id"), case_id);
  r = call("GET", "/api/v1/cases?client_id=" + zoe);
  EXPECT_EQ(r.json()->getArray("cases")->size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/cases?color=blue").status, 400);

  r = call("GET", "/api/v1/cases/" + case_id);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getValue<std::string>("treatment_start"), "2024-01-15");
  EXPECT_EQ(r.json()->getArray("incidents")->size(), 0u);

  EXPECT_EQ(call("GET", "/api/v1/cases/cs_nothere").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/clients/cl_nothere").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/nothing").status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/clients", "{}", csrf()).status, 405);
}

TEST_F(HttpServerTest, ClientsAndCasesCanBeCorrectedAndDeleted) {
  createVault();
  std::string maya = addClient("Maya Okafor");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + maya +
                     R"(","provider":{"name":"Dr. Ana","practice":"Bay Clinic"},"title":"T"})",
                 csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string case_id = r.json()->getValue<std::string>("id");

  r = call("PATCH", "/api/v1/clients/" + maya, R"({"email":"maya@example.org","address":"12 Elm"})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("name"), "Maya Okafor");
  EXPECT_EQ(r.json()->getValue<std::string>("email"), "maya@example.org");
  r = call("PATCH", "/api/v1/clients/" + maya, R"({"address":null})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->isNull("address"));
  EXPECT_EQ(r.json()->getValue<std::string>("email"), "maya@example.org");
  r = call("PATCH", "/api/v1/clients/" + maya, R"({"name":"","email":"x@example.org"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "name");
  EXPECT_EQ(store_->getClient(maya)->email, "maya@example.org");
  EXPECT_EQ(call("PATCH", "/api/v1/clients/" + maya, R"({"colour":"red"})", csrf()).status, 400);
  EXPECT_EQ(call("PATCH", "/api/v1/clients/cl_nothere", R"({"notes":"x"})", csrf()).status, 404);
  EXPECT_EQ(call("PATCH", "/api/v1/clients/" + maya, R"({"notes":"x"})").status, 403);  // no CSRF

  r = call("PATCH", "/api/v1/cases/" + case_id,
           R"({"title":null,"provider":{"practice":"","address":"1 Main St"}})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->isNull("title"));
  EXPECT_EQ(r.json()->getObject("provider")->getValue<std::string>("name"), "Dr. Ana");
  EXPECT_EQ(r.json()->getObject("provider")->getValue<std::string>("address"), "1 Main St");
  EXPECT_TRUE(r.json()->getObject("provider")->isNull("practice"));
  r = call("PATCH", "/api/v1/cases/" + case_id, R"({"treatment_end":"2024-02-30"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "treatment_end");

  r = call("DELETE", "/api/v1/cases/" + case_id, "", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<int>("cases"), 1);
  EXPECT_EQ(call("GET", "/api/v1/cases/" + case_id).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + maya).status, 403);  // no CSRF
  r = call("DELETE", "/api/v1/clients/" + maya, "", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("deleted"), "Maya Okafor");
  EXPECT_EQ(call("GET", "/api/v1/clients/" + maya).status, 404);
  EXPECT_EQ(store_->auditEvents()->back().action, "client.delete");
}

// The same jurisdiction check as the command line: refused with a suggestion and the field,
// or kept when the person says so.
TEST_F(HttpServerTest, AnUnknownJurisdictionIsA400WithASuggestion) {
  createVault();
  std::string zoe = addClient("Zoë Müller");
  auto body = [&](const std::string& jurisdiction, const std::string& extra) {
    return R"({"client_id":")" + zoe + R"(","provider":{"name":"Dr. Ana Pérez","jurisdiction":")" +
           jurisdiction + R"("})" + extra + "}";
  };
  Reply r = call("POST", "/api/v1/cases", body("CA", ""), csrf());
  ASSERT_EQ(r.status, 400) << r.body;
  auto err = r.json()->getObject("error");
  EXPECT_EQ(err->getValue<std::string>("field"), "provider.jurisdiction");
  EXPECT_NE(err->getValue<std::string>("message").find("did you mean us-ca (California)"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(store_->listCases("")->size(), 0u);
  r = call("POST", "/api/v1/cases", body("xx-yy", R"(,"keep_unknown_jurisdiction":"yes")"), csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"),
            "keep_unknown_jurisdiction");
  r = call("POST", "/api/v1/cases", body("xx-yy", R"(,"keep_unknown_jurisdiction":true)"), csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getObject("provider")->getValue<std::string>("jurisdiction"), "xx-yy");
  EXPECT_NE(r.json()->getValue<std::string>("warning").find("no law for \"xx-yy\""),
            std::string::npos)
      << r.body;
}

TEST_F(HttpServerTest, BadJsonIsA400NamingTheProblem) {
  createVault();
  Reply r = call("POST", "/api/v1/clients", R"({"name": "Zoë")", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage().rfind("body: malformed JSON", 0), 0u);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("code"), "invalid_argument");

  r = call("POST", "/api/v1/clients", R"(["Zoë"])", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage(), "body: must be a JSON object");

  // A field given twice: which was meant cannot be known, so neither is taken.
  const size_t clients_before = store_->listClients()->size();
  r = call("POST", "/api/v1/clients", R"({"name":"Zoë","name":"Ana"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage(), "name: is given twice; give it once");
  EXPECT_EQ(store_->listClients()->size(), clients_before);

  r = call("POST", "/api/v1/clients", R"({"name":"Zoë","favourite_colour":"blue"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage().rfind("favourite_colour: is not a known field", 0), 0u);

  r = call("POST", "/api/v1/clients", R"({"name":42})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage(), "name: must be a string");

  r = call("POST", "/api/v1/clients", R"({"name":""})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage(), "name: must not be empty");

  r = call("POST", "/api/v1/cases", R"({"client_id":"cl_x","provider":{"nme":"x"}})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage().rfind("provider.nme: is not a known field", 0), 0u);

  r = call("POST", "/api/v1/cases",
           R"({"client_id":"cl_x","provider":{"name":"x"},"treatment_start":"March"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorMessage().rfind("treatment_start: ", 0), 0u);

  r = call("POST", "/api/v1/cases", R"({"client_id":"cl_x","provider":{"name":"x"}})", csrf());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(store_->listClients()->size(), 0u);
  EXPECT_EQ(store_->listCases("")->size(), 0u);
}

TEST_F(HttpServerTest, OversizedBodiesAreRefused) {
  createVault();
  std::string big = R"({"name":"Zoë","notes":")" + std::string(70 * 1024, 'x') + "\"}";
  Reply r = call("POST", "/api/v1/clients", big, csrf());
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(store_->listClients()->size(), 0u);
}

TEST_F(HttpServerTest, ASaveFromAVersionSomeoneElseChangedIsA409AndChangesNothing) {
  createVault();
  const std::string case_id = addCase(addClient("Zoë Müller"));
  Reply r = call("POST", "/api/v1/cases/" + case_id + "/incidents",
                 R"({"summary":"Ended therapy by text"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  EXPECT_EQ(r.json()->getValue<long long>("version"), 1);
  // Saved from version 1: now version 2.
  r = call("PATCH", "/api/v1/incidents/" + id, R"({"narrative":"First words","version":1})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<long long>("version"), 2);
  // Another page still shows version 1: its save is refused, and says who saved meanwhile.
  r = call("PATCH", "/api/v1/incidents/" + id, R"({"narrative":"Other words","version":1})",
           csrf());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.errorReason(), "changed_meanwhile");
  EXPECT_EQ(r.errorField(), "version");
  auto args = r.json()->getObject("error")->getObject("args");
  ASSERT_TRUE(args) << r.body;
  EXPECT_EQ(args->getValue<std::string>("by"), "owner");
  r = call("GET", "/api/v1/incidents/" + id);
  EXPECT_EQ(r.json()->getValue<std::string>("narrative"), "First words");
  // Not a version: named.
  r = call("PATCH", "/api/v1/incidents/" + id, R"({"narrative":"x","version":"two"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorField(), "version");
  // The same for a person's details.
  const std::string client = addClient("Dana Reyes");
  r = call("PATCH", "/api/v1/clients/" + client, R"({"phone":"555 0100","version":1})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  r = call("PATCH", "/api/v1/clients/" + client, R"({"phone":"555 0199","version":1})", csrf());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.errorReason(), "changed_meanwhile");
}

TEST_F(HttpServerTest, IncidentsAreNotedListedInOrderCorrectedAndDeleted) {
  createVault();
  std::string zoe = addClient("Zoë Müller");
  const std::string case_id = addCase(zoe);
  Reply r;
  const std::string incidents = "/api/v1/cases/" + case_id + "/incidents";

  // Only a summary is needed; dates exact, in words, a best guess, a stretch of time.
  r = call("POST", incidents, R"({"summary":"Ended therapy by text","date":"2024-04-02"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string ended = r.json()->getValue<std::string>("id");
  EXPECT_EQ(r.json()->getValue<std::string>("date_precision"), "exact");
  r = call("POST", incidents, R"({"summary":"Told my partner","date_text":"spring 2024"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("when"), "spring 2024");
  r = call("POST", incidents,
           R"({"summary":"Sessions ran late","date":"2023-10-01","date_end":"2024-01-31",)"
           R"("recurring":true})",
           csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("date_precision"), "recurring");
  r = call("POST", incidents, R"({"summary":"No date given"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;

  // Timeline order: "spring 2024" at its earliest day (March 1) before April 2; undated last.
  r = call("GET", incidents);
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = r.json()->getArray("incidents");
  ASSERT_EQ(list->size(), 4u);
  std::vector<std::string> order;
  for (size_t k = 0; k < list->size(); ++k) {
    order.push_back(list->getObject(static_cast<unsigned>(k))->getValue<std::string>("summary"));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"Sessions ran late", "Told my partner",
                                             "Ended therapy by text", "No date given"}));

  // A correction changes only what is given; "" clears.
  r = call("PATCH", "/api/v1/incidents/" + ended,
           R"({"narrative":"She texted that therapy was over.","date":"2024-04-03"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("date"), "2024-04-03");
  EXPECT_EQ(r.json()->getValue<std::string>("summary"), "Ended therapy by text");
  EXPECT_EQ(r.json()->getValue<std::string>("narrative"), "She texted that therapy was over.");
  r = call("PATCH", "/api/v1/incidents/" + ended, R"({"narrative":""})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->isNull("narrative")) << r.body;  // cleared

  // Bad input names the member and saves nothing.
  r = call("POST", incidents, R"({"summary":"x","date":"2024-02-30"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "date") << r.body;
  r = call("POST", incidents, R"({"summary":"x","date_end":"2024-02-01"})", csrf());
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "date_end") << r.body;
  r = call("POST", incidents, R"({"summary":"x","approximate":"yes"})", csrf());
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "approximate") << r.body;
  EXPECT_EQ(call("POST", incidents, R"({"summary":"x","mood":"sad"})", csrf()).status, 400);
  EXPECT_EQ(call("POST", incidents, R"({"date":"2024-01-01"})", csrf()).status, 400);
  r = call("PATCH", "/api/v1/incidents/" + ended, R"({"summary":""})", csrf());
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "summary") << r.body;
  EXPECT_EQ(call("POST", "/api/v1/cases/cs_nothere/incidents", R"({"summary":"x"})", csrf()).status,
            404);
  EXPECT_EQ(store_->listIncidents(case_id)->size(), 4u);
  // Without the CSRF token nothing is written.
  EXPECT_EQ(call("POST", incidents, R"({"summary":"x"})").status, 403);

  r = call("DELETE", "/api/v1/incidents/" + ended, "", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/incidents/" + ended).status, 404);
  EXPECT_EQ(store_->listIncidents(case_id)->size(), 3u);
}

TEST_F(HttpServerTest, APersonChoosesPlacesAndLicensesByName) {
  EXPECT_EQ(call("GET", "/api/v1/jurisdictions").status, 401);  // after unlocking only
  createVault();
  Reply r = call("GET", "/api/v1/jurisdictions");
  ASSERT_EQ(r.status, 200) << r.body;
  auto places = r.json()->getArray("jurisdictions");
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ(places->getObject(0)->getValue<std::string>("id"), "us-ca");
  EXPECT_EQ(places->getObject(0)->getValue<std::string>("name"), "California");
  EXPECT_TRUE(places->getObject(0)->getValue<bool>("licenses"));  // its board is recorded
  r = call("GET", "/api/v1/license-types");
  ASSERT_EQ(r.status, 200) << r.body;
  auto types = r.json()->getArray("license_types");
  ASSERT_EQ(types->size(), 1u);
  EXPECT_EQ(types->getObject(0)->getValue<std::string>("label"), "Marriage and family therapist");
  EXPECT_EQ(types->getObject(0)->getArray("aliases")->getElement<std::string>(0), "LMFT");
}

// With the server's own default limit, an account at its longest is taken, on the page
// and in its draft: the limits of a record, a page's body and a draft agree.
TEST_F(HttpServerTest, AnAccountAtItsLongestIsTakenWithTheDefaultLimits) {
  server_->stop();
  ServerConfig config;  // the defaults, but a free port and a quick key derivation
  config.port = 0;
  config.kdf = "interactive";
  server_ = std::make_unique<HttpServer>(*vault_, clock_, config);
  ASSERT_TRUE(server_->start().isOk());
  createVault();
  const std::string kase = addCase(addClient("Zoë"));
  const std::string account(core::kMaxLongText, 'w');
  Reply r = call("POST", "/api/v1/cases/" + kase + "/incidents",
                 R"({"summary":"It went on for months","narrative":")" + account + R"("})", csrf());
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 300);
  r = call("PUT", "/api/v1/drafts/place",
           R"({"path":"/cases/x/incidents/new","values":{"summary":"It went on","narrative":")" +
               account + R"("}})",
           csrf());
  EXPECT_LT(r.status, 300) << r.body.substr(0, 300);
}

TEST_F(HttpServerTest, EachRouteHasItsOwnBodyLimit) {
  // Unlocking takes a passphrase: 16 KiB is plenty, far below the server's 64 KiB here.
  std::string padded = R"({"passphrase":")" + std::string(20 * 1024, 'x') + "\"}";
  Reply r = call("POST", "/api/v1/session", padded);
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.errorMessage().find("16384-byte limit"), std::string::npos) << r.body;
  // Said in the page's words, with the limit as a person reads it.
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "body_too_large");
  EXPECT_EQ(r.json()->getObject("error")->getObject("args")->getValue<std::string>("max"), "16 KB");
  // The same size is fine where a record with its answers goes.
  createVault();
  std::string notes = R"({"name":"Zoë","notes":")" + std::string(20 * 1024, 'x') + "\"}";
  EXPECT_EQ(call("POST", "/api/v1/clients", notes, csrf()).status, 201);
}

TEST_F(HttpServerTest, APathWithTheWrongMethodSaysWhichItTakes) {
  createVault();
  Reply r = call("PUT", "/api/v1/clients/cl_x", "{}", csrf());
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["Allow"], "GET, PATCH, DELETE");
  // Only the versioned paths exist; an unknown one is a 404 naming it.
  r = call("GET", "/api/health");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.errorMessage().find("GET /api/health"), std::string::npos) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/clients/").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/clients/a/b").status, 404);
}

// docs/api.md lists every route with who may call it and its body limit, as the server
// routes them: a route added to one and not the other fails here.
TEST(ApiDocTest, TheDocumentedRoutesAreTheServedRoutes) {
  std::ifstream in(std::string(RECOURSE_SOURCE_DIR) + "/docs/api.md");
  ASSERT_TRUE(in.good());
  std::vector<std::string> documented;
  std::string line;
  while (std::getline(in, line)) {
    // "| `GET` | `/api/v1/health` | anyone | - | does |"
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    size_t at = 1;
    while (cells.size() < 4) {
      size_t bar = line.find(" |", at);
      if (bar == std::string::npos) break;
      std::string cell = line.substr(at + 1, bar - at - 1);
      if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
        cell = cell.substr(1, cell.size() - 2);
      }
      cells.push_back(cell);
      at = bar + 2;
    }
    ASSERT_EQ(cells.size(), 4u) << line;
    documented.push_back(cells[0] + " " + cells[1] + " | " + cells[2] + " | " + cells[3]);
  }
  std::vector<std::string> served;
  for (const auto& r : apiRoutes()) {
    served.push_back(r.method + " " + r.pattern + " | " + r.access + " | " +
                     (r.max_body == 0 ? "-" : std::to_string(r.max_body / 1024)));
  }
  EXPECT_EQ(documented, served);
}

TEST_F(HttpServerTest, LockEndsTheSessionAndWipesKeys) {
  createVault();
  addClient("Zoë");
  Reply r = call("DELETE", "/api/v1/session");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(store_->isUnlocked());
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/session").json()->getValue<std::string>("vault"), "locked");

  r = call("POST", "/api/v1/session", R"({"passphrase":"wrong passphrase"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(store_->isUnlocked());
  r = call("POST", "/api/v1/session", R"({"passphrase":"a long enough passphrase"})");
  ASSERT_EQ(r.status, 200);
  csrf_ = r.json()->getValue<std::string>("csrf_token");
  cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
  EXPECT_EQ(call("GET", "/api/v1/clients").json()->getArray("clients")->size(), 1u);
}

TEST_F(HttpServerTest, WrongPassphrasesSlowUnlockingDownWithA429) {
  createVault();
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(call("POST", "/api/v1/session", R"({"passphrase":"wrong passphrase"})").status, 401);
  }
  // Even the right passphrase waits now; the answer says how long.
  Reply r = call("POST", "/api/v1/session", R"({"passphrase":"a long enough passphrase"})");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "unlock_wait");
  EXPECT_FALSE(store_->isUnlocked());
  clock_.advance(std::chrono::seconds(6));
  r = call("POST", "/api/v1/session", R"({"passphrase":"a long enough passphrase"})");
  EXPECT_EQ(r.status, 200);
}

TEST_F(HttpServerTest, IdleSessionLocksTheVault) {
  createVault();
  clock_.advance(std::chrono::minutes(14));
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 200);  // activity keeps it open
  clock_.advance(std::chrono::minutes(16));
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  EXPECT_FALSE(store_->isUnlocked());
}

TEST_F(HttpServerTest, SessionInfoGivesTheTokenBackToItsOwnPage) {
  createVault();
  Reply r = call("GET", "/api/v1/session");
  EXPECT_EQ(r.json()->getValue<std::string>("vault"), "unlocked");
  EXPECT_EQ(r.json()->getValue<std::string>("csrf_token"), csrf_);
  cookie_.clear();
  r = call("GET", "/api/v1/session");
  EXPECT_FALSE(r.json()->has("csrf_token"));
}

TEST_F(HttpServerTest, ServesTheAppAtEveryPageAddress) {
  Reply r = call("GET", "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<script type=\"module\" src=\"/js/main.js\">"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"quick-exit\""), std::string::npos);
  const std::string page = r.body;
  // A page's own address serves the app, which draws that page: reload and Back work.
  r = call("GET", "/cases/ca_123/therapist");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, page);
  r = call("GET", "/js/main.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "text/javascript; charset=utf-8");
  // Served without its whole-line comments, its code whole.
  EXPECT_NE(r.body.find("export function navigate(path, options) {"), std::string::npos);
  EXPECT_NE(r.body.find("const kShellParts = ['shell',"), std::string::npos);
  EXPECT_EQ(r.body.find("\n//"), std::string::npos);
  EXPECT_EQ(r.body.rfind("//", 0), std::string::npos);
  r = call("GET", "/messages/en.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "application/json; charset=utf-8");
  EXPECT_EQ(r.json()->getValue<std::string>("shell.exit"), "Quick exit");
  const size_t whole = r.json()->size();
  // In parts: each holds exactly the messages of its namespace.
  r = call("GET", "/messages/en/shell.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/json; charset=utf-8");
  EXPECT_EQ(r.json()->getValue<std::string>("shell.exit"), "Quick exit");
  std::vector<std::string> names;
  r.json()->getNames(names);
  for (const auto& n : names) EXPECT_EQ(n.rfind("shell.", 0), 0u) << n;
  EXPECT_LT(names.size(), whole);
  r = call("GET", "/messages/en/records.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(r.json()->has("shell.exit"));
  EXPECT_TRUE(r.json()->has("records.list.title"));
  for (const char* missing :
       {"/messages/en/nope.json", "/messages/xx/shell.json", "/messages/en/.json",
        "/messages//shell.json", "/messages/en/a/shell.json"}) {
    EXPECT_EQ(call("GET", missing).status, 404) << missing;
  }
  // A file that is not there is not the app.
  EXPECT_EQ(call("GET", "/../etc/passwd").status, 404);
  EXPECT_EQ(call("GET", "/missing.html").status, 404);
  EXPECT_EQ(call("GET", "/js/missing.js").status, 404);
  EXPECT_EQ(call("POST", "/cases", "{}").status, 404);
}

TEST_F(HttpServerTest, QuickExitLocksTheVaultAndLeavesForANeutralSite) {
  createVault();
  addClient("Zoë");
  // Another site cannot send a person's browser here to lock it.
  Reply r = call("GET", "/exit", "", {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(store_->isUnlocked());

  r = call("GET", "/exit", "", {{"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers["Location"], "https://www.bbc.co.uk/weather");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(store_->isUnlocked());
  ASSERT_EQ(r.cookies.size(), 1u);
  EXPECT_NE(r.cookies[0].find("recourse_session=;"), std::string::npos) << r.cookies[0];
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/session").json()->getValue<std::string>("vault"), "locked");
}

TEST_F(HttpServerTest, ACasePageSaysWhereEachTaskStandsAndFindsTheBoard) {
  EXPECT_EQ(call("GET", "/api/v1/cases/ca_x/overview").status, 401);
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  const std::string id = addCase(zoe);
  Reply r;
  auto statuses = [&](const Object::Ptr& o) {
    std::map<std::string, std::string> out;
    auto tasks = o->getArray("tasks");
    for (size_t i = 0; i < tasks->size(); ++i) {
      out[tasks->getObject(i)->getValue<std::string>("id")] =
          tasks->getObject(i)->getValue<std::string>("status");
    }
    return out;
  };

  r = call("GET", "/api/v1/cases/" + id + "/overview");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getObject("client")->getValue<std::string>("name"), "Zoë Müller");
  auto st = statuses(r.json());
  EXPECT_EQ(st["therapist"], "in_progress");
  EXPECT_EQ(st["incidents"], "not_started");
  EXPECT_EQ(st["evidence"], "not_started");
  EXPECT_EQ(st["records"], "not_started");
  EXPECT_EQ(st["complaint"], "cannot_start");
  EXPECT_EQ(r.json()->getArray("tasks")->getObject(4)->getValue<std::string>("missing"),
            "license_type");
  EXPECT_EQ(r.json()->getObject("board")->getValue<std::string>("missing"), "license_type");

  r = call("PATCH", "/api/v1/cases/" + id,
           R"({"provider":{"license_type":"marriage_family_therapist","jurisdiction":"us-ca"}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  r = call("POST", "/api/v1/cases/" + id + "/incidents",
           R"({"summary":"Ended therapy by text","date":"2019-01-10"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;

  r = call("GET", "/api/v1/cases/" + id + "/overview");
  ASSERT_EQ(r.status, 200) << r.body;
  st = statuses(r.json());
  EXPECT_EQ(st["therapist"], "completed");
  EXPECT_EQ(st["incidents"], "in_progress");
  EXPECT_EQ(st["complaint"], "not_started");
  EXPECT_EQ(r.json()->getArray("tasks")->getObject(1)->getValue<int>("count"), 1);
  auto board = r.json()->getObject("board");
  auto found = board->getArray("found");
  ASSERT_EQ(found->size(), 1u);
  auto bbs = found->getObject(0);
  EXPECT_EQ(bbs->getValue<std::string>("name"), "Board of Behavioral Sciences");
  EXPECT_EQ(bbs->getValue<std::string>("jurisdiction"), "California");
  auto lines = bbs->getArray("address_lines");
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ(lines->getElement<std::string>(2), "Sacramento, CA 95834");
  auto limit = bbs->getObject("time_limit");
  EXPECT_EQ(limit->getValue<std::string>("citation"), "Cal. Bus. & Prof. Code 4982.05");
  EXPECT_FALSE(limit->getValue<bool>("verified"));
  EXPECT_EQ(limit->getValue<std::string>("caution"), "Check the limit with the board.");
  // An act in January 2019 is within weeks of a seven-year limit on the fake clock's day,
  // or past it: the page says so (a note, never a refusal).
  ASSERT_GE(board->getArray("warnings")->size(), 1u) << r.body;
  // Each note as data the page says in its own words, with the English beside it.
  auto note = board->getArray("warnings")->getObject(0);
  EXPECT_EQ(note->getValue<std::string>("key").rfind("time_limit.", 0), 0u) << r.body;
  EXPECT_EQ(note->getObject("args")->getValue<std::string>("citation"),
            "Cal. Bus. & Prof. Code 4982.05");
  EXPECT_FALSE(note->getValue<std::string>("text").empty());

  r = call("GET", "/api/v1/cases/ca_nope/overview");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "case_id");

  // Only the person can say they have written down all they want to.
  const std::string tasks = "/api/v1/cases/" + id + "/tasks";
  r = call("PUT", tasks, R"({"task":"incidents","completed":true})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  r = call("PUT", tasks, R"({"task":"evidence","completed":true})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  st = statuses(call("GET", "/api/v1/cases/" + id + "/overview").json());
  EXPECT_EQ(st["incidents"], "completed");
  EXPECT_EQ(st["evidence"], "completed");  // having none can be finished too
  r = call("PUT", tasks, R"({"task":"incidents","completed":false})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  st = statuses(call("GET", "/api/v1/cases/" + id + "/overview").json());
  EXPECT_EQ(st["incidents"], "in_progress");
  for (const auto& [bad, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"task":"records","completed":true})", "task"},
           {R"({"completed":true})", "task"},
           {R"({"task":"incidents"})", "completed"},
           {R"({"task":"incidents","completed":"yes"})", "completed"},
           {R"({"task":"incidents","completed":true,"why":"x"})", "why"}}) {
    r = call("PUT", tasks, bad, csrf());
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), field) << bad;
  }
  EXPECT_EQ(
      call("PUT", "/api/v1/cases/ca_nope/tasks", R"({"task":"incidents","completed":true})", csrf())
          .status,
      404);
  EXPECT_EQ(call("PUT", tasks, R"({"task":"incidents","completed":true})").status, 403);
}

TEST_F(HttpServerTest, ACasePageIsWorkedOutAfreshWhenAnythingItShowsChanges) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + zoe +
                     R"(","provider":{"name":"Dr. Ana Pérez","license_type":)"
                     R"("marriage_family_therapist","jurisdiction":"us-ca"}})",
                 csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  r = call("POST", "/api/v1/cases/" + id + "/incidents",
           R"({"summary":"Ended therapy by text","date":"2020-01-10"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string path = "/api/v1/cases/" + id + "/overview";
  const std::string before = call("GET", path).body;
  EXPECT_EQ(call("GET", path).body, before);

  // Changed behind the API's back (as another Recourse process would): the page sees it.
  core::Client renamed = *store_->getClient(zoe);
  renamed.name = "Zoë M.";
  ASSERT_TRUE(store_->updateClient(renamed).isOk());
  r = call("GET", path);
  EXPECT_EQ(r.json()->getObject("client")->getValue<std::string>("name"), "Zoë M.");

  // After a lock nothing kept is shown, even to the same session's cookie.
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  EXPECT_EQ(call("GET", path).status, 401);
}

TEST_F(HttpServerTest, ABackupIsDownloadedAndRestoredFromTheBrowser) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  const std::string kase = addCase(zoe);
  Reply r;
  auto upload = csrf();
  upload["Content-Type"] = "application/octet-stream";
  r = call("POST", "/api/v1/cases/" + kase + "/evidence?name=texts.txt", "Texts from Dr. P\n",
           upload);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string ev = r.json()->getValue<std::string>("id");

  // The passphrase is asked again, and must be the vault's: a backup sealed with any
  // other would not open.
  r = call("POST", "/api/v1/vault/export", R"({"passphrase":"not the one"})", csrf());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "passphrase");
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 200);  // still unlocked
  EXPECT_EQ(
      call("POST", "/api/v1/vault/export", R"({"passphrase":"a long enough passphrase"})").status,
      403);  // no CSRF token
  r = call("POST", "/api/v1/vault/export", R"({"passphrase":"a long enough passphrase"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/octet-stream");
  EXPECT_EQ(r.headers["Content-Disposition"],
            "attachment; filename=\"recourse-backup-2026-03-02.recourse\"");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");
  EXPECT_EQ(r.body.rfind("RECOURSE-EXPORT\n", 0), 0u);
  EXPECT_EQ(r.body.find("Zoë"), std::string::npos);  // sealed
  const std::string backup = r.body;
  for (const auto& entry : std::filesystem::directory_iterator(data_.path())) {
    EXPECT_EQ(entry.path().extension(), "") << "left behind: " << entry.path();
  }

  // Something added after the backup, then the backup restored over it.
  addClient("Ana");
  auto restore = csrf();
  restore["X-Recourse-Passphrase"] = "a%20long%20enough%20passphrase";
  r = call("POST", "/api/v1/vault/import", backup, restore);
  EXPECT_EQ(r.status, 409);  // replacing must be asked for
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "replace");
  auto wrong = restore;
  wrong["X-Recourse-Passphrase"] = "wrong%20passphrase";
  r = call("POST", "/api/v1/vault/import?replace=yes", backup, wrong);
  EXPECT_EQ(r.status, 401);
  // Nothing changed, and the session goes on.
  EXPECT_EQ(call("GET", "/api/v1/clients").json()->getArray("clients")->size(), 2u);
  auto no_token = restore;
  no_token.erase("X-CSRF-Token");
  EXPECT_EQ(call("POST", "/api/v1/vault/import?replace=yes", backup, no_token).status, 403);
  r = call("POST", "/api/v1/vault/import?replace=yes", backup.substr(0, backup.size() / 2),
           restore);
  EXPECT_EQ(r.status, 400) << r.body;  // cut short: said so, not blamed on the passphrase
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "file");
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "backup_cut_short");
  r = call("POST", "/api/v1/vault/import?replace=yes", "not a backup at all", restore);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "file");
  r = call("POST", "/api/v1/vault/import?replace=maybe", backup, restore);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(call("GET", "/api/v1/clients").json()->getArray("clients")->size(), 2u);

  {
    // Another program has the vault open (a command line batch): the restore waits for it
    // briefly, then says so, and this vault goes on as it was.
    auto other =
        store::VaultLock::take(store::databasePath(data_.path()), store::VaultLock::Mode::kShared);
    ASSERT_TRUE(other.isOk()) << other.status().toString();
    store::VaultLock::setWaits(std::chrono::milliseconds(60'000), std::chrono::milliseconds(200));
    r = call("POST", "/api/v1/vault/import?replace=yes", backup, restore);
    store::VaultLock::setWaits(std::chrono::milliseconds(60'000), std::chrono::milliseconds(5'000));
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "vault_busy");
    EXPECT_EQ(call("GET", "/api/v1/clients").json()->getArray("clients")->size(), 2u);
  }
  r = call("POST", "/api/v1/vault/import?replace=yes", backup, restore);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string old_cookie = cookie_;
  csrf_ = r.json()->getValue<std::string>("csrf_token");
  cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
  auto clients = call("GET", "/api/v1/clients").json()->getArray("clients");
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ(clients->getObject(0)->getValue<std::string>("name"), "Zoë Müller");
  r = call("GET", "/api/v1/evidence/" + ev + "/file");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Texts from Dr. P\n");
  // The session from before the restore has ended.
  const std::string new_cookie = cookie_;
  cookie_ = old_cookie;
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  cookie_ = new_cookie;
  // The vault it replaced is kept beside it.
  bool kept = false;
  for (const auto& entry : std::filesystem::directory_iterator(data_.path())) {
    kept = kept || entry.path().filename().string().find("before-import") != std::string::npos;
  }
  EXPECT_TRUE(kept);

  // On another computer, with no vault yet: restoring needs no session.
  testing::TempDir elsewhere;
  auto fresh = service::Vault::openDataDir(elsewhere.path(), catalog_, clock_);
  ASSERT_TRUE(fresh.isOk()) << fresh.status().toString();
  ServerConfig config;
  config.port = 0;
  config.kdf = "interactive";
  HttpServer other(**fresh, clock_, config);
  ASSERT_TRUE(other.start().isOk());
  Poco::Net::HTTPClientSession session("127.0.0.1", other.port());
  Poco::Net::HTTPRequest req("POST", "/api/v1/vault/import", Poco::Net::HTTPMessage::HTTP_1_1);
  req.setHost("127.0.0.1:" + std::to_string(other.port()));
  req.set("X-Recourse-Passphrase", "a%20long%20enough%20passphrase");
  req.setContentType("application/octet-stream");
  req.setContentLength(static_cast<std::streamsize>(backup.size()));
  session.sendRequest(req) << backup;
  Poco::Net::HTTPResponse resp;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
  EXPECT_EQ(resp.getStatus(), 201) << body;
  EXPECT_EQ((*fresh)->state(), service::Vault::State::kUnlocked);
  auto services = (*fresh)->services();
  ASSERT_TRUE(services.isOk());
  EXPECT_EQ((*services)->store.getClient(zoe)->name, "Zoë Müller");
  other.stop();
}

// A second restore while one is arriving is refused (409) rather than queued: the person
// who started the first is told nothing changed for the second.
TEST_F(HttpServerTest, OneBackupIsRestoredAtATime) {
  createVault();
  // The first restore: its headers sent, its body still on the way.
  Poco::Net::HTTPClientSession first("127.0.0.1", server_->port());
  Poco::Net::HTTPRequest req("POST", "/api/v1/vault/import?replace=yes",
                             Poco::Net::HTTPMessage::HTTP_1_1);
  req.setHost("127.0.0.1:" + std::to_string(server_->port()));
  req.set("Cookie", cookie_);
  req.set("X-CSRF-Token", csrf_);
  req.set("X-Recourse-Passphrase", "a%20long%20enough%20passphrase");
  req.setContentType("application/octet-stream");
  req.setContentLength(1024 * 1024);
  std::ostream& out = first.sendRequest(req);
  out << std::string(1024, 'x') << std::flush;
  // It is being received once its part-file is in the data directory.
  auto arriving = [&] {
    for (const auto& e : std::filesystem::directory_iterator(data_.path())) {
      if (e.path().extension() == ".part") return true;
    }
    return false;
  };
  for (int i = 0; i < 500 && !arriving(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(arriving()) << "the first restore never started";

  auto restore = csrf();
  restore["X-Recourse-Passphrase"] = "a%20long%20enough%20passphrase";
  Reply second = call("POST", "/api/v1/vault/import?replace=yes", "not a backup", restore);
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(second.json()->getObject("error")->getValue<std::string>("field"), "file");
  first.reset();  // the first gives up half-way

  // Once it has ended (its part-file gone), a restore is taken again, and this one is
  // refused for what it is.
  for (int i = 0; i < 500 && arriving(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(arriving()) << "the part-file of a restore cut short was left behind";
  Reply after;
  for (int i = 0; i < 100; ++i) {
    after = call("POST", "/api/v1/vault/import?replace=yes", "not a backup", restore);
    if (after.status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(after.status, 400) << after.body;
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 200);  // the vault serves as before
}

// Every route the server has, called wrongly: without a session, without the CSRF token,
// from another site, with a body that is not JSON, with an id that does not exist. Each is
// refused with a 4xx and a JSON error naming what was wrong, nothing is written, and the
// server goes on serving.
TEST_F(HttpServerTest, EveryRouteRefusesBadCallsWithAJsonError) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  const std::string kase = addCase(zoe);
  Reply r;
  const std::string incident =
      call("POST", "/api/v1/cases/" + kase + "/incidents", R"({"summary":"x"})", csrf())
          .json()
          ->getValue<std::string>("id");
  const std::string request = call("POST", "/api/v1/cases/" + kase + "/requests", "{}", csrf())
                                  .json()
                                  ->getValue<std::string>("id");
  auto upload = csrf();
  upload["Content-Type"] = "application/octet-stream";
  const std::string evidence =
      call("POST", "/api/v1/cases/" + kase + "/evidence?name=a.txt", "some text\n", upload)
          .json()
          ->getValue<std::string>("id");
  // A real id for each kind of path, so that a refusal is about what is tested.
  auto realPath = [&](std::string pattern) {
    const size_t at = pattern.find("{id}");
    if (at == std::string::npos) return pattern;
    std::string id = "place";
    if (pattern.rfind("/api/v1/clients/", 0) == 0) id = zoe;
    if (pattern.rfind("/api/v1/cases/", 0) == 0) id = kase;
    if (pattern.rfind("/api/v1/incidents/", 0) == 0) id = incident;
    if (pattern.rfind("/api/v1/requests/", 0) == 0) id = request;
    if (pattern.rfind("/api/v1/evidence/", 0) == 0) id = evidence;
    if (pattern.rfind("/api/v1/forms/", 0) == 0) id = "records-request";
    return pattern.replace(at, 4, id);
  };
  auto expectJsonError = [](const Reply& reply, int status, const std::string& what) {
    EXPECT_EQ(reply.status, status) << what << ": " << reply.body;
    if (reply.status != status) return;
    EXPECT_EQ(reply.headers.at("Content-Type"), "application/json; charset=utf-8") << what;
    auto err = reply.json()->getObject("error");
    ASSERT_TRUE(err) << what;
    EXPECT_FALSE(err->getValue<std::string>("code").empty()) << what;
    EXPECT_FALSE(err->getValue<std::string>("message").empty()) << what;
  };
  const auto audit_before = changeCount();
  size_t checked = 0;
  for (const auto& route : apiRoutes()) {
    const std::string what = route.method + " " + route.pattern;
    const std::string path = realPath(route.pattern);
    const bool write = route.method != "GET";
    // A route that takes no body is sent none (one with a body is refused for that first).
    const std::string body = route.max_body > 0 ? "{}" : "";
    if (route.access != "anyone") {
      const std::string kept = cookie_;
      cookie_.clear();
      expectJsonError(call(route.method, path, body, csrf()), 401, what + " without a session");
      cookie_ = kept;
    }
    if (route.access == "session + CSRF") {
      expectJsonError(call(route.method, path, body), 403, what + " without the CSRF token");
      auto wrong = csrf();
      wrong["X-CSRF-Token"] = "0123456789abcdef";
      expectJsonError(call(route.method, path, body, wrong), 403, what + " with a wrong token");
    }
    if (write) {
      auto foreign = csrf();
      foreign["Origin"] = "http://evil.example";
      expectJsonError(call(route.method, path, body, foreign), 403, what + " from another site");
    }
    expectJsonError(call(route.method, path, "", {}, "evil.example:80"), 421,
                    what + " with a foreign Host");
    const bool json_body = write && route.max_body > 0 &&
                           route.pattern.find("/evidence") == std::string::npos &&
                           route.pattern.find("/import") == std::string::npos;
    if (json_body) {
      expectJsonError(call(route.method, path, "{not json", csrf()), 400, what + " with bad JSON");
      expectJsonError(call(route.method, path, "[1, 2]", csrf()), 400, what + " with an array");
    }
    if (route.pattern.find("{id}") != std::string::npos &&
        route.pattern.rfind("/api/v1/drafts/", 0) != 0 && route.method != "PUT" &&
        route.method != "PATCH" && route.method != "POST") {
      std::string unknown = route.pattern;
      unknown.replace(unknown.find("{id}"), 4, "zz_nope");
      expectJsonError(call(route.method, unknown, "", csrf()), 404, what + " for an unknown id");
    }
    ++checked;
  }
  EXPECT_EQ(checked, apiRoutes().size());
  // Nothing was written by any of it (the vault's own entries aside, none was added), and the
  // server still answers.
  EXPECT_EQ(changeCount(), audit_before);
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/clients").json()->getArray("clients")->size(), 1u);
}

TEST_F(HttpServerTest, TheTimelineDownloadsAsAPdf) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  const std::string id = addCase(zoe);
  Reply r;
  r = call("GET", "/api/v1/cases/" + id + "/timeline.pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(r.headers["Content-Disposition"], "attachment; filename=\"timeline.pdf\"");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(r.headers.count("X-Recourse-Unshown"), 0u);  // nothing it could not show
  EXPECT_EQ(call("GET", "/api/v1/cases/ca_nope/timeline.pdf").status, 404);

  // A flower no font has, and a bell character: written as codes, and named for the page.
  r = call("POST", "/api/v1/cases/" + id + "/incidents",
           "{\"summary\":\"He sent a flower \xF0\x9F\x8C\xBB at night\\u0007\"}", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  r = call("GET", "/api/v1/cases/" + id + "/timeline.pdf");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["X-Recourse-Unshown"], "U+1F33B U+0007");
}

TEST_F(HttpServerTest, EvidenceIsUploadedListedDownloadedCheckedAndRemoved) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  const std::string id = addCase(zoe);
  Reply r;
  const std::string evidence = "/api/v1/cases/" + id + "/evidence";
  std::string file = "Texts from Dr. P\n";
  for (int i = 0; i < 20000; ++i) file += "message " + std::to_string(i) + "\n";  // ~250 KB

  auto headers = csrf();
  headers["Content-Type"] = "application/octet-stream";
  r = call("POST", evidence + "?name=Zo%C3%AB%27s%20texts.txt&description=From%20her%20phone", file,
           headers);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string ev = r.json()->getValue<std::string>("id");
  EXPECT_EQ(r.json()->getValue<std::string>("original_name"), "Zoë's texts.txt");
  EXPECT_EQ(r.json()->getValue<std::string>("description"), "From her phone");
  EXPECT_EQ(r.json()->getValue<long long>("size_bytes"), static_cast<long long>(file.size()));
  EXPECT_EQ(r.json()->getValue<std::string>("sha256").size(), 64u);

  r = call("GET", evidence);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getArray("evidence")->size(), 1u);
  EXPECT_EQ(r.json()->getValue<long long>("max_bytes"), 300 * 1024);

  r = call("GET", "/api/v1/evidence/" + ev + "/file");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, file);
  EXPECT_EQ(r.headers["Content-Disposition"],
            "attachment; filename=\"Zo___s texts.txt\"; filename*=UTF-8''Zo%C3%AB%27s%20texts.txt");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");
  auto log = store_->custodyLog();
  ASSERT_TRUE(log.isOk());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ(log->back().action, "export");

  r = call("GET", evidence + "/check");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<int>("problems"), 0);
  EXPECT_TRUE(r.json()->getArray("checked")->getObject(0)->getValue<bool>("intact"));

  // What is said about it is corrected; the file is not.
  r = call("PATCH", "/api/v1/evidence/" + ev,
           R"({"description":"Texts from Dr. P","date":"2024-03-02"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("description"), "Texts from Dr. P");
  EXPECT_EQ(r.json()->getValue<std::string>("date"), "2024-03-02");
  EXPECT_EQ(r.json()->getValue<std::string>("original_name"), "Zoë's texts.txt");
  for (const auto& [bad, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"date":"2099-01-01"})", "date"},
           {R"({"date":"02/03/2024"})", "date"},
           {R"({"incident_id":"in_nothere"})", "incident_id"},
           {R"({"sha256":"00"})", "sha256"},
           {R"({"description":7})", "description"}}) {
    r = call("PATCH", "/api/v1/evidence/" + ev, bad, csrf());
    EXPECT_GE(r.status, 400) << bad << " " << r.body;
    EXPECT_LT(r.status, 500) << bad << " " << r.body;
    EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), field) << bad;
  }
  EXPECT_EQ(call("GET", "/api/v1/evidence/" + ev).json()->getValue<std::string>("date"),
            "2024-03-02");
  EXPECT_EQ(call("PATCH", "/api/v1/evidence/" + ev, R"({"description":""})").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/evidence/" + ev + "/file").body, file);

  EXPECT_EQ(call("DELETE", "/api/v1/evidence/" + ev).status, 403);  // no CSRF token
  r = call("DELETE", "/api/v1/evidence/" + ev, "", csrf());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", evidence).json()->getArray("evidence")->size(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/evidence/" + ev + "/file").status, 404);
}

TEST_F(HttpServerTest, AnUploadThatIsRefusedSaysWhyAndKeepsNothing) {
  createVault();
  const std::string zoe = addClient("Zoë");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + zoe + R"(","provider":{"name":"Dr. P"}})", csrf());
  const std::string evidence =
      "/api/v1/cases/" + r.json()->getValue<std::string>("id") + "/evidence";
  auto headers = csrf();
  headers["Content-Type"] = "application/pdf";

  r = call("POST", evidence + "?name=letter.pdf", "this is not a PDF", headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "file");
  EXPECT_NE(r.errorMessage().find("letter.pdf: its name says PDF"), std::string::npos);

  r = call("POST", evidence + "?name=big.txt", std::string(301 * 1024, 'x'), headers);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "file");

  r = call("POST", evidence + "?description=x", "abc", headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "name");
  r = call("POST", evidence + "?name=a.txt&colour=red", "abc", headers);
  EXPECT_EQ(r.status, 400);
  r = call("POST", evidence + "?name=a.txt&date=2024-02-30", "abc", headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "date");
  r = call("POST", "/api/v1/cases/ca_nope/evidence?name=a.txt", "abc", headers);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "case_id");
  r = call("POST", evidence + "?name=a.txt", "abc", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 403);  // no CSRF token

  EXPECT_EQ(call("GET", evidence).json()->getArray("evidence")->size(), 0u);
  EXPECT_TRUE(store_->custodyLog()->empty());
  // The server goes on serving.
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
  cookie_.clear();
  EXPECT_EQ(call("POST", evidence + "?name=a.txt", "abc", headers).status, 401);
}

// Answers the letter cannot use are refused on their page (a date of birth still to come);
// one it needs because of other answers (a third party's address for a paper copy) lets the
// page be saved, is named on the check page as a part, and keeps the letter from being made.
TEST_F(HttpServerTest, ARecordsLetterNamesEveryPartItStillNeeds) {
  createVault();
  const std::string case_id = addRecordsCase();
  Reply r = call("POST", "/api/v1/cases/" + case_id + "/requests", "{}", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  const std::string answers_path = "/api/v1/requests/" + id + "/answers";

  r = call("PATCH", answers_path, R"({"step":"you","answers":{"date_of_birth":"2999-01-01"}})",
           csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "date_of_birth");
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "day_in_future");

  r = call("PATCH", answers_path,
           R"({"step":"how","answers":{"format":"paper","send_to":"third_party",)"
           R"("third_party":{"name":"Legal Aid of the Bay"}}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  auto interview = r.json()->getObject("interview");
  EXPECT_EQ(interview->getValue<Poco::UInt64>("missing"), 1u);
  // The names a list of each step carries ("missing", "shown"), over every step or one.
  auto namesIn = [](const Poco::JSON::Object::Ptr& iv, const std::string& list,
                    const std::string& step = "") {
    std::vector<std::string> out;
    auto all = iv->getArray("steps");
    for (size_t i = 0; i < all->size(); ++i) {
      auto st = all->getObject(static_cast<unsigned>(i));
      if (!step.empty() && st->getValue<std::string>("id") != step) continue;
      auto names = st->getArray(list);
      for (size_t k = 0; k < names->size(); ++k) out.push_back(names->getElement<std::string>(k));
    }
    return out;
  };
  EXPECT_EQ(namesIn(interview, "missing"), (std::vector<std::string>{"third_party.address"}));
  // The page draws the fields the server shows: the third party and what the records are for
  // now, with send_to "me" not.
  auto shownOn = [&](const Poco::JSON::Object::Ptr& iv, const std::string& step) {
    return namesIn(iv, "shown", step);
  };
  EXPECT_EQ(shownOn(interview, "how"),
            (std::vector<std::string>{"format", "send_to", "third_party", "purpose"}));
  r = call("GET", "/api/v1/requests/" + id + "/letter.pdf");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("third_party.address"), std::string::npos) << r.body;

  // An electronic copy needs their email instead, and an email that is one.
  r = call("PATCH", answers_path,
           R"({"step":"how","answers":{"format":"electronic","send_to":"third_party",)"
           R"("third_party":{"name":"Legal Aid of the Bay","email":"nope"}}})",
           csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "third_party.email");
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "not_an_email");
  r = call("PATCH", answers_path,
           R"({"step":"how","answers":{"format":"electronic","send_to":"third_party",)"
           R"("third_party":{"name":"Legal Aid of the Bay","email":"intake@legalaid.example"}}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getObject("interview")->getValue<Poco::UInt64>("missing"), 0u);
  EXPECT_EQ(call("GET", "/api/v1/requests/" + id + "/letter.pdf").status, 200);
  r = call("PATCH", answers_path, R"({"step":"how","answers":{"send_to":"me"}})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(shownOn(r.json()->getObject("interview"), "how"),
            (std::vector<std::string>{"format", "send_to"}));

  // The page learns which parts are needed, and why, from the form.
  r = call("GET", "/api/v1/forms/records-request");
  ASSERT_EQ(r.status, 200);
  Poco::JSON::Object::Ptr third_party;
  auto form_steps = r.json()->getArray("steps");
  for (size_t i = 0; i < form_steps->size(); ++i) {
    auto fields = form_steps->getObject(static_cast<unsigned>(i))->getArray("fields");
    for (size_t k = 0; k < fields->size(); ++k) {
      auto f = fields->getObject(static_cast<unsigned>(k));
      if (f->getValue<std::string>("id") == "third_party") third_party = f;
    }
  }
  ASSERT_TRUE(third_party);
  auto address = third_party->getObject("parts")->getObject("address");
  EXPECT_TRUE(address->has("required_if"));
  EXPECT_FALSE(address->getValue<std::string>("help").empty());
}

// A follow-up's own page keeps what the person changed for that letter only: the request's
// answers (and the letter already sent) stay as they were, and what the events say stays
// worked out from them, so part of the records arriving later still reaches the letter.
TEST_F(HttpServerTest, ALaterLettersAnswersAreItsOwnAndEventsStillReachIt) {
  createVault();
  const std::string case_id = addRecordsCase();
  Reply r = call("POST", "/api/v1/cases/" + case_id + "/requests", "{}", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  ASSERT_EQ(call("POST", "/api/v1/requests/" + id + "/events",
                 R"({"type":"sent","on":"2026-01-05","via":"mail"})", csrf())
                .status,
            200);
  const std::string later = "/api/v1/requests/" + id + "/letter";
  r = call("GET", later + "?form=records-followup");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getObject("answers")->getValue<std::string>("heard_back"), "nothing");
  r = call("PATCH", later,
           R"({"form":"records-followup","step":"request","answers":{"reply_within_days":"7",)"
           R"("custodian_name":"Harbor Counseling, Records Office"}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getObject("answers")->getValue<std::string>("custodian_name"),
            "Harbor Counseling, Records Office");
  // The request itself is as it was sent.
  r = call("GET", "/api/v1/requests/" + id);
  EXPECT_EQ(r.json()->getValue<std::string>("custodian"), "Harbor Counseling");
  EXPECT_EQ(r.json()
                ->getObject("interview")
                ->getObject("answers")
                ->getValue<std::string>("custodian_name"),
            "Harbor Counseling");
  // Part of the records came: the follow-up says so, and keeps the person's own choices.
  ASSERT_EQ(
      call("POST", "/api/v1/requests/" + id + "/events",
           R"({"type":"received_partial","on":"2026-01-20","details":"Only the bills."})", csrf())
          .status,
      200);
  r = call("GET", later + "?form=records-followup");
  auto answers = r.json()->getObject("answers");
  EXPECT_EQ(answers->getValue<std::string>("heard_back"), "partial");
  EXPECT_EQ(answers->getValue<std::string>("missing_parts"), "Only the bills.");
  EXPECT_EQ(answers->getValue<std::string>("reply_within_days"), "7");
  // A letter that does not fit the request is not one of its letters.
  EXPECT_EQ(call("GET", later + "?form=records-disagreement").status, 404);
  EXPECT_EQ(call("GET", later + "?form=denial-review").status, 200);
  EXPECT_EQ(call("GET", later + "?form=records-followup&x=1").status, 400);
  r = call("PATCH", later, R"({"form":"records-followup","step":"request","answers":[]})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "answers");
  EXPECT_EQ(call("GET", "/api/v1/requests/rq_nothere/letter?form=records-followup").status, 404);
}

// What can be asked for is each right with the law that gives it where the therapist is
// licensed; a right no law of that place gives is refused by name, and nothing is stored.
TEST_F(HttpServerTest, EachKindOfRequestIsOfferedWhereALawGivesIt) {
  createVault();
  // California, in this catalog, records a board and no records law: a copy can still be
  // asked for (in general words), a correction cannot.
  const std::string case_id = addRecordsCase();
  Reply r = call("GET", "/api/v1/cases/" + case_id + "/requests");
  ASSERT_EQ(r.status, 200) << r.body;
  auto rights = r.json()->getObject("rights");
  EXPECT_EQ(rights->getValue<std::string>("jurisdiction"), "us-ca");
  EXPECT_EQ(rights->getValue<std::string>("jurisdiction_name"), "California");
  auto kinds = rights->getArray("kinds");
  ASSERT_EQ(kinds->size(), 4u);
  EXPECT_EQ(kinds->getObject(0)->getValue<std::string>("kind"), "access");
  EXPECT_EQ(kinds->getObject(3)->getValue<std::string>("kind"), "claims");
  EXPECT_EQ(kinds->getObject(1)->getValue<std::string>("kind"), "amendment");
  EXPECT_EQ(kinds->getObject(1)->getArray("laws")->size(), 0u);
  r = call("POST", "/api/v1/cases/" + case_id + "/requests", R"({"kind":"amendment"})", csrf());
  ASSERT_EQ(r.status, 400) << r.body;
  auto err = r.json()->getObject("error");
  EXPECT_EQ(err->getValue<std::string>("field"), "kind");
  EXPECT_EQ(err->getValue<std::string>("reason"), "right_not_here");
  EXPECT_EQ(err->getObject("args")->getValue<std::string>("place"), "California");
  r = call("POST", "/api/v1/cases/" + case_id + "/requests", R"({"kind":"erasure"})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  r = call("GET", "/api/v1/cases/" + case_id + "/requests");
  EXPECT_EQ(r.json()->getArray("requests")->size(), 0u);
  r = call("POST", "/api/v1/cases/" + case_id + "/requests", R"({"kind":"access"})", csrf());
  EXPECT_EQ(r.status, 201) << r.body;
  // A health plan's records: the plan is named, never taken to be the practice.
  r = call("POST", "/api/v1/cases/" + case_id + "/requests", R"({"kind":"claims"})", csrf());
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "custodian_name");
  // A copy sent straight to a new therapist: the interview starts there, and asks who.
  r = call("POST", "/api/v1/cases/" + case_id + "/requests",
           R"({"kind":"access","send_to":"third_party"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  auto interview = r.json()->getObject("interview");
  EXPECT_EQ(interview->getObject("answers")->getValue<std::string>("send_to"), "third_party");
  // Only a copy can go to someone else; and only to the person or someone they choose.
  for (const char* body : {R"({"kind":"accounting","send_to":"third_party"})",
                           R"({"kind":"access","send_to":"the board"})"}) {
    r = call("POST", "/api/v1/cases/" + case_id + "/requests", body, csrf());
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "send_to") << r.body;
  }
  EXPECT_EQ(
      call("GET", "/api/v1/cases/" + case_id + "/requests").json()->getArray("requests")->size(),
      2u);
}

// A correction request has its own interview (forms/records-amendment.json); once refused,
// the statement of disagreement asks only what the request did not: why the person
// disagrees, with what they asked filled in from their own words. Its answers are kept.
TEST_F(HttpServerTest, ACorrectionIsAskedForAndAStatementOfDisagreementWrittenInTheBrowser) {
  createVault();
  Reply r = call("POST", "/api/v1/clients",
                 R"({"name":"Zoë Müller","address":"12 Elm St, Oakland, CA 94601"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string case_id = addCase(r.json()->getValue<std::string>("id"));  // no place yet
  r = call("GET", "/api/v1/cases/" + case_id + "/requests");
  EXPECT_EQ(r.json()->getObject("rights")->getValue<std::string>("jurisdiction"), "");
  // A list of disclosures starts with all the law covers, and nothing about a copy's format.
  r = call("POST", "/api/v1/cases/" + case_id + "/requests", R"({"kind":"accounting"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getObject("interview")->getValue<std::string>("form"),
            "disclosures-accounting");
  EXPECT_EQ(r.json()->getObject("interview")->getObject("answers")->getValue<std::string>("scope"),
            "all");
  EXPECT_FALSE(r.json()->getObject("interview")->getObject("answers")->has("format"));
  r = call("POST", "/api/v1/cases/" + case_id + "/requests", R"({"kind":"amendment"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  EXPECT_EQ(r.json()->getValue<std::string>("kind"), "amendment");
  auto iv = r.json()->getObject("interview");
  EXPECT_EQ(iv->getValue<std::string>("form"), "records-amendment");
  EXPECT_FALSE(iv->getObject("answers")->has("format"));  // a copy's defaults are not its
  r = call("PATCH", "/api/v1/requests/" + id + "/answers",
           R"({"step":"correction","answers":{"what_is_wrong":"It says I missed sessions.",)"
           R"("what_it_should_say":"That I attended them."}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(call("POST", "/api/v1/requests/" + id + "/events",
                 R"({"type":"sent","on":"2026-02-20","via":"mail"})", csrf())
                .status,
            200);
  ASSERT_EQ(call("POST", "/api/v1/requests/" + id + "/events",
                 R"({"type":"denied","on":"2026-03-02"})", csrf())
                .status,
            200);

  const std::string later = "/api/v1/requests/" + id + "/letter";
  r = call("GET", later + "?form=records-disagreement");
  ASSERT_EQ(r.status, 200) << r.body;
  auto steps = r.json()->getArray("steps");
  ASSERT_EQ(steps->size(), 1u);  // who they are and who holds the records are known
  EXPECT_EQ(steps->getObject(0)->getValue<std::string>("id"), "disagreement");
  EXPECT_EQ(r.json()->getObject("answers")->getValue<std::string>("what_you_asked"),
            "It says I missed sessions.");
  EXPECT_EQ(r.json()->getObject("answers")->getValue<std::string>("refused_on"), "2026-03-02");
  EXPECT_EQ(r.json()->getValue<int>("missing"), 1);  // why they disagree
  EXPECT_EQ(call("GET", "/api/v1/requests/" + id + "/letter.pdf?form=records-disagreement").status,
            400);
  r = call("PATCH", later,
           R"({"form":"records-disagreement","step":"disagreement","answers":{"statement":""}})",
           csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "statement");
  r = call("PATCH", later,
           R"({"form":"records-disagreement","step":"you","answers":{"requester_name":"Z"}})",
           csrf());
  EXPECT_EQ(r.status, 400) << r.body;  // not one of its own questions
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "step");
  r = call("PATCH", later,
           R"({"form":"records-disagreement","step":"disagreement",)"
           R"("answers":{"statement":"My calendar shows each session."}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<int>("missing"), 0);
  // Kept: a fresh look finds it, the request's own answers are as they were, the letter is made.
  r = call("GET", later + "?form=records-disagreement");
  EXPECT_EQ(r.json()->getObject("answers")->getValue<std::string>("statement"),
            "My calendar shows each session.");
  r = call("GET", "/api/v1/requests/" + id);
  EXPECT_EQ(r.json()
                ->getObject("interview")
                ->getObject("answers")
                ->getValue<std::string>("what_it_should_say"),
            "That I attended them.");
  r = call("GET", "/api/v1/requests/" + id + "/letter.pdf?form=records-disagreement");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  // The first letter has the request's own interview, not this one.
  r = call("GET", later + "?form=records-request");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "form");
}

TEST_F(HttpServerTest, ARecordsRequestIsAnsweredPageByPageSentAndTracked) {
  createVault();
  const std::string case_id = addRecordsCase();
  Reply r = call("POST", "/api/v1/cases/" + case_id + "/requests", "{}", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  EXPECT_EQ(r.json()->getValue<std::string>("custodian"), "Harbor Counseling");
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "draft");
  auto answers = r.json()->getObject("interview")->getObject("answers");
  // The defaults are answers, shown for review; what the case knows is filled in.
  EXPECT_EQ(answers->getValue<std::string>("scope"), "all");
  EXPECT_EQ(answers->getValue<std::string>("format"), "electronic");
  EXPECT_EQ(answers->getValue<std::string>("send_to"), "me");
  EXPECT_EQ(answers->getValue<std::string>("requester_name"), "Zoë Müller");

  // A page's answers are checked as the letter checks them, and refused whole.
  const std::string answers_path = "/api/v1/requests/" + id + "/answers";
  r = call("PATCH", answers_path, R"({"step":"what","answers":{"scope":"some"}})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "scope");
  r = call("PATCH", answers_path, R"({"step":"what","answers":{"scope":"dates"}})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;  // a range is then needed
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "date_range");
  r = call("PATCH", answers_path, R"({"step":"what","answers":{"requester_name":"X"}})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "requester_name");
  r = call("PATCH", answers_path, R"({"step":"nope","answers":{}})", csrf());
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "step");
  r = call("PATCH", answers_path,
           R"({"step":"what","answers":{"scope":"dates",)"
           R"("date_range":{"start":"2023-01-01","end":"2024-04-02"},"include_billing":"yes"}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  answers = r.json()->getObject("interview")->getObject("answers");
  EXPECT_EQ(answers->getValue<std::string>("scope"), "dates");
  EXPECT_TRUE(answers->getValue<bool>("include_billing"));

  // Saved: a fresh look finds the answers.
  r = call("GET", "/api/v1/requests/" + id);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()
                ->getObject("interview")
                ->getObject("answers")
                ->getObject("date_range")
                ->getValue<std::string>("end"),
            "2024-04-02");

  r = call("GET", "/api/v1/requests/" + id + "/letter.pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);

  r = call("POST", "/api/v1/requests/" + id + "/events", R"({"type":"sent","on":"2026-02-20"})",
           csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "via");
  r = call("POST", "/api/v1/requests/" + id + "/events",
           R"({"type":"sent","on":"2026-02-20","via":"email"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "awaiting");
  EXPECT_EQ(r.json()->getValue<std::string>("sent_on"), "2026-02-20");
  r = call("POST", "/api/v1/requests/" + id + "/events", R"({"type":"lost","on":"2026-02-21"})",
           csrf());
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "type");
  r = call("POST", "/api/v1/requests/" + id + "/events",
           R"({"type":"acknowledged","on":"2026-02-21"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("events")->size(), 2u);

  // Corrections: who holds the records, their reference, the day it was sent.
  r = call(
      "PATCH", "/api/v1/requests/" + id,
      R"({"custodian_email":"records@harbor.example","reference":"A-17","sent_on":"2026-02-19"})",
      csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("custodian_email"), "records@harbor.example");
  EXPECT_EQ(r.json()->getValue<std::string>("reference"), "A-17");
  EXPECT_EQ(r.json()->getValue<std::string>("sent_on"), "2026-02-19");
  for (const char* bad : {R"({"custodian_name":""})", R"({"sent_on":"19/02/2026"})",
                          R"({"sent_on":"2026-02-22"})", R"({"color":"red"})"}) {
    r = call("PATCH", "/api/v1/requests/" + id, bad, csrf());
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_TRUE(r.json()->getObject("error")->has("field")) << bad << " " << r.body;
  }
  // Emptying who the letter goes to is refused with a reason the page says in its words.
  r = call("PATCH", "/api/v1/requests/" + id, R"({"custodian_name":""})", csrf());
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "required");
  // An email that cannot be one is refused as the person's own would be.
  r = call("PATCH", "/api/v1/requests/" + id, R"({"custodian_email":"notanemail"})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "custodian_email");
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"), "not_an_email");
  EXPECT_EQ(call("GET", "/api/v1/requests/" + id).json()->getValue<std::string>("reference"),
            "A-17");  // nothing changed by the refusals
  EXPECT_EQ(call("PATCH", "/api/v1/requests/rq_nope", R"({"reference":"x"})", csrf()).status, 404);
  EXPECT_EQ(call("PATCH", "/api/v1/requests/" + id, R"({"reference":"x"})").status, 403);

  // A recorded event is corrected or removed by its id; the request is worked out again.
  auto events = call("GET", "/api/v1/requests/" + id).json()->getArray("events");
  ASSERT_EQ(events->size(), 2u);
  const std::string sent_event = events->getObject(0)->getValue<std::string>("id");
  const std::string ack_event = events->getObject(1)->getValue<std::string>("id");
  const std::string ack_path = "/api/v1/request-events/" + ack_event;
  r = call("PATCH", ack_path, R"({"on":"2026-02-26","details":"By phone."})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("events")->getObject(1)->getValue<std::string>("on"), "2026-02-26");
  EXPECT_EQ(r.json()->getArray("events")->getObject(1)->getValue<std::string>("details"),
            "By phone.");
  EXPECT_TRUE(r.json()->has("interview"));
  for (const auto& [bad, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"on":"2026-02-01"})", "on"},  // before it was received
           {R"({"on":"2026-03-09"})", "on"},  // in the future
           {R"({"on":""})", "on"},
           {R"({"on":"26/02/2026"})", "on"},
           {R"({"reply_within_days":7})", "reply_within_days"},
           {R"({"via":"pigeon"})", "via"},
           {R"({"type":"denied"})", "type"},
           {R"({"details":5})", "details"}}) {
    r = call("PATCH", ack_path, bad, csrf());
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), field) << bad;
  }
  EXPECT_EQ(
      call("PATCH", "/api/v1/request-events/ev_nope", R"({"on":"2026-02-26"})", csrf()).status,
      404);
  EXPECT_EQ(call("PATCH", ack_path, R"({"on":"2026-02-26"})").status, 403);
  // The day it was received cannot go while the acknowledgement counts from it.
  r = call("DELETE", "/api/v1/request-events/" + sent_event, "", csrf());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "event_id");
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"),
            "received_has_later_events");
  EXPECT_EQ(r.json()->getObject("error")->getObject("args")->getValue<std::string>("event"),
            "acknowledged");
  r = call("DELETE", ack_path, "", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("events")->size(), 1u);
  EXPECT_EQ(call("DELETE", ack_path, "", csrf()).status, 404);
  r = call("POST", "/api/v1/requests/" + id + "/events",
           R"({"type":"acknowledged","on":"2026-02-21"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;

  r = call("GET", "/api/v1/cases/" + case_id + "/requests");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json()->getArray("requests")->size(), 1u);
  EXPECT_FALSE(r.json()->getArray("requests")->getObject(0)->has("interview"));

  r = call("GET", "/api/v1/forms/records-request");
  ASSERT_EQ(r.status, 200);
  auto steps = r.json()->getArray("steps");
  ASSERT_GE(steps->size(), 4u);
  EXPECT_EQ(steps->getObject(0)->getValue<std::string>("id"), "you");
  EXPECT_EQ(call("GET", "/api/v1/forms/nope").status, 404);

  // What is due: the records, naming the person and the case, and as a calendar.
  r = call("GET", "/api/v1/deadlines");
  ASSERT_EQ(r.status, 200) << r.body;
  auto due = r.json()->getArray("deadlines");
  ASSERT_GE(due->size(), 1u);
  EXPECT_EQ(due->getObject(0)->getValue<std::string>("client_name"), "Zoë Müller");
  EXPECT_EQ(due->getObject(0)->getValue<std::string>("ref"), id);
  EXPECT_EQ(due->getObject(0)->getValue<std::string>("therapist"), "Dr. Ana Pérez");
  auto what = due->getObject(0)->getObject("what");
  EXPECT_EQ(what->getValue<std::string>("key").rfind("due.", 0), 0u);
  EXPECT_FALSE(what->getObject("args")->getValue<std::string>("custodian").empty());
  r = call("GET", "/api/v1/deadlines.ics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "text/calendar; charset=utf-8");
  EXPECT_EQ(r.body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_EQ(call("GET", "/api/v1/deadlines?when=soon").status, 400);

  EXPECT_EQ(call("DELETE", "/api/v1/requests/" + id, "", csrf()).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/requests/" + id).status, 404);
}

TEST_F(HttpServerTest, TheComplaintIsReviewedSavedAndMadeIntoAPacket) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + zoe +
                     R"(","provider":{"name":"Dr. Ana Pérez","license_type":"LMFT",)"
                     R"("jurisdiction":"us-ca"}})",
                 csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  const std::string complaint = "/api/v1/cases/" + id + "/complaint";

  r = call("GET", complaint);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("form"), "board-complaint");
  EXPECT_EQ(r.json()->getValue<std::string>("board"), "Board of Behavioral Sciences");
  EXPECT_EQ(r.json()->getObject("answers")->getValue<std::string>("complainant_name"),
            "Zoë Müller");
  EXPECT_GE(r.json()->getValue<int>("missing"), 1);  // the summary
  // Looking saved nothing: the packet needs the answers reviewed first.
  r = call("GET", complaint + ".pdf");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "review");

  r = call("PATCH", complaint, R"({"answers":{"relationship":"cousin"}})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "relationship");
  // A wrong date range is named by its part, with the reason the page says in its words.
  r = call("PATCH", complaint,
           R"({"answers":{"treatment_dates":{"start":"2024-05-01","end":"2024-04-01"}}})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "treatment_dates.end");
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("reason"),
            "range_end_before_start");
  r = call("PATCH", complaint, R"({"answers":{}})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  r = call("GET", complaint + ".pdf");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "answers");
  EXPECT_NE(r.errorMessage().find("summary"), std::string::npos);

  r = call("PATCH", complaint,
           R"({"answers":{"summary":"She ended therapy by text and shared what I said."}})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<int>("missing"), 0);
  r = call("GET", complaint + ".pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(r.headers["Content-Disposition"], "attachment; filename=\"complaint-packet.pdf\"");
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  EXPECT_NE(r.body.find("%%EOF"), std::string::npos);
  // Nothing of it was left on disk.
  for (const auto& e : std::filesystem::recursive_directory_iterator(data_.path())) {
    EXPECT_EQ(e.path().string().find(".pdf"), std::string::npos) << e.path();
  }

  // Sent: noted with its day, which completes the task; a later review keeps the day.
  const std::string sent = complaint + "/sent";
  for (const char* bad : {R"({})", R"({"on":"yesterday"})", R"({"on":"2026-03-03"})",
                          R"({"on":"2026-03-01","how":"post"})"}) {
    r = call("PUT", sent, bad, csrf());
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_TRUE(r.json()->getObject("error")->has("field")) << bad << " " << r.body;
  }
  r = call("PUT", sent, R"({"on":"2026-03-01"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("sent_on"), "2026-03-01");
  auto task = [&] {
    auto tasks = call("GET", "/api/v1/cases/" + id + "/overview").json()->getArray("tasks");
    return tasks->getObject(4)->getValue<std::string>("status");
  };
  EXPECT_EQ(task(), "completed");
  r = call("PATCH", complaint, R"({"answers":{"summary":"She ended therapy by text."}})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("sent_on"), "2026-03-01");
  r = call("PUT", sent, R"({"on":null})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->isNull("sent_on"));
  EXPECT_EQ(task(), "in_progress");
  EXPECT_EQ(call("PUT", "/api/v1/cases/cs_nope/complaint/sent", R"({"on":null})", csrf()).status,
            404);
}

// Beyond the board, through the API: the other places to turn, and the two letters to the
// therapist made from the answers in the body, each bad answer refused by name.
TEST_F(HttpServerTest, LettersToTheTherapistAreMadeFromTheirAnswersAndNothingElse) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + zoe +
                     R"(","provider":{"name":"Dr. Ana Pérez","license_type":"LMFT",)"
                     R"("jurisdiction":"us-ca","practice":"Harbor Counseling"}})",
                 csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string base = "/api/v1/cases/" + r.json()->getValue<std::string>("id");

  r = call("GET", base + "/routes");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("practice"), "Harbor Counseling");
  EXPECT_TRUE(r.json()->has("routes"));
  EXPECT_EQ(call("GET", "/api/v1/cases/cs_nope/routes").status, 404);

  r = call("POST", base + "/ending-letter.pdf",
           R"({"ask_for":"referrals","reply_by":"2026-03-16","anything_to_add":"Thank you."})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(r.headers["Content-Disposition"], "attachment; filename=\"ending-request.pdf\"");
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  r = call("POST", base + "/concern-letter.pdf", R"({"concern":"Why did our sessions stop?"})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Disposition"], "attachment; filename=\"concern-letter.pdf\"");

  struct Bad {
    std::string path;
    std::string body;
    std::string names;
  };
  const std::vector<Bad> bad = {
      {"/concern-letter.pdf", R"({})", "concern"},
      {"/concern-letter.pdf", R"({"concern":"x","ask_for":"both"})", "ask_for"},
      {"/ending-letter.pdf", R"({"ask_for":"money","reply_by":"2026-03-16"})", "ask_for"},
      {"/ending-letter.pdf", R"({"ask_for":"both"})", "reply_by"},
      {"/concern-letter.pdf", R"({"concern":"   "})", "concern"},
      // A day to reply by that has already passed (the fake clock's today is 2 March).
      {"/ending-letter.pdf", R"({"ask_for":"both","reply_by":"2026-03-01"})",
       "reply_by: is a day that has already passed"},
  };
  for (const auto& b : bad) {
    r = call("POST", base + b.path, b.body, csrf());
    EXPECT_EQ(r.status, 400) << b.body << " " << r.body;
    EXPECT_NE(r.body.find(b.names), std::string::npos) << b.body << " " << r.body;
  }
  // Writing them needs the page's token, as every POST does.
  EXPECT_EQ(call("POST", base + "/concern-letter.pdf", R"({"concern":"x"})").status, 403);
}

// After filing, through the API: the filing noted (even without the packet), a step recorded
// and shown with what comes next, bad steps refused by name with nothing stored, a step
// removed, and the status letter downloaded.
TEST_F(HttpServerTest, AComplaintsStepsAfterFilingAreNotedCheckedAndShown) {
  createVault();
  const std::string zoe = addClient("Zoë Müller");
  Reply r = call("POST", "/api/v1/cases",
                 R"({"client_id":")" + zoe +
                     R"(","provider":{"name":"Dr. Ana Pérez","license_type":"LMFT",)"
                     R"("jurisdiction":"us-ca"}})",
                 csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()->getValue<std::string>("id");
  const std::string base = "/api/v1/cases/" + id + "/complaint";

  r = call("GET", base + "/tracking");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "not_filed");
  EXPECT_TRUE(r.json()->isNull("filed_on"));
  // Nothing can follow a filing not noted; the letter needs it too.
  r = call("POST", base + "/events", R"({"type":"acknowledged","on":"2026-02-01"})", csrf());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), "case_id");
  EXPECT_EQ(call("GET", base + "/status-letter.pdf").status, 409);

  r = call("PUT", base + "/filing",
           R"({"filed_on":"2026-01-05","filed_via":"mail","board_reference":"BBS-1"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("board"), "Board of Behavioral Sciences");
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "filed");
  // This catalog's board has no first-reply rule: asking where things stand is offered six
  // months after filing.
  EXPECT_EQ(r.json()->getArray("next")->getObject(0)->getValue<std::string>("key"),
            "status_inquiry");
  EXPECT_EQ(r.json()->getArray("next")->getObject(0)->getValue<std::string>("by"), "2026-07-05");
  EXPECT_EQ(r.json()->getArray("next")->getObject(0)->getValue<std::string>("form"),
            "complaint-status-inquiry");

  struct Bad {
    std::string body;
    int status;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {R"({"type":"info_requested","on":"2026-02-10","reply_by":"2026-02-09"})", 400, "reply_by"},
      {R"({"type":"outcome","on":"2026-01-02","outcome":"closed_no_action"})", 400, "on"},
      {R"({"type":"hearing","on":"2026-02-10"})", 400, "type"},
      {R"({"type":"outcome","on":"2026-02-10"})", 400, "outcome"},
      {R"({"type":"acknowledged"})", 400, "on"},
      {R"({"type":"acknowledged","on":"2026-02-10","extra":1})", 400, "extra"},
      {R"({"type":"review_requested","on":"2026-02-10"})", 400, "type"},
  };
  for (const auto& b : bad) {
    r = call("POST", base + "/events", b.body, csrf());
    EXPECT_EQ(r.status, b.status) << b.body << " " << r.body;
    EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("field"), b.field) << b.body;
  }
  r = call("GET", base + "/tracking");
  EXPECT_EQ(r.json()->getArray("events")->size(), 0u);

  r = call("POST", base + "/events",
           R"({"type":"info_requested","on":"2026-02-10","reply_by":"2026-02-24",)"
           R"("details":"send the texts"})",
           csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("status"), "info_requested");
  auto event = r.json()->getArray("events")->getObject(0);
  EXPECT_EQ(event->getValue<std::string>("details"), "send the texts");
  const std::string step = event->getValue<std::string>("id");
  r = call("GET", "/api/v1/deadlines");
  ASSERT_EQ(r.status, 200) << r.body;
  bool listed = false;
  auto items = r.json()->getArray("deadlines");
  for (size_t i = 0; i < items->size(); ++i) {
    auto it = items->getObject(static_cast<unsigned>(i));
    if (it->getValue<std::string>("kind") == "complaint_deadline" &&
        it->getValue<std::string>("date") == "2026-02-24") {
      listed = true;
    }
  }
  EXPECT_TRUE(listed) << r.body;

  // A correction, then the reply date cleared.
  r = call("PATCH", "/api/v1/complaint-events/" + step, R"({"reply_by":"2026-02-27"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("events")->getObject(0)->getValue<std::string>("reply_by"),
            "2026-02-27");
  r = call("PATCH", "/api/v1/complaint-events/" + step, R"({"reply_by":null})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->getArray("events")->getObject(0)->isNull("reply_by"));
  EXPECT_EQ(r.json()->getArray("next")->getObject(0)->getValue<std::string>("key"),
            "reply_info_no_date");

  r = call("GET", base + "/status-letter.pdf");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  // The person's own words go in the body; anything else is refused by name.
  r = call("POST", base + "/status-letter.pdf", R"({"anything_to_add":"She wrote to me again."})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  r = call("POST", base + "/status-letter.pdf", R"({"threat":"x"})", csrf());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorField(), "threat");

  r = call("DELETE", "/api/v1/complaint-events/" + step, "", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("events")->size(), 0u);
  EXPECT_EQ(call("DELETE", "/api/v1/complaint-events/" + step, "", csrf()).status, 404);
}

// --- accounts and access through the API ---------------------------------------------------

class AccountsApiTest : public HttpServerTest {
 protected:
  // Signs in as `user`; keeps the session. The answer's status.
  int signIn(const std::string& user, const std::string& pass) {
    Reply r = call("POST", "/api/v1/session",
                   R"({"user":")" + user + R"(","passphrase":")" + pass + R"("})");
    if (r.status == 200) {
      csrf_ = r.json()->getValue<std::string>("csrf_token");
      cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
    }
    return r.status;
  }
  void addAdvocate() {
    Reply r =
        call("POST", "/api/v1/accounts",
             R"({"name":"adv","role":"advocate","passphrase":"advocate passphrase"})", csrf());
    ASSERT_EQ(r.status, 201) << r.body;
    // The account's recovery code is its holder's alone, made at their first sign-in.
    EXPECT_FALSE(r.json()->has("recovery_code")) << r.body;
  }
};

TEST_F(AccountsApiTest,
       TheFirstAccountIsShownItsRecoveryCodeOnceAndSigningInNeedsANameAfterASecond) {
  Reply r =
      call("POST", "/api/v1/vault", R"({"passphrase":"a long enough passphrase","user":"Maya"})");
  ASSERT_EQ(r.status, 201) << r.body;
  csrf_ = r.json()->getValue<std::string>("csrf_token");
  cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
  auto account = r.json()->getObject("account");
  ASSERT_TRUE(account) << r.body;
  EXPECT_EQ(account->getValue<std::string>("name"), "Maya");
  EXPECT_EQ(account->getValue<std::string>("role"), "admin");
  EXPECT_EQ(account->getValue<std::string>("fingerprint").size(), 39u);
  const std::string code = r.json()->getValue<std::string>("recovery_code");
  EXPECT_FALSE(code.empty());
  // The session says whose it is, never the code again.
  r = call("GET", "/api/v1/session");
  EXPECT_EQ(r.json()->getObject("account")->getValue<std::string>("name"), "Maya");
  EXPECT_EQ(r.body.find(code), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/account").json()->getValue<std::string>("role"), "admin");

  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  EXPECT_FALSE(call("GET", "/api/v1/session").json()->getValue<bool>("needs_user"));
  EXPECT_EQ(signIn("", "a long enough passphrase"), 200);  // the only account
  addAdvocate();
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  r = call("GET", "/api/v1/session");
  EXPECT_TRUE(r.json()->getValue<bool>("needs_user")) << r.body;
  r = call("POST", "/api/v1/session", R"({"passphrase":"a long enough passphrase"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorField(), "user");
  r = call("POST", "/api/v1/session",
           R"({"user":"nobody","passphrase":"a long enough passphrase"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.errorField(), "user");
  EXPECT_EQ(signIn("adv", "a long enough passphrase"), 401);  // Maya's passphrase is not adv's
  // The advocate's first sign-in makes their recovery code, shown to them this once.
  r = call("POST", "/api/v1/session", R"({"user":"adv","passphrase":"advocate passphrase"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string adv_code = r.json()->getValue<std::string>("recovery_code");
  EXPECT_EQ(adv_code.size(), 29u) << r.body;
  EXPECT_EQ(r.json()->getObject("account")->getValue<std::string>("name"), "adv");
  r = call("POST", "/api/v1/session", R"({"user":"adv","passphrase":"advocate passphrase"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.json()->has("recovery_code")) << r.body;
  // A non-administrator does not see clients' own accounts of others.
  EXPECT_EQ(signIn("Maya", "a long enough passphrase"), 200);
  r = call("POST", "/api/v1/clients", R"({"name":"Cleo"})", csrf());
  ASSERT_EQ(r.status, 201);
  r = call("POST", "/api/v1/accounts",
           R"({"name":"cleo","role":"client","passphrase":"cleo's passphrase","client_id":")" +
               r.json()->getValue<std::string>("id") + R"("})",
           csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.json()->getValue<bool>("client_key_sealed"));
  EXPECT_EQ(call("GET", "/api/v1/accounts").json()->getArray("accounts")->size(), 3u);
  EXPECT_EQ(signIn("adv", "advocate passphrase"), 200);
  r = call("GET", "/api/v1/accounts");
  EXPECT_EQ(r.json()->getArray("accounts")->size(), 2u) << r.body;
  EXPECT_EQ(r.body.find("cleo"), std::string::npos) << r.body;
}

TEST_F(AccountsApiTest, SigningInAsSomeoneElseEndsTheSessionsOfTheAccountBefore) {
  createVault();
  addAdvocate();
  const std::string owner_cookie = cookie_;
  const std::string owner_csrf = csrf_;
  const std::string ana = addClient("Ana");
  // A second page of the same account keeps the first one's session.
  ASSERT_EQ(signIn("owner", "a long enough passphrase"), 200);
  cookie_ = owner_cookie;
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 200);
  // The advocate signs in: the owner's pages are locked out, not handed the advocate's view.
  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  const std::string adv_cookie = cookie_;
  EXPECT_TRUE(call("GET", "/api/v1/clients").json()->getArray("clients")->size() == 0u);
  cookie_ = owner_cookie;
  csrf_ = owner_csrf;
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/session").json()->getValue<std::string>("vault"), "locked");
  // A wrong passphrase for another account changes nothing for the one signed in.
  cookie_ = adv_cookie;
  EXPECT_EQ(signIn("owner", "not the passphrase"), 401);
  cookie_ = adv_cookie;
  EXPECT_EQ(call("GET", "/api/v1/account").json()->getValue<std::string>("name"), "adv");
  EXPECT_EQ(call("GET", "/api/v1/clients/" + ana).status, 403);
}

TEST_F(AccountsApiTest, AGrantLetsTheAdvocateInAndARevocationRefusesThemAgain) {
  createVault();
  addAdvocate();
  const std::string ana = addClient("Ana");
  const std::string bea = addClient("Bea");
  const size_t changes = changeCount();
  // Granting to oneself, to no one, or twice: clear errors, nothing changed.
  Reply r = call("POST", "/api/v1/clients/" + ana + "/access", R"({"user":"owner"})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.errorField(), "user");
  r = call("POST", "/api/v1/clients/" + ana + "/access", R"({"user":"nobody"})", csrf());
  EXPECT_EQ(r.status, 404) << r.body;
  r = call("POST", "/api/v1/clients/" + ana + "/access", R"({})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.errorField(), "user");
  r = call("POST", "/api/v1/clients/" + ana + "/access/revoke", R"({"user":"adv"})", csrf());
  EXPECT_EQ(r.status, 404) << r.body;  // never given
  EXPECT_EQ(changeCount(), changes);

  r = call("POST", "/api/v1/clients/" + ana + "/access", R"({"user":"adv"})", csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()->getObject("account")->getValue<std::string>("name"), "adv");
  EXPECT_EQ(r.json()->getValue<std::string>("granted_by"), "owner");
  EXPECT_EQ(call("POST", "/api/v1/clients/" + ana + "/access", R"({"user":"adv"})", csrf()).status,
            409);
  r = call("GET", "/api/v1/clients/" + ana + "/access");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getArray("access")->size(), 2u);  // the owner (creator) and adv

  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  r = call("GET", "/api/v1/clients");
  ASSERT_EQ(r.json()->getArray("clients")->size(), 1u) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/clients/" + ana).status, 200);
  r = call("GET", "/api/v1/clients/" + bea);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorReason(), "no_access");
  // The advocate may not hand the access on, nor take anyone's away.
  r = call("POST", "/api/v1/clients/" + ana + "/access/revoke", R"({"user":"owner"})", csrf());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorReason(), "may_not_grant");

  ASSERT_EQ(signIn("owner", "a long enough passphrase"), 200);
  r = call("POST", "/api/v1/clients/" + ana + "/access/revoke", R"({"user":"adv"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  EXPECT_EQ(call("GET", "/api/v1/clients").json()->getArray("clients")->size(), 0u);
  r = call("GET", "/api/v1/clients/" + ana);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.errorReason(), "no_access");
  EXPECT_EQ(call("GET", "/api/v1/clients/" + ana + "/history").status, 403);
}

TEST_F(AccountsApiTest, TheAccessHistoryNamesWhoReadAndChangedWhatNeverTheContent) {
  createVault();
  addAdvocate();
  const std::string ana = addClient("Ana Secretname");
  ASSERT_EQ(call("POST", "/api/v1/clients/" + ana + "/access", R"({"user":"adv"})", csrf()).status,
            201);
  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  ASSERT_EQ(call("GET", "/api/v1/clients/" + ana).status, 200);
  Reply r = call("GET", "/api/v1/clients/" + ana + "/history");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()->getValue<bool>("chain_ok"));
  bool adv_read = false;
  bool owner_added = false;
  bool granted = false;
  auto entries = r.json()->getArray("entries");
  for (size_t i = 0; i < entries->size(); ++i) {
    auto e = entries->getObject(static_cast<unsigned>(i));
    const auto user = e->getValue<std::string>("user");
    const auto action = e->getValue<std::string>("action");
    if (user == "adv" && e->getValue<bool>("read")) adv_read = true;
    if (user == "owner" && action == "client.add") owner_added = true;
    if (action == "access.grant") granted = true;
    EXPECT_EQ(e->getValue<std::string>("via"), "browser") << action;
  }
  EXPECT_TRUE(adv_read) << r.body;
  EXPECT_TRUE(owner_added) << r.body;
  EXPECT_TRUE(granted) << r.body;
  EXPECT_EQ(r.body.find("Secretname"), std::string::npos);

  r = call("GET", "/api/v1/clients/" + ana + "/history.csv");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "text/csv; charset=utf-8");
  EXPECT_NE(r.headers["Content-Disposition"].find("recourse-access-history-"), std::string::npos);
  EXPECT_EQ(r.body.rfind("when,who,role,via,what,action,record\r\n", 0), 0u) << r.body;
  EXPECT_NE(r.body.find(",adv,advocate,browser,"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("access.grant"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("Secretname"), std::string::npos);
}

TEST_F(AccountsApiTest, APassphraseIsChangedWithTheOldOneAndAForgottenOneRecoveredWithTheCode) {
  Reply r = call("POST", "/api/v1/vault", R"({"passphrase":"a long enough passphrase"})");
  ASSERT_EQ(r.status, 201);
  csrf_ = r.json()->getValue<std::string>("csrf_token");
  cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
  const std::string code = r.json()->getValue<std::string>("recovery_code");
  r = call("PUT", "/api/v1/account/passphrase",
           R"({"passphrase":"not it at all","new_passphrase":"the second passphrase"})", csrf());
  EXPECT_EQ(r.status, 401) << r.body;
  r = call("PUT", "/api/v1/account/passphrase",
           R"({"passphrase":"a long enough passphrase","new_passphrase":"short"})", csrf());
  EXPECT_EQ(r.status, 400) << r.body;
  r = call("PUT", "/api/v1/account/passphrase",
           R"({"passphrase":"a long enough passphrase","new_passphrase":"the second passphrase"})",
           csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  EXPECT_EQ(signIn("owner", "a long enough passphrase"), 401);
  EXPECT_EQ(signIn("owner", "the second passphrase"), 200);
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);

  // Forgotten: the recovery code opens it once; a wrong code is refused.
  r = call(
      "POST", "/api/v1/session/recover",
      R"({"user":"owner","recovery_code":"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF","new_passphrase":"a third passphrase"})");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.errorReason(), "wrong_recovery_code");
  r = call("POST", "/api/v1/session/recover",
           R"({"user":"owner","recovery_code":")" + code + R"(","new_passphrase":"short"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.errorField(), "new_passphrase");
  r = call("POST", "/api/v1/session/recover",
           R"({"user":"owner","recovery_code":")" + code +
               R"(","new_passphrase":"a third passphrase"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string fresh = r.json()->getValue<std::string>("recovery_code");
  EXPECT_NE(fresh, code);
  cookie_ = r.cookies[0].substr(0, r.cookies[0].find(';'));
  EXPECT_EQ(call("GET", "/api/v1/account").status, 200);
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  EXPECT_EQ(signIn("owner", "the second passphrase"), 401);
  EXPECT_EQ(signIn("owner", "a third passphrase"), 200);
  ASSERT_EQ(call("DELETE", "/api/v1/session").status, 200);
  r = call("POST", "/api/v1/session/recover",
           R"({"user":"owner","recovery_code":")" + code +
               R"(","new_passphrase":"a fourth passphrase"})");
  EXPECT_EQ(r.status, 401) << "the old code works no more: " << r.body;
}

TEST_F(AccountsApiTest, OnlyAnAdministratorMakesAccounts) {
  createVault();
  addAdvocate();
  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  Reply r = call("POST", "/api/v1/accounts",
                 R"({"name":"x","role":"admin","passphrase":"some passphrase"})", csrf());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.errorReason(), "admin_only");
  r = call("GET", "/api/v1/accounts");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()->getArray("accounts")->size(), 2u);
}

TEST_F(AccountsApiTest, TheCaseloadShowsOnlyTheClientsWhoGaveAccessWithWhatIsDue) {
  createVault();
  addAdvocate();
  const std::string kase = addRecordsCase();
  const std::string zoe =
      call("GET", "/api/v1/cases/" + kase).json()->getValue<std::string>("client_id");
  addClient("Someone else");
  ASSERT_EQ(call("POST", "/api/v1/clients/" + zoe + "/access", R"({"user":"adv"})", csrf()).status,
            201);
  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  Reply r = call("GET", "/api/v1/caseload");
  ASSERT_EQ(r.status, 200) << r.body;
  auto clients = r.json()->getArray("clients");
  ASSERT_EQ(clients->size(), 1u) << r.body;
  EXPECT_EQ(clients->getObject(0)->getValue<std::string>("name"), "Zoë Müller");
  EXPECT_EQ(clients->getObject(0)->getValue<int>("open_cases"), 1);
  EXPECT_EQ(r.body.find("Someone else"), std::string::npos);

  // A complaint sent to the board waits there, named with its board and day.
  ASSERT_EQ(signIn("owner", "a long enough passphrase"), 200);
  const std::string eli = addClient("Eli Stone");
  r = call("POST", "/api/v1/cases",
           R"({"client_id":")" + eli +
               R"(","provider":{"name":"Dr. Vale","license_type":"LMFT","jurisdiction":"us-ca"}})",
           csrf());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string eli_case = r.json()->getValue<std::string>("id");
  const std::string complaint = "/api/v1/cases/" + eli_case + "/complaint";
  ASSERT_EQ(
      call("PATCH", complaint, R"({"answers":{"summary":"She ended therapy by text."}})", csrf())
          .status,
      200);
  r = call("PUT", complaint + "/sent", R"({"on":"2026-03-01"})", csrf());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(call("POST", "/api/v1/clients/" + eli + "/access", R"({"user":"adv"})", csrf()).status,
            201);
  ASSERT_EQ(signIn("adv", "advocate passphrase"), 200);
  r = call("GET", "/api/v1/caseload");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()->getArray("clients")->size(), 2u) << r.body;
  auto waiting = r.json()->getArray("complaints_waiting");
  ASSERT_EQ(waiting->size(), 1u) << r.body;
  EXPECT_EQ(waiting->getObject(0)->getValue<std::string>("client_name"), "Eli Stone");
  EXPECT_EQ(waiting->getObject(0)->getValue<std::string>("board"), "Board of Behavioral Sciences");
  EXPECT_EQ(waiting->getObject(0)->getValue<std::string>("filed_on"), "2026-03-01");
  EXPECT_EQ(waiting->getObject(0)->getValue<int>("days_waiting"), 1);
  EXPECT_EQ(r.json()->getArray("clients")->getObject(1)->getValue<int>("complaints_waiting"), 1);
  EXPECT_EQ(r.json()->getArray("clients")->getObject(1)->getValue<int>("open_cases"), 0);
  EXPECT_EQ(call("GET", "/api/v1/caseload?within_days=x").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/caseload?other=1").status, 400);
}

}  // namespace
}  // namespace recourse::server
