// The session of one open connection profile: the profile's store (the
// server, or the local stand-alone store), the local cache beside it and its
// upkeep, the transfer queue, and the private copies handed to other
// applications. Everything the actions need that is not a widget.
#pragma once

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>

#include <functional>

#include "session/cache_maintenance.hpp"
#include "session/open_copies.hpp"
#include "settings/connection_profile.hpp"
#include "settings/secret_store.hpp"
#include "store/store_backend.hpp"
#include "transfers/transfer_queue.hpp"

namespace ft::ui {

class RemoteStore;

// Access control and TLS (issue 12): a server profile's user name comes from
// the profile, its secret from the desktop keyring (read before the first
// request, asynchronously); a 401 or an untrusted certificate is passed on
// as signInRequired() / certificateUntrusted() and the requests wait for
// signIn() / trustCertificate() (or the declines).
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
  // How core reaches this profile's store as the session does (archive
  // transfers): the server, the signed-in user, the trusted certificates,
  // the cache.
  CoreConnection coreConnection() const;

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

  // ---- Sign-in and certificates (server profiles) ---------------------------
  // The requests refused with 401 are sent again as `user`; with `remember`
  // the secret goes to the keyring (keyringFailed() when it cannot: the
  // secret is then kept for this session only, never written elsewhere).
  void signIn(const QString& user, const QString& secret, bool remember);
  // The waiting requests fail with the server's reason: "not signed in".
  void declineSignIn();
  bool signInDeclined() const { return signInDeclined_; }
  // Trusts the certificate with this SHA-256 (hex) for this session, and
  // with `always` pins it in the profile (profilePinned() follows).
  void trustCertificate(const QByteArray& sha256, bool always);
  void declineCertificate();
  // What the server lets us do (its /version "access"); empty: it did not say.
  const std::optional<StoreAccess>& access() const { return info_.access; }
  // The keyring could not be read or written (empty: it works, or was not used).
  QString keyringError() const { return keyringError_; }
  SecretStore* secrets() { return &secrets_; }

 signals:
  void ready(const ft::ui::StoreInfo& info);
  void failed(const QString& reason);
  void storeChanged();
  void cacheLimitChanged(qint64 bytes);
  // The server wants credentials (`reason`: its one line; empty when we ask
  // first, the profile naming a user the keyring holds no secret for).
  void signInRequired(const QString& user, const QString& reason);
  // The server's certificate is not trusted; `pinned` is the profile's
  // pinned fingerprint when it differs (the certificate changed), else empty.
  void certificateUntrusted(const QSslCertificate& certificate, const QList<QSslError>& errors, const QString& pinned);
  // The profile's user name or pinned certificate changed: save it.
  void profileChanged(const ft::ui::ConnectionProfile& profile);
  // Signed in, declined, or the server told another level.
  void accessChanged();
  void keyringFailed(const QString& error);

 private:
  ConnectionProfile profile_;
  QPointer<StoreBackend> store_;
  StoreInfo info_;
  bool ready_ = false;
  TransferQueue transfers_;
  CacheMaintenance cache_;
  std::function<bool(const QUrl&)> opener_;
  OpenCopies openCopies_;

  void probe();
  void probeAccess();
  RemoteStore* remote() const;
  SecretStore secrets_;
  QString keyringError_;
  bool signInDeclined_ = false;
  quint64 openCount_ = 0;  // tells the answers of an older open() apart
};

}  // namespace ft::ui
