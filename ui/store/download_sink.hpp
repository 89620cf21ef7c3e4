// The receiving end of a download, living on the store's I/O thread: feeds
// ft::DownloadBody (gunzip, hash, AtomicFile, checks against the server's
// SHA256-Checksum / Logical-Size) and words its outcome for the GUI.
// Keeping this off the GUI thread is what keeps a 1 GiB download from
// stalling the event loop (inflate, write and fsync all happen here).
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

namespace ft {
class DownloadBody;
}  // namespace ft

namespace ft::ui {

class DownloadSink : public QObject {
  Q_OBJECT
 public:
  struct Expectation {
    QString name;            // for messages
    QString destination;     // final path
    bool gzip = false;       // body is gzip (Content-Encoding)
    QString sha256;          // empty: not sent by the server
    qint64 logicalSize = -1;  // -1: not sent
    qint64 mtime = -1;       // set on the file before the rename when >= 0
  };
  explicit DownloadSink(Expectation expectation);
  ~DownloadSink() override;

 public slots:
  // All three are invoked (queued) from the GUI thread, in order.
  void write(const QByteArray& chunk);
  void finish();
  void abort();

 signals:
  // How many bytes of the body were handled (for flow control).
  void consumed(qint64 bytes);
  // Exactly once: success (empty error) after finish(), or the first error.
  void done(const QString& error, const QString& sha256, qint64 logicalSize);

 private:
  void fail(const QString& error);

  Expectation expect_;
  std::unique_ptr<DownloadBody> body_;
  bool over_ = false;
};

}  // namespace ft::ui
