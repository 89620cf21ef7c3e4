// The asynchronous HTTP store: protocol version 2 (and our extensions when
// the server advertises them) over one QNetworkAccessManager. Wire rules come
// from ft::protocol (core) so they are written once for all peers.
//
// Access control and TLS (issue 12): once known, the credentials go on every
// request (HTTP Basic, no 401 round trip). When asking is on
// (setAsksForAccess), a request refused with 401 or by an untrusted
// certificate is not failed: it waits, credentialsRequired() or
// certificateUntrusted() is emitted once for all that wait, and the answer
// (setCredentials / trustCertificate, or a decline) sends them again or fails
// them. Certificate errors are ignored only for a trusted certificate's own
// errors (by SHA-256), never in general.
//
// Heavy work never runs on the caller's thread: upload compression and hashing
// run on a thread pool, download decoding and writing on a dedicated I/O
// thread, listing parsing on the pool.
#pragma once

#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QSslError>
#include <QThread>
#include <QThreadPool>
#include <QUrl>
#include <memory>

#include "store/bandwidth_limiter.hpp"
#include "store/disk_usage.hpp"
#include "store/store_backend.hpp"
#include "store/store_find.hpp"

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

  // ---- Disk usage and search (the server's "du" and "find" extensions) ---
  // REQUIRES: the server advertises them (store/disk_usage.hpp's
  // startDiskUsage and store/store_find.hpp's startFind choose).
  DiskUsageJob* diskUsage(const QString& directory);
  FindJob* find(const QString& directory, const ft::FindQuery& query);

  // ---- Version history (the server's "history" extension) ----------------
  // The versions of `name`, newest first (versions()).
  StoreJob* history(const QString& name);
  // Makes the kept `version` of `name` current again; file() is the file
  // as it is now (its new version).
  StoreJob* restore(const QString& name, qint64 version);
  // download() of `version` of request.name: the current one or a kept one.
  StoreJob* downloadVersion(const DownloadRequest& request, qint64 version);

  // ---- Administration (issue 20: the dashboard, users, checks) ------------
  // Sends `verb` ("GET", "PUT", ...) to `target` ("/metrics", "/admin/check")
  // with the credentials, and `jsonBody` as application/json when not empty.
  // Any 2xx succeeds: body() and httpStatus() are the answer; otherwise
  // errorString() is the server's one-line reason (its X-Exception).
  StoreJob* exchange(const QByteArray& verb, const QString& target, const QByteArray& jsonBody = {});

  QNetworkAccessManager* networkManager() { return &nam_; }
  // The bandwidth limit of uploads and downloads together (bytes/s, 0: none).
  void setRateLimit(qint64 bytesPerSecond) override { limiter_->setRate(bytesPerSecond); }
  qint64 rateLimit() const { return limiter_->rate(); }

  // ---- Sign-in and certificates -------------------------------------------
  // Sent from now on with every request; the requests waiting for
  // credentials are sent again with them. An empty user: anonymous.
  void setCredentials(const QString& user, const QString& secret);
  QString userName() const { return user_; }
  // The secret sent with userName() (for core's store of an archive
  // transfer, which signs in the same way; never written anywhere).
  QString secret() const { return secret_; }
  bool hasCredentials() const { return !user_.isEmpty(); }
  // The requests waiting for credentials fail (with the server's 401 reason),
  // and so do later 401s, until setCredentials().
  void declineCredentials();
  // Hold refused requests and ask (off: they fail at once, as before).
  void setAsksForAccess(bool on) { asks_ = on; }
  // Trusts the certificate with this SHA-256: its own TLS errors are
  // ignored; the requests waiting for a decision are sent again.
  void trustCertificate(const QByteArray& sha256);
  // The requests waiting for a decision fail, and so do later ones met by
  // that certificate.
  void declineCertificate();
  static QByteArray fingerprintOf(const QSslCertificate& certificate);
  // The certificates met so far that are trusted (by the user or pinned).
  QList<QSslCertificate> trustedCertificates() const;

 signals:
  // A request got 401: `reason` is the server's one line.
  void credentialsRequired(const QString& reason);
  // A TLS handshake met a certificate that is not trusted.
  void certificateUntrusted(const QSslCertificate& certificate, const QList<QSslError>& errors);

 private:
  // Why a failed reply should wait instead of failing.
  enum class Obstacle { None, RetryNow, Credentials, Certificate };
  Obstacle obstacleOf(QNetworkReply* reply, quint64 generation) const;
  struct Waiter {
    QPointer<StoreJob> job;
    std::function<void()> retry;
    std::function<void()> giveUp;
  };
  // When `reply` (sent with credentials generation `generation`) is held by
  // an obstacle: queues `retry` / `giveUp` and returns true; `giveUp` then
  // finishes the job with the reply as it is (also on cancel).
  bool hold(StoreJob* job, QNetworkReply* reply, quint64 generation, std::function<void()> retry,
            std::function<void()> giveUp);
  // Sends what `start` makes; `done(reply)` once it is over and not held.
  void send(StoreJob* job, std::function<QNetworkReply*()> start, std::function<void(QNetworkReply*)> done);
  void release(QList<Waiter>& waiters, bool retry);
  void onSslErrors(QNetworkReply* reply, const QList<QSslError>& errors);
  // `version` set: that version from the history (/history), else the current one.
  void startDownload(StoreJob* job, const DownloadRequest& request, std::optional<qint64> version = std::nullopt);

  QNetworkRequest request(const std::string& target) const;
  // `req` with the current credentials (made when it is sent, so a retry
  // after a sign-in carries the new ones).
  QNetworkRequest authorized(QNetworkRequest req) const;
  // request() for GET/HEAD of a file: follows a 307 to an old server (--fallback-url).
  QNetworkRequest fileReadRequest(const std::string& target) const;
  // Connects reply -> job for the common cases: cancel aborts the reply,
  // upload/download progress is forwarded.
  void bindReply(StoreJob* job, QNetworkReply* reply);
  // Runs `work` on the pool, then `done` on this thread.
  void runOnPool(std::function<void()> work, std::function<void()> done);
  void startPut(StoreJob* job, const UploadRequest& request, const struct PreparedUpload& prepared);
  // One page of find() after `after`; the next follows until the last.
  void findPage(FindJob* job, const QString& directory, const ft::FindQuery& query, const QString& after);

  QString base_;
  QString tempDirectory_;
  QNetworkAccessManager nam_;
  QThread ioThread_;
  QThreadPool pool_;
  StoreInfo info_;
  std::shared_ptr<BandwidthLimiter> limiter_ = std::make_shared<BandwidthLimiter>();

  bool asks_ = false;
  QString user_;
  QString secret_;
  QByteArray authorization_;        // "Basic ..." or empty
  quint64 credentialsGeneration_ = 0;
  bool credentialsDeclined_ = false;
  QSet<QByteArray> trusted_;        // SHA-256 of trusted certificates
  QSet<QByteArray> declined_;
  QHash<QByteArray, QSslCertificate> met_;  // every certificate met, by SHA-256
  QSslCertificate untrustedCertificate_;  // the last one met
  QList<QSslError> untrustedErrors_;
  QList<Waiter> credentialWaiters_;
  QList<Waiter> certificateWaiters_;
};

}  // namespace ft::ui
