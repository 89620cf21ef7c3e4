#include "fake_http_server.hpp"

#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
  std::promise<quint16> ready;
  auto future = ready.get_future();
  thread_ = std::thread([this, &ready] { run(&ready); });
  port_ = future.get();
}

FakeHttpServer::~FakeHttpServer() {
  stop_ = true;
  thread_.join();
}

QString FakeHttpServer::url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }

QList<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int FakeHttpServer::count(const QByteArray& method, const QByteArray& targetPrefix) const {
  int n = 0;
  for (const auto& r : requests())
    if (r.method == method && r.target.startsWith(targetPrefix)) ++n;
  return n;
}

QByteArray FakeHttpServer::reply(int status, const QList<QPair<QByteArray, QByteArray>>& headers,
                                 const QByteArray& body) {
  QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " X\r\nConnection: close\r\n";
  bool hasLength = false;
  for (const auto& [k, v] : headers) {
    out += k + ": " + v + "\r\n";
    if (k.compare("content-length", Qt::CaseInsensitive) == 0) hasLength = true;
  }
  if (!hasLength) out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
  out += "\r\n" + body;
  return out;
}

void FakeHttpServer::run(std::promise<quint16>* ready) {
  QTcpServer server;
  if (!server.listen(QHostAddress::LocalHost, 0)) {
    ready->set_value(0);
    return;
  }
  ready->set_value(server.serverPort());
  while (!stop_) {
    if (!server.waitForNewConnection(20)) continue;
    std::unique_ptr<QTcpSocket> socket(server.nextPendingConnection());
    if (!socket) continue;
    QByteArray data;
    int headerEnd = -1;
    qint64 contentLength = 0;
    FakeRequest request;
    // Read the request head, then the body by Content-Length (bounded waits).
    for (int waits = 0; waits < 500 && !stop_; ++waits) {
      if (headerEnd < 0) {
        headerEnd = data.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
          const auto lines = data.left(headerEnd).split('\n');
          const auto first = lines.value(0).trimmed().split(' ');
          request.method = first.value(0);
          request.target = first.value(1);
          for (int i = 1; i < lines.size(); ++i) {
            int colon = lines[i].indexOf(':');
            if (colon > 0)
              request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
          }
          contentLength = request.headers.value("content-length", "0").toLongLong();
          if (request.method == "HEAD") contentLength = 0;
        }
      }
      if (headerEnd >= 0 && data.size() - (headerEnd + 4) >= contentLength) break;
      if (!socket->waitForReadyRead(20)) {
        if (socket->state() != QAbstractSocket::ConnectedState) break;
        continue;
      }
      data += socket->readAll();
    }
    if (headerEnd < 0) continue;
    request.body = data.mid(headerEnd + 4, contentLength);
    {
      std::lock_guard lock(mutex_);
      requests_.append(request);
    }
    QByteArray answer = handler_(request);
    if (!answer.isEmpty()) {
      const int pieces = std::max(1, pieces_.load());
      const qsizetype step = (answer.size() + pieces - 1) / pieces;
      for (qsizetype offset = 0; offset < answer.size() && !stop_; offset += step) {
        if (offset > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs_.load()));
        if (offset > 0 && beforePiece_) beforePiece_(static_cast<int>(offset / step));
        socket->write(answer.mid(offset, step));
        while (socket->bytesToWrite() > 0 && socket->waitForBytesWritten(2000)) {
        }
      }
    }
    if (answer.isEmpty() || stall_) {
      // Never answer: hold the connection until the client gives up (or we stop).
      for (int i = 0; i < 500 && !stop_ && socket->state() == QAbstractSocket::ConnectedState; ++i)
        socket->waitForReadyRead(20);
      continue;
    }
    socket->disconnectFromHost();
    if (socket->state() != QAbstractSocket::UnconnectedState) socket->waitForDisconnected(1000);
  }
}
