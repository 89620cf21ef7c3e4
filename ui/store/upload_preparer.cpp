#include "store/upload_preparer.hpp"

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"

namespace ft::ui {

namespace {
constexpr qint64 kChunk = 1 << 20;
// Level 1 for big files: compression dominates upload time, and the server
// keeps the blob as sent. Small files get the usual level.
int levelFor(qint64 size) { return size > (64 << 20) ? 1 : 6; }
}  // namespace

PreparedUpload prepareUpload(const QString& localPath, const QString& tempDirectory,
                             const std::atomic<bool>& cancel,
                             const std::function<void(qint64, qint64)>& progress) {
  QFile in(localPath);
  if (!in.open(QIODevice::ReadOnly)) {
    throw Error(ErrorCode::Io, (localPath + QStringLiteral(": cannot read: ") + in.errorString()).toStdString());
  }
  const qint64 total = in.size();
  QDir().mkpath(tempDirectory);
  QTemporaryFile out(tempDirectory + QStringLiteral("/.upload-XXXXXX.gz"));
  out.setAutoRemove(true);
  if (!out.open()) {
    throw Error(ErrorCode::Io,
                (tempDirectory + QStringLiteral(": cannot create a temporary file: ") + out.errorString()).toStdString());
  }
  Sha256 hash;
  GzipEncoder encoder(levelFor(total));
  qint64 written = 0;
  const ChunkSink sink = [&](std::string_view chunk) {
    if (out.write(chunk.data(), qint64(chunk.size())) != qint64(chunk.size())) {
      throw Error(ErrorCode::Io, (out.fileName() + QStringLiteral(": write failed: ") + out.errorString()).toStdString());
    }
    written += qint64(chunk.size());
  };
  QByteArray buffer(kChunk, Qt::Uninitialized);
  qint64 done = 0;
  for (;;) {
    if (cancel.load()) throw Error(ErrorCode::Cancelled, localPath.toStdString() + ": cancelled");
    const qint64 n = in.read(buffer.data(), kChunk);
    if (n < 0) {
      throw Error(ErrorCode::Io, (localPath + QStringLiteral(": read failed: ") + in.errorString()).toStdString());
    }
    if (n == 0) break;
    hash.update(buffer.constData(), std::size_t(n));
    encoder.write(std::string_view(buffer.constData(), std::size_t(n)), sink);
    done += n;
    if (progress) progress(done, total);
  }
  encoder.finish(sink);
  if (!out.flush()) {
    throw Error(ErrorCode::Io, (out.fileName() + QStringLiteral(": write failed: ") + out.errorString()).toStdString());
  }
  PreparedUpload result;
  result.compressedPath = out.fileName();
  result.sha256 = QString::fromStdString(hash.hex_digest());
  result.logicalSize = done;
  result.compressedSize = written;
  out.setAutoRemove(false);  // from now on the caller owns it
  return result;
}

}  // namespace ft::ui
