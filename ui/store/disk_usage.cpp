#include "store/disk_usage.hpp"

#include <QHash>

#include <algorithm>

namespace ft::ui {

DiskUsage sumDiskUsage(const QString& directory, const QVector<RemoteFile>& files, bool sizesKnown) {
  DiskUsage usage;
  usage.total = FolderUsage{directory, 0, sizesKnown ? 0 : -1};
  const QString base = directory == QLatin1String("/") ? directory : directory + QLatin1Char('/');
  QHash<QString, int> at;  // child path -> index in usage.folders
  auto add = [](FolderUsage& f, qint64 size) {
    ++f.files;
    f.bytes = f.bytes < 0 || size < 0 ? -1 : f.bytes + size;
  };
  for (const RemoteFile& file : files) {
    if (!file.name.startsWith(base)) continue;
    add(usage.total, file.size);
    const qsizetype slash = file.name.indexOf(QLatin1Char('/'), base.size());
    if (slash < 0) continue;  // right in the directory
    const QString child = file.name.left(slash);
    auto it = at.find(child);
    if (it == at.end()) {
      it = at.insert(child, int(usage.folders.size()));
      usage.folders.push_back(FolderUsage{child, 0, sizesKnown ? 0 : -1});
    }
    add(usage.folders[*it], file.size);
  }
  std::sort(usage.folders.begin(), usage.folders.end(),
            [](const FolderUsage& a, const FolderUsage& b) { return a.path < b.path; });
  return usage;
}

}  // namespace ft::ui
