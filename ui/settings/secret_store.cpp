#include "settings/secret_store.hpp"

#include <QPointer>

#include <qt6keychain/keychain.h>

namespace ft::ui {

namespace {

// Runs `job` and hands its outcome to `done` (on this thread, later).
void run(QObject* context, QKeychain::Job* job, bool isRead, SecretStore::Callback done) {
  job->setAutoDelete(true);
  // QtKeychain can keep secrets in a QSettings file when no keyring is
  // there: a secret on disk in the clear. Never.
  job->setInsecureFallback(false);
  QObject::connect(job, &QKeychain::Job::finished, context, [isRead, done = std::move(done)](QKeychain::Job* j) {
    switch (j->error()) {
      case QKeychain::NoError:
        if (isRead) {
          done(SecretStore::Outcome::Found, static_cast<QKeychain::ReadPasswordJob*>(j)->textData(), QString());
        } else {
          done(SecretStore::Outcome::Done, QString(), QString());
        }
        return;
      case QKeychain::EntryNotFound:
        // Removing what is not there is done, too.
        done(isRead ? SecretStore::Outcome::NotFound : SecretStore::Outcome::Done, QString(), QString());
        return;
      default:
        done(SecretStore::Outcome::Unavailable, QString(), j->errorString());
        return;
    }
  });
  job->start();
}

}  // namespace

QString SecretStore::service() { return QStringLiteral("Filetracker"); }

QString SecretStore::keyFor(const QString& serverUrl, const QString& user) {
  return user + QLatin1Char('@') + serverUrl;
}

void SecretStore::read(const QString& key, Callback done) {
  auto* job = new QKeychain::ReadPasswordJob(service(), this);
  job->setKey(key);
  run(this, job, true, std::move(done));
}

void SecretStore::write(const QString& key, const QString& secret, Callback done) {
  auto* job = new QKeychain::WritePasswordJob(service(), this);
  job->setKey(key);
  job->setTextData(secret);
  run(this, job, false, std::move(done));
}

void SecretStore::remove(const QString& key, Callback done) {
  auto* job = new QKeychain::DeletePasswordJob(service(), this);
  job->setKey(key);
  run(this, job, false, std::move(done));
}

}  // namespace ft::ui
