#include "scaleout_backend.hpp"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>
#include <QtGlobal>

#include "process.hpp"

namespace test {

bool scaleoutAvailable() {
  return !qEnvironmentVariable("FILETRACKER_TEST_POSTGRESQL").isEmpty() &&
         !qEnvironmentVariable("FILETRACKER_TEST_S3").isEmpty();
}

const char* scaleoutMissingReason() {
  return "FILETRACKER_TEST_POSTGRESQL / FILETRACKER_TEST_S3 are not set: start the services with "
         "'installer/services.sh start' and eval \"$(installer/services.sh env)\"";
}

bool scaleoutRequested() { return qEnvironmentVariable("FILETRACKER_TEST_BACKEND") == QLatin1String("scaleout"); }

QString uniqueStoreName() {
  return QStringLiteral("t%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
}

namespace {

QString s3Endpoint() {
  static const QRegularExpression endpoint(QStringLiteral("[?&]endpoint=([^&]+)"));
  return endpoint.match(qEnvironmentVariable("FILETRACKER_TEST_S3")).captured(1);
}

}  // namespace

quint16 postgresqlPort() { return quint16(QUrl(qEnvironmentVariable("FILETRACKER_TEST_POSTGRESQL")).port(0)); }
quint16 s3Port() { return quint16(QUrl(s3Endpoint()).port(0)); }

QString uploadSpoolDir(const QString& dataDir) {
  return dataDir + (scaleoutRequested() && scaleoutAvailable() ? QStringLiteral("/spool") : QStringLiteral("/blobs/tmp"));
}

QString psql(const QString& name, const QString& sql) {
  ProcessResult r = runProcess(QStringLiteral("psql"),
                               {qEnvironmentVariable("FILETRACKER_TEST_POSTGRESQL"), QStringLiteral("-qtAX"),
                                QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"),
                                QStringLiteral("SET search_path TO %1; %2").arg(name, sql)});
  if (r.code != 0) return QStringLiteral("ERROR: ") + QString::fromUtf8(r.err).trimmed();
  return QString::fromUtf8(r.out).trimmed();
}

QString referenceMismatches(const QString& name) {
  return psql(name,
              "SELECT count(*) FROM blobs b WHERE refs <> (SELECT count(*) FROM files f WHERE f.sha256 = b.sha256)"
              " OR EXISTS (SELECT 1 FROM files f WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = f.sha256))");
}

QStringList scaleoutArgs(const QString& name, quint16 postgresqlPortOverride, quint16 s3PortOverride) {
  QString pg = qEnvironmentVariable("FILETRACKER_TEST_POSTGRESQL");
  if (postgresqlPortOverride) {
    QUrl url(pg);
    url.setPort(postgresqlPortOverride);
    pg = url.toString();
  }
  pg += (pg.contains(u'?') ? QStringLiteral("&schema=") : QStringLiteral("?schema=")) + name;
  // s3://BUCKET[/PREFIX]?query: the store's own prefix goes after the bucket (and any prefix given).
  QString s3 = qEnvironmentVariable("FILETRACKER_TEST_S3");
  const qsizetype q = s3.indexOf(u'?');
  QString base = q < 0 ? s3 : s3.left(q), query = q < 0 ? QString() : s3.mid(q);
  while (base.endsWith(u'/')) base.chop(1);
  s3 = base + u'/' + name + query;
  if (s3PortOverride) {
    QUrl endpoint(s3Endpoint());
    const QString original = endpoint.toString();
    endpoint.setPort(s3PortOverride);
    s3.replace(original, endpoint.toString());
  }
  return {QStringLiteral("--index"), pg, QStringLiteral("--blobs"), s3};
}

}  // namespace test
