#include "settings/server_url.hpp"

#include <QCoreApplication>
#include <QUrl>

namespace ft::ui {

QString normalizedServerUrl(const QString& text, QString* error) {
  QString url = text.trimmed();
  if (url.isEmpty()) return url;
  // QUrl would read "host:9999" as the scheme "host": look for "://" ourselves.
  if (!url.contains(QStringLiteral("://"))) url.prepend(QStringLiteral("http://"));
  while (url.endsWith(QLatin1Char('/')) && !url.endsWith(QStringLiteral("://"))) url.chop(1);
  const QUrl parsed(url, QUrl::StrictMode);
  const QString scheme = parsed.scheme().toLower();
  if (!parsed.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || parsed.host().isEmpty()) {
    if (error) {
      *error = QCoreApplication::translate("ft::ui::ServerUrl", "invalid server URL \"%1\": expected http://HOST[:PORT]")
                   .arg(text.trimmed());
    }
    return {};
  }
  return url;
}

}  // namespace ft::ui
