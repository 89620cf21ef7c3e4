// Disk usage summed on the client (stores without the server's "du"
// extension): a folder's and its direct child folders' files and bytes from
// the files below it at any depth.
#pragma once

#include "store/store_types.hpp"

namespace ft::ui {

// `files`: full names below `directory` (listFilesBelow). Bytes are -1 when
// `sizesKnown` is false or a file's size is unknown.
// REQUIRES: may run on any thread.
DiskUsage sumDiskUsage(const QString& directory, const QVector<RemoteFile>& files, bool sizesKnown);

}  // namespace ft::ui
