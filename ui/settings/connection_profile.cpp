#include "settings/connection_profile.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>

#include "settings/settings_keys.hpp"

namespace ft::ui {

QString defaultCacheDirectory() { return QDir::homePath() + QStringLiteral("/.filetracker-store"); }

ConnectionProfile defaultLocalProfile() {
  ConnectionProfile p;
  p.name = QCoreApplication::translate("ft::ui::ProfileSettings", "Local store");
  p.cacheDirectory = defaultCacheDirectory();
  return p;
}

QList<ConnectionProfile> ProfileSettings::profiles() const {
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
  return result;
}

void ProfileSettings::setProfiles(const QList<ConnectionProfile>& profiles) {
  using namespace settings_keys;
  settings_.remove(kProfiles);
  settings_.beginWriteArray(kProfiles, int(profiles.size()));
  for (int i = 0; i < profiles.size(); ++i) {
    settings_.setArrayIndex(i);
    kProfileName.write(settings_, profiles[i].name);
    kProfileServerUrl.write(settings_, profiles[i].serverUrl);
    kProfileCacheDirectory.write(settings_, profiles[i].cacheDirectory);
    kProfileCacheLimit.write(settings_, profiles[i].cacheLimit);
    kProfileUserName.write(settings_, profiles[i].userName);
    kProfilePinnedCertificate.write(settings_, profiles[i].pinnedCertificate);
  }
  settings_.endArray();
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
