#include "test_server.hpp"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QMutex>
#include <QRegularExpression>
#include <QtGlobal>

#include "scaleout_backend.hpp"
#include "server_index.hpp"
#include "temp_dirs.hpp"

QString TestServer::binary() { return qEnvironmentVariable("FILETRACKER_SERVER_BIN"); }

namespace {

// FILETRACKER_TEST_BACKEND=scaleout: data directory -> its server's store,
// so that runCheck(dataDir) checks that store (--index/--blobs).
QMutex storesMutex;
QMap<QString, QString>& storesByDataDir() {
  static QMap<QString, QString> stores;
  return stores;
}

}  // namespace

TestServer::TestServer(QString dataDir, QStringList extraArgs)
    : logDir_(test::tempTemplate(QStringLiteral("ft-server-log"))),
      dataDir_(std::move(dataDir)),
      extraArgs_(std::move(extraArgs)) {
  if (dataDir_.isEmpty()) {
    ownedDataDir_ = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-server-data")));
    dataDir_ = ownedDataDir_->path();
  }
  // The protocol tests' second run: the same tests over PostgreSQL + S3,
  // each server on a store of its own.
  if (test::scaleoutRequested() && test::scaleoutAvailable()) {
    storeName_ = test::uniqueStoreName();
    backendArgs_ = test::scaleoutArgs(storeName_);
    QMutexLocker lock(&storesMutex);
    storesByDataDir().insert(dataDir_, storeName_);
  }
}

TestServer::~TestServer() { stop(); }

bool TestServer::isRunning() const { return process_ && process_->state() != QProcess::NotRunning; }

QString TestServer::url() const { return QStringLiteral("%1://%2:%3").arg(scheme_, host_).arg(port_); }
QString TestServer::tlsUrl() const {
  return tlsPort_ ? QStringLiteral("https://%1:%2").arg(host_).arg(tlsPort_) : QString();
}

QString TestServer::log() const {
  QFile file(logDir_.filePath(QStringLiteral("server.log")));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

bool TestServer::start() { return startOnPort(0); }

bool TestServer::restart() {
  const quint16 oldPort = port_;
  stop();
  if (oldPort != 0 && startOnPort(oldPort)) return true;
  return startOnPort(0);
}

bool TestServer::startOnPort(quint16 port) {
  stop();
  const QString bin = binary();
  if (bin.isEmpty()) {
    qWarning("TestServer: FILETRACKER_SERVER_BIN is not set");
    return false;
  }
  process_ = std::make_unique<test::Process>();
  process_->setProgram(bin);
  QStringList args{QStringLiteral("-d"), dataDir_, QStringLiteral("-l"), host_, QStringLiteral("-p"),
                   QString::number(port)};
  args += backendArgs_;
  args += extraArgs_;
  // Every server of a suite with extra flags (e.g. the protocol suite again
  // with --keep-versions 5: tests/server/CMakeLists.txt).
  args += qEnvironmentVariable("FILETRACKER_TEST_SERVER_ARGS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
  process_->setArguments(args);
  process_->setStandardErrorFile(logDir_.filePath(QStringLiteral("server.log")), QIODevice::Append);
  process_->start();
  if (!process_->waitForStarted(10000)) {
    qWarning("TestServer: cannot start %s: %s", qPrintable(bin), qPrintable(process_->errorString()));
    process_.reset();
    return false;
  }
  static const QRegularExpression listening(
      QStringLiteral("^filetracker-server: listening on (https?)://([^\\s]+):(\\d+)\\s*$"));
  QByteArray pending;
  QDeadlineTimer deadline(10000);
  while (!deadline.hasExpired()) {
    if (process_->canReadLine() || process_->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
      // One line per listener, all in one write (plain first, then HTTPS).
      bool found = false;
      while (process_->canReadLine()) {
        const QString line = QString::fromUtf8(process_->readLine());
        const auto match = listening.match(line);
        if (!match.hasMatch()) continue;
        const quint16 listenPort = quint16(match.captured(3).toUInt());
        if (!found) {
          port_ = listenPort;
          scheme_ = match.captured(1);
          tlsPort_ = 0;
        }
        if (match.captured(1) == QLatin1String("https")) tlsPort_ = listenPort;
        found = true;
      }
      if (found) return true;
    } else if (process_->state() == QProcess::NotRunning) {
      break;
    }
  }
  qWarning("TestServer: server did not come up (args: %s); its log:\n%s", qPrintable(args.join(u' ')),
           qPrintable(log()));
  process_.reset();  // kills it
  return false;
}

void TestServer::kill9() {
  process_.reset();  // SIGKILL, waits until it is gone
}

int TestServer::waitStopped(int timeoutMs) {
  if (!process_) return -1;
  if (process_->state() != QProcess::NotRunning && !process_->waitForFinished(timeoutMs)) return -1;
  const int code = process_->exitStatus() == QProcess::NormalExit ? process_->exitCode() : -1;
  process_.reset();
  return code;
}

void TestServer::stop() {
  if (!process_) return;
  if (!process_->stop(10000)) qWarning("TestServer: server ignored SIGTERM for 10 s, killed it");
  process_.reset();
}

namespace test {

int countBlobs(const QString& dataDir) {
  int n = 0;
  QDirIterator it(dataDir + QStringLiteral("/blobs"), QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    if (it.fileInfo().dir().dirName() != QStringLiteral("tmp")) ++n;
  }
  return n + int(inlineBlobs(dataDir).size());
}

int runCheck(const QString& dataDir, QString* out) {
  QStringList args{QStringLiteral("--check"), QStringLiteral("--check-content"), QStringLiteral("-d"), dataDir};
  {
    QMutexLocker lock(&storesMutex);
    if (auto it = storesByDataDir().constFind(dataDir); it != storesByDataDir().constEnd()) args += scaleoutArgs(*it);
  }
  const ProcessResult r = runProcess(TestServer::binary(), args);
  if (out) *out = QString::fromUtf8(r.out + r.err);
  return r.code;
}

}  // namespace test
