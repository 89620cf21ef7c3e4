// What the browser needs from a store, asynchronously: the remote server
// (RemoteStore, QNetworkAccessManager) or the local stand-alone store
// (LocalStore, core's LocalDataStore on a thread pool). Every call returns a
// running StoreJob at once; nothing here blocks the caller.
#pragma once

#include <QObject>

#include "store/store_job.hpp"
#include "store/store_types.hpp"

namespace ft::ui {

class StoreBackend : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

  virtual bool isRemote() const = 0;
  // "http://host:port" or the local directory.
  virtual QString location() const = 0;

  // Finds out what the store is (protocol version, extensions); the job's
  // storeInfo() holds the answer.
  virtual StoreJob* probe() = 0;
  // The immediate files and subdirectories of `directory` (listing()).
  virtual StoreJob* listDirectory(const QString& directory) = 0;
  // Every name below `directory`, at any depth, as full names (names()).
  virtual StoreJob* listNamesBelow(const QString& directory) = 0;
  // Every file below `directory`, at any depth, as full names in
  // listing().files, with versions and sizes when the store lists them
  // (listing().metadataComplete). A directory with nothing below: no files.
  virtual StoreJob* listFilesBelow(const QString& directory) = 0;
  // Version, size (and SHA-256 when known) of the newest version (file()).
  virtual StoreJob* stat(const QString& name) = 0;
  // file() is what was stored.
  virtual StoreJob* upload(const UploadRequest& request) = 0;
  // file() is what was retrieved.
  virtual StoreJob* download(const DownloadRequest& request) = 0;
  // Deletes `name` when its stored version is not newer than `version`.
  virtual StoreJob* remove(const QString& name, qint64 version) = 0;
  // At most this many bytes per second for uploads and downloads together
  // (0: no limit). A local store has no network to spare: it ignores it.
  virtual void setRateLimit(qint64 bytesPerSecond) { (void)bytesPerSecond; }
};

}  // namespace ft::ui
