#include <Poco/Util/ServerApplication.h>
#include <signal.h>

#include <charconv>
#include <iostream>

#include "cli/command.h"
#include "server/http_server.h"
#include "service/vault.h"

namespace recourse::cli {
namespace {

// Runs the HTTP server inside a Poco ServerApplication, which waits for SIGINT/SIGTERM and
// then lets us stop cleanly (finish requests, wipe keys).
class ServeApp final : public Poco::Util::ServerApplication {
 public:
  ServeApp(server::HttpServer& server, std::ostream& out) : server_(server), out_(out) {}

 protected:
  void initialize(Poco::Util::Application&) override {
    // No configuration files, no logging set-up: Recourse writes no logs with personal data.
  }
  void uninitialize() override {}

  int main(const std::vector<std::string>&) override {
    // Block the termination signals before any server thread starts, so they all inherit
    // the mask and the signal reaches waitForTerminationRequest().
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    core::Status s = server_.start();
    if (!s.isOk()) {
      status_ = s;  // runCli reports it, naming the option
      return EXIT_IOERR;
    }
    out_ << "Recourse is running at " << server_.url() << "\n"
         << "Open that address in your browser. Press Ctrl+C to stop (this locks the vault)."
         << std::endl;
    waitForTerminationRequest();
    server_.stop();
    out_ << "Stopped. The vault is locked." << std::endl;
    return EXIT_OK;
  }

 public:
  core::Status status_;

 private:
  server::HttpServer& server_;
  std::ostream& out_;
};

class ServeCommand final : public Command {
 public:
  std::string name() const override { return "serve"; }
  std::string summary() const override {
    return "start the web app on 127.0.0.1 (default port 8750), or for a team over TLS";
  }
  std::vector<OptionSpec> options() const override {
    return {{"port", "N", "port on 127.0.0.1 (0 picks a free one and prints it)"},
            {"kdf", "STRENGTH", "key-derivation cost for a vault created in the browser"},
            {"idle-lock", "MINUTES", "lock the vault after this many idle minutes (default 15)"},
            {"exit-url", "URL",
             "where the quick exit sends the browser (default https://www.bbc.co.uk/weather)"},
            {"bind", "ADDRESS",
             "listen on this address to serve a team (default 127.0.0.1; any other needs TLS)",
             false, "bind"},
            {"tls-cert", "FILE", "TLS certificate chain (PEM), for serving beyond this computer",
             false, "tls_cert"},
            {"tls-key", "FILE", "the certificate's private key (PEM)", false, "tls_key"},
            {"host", "NAME", "the name people reach the server by (default the bind address)",
             false, "host"}};
  }

  core::Status run(Context& ctx) override {
    server::ServerConfig config;
    if (ctx.args().has("port")) {
      const std::string p = ctx.args().get("port");
      unsigned value = 0;
      auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
      if (ec != std::errc() || ptr != p.data() + p.size() || value > 65535) {
        return core::invalidArgument("--port: \"" + p.substr(0, 20) +
                                     "\" is not a port number (0-65535)");
      }
      config.port = static_cast<std::uint16_t>(value);
    }
    if (ctx.args().has("kdf")) {
      config.kdf = ctx.args().get("kdf");
      RECOURSE_RETURN_IF_ERROR(service::checkKdfStrength(config.kdf));
    }
    if (ctx.args().has("idle-lock")) {
      const std::string m = ctx.args().get("idle-lock");
      unsigned minutes = 0;
      auto [ptr, ec] = std::from_chars(m.data(), m.data() + m.size(), minutes);
      if (ec != std::errc() || ptr != m.data() + m.size() || minutes == 0 || minutes > 1440) {
        return core::invalidArgument("--idle-lock: expected minutes from 1 to 1440");
      }
      config.idle_lock = std::chrono::minutes(minutes);
    }
    if (ctx.args().has("exit-url")) {
      const std::string u = ctx.args().get("exit-url");
      const bool web = u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
      if (!web || u.size() > 2000 || u.find_first_of(" \r\n\"<>") != std::string::npos) {
        return core::invalidArgument("--exit-url: expected a web address starting with https://");
      }
      config.exit_url = u;
    }
    if (ctx.args().has("bind")) config.bind = ctx.args().get("bind");
    if (ctx.args().has("tls-cert")) config.tls_cert = ctx.args().get("tls-cert");
    if (ctx.args().has("tls-key")) config.tls_key = ctx.args().get("tls-key");
    if (ctx.args().has("host")) {
      config.public_host = ctx.args().get("host");
      if (config.public_host.find_first_of(" /:@\r\n") != std::string::npos) {
        return core::invalidArgument("--host: a host name only, such as recourse.office.lan");
      }
    }
    RECOURSE_ASSIGN_OR_RETURN(std::string dir, ctx.dataDir());
    RECOURSE_ASSIGN_OR_RETURN(auto vault,
                              service::Vault::openDataDir(dir, ctx.catalog(), ctx.env().clock));
    server::HttpServer server(*vault, ctx.env().clock, config);
    ServeApp app(server, ctx.out());
    int rc = app.run(std::vector<std::string>{"recourse"});
    if (!app.status_.isOk()) return app.status_;
    if (rc != 0) return core::internalError("the server stopped with code " + std::to_string(rc));
    return core::Status::ok();
  }
};

}  // namespace

std::unique_ptr<Command> makeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace recourse::cli
