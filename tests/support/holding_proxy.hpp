// A TCP proxy on 127.0.0.1 in front of a real server that holds one
// direction of a transfer half-way until the test says go: the cancel tests
// of the GUI cancel a transfer that is provably in flight, instead of racing
// a fast loopback transfer to its end.
//
// The held direction (client to server for an upload, server to client for
// a download) starts trickling: a few KiB every ~150 ms. Qt's QNetworkReply
// reports upload/download progress only when new data arrives at least
// 100 ms after its last report, so a proxy that held everything from the
// start would never let a progress signal through; the trickle does, and
// is far too slow for any transfer of a few MiB to end. Once the test has
// seen progress it calls hold(): nothing more passes (holding() says when
// the pump has taken that in) until release(). The other direction always
// passes freely, and a connection closed on either side is closed on the
// other (so a client's cancel reaches the server as a cut-off request).
//
// Every connection is served by a thread of its own; the destructor closes
// all of them and joins the threads.
#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace test {

class HoldingProxy {
 public:
  enum class Held { ToServer, ToClient };

  // REQUIRES: a server listens on 127.0.0.1:target_port.
  HoldingProxy(quint16 target_port, Held held, std::size_t trickle_bytes = 4096, int trickle_ms = 150);
  ~HoldingProxy();
  HoldingProxy(const HoldingProxy&) = delete;
  HoldingProxy& operator=(const HoldingProxy&) = delete;

  bool listening() const { return listen_fd_ >= 0; }
  quint16 port() const { return port_; }
  QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }

  void hold() { mode_.store(kHold); }
  // Everything passes from now on (what was held included).
  void release() { mode_.store(kRelease); }
  // hold() was called and every pump has seen it: no byte passes in the
  // held direction until release().
  bool holding() const {
    const int open = active_.load();
    return mode_.load() == kHold && open > 0 && holding_seen_.load() >= open;
  }

  // Bytes passed in the held direction, over all connections.
  std::uint64_t held_direction_bytes() const { return passed_.load(); }
  int connections_accepted() const { return accepted_.load(); }
  // Connections still open (both sides): 0 once a cancelled transfer's
  // connection has been closed through to the server.
  int connections_open() const { return active_.load(); }

 private:
  enum Mode { kTrickle, kHold, kRelease };
  void accept_loop();
  void pump(int client, int server);

  quint16 target_port_;
  Held held_;
  std::size_t trickle_bytes_;
  int trickle_ms_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a pipe: written by the destructor to stop every thread
  quint16 port_ = 0;
  std::atomic<int> mode_{kTrickle};
  std::atomic<int> holding_seen_{0};  // pumps that are holding
  std::atomic<int> active_{0};
  std::atomic<int> accepted_{0};
  std::atomic<std::uint64_t> passed_{0};
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
  std::set<int> open_fds_;  // both sockets of every open connection
  std::thread acceptor_;
};

}  // namespace test
