#include "settings_isolation.hpp"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

namespace test {

void isolateSettings(const QString& dir) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("filetracker-test"));
  QCoreApplication::setApplicationName(QStringLiteral("filetracker-gui-test-%1").arg(QCoreApplication::applicationPid()));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
}

}  // namespace test
