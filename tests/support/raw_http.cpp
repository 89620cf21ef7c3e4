#include "raw_http.hpp"

#include <QElapsedTimer>
#include <QSslConfiguration>
#include <QSslSocket>

#include <sys/socket.h>

#include "wire.hpp"

RawConnection::RawConnection(quint16 port, int timeoutMs) : timeoutMs_(timeoutMs) {
  socket_ = std::make_unique<QTcpSocket>();
  socket_->connectToHost(QStringLiteral("127.0.0.1"), port);
  socket_->waitForConnected(timeoutMs_);
}

RawConnection::RawConnection(quint16 port, const QByteArray& caPem, int timeoutMs) : timeoutMs_(timeoutMs) {
  auto socket = std::make_unique<QSslSocket>();
  QSslConfiguration config = socket->sslConfiguration();
  config.setCaCertificates(QSslCertificate::fromData(caPem, QSsl::Pem));
  socket->setSslConfiguration(config);
  socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
  if (!socket->waitForEncrypted(timeoutMs_)) tlsError_ = socket->errorString();
  socket_ = std::move(socket);
}

bool RawConnection::connected() const {
  if (!tlsError_.isEmpty()) return false;
  return socket_->state() == QAbstractSocket::ConnectedState;
}

QSslCertificate RawConnection::peerCertificate() const {
  auto* ssl = qobject_cast<QSslSocket*>(socket_.get());
  return ssl ? ssl->peerCertificate() : QSslCertificate();
}

void RawConnection::sendRaw(const QByteArray& bytes) {
  socket_->write(bytes);
  while (socket_->bytesToWrite() > 0)
    if (!socket_->waitForBytesWritten(timeoutMs_)) break;
}

void RawConnection::shutdownWrite() {
  socket_->flush();
  ::shutdown(int(socket_->socketDescriptor()), SHUT_WR);
}

QByteArray RawConnection::build(const QByteArray& method, const QByteArray& target, const RawHeaders& headers,
                                const QByteArray& body, bool addLength) {
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

RawResponse RawConnection::request(const QByteArray& method, const QByteArray& target, const RawHeaders& headers,
                                   const QByteArray& body) {
  sendRaw(build(method, target, headers, body));
  return readResponse(method == "HEAD");
}

RawResponse RawConnection::readResponse(bool isHead) {
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

bool RawConnection::answerArrived() {
  socket_->waitForReadyRead(0);
  buffer_ += socket_->readAll();
  return !buffer_.isEmpty();
}

bool RawConnection::waitClosed(int timeoutMs) {
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

bool RawConnection::fill() {
  if (socket_->bytesAvailable() > 0) {
    buffer_ += socket_->readAll();
    return true;
  }
  if (socket_->state() != QAbstractSocket::ConnectedState) return false;
  if (!socket_->waitForReadyRead(timeoutMs_)) return socket_->bytesAvailable() > 0 && (buffer_ += socket_->readAll(), true);
  buffer_ += socket_->readAll();
  return true;
}

RawResponse rawRequest(quint16 port, const QByteArray& method, const QByteArray& target, const RawHeaders& headers,
                       const QByteArray& body) {
  RawConnection c(port);
  return c.request(method, target, headers, body);
}

namespace test {

RawResponse put(quint16 port, const QByteArray& name, const QByteArray& content, qint64 version,
                const RawHeaders& headers) {
  return rawRequest(port, "PUT", filesTarget(name, version), headers, content);
}

RawResponse getGzip(quint16 port, const QByteArray& name) {
  return rawRequest(port, "GET", "/files" + name, {{"Accept-Encoding", "gzip"}});
}

QByteArray content(quint16 port, const QByteArray& name, int* status) {
  RawResponse r = getGzip(port, name);
  if (status) *status = r.status;
  if (r.status != 200) return {};
  return r.header("content-encoding") == "gzip" ? gunzip(r.body) : r.body;
}

double requestsCounted(quint16 port, const QByteArray& method) {
  const RawResponse r = rawRequest(port, "GET", "/metrics");
  const QByteArray prefix = "filetracker_http_requests_total{method=\"" + method + "\"";
  double sum = 0;
  for (const auto& line : r.body.split('\n'))
    if (line.startsWith(prefix)) sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
  return sum;
}

}  // namespace test
