// The session of one open connection profile: the profile's store (the
// server, or the local stand-alone store), the local cache beside it and its
// upkeep, the transfer queue, and the private copies handed to other
// applications. Everything the actions need that is not a widget.
#pragma once

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

#include "session/cache_maintenance.hpp"
#include "session/open_copies.hpp"
#include "settings/connection_profile.hpp"
#include "store/store_backend.hpp"
#include "transfers/transfer_queue.hpp"

namespace ft::ui {

class ProfileSession : public QObject {
  Q_OBJECT
 public:
  explicit ProfileSession(QObject* parent = nullptr);
  // close()s.
  ~ProfileSession() override;

  // Drops the current store (cancelling its transfers) and opens the
  // profile's; ready() or failed() follows.
  void open(const ConnectionProfile& profile);
  // Cancels the transfers and drops the store now: the jobs still running end
  // (cancelled) and their signals are delivered during this call. A window
  // holding the session calls it first thing in its destructor, while every
  // receiver of those signals still exists.
  void close();
  const ConnectionProfile& profile() const { return profile_; }
  StoreBackend* store() const { return store_; }
  const StoreInfo& info() const { return info_; }
  bool isReady() const { return ready_; }
  bool isRemote() const { return store_ && store_->isRemote(); }
  TransferQueue* transfers() { return &transfers_; }

  // The local cache: <cacheDirectory>/files/<name> (the seed's layout).
  QString cacheDirectory() const { return profile_.cacheDirectory; }
  QString cachePathOf(const QString& name) const;
  // Where a file is locally: the cache file, or for the local store the
  // stored file itself. Never hand this path to another application to
  // open: use openCopies() (see open_copies.hpp).
  QString localPathOf(const QString& name) const { return cachePathOf(name); }
  // Reading, removing and cleaning up the cache, off the GUI thread.
  CacheMaintenance* cache() { return &cache_; }
  // A new limit for the open profile's cache, in force at once (no reconnect).
  void setCacheLimit(qint64 bytes);

  // Queues downloads of `names` into the cache (skipping the ones cached at
  // `knownVersion` when given); `done(ok, error)` runs once all have ended.
  void fetchIntoCache(const QStringList& names, Transfer::Kind kind,
                      std::function<void(bool ok, const QString& error)> done);
  // Private copies for "Open" (read-only) and drag-out (writable), removed
  // with the session.
  OpenCopies* openCopies() { return &openCopies_; }
  // Opens a local file with the desktop's default application. Tests replace it.
  void setUrlOpener(std::function<bool(const QUrl&)> opener) { opener_ = std::move(opener); }
  bool openUrl(const QUrl& url) { return opener_(url); }

 signals:
  void ready(const ft::ui::StoreInfo& info);
  void failed(const QString& reason);
  void storeChanged();
  void cacheLimitChanged(qint64 bytes);

 private:
  ConnectionProfile profile_;
  QPointer<StoreBackend> store_;
  StoreInfo info_;
  bool ready_ = false;
  TransferQueue transfers_;
  CacheMaintenance cache_;
  std::function<bool(const QUrl&)> opener_;
  OpenCopies openCopies_;
};

}  // namespace ft::ui
