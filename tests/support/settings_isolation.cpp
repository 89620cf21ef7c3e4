#include "settings_isolation.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace test {

void isolateSettings(const QString& dir) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("filetracker-test"));
  QCoreApplication::setApplicationName(QStringLiteral("filetracker-gui-test-%1").arg(QCoreApplication::applicationPid()));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
  // The application data of this process (the transfer queue's files) goes
  // when it ends: the name has the pid, nobody else reads it.
  qAddPostRoutine([] { QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively(); });
}

}  // namespace test
