#include "settings/connection_profile.hpp"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>

#include "settings/settings_keys.hpp"

namespace ft::ui {

QString defaultCacheDirectory() { return QDir::homePath() + QStringLiteral("/.filetracker-store"); }

QString profileCacheDirectory(const QString& profileName) {
  QString safe = profileName.trimmed();
  safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
  if (safe.isEmpty() || safe.startsWith(QLatin1Char('.'))) safe.prepend(QStringLiteral("profile"));
  if (safe != profileName) {
    // "a b" and "a_b" are two profiles: two folders.
    safe += QLatin1Char('-') +
            QString::fromLatin1(QCryptographicHash::hash(profileName.toUtf8(), QCryptographicHash::Sha256).toHex().left(8));
  }
  return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/filetracker/profiles/") + safe;
}

ConnectionProfile defaultLocalProfile() {
  ConnectionProfile p;
  p.name = QCoreApplication::translate("ft::ui::ProfileSettings", "Local store");
  p.cacheDirectory = defaultCacheDirectory();
  return p;
}

QList<ConnectionProfile> ProfileSettings::profiles(QStringList* migrated) const {
  using namespace settings_keys;
  QList<ConnectionProfile> result;
  const int n = settings_.beginReadArray(kProfiles);
  for (int i = 0; i < n; ++i) {
    settings_.setArrayIndex(i);
    ConnectionProfile p;
    p.name = kProfileName.read(settings_);
    p.serverUrl = kProfileServerUrl.read(settings_);
    p.cacheDirectory = kProfileCacheDirectory.read(settings_);
    p.cacheLimit = kProfileCacheLimit.read(settings_);
    p.userName = kProfileUserName.read(settings_);
    p.pinnedCertificate = kProfilePinnedCertificate.read(settings_);
    if (!p.name.isEmpty()) result << p;
  }
  settings_.endArray();
  QSet<QString> used;
  QStringList moved;
  for (ConnectionProfile& p : result) {
    if (p.isLocal()) continue;  // a local profile's folder is the store itself: never moved
    const QString dir = QDir::cleanPath(p.cacheDirectory);
    if (used.contains(dir)) {
      p.cacheDirectory = profileCacheDirectory(p.name);
      moved << p.name;
    }
    used.insert(QDir::cleanPath(p.cacheDirectory));
  }
  if (!moved.isEmpty()) writeProfiles(settings_, result);
  if (migrated) *migrated = moved;
  return result;
}

void ProfileSettings::setProfiles(const QList<ConnectionProfile>& profiles) { writeProfiles(settings_, profiles); }

void ProfileSettings::writeProfiles(QSettings& settings, const QList<ConnectionProfile>& profiles) {
  using namespace settings_keys;
  settings.remove(kProfiles);
  settings.beginWriteArray(kProfiles, int(profiles.size()));
  for (int i = 0; i < profiles.size(); ++i) {
    settings.setArrayIndex(i);
    kProfileName.write(settings, profiles[i].name);
    kProfileServerUrl.write(settings, profiles[i].serverUrl);
    kProfileCacheDirectory.write(settings, profiles[i].cacheDirectory);
    kProfileCacheLimit.write(settings, profiles[i].cacheLimit);
    kProfileUserName.write(settings, profiles[i].userName);
    kProfilePinnedCertificate.write(settings, profiles[i].pinnedCertificate);
  }
  settings.endArray();
}

void ProfileSettings::updateProfile(const ConnectionProfile& profile) {
  QList<ConnectionProfile> all = profiles();
  for (ConnectionProfile& p : all) {
    if (p.name != profile.name) continue;
    p = profile;
    setProfiles(all);
    return;
  }
}

QString ProfileSettings::currentProfileName() const { return settings_keys::kCurrentProfile.read(settings_); }

void ProfileSettings::setCurrentProfileName(const QString& name) { settings_keys::kCurrentProfile.write(settings_, name); }

ConnectionProfile ProfileSettings::currentProfile() const {
  const QString current = currentProfileName();
  for (const ConnectionProfile& p : profiles()) {
    if (p.name == current) return p;
  }
  return defaultLocalProfile();
}

bool ProfileSettings::firstRunDone() const { return settings_keys::kFirstRunDone.read(settings_); }

void ProfileSettings::setFirstRunDone(bool done) { settings_keys::kFirstRunDone.write(settings_, done); }

}  // namespace ft::ui
