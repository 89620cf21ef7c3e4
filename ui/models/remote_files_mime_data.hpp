// Drag data for rows dragged out of the browser. The names travel as text at
// once; the file URLs (text/uri-list) are produced only when the drop target
// asks for them, which is when the files get fetched into the local cache and
// copied into private writable copies (the URLs name the copies).
#pragma once

#include <QMimeData>

#include <functional>

namespace ft::ui {

class RemoteFilesMimeData : public QMimeData {
  Q_OBJECT
 public:
  using Provider = std::function<QList<QUrl>(const QStringList& names)>;
  RemoteFilesMimeData(QStringList names, Provider provider);

  const QStringList& names() const { return names_; }
  bool hasFormat(const QString& mimeType) const override;
  QStringList formats() const override;

 protected:
  QVariant retrieveData(const QString& mimeType, QMetaType type) const override;

 private:
  QStringList names_;
  Provider provider_;
  mutable bool fetched_ = false;
  mutable QList<QUrl> urls_;
};

}  // namespace ft::ui
