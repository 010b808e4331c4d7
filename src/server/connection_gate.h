// What stands between the listening socket and the threads that answer requests.
//
// Poco's own TCPServer hands each connection to a worker thread as soon as it is accepted,
// so connections that send nothing (or send their request a byte at a time) each hold a
// worker until they time out, and a few of them stall the app for everyone. Here a single
// thread accepts connections and watches them (poll(2)) until a whole request head has
// arrived (peeked at, not read, so the HTTP code reads it as sent); only then does a worker
// take the connection, first come first served. A connection that has not sent its request
// head within the header timeout is answered 408 and closed; when too many are waiting, the
// one waiting longest is closed to make room, so new arrivals (the person's own browser
// tab) always get in.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace recourse::server {

struct GateLimits {
  int workers = 16;          // requests answered at once
  size_t max_waiting = 256;  // connections whose request head has not all arrived
  size_t max_ready = 512;    // whole request heads waiting for a worker (503 beyond)
  // A head this long goes to a worker (which refuses it); well within a socket's buffer.
  size_t max_head_bytes = 32 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds read_timeout{10'000};   // per read of a request body
  std::chrono::milliseconds write_timeout{30'000};  // per write of an answer
  // Connections speak TLS: what must have arrived before a worker takes one is the first
  // TLS record (the client's hello), not a request head, which is encrypted.
  bool tls = false;
};

struct GateCounts {
  long long served = 0;            // connections handed to a worker
  long long timed_out = 0;         // closed with 408: the head did not arrive in time
  long long dropped_for_room = 0;  // closed to make room for newer connections
  long long refused_busy = 0;      // answered 503: too many whole requests queued
};

class ConnectionGate {
 public:
  // Answers one connection whose request head has arrived; runs on a worker thread and may
  // throw (caught and dropped: the connection closes).
  using Serve = std::function<void(Poco::Net::StreamSocket&)>;

  ConnectionGate(const Poco::Net::ServerSocket& listening, GateLimits limits, Serve serve);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  void start();
  // Stops accepting, closes waiting connections, ends reads of requests in progress (their
  // answers are still sent) and waits for the workers.
  void stop();
  GateCounts counts() const;

 private:
  struct Waiting {
    Poco::Net::StreamSocket socket;
    std::chrono::steady_clock::time_point since;
    size_t peeked = 0;  // bytes seen so far (a head is looked for again only when more came)
  };
  void acceptLoop();
  void workerLoop();
  // True when the whole request head is in the socket's buffer; false when not yet; the
  // connection closed or failed: `gone`.
  bool headArrived(Waiting& w, bool* gone);
  void hand(const Poco::Net::StreamSocket& socket);

  Poco::Net::ServerSocket listening_;
  const GateLimits limits_;
  const Serve serve_;
  int wake_fd_ = -1;  // eventfd: wakes the accepting thread to stop
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::condition_variable ready_cv_;
  std::deque<Poco::Net::StreamSocket> ready_;
  std::set<int> in_flight_;  // sockets a worker is answering (their fds)
  GateCounts counts_;
};

}  // namespace recourse::server
