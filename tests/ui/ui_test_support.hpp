// Helpers shared by the GUI test suites: isolated settings, files, waiting.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

namespace ft::ui::test {

// Keeps QSettings and standard paths away from the user's own (per process,
// so suites can run in parallel).
inline void isolateSettings(const QString& dir) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("filetracker-test"));
  QCoreApplication::setApplicationName(QStringLiteral("filetracker-gui-test-%1").arg(QCoreApplication::applicationPid()));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
}

inline QString tempBase() {
  const QString base = qEnvironmentVariable("FILETRACKER_TEST_TMP");
  if (base.isEmpty()) return QDir::tempPath();
  QDir().mkpath(base);
  return base;
}

inline bool writeFile(const QString& path, const QByteArray& content) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return file.write(content) == content.size();
}

inline QByteArray readFile(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return QByteArray("<missing>");
  return file.readAll();
}

// Incompressible content of `size` bytes (so gzip cannot shrink transfers).
inline QByteArray randomBytes(qsizetype size, quint32 seed = 42) {
  QByteArray data(size, Qt::Uninitialized);
  QRandomGenerator gen(seed);
  gen.fillRange(reinterpret_cast<quint32*>(data.data()), size / 4);
  return data;
}

// A big incompressible file written in chunks (no huge allocation).
inline bool writeRandomFile(const QString& path, qint64 size, quint32 seed = 7) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  QRandomGenerator gen(seed);
  QByteArray chunk(1 << 20, Qt::Uninitialized);
  for (qint64 left = size; left > 0;) {
    gen.fillRange(reinterpret_cast<quint32*>(chunk.data()), chunk.size() / 4);
    const qint64 n = qMin<qint64>(left, chunk.size());
    if (file.write(chunk.constData(), n) != n) return false;
    left -= n;
  }
  return true;
}

}  // namespace ft::ui::test
