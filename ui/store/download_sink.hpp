// The receiving end of a download, living on the store's I/O thread: feeds
// ft::DownloadBody (core's BodyVerifier: gunzip, hash, checks against the
// server's SHA256-Checksum / Logical-Size; into an AtomicFile) and words its
// verdict for the GUI.
// Keeping this off the GUI thread is what keeps a 1 GiB download from
// stalling the event loop (inflate, write and fsync all happen here).
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

#include "filetracker/protocol.hpp"

namespace ft {
class DownloadBody;
}  // namespace ft

namespace ft::ui {

class DownloadSink : public QObject {
  Q_OBJECT
 public:
  struct Expectation {
    QString name;                   // for messages
    QString destination;            // final path
    protocol::FileHeaders headers;  // what the answer said about the body
    qint64 mtime = -1;              // set on the file before the rename when >= 0
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
