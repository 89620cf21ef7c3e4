#include "common/icons.hpp"

#include <QApplication>
#include <QImageReader>

namespace ft::ui {

QIcon ownIcon(const QString& fileName, QStyle::StandardPixmap fallback) {
  static const bool svg = QImageReader::supportedImageFormats().contains("svg");
  if (svg) {
    QIcon icon(QStringLiteral(":/icons/") + fileName);
    if (!icon.availableSizes().isEmpty() || !icon.pixmap(16, 16).isNull()) return icon;
  }
  return QApplication::style()->standardIcon(fallback);
}

QIcon themedIcon(const char* name, QStyle::StandardPixmap fallback) {
  return QIcon::fromTheme(QLatin1String(name), QApplication::style()->standardIcon(fallback));
}

}  // namespace ft::ui
