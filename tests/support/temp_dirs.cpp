#include "temp_dirs.hpp"

#include <QDir>
#include <QtGlobal>

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

std::filesystem::path path_of(const QTemporaryDir& dir) { return std::filesystem::path(dir.path().toStdString()); }

}  // namespace test
