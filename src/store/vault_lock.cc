#include "store/vault_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>
#include <vector>

namespace recourse::store {

namespace {

// Long enough for an import of a large vault to finish; short enough that a program waiting
// for one does not look stuck for long.
std::atomic<long long> g_shared_wait_ms{60'000};
// Long enough for a command in another process to finish what it is writing.
std::atomic<long long> g_exclusive_wait_ms{5'000};
constexpr std::chrono::milliseconds kPoll{25};

std::string errnoText(int e) { return std::error_code(e, std::generic_category()).message(); }

// "recourse request batch" from a process's command line: the program's name and the
// command words after it (options and their values, paths and numbers left out).
std::string describeCommandLine(const std::string& raw) {
  std::vector<std::string> args;
  std::string cur;
  for (char c : raw) {
    if (c == '\0') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) args.push_back(cur);
  if (args.empty()) return "";
  std::string out = args[0].substr(args[0].find_last_of('/') + 1);
  int words = 0;
  for (size_t i = 1; i < args.size() && words < 2; ++i) {
    const std::string& a = args[i];
    if (a.rfind('-', 0) == 0) {
      // "--data-dir DIR": the value goes with it.
      if (a.find('=') == std::string::npos && i + 1 < args.size() &&
          args[i + 1].rfind('-', 0) != 0 && args[i + 1].find_first_of("/.") != std::string::npos) {
        ++i;
      }
      continue;
    }
    bool word = !a.empty() && a.size() <= 20;
    for (char c : a) word = word && ((c >= 'a' && c <= 'z') || c == '-');
    if (!word) break;
    out += " " + a;
    ++words;
  }
  return out;
}

// Who holds a lock on `fd`'s file, from /proc/locks: "recourse serve, process 123", or ""
// when it cannot be told. Other processes only (a lock this process holds is not a program
// to wait for), the first found.
std::string describeHolder(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return "";
  char dev[64];
  std::snprintf(dev, sizeof dev, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    if (line.find("->") != std::string::npos) continue;  // waiting, not holding
    std::istringstream in(line);
    std::string n, kind, advisory, type, pid, where;
    if (!(in >> n >> kind >> advisory >> type >> pid >> where)) continue;
    if (kind != "FLOCK" || where != dev) continue;
    if (pid == std::to_string(::getpid())) continue;
    std::ifstream cmd("/proc/" + pid + "/cmdline", std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    const std::string what = describeCommandLine(raw);
    return what.empty() ? "process " + pid : what + ", process " + pid;
  }
  return "";
}

core::Status busy(int fd, VaultLock::Mode wanted) {
  const std::string holder = describeHolder(fd);
  if (wanted == VaultLock::Mode::kExclusive) {
    const std::string program = holder.empty() ? "another Recourse program" : holder;
    return core::conflict("this vault is in use by another Recourse program" +
                          (holder.empty() ? std::string() : " (" + holder + ")") +
                          "; let it finish or stop it, then try again; nothing was changed")
        .withField("data_dir")
        .withReason("vault_busy", {{"program", program}});
  }
  const std::string program = holder.empty() ? "another Recourse program" : holder;
  return core::conflict("a backup is being put in place of this vault" +
                        (holder.empty() ? std::string() : " (" + holder + ")") +
                        "; try again when it has finished")
      .withField("data_dir")
      .withReason("vault_importing", {{"program", program}});
}

// Polls flock(LOCK_NB) until it succeeds or `wait` has passed. EWOULDBLOCK: still held.
int lockWithin(int fd, int op, std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, op | LOCK_NB) == 0) return 0;
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return errno;
    if (std::chrono::steady_clock::now() >= until) return EWOULDBLOCK;
    std::this_thread::sleep_for(kPoll);
  }
}

std::chrono::milliseconds waitFor(VaultLock::Mode mode) {
  return std::chrono::milliseconds(mode == VaultLock::Mode::kShared ? g_shared_wait_ms.load()
                                                                    : g_exclusive_wait_ms.load());
}

}  // namespace

std::string vaultLockPath(const std::string& db_path) { return db_path + ".lock"; }

void VaultLock::setWaits(std::chrono::milliseconds shared, std::chrono::milliseconds exclusive) {
  g_shared_wait_ms = shared.count();
  g_exclusive_wait_ms = exclusive.count();
}

namespace {

// Opens (creating) a lock file. PermissionDenied where this process may not write.
core::StatusOr<int> openLockFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  const int e = errno;
  if (e == EACCES || e == EROFS) {
    return core::permissionDenied("cannot open the vault's lock file " + path + ": " +
                                  errnoText(e));
  }
  return core::ioError("cannot open the vault's lock file " + path + ": " + errnoText(e));
}

// Takes `op` on `fd` within the wait for `mode`; the Conflict or IOError otherwise.
core::Status lockOrSay(int fd, int op, VaultLock::Mode mode, const std::string& path) {
  const int rc = lockWithin(fd, op, waitFor(mode));
  if (rc == 0) return core::Status::ok();
  if (rc == EWOULDBLOCK) return busy(fd, mode);
  if (rc == ENOLCK || rc == EOPNOTSUPP || rc == ENOSYS || rc == EINVAL) {
    // A file system without locks (NFS without its lock service, some network mounts): the
    // vault opens as it did before there was a lock, without this protection.
    return core::permissionDenied("this file system does not support locks (" + path +
                                  "): " + errnoText(rc));
  }
  return core::ioError("cannot lock " + path + ": " + errnoText(rc));
}

}  // namespace

// Two files: the lock itself, and a gate before it. An import closes the gate first, so
// programs that keep opening the vault (a batch, several commands in a row) cannot keep it
// waiting for ever; it then waits for those already inside. A program opening the vault
// passes the gate (shared, for a moment) and takes the lock shared.
core::StatusOr<std::unique_ptr<VaultLock>> VaultLock::take(const std::string& db_path, Mode mode) {
  const std::string path = vaultLockPath(db_path);
  const std::string gate_path = path + "-gate";
  RECOURSE_ASSIGN_OR_RETURN(int gate, openLockFile(gate_path));
  auto main = openLockFile(path);
  if (!main.isOk()) {
    ::close(gate);
    return main.status();
  }
  std::unique_ptr<VaultLock> lock(new VaultLock(*main, path, mode));
  // Whoever holds the gate shut is an import: a shared taker waits for it as for the lock.
  core::Status s = lockOrSay(gate, mode == Mode::kShared ? LOCK_SH : LOCK_EX, mode, gate_path);
  if (s.isOk()) s = lockOrSay(*main, mode == Mode::kShared ? LOCK_SH : LOCK_EX, mode, path);
  if (!s.isOk()) {
    ::close(gate);
    return s;
  }
  if (mode == Mode::kShared) {
    ::close(gate);
  } else {
    lock->gate_fd_ = gate;
  }
  return lock;
}

VaultLock::~VaultLock() {
  ::close(fd_);
  if (gate_fd_ >= 0) ::close(gate_fd_);
}

core::Status VaultLock::makeExclusive() {
  if (mode_ == Mode::kExclusive) return core::Status::ok();
  RECOURSE_ASSIGN_OR_RETURN(int gate, openLockFile(path_ + "-gate"));
  if (core::Status s = lockOrSay(gate, LOCK_EX, Mode::kExclusive, path_ + "-gate"); !s.isOk()) {
    ::close(gate);
    return s;
  }
  // A conversion that cannot be made at once gives up the shared lock (flock(2)): it is
  // taken back before waiting again. Nobody new gets in meanwhile: the gate is shut.
  const auto until = std::chrono::steady_clock::now() + waitFor(Mode::kExclusive);
  for (;;) {
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
      mode_ = Mode::kExclusive;
      gate_fd_ = gate;
      return core::Status::ok();
    }
    const int e = errno;
    if (e != EWOULDBLOCK && e != EINTR) {
      ::flock(fd_, LOCK_SH);
      ::close(gate);
      return core::ioError("cannot lock " + path_ + ": " + errnoText(e));
    }
    ::flock(fd_, LOCK_SH);  // at once: only shared holders are inside
    if (std::chrono::steady_clock::now() >= until) {
      core::Status s = busy(fd_, Mode::kExclusive);
      ::close(gate);
      return s;
    }
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace recourse::store
