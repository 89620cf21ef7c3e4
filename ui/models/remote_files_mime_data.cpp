#include "models/remote_files_mime_data.hpp"

#include <QUrl>

namespace ft::ui {

RemoteFilesMimeData::RemoteFilesMimeData(QStringList names, Provider provider)
    : names_(std::move(names)), provider_(std::move(provider)) {
  setText(names_.join(QLatin1Char('\n')));
}

bool RemoteFilesMimeData::hasFormat(const QString& mimeType) const {
  if (mimeType == QLatin1String("text/uri-list")) return bool(provider_);
  return QMimeData::hasFormat(mimeType);
}

QStringList RemoteFilesMimeData::formats() const {
  QStringList result = QMimeData::formats();
  if (provider_ && !result.contains(QStringLiteral("text/uri-list"))) result.prepend(QStringLiteral("text/uri-list"));
  return result;
}

QVariant RemoteFilesMimeData::retrieveData(const QString& mimeType, QMetaType type) const {
  if (mimeType == QLatin1String("text/uri-list") && provider_) {
    if (!fetched_) {
      fetched_ = true;
      urls_ = provider_(names_);
    }
    QList<QVariant> list;
    for (const QUrl& url : urls_) list << url;
    return list;
  }
  return QMimeData::retrieveData(mimeType, type);
}

}  // namespace ft::ui
