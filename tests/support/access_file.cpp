#include "access_file.hpp"

#include <QtGlobal>

#include "process.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

namespace test {

TestAccessFile::TestAccessFile() : dir_(tempTemplate(QStringLiteral("access"))), path_(dir_.filePath("access")) {}

bool TestAccessFile::add(const QString& name, const QByteArray& secret, const QString& level,
                         const QStringList& prefixes) {
  QStringList args{QStringLiteral("passwd"), path_, name, QStringLiteral("--access"), level};
  for (const QString& p : prefixes) args << QStringLiteral("--prefix") << p;
  ProcessResult r = runProcess(TestServer::binary(), args, secret + "\n");
  if (r.code != 0) qWarning("passwd %s failed (%d): %s", qPrintable(name), r.code, r.err.constData());
  return r.code == 0;
}

QByteArray TestAccessFile::addGenerated(const QString& name, const QString& level, QByteArray* secret) {
  ProcessResult r = runProcess(TestServer::binary(),
                               {QStringLiteral("passwd"), path_, name, QStringLiteral("--access"), level}, QByteArray());
  if (r.code != 0) {
    qWarning("passwd %s failed (%d): %s", qPrintable(name), r.code, r.err.constData());
    return {};
  }
  QByteArray token;
  for (const QByteArray& line : r.out.split('\n')) {
    if (line.startsWith("token: ")) token = line.mid(7).trimmed();
    if (line.startsWith("secret: ") && secret) *secret = line.mid(8).trimmed();
  }
  return token;
}

bool TestAccessFile::remove(const QString& name) {
  ProcessResult r = runProcess(TestServer::binary(), {QStringLiteral("passwd"), path_, QStringLiteral("--delete"), name},
                               QByteArray());
  if (r.code != 0) qWarning("passwd --delete %s failed (%d): %s", qPrintable(name), r.code, r.err.constData());
  return r.code == 0;
}

QByteArray basicAuth(const QByteArray& name, const QByteArray& secret) {
  return "Basic " + (name + ":" + secret).toBase64();
}

QByteArray bearerAuth(const QByteArray& token) { return "Bearer " + token; }

}  // namespace test
