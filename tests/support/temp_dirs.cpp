#include "temp_dirs.hpp"

#include <QDir>
#include <QFileInfo>
#include <QtGlobal>

#include <unistd.h>

namespace test {

QString tempBase() {
  const QString base = qEnvironmentVariable("FILETRACKER_TEST_TMP");
  if (base.isEmpty()) return QDir::tempPath();
  QDir().mkpath(base);
  return base;
}

QString tempTemplate(const QString& prefix) { return tempBase() + QLatin1Char('/') + prefix + QStringLiteral("-XXXXXX"); }

std::unique_ptr<QTemporaryDir> scratch_dir(const QString& prefix) {
  return std::make_unique<QTemporaryDir>(tempTemplate(prefix));
}

std::unique_ptr<QTemporaryDir> memory_scratch_dir(const QString& prefix) {
  const QString base = QStringLiteral("/dev/shm/filetracker-test-%1").arg(::getuid());
  if (QFileInfo(QStringLiteral("/dev/shm")).isWritable() && QDir().mkpath(base)) {
    auto dir = std::make_unique<QTemporaryDir>(base + QLatin1Char('/') + prefix + QStringLiteral("-XXXXXX"));
    if (dir->isValid()) return dir;
  }
  return scratch_dir(prefix);
}

std::filesystem::path path_of(const QTemporaryDir& dir) { return std::filesystem::path(dir.path().toStdString()); }

}  // namespace test
