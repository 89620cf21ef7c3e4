// The admin side of the GUI (issue 20) on the real main window against the
// real filetracker-server: the Server dashboard's charts fed by real
// /metrics while another thread makes requests (points grow, values > 0),
// pause and hiding stop the sampling, CSV/PNG export; a non-admin sees no
// admin tab and a clear line instead of charts; the Users and access tab's
// add/edit/remove round trip (the access file changes, the new token works);
// the Checks tab finds a removed blob; a cache report opened from a file.
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <atomic>
#include <thread>

#include "access_file.hpp"
#include "admin/admin_tabs.hpp"
#include "admin/cache_report_view.hpp"
#include "admin/checks_view.hpp"
#include "admin/users_view.hpp"
#include "dashboard/server_dashboard.hpp"
#include "common/size_format.hpp"
#include "models/cache_table_model.hpp"
#include "i18n/translations.hpp"
#include "raw_http.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/login_dialog.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

namespace {

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// GET requests from another thread until stopped (the traffic the charts show).
class Traffic {
 public:
  explicit Traffic(quint16 port, QByteArray auth = {}) {
    thread_ = std::thread([this, port, auth] {
      RawConnection c(port);
      RawHeaders headers;
      if (!auth.isEmpty()) headers << qMakePair(QByteArray("Authorization"), auth);
      while (!stop_) {
        c.request("GET", "/files/t/a.txt", headers);
        ++sent_;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  ~Traffic() {
    stop_ = true;
    thread_.join();
  }
  int sent() const { return sent_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread thread_;
};

int pointCount(ServerDashboard* d, int series) { return d->series()[series]->count(); }
double maxY(QLineSeries* s) {
  double top = 0;
  for (int i = 0; i < s->count(); ++i) top = std::max(top, s->at(i).y());
  return top;
}

}  // namespace

class TestUiAdmin : public QObject {
  Q_OBJECT

 private:
  test::WindowFixture f_;
  std::unique_ptr<test::TestAccessFile> access_;

  ServerDashboard* dashboard() { return f_.window->adminTabs()->dashboard(); }
  // The tab holding `w` (an admin page sits in a scroll area of its own).
  bool tabVisible(QWidget* w) {
    QTabWidget* tabs = f_.window->tabs();
    while (w && tabs->indexOf(w) < 0) w = w->parentWidget();
    return w && tabs->isTabVisible(tabs->indexOf(w));
  }
  // Brings the tab holding `w` to the front, as a click on its tab does.
  void showTab(QWidget* w) {
    QTabWidget* tabs = f_.window->tabs();
    while (w && tabs->indexOf(w) < 0) w = w->parentWidget();
    QVERIFY(w);
    tabs->setCurrentWidget(w);
  }
  void showDashboard() {
    QAction* show = f_.window->adminTabs()->showDashboard();
    if (!show->isChecked()) show->trigger();
    showTab(dashboard());
  }
  // A server with --auth, the window signed in as `user` through the login prompt.
  bool openSignedIn(const QString& user, const QByteArray& secret, QStringList extra = {}) {
    f_.server = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--auth"), access_->path()} + extra);
    if (!f_.server->start()) return false;
    return signInWindow(user, secret);
  }
  // A new window on the running server, signed in as `user`.
  bool signInWindow(const QString& user, const QByteArray& secret) {
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    f_.window->openProfile(f_.profileFor(f_.server->url()), false);
    if (!QTest::qWaitFor([&] { return f_.window->loginDialog() && f_.window->loginDialog()->isVisible(); }, 10000))
      return false;
    LoginDialog* d = f_.window->loginDialog();
    d->findChild<QLineEdit*>(QStringLiteral("user"))->setText(user);
    d->findChild<QLineEdit*>(QStringLiteral("secret"))->setText(QString::fromUtf8(secret));
    d->findChild<QCheckBox*>(QStringLiteral("remember"))->setChecked(false);
    QTest::keyClick(d, Qt::Key_Return);
    return QTest::qWaitFor([&] { return f_.window->session()->isReady() && f_.window->session()->access() &&
                                        f_.window->session()->access()->name == user; }, 10000);
  }
  bool offersAdmin() const { return f_.window->session()->info().has(QStringLiteral("admin")); }

 private slots:
  void initTestCase() {
    f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-admin")));
    QVERIFY(f_.work->isValid());
    test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
    QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
    access_ = std::make_unique<test::TestAccessFile>();
    QVERIFY(access_->add(QStringLiteral("op"), "op-secret-42", QStringLiteral("admin")));
    QVERIFY(access_->add(QStringLiteral("judge"), "judge-secret", QStringLiteral("read"), {QStringLiteral("/tests/")}));
  }
  void cleanup() {
    f_.window.reset();
    f_.server.reset();
  }

  void dashboardChartsFollowRealMetrics() {
    f_.server = std::make_unique<TestServer>();
    QVERIFY(f_.server->start());
    f_.put("/t/a.txt", std::string(2000, 'a'));
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    ServerDashboard* d = dashboard();
    // Not shown: no sampling.
    QVERIFY(!d->isSampling());
    QCOMPARE(d->history().scrapeCount(), 0);
    showDashboard();
    QVERIFY(d->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(d->isSampling(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(d->healthLabel()->text(), QStringLiteral("healthy (ok)"), 10000);
    // The server row names the program and version the server's /version gives.
    const QString serverRow = d->findChild<QLabel*>(QStringLiteral("dashboardServer"))->text();
    QVERIFY2(serverRow.startsWith(f_.server->url()) && serverRow.contains(QStringLiteral("(filetracker-server ")),
             qPrintable(serverRow));
    {
      Traffic traffic(f_.server->port());
      const int get = 0;  // MetricsHistory::methods(): GET first
      const int bytesOut = int(MetricsHistory::methods().size()) + 1;
      const int p50 = int(MetricsHistory::methods().size()) + 4;
      QTRY_VERIFY_WITH_TIMEOUT(pointCount(d, get) >= 3, 15000);
      QTRY_VERIFY_WITH_TIMEOUT(maxY(d->series()[get]) > 5, 10000);  // hundreds of GET/s, at least a few
      QVERIFY(maxY(d->series()[bytesOut]) > 2000);                  // each answer carries the 2000 bytes
      QVERIFY(d->series()[p50]->count() > 0);
      QVERIFY(d->series()[p50]->at(0).y() > 0);
      QVERIFY(traffic.sent() > 0);
      // The gauges come from the same scrape.
      QCOMPARE(d->findChild<QLabel*>(QStringLiteral("dashboardFiles"))->text(), QStringLiteral("1"));
      QCOMPARE(d->findChild<QLabel*>(QStringLiteral("dashboardUploads"))->text(), QStringLiteral("0"));

      // Pause: no more points while traffic goes on.
      QTest::mouseClick(d->pauseButton(), Qt::LeftButton);
      QVERIFY(d->isPaused());
      QVERIFY(!d->isSampling());
      QTest::qWait(300);  // a scrape on its way may still land
      const int paused = pointCount(d, get);
      const int scrapes = d->history().scrapeCount();
      QTest::qWait(2500);
      QCOMPARE(pointCount(d, get), paused);
      QCOMPARE(d->history().scrapeCount(), scrapes);
      QTest::mouseClick(d->pauseButton(), Qt::LeftButton);
      QTRY_VERIFY_WITH_TIMEOUT(pointCount(d, get) > paused, 5000);
    }

    // CSV of the window: a header, then one line per point, GET/s > 0.
    const QString csv = f_.local(QStringLiteral("metrics.csv"));
    d->setSaveChooser([&](const QString& suggested) {
      return suggested.endsWith(QLatin1String(".csv")) ? csv : f_.local(QStringLiteral("charts.png"));
    });
    QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("dashboardCsv")), Qt::LeftButton);
    const QList<QByteArray> lines = readFile(csv).trimmed().split('\n');
    QVERIFY(lines.size() >= 4);
    QCOMPARE(lines[0], QByteArray("time,GET requests/s,HEAD requests/s,PUT requests/s,DELETE requests/s,"
                                  "other requests/s,bytes in/s,bytes out/s,4xx/s,5xx/s,p50 ms,p99 ms"));
    QCOMPARE(lines.size() - 1, int(d->history().points().size()));
    double topGet = 0;
    for (int i = 1; i < lines.size(); ++i) {
      const QList<QByteArray> cells = lines[i].split(',');
      QCOMPARE(cells.size(), 12);
      QVERIFY(QDateTime::fromString(QString::fromUtf8(cells[0]), Qt::ISODateWithMs).isValid());
      topGet = std::max(topGet, cells[1].toDouble());
    }
    QVERIFY(topGet > 5);
    QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("dashboardPng")), Qt::LeftButton);
    const QImage png(f_.local(QStringLiteral("charts.png")));
    QVERIFY(!png.isNull());
    QVERIFY(png.width() > 300 && png.height() > 200);

    // Another tab: sampling stops.
    f_.window->tabs()->setCurrentIndex(0);
    QVERIFY(!d->isSampling());
    QTest::qWait(300);
    const int scrapes = d->history().scrapeCount();
    QTest::qWait(2000);
    QCOMPARE(d->history().scrapeCount(), scrapes);
    // Without auth the server offers no admin API: no admin tabs.
    QVERIFY(!tabVisible(f_.window->adminTabs()->users()));
    QVERIFY(!tabVisible(f_.window->adminTabs()->checks()));
  }

  // The server goes away: the dashboard says so in one line and comes back
  // with it; the tab stays shown in the next window (remembered).
  void dashboardSaysWhenTheServerIsGoneAndIsRemembered() {
    f_.server = std::make_unique<TestServer>();
    QVERIFY(f_.server->start());
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    showDashboard();
    ServerDashboard* d = dashboard();
    QTRY_VERIFY_WITH_TIMEOUT(d->history().points().size() >= 1, 10000);
    QVERIFY(d->noticeLabel()->text().isEmpty());
    f_.server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(d->noticeLabel()->text().startsWith(QStringLiteral("Cannot read the metrics: /metrics: ")), 10000);
    QVERIFY(!d->noticeLabel()->text().contains(QLatin1Char('\n')));
    QTRY_VERIFY_WITH_TIMEOUT(d->healthLabel()->text().startsWith(QStringLiteral("unhealthy: ")), 10000);
    const quint16 port = f_.server->port();
    QVERIFY(f_.server->restart());
    if (f_.server->port() != port) QSKIP("the server came back on another port");
    QTRY_VERIFY_WITH_TIMEOUT(d->noticeLabel()->text().isEmpty(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(d->healthLabel()->text(), QStringLiteral("healthy (ok)"), 10000);
    // A restarted server's counters start again: a new run, no negative rate.
    const size_t before = d->history().points().size();
    QTRY_VERIFY_WITH_TIMEOUT(d->history().points().size() > before, 10000);
    for (const DashboardPoint& p : d->history().points())
      for (double r : p.requestsPerSecond) QVERIFY(r >= 0);

    f_.window.reset();
    f_.window = std::make_unique<MainWindow>();
    QVERIFY(f_.window->adminTabs()->showDashboard()->isChecked());
    f_.window->adminTabs()->showDashboard()->setChecked(false);  // off again for the other tests (the action is disabled without a server)
    QVERIFY(!f_.window->adminTabs()->showDashboard()->isChecked());
  }

  void readerSeesNoAdminTabsAndNoCharts() {
    QVERIFY(openSignedIn(QStringLiteral("judge"), "judge-secret"));
    QVERIFY(!tabVisible(f_.window->adminTabs()->users()));
    QVERIFY(!tabVisible(f_.window->adminTabs()->checks()));
    showDashboard();
    ServerDashboard* d = dashboard();
    QTRY_VERIFY_WITH_TIMEOUT(d->noticeLabel()->text().contains(QStringLiteral("need an unrestricted admin")), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(d->healthLabel()->text(), QStringLiteral("healthy (ok)"), 10000);
    QTest::qWait(2200);
    QCOMPARE(d->history().scrapeCount(), 0);  // /metrics never asked (no sign-in prompt each second)
    QVERIFY(!f_.window->loginDialog() || !f_.window->loginDialog()->isVisible());
    QVERIFY(!d->pauseButton()->isEnabled());
  }

  void usersAddEditRemoveRoundTrip() {
    QVERIFY(openSignedIn(QStringLiteral("op"), "op-secret-42"));
    if (!offersAdmin()) QSKIP("this server does not offer the admin extension yet (i20-server)");
    UsersView* users = f_.window->adminTabs()->users();
    QTRY_VERIFY(tabVisible(users));
    showTab(users);
    QTRY_COMPARE_WITH_TIMEOUT(users->principals().size(), 2, 10000);
    QCOMPARE(users->you(), QStringLiteral("op"));
    QCOMPARE(users->principals()[0].name, QStringLiteral("judge"));
    QCOMPARE(users->principals()[0].prefixes, QStringList{QStringLiteral("/tests/")});

    // Add: the editor's answer goes to the server, the token is shown once.
    QString token;
    users->setEditor([](const PrincipalEntry&, bool adding) -> std::optional<PrincipalEntry> {
      if (!adding) return PrincipalEntry{QStringLiteral("newbie"), QStringLiteral("read"), {}};
      return PrincipalEntry{QStringLiteral("newbie"), QStringLiteral("write"), {QStringLiteral("/tests/")}};
    });
    users->setSecretPresenter([&](const QString& name, const QString& t) {
      QCOMPARE(name, QStringLiteral("newbie"));
      token = t;
    });
    users->setConfirmer([](const QString&) { return true; });
    QSignalSpy changed(users, &UsersView::changed);
    QTest::mouseClick(users->addButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
    QVERIFY2(changed[0][0].toBool(), qPrintable(changed[0][1].toString()));
    QVERIFY(token.startsWith(QLatin1String("newbie.")));
    QVERIFY(readFile(access_->path()).contains("newbie"));
    QTRY_COMPARE_WITH_TIMEOUT(users->principals().size(), 3, 10000);
    // The new token works at once: a write below /tests/.
    RawConnection c(f_.server->port());
    const RawHeaders bearer{{"Authorization", test::bearerAuth(token.toUtf8())}};
    QCOMPARE(c.request("GET", "/version", bearer).status, 200);
    QVERIFY(c.request("GET", "/version", bearer).body.contains("\"newbie\""));

    // Edit: newbie becomes a reader of every name.
    users->table()->selectRow(1);  // judge, newbie, op
    QCOMPARE(users->table()->item(1, 0)->data(Qt::UserRole).toString(), QStringLiteral("newbie"));
    const QByteArray before = readFile(access_->path());
    QTest::mouseClick(users->editButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 10000);
    QVERIFY2(changed[1][0].toBool(), qPrintable(changed[1][1].toString()));
    QVERIFY(readFile(access_->path()) != before);
    QTRY_COMPARE_WITH_TIMEOUT(users->principals()[1].access, QStringLiteral("read"), 10000);
    QVERIFY(users->principals()[1].prefixes.isEmpty());
    QVERIFY(c.request("GET", "/version", bearer).body.contains("\"read\""));

    // op cannot remove itself: the button says so.
    users->table()->selectRow(2);
    QVERIFY(!users->removeButton()->isEnabled());
    // Remove newbie: gone from the file, its token refused.
    users->table()->selectRow(1);
    QTest::mouseClick(users->removeButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 3, 10000);
    QVERIFY2(changed[2][0].toBool(), qPrintable(changed[2][1].toString()));
    QVERIFY(!readFile(access_->path()).contains("newbie"));
    QTRY_COMPARE_WITH_TIMEOUT(users->principals().size(), 2, 10000);
    QCOMPARE(c.request("GET", "/version", bearer).status, 401);

    // A refusal is one line under the table: an invalid access level.
    users->setEditor([](const PrincipalEntry&, bool) -> std::optional<PrincipalEntry> {
      return PrincipalEntry{QStringLiteral("bad name!"), QStringLiteral("write"), {}};
    });
    QTest::mouseClick(users->addButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 4, 10000);
    QVERIFY(!changed[3][0].toBool());
    QVERIFY(users->statusLabel()->text().contains(QStringLiteral("HTTP 400")));
    QVERIFY(!users->statusLabel()->text().contains(QLatin1Char('\n')));
  }

  void checksFindARemovedBlob() {
    QVERIFY(openSignedIn(QStringLiteral("op"), "op-secret-42", {QStringLiteral("--inline-max-size"), QStringLiteral("0")}));
    if (!offersAdmin()) QSKIP("this server does not offer the admin extension yet (i20-server)");
    f_.put("/c/kept.txt", "kept", QStringLiteral("http://op:op-secret-42@127.0.0.1:%1").arg(f_.server->port()));
    f_.put("/c/lost.txt", "lost", QStringLiteral("http://op:op-secret-42@127.0.0.1:%1").arg(f_.server->port()));
    const QByteArray sha = QCryptographicHash::hash("lost", QCryptographicHash::Sha256).toHex();
    QVERIFY(QFile::remove(f_.server->dataDir() + "/blobs/" + sha.left(2) + "/" + sha));
    ChecksView* checks = f_.window->adminTabs()->checks();
    QTRY_VERIFY(tabVisible(checks));
    showTab(checks);
    QTRY_COMPARE_WITH_TIMEOUT(checks->state(), QStringLiteral("idle"), 10000);
    QTest::mouseClick(checks->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(checks->state(), QStringLiteral("done"), 20000);
    QTableWidget* problems = checks->problemsTable();
    bool found = false;
    for (int r = 0; r < problems->rowCount(); ++r)
      found = found || (problems->item(r, 0)->text() == QLatin1String("missing-blob") &&
                        problems->item(r, 1)->text() == QLatin1String("/c/lost.txt"));
    QVERIFY2(found, qPrintable(checks->summaryLabel()->text()));
    QVERIFY(!checks->summaryLabel()->text().isEmpty());
    // Closed and reopened (another window): the server still has the result.
    f_.window.reset();
    QVERIFY(signInWindow(QStringLiteral("op"), "op-secret-42"));
    checks = f_.window->adminTabs()->checks();
    QTRY_VERIFY(tabVisible(checks));
    showTab(checks);
    QTRY_COMPARE_WITH_TIMEOUT(checks->state(), QStringLiteral("done"), 10000);
    QVERIFY(checks->problemsTable()->rowCount() >= 1);
    QCOMPARE(checks->progressBar()->value(), checks->progressBar()->maximum());
  }

  void cacheReportOpensReadOnly() {
    f_.server = std::make_unique<TestServer>();
    QVERIFY(f_.server->start());
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    const QString report = f_.local(QStringLiteral("judge1.json"));
    {
      QFile out(report);
      QVERIFY(out.open(QIODevice::WriteOnly));
      // As `filetracker cache ls --json` writes it (format_version 1).
      out.write(R"({"format":"filetracker-cache-report","format_version":1,"cache_dir":"/home/judge1/.filetracker-store",
                   "generated":1764755000,
                   "files":[{"name":"/tests/a/1.in","version":1764750000,"versioned_name":"/tests/a/1.in@1764750000",
                             "date":"2025-12-03 08:20:00","size":1024,"accessed":1764754000,"in_use":true},
                            {"name":"/tests/a/1.out","version":1764750001,"size":2048,"accessed":null,"in_use":false}],
                   "totals":{"files":2,"bytes":3072,"in_use":1}})");
    }
    AdminTabs* admin = f_.window->adminTabs();
    QString chosen = report;
    admin->setReportChooser([&] { return chosen; });
    QList<QPointer<CacheReportView>> opened;
    connect(admin, &AdminTabs::reportOpened, this, [&](CacheReportView* v) { opened << v; });
    QSignalSpy message(admin, &AdminTabs::message);
    admin->openCacheReport()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 5000);
    CacheReportView* view = opened[0];
    QVERIFY(view && view->isVisible());
    QCOMPARE(view->view()->model()->rowCount(), 2);
    QVERIFY(view->summaryLabel()->text().contains(QStringLiteral("/home/judge1/.filetracker-store")));
    QVERIFY(view->summaryLabel()->text().contains(QStringLiteral("2 files, ") + humanSize(3072)));
    QVERIFY(view->summaryLabel()->text().contains(QStringLiteral("1 file was in use")));
    // The Last use column: a date for the file that says, empty (not 1970) for the other.
    QVERIFY(!view->view()->isColumnHidden(CacheTableModel::LastUseColumn));
    QAbstractItemModel* rows = view->view()->model();
    QVERIFY(!rows->index(0, CacheTableModel::LastUseColumn).data().toString().isEmpty());  // 1.in (sorted by name)
    QVERIFY(rows->index(1, CacheTableModel::LastUseColumn).data().toString().isEmpty());
    QVERIFY(view->view()->editTriggers() == QAbstractItemView::NoEditTriggers);
    view->filter()->setText(QStringLiteral(".out"));
    QCOMPARE(view->view()->model()->rowCount(), 1);
    view->close();
    // Not a report: one line, no window.
    chosen = f_.local(QStringLiteral("not-a-report.json"));
    {
      QFile out(chosen);
      QVERIFY(out.open(QIODevice::WriteOnly));
      out.write(R"({"files": [{"name": "relative", "version": 1, "size": 1}]})");
    }
    admin->openCacheReport()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(message.size(), 1, 5000);
    QVERIFY(message[0][0].toString().contains(QStringLiteral("entry 1 is not a file")));
    QCOMPARE(opened.size(), 1);
    // A newer format is refused, not misread.
    {
      QFile out(chosen);
      QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
      out.write(R"({"format":"filetracker-cache-report","format_version":2,"files":[]})");
    }
    admin->openCacheReport()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(message.size(), 2, 5000);
    QVERIFY(message[1][0].toString().contains(QStringLiteral("newer filetracker")));
    QCOMPARE(opened.size(), 1);
  }
};

QTEST_MAIN(TestUiAdmin)
#include "test_ui_admin.moc"
