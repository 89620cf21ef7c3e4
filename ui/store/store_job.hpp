// One asynchronous store operation (list, stat, upload, download, delete).
//
// A job starts as soon as the store creates it, reports progress, can be
// cancelled, and ends with exactly one finished() signal; then result() or
// errorString() say how it went. The store deletes the job (deleteLater)
// right after finished(), so read what you need in the slot.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

#include "store/store_types.hpp"

namespace ft::ui {

class StoreJob : public QObject {
  Q_OBJECT
 public:
  enum class Stage { Preparing, Transferring, Finishing };
  Q_ENUM(Stage)

  explicit StoreJob(QObject* parent = nullptr);

  bool isFinished() const { return finished_; }
  bool succeeded() const { return finished_ && error_.isEmpty() && !cancelled_; }
  bool wasCancelled() const { return cancelled_; }
  // The one-line reason shown to the user, e.g. "/a.txt: HTTP 404: file not found".
  QString errorString() const { return error_; }
  int httpStatus() const { return httpStatus_; }

  // Results; which ones are filled depends on the operation.
  const RemoteFile& file() const { return file_; }
  const DirectoryListing& listing() const { return listing_; }
  const QStringList& names() const { return names_; }
  const StoreInfo& storeInfo() const { return info_; }
  const QVector<FileVersion>& versions() const { return versions_; }
  // The answer's body (RemoteStore::exchange: /metrics, /health, /admin/...).
  const QByteArray& body() const { return body_; }

  // Asks the job to stop; finished() follows (with wasCancelled()).
  void cancel();

  // Used by the stores.
  void setFile(const RemoteFile& file) { file_ = file; }
  void setListing(DirectoryListing listing) { listing_ = std::move(listing); }
  void setNames(QStringList names) { names_ = std::move(names); }
  void setStoreInfo(const StoreInfo& info) { info_ = info; }
  void setVersions(QVector<FileVersion> versions) { versions_ = std::move(versions); }
  void setBody(QByteArray body, int httpStatus) {
    body_ = std::move(body);
    httpStatus_ = httpStatus;
  }
  void setCancelHandler(std::function<void()> handler) { cancelHandler_ = std::move(handler); }
  void reportProgress(qint64 done, qint64 total);
  void reportStage(Stage stage);
  // Ends the job: emits finished() once and schedules deletion.
  void finishSuccess();
  void finishError(const QString& reason, int httpStatus = 0);
  void finishCancelled();

 signals:
  void progress(qint64 done, qint64 total);
  void stageChanged(ft::ui::StoreJob::Stage stage);
  void finished();

 private:
  void finish();

  bool finished_ = false;
  bool cancelled_ = false;
  QString error_;
  int httpStatus_ = 0;
  RemoteFile file_;
  DirectoryListing listing_;
  QStringList names_;
  StoreInfo info_;
  QVector<FileVersion> versions_;
  QByteArray body_;
  std::function<void()> cancelHandler_;
};

}  // namespace ft::ui
