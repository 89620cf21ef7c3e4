#include "session/transfer_conflict.hpp"

#include <QFileInfo>

namespace ft::ui {

QString keepBothPath(const QString& path, const std::function<bool(const QString&)>& taken) {
  const QFileInfo info(path);
  const QString dir = info.path();
  const QString base = info.completeBaseName();
  const QString suffix = info.suffix();
  // "archive.tar.gz" keeps ".gz" only; a name without a base (".bashrc") keeps itself whole.
  const QString stem = base.isEmpty() ? info.fileName() : base;
  const QString ext = base.isEmpty() || suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix;
  for (int n = 1;; ++n) {
    const QString candidate = dir + QLatin1Char('/') + stem + QStringLiteral(" (%1)").arg(n) + ext;
    if (!taken(candidate)) return candidate;
  }
}

}  // namespace ft::ui
