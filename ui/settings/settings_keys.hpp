// Every entry the GUI keeps in QSettings, with its type and default: the one
// place to look up (or change) what is stored and under which key.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "settings/connection_profile.hpp"
#include "settings/settings_key.hpp"

namespace ft::ui::settings_keys {

// ---- Connection profiles (ProfileSettings) ------------------------------------
// The profiles are the QSettings array kProfiles; the keys after it are
// relative to one element of that array.
inline const QString kProfiles = QStringLiteral("profiles");
inline const SettingsKey<QString> kProfileName{"name", QString()};
inline const SettingsKey<QString> kProfileServerUrl{"serverUrl", QString()};
inline const SettingsKey<QString> kProfileCacheDirectory{"cacheDirectory", &defaultCacheDirectory};
inline const SettingsKey<qint64> kProfileCacheLimit{"cacheLimit", ConnectionProfile().cacheLimit};
// The user name only: the secret is in the desktop keyring (SecretStore).
inline const SettingsKey<QString> kProfileUserName{"userName", QString()};
inline const SettingsKey<QString> kProfilePinnedCertificate{"pinnedCertificate", QString()};
// The name of the profile opened at start.
inline const SettingsKey<QString> kCurrentProfile{"currentProfile", QString()};
// Bookmarks of one profile (bookmark_store.hpp): the group kBookmarks/<the
// profile's name, percent-encoded>, holding two lists of the same length.
inline const QString kBookmarks = QStringLiteral("bookmarks");
inline const SettingsKey<QStringList> kBookmarkPaths{"paths", QStringList()};
inline const SettingsKey<QStringList> kBookmarkLabels{"labels", QStringList()};
inline const SettingsKey<bool> kFirstRunDone{"firstRunDone", false};

// ---- The main window's remembered layout (QWidget/QHeaderView saveState) -------
inline const SettingsKey<QByteArray> kWindowGeometry{"window/geometry", QByteArray()};
inline const SettingsKey<QByteArray> kWindowState{"window/state", QByteArray()};
inline const SettingsKey<QByteArray> kWindowSplitter{"window/splitter", QByteArray()};
inline const SettingsKey<QByteArray> kFilesHeader{"window/filesHeader", QByteArray()};
inline const SettingsKey<QByteArray> kCacheHeader{"window/cacheHeader", QByteArray()};
inline const SettingsKey<QByteArray> kTransfersHeader{"window/transfersHeader", QByteArray()};
// View > Server dashboard: the Dashboard tab is shown (issue 20).
inline const SettingsKey<bool> kDashboardShown{"window/dashboardShown", false};

// ---- The local cache ----------------------------------------------------------------
// When a download or Open takes the cache over its limit: clean it up at once
// (true) instead of asking.
inline const SettingsKey<bool> kCacheAutoCleanUp{"cache/autoCleanUp", false};

// ---- Transfers --------------------------------------------------------------------
// How many transfers run at once (the Transfers dock's "At once").
inline const SettingsKey<int> kTransferConcurrency{"transfers/concurrency", 2};
// The queue's bandwidth limit in KiB/s (the Transfers dock's "Limit"); 0: unlimited.
inline const SettingsKey<int> kTransferBandwidthLimit{"transfers/bandwidthLimitKiB", 0};

}  // namespace ft::ui::settings_keys
