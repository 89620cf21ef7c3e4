// The asynchronous HTTP store: protocol version 2 (and our extensions when
// the server advertises them) over one QNetworkAccessManager. Wire rules come
// from ft::protocol (core) so they are written once for all peers.
//
// Heavy work never runs on the caller's thread: upload compression and hashing
// run on a thread pool, download decoding and writing on a dedicated I/O
// thread, listing parsing on the pool.
#pragma once

#include <QNetworkAccessManager>
#include <QThread>
#include <QThreadPool>
#include <QUrl>

#include "store/store_backend.hpp"

class QNetworkReply;

namespace ft::ui {

class RemoteStore : public StoreBackend {
  Q_OBJECT
 public:
  // `baseUrl` like "http://127.0.0.1:9999"; temporary upload files go to
  // `tempDirectory` (default: the system's).
  explicit RemoteStore(const QUrl& baseUrl, QString tempDirectory = {}, QObject* parent = nullptr);
  ~RemoteStore() override;

  bool isRemote() const override { return true; }
  QString location() const override { return base_; }
  // What probe() found (or what was set); extensions decide JSON listing etc.
  const StoreInfo& info() const { return info_; }
  void setInfo(const StoreInfo& info) { info_ = info; }

  StoreJob* probe() override;
  StoreJob* listDirectory(const QString& directory) override;
  StoreJob* listNamesBelow(const QString& directory) override;
  StoreJob* listFilesBelow(const QString& directory) override;
  StoreJob* stat(const QString& name) override;
  StoreJob* upload(const UploadRequest& request) override;
  StoreJob* download(const DownloadRequest& request) override;
  StoreJob* remove(const QString& name, qint64 version) override;

  QNetworkAccessManager* networkManager() { return &nam_; }

 private:
  QNetworkRequest request(const std::string& target) const;
  // request() for GET/HEAD of a file: follows a 307 to an old server (--fallback-url).
  QNetworkRequest fileReadRequest(const std::string& target) const;
  // Connects reply -> job for the common cases: cancel aborts the reply,
  // upload/download progress is forwarded.
  void bindReply(StoreJob* job, QNetworkReply* reply);
  // Runs `work` on the pool, then `done` on this thread.
  void runOnPool(std::function<void()> work, std::function<void()> done);
  void startPut(StoreJob* job, const UploadRequest& request, const struct PreparedUpload& prepared);

  QString base_;
  QString tempDirectory_;
  QNetworkAccessManager nam_;
  QThread ioThread_;
  QThreadPool pool_;
  StoreInfo info_;
};

}  // namespace ft::ui
