// A small, strict HTTP/1.1 client over a blocking QTcpSocket for the server
// tests: it sends exactly the bytes the test wants (also malformed requests,
// truncated bodies) and parses the answer without any decoding, so a test
// sees precisely what the server put on the wire. Usable from any thread.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QSslCertificate>
#include <QString>
#include <QTcpSocket>

#include <memory>

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
  explicit RawConnection(quint16 port, int timeoutMs = 15000);
  // HTTPS: a TLS connection (Qt's defaults: TLS 1.2 or newer) trusting only
  // the certificates in `caPem`. connected() is false when the handshake
  // failed (tlsError() says why).
  RawConnection(quint16 port, const QByteArray& caPem, int timeoutMs = 15000);
  bool connected() const;
  QString tlsError() const { return tlsError_; }
  QSslCertificate peerCertificate() const;

  void sendRaw(const QByteArray& bytes);
  void shutdownWrite();

  // Builds a request; adds Host and (for a body, or any PUT, when
  // `addLength`) Content-Length.
  static QByteArray build(const QByteArray& method, const QByteArray& target, const RawHeaders& headers = {},
                          const QByteArray& body = {}, bool addLength = true);

  RawResponse request(const QByteArray& method, const QByteArray& target, const RawHeaders& headers = {},
                      const QByteArray& body = {});

  // Reads one answer (skipping "100 Continue").
  RawResponse readResponse(bool isHead = false);

  // True when some bytes of an answer have arrived (or are buffered), without
  // waiting for more.
  bool answerArrived();

  // True when the server closes the connection within the timeout.
  bool waitClosed(int timeoutMs);

 private:
  bool fill();

  std::unique_ptr<QTcpSocket> socket_;
  QByteArray buffer_;
  int timeoutMs_;
  QString tlsError_;
};

// One request on a fresh connection.
RawResponse rawRequest(quint16 port, const QByteArray& method, const QByteArray& target,
                       const RawHeaders& headers = {}, const QByteArray& body = {});

namespace test {

// Filetracker requests over a fresh raw connection.
RawResponse put(quint16 port, const QByteArray& name, const QByteArray& content, qint64 version,
                const RawHeaders& headers = {});
RawResponse getGzip(quint16 port, const QByteArray& name);
// Content of a stored file (decompressing when the server sent gzip); empty
// and the status in *status for errors.
QByteArray content(quint16 port, const QByteArray& name, int* status = nullptr);
// The server's /metrics count of `method` requests so far (every status):
// what a test checks "sent no file body" with.
double requestsCounted(quint16 port, const QByteArray& method);

}  // namespace test
