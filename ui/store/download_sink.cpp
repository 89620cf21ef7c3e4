#include "store/download_sink.hpp"

#include <filesystem>

#include "download_body.hpp"  // core-internal (filetracker_core_internal)

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
      body_ = std::make_unique<DownloadBody>(std::filesystem::path(expect_.destination.toStdString()),
                                             body_expectation(expect_.headers));
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
    const BodyVerifier::Verdict verdict = body_->finish();
    const qint64 logical = qint64(body_->logical_size());
    switch (verdict) {
      case BodyVerifier::Verdict::CutOff:
      case BodyVerifier::Verdict::TooLong:
        fail(tr("%1: received %2 bytes, the server announced %3")
                 .arg(expect_.name)
                 .arg(logical)
                 .arg(qint64(body_->expectation().logical_size.value_or(0))));
        return;
      case BodyVerifier::Verdict::Corrupt:
        fail(tr("%1: checksum mismatch: the content does not match the server's SHA-256").arg(expect_.name));
        return;
      case BodyVerifier::Verdict::Complete:
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
