#include "store/remote_store.hpp"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>

#include "filetracker/error.hpp"
#include "filetracker/find_query.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/protocol_disk_usage.hpp"
#include "store/download_sink.hpp"
#include "store/listing_builder.hpp"
#include "store/throttled_upload_body.hpp"
#include "store/upload_preparer.hpp"

namespace ft::ui {

namespace proto = ft::protocol;

namespace {

// Flow control for downloads: the reply buffers at most this much, and at most
// kMaxPending bytes wait for the I/O thread; beyond that we stop reading and
// TCP pushes back on the server.
constexpr qint64 kReadBuffer = 4 << 20;
constexpr qint64 kChunk = 1 << 20;
constexpr qint64 kMaxPending = 32 << 20;
// Under a bandwidth limit, the least a download reads at once.
constexpr qint64 kLeastGrant = 32 << 10;

QByteArray headerName(std::string_view name) { return QByteArray(name.data(), qsizetype(name.size())); }

QByteArray header(const QNetworkReply* reply, std::string_view name) { return reply->rawHeader(headerName(name)); }

int statusOf(const QNetworkReply* reply) {
  return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// The one-line reason for a failed reply: the server's X-Exception when it
// answered with an error status, the network error otherwise.
QString replyError(QNetworkReply* reply, const QString& name) {
  const int status = statusOf(reply);
  if (status >= 300) {
    return QString::fromStdString(
        proto::describe_http_error(name.toStdString(), status, header(reply, proto::kXException).toStdString()));
  }
  return name + QStringLiteral(": ") + reply->errorString();
}

bool replyFailed(QNetworkReply* reply) { return reply->error() != QNetworkReply::NoError || statusOf(reply) != 200; }

// What the reply's headers say about the file (the protocol module's rule).
proto::FileHeaders fileHeaders(const QNetworkReply* reply) {
  return proto::decode_file_headers([reply](std::string_view name) -> std::optional<std::string> {
    const QByteArray key = headerName(name);
    if (!reply->hasRawHeader(key)) return std::nullopt;
    return reply->rawHeader(key).toStdString();
  });
}

RemoteFile fileFromHeaders(const QString& name, const proto::FileHeaders& headers) {
  RemoteFile file;
  file.name = name;
  file.version = headers.version ? qint64(*headers.version) : -1;
  file.size = headers.logical_size ? qint64(*headers.logical_size) : -1;
  file.sha256 = QString::fromStdString(headers.sha256);
  return file;
}

QString nameError(const QString& name) {
  if (auto error = ft::name_error(name.toStdString(), false)) return QString::fromStdString(*error);
  return {};
}

// State of one download between the network (GUI thread) and its sink (I/O thread).
struct DownloadPump {
  QNetworkReply* reply = nullptr;
  DownloadSink* sink = nullptr;
  QPointer<StoreJob> job;
  DownloadRequest request;
  RemoteFile file;
  qint64 pending = 0;
  bool networkDone = false;
  bool finishPosted = false;
  bool over = false;
  bool throttled = false;  // a timer will feed again once the limiter has tokens
};

}  // namespace

RemoteStore::RemoteStore(const QUrl& baseUrl, QString tempDirectory, QObject* parent)
    : StoreBackend(parent),
      base_(baseUrl.toString(QUrl::StripTrailingSlash)),
      tempDirectory_(tempDirectory.isEmpty() ? QDir::tempPath() : std::move(tempDirectory)) {
  info_.location = base_;
  info_.remote = true;
  ioThread_.setObjectName(QStringLiteral("filetracker-io"));
  ioThread_.start();
  pool_.setMaxThreadCount(2);
  // Transfers are long; the default 30 s idle timeout of Qt would cut off a
  // slow server mid-file, so only a dead connection (no bytes for 5 min) fails.
  nam_.setTransferTimeout(300000);
  connect(&nam_, &QNetworkAccessManager::sslErrors, this, &RemoteStore::onSslErrors);
}

RemoteStore::~RemoteStore() {
  for (QNetworkReply* reply : findChildren<QNetworkReply*>()) reply->abort();
  pool_.waitForDone();
  ioThread_.quit();
  ioThread_.wait();
}

QNetworkRequest RemoteStore::request(const std::string& target) const {
  QNetworkRequest req(QUrl::fromEncoded(base_.toUtf8() + QByteArray::fromStdString(target), QUrl::StrictMode));
  req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
  return req;
}

QNetworkRequest RemoteStore::authorized(QNetworkRequest req) const {
  if (!authorization_.isEmpty()) {
    req.setRawHeader(QByteArrayLiteral("Authorization"), authorization_);
    // A raw header would follow a fallback redirect (fileReadRequest) to the
    // old server's host: with credentials, redirects are not followed.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
  }
  return req;
}

// ---- Sign-in and certificates -------------------------------------------------

void RemoteStore::setCredentials(const QString& user, const QString& secret) {
  user_ = user;
  secret_ = user.isEmpty() ? QString() : secret;
  authorization_ = user.isEmpty() ? QByteArray()
                                  : QByteArrayLiteral("Basic ") + (user + QLatin1Char(':') + secret).toUtf8().toBase64();
  ++credentialsGeneration_;
  credentialsDeclined_ = false;
  release(credentialWaiters_, true);
}

void RemoteStore::declineCredentials() {
  credentialsDeclined_ = true;
  release(credentialWaiters_, false);
}

QByteArray RemoteStore::fingerprintOf(const QSslCertificate& certificate) {
  return certificate.digest(QCryptographicHash::Sha256).toHex();
}

QList<QSslCertificate> RemoteStore::trustedCertificates() const {
  QList<QSslCertificate> out;
  for (auto it = met_.cbegin(); it != met_.cend(); ++it) {
    if (trusted_.contains(it.key())) out << it.value();
  }
  return out;
}

void RemoteStore::trustCertificate(const QByteArray& sha256) {
  if (sha256.isEmpty()) return;
  trusted_.insert(sha256.toLower());
  declined_.remove(sha256.toLower());
  release(certificateWaiters_, true);
}

void RemoteStore::declineCertificate() {
  if (!untrustedCertificate_.isNull()) declined_.insert(fingerprintOf(untrustedCertificate_));
  release(certificateWaiters_, false);
}

void RemoteStore::onSslErrors(QNetworkReply* reply, const QList<QSslError>& errors) {
  QSslCertificate certificate = reply->sslConfiguration().peerCertificate();
  if (certificate.isNull() && !errors.isEmpty()) certificate = errors.first().certificate();
  if (certificate.isNull()) return;
  const QByteArray fingerprint = fingerprintOf(certificate);
  met_.insert(fingerprint, certificate);
  if (trusted_.contains(fingerprint)) {
    // Only what is wrong with this very certificate (self-signed, another
    // host name, expired...): any other error still fails the handshake.
    QList<QSslError> own;
    for (const QSslError& e : errors) {
      if (e.certificate() == certificate) own << e;
    }
    reply->ignoreSslErrors(own);
    return;
  }
  reply->setProperty("ftUntrustedCertificate", fingerprint);
  untrustedCertificate_ = certificate;
  untrustedErrors_ = errors;
}

RemoteStore::Obstacle RemoteStore::obstacleOf(QNetworkReply* reply, quint64 generation) const {
  if (!asks_) return Obstacle::None;
  const QByteArray untrusted = reply->property("ftUntrustedCertificate").toByteArray();
  if (!untrusted.isEmpty() && reply->error() != QNetworkReply::NoError && statusOf(reply) == 0) {
    if (trusted_.contains(untrusted)) return Obstacle::RetryNow;  // trusted meanwhile
    if (declined_.contains(untrusted)) return Obstacle::None;
    return Obstacle::Certificate;
  }
  if (statusOf(reply) == 401) {
    // Sent before the current credentials were given: try those first.
    if (generation != credentialsGeneration_) return Obstacle::RetryNow;
    if (credentialsDeclined_) return Obstacle::None;
    return Obstacle::Credentials;
  }
  return Obstacle::None;
}

bool RemoteStore::hold(StoreJob* job, QNetworkReply* reply, quint64 generation, std::function<void()> retry,
                       std::function<void()> giveUp) {
  if (job->wasCancelled()) return false;
  const Obstacle obstacle = obstacleOf(reply, generation);
  if (obstacle == Obstacle::None) return false;
  if (obstacle == Obstacle::RetryNow) {
    retry();
    return true;
  }
  QList<Waiter>& waiters = obstacle == Obstacle::Credentials ? credentialWaiters_ : certificateWaiters_;
  const bool first = waiters.isEmpty();
  waiters << Waiter{job, std::move(retry), std::move(giveUp)};
  // Cancelled while waiting: it leaves the queue and ends (cancelled).
  job->setCancelHandler([this, job] {
    for (QList<Waiter>* list : {&credentialWaiters_, &certificateWaiters_}) {
      for (qsizetype i = 0; i < list->size(); ++i) {
        if ((*list)[i].job != job) continue;
        Waiter w = list->takeAt(i);
        w.giveUp();
        return;
      }
    }
  });
  if (!first) return true;
  if (obstacle == Obstacle::Credentials) {
    emit credentialsRequired(QString::fromUtf8(header(reply, proto::kXException)));
  } else {
    emit certificateUntrusted(untrustedCertificate_, untrustedErrors_);
  }
  return true;
}

void RemoteStore::release(QList<Waiter>& waiters, bool retry) {
  const QList<Waiter> now = std::exchange(waiters, {});
  for (const Waiter& w : now) {
    if (!w.job) continue;
    if (retry) {
      w.retry();
    } else {
      w.giveUp();
    }
  }
}

void RemoteStore::send(StoreJob* job, std::function<QNetworkReply*()> start, std::function<void(QNetworkReply*)> done) {
  const quint64 generation = credentialsGeneration_;
  QNetworkReply* reply = start();
  bindReply(job, reply);
  connect(reply, &QNetworkReply::finished, job, [this, job, reply, generation, start, done] {
    if (hold(job, reply, generation, [this, job, reply, start, done] {
          reply->deleteLater();
          send(job, start, done);
        }, [reply, done] { done(reply); })) {
      return;
    }
    done(reply);
  });
}

// GET and HEAD of a file follow a redirect: a server migrating from an old
// one (filetracker-server --fallback-url, or the Python server's) answers a
// name it does not have with a 307 to the old server. NoLessSafe: never from
// https to http. Writes, deletes and listings stay manual (never sent
// elsewhere). With credentials, authorized() turns redirects off again, so
// the Authorization header never goes to the other host.
QNetworkRequest RemoteStore::fileReadRequest(const std::string& target) const {
  QNetworkRequest req = request(target);
  req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
  req.setMaximumRedirectsAllowed(5);
  return req;
}

void RemoteStore::bindReply(StoreJob* job, QNetworkReply* reply) {
  reply->setParent(this);
  QPointer<QNetworkReply> guard(reply);
  job->setCancelHandler([guard] {
    if (guard) guard->abort();
  });
  connect(reply, &QNetworkReply::uploadProgress, job, [job](qint64 done, qint64 total) {
    if (total > 0) job->reportProgress(done, total);
  });
  connect(reply, &QNetworkReply::downloadProgress, job, [job](qint64 done, qint64 total) {
    job->reportProgress(done, total);
  });
}

void RemoteStore::runOnPool(std::function<void()> work, std::function<void()> done) {
  // `done` runs on this object's thread; it checks itself whether its job
  // still wants the result (the job may have been cancelled meanwhile).
  pool_.start([this, work = std::move(work), done = std::move(done)]() mutable {
    work();
    QMetaObject::invokeMethod(this, std::move(done), Qt::QueuedConnection);
  });
}

StoreJob* RemoteStore::probe() {
  auto* job = new StoreJob(this);
  const QNetworkRequest req = request(std::string(proto::kVersionTarget));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [this, job](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    const int status = statusOf(reply);
    if (status == 0) return job->finishError(replyError(reply, base_));
    const QByteArray body = reply->readAll();
    try {
      const auto parsed = proto::parse_version_response(status, body.toStdString());
      StoreInfo info;
      info.location = base_;
      info.remote = true;
      info.protocolVersion = parsed.protocol_version;
      for (const auto& ext : parsed.extensions) info.extensions << QString::fromStdString(ext);
      info.server = QString::fromStdString(parsed.server);
      if (parsed.access) {
        StoreAccess access;
        access.name = QString::fromStdString(parsed.access->name);
        access.level = StoreAccess::levelFromName(QString::fromStdString(parsed.access->level));
        for (const auto& prefix : parsed.access->prefixes) access.prefixes << QString::fromStdString(prefix);
        info.access = access;
      }
      if (status != 200 && status != 404) return job->finishError(replyError(reply, base_), status);
      info_ = info;
      job->setStoreInfo(info);
      job->finishSuccess();
    } catch (const std::exception& e) {
      job->finishError(base_ + QStringLiteral(": ") + QString::fromStdString(e.what()));
    }
  });
  return job;
}

StoreJob* RemoteStore::listDirectory(const QString& directory) {
  auto* job = new StoreJob(this);
  const bool json = info_.has(QString::fromLatin1(proto::kExtJsonList.data(), qsizetype(proto::kExtJsonList.size())));
  QNetworkRequest req = request(proto::list_target(directory.toStdString(), std::nullopt, !json));
  if (json) req.setRawHeader(headerName(proto::kAccept), headerName(proto::kJsonContentType));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [this, job, directory](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    const int status = statusOf(reply);
    if (replyFailed(reply)) {
      // An empty store has no root directory to list; that is not an error.
      if (directory == QLatin1String("/") && (status == 400 || status == 404)) {
        job->setListing(DirectoryListing{QStringLiteral("/"), {}, {}, true});
        return job->finishSuccess();
      }
      return job->finishError(replyError(reply, directory), status);
    }
    const bool isJson = reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(
        QLatin1String(proto::kJsonContentType.data(), qsizetype(proto::kJsonContentType.size())));
    auto body = std::make_shared<QByteArray>(reply->readAll());
    auto result = std::make_shared<DirectoryListing>();
    auto error = std::make_shared<QString>();
    runOnPool(
        [body, result, error, isJson, directory] {
          try {
            const std::string_view text(body->constData(), std::size_t(body->size()));
            *result = isJson ? listingFromJson(directory, proto::parse_json_list(text))
                             : listingFromPlainNames(directory, proto::parse_plain_list(text));
          } catch (const std::exception& e) {
            *error = directory + QStringLiteral(": ") + QString::fromStdString(e.what());
          }
        },
        [job = QPointer<StoreJob>(job), result, error] {
          if (!job || job->isFinished()) return;
          if (!error->isEmpty()) return job->finishError(*error);
          job->setListing(std::move(*result));
          job->finishSuccess();
        });
  });
  return job;
}

StoreJob* RemoteStore::listNamesBelow(const QString& directory) {
  auto* job = new StoreJob(this);
  const QNetworkRequest req = request(proto::list_target(directory.toStdString()));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [job, directory](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    const int status = statusOf(reply);
    if (replyFailed(reply)) {
      // A directory that does not exist yet has nothing below it.
      if (status == 400 || status == 404) return job->finishSuccess();
      return job->finishError(replyError(reply, directory), status);
    }
    const QByteArray body = reply->readAll();
    QStringList names;
    for (const std::string& relative : proto::parse_plain_list(std::string_view(body.constData(), std::size_t(body.size())))) {
      QString rel = QString::fromStdString(relative);
      while (rel.startsWith(QLatin1Char('/'))) rel.remove(0, 1);
      if (!rel.isEmpty()) names << joinName(directory, rel);
    }
    job->setNames(std::move(names));
    job->finishSuccess();
  });
  return job;
}

StoreJob* RemoteStore::listFilesBelow(const QString& directory) {
  auto* job = new StoreJob(this);
  const bool json = info_.has(QString::fromLatin1(proto::kExtJsonList.data(), qsizetype(proto::kExtJsonList.size())));
  QNetworkRequest req = request(proto::list_target(directory.toStdString()));
  if (json) req.setRawHeader(headerName(proto::kAccept), headerName(proto::kJsonContentType));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [this, job, directory](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    const int status = statusOf(reply);
    if (replyFailed(reply)) {
      // A directory that does not exist yet has nothing below it.
      if (status == 400 || status == 404) {
        job->setListing(DirectoryListing{directory, {}, {}, true});
        return job->finishSuccess();
      }
      return job->finishError(replyError(reply, directory), status);
    }
    const bool isJson = reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(
        QLatin1String(proto::kJsonContentType.data(), qsizetype(proto::kJsonContentType.size())));
    auto body = std::make_shared<QByteArray>(reply->readAll());
    auto result = std::make_shared<DirectoryListing>();
    auto error = std::make_shared<QString>();
    // Parsing a listing of a big tree takes a while: on the pool.
    runOnPool(
        [body, result, error, isJson, directory] {
          try {
            const std::string_view text(body->constData(), std::size_t(body->size()));
            result->directory = directory;
            const auto add = [&](std::string relative, RemoteFile file) {
              QString rel = QString::fromStdString(relative);
              while (rel.startsWith(QLatin1Char('/'))) rel.remove(0, 1);
              if (rel.isEmpty()) return;
              file.name = joinName(directory, rel);
              result->files.push_back(std::move(file));
            };
            if (isJson) {
              const proto::Listing listing = proto::parse_json_list(text);
              result->metadataComplete = true;
              result->files.reserve(qsizetype(listing.files.size()));
              for (const auto& entry : listing.files) {
                add(entry.name, RemoteFile{QString(), qint64(entry.version), qint64(entry.size), QString::fromStdString(entry.sha256)});
              }
            } else {
              for (const std::string& name : proto::parse_plain_list(text)) add(name, RemoteFile{});
            }
          } catch (const std::exception& e) {
            *error = directory + QStringLiteral(": ") + QString::fromStdString(e.what());
          }
        },
        [job = QPointer<StoreJob>(job), result, error] {
          if (!job || job->isFinished()) return;
          if (!error->isEmpty()) return job->finishError(*error);
          job->setListing(std::move(*result));
          job->finishSuccess();
        });
  });
  return job;
}

DiskUsageJob* RemoteStore::diskUsage(const QString& directory) {
  auto* job = new DiskUsageJob(this);
  const QNetworkRequest req = request(proto::disk_usage_target(directory.toStdString()));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [this, job, directory](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    const int status = statusOf(reply);
    if (replyFailed(reply)) {
      // A directory that does not exist (yet) has nothing below it.
      if (status == 404) {
        job->setDiskUsage(DiskUsage{FolderUsage{directory, 0, 0}, {}});
        return job->finishSuccess();
      }
      return job->finishError(replyError(reply, directory), status);
    }
    auto body = std::make_shared<QByteArray>(reply->readAll());
    auto result = std::make_shared<DiskUsage>();
    auto error = std::make_shared<QString>();
    runOnPool(
        [body, result, error, directory] {
          // "/a/b/" -> "/a/b", as the browser names folders.
          auto folderOf = [](const proto::FolderUsage& f) {
            QString path = QString::fromStdString(f.path);
            if (path.size() > 1 && path.endsWith(QLatin1Char('/'))) path.chop(1);
            return FolderUsage{path, qint64(f.files), qint64(f.bytes)};
          };
          try {
            const proto::DiskUsage usage =
                proto::parse_disk_usage(std::string_view(body->constData(), std::size_t(body->size())));
            result->total = folderOf(usage.total);
            for (const auto& f : usage.folders) result->folders.push_back(folderOf(f));
          } catch (const std::exception& e) {
            *error = directory + QStringLiteral(": ") + QString::fromStdString(e.what());
          }
        },
        [job = QPointer<DiskUsageJob>(job), result, error] {
          if (!job || job->isFinished()) return;
          if (job->wasCancelled()) return job->finishCancelled();
          if (!error->isEmpty()) return job->finishError(*error);
          job->setDiskUsage(std::move(*result));
          job->finishSuccess();
        });
  });
  return job;
}

FindJob* RemoteStore::find(const QString& directory, const ft::FindQuery& query) {
  auto* job = new FindJob(this);
  try {
    ft::FindFilter check(query, directory.toStdString());  // a bad pattern fails before any request
  } catch (const std::exception& e) {
    const QString reason = QString::fromStdString(e.what());
    QMetaObject::invokeMethod(job, [job, reason] { job->finishError(reason); }, Qt::QueuedConnection);
    return job;
  }
  findPage(job, directory, query, QString());
  return job;
}

void RemoteStore::findPage(FindJob* job, const QString& directory, const ft::FindQuery& query, const QString& after) {
  QNetworkRequest req = request(proto::find_target(directory.toStdString(), query, after.toStdString()));
  req.setRawHeader(headerName(proto::kAccept), headerName(proto::kJsonContentType));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [this, job, directory, query](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    if (replyFailed(reply)) return job->finishError(replyError(reply, directory), statusOf(reply));
    auto body = std::make_shared<QByteArray>(reply->readAll());
    auto found = std::make_shared<QVector<RemoteFile>>();
    auto next = std::make_shared<QString>();
    auto error = std::make_shared<QString>();
    runOnPool(
        [body, found, next, error, directory] {
          try {
            const proto::Listing page = proto::parse_json_list(std::string_view(body->constData(), std::size_t(body->size())));
            found->reserve(qsizetype(page.files.size()));
            for (const auto& e : page.files)
              found->push_back(RemoteFile{joinName(directory, QString::fromStdString(e.name)), qint64(e.version),
                                          qint64(e.size), QString::fromStdString(e.sha256)});
            *next = QString::fromStdString(page.next);
          } catch (const std::exception& e) {
            *error = directory + QStringLiteral(": ") + QString::fromStdString(e.what());
          }
        },
        [this, job = QPointer<FindJob>(job), found, next, error, directory, query] {
          if (!job || job->isFinished()) return;
          if (job->wasCancelled()) return job->finishCancelled();
          if (!error->isEmpty()) return job->finishError(*error);
          if (!found->isEmpty()) job->reportFound(*found);
          if (next->isEmpty()) return job->finishSuccess();
          findPage(job, directory, query, *next);  // cancel() between pages stops here
        });
  });
}

StoreJob* RemoteStore::stat(const QString& name) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  QNetworkRequest req = fileReadRequest(proto::files_target(name.toStdString()));
  req.setRawHeader(headerName(proto::kAcceptEncoding), "gzip");
  send(job, [this, req] { return nam_.head(authorized(req)); }, [job, name](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    if (replyFailed(reply)) return job->finishError(replyError(reply, name), statusOf(reply));
    job->setFile(fileFromHeaders(name, fileHeaders(reply)));
    job->finishSuccess();
  });
  return job;
}

StoreJob* RemoteStore::upload(const UploadRequest& request) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(request.name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto prepared = std::make_shared<PreparedUpload>();
  auto error = std::make_shared<QString>();
  job->setCancelHandler([cancel] { cancel->store(true); });
  QPointer<StoreJob> guard(job);
  const QString tempDir = tempDirectory_;
  runOnPool(
      [this, guard, cancel, prepared, error, request, tempDir] {
        try {
          *prepared = prepareUpload(request.localPath, tempDir, *cancel, [this, guard](qint64 done, qint64 total) {
            QMetaObject::invokeMethod(
                this,
                [guard, done, total] {
                  if (guard) guard->reportProgress(done, total);
                },
                Qt::QueuedConnection);
          });
        } catch (const ft::Error& e) {
          if (e.code() != ErrorCode::Cancelled) *error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
          *error = request.localPath + QStringLiteral(": ") + QString::fromStdString(e.what());
        }
      },
      [this, guard, prepared, error, request] {
        if (!guard || guard->isFinished() || guard->wasCancelled()) {
          if (!prepared->compressedPath.isEmpty()) QFile::remove(prepared->compressedPath);
          if (guard && !guard->isFinished()) guard->finishCancelled();
          return;
        }
        if (!error->isEmpty()) return guard->finishError(*error);
        startPut(guard, request, *prepared);
      });
  return job;
}

void RemoteStore::startPut(StoreJob* job, const UploadRequest& request, const PreparedUpload& prepared) {
  auto* body = new ThrottledUploadBody(prepared.compressedPath, limiter_);
  if (!body->open(QIODevice::ReadOnly)) {
    const QString why = prepared.compressedPath + QStringLiteral(": ") + body->fileError();
    delete body;
    QFile::remove(prepared.compressedPath);
    return job->finishError(why);
  }
  const quint64 generation = credentialsGeneration_;
  const qint64 version = request.version.value_or(QDateTime::currentSecsSinceEpoch());
  QNetworkRequest req = this->request(proto::files_target(request.name.toStdString(), version));
  req.setHeader(QNetworkRequest::ContentLengthHeader, prepared.compressedSize);
  req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
  req.setRawHeader(headerName(proto::kContentEncoding), "gzip");
  req.setRawHeader(headerName(proto::kSha256Checksum), prepared.sha256.toLatin1());
  req.setRawHeader(headerName(proto::kLogicalSize), QByteArray::number(prepared.logicalSize));
  // Qt pulls the body from the file in small chunks as the socket drains
  // (reads of a freshly written file: page cache, microseconds each).
  QNetworkReply* reply = nam_.put(authorized(req), body);
  body->setParent(reply);
  bindReply(job, reply);
  job->reportStage(StoreJob::Stage::Transferring);
  const QString tempPath = prepared.compressedPath;
  const RemoteFile sent{request.name, version, prepared.logicalSize, prepared.sha256};
  auto finish = [this, job, reply, tempPath, sent] {
    reply->deleteLater();
    // Unlinking a big file frees its extents: not on the GUI thread.
    pool_.start([tempPath] { QFile::remove(tempPath); });
    if (job->wasCancelled()) return job->finishCancelled();
    if (replyFailed(reply)) return job->finishError(replyError(reply, sent.name), statusOf(reply));
    RemoteFile stored = sent;
    if (const auto version = fileHeaders(reply).version) stored.version = *version;
    job->setFile(stored);
    job->finishSuccess();
  };
  connect(reply, &QNetworkReply::finished, job, [this, job, reply, generation, request, prepared, finish] {
    // Refused before the body was read (401, or the certificate): the
    // prepared body is kept for the retry.
    if (hold(job, reply, generation, [this, job, reply, request, prepared] {
          reply->deleteLater();
          startPut(job, request, prepared);
        }, finish)) {
      return;
    }
    finish();
  });
}

StoreJob* RemoteStore::download(const DownloadRequest& request) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(request.name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  startDownload(job, request);
  return job;
}

StoreJob* RemoteStore::downloadVersion(const DownloadRequest& request, qint64 version) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(request.name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  startDownload(job, request, version);
  return job;
}

void RemoteStore::startDownload(StoreJob* job, const DownloadRequest& request, std::optional<qint64> version) {
  const quint64 generation = credentialsGeneration_;
  const std::string name = request.name.toStdString();
  QNetworkRequest req =
      fileReadRequest(version ? proto::history_target(name, *version) : proto::files_target(name));
  // Asking explicitly keeps Qt from inflating on its own: we inflate on the
  // I/O thread and check the SHA-256 of what we wrote.
  req.setRawHeader(headerName(proto::kAcceptEncoding), "gzip");
  QNetworkReply* reply = nam_.get(authorized(req));
  // Under a bandwidth limit Qt buffers about half a second ahead, so TCP
  // slows the server down too: the network carries no more than the limit
  // (not only our reading of Qt's buffer).
  reply->setReadBufferSize(limiter_->limited() ? std::clamp<qint64>(limiter_->rate() / 2, 64 << 10, kReadBuffer)
                                               : kReadBuffer);
  bindReply(job, reply);
  job->reportStage(StoreJob::Stage::Transferring);

  auto pump = std::make_shared<DownloadPump>();
  pump->reply = reply;
  pump->job = job;
  pump->request = request;

  // Moves buffered body bytes to the sink while the sink keeps up.
  auto feed = std::make_shared<std::function<void()>>();
  *feed = [this, pump, feedWeak = std::weak_ptr<std::function<void()>>(feed)] {
    if (pump->over || !pump->job) return;
    QNetworkReply* r = pump->reply;
    if (!pump->sink) {
      if (statusOf(r) != 200) return;  // an error body: read at the end
      DownloadSink::Expectation expect;
      expect.name = pump->request.name;
      expect.destination = pump->request.destinationPath;
      expect.headers = fileHeaders(r);
      pump->file = fileFromHeaders(pump->request.name, expect.headers);
      if (pump->request.setVersionAsMtime) expect.mtime = pump->file.version;
      pump->sink = new DownloadSink(expect);
      pump->sink->moveToThread(&ioThread_);
      StoreJob* job = pump->job;
      connect(pump->sink, &DownloadSink::consumed, job, [pump, feedWeak](qint64 bytes) {
        pump->pending -= bytes;
        if (auto f = feedWeak.lock()) (*f)();
      });
      connect(pump->sink, &DownloadSink::done, job,
              [pump](const QString& error, const QString& sha256, qint64 logical) {
                if (pump->over) return;
                pump->over = true;
                pump->sink->deleteLater();
                StoreJob* job = pump->job;
                if (!error.isEmpty()) {
                  pump->reply->abort();
                  pump->reply->deleteLater();
                  return job->finishError(error);
                }
                pump->reply->deleteLater();
                RemoteFile file = pump->file;
                file.sha256 = sha256;
                file.size = logical;
                job->setFile(file);
                job->finishSuccess();
              });
    }
    while (pump->pending < kMaxPending && r->bytesAvailable() > 0 && !pump->throttled) {
      const qint64 want = std::min(kChunk, r->bytesAvailable());
      // Never crumbs: a few bytes each time the I/O thread reports back
      // would turn into a busy ping-pong of tiny writes (and fall behind).
      const qint64 granted = limiter_->take(want, std::min<qint64>(want, kLeastGrant));
      if (granted <= 0) {
        // The queue's bandwidth limit: read on once the bucket has refilled.
        pump->throttled = true;
        QTimer::singleShot(limiter_->millisecondsUntil(std::min<qint64>(want, kLeastGrant)), pump->job,
                           [pump, feedWeak] {
                             pump->throttled = false;
                             if (auto f = feedWeak.lock()) (*f)();
                           });
        break;
      }
      const QByteArray chunk = r->read(granted);
      if (chunk.isEmpty()) break;
      pump->pending += chunk.size();
      QMetaObject::invokeMethod(pump->sink, [sink = pump->sink, chunk] { sink->write(chunk); }, Qt::QueuedConnection);
    }
    if (pump->networkDone && r->bytesAvailable() == 0 && !pump->finishPosted) {
      pump->finishPosted = true;
      QMetaObject::invokeMethod(pump->sink, [sink = pump->sink] { sink->finish(); }, Qt::QueuedConnection);
    }
  };
  connect(reply, &QNetworkReply::readyRead, job, [feed] { (*feed)(); });
  connect(reply, &QNetworkReply::finished, job, [this, pump, feed, generation, version] {
    if (pump->over) return;
    QNetworkReply* r = pump->reply;
    StoreJob* job = pump->job;
    // Refused before any byte of the file (401, or the certificate): no
    // sink was made; wait for the user, then ask again.
    if (!pump->sink && !job->wasCancelled() && replyFailed(r)) {
      const DownloadRequest request = pump->request;
      auto giveUp = [pump, r] {
        pump->over = true;
        r->deleteLater();
        StoreJob* job = pump->job;
        if (!job) return;
        if (job->wasCancelled()) return job->finishCancelled();
        job->finishError(replyError(r, pump->request.name), statusOf(r));
      };
      if (hold(job, r, generation, [this, pump, r, request, version] {
            pump->over = true;
            r->deleteLater();
            if (pump->job) startDownload(pump->job, request, version);
          }, giveUp)) {
        return;
      }
    }
    if (replyFailed(r) || job->wasCancelled()) {
      pump->over = true;
      if (pump->sink) {
        QMetaObject::invokeMethod(pump->sink, [sink = pump->sink] { sink->abort(); }, Qt::QueuedConnection);
        pump->sink->deleteLater();
      }
      r->deleteLater();
      if (job->wasCancelled()) return job->finishCancelled();
      return job->finishError(replyError(r, pump->request.name), statusOf(r));
    }
    pump->networkDone = true;
    (*feed)();  // the rest of the body, then finish (an empty body still makes the file)
  });
  // The feed function must outlive the reply's signals: tie it to the job.
  connect(job, &QObject::destroyed, [feed] { *feed = nullptr; });
}

StoreJob* RemoteStore::history(const QString& name) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  const QNetworkRequest req = request(proto::history_target(name.toStdString()));
  send(job, [this, req] { return nam_.get(authorized(req)); }, [this, job, name](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    if (replyFailed(reply)) return job->finishError(replyError(reply, name), statusOf(reply));
    auto body = std::make_shared<QByteArray>(reply->readAll());
    auto parsed = std::make_shared<QVector<FileVersion>>();
    auto error = std::make_shared<QString>();
    runOnPool(
        [body, parsed, error, name] {
          try {
            for (const auto& v : proto::parse_history(std::string_view(body->constData(), body->size())).versions)
              parsed->push_back(FileVersion{v.version, static_cast<qint64>(v.size), QString::fromStdString(v.sha256),
                                            v.current, v.superseded});
          } catch (const std::exception& e) {
            *error = name + QStringLiteral(": ") + QString::fromUtf8(e.what());
          }
        },
        [job, parsed, error] {
          if (job->wasCancelled()) return job->finishCancelled();
          if (!error->isEmpty()) return job->finishError(*error);
          job->setVersions(std::move(*parsed));
          job->finishSuccess();
        });
  });
  return job;
}

StoreJob* RemoteStore::restore(const QString& name, qint64 version) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  QNetworkRequest req = request(proto::history_target(name.toStdString(), version));
  req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));  // (no body)
  send(job, [this, req] { return nam_.post(authorized(req), QByteArray()); }, [job, name](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    if (replyFailed(reply)) return job->finishError(replyError(reply, name), statusOf(reply));
    RemoteFile restored{name, -1, -1, {}};
    if (const auto now = fileHeaders(reply).version) restored.version = *now;
    job->setFile(restored);
    job->finishSuccess();
  });
  return job;
}

StoreJob* RemoteStore::remove(const QString& name, qint64 version) {
  auto* job = new StoreJob(this);
  if (const QString bad = nameError(name); !bad.isEmpty()) {
    QMetaObject::invokeMethod(job, [job, bad] { job->finishError(bad); }, Qt::QueuedConnection);
    return job;
  }
  const QNetworkRequest req = request(proto::files_target(name.toStdString(), version));
  send(job, [this, req] { return nam_.deleteResource(authorized(req)); }, [job, name, version](QNetworkReply* reply) {
    reply->deleteLater();
    if (job->wasCancelled()) return job->finishCancelled();
    if (replyFailed(reply)) return job->finishError(replyError(reply, name), statusOf(reply));
    job->setFile(RemoteFile{name, version, -1, {}});
    job->finishSuccess();
  });
  return job;
}

StoreJob* RemoteStore::exchange(const QByteArray& verb, const QString& target, const QByteArray& jsonBody) {
  auto* job = new StoreJob(this);
  QNetworkRequest req = request(QUrl(target).toEncoded().toStdString());
  if (!jsonBody.isEmpty()) req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
  send(job, [this, req, verb, jsonBody] { return nam_.sendCustomRequest(authorized(req), verb, jsonBody); },
       [job, target](QNetworkReply* reply) {
         reply->deleteLater();
         if (job->wasCancelled()) return job->finishCancelled();
         const int status = statusOf(reply);
         if (reply->error() != QNetworkReply::NoError || status < 200 || status >= 300)
           return job->finishError(replyError(reply, target), status);
         job->setBody(reply->readAll(), status);
         job->finishSuccess();
       });
  return job;
}

}  // namespace ft::ui
