// A TCP relay on 127.0.0.1 in front of a real service (PostgreSQL, S3) that
// the test can cut and resume: while cut, connecting is refused and every
// relayed connection is closed, which is what a server sees when that service
// goes away; resume() listens again on the same port. The scale-out tests
// point a server at the relay instead of the shared service, so "S3 is down"
// is tested without stopping the service other tests use.
#pragma once

#include <QtGlobal>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace test {

class TcpRelay {
 public:
  explicit TcpRelay(quint16 target_port);  // listens at once; port() == 0 when it could not
  ~TcpRelay();                             // closes everything, joins its threads
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  quint16 port() const { return port_; }
  void cut();     // refuse new connections, close the open ones
  bool resume();  // listen again on port()

 private:
  bool listen();
  void accept_loop(int listen_fd);
  void pump(int client_fd);

  quint16 target_port_;
  quint16 port_ = 0;
  std::mutex mutex_;
  int listen_fd_ = -1;
  std::atomic<bool> cut_{false};
  std::vector<int> open_fds_;  // both sides of every relayed connection
  std::thread acceptor_;
  std::vector<std::thread> pumps_;
};

}  // namespace test
