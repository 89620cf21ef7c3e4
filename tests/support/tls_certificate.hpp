// A self-signed certificate made in the test (OpenSSL API: an ECDSA P-256
// key, CN and subjectAltName IP 127.0.0.1 and DNS localhost, valid for a
// day), written as PEM files for filetracker-server --tls-cert/--tls-key,
// and the same PEM as the CA a client trusts.
#pragma once

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

namespace test {

class TestCertificate {
 public:
  // `serial` tells two certificates apart (a reload test).
  explicit TestCertificate(long serial = 1, const QString& commonName = QStringLiteral("127.0.0.1"));
  bool valid() const { return !certPem_.isEmpty(); }
  QString certFile() const { return dir_.filePath(QStringLiteral("cert.pem")); }
  QString keyFile() const { return dir_.filePath(QStringLiteral("key.pem")); }
  QByteArray certPem() const { return certPem_; }
  // Writes this certificate and key over `certFile`/`keyFile` (atomically each).
  bool writeTo(const QString& certFile, const QString& keyFile) const;

 private:
  QTemporaryDir dir_;
  QByteArray certPem_;
  QByteArray keyPem_;
};

}  // namespace test
