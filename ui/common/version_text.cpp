#include "common/version_text.hpp"

#include <QDateTime>
#include <QLocale>

namespace ft::ui {

QString versionText(qint64 version) {
  if (version < 0) return QStringLiteral("…");
  const QDateTime when = QDateTime::fromSecsSinceEpoch(version);
  return QStringLiteral("%1  (%2)").arg(QLocale().toString(when, QLocale::ShortFormat)).arg(version);
}

}  // namespace ft::ui
