#include "transfers/archive_task.hpp"

#include <QFileInfo>

namespace ft::ui {

namespace {

// Longest first: ".tar.gz" before ".gz" would matter if ".gz" were listed.
const char* const kArchiveExtensions[] = {".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tgz", ".zip", ".tar", ".7z"};

qsizetype archiveExtensionLength(const QString& fileName) {
  for (const char* ext : kArchiveExtensions) {
    const QLatin1String e(ext);
    if (fileName.size() > e.size() && fileName.endsWith(e, Qt::CaseInsensitive)) return e.size();
  }
  return 0;
}

}  // namespace

bool isArchiveName(const QString& path) { return archiveExtensionLength(QFileInfo(path).fileName()) > 0; }

QString archiveBaseName(const QString& path) {
  const QString name = QFileInfo(path).fileName();
  return name.left(name.size() - archiveExtensionLength(name));
}

}  // namespace ft::ui
