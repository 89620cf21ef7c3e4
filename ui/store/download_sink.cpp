#include "store/download_sink.hpp"

#include <filesystem>

#include "filetracker/download_body.hpp"

namespace ft::ui {

DownloadSink::DownloadSink(Expectation expectation) : expect_(std::move(expectation)) {}

DownloadSink::~DownloadSink() = default;

void DownloadSink::write(const QByteArray& chunk) {
  if (over_) {
    emit consumed(chunk.size());
    return;
  }
  try {
    if (!body_) {
      DownloadBody::Expectation expect;
      expect.gzip = expect_.gzip;
      expect.sha256 = expect_.sha256.toStdString();
      if (expect_.logicalSize >= 0) expect.logical_size = std::uint64_t(expect_.logicalSize);
      body_ = std::make_unique<DownloadBody>(std::filesystem::path(expect_.destination.toStdString()),
                                             std::move(expect));
    }
    body_->write(std::string_view(chunk.constData(), std::size_t(chunk.size())));
  } catch (const std::exception& e) {
    fail(expect_.name + QStringLiteral(": ") + QString::fromStdString(e.what()));
  }
  emit consumed(chunk.size());
}

void DownloadSink::finish() {
  if (over_) return;
  try {
    if (!body_) write(QByteArray());  // an empty body still makes a file
    if (over_) return;
    body_->finish();
    const qint64 logical = qint64(body_->logical_size());
    switch (body_->mismatch()) {
      case DownloadBody::Mismatch::Size:
        fail(tr("%1: received %2 bytes, the server announced %3").arg(expect_.name).arg(logical).arg(expect_.logicalSize));
        return;
      case DownloadBody::Mismatch::Checksum:
        fail(tr("%1: checksum mismatch: the content does not match the server's SHA-256").arg(expect_.name));
        return;
      case DownloadBody::Mismatch::None:
        break;
    }
    const QString sha = QString::fromStdString(body_->sha256());
    body_->commit(expect_.mtime);
    body_.reset();
    over_ = true;
    emit done(QString(), sha, logical);
  } catch (const std::exception& e) {
    fail(expect_.name + QStringLiteral(": ") + QString::fromStdString(e.what()));
  }
}

void DownloadSink::abort() {
  if (body_) body_->abort();
  body_.reset();
  over_ = true;
}

void DownloadSink::fail(const QString& error) {
  if (over_) return;
  const qint64 logical = body_ ? qint64(body_->logical_size()) : 0;
  if (body_) body_->abort();
  body_.reset();
  over_ = true;
  emit done(error, QString(), logical);
}

}  // namespace ft::ui
