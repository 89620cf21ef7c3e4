// One row of the Transfers dock: an upload or a download, from queued to done.
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QString>

#include "store/store_job.hpp"
#include "store/store_types.hpp"

namespace ft::ui {

struct Transfer {
  enum class Kind { Upload, Download, Open };  // Open: download into the cache, then open it
  enum class State { Queued, Preparing, Running, Finished, Failed, Cancelled };

  quint64 id = 0;
  Kind kind = Kind::Download;
  UploadRequest upload;      // for Upload
  DownloadRequest download;  // for Download and Open
  State state = State::Queued;
  qint64 done = 0;
  qint64 total = -1;
  double bytesPerSecond = 0;
  QString error;   // the reason, shown to the user
  RemoteFile result;
  QPointer<StoreJob> job;
  // The store the transfer was started on ("http://host:port" or the local
  // store's folder, with the cache it fills): a retry goes there or nowhere.
  QString storeKey;
  QString storeLocation;  // what the Transfers dock shows in its Server column

  // Speed estimate: bytes at the last sample.
  QElapsedTimer clock;
  qint64 sampleBytes = 0;
  qint64 sampleTime = 0;

  QString remoteName() const { return kind == Kind::Upload ? upload.name : download.name; }
  QString localPath() const { return kind == Kind::Upload ? upload.localPath : download.destinationPath; }
  bool isActive() const { return state == State::Preparing || state == State::Running; }
  bool isOver() const { return state == State::Finished || state == State::Failed || state == State::Cancelled; }
};

}  // namespace ft::ui
