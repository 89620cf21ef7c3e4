// The stand-alone store: core's LocalDataStore (the seed's local store
// layout, <dir>/files/<name>, version = mtime) behind the same asynchronous
// interface as the server, every operation on a thread pool.
#pragma once

#include <QThreadPool>

#include <memory>

#include "store/store_backend.hpp"

namespace ft::ui {

class LocalStore : public StoreBackend {
  Q_OBJECT
 public:
  explicit LocalStore(QString directory, QObject* parent = nullptr);
  ~LocalStore() override;

  bool isRemote() const override { return false; }
  QString location() const override { return directory_; }

  StoreJob* probe() override;
  StoreJob* listDirectory(const QString& directory) override;
  StoreJob* listNamesBelow(const QString& directory) override;
  StoreJob* listFilesBelow(const QString& directory) override;
  StoreJob* stat(const QString& name) override;
  StoreJob* upload(const UploadRequest& request) override;
  StoreJob* download(const DownloadRequest& request) override;
  StoreJob* remove(const QString& name, qint64 version) override;

 private:
  // Runs `work(job state)` on the pool; `work` throws ft::Error to fail.
  struct Outcome;
  StoreJob* run(std::function<void(Outcome&)> work);

  QString directory_;
  QThreadPool pool_;
};

}  // namespace ft::ui
