// Connection profiles (server URL, cache directory, cache limit), kept with
// QSettings (the keys are in settings_keys.hpp).
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
  bool isLocal() const { return serverUrl.trimmed().isEmpty(); }
  bool operator==(const ConnectionProfile&) const = default;
};

// The seed's default cache directory: ~/.filetracker-store.
QString defaultCacheDirectory();
ConnectionProfile defaultLocalProfile();

class ProfileSettings {
 public:
  explicit ProfileSettings(QSettings& settings) : settings_(settings) {}

  QList<ConnectionProfile> profiles() const;
  void setProfiles(const QList<ConnectionProfile>& profiles);
  QString currentProfileName() const;
  void setCurrentProfileName(const QString& name);
  // The profile to open at start: the current one, or the local default.
  ConnectionProfile currentProfile() const;
  bool firstRunDone() const;
  void setFirstRunDone(bool done);

 private:
  QSettings& settings_;
};

}  // namespace ft::ui
