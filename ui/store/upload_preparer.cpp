#include "store/upload_preparer.hpp"

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

#include "filetracker/error.hpp"
#include "upload_body.hpp"  // core-internal (filetracker_core_internal)

namespace ft::ui {

namespace {
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
  UploadBodyOptions options;
  options.label = localPath.toStdString();
  options.compress = true;
  options.level = levelFor(total);
  options.parallel_deflate = total > (16 << 20);  // deflate on several threads while this one hashes
  options.compressed = [&](std::string_view chunk) {
    if (out.write(chunk.data(), qint64(chunk.size())) != qint64(chunk.size())) {
      throw Error(ErrorCode::Io, (out.fileName() + QStringLiteral(": write failed: ") + out.errorString()).toStdString());
    }
  };
  options.cancel = &cancel;
  if (progress) options.progress = [&](std::uint64_t done, std::uint64_t) { progress(qint64(done), total); };
  options.total = std::uint64_t(total);
  // QFile has read nothing yet, so its descriptor is still at the start.
  const UploadBodyDigest digest = prepare_upload_body(in.handle(), options);
  if (!out.flush()) {
    throw Error(ErrorCode::Io, (out.fileName() + QStringLiteral(": write failed: ") + out.errorString()).toStdString());
  }
  PreparedUpload result;
  result.compressedPath = out.fileName();
  result.sha256 = QString::fromStdString(digest.sha256);
  result.logicalSize = qint64(digest.logical_size);
  result.compressedSize = qint64(digest.compressed_size);
  out.setAutoRemove(false);  // from now on the caller owns it
  return result;
}

}  // namespace ft::ui
