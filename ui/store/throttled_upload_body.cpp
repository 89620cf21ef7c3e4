#include "store/throttled_upload_body.hpp"

namespace ft::ui {

ThrottledUploadBody::ThrottledUploadBody(const QString& path, std::shared_ptr<BandwidthLimiter> limiter, QObject* parent)
    : QIODevice(parent), file_(path), limiter_(std::move(limiter)) {
  wake_.setSingleShot(true);
  connect(&wake_, &QTimer::timeout, this, &QIODevice::readyRead);
}

bool ThrottledUploadBody::open(OpenMode mode) {
  if ((mode & ReadWrite) != ReadOnly || !file_.open(QIODevice::ReadOnly)) {
    setErrorString(file_.errorString());
    return false;
  }
  // Unbuffered: QIODevice's own buffer would read ahead of the limiter.
  return QIODevice::open(ReadOnly | Unbuffered);
}

void ThrottledUploadBody::close() {
  wake_.stop();
  file_.close();
  QIODevice::close();
}

bool ThrottledUploadBody::seek(qint64 pos) { return file_.seek(pos) && QIODevice::seek(pos); }

qint64 ThrottledUploadBody::readData(char* data, qint64 maxSize) {
  const qint64 left = file_.size() - file_.pos();
  if (left <= 0) return -1;  // the end
  const qint64 want = std::min(maxSize, left);
  // At least 16 KiB at once (or what is left): no crumbs of a few bytes.
  const qint64 least = std::min<qint64>(want, 16384);
  const qint64 granted = limiter_ ? limiter_->take(want, least) : want;
  if (granted <= 0) {
    // Nothing now: Qt waits for readyRead(), sent when tokens are back.
    if (!wake_.isActive()) wake_.start(limiter_->millisecondsUntil(least));
    return 0;
  }
  return file_.read(data, granted);
}

}  // namespace ft::ui
