#include "store/store_types.hpp"

namespace ft::ui {

QString joinName(const QString& directory, const QString& relative) {
  if (directory.isEmpty() || directory == QLatin1String("/")) return QLatin1Char('/') + relative;
  return directory + QLatin1Char('/') + relative;
}

QString parentDirectoryOf(const QString& name) {
  const qsizetype slash = name.lastIndexOf(QLatin1Char('/'));
  if (slash <= 0) return QStringLiteral("/");
  return name.left(slash);
}

QString baseNameOf(const QString& name) { return name.mid(name.lastIndexOf(QLatin1Char('/')) + 1); }

}  // namespace ft::ui
