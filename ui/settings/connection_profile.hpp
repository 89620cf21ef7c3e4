// Connection profiles (server URL, cache directory, cache limit, the user
// name to sign in with, the pinned certificate), kept with QSettings (the
// keys are in settings_keys.hpp). Never a secret: that is in the desktop
// keyring (settings/secret_store.hpp).
#pragma once

#include <QList>
#include <QString>

class QSettings;

namespace ft::ui {

struct ConnectionProfile {
  QString name;
  QString serverUrl;       // empty: the local stand-alone store
  QString cacheDirectory;  // the local cache (or the local store itself)
  qint64 cacheLimit = qint64(1) << 30;
  QString userName;           // empty: anonymous until the server asks
  // The SHA-256 (hex) of the server certificate the user trusted "Always";
  // another certificate from this profile's server is asked about again.
  QString pinnedCertificate;
  bool isLocal() const { return serverUrl.trimmed().isEmpty(); }
  bool operator==(const ConnectionProfile&) const = default;
};

// The seed's default cache directory: ~/.filetracker-store (the CLI's too).
QString defaultCacheDirectory();
// A server profile's own cache folder by default (issue 15, several
// servers): <XDG cache>/filetracker/profiles/<name>, the name made safe for
// a file name (and told apart by a hash when that changed it).
QString profileCacheDirectory(const QString& profileName);
ConnectionProfile defaultLocalProfile();

class ProfileSettings {
 public:
  explicit ProfileSettings(QSettings& settings) : settings_(settings) {}

  // Server profiles never share a cache folder: one whose folder an earlier
  // server profile uses already (the old default gave every profile
  // ~/.filetracker-store) gets its own, profileCacheDirectory(), saved at
  // once; the first keeps the old folder and what is cached in it.
  // `migrated` (when given) receives the names of the profiles moved.
  QList<ConnectionProfile> profiles(QStringList* migrated = nullptr) const;
  void setProfiles(const QList<ConnectionProfile>& profiles);
  // Replaces the stored profile named `profile.name` (nothing when none is).
  void updateProfile(const ConnectionProfile& profile);
  QString currentProfileName() const;
  void setCurrentProfileName(const QString& name);
  // The profile to open at start: the current one, or the local default.
  ConnectionProfile currentProfile() const;
  bool firstRunDone() const;
  void setFirstRunDone(bool done);

 private:
  static void writeProfiles(QSettings& settings, const QList<ConnectionProfile>& profiles);
  QSettings& settings_;
};

}  // namespace ft::ui
