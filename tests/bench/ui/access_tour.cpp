// The screenshots of issue 12, from the real window on a real server with
// --auth and a self-signed certificate: the certificate prompt, the sign-in
// prompt after a wrong secret (with the server's reason), the window of a
// read-only principal, and the prompt for a changed certificate. In the UI
// language of the locale (LANG). Run under Xvfb with a window manager:
//
//   Xvfb :99 -screen 0 1024x768x24 &   DISPLAY=:99 openbox &
//   DISPLAY=:99 LANG=pl_PL.UTF-8 access_tour --out installer/screenshots
//
// Its filetracker-server (FT_DEFAULT_SERVER_BIN, or FILETRACKER_SERVER_BIN)
// is stopped when the tour ends, whatever the way (TestServer).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

#include "access_file.hpp"
#include "event_loop_wait.hpp"
#include "filetracker/remote_data_store.hpp"
#include "i18n/translations.hpp"
#include "test_server.hpp"
#include "tour.hpp"
#include "tls_certificate.hpp"
#include "widgets/certificate_dialog.hpp"
#include "widgets/login_dialog.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/main_window.hpp"

using namespace ft::ui;
using test::pause;
using test::waitFor;

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

namespace {

QString shots;

void shoot(const QString& name) { tour::shoot(shots, name); }

void signIn(MainWindow& window, const QString& user, const QString& secret) {
  LoginDialog* d = window.loginDialog();
  auto* u = d->findChild<QLineEdit*>(QStringLiteral("user"));
  u->setText(user);
  d->findChild<QLineEdit*>(QStringLiteral("secret"))->setText(secret);
  d->accept();
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  tour::setUp(QStringLiteral("access-tour"));
  QCommandLineParser parser;
  parser.addHelpOption();
  const QCommandLineOption out = tour::outOption();
  parser.addOption(out);
  parser.process(app);
  shots = tour::screenshotDir(parser.value(out));
  tour::useBuiltServer(FT_DEFAULT_SERVER_BIN);
  QTemporaryDir scratch;
  test::TestAccessFile access;
  if (!access.add(QStringLiteral("op"), "op-secret", QStringLiteral("admin")) ||
      !access.add(QStringLiteral("judge"), "judge-secret", QStringLiteral("read"), {QStringLiteral("/zadania/")}))
    return 1;
  test::TestCertificate cert(1, QStringLiteral("127.0.0.1"));
  TestServer server(QString(), {QStringLiteral("--auth"), access.path(), QStringLiteral("--tls-cert"), cert.certFile(),
                                QStringLiteral("--tls-key"), cert.keyFile()});
  if (!server.start()) return 1;
  {
    // Files put through plain curl over TLS would need the CA: the tour's
    // own GUI session is what shows them, so one file via the CLI library
    // with the CA is enough.
    qputenv("FILETRACKER_CACERT", cert.certFile().toUtf8());
    const QString url = QStringLiteral("https://op:op-secret@127.0.0.1:%1").arg(server.port());
    for (const char* name : {"/zadania/abc/testy/1a.in", "/zadania/abc/testy/1a.out", "/zadania/abc/treść.pdf"}) {
      std::istringstream in(std::string(4000, 'x'));
      ft::make_remote_data_store(url.toStdString())->add_stream(name, in);
    }
  }
  ConnectionProfile profile;
  profile.name = QStringLiteral("tour");
  profile.serverUrl = server.url();
  profile.cacheDirectory = scratch.filePath(QStringLiteral("cache"));
  {
    QSettings settings;
    ProfileSettings(settings).setProfiles({profile});
  }
  auto window = std::make_unique<MainWindow>();
  window->resize(1024, 700);
  window->move(0, 0);
  window->show();
  window->openProfile(profile, true);
  if (!waitFor([&] { return window->certificateDialog() && window->certificateDialog()->isVisible(); }, 10000)) return 1;
  shoot(QStringLiteral("issue12-1-certificate-prompt"));
  window->certificateDialog()->alwaysButton()->click();

  if (!waitFor([&] { return window->loginDialog() && window->loginDialog()->isVisible(); }, 10000)) {
    std::fprintf(stderr, "no sign-in prompt: %s\n", qPrintable(window->statusText()));
    return 1;
  }
  signIn(*window, QStringLiteral("judge"), QStringLiteral("wrong"));
  pause(300);
  if (!waitFor([&] { return window->loginDialog() && window->loginDialog()->isVisible(); }, 10000)) {
    std::fprintf(stderr, "no second sign-in prompt: %s\n", qPrintable(window->statusText()));
    return 1;
  }
  shoot(QStringLiteral("issue12-2-login-prompt-after-wrong-secret"));
  pause(1500);  // the server refuses any guess from this address for 250 ms after a wrong one
  signIn(*window, QStringLiteral("judge"), QStringLiteral("judge-secret"));
  (void)waitFor([&] { return window->session()->access() && window->session()->access()->name == QLatin1String("judge"); }, 10000);
  window->browser()->navigate(QStringLiteral("/zadania/abc"));
  (void)waitFor([&] { return !window->browser()->isLoading() && window->browser()->fileModel()->directory() == QLatin1String("/zadania/abc"); }, 10000);
  pause(300);
  shoot(QStringLiteral("issue12-3-read-only-principal"));

  // The server's certificate replaced: the pinned one no longer matches.
  test::TestCertificate other(2, QStringLiteral("127.0.0.1"));
  if (!other.writeTo(cert.certFile(), cert.keyFile()) || !server.restart()) return 1;
  QSettings settings;
  ConnectionProfile saved = ProfileSettings(settings).profiles().value(0);
  saved.serverUrl = server.url();
  window = std::make_unique<MainWindow>();
  window->resize(1024, 700);
  window->move(0, 0);
  window->show();
  window->openProfile(saved, false);
  if (!waitFor([&] { return window->certificateDialog() && window->certificateDialog()->isVisible(); }, 10000)) return 1;
  shoot(QStringLiteral("issue12-4-certificate-changed"));
  window->certificateDialog()->cancelButton()->click();
  pause(300);
  return 0;
}
