// Access control in tests: an access file made by the real
// `filetracker-server passwd` (TestServer::binary()), and the Authorization
// headers clients send.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace test {

class TestAccessFile {
 public:
  TestAccessFile();
  QString path() const { return path_; }
  // Adds or updates NAME with `secret` (level read/write/admin). Returns
  // false (and a qWarning with passwd's stderr) when passwd failed.
  bool add(const QString& name, const QByteArray& secret, const QString& level, const QStringList& prefixes = {});
  // Adds NAME with a generated secret; returns the token passwd printed ("" on failure).
  QByteArray addGenerated(const QString& name, const QString& level, QByteArray* secret = nullptr);
  bool remove(const QString& name);

 private:
  QTemporaryDir dir_;
  QString path_;
};

// "Basic base64(NAME:SECRET)"
QByteArray basicAuth(const QByteArray& name, const QByteArray& secret);
QByteArray bearerAuth(const QByteArray& token);

}  // namespace test
