#include "settings/connection_profile.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>

namespace ft::ui {

QString defaultCacheDirectory() { return QDir::homePath() + QStringLiteral("/.filetracker-store"); }

ConnectionProfile defaultLocalProfile() {
  ConnectionProfile p;
  p.name = QCoreApplication::translate("ft::ui::ProfileSettings", "Local store");
  p.cacheDirectory = defaultCacheDirectory();
  return p;
}

QList<ConnectionProfile> ProfileSettings::profiles() const {
  QList<ConnectionProfile> result;
  const int n = settings_.beginReadArray(QStringLiteral("profiles"));
  for (int i = 0; i < n; ++i) {
    settings_.setArrayIndex(i);
    ConnectionProfile p;
    p.name = settings_.value(QStringLiteral("name")).toString();
    p.serverUrl = settings_.value(QStringLiteral("serverUrl")).toString();
    p.cacheDirectory = settings_.value(QStringLiteral("cacheDirectory"), defaultCacheDirectory()).toString();
    p.cacheLimit = settings_.value(QStringLiteral("cacheLimit"), p.cacheLimit).toLongLong();
    if (!p.name.isEmpty()) result << p;
  }
  settings_.endArray();
  return result;
}

void ProfileSettings::setProfiles(const QList<ConnectionProfile>& profiles) {
  settings_.remove(QStringLiteral("profiles"));
  settings_.beginWriteArray(QStringLiteral("profiles"), int(profiles.size()));
  for (int i = 0; i < profiles.size(); ++i) {
    settings_.setArrayIndex(i);
    settings_.setValue(QStringLiteral("name"), profiles[i].name);
    settings_.setValue(QStringLiteral("serverUrl"), profiles[i].serverUrl);
    settings_.setValue(QStringLiteral("cacheDirectory"), profiles[i].cacheDirectory);
    settings_.setValue(QStringLiteral("cacheLimit"), profiles[i].cacheLimit);
  }
  settings_.endArray();
}

QString ProfileSettings::currentProfileName() const { return settings_.value(QStringLiteral("currentProfile")).toString(); }

void ProfileSettings::setCurrentProfileName(const QString& name) { settings_.setValue(QStringLiteral("currentProfile"), name); }

ConnectionProfile ProfileSettings::currentProfile() const {
  const QString current = currentProfileName();
  for (const ConnectionProfile& p : profiles()) {
    if (p.name == current) return p;
  }
  return defaultLocalProfile();
}

bool ProfileSettings::firstRunDone() const { return settings_.value(QStringLiteral("firstRunDone"), false).toBool(); }

void ProfileSettings::setFirstRunDone(bool done) { settings_.setValue(QStringLiteral("firstRunDone"), done); }

}  // namespace ft::ui
