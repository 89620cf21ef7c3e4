// The secrets of connection profiles, in the desktop keyring (the Secret
// Service, KWallet, ... through QtKeychain); never in QSettings and never in
// a plaintext fallback. Every call is an asynchronous keychain job: the
// answer comes to a callback on the caller's thread, the event loop never
// waits.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace ft::ui {

class SecretStore : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

  enum class Outcome {
    Found,        // read: the secret is there
    Done,         // write / remove: done
    NotFound,     // read: the keyring works, it holds no such secret
    Unavailable,  // no keyring (or it refused): `error` says why
  };
  using Callback = std::function<void(Outcome outcome, const QString& secret, const QString& error)>;

  // The keyring entry of `user` at the profile's server (its normalized
  // URL): a secret belongs to an account on a server, not to a profile name.
  static QString keyFor(const QString& serverUrl, const QString& user);

  void read(const QString& key, Callback done);
  void write(const QString& key, const QString& secret, Callback done);
  void remove(const QString& key, Callback done);

  // The service name the entries are filed under.
  static QString service();
};

}  // namespace ft::ui
