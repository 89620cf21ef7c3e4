// Issue 12 in the GUI, on the real widgets (offscreen) against the real
// filetracker-server with --auth and with TLS (a certificate made here), and
// a real Secret Service: a private D-Bus session bus and gnome-keyring-daemon
// started by this suite (and stopped, also on failure).
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTest>

#include "access_file.hpp"
#include "i18n/translations.hpp"
#include "settings/connection_profile.hpp"
#include "settings/secret_store.hpp"
#include "settings_isolation.hpp"
#include "store/remote_store.hpp"
#include "temp_dirs.hpp"
#include "tls_certificate.hpp"
#include "widgets/certificate_dialog.hpp"
#include "widgets/login_dialog.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/drop_views.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

namespace {

// A session bus and a Secret Service of our own: the user's keyring is
// never touched, and the keyring files live in the suite's temp dir.
class PrivateKeyring {
 public:
  bool start(const QString& home) {
    qputenv("XDG_DATA_HOME", (home + QStringLiteral("/data")).toUtf8());
    qputenv("XDG_RUNTIME_DIR", (home + QStringLiteral("/run")).toUtf8());
    QDir().mkpath(home + QStringLiteral("/data"));
    QDir().mkpath(home + QStringLiteral("/run"));
    QFile(home + QStringLiteral("/run")).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    bus_.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    if (!bus_.waitForStarted(5000)) return false;
    if (!QTest::qWaitFor([&] { return bus_.canReadLine(); }, 5000)) return false;
    const QByteArray address = bus_.readLine().trimmed();
    if (address.isEmpty()) return false;
    qputenv("DBUS_SESSION_BUS_ADDRESS", address);
    keyring_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Once in a while (seen in a CI run) the daemon never creates its login
    // collection from the password; a fresh daemon does: up to three.
    for (int daemon = 0; daemon < 3; ++daemon) {
      if (daemon > 0) {
        keyring_.kill();
        keyring_.waitForFinished(3000);
      }
      keyring_.start(QStringLiteral("gnome-keyring-daemon"),
                     {QStringLiteral("--foreground"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
      if (!keyring_.waitForStarted(5000)) return false;
      keyring_.write("test-keyring-password\n");
      keyring_.closeWriteChannel();
      // Ready when a secret can be written and read back.
      SecretStore store;
      for (int attempt = 0; attempt < 50; ++attempt) {
        bool over = false;
        SecretStore::Outcome outcome = SecretStore::Outcome::Unavailable;
        store.write(QStringLiteral("probe"), QStringLiteral("x"), [&](SecretStore::Outcome o, const QString&, const QString& e) {
          outcome = o;
          lastError = e;
          over = true;
        });
        (void)QTest::qWaitFor([&] { return over; }, 5000);
        if (outcome == SecretStore::Outcome::Done) return true;
        QTest::qWait(100);
      }
    }
    return false;
  }
  ~PrivateKeyring() {
    for (QProcess* p : {&keyring_, &bus_}) {
      if (p->state() == QProcess::NotRunning) continue;
      p->terminate();
      if (!p->waitForFinished(3000)) {
        p->kill();
        p->waitForFinished(3000);
      }
    }
  }
  QString lastError;

 private:
  QProcess bus_;
  QProcess keyring_;
};

// The keyring's answer for `key` (the secret, or empty).
QString keyringRead(const QString& key, SecretStore::Outcome* outcome = nullptr) {
  SecretStore store;
  bool over = false;
  QString got;
  store.read(key, [&](SecretStore::Outcome o, const QString& secret, const QString&) {
    if (outcome) *outcome = o;
    got = secret;
    over = true;
  });
  (void)QTest::qWaitFor([&] { return over; }, 5000);
  return got;
}

}  // namespace

class TestUiAuth : public QObject {
  Q_OBJECT
  test::WindowFixture f_;
  std::unique_ptr<PrivateKeyring> keyring_;
  std::unique_ptr<test::TestAccessFile> access_;
  QString settingsDir_;

  // Saves `p` as the only, current profile (as the settings dialog does).
  void saveProfile(const ConnectionProfile& p) {
    QSettings settings;
    ProfileSettings profiles(settings);
    profiles.setProfiles({p});
    profiles.setCurrentProfileName(p.name);
  }
  ConnectionProfile storedProfile() {
    QSettings settings;
    const auto all = ProfileSettings(settings).profiles();
    return all.isEmpty() ? ConnectionProfile() : all.first();
  }
  QByteArray settingsFileBytes() {
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
  }
  bool waitForLogin() { return QTest::qWaitFor([&] { return f_.window->loginDialog() && f_.window->loginDialog()->isVisible(); }, 10000); }
  bool waitForCertificate() {
    return QTest::qWaitFor([&] { return f_.window->certificateDialog() && f_.window->certificateDialog()->isVisible(); }, 10000);
  }
  // Types into the shown login prompt and presses Sign in (or Cancel).
  void answerLogin(const QString& user, const QString& secret, bool remember, bool cancel = false) {
    LoginDialog* d = f_.window->loginDialog();
    QVERIFY(d);
    auto* userEdit = d->findChild<QLineEdit*>(QStringLiteral("user"));
    auto* secretEdit = d->findChild<QLineEdit*>(QStringLiteral("secret"));
    userEdit->clear();
    QTest::keyClicks(userEdit, user);
    secretEdit->clear();
    QTest::keyClicks(secretEdit, secret);
    auto* rememberBox = d->findChild<QCheckBox*>(QStringLiteral("remember"));
    if (rememberBox->isChecked() != remember) QTest::mouseClick(rememberBox, Qt::LeftButton, {}, QPoint(5, rememberBox->height() / 2));
    QCOMPARE(rememberBox->isChecked(), remember);
    QTest::keyClick(d, cancel ? Qt::Key_Escape : Qt::Key_Return);
  }
  bool listed(const QString& name) {
    return QTest::qWaitFor([&] { return f_.window->session()->isReady() && f_.rowNames().contains(name); }, 10000);
  }
  void newWindow() {
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
  }

 private slots:
  void initTestCase() {
    f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-auth")));
    QVERIFY(f_.work->isValid());
    settingsDir_ = f_.work->filePath(QStringLiteral("settings"));
    test::isolateSettings(settingsDir_);
    QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
    keyring_ = std::make_unique<PrivateKeyring>();
    QVERIFY2(keyring_->start(f_.work->filePath(QStringLiteral("keyring"))),
             qPrintable(QStringLiteral("a private Secret Service must start: ") + keyring_->lastError));
    access_ = std::make_unique<test::TestAccessFile>();
    QVERIFY(access_->add(QStringLiteral("op"), "op-secret-42", QStringLiteral("admin")));
    QVERIFY(access_->add(QStringLiteral("judge"), "judge-secret", QStringLiteral("read"), {QStringLiteral("/tests/")}));
  }
  void init() { QSettings().clear(); }
  void cleanup() {
    if (f_.window) f_.window->session()->transfers()->cancelAll();
    f_.window.reset();
    f_.server.reset();
  }
  void cleanupTestCase() { keyring_.reset(); }

  // 401 -> prompt -> retried with the credentials; "Remember" puts the
  // secret in the keyring, never in the settings file; reopened, no prompt.
  void signInRetriesAndRemembers() {
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--auth"), access_->path()});
    QVERIFY(f_.server->start());
    f_.put("/tests/a.in", "hello", QStringLiteral("http://op:op-secret-42@127.0.0.1:%1").arg(f_.server->port()));
    ConnectionProfile p = f_.profileFor(f_.server->url());
    saveProfile(p);
    newWindow();
    f_.window->openProfile(p, false);
    QVERIFY2(waitForLogin(), "the 401 of the listing must prompt");
    answerLogin(QStringLiteral("op"), QStringLiteral("op-secret-42"), true);
    QVERIFY2(listed(QStringLiteral("/tests")), "the listing is retried with the credentials");
    QVERIFY(!f_.window->loginDialog());
    QVERIFY(QTest::qWaitFor([&] { return f_.window->statusText().contains(QStringLiteral("Signed in as op")); }, 5000));
    // The keyring holds the secret; the settings hold the user name only.
    const QString key = SecretStore::keyFor(f_.window->session()->store()->location(), QStringLiteral("op"));
    QTRY_COMPARE_WITH_TIMEOUT(keyringRead(key), QStringLiteral("op-secret-42"), 5000);
    QCOMPARE(storedProfile().userName, QStringLiteral("op"));
    const QByteArray onDisk = settingsFileBytes();
    QVERIFY(!onDisk.isEmpty());
    QVERIFY2(!onDisk.contains("op-secret-42"), onDisk.constData());
    QVERIFY(!onDisk.contains(QByteArray("op-secret-42").toBase64()));
    // Reopened from the settings: the secret comes from the keyring, no prompt.
    newWindow();
    f_.window->openProfile(storedProfile(), false);
    QVERIFY(listed(QStringLiteral("/tests")));
    QVERIFY(!f_.window->loginDialog());
  }

  // A wrong secret prompts again with the server's reason; then the right one works.
  void wrongSecretPromptsAgain() {
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--auth"), access_->path()});
    QVERIFY(f_.server->start());
    f_.put("/x.txt", "x", QStringLiteral("http://op:op-secret-42@127.0.0.1:%1").arg(f_.server->port()));
    newWindow();
    f_.window->openProfile(f_.profileFor(f_.server->url()), false);
    QVERIFY(waitForLogin());
    answerLogin(QStringLiteral("op"), QStringLiteral("wrong"), false);
    QVERIFY(QTest::qWaitFor([&] {
      LoginDialog* d = f_.window->loginDialog();
      return d && d->isVisible() && d->findChild<QLabel*>(QStringLiteral("reason"))->isVisible();
    }, 10000));
    const QString reason = f_.window->loginDialog()->findChild<QLabel*>(QStringLiteral("reason"))->text();
    QVERIFY2(reason.startsWith(QStringLiteral("The server refused: ")) && reason.size() > 22, qPrintable(reason));
    answerLogin(QStringLiteral("op"), QStringLiteral("op-secret-42"), false);
    QVERIFY(listed(QStringLiteral("/x.txt")));
    // Not remembered: this server's address has nothing in the keyring.
    SecretStore::Outcome outcome = SecretStore::Outcome::Found;
    keyringRead(SecretStore::keyFor(f_.window->session()->store()->location(), QStringLiteral("op")), &outcome);
    QVERIFY(outcome == SecretStore::Outcome::NotFound);
  }

  // Cancel: a clear "not signed in" state, nothing listed, no second prompt.
  void cancelLeavesNotSignedIn() {
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--auth"), access_->path()});
    QVERIFY(f_.server->start());
    newWindow();
    f_.window->openProfile(f_.profileFor(f_.server->url()), false);
    QVERIFY(waitForLogin());
    answerLogin(QStringLiteral("op"), QString(), false, true);
    QVERIFY(QTest::qWaitFor([&] { return f_.window->statusText().contains(QStringLiteral("Not signed in")); }, 10000));
    // The listing fails with the server's reason, shown beside the address.
    QVERIFY(QTest::qWaitFor([&] { return !f_.window->browser()->isLoading(); }, 10000));
    QVERIFY(f_.rowNames().isEmpty());
    QVERIFY2(f_.window->statusText().contains(QStringLiteral(" — ")), qPrintable(f_.window->statusText()));
    // No prompt per request; Refresh asks again, and then it works.
    QTest::qWait(300);
    QVERIFY2(!f_.window->loginDialog(), "a declined sign-in does not prompt again by itself");
    f_.window->refresh();
    QVERIFY(waitForLogin());
    answerLogin(QStringLiteral("op"), QStringLiteral("op-secret-42"), false);
    QVERIFY(QTest::qWaitFor([&] { return f_.window->statusText().contains(QStringLiteral("Signed in as op")); }, 10000));
    QVERIFY(f_.goTo(QStringLiteral("/")));
  }

  // A read-only principal: upload, delete and drops are off, the tooltip says why.
  void readOnlyDisablesWrites() {
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--auth"), access_->path()});
    QVERIFY(f_.server->start());
    f_.put("/tests/a.in", "hello", QStringLiteral("http://op:op-secret-42@127.0.0.1:%1").arg(f_.server->port()));
    newWindow();
    f_.window->openProfile(f_.profileFor(f_.server->url()), false);
    QVERIFY(waitForLogin());
    answerLogin(QStringLiteral("judge"), QStringLiteral("judge-secret"), false);
    QVERIFY(listed(QStringLiteral("/tests")));
    QVERIFY(QTest::qWaitFor([&] { return f_.window->session()->access() && f_.window->session()->access()->name == QStringLiteral("judge"); }, 5000));
    QVERIFY(f_.goTo(QStringLiteral("/tests")));
    QVERIFY(f_.select({QStringLiteral("/tests/a.in")}));
    MainActions* a = f_.window->actions();
    QVERIFY(!a->uploadFiles->isEnabled());
    QVERIFY(!a->uploadFolder->isEnabled());
    QVERIFY(!a->deleteFiles->isEnabled());
    QVERIFY(a->download->isEnabled());
    QVERIFY2(a->uploadFiles->toolTip().contains(QStringLiteral("read only")), qPrintable(a->uploadFiles->toolTip()));
    QVERIFY2(a->deleteFiles->toolTip().contains(QStringLiteral("read only")), qPrintable(a->deleteFiles->toolTip()));
    QVERIFY(!f_.window->fileView()->acceptDrops());
    QVERIFY(!f_.window->treeView()->acceptDrops());
    QVERIFY(f_.window->statusText().contains(QStringLiteral("Signed in as judge (read only, within /tests/)")));
  }

  // ---- https with a self-signed certificate ---------------------------------

  void certificateAcceptOnce() {
    test::TestCertificate cert;
    QVERIFY(cert.valid());
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--tls-cert"), cert.certFile(), QStringLiteral("--tls-key"), cert.keyFile()});
    QVERIFY(f_.server->start());
    QVERIFY(f_.server->url().startsWith(QStringLiteral("https://")));
    ConnectionProfile p = f_.profileFor(f_.server->url());
    saveProfile(p);
    newWindow();
    f_.window->openProfile(p, false);
    QVERIFY(waitForCertificate());
    CertificateDialog* d = f_.window->certificateDialog();
    const QString shown = d->findChild<QLabel*>(QStringLiteral("fingerprint"))->text().replace(QLatin1Char('\n'), QLatin1Char(':'));
    const QSslCertificate real = QSslCertificate(cert.certPem());
    QCOMPARE(shown, CertificateDialog::formatFingerprint(RemoteStore::fingerprintOf(real)));
    QVERIFY(!d->findChild<QLabel*>(QStringLiteral("changedWarning")));
    QTest::mouseClick(d->acceptOnceButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return f_.window->session()->isReady(); }, 10000));
    QVERIFY(f_.waitForDirectory(QStringLiteral("/")));
    QVERIFY(storedProfile().pinnedCertificate.isEmpty());
    // Once: a new window asks again.
    newWindow();
    f_.window->openProfile(storedProfile(), false);
    QVERIFY(waitForCertificate());
  }

  void certificateAlwaysPinsIt() {
    test::TestCertificate cert;
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--tls-cert"), cert.certFile(), QStringLiteral("--tls-key"), cert.keyFile()});
    QVERIFY(f_.server->start());
    ConnectionProfile p = f_.profileFor(f_.server->url());
    saveProfile(p);
    newWindow();
    f_.window->openProfile(p, false);
    QVERIFY(waitForCertificate());
    QTest::mouseClick(f_.window->certificateDialog()->alwaysButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return f_.window->session()->isReady(); }, 10000));
    QCOMPARE(storedProfile().pinnedCertificate.toLatin1(), RemoteStore::fingerprintOf(QSslCertificate(cert.certPem())));
    // Reopened: no prompt.
    newWindow();
    f_.window->openProfile(storedProfile(), false);
    QVERIFY(QTest::qWaitFor([&] { return f_.window->session()->isReady(); }, 10000));
    QVERIFY(f_.waitForDirectory(QStringLiteral("/")));
    QVERIFY(!f_.window->certificateDialog());
    // Another certificate on the same server: asked again, with the warning.
    test::TestCertificate other(2);
    QVERIFY(other.writeTo(cert.certFile(), cert.keyFile()));
    QVERIFY(f_.server->restart());
    ConnectionProfile again = storedProfile();
    again.serverUrl = f_.server->url();
    saveProfile(again);
    newWindow();
    f_.window->openProfile(again, false);
    QVERIFY(waitForCertificate());
    QVERIFY(f_.window->certificateDialog()->findChild<QLabel*>(QStringLiteral("changedWarning")));
    // Cancel: not connected, nothing trusted, the pin unchanged.
    QTest::mouseClick(f_.window->certificateDialog()->cancelButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return f_.window->statusText().contains(QStringLiteral("Not connected")) ||
                                         f_.window->statusText().contains(QStringLiteral("SSL")) ||
                                         f_.window->statusText().contains(QStringLiteral("certificate")); }, 10000));
    QVERIFY(!f_.window->session()->isReady());
    QCOMPARE(storedProfile().pinnedCertificate.toLatin1(), RemoteStore::fingerprintOf(QSslCertificate(cert.certPem())));
  }
};

QTEST_MAIN(TestUiAuth)
#include "test_ui_auth.moc"
