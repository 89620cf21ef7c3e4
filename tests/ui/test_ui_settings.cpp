// Settings: connection profiles in QSettings, the first-run dialog, the
// settings dialog, and the window remembering geometry and column widths.
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QLineEdit>
#include <QStatusBar>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include "i18n/translations.hpp"
#include "fake_http_server.hpp"
#include "process.hpp"
#include "settings/connection_profile.hpp"
#include "settings/server_url.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/first_run_dialog.hpp"
#include "widgets/main_window.hpp"
#include "widgets/settings_dialog.hpp"
#include "widgets/transfers_dock.hpp"

using namespace ft::ui;

namespace {
QPushButton* buttonWithText(QWidget* parent, const QString& text) {
  for (QPushButton* b : parent->findChildren<QPushButton*>()) {
    if (b->text().remove(QLatin1Char('&')) == text) return b;
  }
  return nullptr;
}
}  // namespace

class TestUiSettings : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void profilesRoundTrip();
  void currentProfileFallsBackToLocal();
  void firstRunDialog_data();
  void firstRunDialog();
  void settingsDialogSavesProfiles();
  void windowRemembersLayout();
  void binaryOpensLocalStoreByDefault();
  void serverUrlWithoutScheme_data();
  void serverUrlWithoutScheme();
  void binaryHonoursEnvironment_data();
  void binaryHonoursEnvironment();
  void labelsHaveBuddies();
  void menuMnemonicsAreUnique();
  void polishFitsAt1024x700();

 private:
  QTemporaryDir dir_{test::tempTemplate(QStringLiteral("ft-ui-settings"))};
};

void TestUiSettings::initTestCase() {
  QVERIFY(dir_.isValid());
  test::isolateSettings(dir_.filePath(QStringLiteral("settings")));
  installTranslations(QLocale(QLocale::English));
}

void TestUiSettings::profilesRoundTrip() {
  QSettings settings;
  ProfileSettings profiles(settings);
  const QList<ConnectionProfile> written{
      {QStringLiteral("prod"), QStringLiteral("http://ft.example:9999"), dir_.filePath(QStringLiteral("c1")), 5 << 20,
       QStringLiteral("judge"), QStringLiteral("ab12cd")},
      {QStringLiteral("local"), QString(), dir_.filePath(QStringLiteral("c2")), 7 << 20, QString(), QString()}};
  profiles.setProfiles(written);
  profiles.setCurrentProfileName(QStringLiteral("prod"));
  settings.sync();
  QSettings again;
  ProfileSettings read(again);
  QCOMPARE(read.profiles(), written);
  QCOMPARE(read.currentProfile(), written[0]);
  QVERIFY(!read.currentProfile().isLocal());
  QVERIFY(written[1].isLocal());
}

void TestUiSettings::currentProfileFallsBackToLocal() {
  QSettings settings;
  ProfileSettings profiles(settings);
  profiles.setCurrentProfileName(QStringLiteral("no such profile"));
  const ConnectionProfile p = profiles.currentProfile();
  QVERIFY(p.isLocal());
  QCOMPARE(p.cacheDirectory, defaultCacheDirectory());
}

void TestUiSettings::firstRunDialog_data() {
  QTest::addColumn<QString>("typed");
  QTest::addColumn<bool>("canConnect");
  QTest::addColumn<QString>("url");  // what the profile keeps
  QTest::newRow("server") << "http://127.0.0.1:9999" << true << "http://127.0.0.1:9999";
  QTest::newRow("https") << "https://ft.example/" << true << "https://ft.example";
  QTest::newRow("no scheme: http") << "ft.example:9999" << true << "http://ft.example:9999";
  QTest::newRow("a host name") << "filetracker" << true << "http://filetracker";
  QTest::newRow("ftp") << "ftp://ft.example" << false << "";
  QTest::newRow("no host") << "http://" << false << "";
}

void TestUiSettings::firstRunDialog() {
  QFETCH(QString, typed);
  QFETCH(bool, canConnect);
  QFETCH(QString, url);
  FirstRunDialog dialog;
  dialog.show();
  QPushButton* connectButton = buttonWithText(&dialog, QStringLiteral("Connect to the server"));
  QPushButton* local = buttonWithText(&dialog, QStringLiteral("Use the local store"));
  QVERIFY(connectButton && local);
  QVERIFY(!connectButton->isEnabled());
  QTest::keyClicks(dialog.findChild<QLineEdit*>(), typed);
  QCOMPARE(connectButton->isEnabled(), canConnect);
  if (canConnect) {
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.profile().serverUrl, url);
    QVERIFY(!dialog.profile().isLocal());
  } else {
    QTest::mouseClick(local, Qt::LeftButton);
    QVERIFY(dialog.profile().isLocal());
  }
}

void TestUiSettings::settingsDialogSavesProfiles() {
  {
    QSettings settings;
    ProfileSettings(settings).setProfiles({defaultLocalProfile()});
  }
  SettingsDialog dialog(defaultLocalProfile());
  dialog.show();
  QTest::mouseClick(buttonWithText(&dialog, QStringLiteral("Add")), Qt::LeftButton);
  dialog.findChild<QLineEdit*>(QStringLiteral("profileName"))->setText(QStringLiteral("staging"));
  dialog.findChild<QLineEdit*>(QStringLiteral("serverUrl"))->setText(QStringLiteral("http://staging.example:9999"));
  dialog.findChild<QLineEdit*>(QStringLiteral("cacheDirectory"))->setText(dir_.filePath(QStringLiteral("staging-cache")));
  dialog.findChild<QSpinBox*>(QStringLiteral("cacheLimit"))->setValue(300);
  QTest::mouseClick(buttonWithText(&dialog, QStringLiteral("Connect")), Qt::LeftButton);
  QVERIFY(dialog.hasChosenProfile());
  QCOMPARE(dialog.chosenProfile().serverUrl, QStringLiteral("http://staging.example:9999"));
  QCOMPARE(dialog.chosenProfile().cacheLimit, qint64(300) << 20);
  QSettings settings;
  const auto saved = ProfileSettings(settings).profiles();
  QCOMPARE(saved.size(), 2);
  QCOMPARE(saved[1].name, QStringLiteral("staging"));
  QCOMPARE(saved[1].cacheDirectory, dir_.filePath(QStringLiteral("staging-cache")));
}

void TestUiSettings::windowRemembersLayout() {
  {
    MainWindow window;
    window.show();
    window.resize(900, 640);
    window.fileView()->horizontalHeader()->resizeSection(FileTableModel::SizeColumn, 177);
    window.transfersDock()->concurrencyBox()->setValue(5);
    QVERIFY(window.close());
  }
  MainWindow again;
  again.show();
  QCOMPARE(again.size(), QSize(900, 640));
  QCOMPARE(again.fileView()->horizontalHeader()->sectionSize(FileTableModel::SizeColumn), 177);
  QCOMPARE(again.session()->transfers()->concurrencyLimit(), 5);
}

// The real filetracker-gui with no server configured: it comes up on the
// local store in ~/.filetracker-store (created), and keeps running.
void TestUiSettings::binaryOpensLocalStoreByDefault() {
  const QString bin = qEnvironmentVariable("FILETRACKER_GUI_BIN");
  if (bin.isEmpty()) QSKIP("FILETRACKER_GUI_BIN is not set");
  QTemporaryDir home(test::tempTemplate(QStringLiteral("ft-ui-home")));
  test::Process gui;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("HOME"), home.path());
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral(".config")));
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  gui.setProcessEnvironment(env);
  gui.setProcessChannelMode(QProcess::MergedChannels);
  gui.start(bin, {QStringLiteral("--no-first-run")});
  QVERIFY2(gui.waitForStarted(10000), qPrintable(gui.errorString()));
  QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(home.filePath(QStringLiteral(".filetracker-store/files"))).isDir(), 15000);
  QVERIFY2(gui.state() == QProcess::Running, gui.readAll().constData());
  gui.terminate();
  QVERIFY(gui.waitForFinished(10000));
}

void TestUiSettings::serverUrlWithoutScheme_data() {
  QTest::addColumn<QString>("typed");
  QTest::addColumn<QString>("url");
  QTest::addColumn<QString>("error");
  QTest::newRow("empty: local") << "  " << "" << "";
  QTest::newRow("host:port") << "127.0.0.1:9999" << "http://127.0.0.1:9999" << "";
  QTest::newRow("trailing slash") << "http://h:1/" << "http://h:1" << "";
  QTest::newRow("ftp") << "ftp://h" << "" << "invalid server URL \"ftp://h\": expected http://HOST[:PORT]";
  QTest::newRow("spaces") << "http://a b" << "" << "invalid server URL \"http://a b\": expected http://HOST[:PORT]";
}

void TestUiSettings::serverUrlWithoutScheme() {
  QFETCH(QString, typed);
  QFETCH(QString, url);
  QFETCH(QString, error);
  QString why;
  QCOMPARE(normalizedServerUrl(typed, &why), url);
  QCOMPARE(why, error);
  // The window opening such a profile says exactly that, not Qt's 'Protocol "" is unknown'.
  if (!error.isEmpty()) {
    MainWindow window;
    QSignalSpy failed(window.session(), &ProfileSession::failed);
    ConnectionProfile p;
    p.name = QStringLiteral("bad");
    p.serverUrl = typed;
    p.cacheDirectory = dir_.filePath(QStringLiteral("bad-cache"));
    window.openProfile(p, false);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), error);
    QVERIFY(window.statusText().contains(error));
  }
}

// The real filetracker-gui, first run (nothing saved), with the CLI's
// variables: it uses them, without the first-run dialog hiding them.
void TestUiSettings::binaryHonoursEnvironment_data() {
  QTest::addColumn<bool>("withUrl");
  QTest::addColumn<bool>("withScheme");
  QTest::newRow("FILETRACKER_DIR alone: the local store there") << false << false;
  QTest::newRow("FILETRACKER_URL and FILETRACKER_DIR") << true << true;
  QTest::newRow("FILETRACKER_URL without http://") << true << false;
}

void TestUiSettings::binaryHonoursEnvironment() {
  QFETCH(bool, withUrl);
  QFETCH(bool, withScheme);
  const QString bin = qEnvironmentVariable("FILETRACKER_GUI_BIN");
  if (bin.isEmpty()) QSKIP("FILETRACKER_GUI_BIN is not set");
  QTemporaryDir home(test::tempTemplate(QStringLiteral("ft-ui-home")));
  const QString cacheDir = home.filePath(QStringLiteral("env-cache"));
  // A peer that answers /version and empty listings, and counts the requests.
  FakeHttpServer peer([](const FakeRequest& r) {
    if (r.target.startsWith("/version")) {
      return FakeHttpServer::reply(200, {{"Content-Type", "application/json"}}, R"({"protocol_versions":[2]})");
    }
    return FakeHttpServer::reply(404, {}, "");
  });
  test::Process gui;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("HOME"), home.path());
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral(".config")));
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  env.insert(QStringLiteral("FILETRACKER_DIR"), cacheDir);
  if (withUrl) {
    env.insert(QStringLiteral("FILETRACKER_URL"),
               withScheme ? peer.url() : QStringLiteral("127.0.0.1:%1").arg(peer.port()));
  } else {
    env.remove(QStringLiteral("FILETRACKER_URL"));
  }
  gui.setProcessEnvironment(env);
  gui.setProcessChannelMode(QProcess::MergedChannels);
  gui.start(bin, {});  // a first run: no --no-first-run
  QVERIFY2(gui.waitForStarted(10000), qPrintable(gui.errorString()));
  if (withUrl) {
    QTRY_VERIFY_WITH_TIMEOUT(peer.count("GET", "/version") >= 1, 15000);
  } else {
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(cacheDir + QStringLiteral("/files")).isDir(), 15000);
    QVERIFY(!QFileInfo::exists(home.filePath(QStringLiteral(".filetracker-store"))));
  }
  QVERIFY2(gui.state() == QProcess::Running, gui.readAll().constData());
  gui.terminate();
  QVERIFY(gui.waitForFinished(10000));
}

namespace {

// Plain-text labels with a mnemonic ('&' not doubled) and no buddy show a
// literal '&' or a shortcut that leads nowhere.
QStringList labelsWithoutBuddy(QWidget* root) {
  QStringList bad;
  for (QLabel* label : root->findChildren<QLabel*>()) {
    const QString text = label->text();
    if (Qt::mightBeRichText(text) || label->textFormat() == Qt::RichText) continue;
    if (QString(text).remove(QStringLiteral("&&")).contains(QLatin1Char('&')) && !label->buddy()) bad << text;
  }
  return bad;
}

}  // namespace

void TestUiSettings::labelsHaveBuddies() {
  for (const QLocale& locale : {QLocale(QLocale::English), QLocale(QLocale::Polish)}) {
    installTranslations(locale);
    SettingsDialog settings(defaultLocalProfile());
    QCOMPARE(labelsWithoutBuddy(&settings), QStringList());
    FirstRunDialog first;
    QCOMPARE(labelsWithoutBuddy(&first), QStringList());
    MainWindow window;
    QCOMPARE(labelsWithoutBuddy(&window), QStringList());
  }
  installTranslations(QLocale(QLocale::English));
}

namespace {

// The letter after a single '&' (lower case), or a null char.
QChar mnemonic(const QString& text) {
  for (qsizetype i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != QLatin1Char('&')) continue;
    if (text[i + 1] == QLatin1Char('&')) {
      ++i;
      continue;
    }
    return text[i + 1].toLower();
  }
  return QChar();
}

// "menu: letter used by A, B" for each letter two entries of one menu (or
// the menu bar) share: Alt+letter then picks neither, it only cycles.
QStringList mnemonicClashes(const QString& where, const QList<QAction*>& actions) {
  QMultiMap<QChar, QString> used;
  for (QAction* action : actions) {
    if (action->isSeparator() || action->text().isEmpty()) continue;
    if (const QChar letter = mnemonic(action->text()); !letter.isNull()) used.insert(letter, action->text());
  }
  QStringList clashes;
  for (const QChar letter : used.uniqueKeys())
    if (used.count(letter) > 1)
      clashes << QStringLiteral("%1: '%2' used by %3").arg(where, letter, QStringList(used.values(letter)).join(QStringLiteral(", ")));
  return clashes;
}

}  // namespace

// Every menu's entries, and the menu bar's titles, have letters of their own,
// in English and in Polish.
void TestUiSettings::menuMnemonicsAreUnique() {
  for (const QLocale& locale : {QLocale(QLocale::English), QLocale(QLocale::Polish)}) {
    installTranslations(locale);
    MainWindow window;
    QStringList clashes = mnemonicClashes(QStringLiteral("menu bar"), window.menuBar()->actions());
    int menus = 0;
    for (QAction* title : window.menuBar()->actions()) {
      if (!title->menu()) continue;
      ++menus;
      clashes << mnemonicClashes(title->text(), title->menu()->actions());
    }
    QVERIFY(menus >= 4);
    QVERIFY2(clashes.isEmpty(), qPrintable(locale.name() + QStringLiteral(": ") + clashes.join(QStringLiteral("; "))));
  }
  installTranslations(QLocale(QLocale::English));
}

// In Polish (the longer texts) at 1024x700 the window keeps that size, and
// every status-bar field shows its whole text; the Settings dialog fits.
void TestUiSettings::polishFitsAt1024x700() {
  QCOMPARE(installTranslations(QLocale(QLocale::Polish)), QStringLiteral("pl"));
  {
    MainWindow window;
    ConnectionProfile p;
    p.name = QStringLiteral("local");
    p.cacheDirectory = dir_.filePath(QStringLiteral("fits-store"));
    window.openProfile(p, false);
    QTRY_VERIFY(window.session()->isReady());
    window.resize(1024, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), QSize(1024, 700));
    QVERIFY(window.minimumSizeHint().width() <= 1024);
    int fields = 0;
    for (QLabel* label : window.statusBar()->findChildren<QLabel*>()) {
      if (!label->isVisible() || label->sizePolicy().horizontalPolicy() == QSizePolicy::Ignored) continue;
      ++fields;
      QVERIFY2(label->width() >= label->sizeHint().width(), qPrintable(label->text()));
    }
    QVERIFY(fields >= 1);
    SettingsDialog settings(p, &window);
    settings.show();
    QVERIFY(QTest::qWaitForWindowExposed(&settings));
    QVERIFY(settings.width() <= 1024 && settings.height() <= 700);
    QVERIFY(settings.width() >= settings.minimumSizeHint().width());
  }
  installTranslations(QLocale(QLocale::English));
}

QTEST_MAIN(TestUiSettings)
#include "test_ui_settings.moc"
