#include "holding_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

namespace test {
namespace {

// Small socket buffers on the proxy's side: what the held peer has sent
// waits in its own buffers, not in a few MiB of the proxy's.
constexpr int kSocketBuffer = 32 * 1024;

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

int connect_loopback(quint16 port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

HoldingProxy::HoldingProxy(quint16 target_port, Held held, std::size_t trickle_bytes, int trickle_ms)
    : target_port_(target_port), held_(held), trickle_bytes_(trickle_bytes), trickle_ms_(trickle_ms) {
  if (::pipe2(wake_, O_CLOEXEC) != 0) return;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);  // inherited by accepted sockets
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return;
  }
  listen_fd_ = fd;
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HoldingProxy::~HoldingProxy() {
  if (wake_[1] >= 0) {
    const char c = 'q';
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &c, 1);
  }
  {
    // A pump blocked in send() does not see the pipe: shut its sockets.
    std::lock_guard lock(threads_mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(threads_mutex_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

void HoldingProxy::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int server = connect_loopback(target_port_);
    if (server < 0) {
      ::close(client);
      continue;
    }
    ++accepted_;
    ++active_;
    std::lock_guard lock(threads_mutex_);
    open_fds_.insert(client);
    open_fds_.insert(server);
    threads_.emplace_back([this, client, server] { pump(client, server); });
  }
}

void HoldingProxy::pump(int client, int server) {
  using Clock = std::chrono::steady_clock;
  const int held_from = held_ == Held::ToServer ? client : server;
  const int held_to = held_ == Held::ToServer ? server : client;
  const int free_from = held_ == Held::ToServer ? server : client;
  const int free_to = held_ == Held::ToServer ? client : server;
  std::vector<char> buffer(64 * 1024);
  std::size_t budget = 0;
  Clock::time_point next_tick = Clock::now();
  bool in_hold = false;
  for (;;) {
    const int mode = mode_.load();
    if ((mode == kHold) != in_hold) {
      in_hold = mode == kHold;
      holding_seen_ += in_hold ? 1 : -1;
    }
    int timeout_ms = 50;  // to see a change of mode
    if (mode == kTrickle) {
      const auto now = Clock::now();
      if (now >= next_tick) {
        budget = trickle_bytes_;
        next_tick = now + std::chrono::milliseconds(trickle_ms_);
      }
      timeout_ms = static_cast<int>(
          std::max<long long>(1, std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - now).count()));
    }
    const bool read_held = mode == kRelease || (mode == kTrickle && budget > 0);
    // Held, the source is not read; a close on its side (seen as RDHUP)
    // still ends the connection: a cancelled upload's client went away.
    pollfd fds[3] = {{held_from, static_cast<short>(read_held ? POLLIN : mode == kHold ? POLLRDHUP : 0), 0},
                     {free_from, POLLIN, 0},
                     {wake_[0], POLLIN, 0}};
    const int ready = ::poll(fds, 3, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (fds[2].revents) break;
    bool done = false;
    if (fds[1].revents) {
      const ssize_t n = ::recv(free_from, buffer.data(), buffer.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || !send_all(free_to, buffer.data(), static_cast<std::size_t>(n))) done = true;
    }
    if (!done && fds[0].revents) {
      if (!read_held) {
        done = true;  // closed (RDHUP while held, HUP) or an error
      } else {
        const std::size_t want = mode == kRelease ? buffer.size() : std::min(budget, buffer.size());
        const ssize_t n = ::recv(held_from, buffer.data(), want, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || !send_all(held_to, buffer.data(), static_cast<std::size_t>(n))) {
          done = true;
        } else {
          passed_ += static_cast<std::uint64_t>(n);
          if (mode == kTrickle) budget -= static_cast<std::size_t>(n);
        }
      }
    }
    if (done) break;
  }
  if (in_hold) --holding_seen_;
  {
    std::lock_guard lock(threads_mutex_);
    open_fds_.erase(client);
    open_fds_.erase(server);
    ::close(client);
    ::close(server);
  }
  --active_;
}

}  // namespace test
