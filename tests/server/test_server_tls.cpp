// HTTPS end to end: the real filetracker-server with --tls-cert/--tls-key
// (a certificate made in the test), HTTPS alone or beside plain HTTP
// (--tls-port), every way a file goes out (small from memory, a blob file
// through the stream instead of sendfile, decompressed), TLS 1.2 as the
// floor, access control over TLS, reloading the certificate on SIGHUP
// without dropping a connection, and unusable certificate files.
#include <QFile>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include "access_file.hpp"
#include "content.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "tls_certificate.hpp"
#include "wire.hpp"

using namespace test;

namespace {

constexpr qint64 kVersion = 1700000000;

// A TLS handshake with OpenSSL directly, the protocol pinned to `version`
// (TLS1_1_VERSION, TLS1_2_VERSION, ...): does the server accept it?
bool handshakeWith(quint16 port, int version) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  SSL_CTX_set_security_level(ctx.get(), 0);  // let this client offer old protocols at all
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return false;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  const bool ok = SSL_connect(ssl.get()) == 1;
  ::close(fd);
  return ok;
}

}  // namespace

class TestServerTls : public QObject {
  Q_OBJECT
  std::unique_ptr<TestCertificate> cert_;

 private slots:
  void initTestCase() {
    cert_ = std::make_unique<TestCertificate>(1);
    QVERIFY(cert_->valid());
  }

  void httpsOnly_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("acceptGzip");
    QTest::newRow("small, gzip from memory") << QByteArray("hello over TLS\n") << true;
    QTest::newRow("small, decompressed") << QByteArray("plain over TLS\n") << false;
    QTest::newRow("300 KiB blob file, gzip (no sendfile)") << randomBytes(300 * 1024, 7) << true;
    QTest::newRow("2 MiB blob file, decompressed") << randomBytes(2 << 20, 8) << false;
  }
  void httpsOnly() {
    QFETCH(QByteArray, content);
    QFETCH(bool, acceptGzip);
    TestServer server(QString(), {"--tls-cert", cert_->certFile(), "--tls-key", cert_->keyFile()});
    QVERIFY(server.start());
    QVERIFY(server.url().startsWith("https://127.0.0.1:"));
    QCOMPARE(server.tlsPort(), server.port());
    RawConnection c(server.port(), cert_->certPem());
    QVERIFY2(c.connected(), qPrintable(c.tlsError()));
    const QByteArray name = "/tls/" + QByteArray(QTest::currentDataTag()).toHex().left(16);
    RawResponse r = c.request("PUT", filesTarget(name, kVersion), {{"Content-Encoding", "gzip"}}, gzip(content));
    QCOMPARE(r.status, 200);
    // Twice on the same kept-alive connection.
    for (int i = 0; i < 2; ++i) {
      RawHeaders headers;
      if (acceptGzip) headers << RawHeaders::value_type{"Accept-Encoding", "gzip"};
      r = c.request("GET", "/files" + name, headers);
      QCOMPARE(r.status, 200);
      QCOMPARE(acceptGzip ? gunzip(r.body) : r.body, content);
      QCOMPARE(r.header("logical-size"), QByteArray::number(content.size()));
    }
    // Plain HTTP on the HTTPS port gets nothing.
    RawResponse plain = rawRequest(server.port(), "GET", "/version");
    QCOMPARE(plain.status, 0);
  }

  void plainAndHttpsOnSeparatePorts() {
    TestServer server(QString(), {"--tls-cert", cert_->certFile(), "--tls-key", cert_->keyFile(), "--tls-port", "0"});
    QVERIFY(server.start());
    QVERIFY(server.url().startsWith("http://"));
    QVERIFY(server.tlsPort() != 0 && server.tlsPort() != server.port());
    QCOMPARE(put(server.port(), "/both/a", "via plain", kVersion).status, 200);
    RawConnection c(server.tlsPort(), cert_->certPem());
    QVERIFY2(c.connected(), qPrintable(c.tlsError()));
    RawResponse r = c.request("GET", "/files/both/a");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("via plain"));
    QVERIFY(server.log().contains(" on http://127.0.0.1:" + QString::number(server.port()) + " and https://127.0.0.1:" +
                                  QString::number(server.tlsPort())));
  }

  void tls12IsTheFloor() {
    TestServer server(QString(), {"--tls-cert", cert_->certFile(), "--tls-key", cert_->keyFile()});
    QVERIFY(server.start());
    QVERIFY(!handshakeWith(server.port(), TLS1_VERSION));
    QVERIFY(!handshakeWith(server.port(), TLS1_1_VERSION));
    QVERIFY(handshakeWith(server.port(), TLS1_2_VERSION));
    QVERIFY(handshakeWith(server.port(), TLS1_3_VERSION));
    QVERIFY(server.isRunning());
  }

  void untrustedCertificateIsRefusedByClients() {
    TestServer server(QString(), {"--tls-cert", cert_->certFile(), "--tls-key", cert_->keyFile()});
    QVERIFY(server.start());
    TestCertificate other(99);
    RawConnection c(server.port(), other.certPem());
    QVERIFY(!c.connected());
    QVERIFY(!c.tlsError().isEmpty());
    // The server shrugs it off.
    RawConnection good(server.port(), cert_->certPem());
    QVERIFY2(good.connected(), qPrintable(good.tlsError()));
    QCOMPARE(good.request("GET", "/version").status, 200);
  }

  void accessControlOverTls() {
    TestAccessFile access;
    QVERIFY(access.add("judge", "judge-secret", "read"));
    TestServer server(QString(),
                      {"--tls-cert", cert_->certFile(), "--tls-key", cert_->keyFile(), "--auth", access.path()});
    QVERIFY(server.start());
    RawConnection c(server.port(), cert_->certPem());
    QVERIFY2(c.connected(), qPrintable(c.tlsError()));
    QCOMPARE(c.request("GET", "/list/").status, 401);
    QCOMPARE(c.request("GET", "/list/", {{"Authorization", basicAuth("judge", "judge-secret")}}).status, 200);
    RawResponse r = c.request("PUT", filesTarget("/x", kVersion), {{"Authorization", basicAuth("judge", "judge-secret")}},
                              "refused");
    QCOMPARE(r.status, 403);
    QCOMPARE(r.header("x-exception"), QByteArray("/x: permission denied for judge (read only)"));
  }

  void sighupReloadsTheCertificate() {
    TemporaryFiles files;
    const QString certFile = files.dir.filePath("cert.pem");
    const QString keyFile = files.dir.filePath("key.pem");
    QVERIFY(cert_->writeTo(certFile, keyFile));
    TestServer server(QString(), {"--tls-cert", certFile, "--tls-key", keyFile});
    QVERIFY(server.start());
    RawConnection before(server.port(), cert_->certPem());
    QVERIFY2(before.connected(), qPrintable(before.tlsError()));
    QCOMPARE(before.peerCertificate().serialNumber(), QByteArray("01"));

    TestCertificate renewed(2);
    QVERIFY(renewed.writeTo(certFile, keyFile));
    QVERIFY(::kill(pid_t(server.pid()), SIGHUP) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("reloaded the TLS certificate " + certFile), 10000);
    RawConnection after(server.port(), renewed.certPem());
    QVERIFY2(after.connected(), qPrintable(after.tlsError()));
    QCOMPARE(after.peerCertificate().serialNumber(), QByteArray("02"));
    // The connection made before the reload goes on.
    QCOMPARE(before.request("GET", "/version").status, 200);

    // A broken file: the renewed certificate stays, the log says why.
    QFile broken(certFile);
    QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
    broken.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
    broken.close();
    QVERIFY(::kill(pid_t(server.pid()), SIGHUP) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("TLS certificate not reloaded, keeping the previous one: --tls-cert " +
                                                   certFile),
                             10000);
    RawConnection still(server.port(), renewed.certPem());
    QVERIFY2(still.connected(), qPrintable(still.tlsError()));
    QCOMPARE(still.request("GET", "/version").status, 200);
  }

  void unusableFilesRefuseToStart_data() {
    QTest::addColumn<QString>("what");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("missing certificate") << "missing-cert" << QByteArray("--tls-cert ");
    QTest::newRow("key of another certificate") << "other-key" << QByteArray("does not belong to --tls-cert");
    QTest::newRow("key without certificate") << "no-cert" << QByteArray("--tls-cert and --tls-key go together");
    QTest::newRow("--tls-port alone") << "port-only" << QByteArray("--tls-port needs --tls-cert and --tls-key");
  }
  void unusableFilesRefuseToStart() {
    QFETCH(QString, what);
    QFETCH(QByteArray, message);
    TemporaryFiles files;
    TestCertificate other(5);
    QStringList args{"-d", files.dir.filePath("data"), "-p", "0"};
    if (what == "missing-cert") args << "--tls-cert" << files.dir.filePath("nope.pem") << "--tls-key" << cert_->keyFile();
    if (what == "other-key") args << "--tls-cert" << cert_->certFile() << "--tls-key" << other.keyFile();
    if (what == "no-cert") args << "--tls-key" << cert_->keyFile();
    if (what == "port-only") args << "--tls-port" << "0";
    ProcessResult r = runProcess(TestServer::binary(), args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(message), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(!r.out.contains("listening"));
  }

 private:
  struct TemporaryFiles {
    QTemporaryDir dir{tempTemplate("tls-files")};
  };
};

QTEST_GUILESS_MAIN(TestServerTls)
#include "test_server_tls.moc"
