// A small, strict HTTP/1.1 client over a blocking QTcpSocket for the server
// tests: it sends exactly the bytes the test wants (also malformed requests,
// truncated bodies) and parses the answer without any decoding, so a test
// sees precisely what the server put on the wire. Usable from any thread.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QPair>
#include <QTcpSocket>

#include <sys/socket.h>

#include <memory>
#include <optional>

struct RawResponse {
  int status = 0;                         // 0: no (complete) answer
  QMap<QByteArray, QByteArray> headers;  // lowercase names
  QByteArray body;
  bool connectionClosed = false;  // the server closed the connection after answering (or without one)

  QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
  bool has(const QByteArray& name) const { return headers.contains(name.toLower()); }
};

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

// One connection (keep-alive: several requests in a row).
class RawConnection {
 public:
  explicit RawConnection(quint16 port, int timeoutMs = 15000) : timeoutMs_(timeoutMs) {
    socket_ = std::make_unique<QTcpSocket>();
    socket_->connectToHost(QStringLiteral("127.0.0.1"), port);
    socket_->waitForConnected(timeoutMs_);
  }
  bool connected() const { return socket_->state() == QAbstractSocket::ConnectedState; }

  void sendRaw(const QByteArray& bytes) {
    socket_->write(bytes);
    while (socket_->bytesToWrite() > 0)
      if (!socket_->waitForBytesWritten(timeoutMs_)) break;
  }
  void shutdownWrite() {
    socket_->flush();
    ::shutdown(int(socket_->socketDescriptor()), SHUT_WR);
  }

  // Builds a request; adds Host and (for a body or `forceLength`) Content-Length.
  static QByteArray build(const QByteArray& method, const QByteArray& target, const RawHeaders& headers = {},
                          const QByteArray& body = {}, bool addLength = true) {
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool hasLength = false;
    for (const auto& [name, value] : headers) {
      out += name + ": " + value + "\r\n";
      if (name.toLower() == "content-length") hasLength = true;
    }
    if (addLength && !hasLength && (!body.isEmpty() || method == "PUT"))
      out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
  }

  RawResponse request(const QByteArray& method, const QByteArray& target, const RawHeaders& headers = {},
                      const QByteArray& body = {}) {
    sendRaw(build(method, target, headers, body));
    return readResponse(method == "HEAD");
  }

  // Reads one answer (skipping "100 Continue").
  RawResponse readResponse(bool isHead = false) {
    RawResponse r;
    for (;;) {
      QByteArray head;
      int end;
      while ((end = buffer_.indexOf("\r\n\r\n")) < 0) {
        if (!fill()) {
          r.connectionClosed = true;
          return r;
        }
      }
      head = buffer_.left(end);
      buffer_.remove(0, end + 4);
      const QList<QByteArray> lines = head.split('\n');
      const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
      r.status = statusLine.value(1).toInt();
      r.headers.clear();
      for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const int colon = line.indexOf(':');
        if (colon > 0) r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
      }
      if (r.status != 100) break;
    }
    qint64 length = isHead ? 0 : r.header("content-length").toLongLong();
    while (buffer_.size() < length) {
      if (!fill()) {
        r.status = 0;  // cut off
        r.connectionClosed = true;
        return r;
      }
    }
    r.body = buffer_.left(length);
    buffer_.remove(0, length);
    if (r.header("connection").toLower() == "close") {
      // The server must really close it.
      r.connectionClosed = !fill();
    }
    return r;
  }

  // True when the server closes the connection within the timeout.
  bool waitClosed(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
      if (socket_->state() != QAbstractSocket::ConnectedState) return true;
      if (!socket_->waitForReadyRead(int(qMax<qint64>(1, timeoutMs - timer.elapsed()))))
        return socket_->state() != QAbstractSocket::ConnectedState;
      buffer_ += socket_->readAll();
    }
    return false;
  }

 private:
  bool fill() {
    if (socket_->bytesAvailable() > 0) {
      buffer_ += socket_->readAll();
      return true;
    }
    if (socket_->state() != QAbstractSocket::ConnectedState) return false;
    if (!socket_->waitForReadyRead(timeoutMs_)) return socket_->bytesAvailable() > 0 && (buffer_ += socket_->readAll(), true);
    buffer_ += socket_->readAll();
    return true;
  }

  std::unique_ptr<QTcpSocket> socket_;
  QByteArray buffer_;
  int timeoutMs_;
};

// One request on a fresh connection.
inline RawResponse rawRequest(quint16 port, const QByteArray& method, const QByteArray& target,
                              const RawHeaders& headers = {}, const QByteArray& body = {}) {
  RawConnection c(port);
  return c.request(method, target, headers, body);
}
