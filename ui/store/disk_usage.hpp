// Disk usage of a folder and of its direct child folders: files and logical
// bytes below each, at any depth. With the server's "du" extension one
// GET /du/D (summed on the server's index, RemoteStore::diskUsage); any
// other store (a plain protocol-v2 server, the local store) sums one
// recursive listing here, off the GUI thread.
#pragma once

#include <QVector>

#include "store/store_job.hpp"
#include "store/store_types.hpp"

namespace ft::ui {

class StoreBackend;

struct FolderUsage {
  QString path;       // "/" or "/a/b" (no trailing slash)
  qint64 files = 0;
  qint64 bytes = -1;  // -1: unknown (a plain server lists names only)
  bool operator==(const FolderUsage&) const = default;
};
struct DiskUsage {
  FolderUsage total;              // the folder itself
  QVector<FolderUsage> folders;   // its direct child folders, by path
};

// A StoreJob whose result is a DiskUsage.
class DiskUsageJob : public StoreJob {
  Q_OBJECT
 public:
  using StoreJob::StoreJob;
  const DiskUsage& diskUsage() const { return usage_; }
  void setDiskUsage(DiskUsage usage) { usage_ = std::move(usage); }

 private:
  DiskUsage usage_;
};

// The disk usage of `directory` in `store` (the server's extension when
// it has it). A directory with nothing below: 0 files, no folders.
DiskUsageJob* startDiskUsage(StoreBackend* store, const QString& directory);

// The sum over `files` (full names below `directory`, listFilesBelow).
// Bytes are -1 when `sizesKnown` is false or a file's size is unknown.
// REQUIRES: may run on any thread.
DiskUsage sumDiskUsage(const QString& directory, const QVector<RemoteFile>& files, bool sizesKnown);

}  // namespace ft::ui
