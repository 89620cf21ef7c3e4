#include "store/download_sink.hpp"

#include <filesystem>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"

namespace ft::ui {

DownloadSink::DownloadSink(Expectation expectation) : expect_(std::move(expectation)) {}

DownloadSink::~DownloadSink() = default;

void DownloadSink::write(const QByteArray& chunk) {
  if (over_) {
    emit consumed(chunk.size());
    return;
  }
  try {
    if (!file_) {
      file_ = std::make_unique<AtomicFile>(std::filesystem::path(expect_.destination.toStdString()));
      hash_ = std::make_unique<Sha256>();
      if (expect_.gzip) decoder_ = std::make_unique<GzipDecoder>();
    }
    const auto sink = [this](std::string_view data) {
      hash_->update(data.data(), data.size());
      file_->write(data);
      logical_ += qint64(data.size());
    };
    const std::string_view data(chunk.constData(), std::size_t(chunk.size()));
    if (decoder_) {
      decoder_->write(data, sink);
    } else {
      sink(data);
    }
  } catch (const std::exception& e) {
    fail(expect_.name + QStringLiteral(": ") + QString::fromStdString(e.what()));
  }
  emit consumed(chunk.size());
}

void DownloadSink::finish() {
  if (over_) return;
  try {
    if (!file_) write(QByteArray());  // an empty body still makes a file
    if (over_) return;
    if (decoder_) {
      decoder_->finish([this](std::string_view data) {
        hash_->update(data.data(), data.size());
        file_->write(data);
        logical_ += qint64(data.size());
      });
    }
    const QString sha = QString::fromStdString(hash_->hex_digest());
    if (expect_.logicalSize >= 0 && expect_.logicalSize != logical_) {
      fail(tr("%1: received %2 bytes, the server announced %3").arg(expect_.name).arg(logical_).arg(expect_.logicalSize));
      return;
    }
    if (!expect_.sha256.isEmpty() && expect_.sha256.compare(sha, Qt::CaseInsensitive) != 0) {
      fail(tr("%1: checksum mismatch: the content does not match the server's SHA-256").arg(expect_.name));
      return;
    }
    file_->commit(expect_.mtime);
    file_.reset();
    over_ = true;
    emit done(QString(), sha, logical_);
  } catch (const std::exception& e) {
    fail(expect_.name + QStringLiteral(": ") + QString::fromStdString(e.what()));
  }
}

void DownloadSink::abort() {
  if (file_) file_->abort();
  file_.reset();
  over_ = true;
}

void DownloadSink::fail(const QString& error) {
  if (over_) return;
  if (file_) file_->abort();
  file_.reset();
  over_ = true;
  emit done(error, QString(), logical_);
}

}  // namespace ft::ui
