// An upload's body (the prepared gzip file) read through the queue's
// BandwidthLimiter: Qt pulls the body as the socket drains; when the bucket
// is empty a read returns nothing and readyRead() follows once tokens are
// back, so the PUT goes out no faster than the limit. Random access (Qt
// rewinds the body to send it again after a lost keep-alive connection).
#pragma once

#include <QFile>
#include <QIODevice>
#include <QTimer>

#include <memory>

#include "store/bandwidth_limiter.hpp"

namespace ft::ui {

class ThrottledUploadBody : public QIODevice {
  Q_OBJECT
 public:
  ThrottledUploadBody(const QString& path, std::shared_ptr<BandwidthLimiter> limiter, QObject* parent = nullptr);

  bool open(OpenMode mode) override;
  void close() override;
  bool isSequential() const override { return false; }
  qint64 size() const override { return file_.size(); }
  bool seek(qint64 pos) override;
  QString fileError() const { return file_.errorString(); }

 protected:
  qint64 readData(char* data, qint64 maxSize) override;
  qint64 writeData(const char*, qint64) override { return -1; }

 private:
  QFile file_;
  std::shared_ptr<BandwidthLimiter> limiter_;
  QTimer wake_;
};

}  // namespace ft::ui
