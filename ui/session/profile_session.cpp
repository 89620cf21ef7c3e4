#include "session/profile_session.hpp"

#include <QDesktopServices>
#include <QDir>
#include <QSet>
#include <QStandardPaths>

#include <memory>

#include "settings/server_url.hpp"
#include "store/local_store.hpp"
#include "store/remote_store.hpp"

namespace ft::ui {

ProfileSession::ProfileSession(QObject* parent) : QObject(parent) {
  opener_ = [](const QUrl& url) { return QDesktopServices::openUrl(url); };
  transfers_.setCoreConnectionProvider([this] { return coreConnection(); });
  // The queue lasts across restarts: one file per store and cache, in the
  // user's application data (never in the cache, which a clean-up may empty).
  transfers_.setJournalDirectory(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                 QStringLiteral("/transfers"));
}

CoreConnection ProfileSession::coreConnection() const {
  CoreConnection c;
  c.cacheDirectory = profile_.cacheDirectory;
  if (RemoteStore* rs = remote()) {
    c.serverUrl = rs->location();
    c.user = rs->userName();
    c.secret = rs->secret();
    for (const QSslCertificate& certificate : rs->trustedCertificates()) c.trustedCertificatesPem << certificate.toPem();
  }
  return c;
}

ProfileSession::~ProfileSession() { close(); }

void ProfileSession::close() {
  transfers_.setStore(nullptr);
  // Whoever hears from the dying store's jobs sees no store any more.
  StoreBackend* store = store_.data();
  store_ = nullptr;
  ready_ = false;
  delete store;
}

void ProfileSession::open(const ConnectionProfile& profile) {
  transfers_.setStore(nullptr);
  if (store_) store_->deleteLater();
  profile_ = profile;
  ready_ = false;
  info_ = StoreInfo{};
  cache_.setCache(profile.cacheDirectory, profile.cacheLimit);
  if (profile.isLocal()) {
    store_ = new LocalStore(profile.cacheDirectory, this);
  } else {
    QString error;
    const QString url = normalizedServerUrl(profile.serverUrl, &error);
    if (url.isEmpty()) {
      // Not even an address: say so (never Qt's 'Protocol "" is unknown').
      store_ = nullptr;
      emit storeChanged();
      QMetaObject::invokeMethod(this, [this, error] {
        if (!store_) emit failed(error);
      }, Qt::QueuedConnection);
      return;
    }
    // Temporary upload files go beside the cache (same disk the user chose).
    const QString temp = profile.cacheDirectory + QStringLiteral("/tmp");
    store_ = new RemoteStore(QUrl(url), temp, this);
  }
  info_.location = store_->location();
  info_.remote = store_->isRemote();
  // A transfer belongs to the server (or local store) and the cache it was
  // started with; reconnecting to both is the same place for a retry.
  // The key is saved with the queue: the address without user info.
  transfers_.setStore(store_, TransferJournal::withoutUserInfo(store_->location()) + QLatin1Char('\n') +
                                  QDir::cleanPath(profile.cacheDirectory));
  emit storeChanged();
  ++openCount_;
  keyringError_.clear();
  signInDeclined_ = false;
  RemoteStore* rs = remote();
  if (!rs) return probe();
  rs->setAsksForAccess(true);
  if (!profile.pinnedCertificate.isEmpty()) rs->trustCertificate(profile.pinnedCertificate.toLatin1());
  connect(rs, &RemoteStore::credentialsRequired, this,
          [this](const QString& reason) { emit signInRequired(profile_.userName, reason); });
  connect(rs, &RemoteStore::certificateUntrusted, this,
          [this](const QSslCertificate& certificate, const QList<QSslError>& errors) {
            const QString pinned = profile_.pinnedCertificate;
            emit certificateUntrusted(certificate, errors,
                                      pinned.isEmpty() || pinned.toLatin1() == RemoteStore::fingerprintOf(certificate)
                                          ? QString()
                                          : pinned);
          });
  if (profile.userName.isEmpty()) return probe();
  // The secret first (an asynchronous keyring job), then the first request
  // with it: no 401 round trip, no prompt for a remembered secret.
  const quint64 forOpen = openCount_;
  secrets_.read(SecretStore::keyFor(rs->location(), profile.userName),
                [this, forOpen](SecretStore::Outcome outcome, const QString& secret, const QString& error) {
                  if (forOpen != openCount_ || !remote()) return;
                  if (outcome == SecretStore::Outcome::Found) {
                    remote()->setCredentials(profile_.userName, secret);
                  } else if (outcome == SecretStore::Outcome::Unavailable) {
                    keyringError_ = error;
                    emit keyringFailed(error);
                  }
                  probe();
                  // A user named but no secret known: ask now rather than
                  // browse anonymously (the server may allow that).
                  if (outcome != SecretStore::Outcome::Found) emit signInRequired(profile_.userName, QString());
                });
}

RemoteStore* ProfileSession::remote() const { return qobject_cast<RemoteStore*>(store_.data()); }

void ProfileSession::probe() {
  StoreJob* job = store_->probe();
  QPointer<StoreBackend> forStore = store_;
  connect(job, &StoreJob::finished, this, [this, job, forStore] {
    if (forStore != store_) return;  // a newer open() replaced it
    if (!job->succeeded()) {
      emit failed(job->errorString());
      return;
    }
    info_ = job->storeInfo();
    info_.location = store_->location();
    info_.remote = store_->isRemote();
    ready_ = true;
    emit ready(info_);
  });
}

// After a sign-in /version tells the new principal's level.
void ProfileSession::probeAccess() {
  if (!store_ || !ready_) return;
  StoreJob* job = store_->probe();
  QPointer<StoreBackend> forStore = store_;
  connect(job, &StoreJob::finished, this, [this, job, forStore] {
    if (forStore != store_ || !job->succeeded()) return;
    info_.access = job->storeInfo().access;
    emit accessChanged();
  });
}

void ProfileSession::signIn(const QString& user, const QString& secret, bool remember) {
  RemoteStore* rs = remote();
  if (!rs) return;
  signInDeclined_ = false;
  rs->setCredentials(user, secret);
  if (profile_.userName != user) {
    profile_.userName = user;
    emit profileChanged(profile_);
  }
  if (remember) {
    secrets_.write(SecretStore::keyFor(rs->location(), user), secret,
                   [this](SecretStore::Outcome outcome, const QString&, const QString& error) {
                     if (outcome != SecretStore::Outcome::Unavailable) return;
                     keyringError_ = error;
                     emit keyringFailed(error);
                   });
  }
  probeAccess();
  emit accessChanged();
}

void ProfileSession::declineSignIn() {
  RemoteStore* rs = remote();
  if (!rs) return;
  signInDeclined_ = true;
  rs->declineCredentials();
  emit accessChanged();
}

void ProfileSession::trustCertificate(const QByteArray& sha256, bool always) {
  RemoteStore* rs = remote();
  if (!rs) return;
  if (always && profile_.pinnedCertificate.toLatin1() != sha256) {
    profile_.pinnedCertificate = QString::fromLatin1(sha256);
    emit profileChanged(profile_);
  }
  rs->trustCertificate(sha256);
}

void ProfileSession::declineCertificate() {
  if (RemoteStore* rs = remote()) rs->declineCertificate();
}

void ProfileSession::setCacheLimit(qint64 bytes) {
  if (profile_.cacheLimit == bytes) return;
  profile_.cacheLimit = bytes;
  cache_.setCache(profile_.cacheDirectory, bytes);
  emit cacheLimitChanged(bytes);
}

QString ProfileSession::cachePathOf(const QString& name) const {
  return QDir::cleanPath(profile_.cacheDirectory + QStringLiteral("/files") + name);
}

void ProfileSession::fetchIntoCache(const QStringList& names, Transfer::Kind kind,
                             std::function<void(bool, const QString&)> done) {
  if (!store_) {
    done(false, tr("not connected to a store"));
    return;
  }
  if (!store_->isRemote()) {
    // The local store is its own cache: the files are already here.
    done(true, QString());
    return;
  }
  struct Pending {
    QSet<quint64> ids;
    bool ok = true;
    QString error;
    std::function<void(bool, const QString&)> done;
  };
  auto pending = std::make_shared<Pending>();
  pending->done = std::move(done);
  for (const QString& name : names) {
    DownloadRequest request{name, cachePathOf(name), true};
    pending->ids.insert(transfers_.enqueueDownload(request, kind));
  }
  if (pending->ids.isEmpty()) {
    pending->done(true, QString());
    return;
  }
  auto connection = std::make_shared<QMetaObject::Connection>();
  *connection = connect(&transfers_, &TransferQueue::transferFinished, this,
                        [pending, connection, this](quint64 id, bool ok) {
                          if (!pending->ids.remove(id)) return;
                          if (!ok && pending->ok) {
                            pending->ok = false;
                            const Transfer* t = transfers_.find(id);
                            pending->error = t && !t->error.isEmpty() ? t->error : tr("cancelled");
                          }
                          if (pending->ids.isEmpty()) {
                            disconnect(*connection);
                            pending->done(pending->ok, pending->error);
                          }
                        });
}

}  // namespace ft::ui
