#include "tcp_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace test {

TcpRelay::TcpRelay(quint16 target_port) : target_port_(target_port) {
  if (!listen()) port_ = 0;
}

TcpRelay::~TcpRelay() { cut(); }

bool TcpRelay::listen() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port_);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    return false;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  cut_ = false;
  listen_fd_ = fd;
  acceptor_ = std::thread([this, fd] { accept_loop(fd); });
  return true;
}

void TcpRelay::accept_loop(int listen_fd) {
  for (;;) {
    int client = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // cut(): the listener was shut down
    }
    std::lock_guard lock(mutex_);
    if (cut_) {
      ::close(client);
      return;
    }
    pumps_.emplace_back([this, client] { pump(client); });
  }
}

void TcpRelay::pump(int client) {
  int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(target_port_);
  if (server < 0 || ::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (server >= 0) ::close(server);
    ::close(client);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (cut_) {
      ::close(server);
      ::close(client);
      return;
    }
    open_fds_.push_back(client);
    open_fds_.push_back(server);
  }
  char buffer[65536];
  pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
  bool done = false;
  while (!done) {
    if (::poll(fds, 2, 200) < 0 && errno != EINTR) break;
    if (cut_) break;
    for (int i = 0; i < 2 && !done; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        done = true;
        break;
      }
      for (ssize_t off = 0; off < n;) {
        ssize_t w = ::write(fds[1 - i].fd, buffer + off, static_cast<size_t>(n - off));
        if (w <= 0) {
          done = true;
          break;
        }
        off += w;
      }
    }
  }
  std::lock_guard lock(mutex_);
  for (int fd : {client, server}) {
    auto it = std::find(open_fds_.begin(), open_fds_.end(), fd);
    if (it != open_fds_.end()) open_fds_.erase(it);
    ::close(fd);
  }
}

void TcpRelay::cut() {
  std::vector<std::thread> pumps;
  {
    std::lock_guard lock(mutex_);
    cut_ = true;
    if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    pumps.swap(pumps_);
  }
  for (auto& t : pumps) t.join();
  std::lock_guard lock(mutex_);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

bool TcpRelay::resume() {
  std::lock_guard lock(mutex_);
  if (listen_fd_ >= 0) return true;
  return listen();
}

}  // namespace test
