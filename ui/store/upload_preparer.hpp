// Uploads travel gzip-compressed with SHA256-Checksum and Logical-Size
// headers, and the server needs Content-Length up front: so a file is first
// compressed into a temporary file (hashing it on the way), then that file is
// streamed to the server. This is the first half, run on a worker thread.
#pragma once

#include <QString>

#include <atomic>
#include <functional>

namespace ft::ui {

struct PreparedUpload {
  QString compressedPath;  // temporary gzip file; the caller removes it
  QString sha256;          // hex SHA-256 of the uncompressed content
  qint64 logicalSize = 0;
  qint64 compressedSize = 0;
};

// Reads `localPath` in chunks, writes its gzip form to a new temporary file in
// `tempDirectory`. `progress(bytesRead, total)` is called now and then.
// Throws ft::Error (Io naming the file; Cancelled when `cancel` became true),
// leaving no temporary file behind.
// REQUIRES: called off the GUI thread (it does blocking file I/O).
PreparedUpload prepareUpload(const QString& localPath, const QString& tempDirectory,
                             const std::atomic<bool>& cancel,
                             const std::function<void(qint64, qint64)>& progress);

}  // namespace ft::ui
