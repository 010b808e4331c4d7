#include "server/connection_gate.h"

#include <Poco/Exception.h>
#include <Poco/Timespan.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace recourse::server {

namespace {

using Clock = std::chrono::steady_clock;

// How often a connection that has sent part of its request head is looked at again. Its
// bytes stay in the socket (peeked, not read), so poll(2) would report it readable at once
// every time; it is looked at on this beat instead.
constexpr std::chrono::milliseconds kPartialBeat{20};

// A short answer written straight to a connection that is being closed (best effort: a
// client that reads nothing misses it).
void answerAndClose(Poco::Net::StreamSocket& s, std::string_view status) {
  const std::string text =
      "HTTP/1.1 " + std::string(status) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  const int fd = s.impl()->sockfd();
  // What the client sent is read first (it was only peeked): closing with unread bytes
  // would reset the connection, and the client might never see the answer.
  char drop[4096];
  for (int i = 0; i < 16 && ::recv(fd, drop, sizeof drop, MSG_DONTWAIT) > 0; ++i) {
  }
  (void)::send(fd, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  try {
    s.close();
  } catch (const Poco::Exception&) {
  }
}

Poco::Timespan span(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

}  // namespace

ConnectionGate::ConnectionGate(const Poco::Net::ServerSocket& listening, GateLimits limits,
                               Serve serve)
    : listening_(listening), limits_(limits), serve_(std::move(serve)) {}

ConnectionGate::~ConnectionGate() { stop(); }

void ConnectionGate::start() {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  listening_.setBlocking(false);
  acceptor_ = std::thread([this] { acceptLoop(); });
  for (int i = 0; i < std::max(1, limits_.workers); ++i) {
    workers_.emplace_back([this] { workerLoop(); });
  }
}

void ConnectionGate::stop() {
  if (!acceptor_.joinable()) return;
  stopping_ = true;
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  acceptor_.join();
  try {
    listening_.close();  // no more connections wait in the backlog meanwhile
  } catch (const Poco::Exception&) {
  }
  {
    std::lock_guard lk(mu_);
    // A request still arriving ends now; one already read is answered.
    for (int fd : in_flight_) ::shutdown(fd, SHUT_RD);
    for (auto& s : ready_) answerAndClose(s, "503 Service Unavailable");
    ready_.clear();
  }
  ready_cv_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
  ::close(wake_fd_);
  wake_fd_ = -1;
}

GateCounts ConnectionGate::counts() const {
  std::lock_guard lk(mu_);
  return counts_;
}

bool ConnectionGate::headArrived(Waiting& w, bool* gone) {
  *gone = false;
  const int fd = w.socket.impl()->sockfd();
  int avail = 0;
  if (::ioctl(fd, FIONREAD, &avail) != 0) {
    *gone = true;
    return false;
  }
  if (avail <= 0) {
    // Readable with nothing to read: the other end closed.
    *gone = true;
    return false;
  }
  if (static_cast<size_t>(avail) <= w.peeked) return false;  // nothing new
  std::vector<char> buf(std::min(static_cast<size_t>(avail), limits_.max_head_bytes));
  const ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_PEEK | MSG_DONTWAIT);
  if (n <= 0) {
    *gone = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    return false;
  }
  const std::string_view seen(buf.data(), static_cast<size_t>(n));
  if (limits_.tls) {
    // A TLS record: type (22, handshake), version (2 bytes), length (2 bytes), then that
    // many bytes. Anything else goes on at once, for the TLS layer to refuse.
    if (static_cast<unsigned char>(seen[0]) != 22) return true;
    if (seen.size() >= 5) {
      const size_t length = static_cast<size_t>(static_cast<unsigned char>(seen[3])) << 8 |
                            static_cast<unsigned char>(seen[4]);
      if (seen.size() >= 5 + length || seen.size() >= limits_.max_head_bytes) return true;
    }
    w.peeked = static_cast<size_t>(n);
    return false;
  }
  // A head too long to be whole goes on all the same: the HTTP code answers it (400).
  if (seen.find("\r\n\r\n") != std::string_view::npos ||
      seen.find("\n\n") != std::string_view::npos ||
      static_cast<size_t>(n) >= limits_.max_head_bytes) {
    return true;
  }
  w.peeked = static_cast<size_t>(n);
  return false;
}

void ConnectionGate::hand(const Poco::Net::StreamSocket& socket) {
  {
    std::lock_guard lk(mu_);
    if (ready_.size() < limits_.max_ready) {
      ready_.push_back(socket);
      ++counts_.served;
      ready_cv_.notify_one();
      return;
    }
    ++counts_.refused_busy;
  }
  Poco::Net::StreamSocket refused = socket;
  answerAndClose(refused, "503 Service Unavailable");
}

void ConnectionGate::acceptLoop() {
  std::deque<Waiting> waiting;  // oldest first
  std::vector<pollfd> fds;
  Clock::time_point accept_paused_until{};
  while (!stopping_) {
    const auto now = Clock::now();
    fds.clear();
    fds.push_back({wake_fd_, POLLIN, 0});
    const bool accepting = now >= accept_paused_until;
    fds.push_back({listening_.impl()->sockfd(), static_cast<short>(accepting ? POLLIN : 0), 0});
    bool any_partial = false;
    for (const auto& w : waiting) {
      // A connection whose bytes are waiting in its buffer is looked at on the beat; one
      // whose sender has finished (POLLRDHUP) at once.
      fds.push_back({w.socket.impl()->sockfd(),
                     static_cast<short>(w.peeked > 0 ? POLLRDHUP : POLLIN | POLLRDHUP), 0});
      any_partial = any_partial || w.peeked > 0;
    }
    auto wait = std::chrono::milliseconds(1000);
    if (!waiting.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          waiting.front().since + limits_.header_timeout - now);
      wait = std::clamp(left, std::chrono::milliseconds(0), wait);
    }
    if (any_partial || !accepting) wait = std::min(wait, kPartialBeat);
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) break;  // stop

    // Connections whose request head may now be whole.
    std::deque<Waiting> still;
    for (size_t i = 0; i < waiting.size(); ++i) {
      Waiting& w = waiting[i];
      const short ev = fds[i + 2].revents;
      if (ev == 0 && w.peeked == 0) {
        still.push_back(std::move(w));
        continue;
      }
      bool gone = false;
      const bool arrived = headArrived(w, &gone);
      if (arrived || (!gone && (ev & POLLRDHUP) != 0)) {
        // Whole, or all the sender will ever send: a worker answers what is there (an
        // unfinished request gets its 400).
        hand(w.socket);  // sockets are shared handles: copied, not moved
      } else if (gone) {
        try {
          w.socket.close();
        } catch (const Poco::Exception&) {
        }
      } else {
        still.push_back(std::move(w));
      }
    }
    waiting.swap(still);

    // Too slow: the whole head must arrive within the header timeout.
    const auto later = Clock::now();
    while (!waiting.empty() && later - waiting.front().since >= limits_.header_timeout) {
      answerAndClose(waiting.front().socket, "408 Request Timeout");
      waiting.pop_front();
      std::lock_guard lk(mu_);
      ++counts_.timed_out;
    }

    // New connections; room is made for each by closing the one waiting longest.
    if (fds[1].revents & POLLIN) {
      for (int i = 0; i < 64; ++i) {
        Poco::Net::StreamSocket s;
        try {
          s = listening_.acceptConnection();
        } catch (const Poco::Exception&) {
          // None left (EAGAIN); or, failing on the first though poll said one was there, no
          // file descriptor to take it with (EMFILE): the listening socket is left alone for
          // a moment rather than polled again at once, for ever.
          if (i == 0) accept_paused_until = Clock::now() + std::chrono::milliseconds(100);
          break;
        }
        if (waiting.size() >= limits_.max_waiting && !waiting.empty()) {
          answerAndClose(waiting.front().socket, "408 Request Timeout");
          waiting.pop_front();
          std::lock_guard lk(mu_);
          ++counts_.dropped_for_room;
        }
        waiting.push_back(Waiting{s, Clock::now(), 0});
      }
    }
  }
  for (auto& w : waiting) {
    try {
      w.socket.close();
    } catch (const Poco::Exception&) {
    }
  }
}

void ConnectionGate::workerLoop() {
  for (;;) {
    Poco::Net::StreamSocket s;
    int fd = -1;
    {
      std::unique_lock lk(mu_);
      ready_cv_.wait(lk, [&] { return stopping_ || !ready_.empty(); });
      if (ready_.empty()) return;
      s = ready_.front();
      ready_.pop_front();
      // A duplicate of the socket's fd, for stop() to end its reads: the socket itself is
      // closed inside serve_, and its number may be reused before it is forgotten here.
      fd = ::dup(s.impl()->sockfd());
      if (fd >= 0) in_flight_.insert(fd);
    }
    try {
      s.setBlocking(true);
      s.setReceiveTimeout(span(limits_.read_timeout));
      s.setSendTimeout(span(limits_.write_timeout));
      serve_(s);
    } catch (...) {
      // The connection is dropped; the server goes on.
    }
    std::lock_guard lk(mu_);
    if (fd >= 0) {
      in_flight_.erase(fd);
      ::close(fd);
    }
  }
}

}  // namespace recourse::server
