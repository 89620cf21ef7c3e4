#include "settings/bookmark_store.hpp"

#include <QSettings>
#include <QUrl>

#include "settings/settings_keys.hpp"

namespace ft::ui {

namespace {

QString groupOf(const QString& profileName) {
  // A profile's name may hold '/' or anything else a key must not.
  return settings_keys::kBookmarks + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(profileName));
}

}  // namespace

QList<Bookmark> loadBookmarks(QSettings& settings, const QString& profileName) {
  settings.beginGroup(groupOf(profileName));
  const QStringList paths = settings_keys::kBookmarkPaths.read(settings);
  const QStringList labels = settings_keys::kBookmarkLabels.read(settings);
  settings.endGroup();
  QList<Bookmark> out;
  for (qsizetype i = 0; i < paths.size(); ++i) {
    if (!paths[i].startsWith(QLatin1Char('/'))) continue;  // hand-edited nonsense
    const QString label = i < labels.size() && !labels[i].trimmed().isEmpty() ? labels[i] : paths[i];
    out.push_back(Bookmark{label, paths[i]});
  }
  return out;
}

void saveBookmarks(QSettings& settings, const QString& profileName, const QList<Bookmark>& bookmarks) {
  QStringList paths;
  QStringList labels;
  for (const Bookmark& b : bookmarks) {
    paths << b.path;
    labels << b.label;
  }
  settings.beginGroup(groupOf(profileName));
  if (bookmarks.isEmpty()) {
    settings.remove(QString());
  } else {
    settings_keys::kBookmarkPaths.write(settings, paths);
    settings_keys::kBookmarkLabels.write(settings, labels);
  }
  settings.endGroup();
  settings.sync();
}

}  // namespace ft::ui
