// Serving a team: the server listens beyond loopback only over TLS and only once the vault
// exists; over TLS it answers HTTPS (cookies marked Secure, the https origin accepted, the
// name people use accepted as Host) and drops plain HTTP. A throwaway self-signed
// certificate is made with openssl for each test.
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "forms/loader.h"
#include "server/http_server.h"
#include "service/vault.h"
#include "store/store.h"

namespace recourse::server {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=recourse.test "
        "-keyout '" +
        key() + "' -out '" + cert() + "' -days 2 >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
    catalog_ = service::Catalog::fromValues(
        jurisdiction::Registry::fromValues({}, {}),
        forms::loadFormDirectory(std::string(RECOURSE_SOURCE_DIR) + "/forms"));
    auto store = std::move(store::Store::openInMemory(clock_)).value();
    vault_ = service::Vault::adopt(std::move(store), catalog_, clock_, data_.path());
    Poco::Net::initializeSSL();
    // The client side: this test's certificate is self-signed, so the client accepts it.
    client_context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                             Poco::Net::Context::VERIFY_NONE);
  }

  std::string cert() const { return data_.file("cert.pem"); }
  std::string key() const { return data_.file("key.pem"); }

  ServerConfig tlsConfig() const {
    ServerConfig c;
    c.port = 0;
    c.kdf = "interactive";
    c.tls_cert = cert();
    c.tls_key = key();
    return c;
  }

  struct Reply {
    int status = 0;
    std::string body;
    std::vector<std::string> cookies;
  };
  Reply https(HttpServer& server, const std::string& method, const std::string& path,
              const std::string& host, const std::string& body = "",
              const std::string& origin = "") {
    Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(), client_context_);
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(host);
    if (!origin.empty()) req.set("Origin", origin);
    if (method == "POST") {
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    Reply r;
    r.status = static_cast<int>(resp.getStatus());
    Poco::StreamCopier::copyToString(in, r.body);
    for (const auto& [name, value] : resp) {
      if (name == "Set-Cookie") r.cookies.push_back(value);
    }
    return r;
  }

  testing::TempDir data_;
  testing::FakeClock clock_;
  std::shared_ptr<const service::Catalog> catalog_;
  std::unique_ptr<service::Vault> vault_;
  Poco::Net::Context::Ptr client_context_;
};

TEST_F(TlsTest, BeyondLoopbackNeedsTlsAndAVaultMadeHere) {
  ServerConfig plain;
  plain.port = 0;
  plain.bind = "0.0.0.0";
  HttpServer open_to_all(*vault_, clock_, plain);
  auto refused = open_to_all.start();
  EXPECT_EQ(refused.code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.field(), "bind");
  EXPECT_NE(refused.message().find("needs TLS"), std::string::npos);

  ServerConfig secure = tlsConfig();
  secure.bind = "0.0.0.0";
  HttpServer no_name(*vault_, clock_, secure);
  EXPECT_EQ(no_name.start().field(), "host");
  secure.public_host = "recourse.test";
  HttpServer before_vault(*vault_, clock_, secure);
  auto early = before_vault.start();
  EXPECT_EQ(early.code(), core::StatusCode::kFailedPrecondition);
  EXPECT_NE(early.message().find("make the vault on this computer first"), std::string::npos);

  ServerConfig half = tlsConfig();
  half.tls_key.clear();
  HttpServer no_key(*vault_, clock_, half);
  EXPECT_EQ(no_key.start().field(), "tls_key");

  ServerConfig missing = tlsConfig();
  missing.tls_cert = data_.file("nowhere.pem");
  HttpServer no_cert(*vault_, clock_, missing);
  EXPECT_EQ(no_cert.start().field(), "tls_cert");

  EXPECT_TRUE(isLoopback("127.0.0.1"));
  EXPECT_TRUE(isLoopback("127.1.2.3"));
  EXPECT_FALSE(isLoopback("127.example.com"));
  EXPECT_FALSE(isLoopback("10.0.0.5"));

  // Once the vault is made here, a team can be served over TLS.
  ASSERT_TRUE(vault_->create("correct horse battery", "interactive").isOk());
  HttpServer team(*vault_, clock_, secure);
  ASSERT_TRUE(team.start().isOk());
  EXPECT_EQ(team.url().rfind("https://", 0), 0U) << team.url();
  team.stop();
}

TEST_F(TlsTest, AnswersHttpsWithSecureCookiesAndTheTeamsName) {
  ServerConfig config = tlsConfig();
  config.public_host = "recourse.test";
  HttpServer server(*vault_, clock_, config);
  ASSERT_TRUE(server.start().isOk());
  const std::string port = std::to_string(server.port());
  EXPECT_EQ(server.url(), "https://recourse.test:" + port + "/");

  auto r = https(server, "GET", "/api/v1/session", "recourse.test:" + port);
  EXPECT_EQ(r.status, 200) << r.body;
  // Another name is misdirected.
  r = https(server, "GET", "/api/v1/session", "elsewhere.test:" + port);
  EXPECT_EQ(r.status, 421);
  // Making the vault from the https origin: the session cookie is Secure.
  r = https(server, "POST", "/api/v1/vault", "recourse.test:" + port,
            R"({"passphrase":"correct horse battery"})", "https://recourse.test:" + port);
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_FALSE(r.cookies.empty());
  std::string cookie = r.cookies.front();
  for (auto& ch : cookie) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_NE(cookie.find("; secure"), std::string::npos) << r.cookies.front();
  EXPECT_NE(cookie.find("; httponly"), std::string::npos) << r.cookies.front();
  // The same page from a plain-http origin is another site.
  r = https(server, "POST", "/api/v1/lock", "recourse.test:" + port, "{}",
            "http://recourse.test:" + port);
  EXPECT_EQ(r.status, 403);

  // Plain HTTP gets no answer: the connection is closed.
  Poco::Net::StreamSocket raw(Poco::Net::SocketAddress("127.0.0.1", server.port()));
  raw.setReceiveTimeout(Poco::Timespan(5, 0));
  const std::string get =
      "GET /api/v1/session HTTP/1.1\r\nHost: recourse.test:" + port + "\r\n\r\n";
  raw.sendBytes(get.data(), static_cast<int>(get.size()));
  char buf[64] = {};
  int n = 0;
  try {
    n = raw.receiveBytes(buf, sizeof(buf));
  } catch (const Poco::Exception&) {
    n = 0;  // reset by the server: no answer either
  }
  EXPECT_EQ(std::string(buf, static_cast<size_t>(std::max(n, 0))).find("HTTP/1.1 200"),
            std::string::npos);
  server.stop();
}

}  // namespace
}  // namespace recourse::server
