// Bookmarked folders of one connection profile (the sidebar's Bookmarks), in
// the user's order, kept with QSettings under the profile's name (the keys
// are in settings_keys.hpp), apart from the profile list itself so that
// editing profiles never drops them.
#pragma once

#include <QList>
#include <QString>

class QSettings;

namespace ft::ui {

struct Bookmark {
  QString label;  // what the sidebar shows (the folder's name at first)
  QString path;   // "/" or "/a/b"
  bool operator==(const Bookmark&) const = default;
};

QList<Bookmark> loadBookmarks(QSettings& settings, const QString& profileName);
void saveBookmarks(QSettings& settings, const QString& profileName, const QList<Bookmark>& bookmarks);

}  // namespace ft::ui
