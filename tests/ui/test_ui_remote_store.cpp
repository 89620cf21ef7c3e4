// The asynchronous QNAM store against the real filetracker-server: every
// operation, errors carrying the server's reason, cancel half-way, checksum
// verification, and the plain version-2 fallback (server without extensions).
#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>
#include <QTimer>

#include <sstream>

#include "content.hpp"
#include "files.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/remote_data_store.hpp"
#include "store/remote_store.hpp"
#include "temp_dirs.hpp"
#include "holding_proxy.hpp"
#include "test_server.hpp"

using namespace ft::ui;

namespace {

// Runs a job to its end (the job deletes itself afterwards: copy results here).
struct Outcome {
  bool ok = false;
  bool cancelled = false;
  QString error;
  RemoteFile file;
  DirectoryListing listing;
  QStringList names;
  StoreInfo info;
};

Outcome await(StoreJob* job, int timeoutMs = 60000) {
  Outcome out;
  bool done = false;
  QObject::connect(job, &StoreJob::finished, [&] {
    done = true;
    out.ok = job->succeeded();
    out.cancelled = job->wasCancelled();
    out.error = job->errorString();
    out.file = job->file();
    out.listing = job->listing();
    out.names = job->names();
    out.info = job->storeInfo();
  });
  if (!QTest::qWaitFor([&] { return done; }, timeoutMs)) out.error = QStringLiteral("timed out");
  return out;
}

// Cancels `job` from the event loop once await() listens: an abort of a
// reply in flight finishes the job at once, inside cancel().
Outcome cancelAndAwait(StoreJob* job) {
  QTimer::singleShot(0, job, [job] { job->cancel(); });
  return await(job);
}

QStringList fileNames(const DirectoryListing& listing) {
  QStringList names;
  for (const RemoteFile& f : listing.files) names << f.name;
  names.sort();
  return names;
}

QStringList leftovers(const QString& dir) { return test::entries(dir, QDir::Files); }

}  // namespace

class TestUiRemoteStore : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void roundTrip_data();
  void roundTrip();
  void listingOneLevel_data();
  void listingOneLevel();
  void errorsCarryServerReason();
  void cancelUploadHalfWay();
  void cancelDownloadHalfWay();
  void connectionRefused();
  void followsFallbackRedirect();

 private:
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<TestServer> plainServer_;
  QTemporaryDir work_{test::tempTemplate(QStringLiteral("ft-ui-store"))};
};

void TestUiRemoteStore::initTestCase() {
  QVERIFY(work_.isValid());
  server_ = std::make_unique<TestServer>();
  QVERIFY2(server_->start(), "the real filetracker-server must start");
  plainServer_ = std::make_unique<TestServer>(QString(), QStringList{QStringLiteral("--no-extensions")});
  QVERIFY2(plainServer_->start(), "filetracker-server --no-extensions must start");
}

void TestUiRemoteStore::roundTrip_data() {
  QTest::addColumn<bool>("plain");
  QTest::addColumn<QByteArray>("content");
  QTest::newRow("extensions, text") << false << QByteArray("hello, filetracker\n");
  QTest::newRow("extensions, empty") << false << QByteArray();
  QTest::newRow("extensions, 3 MiB random") << false << test::randomBytes(3 << 20, 1);
  QTest::newRow("plain v2, text") << true << QByteArray("plain server\n");
  QTest::newRow("plain v2, 2 MiB random") << true << test::randomBytes(2 << 20, 2);
}

void TestUiRemoteStore::roundTrip() {
  QFETCH(bool, plain);
  QFETCH(QByteArray, content);
  TestServer& server = plain ? *plainServer_ : *server_;
  RemoteStore store(QUrl(server.url()), work_.filePath(QStringLiteral("tmp")));
  const Outcome probe = await(store.probe());
  QVERIFY2(probe.ok, qPrintable(probe.error));
  QCOMPARE(probe.info.protocolVersion, 2);
  QCOMPARE(probe.info.has(QStringLiteral("json-list")), !plain);

  const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')).remove(QLatin1Char(','));
  const QString name = QStringLiteral("/rt/%1/file one.bin").arg(tag);
  const QString local = work_.filePath(QStringLiteral("src-") + tag);
  QVERIFY(test::writeFile(local, content));
  const Outcome up = await(store.upload(UploadRequest{local, name, 1420070410}));
  QVERIFY2(up.ok, qPrintable(up.error));
  QCOMPARE(up.file.version, 1420070410);
  QCOMPARE(up.file.size, content.size());
  QCOMPARE(up.file.sha256, QString::fromStdString(ft::sha256_hex(content.toStdString())));
  QTRY_VERIFY(leftovers(work_.filePath(QStringLiteral("tmp"))).isEmpty());  // removed on the pool

  // The curl store (an independent client) sees what we stored.
  auto curl = ft::make_remote_data_store(server.url().toStdString());
  QCOMPARE(curl->file_version(name.toStdString()), 1420070410);
  QCOMPARE(qint64(curl->file_size(name.toStdString())), content.size());

  const Outcome head = await(store.stat(name));
  QVERIFY2(head.ok, qPrintable(head.error));
  QCOMPARE(head.file.version, 1420070410);
  QCOMPARE(head.file.size, content.size());

  const QString dest = work_.filePath(QStringLiteral("dl/") + tag + QStringLiteral("/out.bin"));
  const Outcome down = await(store.download(DownloadRequest{name, dest, true}));
  QVERIFY2(down.ok, qPrintable(down.error));
  QCOMPARE(test::readFile(dest), content);
  QCOMPARE(QFileInfo(dest).lastModified().toSecsSinceEpoch(), 1420070410);
  QCOMPARE(leftovers(QFileInfo(dest).absolutePath()), QStringList{QStringLiteral("out.bin")});

  const Outcome removed = await(store.remove(name, 1420070410));
  QVERIFY2(removed.ok, qPrintable(removed.error));
  QVERIFY(!curl->exists(name.toStdString()));
}

void TestUiRemoteStore::listingOneLevel_data() {
  QTest::addColumn<bool>("plain");
  QTest::newRow("json-list") << false;
  QTest::newRow("plain v2") << true;
}

void TestUiRemoteStore::listingOneLevel() {
  QFETCH(bool, plain);
  TestServer& server = plain ? *plainServer_ : *server_;
  auto curl = ft::make_remote_data_store(server.url().toStdString());
  for (const char* n : {"/ls/a.txt@100", "/ls/b.txt@200", "/ls/sub/c.txt@300", "/ls/sub/deep/d.txt@400"}) {
    std::istringstream in(std::string("content of ") + n);
    curl->add_stream(n, in);
  }
  RemoteStore store(QUrl(server.url()), work_.filePath(QStringLiteral("tmp")));
  QVERIFY(await(store.probe()).ok);
  const Outcome list = await(store.listDirectory(QStringLiteral("/ls")));
  QVERIFY2(list.ok, qPrintable(list.error));
  QCOMPARE(fileNames(list.listing), (QStringList{"/ls/a.txt", "/ls/b.txt"}));
  QCOMPARE(list.listing.subdirectories, QStringList{QStringLiteral("sub")});
  QCOMPARE(list.listing.metadataComplete, !plain);
  if (!plain) {
    for (const RemoteFile& f : list.listing.files) {
      QCOMPARE(f.version, f.name.endsWith(QLatin1String("a.txt")) ? 100 : 200);
      QVERIFY(ft::protocol::is_sha256_hex(f.sha256.toStdString()));
    }
  }
  const Outcome below = await(store.listNamesBelow(QStringLiteral("/ls/sub")));
  QVERIFY2(below.ok, qPrintable(below.error));
  QStringList names = below.names;
  names.sort();
  QCOMPARE(names, (QStringList{"/ls/sub/c.txt", "/ls/sub/deep/d.txt"}));
  const Outcome missing = await(store.listNamesBelow(QStringLiteral("/no/such/dir")));
  QVERIFY(missing.ok);
  QVERIFY(missing.names.isEmpty());
}

void TestUiRemoteStore::errorsCarryServerReason() {
  RemoteStore store(QUrl(server_->url()), work_.filePath(QStringLiteral("tmp")));
  QVERIFY(await(store.probe()).ok);
  const QString dest = work_.filePath(QStringLiteral("missing/out"));
  const Outcome down = await(store.download(DownloadRequest{QStringLiteral("/no/such/file"), dest, false}));
  QVERIFY(!down.ok);
  QVERIFY2(down.error.startsWith(QStringLiteral("/no/such/file: HTTP 404")), qPrintable(down.error));
  QVERIFY(!QFileInfo::exists(dest));
  const Outcome del = await(store.remove(QStringLiteral("/no/such/file"), 5));
  QVERIFY(!del.ok);
  QVERIFY2(del.error.contains(QStringLiteral("404")), qPrintable(del.error));
  const Outcome bad = await(store.upload(UploadRequest{work_.filePath(QStringLiteral("nothing")), QStringLiteral("relative"), {}}));
  QVERIFY(!bad.ok);
  QVERIFY2(bad.error.contains(QStringLiteral("relative")), qPrintable(bad.error));
}

// The cancel tests go through a HoldingProxy: the transfer trickles until
// the job reports progress, then the proxy holds it (not a byte more) until
// the test has cancelled, so the cancel provably hits a transfer in flight.
void TestUiRemoteStore::cancelUploadHalfWay() {
  const QString name = QStringLiteral("/cancel/up.bin");
  const QString local = work_.filePath(QStringLiteral("big-upload"));
  const qint64 size = 8 << 20;  // random: its gzip form is as big
  QVERIFY(test::writeRandomFile(local, size));
  test::HoldingProxy proxy(server_->port(), test::HoldingProxy::Held::ToServer);
  QVERIFY(proxy.listening());
  quint64 passed = 0;
  {
    RemoteStore store(QUrl(proxy.url()), work_.filePath(QStringLiteral("tmp-cancel")));
    StoreJob* job = store.upload(UploadRequest{local, name, {}});
    // Progress while the file is compressed (Preparing) is local work: the
    // hold waits for progress of the transfer itself.
    bool transferring = false;
    qint64 seen = 0, total = 0;
    QObject::connect(job, &StoreJob::stageChanged, job, [&](StoreJob::Stage stage) {
      if (stage == StoreJob::Stage::Transferring) transferring = true;
    });
    QObject::connect(job, &StoreJob::progress, job, [&](qint64 done, qint64 all) {
      if (!transferring || done <= 0) return;
      seen = done;
      total = all;
      proxy.hold();
    });
    QTRY_VERIFY_WITH_TIMEOUT(seen > 0 && proxy.holding(), 60000);
    QVERIFY(!job->isFinished());
    QVERIFY2(seen < total, qPrintable(QStringLiteral("%1 of %2").arg(seen).arg(total)));
    passed = proxy.held_direction_bytes();
    // (Possibly 0: Qt counts what it wrote to its socket, and the hold may
    // come before the proxy has read any of it.)
    QVERIFY(qint64(passed) < total);
    const Outcome out = cancelAndAwait(job);
    QVERIFY(!out.ok);
    QVERIFY2(out.cancelled, qPrintable(out.error));
    QCOMPARE(proxy.held_direction_bytes(), passed);  // held to the end
    proxy.release();  // what the client had sent flows on, then its close
  }  // the store is gone: its connections are closed, its pool is done
  QVERIFY(leftovers(work_.filePath(QStringLiteral("tmp-cancel"))).isEmpty());
  QTRY_COMPARE(proxy.connections_open(), 0);  // the server saw the body cut off
  QVERIFY(proxy.held_direction_bytes() < quint64(size));
  auto curl = ft::make_remote_data_store(server_->url().toStdString());
  QVERIFY(!curl->exists(name.toStdString()));
  // And the server dropped the half upload (nothing left in its blobs/tmp).
  QTRY_VERIFY(leftovers(server_->dataDir() + QStringLiteral("/blobs/tmp")).isEmpty());
}

void TestUiRemoteStore::cancelDownloadHalfWay() {
  const QString local = work_.filePath(QStringLiteral("big-download"));
  const qint64 size = 4 << 20;
  QVERIFY(test::writeRandomFile(local, size, 9));
  auto curl = ft::make_remote_data_store(server_->url().toStdString());
  curl->add_file("/cancel/down.bin", local.toStdString());
  test::HoldingProxy proxy(server_->port(), test::HoldingProxy::Held::ToClient);
  QVERIFY(proxy.listening());
  const QString dest = work_.filePath(QStringLiteral("dl-cancel/down.bin"));
  {
    RemoteStore store(QUrl(proxy.url()), work_.filePath(QStringLiteral("tmp")));
    StoreJob* job = store.download(DownloadRequest{QStringLiteral("/cancel/down.bin"), dest, false});
    qint64 seen = 0;
    QObject::connect(job, &StoreJob::progress, job, [&](qint64 done, qint64) {
      if (done <= 0) return;
      seen = done;
      proxy.hold();
    });
    QTRY_VERIFY_WITH_TIMEOUT(seen > 0 && proxy.holding(), 60000);
    QVERIFY(!job->isFinished());
    QVERIFY(seen < size);
    // Half-way: nothing under the real name.
    QVERIFY(!QFileInfo::exists(dest));
    const quint64 passed = proxy.held_direction_bytes();
    const Outcome out = cancelAndAwait(job);
    QVERIFY(!out.ok);
    QVERIFY2(out.cancelled, qPrintable(out.error));
    QCOMPARE(proxy.held_direction_bytes(), passed);
  }
  // Nothing under the real name, no temp file left behind.
  QVERIFY(!QFileInfo::exists(dest));
  QTRY_VERIFY(leftovers(QFileInfo(dest).absolutePath()).isEmpty());
  QTRY_COMPARE(proxy.connections_open(), 0);
}

void TestUiRemoteStore::connectionRefused() {
  TestServer gone;
  QVERIFY(gone.start());
  const QString url = gone.url();
  gone.stop();
  RemoteStore store{QUrl(url)};
  const Outcome probe = await(store.probe());
  QVERIFY(!probe.ok);
  QVERIFY2(probe.error.contains(url) && probe.error.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
           qPrintable(probe.error));
}

// A server migrating from an old one (--fallback-url) answers a name it
// does not have with a 307 there: the file's HEAD and download follow it,
// and a delete is not sent to the old server.
void TestUiRemoteStore::followsFallbackRedirect() {
  TestServer old;
  QVERIFY(old.start());
  const QByteArray content = test::randomBytes(300000, 11);
  const QString name = QStringLiteral("/migrating/only old.bin");
  const QString local = work_.filePath(QStringLiteral("src-redirect"));
  QVERIFY(test::writeFile(local, content));
  {
    RemoteStore oldStore(QUrl(old.url()), work_.filePath(QStringLiteral("tmp")));
    QVERIFY(await(oldStore.probe()).ok);
    const Outcome up = await(oldStore.upload(UploadRequest{local, name, 1500000000}));
    QVERIFY2(up.ok, qPrintable(up.error));
  }
  TestServer ours(QString(), QStringList{QStringLiteral("--fallback-url"), old.url()});
  QVERIFY(ours.start());
  RemoteStore store(QUrl(ours.url()), work_.filePath(QStringLiteral("tmp")));
  QVERIFY(await(store.probe()).ok);

  const Outcome head = await(store.stat(name));
  QVERIFY2(head.ok, qPrintable(head.error));
  QCOMPARE(head.file.version, 1500000000);
  QCOMPARE(head.file.size, content.size());
  const QString dest = work_.filePath(QStringLiteral("dl/redirect/out.bin"));
  const Outcome down = await(store.download(DownloadRequest{name, dest, true}));
  QVERIFY2(down.ok, qPrintable(down.error));
  QCOMPARE(test::readFile(dest), content);
  QCOMPARE(QFileInfo(dest).lastModified().toSecsSinceEpoch(), 1500000000);

  // DELETE is local: it hides the old server's copy here, which keeps it.
  QVERIFY(await(store.remove(name, 1500000001)).ok);
  QVERIFY(!await(store.stat(name)).ok);
  auto curl = ft::make_remote_data_store(old.url().toStdString());
  QCOMPARE(curl->file_version(name.toStdString()), 1500000000);
}

QTEST_MAIN(TestUiRemoteStore)
#include "test_ui_remote_store.moc"
