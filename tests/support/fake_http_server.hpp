// A scripted HTTP/1.1 server on 127.0.0.1 (port 0) for tests that need a
// misbehaving peer: a download cut off half-way, a corrupt checksum, a
// server that never answers, an old server without our extensions.
//
// It runs in its own thread (blocking QTcpServer calls), so synchronous
// clients in the test's thread and child processes can both talk to it.
// Each connection carries one request; the handler returns the raw bytes to
// send back, then the connection is closed.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <atomic>
#include <functional>
#include <mutex>
#include <future>
#include <thread>

struct FakeRequest {
  QByteArray method;
  QByteArray target;                    // path and query, as sent
  QMap<QByteArray, QByteArray> headers;  // names lowercased
  QByteArray body;
};

class FakeHttpServer {
 public:
  // Returns the raw response bytes (status line, headers, body) to send.
  using Handler = std::function<QByteArray(const FakeRequest&)>;

  explicit FakeHttpServer(Handler handler);
  ~FakeHttpServer();  // stops the thread
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  quint16 port() const { return port_; }
  // After sending a reply, keep the connection open (saying nothing more)
  // until the client gives up: a server that stalls mid-body.
  void setStallAfterReply(bool stall) { stall_ = stall; }
  // Sends each reply in `pieces` parts, `delayMs` apart: a slow link.
  void setTrickle(int pieces, int delayMs) {
    pieces_ = pieces;
    delayMs_ = delayMs;
  }
  // Called (in the server's thread) before each piece but the first of a
  // trickled reply, with the piece's index: lets a test hold the rest of a
  // body back until the client has done something. Must return within a
  // bounded time. Set before the first request.
  void setBeforePiece(std::function<void(int piece)> hook) { beforePiece_ = std::move(hook); }
  QString url() const;
  QList<FakeRequest> requests() const;
  int count(const QByteArray& method, const QByteArray& targetPrefix) const;

  // A complete response. Content-Length is added unless `headers` has one.
  static QByteArray reply(int status, const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body);

 private:
  void run(std::promise<quint16>* ready);

  Handler handler_;
  std::function<void(int)> beforePiece_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> stall_{false};
  std::atomic<int> pieces_{1};
  std::atomic<int> delayMs_{0};
  quint16 port_ = 0;
  mutable std::mutex mutex_;
  QList<FakeRequest> requests_;
  std::thread thread_;
};
