#include "store/store_types.hpp"

#include "filetracker/name.hpp"

namespace ft::ui {

QString joinName(const QString& directory, const QString& relative) {
  if (directory.isEmpty() || directory == QLatin1String("/")) return QLatin1Char('/') + relative;
  return directory + QLatin1Char('/') + relative;
}

// The name rules are core's; these only carry them over to QString.
QString parentDirectoryOf(const QString& name) {
  return QString::fromStdString(ft::parent_directory(name.toStdString()));
}

QString baseNameOf(const QString& name) { return QString::fromStdString(ft::base_name(name.toStdString())); }

}  // namespace ft::ui
