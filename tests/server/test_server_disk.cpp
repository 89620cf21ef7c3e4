// A full disk, for real: the server's data directory on a small tmpfs that
// the test mounts (needs root or CAP_SYS_ADMIN; skipped otherwise). Uploads
// that do not fit get 507 with a one-line reason, store nothing, leave no
// temporary file, and the server keeps serving; once space is back, uploads
// succeed again and --check finds nothing wrong.
#include <sys/mount.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QtTest>

#include <cerrno>
#include <cstring>

#include "content.hpp"
#include "files.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

// A tmpfs mounted on `dir` for the lifetime of the object.
class TmpfsMount {
 public:
  TmpfsMount(const QString& dir, const char* options) : dir_(dir.toLocal8Bit()) {
    if (::mount("tmpfs", dir_.constData(), "tmpfs", 0, options) == 0)
      mounted_ = true;
    else
      error_ = std::strerror(errno);
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(dir_.constData(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool mounted() const { return mounted_; }
  QString error() const { return error_; }

 private:
  QByteArray dir_;
  bool mounted_ = false;
  QString error_;
};

QStringList temporaries(const QString& dataDir) { return entries(dataDir + "/blobs/tmp", QDir::Files); }

}  // namespace

class TestServerDisk : public QObject {
  Q_OBJECT

 private slots:
  void diskFull_data() {
    QTest::addColumn<bool>("gzipBody");
    QTest::newRow("plain body") << false;
    QTest::newRow("gzip body") << true;
  }

  void diskFull() {
    QFETCH(bool, gzipBody);
    QTemporaryDir base;
    QVERIFY(base.isValid());
    const QString mountPoint = base.path() + "/mnt";
    QVERIFY(QDir().mkpath(mountPoint));
    TmpfsMount mount(mountPoint, "size=2m");
    if (!mount.mounted())
      QSKIP(qPrintable("cannot mount a 2 MiB tmpfs to fill up (needs root or CAP_SYS_ADMIN): " + mount.error()));
    const QString dataDir = mountPoint + "/data";
    {
      TestServer server(dataDir);
      QVERIFY(server.start());
      const quint16 port = server.port();
      RawHeaders headers;
      if (gzipBody) headers.emplace_back("Content-Encoding", "gzip");

      // Upload 256 KiB files until the disk is full.
      QList<QByteArray> stored;
      QMap<QByteArray, QByteArray> data;
      RawResponse refused;
      QByteArray refusedName;
      for (int i = 0; i < 20; ++i) {
        const QByteArray name = "/fill/f" + QByteArray::number(i);
        data[name] = randomBytes(256 * 1024, quint32(i + (gzipBody ? 1000 : 0)));
        RawResponse r = put(port, name, gzipBody ? gzip(data[name]) : data[name], 100, headers);
        if (r.status == 200) {
          stored.append(name);
          continue;
        }
        refused = r;
        refusedName = name;
        break;
      }
      QVERIFY2(stored.size() >= 2, "the tmpfs should hold a few files");
      QCOMPARE(refused.status, 507);
      QCOMPARE(refused.header("x-exception"), refusedName + ": no space left on the server's disk");
      QCOMPARE(refused.header("content-type"), QByteArray("text/plain"));
      QVERIFY2(server.log().contains("No space left on device"), qPrintable(server.log()));

      // Nothing of it is stored or left behind; the rest is served intact.
      int status = 0;
      content(port, refusedName, &status);
      QCOMPARE(status, 404);
      RawResponse list = rawRequest(port, "GET", "/list/fill");
      QCOMPARE(list.status, 200);
      QCOMPARE(list.body.count('\n'), stored.size());
      QVERIFY(!list.body.contains(refusedName.mid(6) + "\n"));
      QVERIFY2(temporaries(dataDir).isEmpty(), qPrintable(temporaries(dataDir).join(' ')));
      for (const auto& name : stored) QCOMPARE(content(port, name), data[name]);
      // Still full: refused again, the same way, on a fresh connection.
      QCOMPARE(put(port, refusedName, gzipBody ? gzip(data[refusedName]) : data[refusedName], 100, headers).status, 507);

      // Space is back after a delete: the upload succeeds.
      QCOMPARE(rawRequest(port, "DELETE", filesTarget(stored.first(), 100)).status, 200);
      content(port, stored.first(), &status);
      QCOMPARE(status, 404);
      QCOMPARE(put(port, refusedName, gzipBody ? gzip(data[refusedName]) : data[refusedName], 100, headers).status, 200);
      QCOMPARE(content(port, refusedName), data[refusedName]);
      stored.removeFirst();
      stored.append(refusedName);

      // Completely full (a filler outside the data directory takes every
      // page): even a tiny upload is refused; removing the filler helps.
      {
        QFile filler(mountPoint + "/filler");
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(4096, 'x');
        for (int i = 0; i < 1024 && filler.write(block) == block.size() && filler.flush(); ++i) {
        }
        filler.close();
      }
      RawResponse tiny = put(port, "/fill/tiny", gzipBody ? gzip("tiny") : QByteArray("tiny"), 100, headers);
      QCOMPARE(tiny.status, 507);
      QCOMPARE(tiny.header("x-exception"), QByteArray("/fill/tiny: no space left on the server's disk"));
      QVERIFY(QFile::remove(mountPoint + "/filler"));
      QCOMPARE(put(port, "/fill/tiny", gzipBody ? gzip("tiny") : QByteArray("tiny"), 100, headers).status, 200);
      QCOMPARE(content(port, "/fill/tiny"), QByteArray("tiny"));
      stored.append("/fill/tiny");

      // Index and blobs agree, with no leftovers.
      server.stop();
      QString out;
      QCOMPARE(runCheck(dataDir, &out), 0);
      QVERIFY2(out.contains(QString::number(stored.size()) + " file(s), " + QString::number(stored.size()) +
                            " blob(s), 0 problem(s)"),
               qPrintable(out));
      // And a restart serves exactly the stored files.
      QVERIFY(server.start());
      for (const auto& name : stored) QCOMPARE(content(server.port(), name), data.value(name, "tiny"));
      server.stop();
    }
  }

  void indexDiskFull() {
    // The blobs have room but the index does not: the data directory (with
    // index.sqlite3) is a small tmpfs that a filler file fills up, and
    // blobs/ is a second tmpfs mounted inside it. The commit fails with
    // SQLITE_FULL: 507, and the blob the batch had already adopted goes.
    QTemporaryDir base;
    QVERIFY(base.isValid());
    const QString dataDir = base.path() + "/data";
    QVERIFY(QDir().mkpath(dataDir));
    TmpfsMount indexMount(dataDir, "size=1m");
    if (!indexMount.mounted())
      QSKIP(qPrintable("cannot mount a tmpfs to fill up (needs root or CAP_SYS_ADMIN): " + indexMount.error()));
    QVERIFY(QDir().mkpath(dataDir + "/blobs"));
    TmpfsMount blobMount(dataDir + "/blobs", "size=4m");
    QVERIFY2(blobMount.mounted(), qPrintable(blobMount.error()));
    {
      TestServer server(dataDir);
      QVERIFY(server.start());
      const quint16 port = server.port();
      QCOMPARE(put(port, "/idx/before", "before", 100).status, 200);
      {
        QFile filler(dataDir + "/filler");
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(4096, 'x');
        for (int i = 0; i < 1024 && filler.write(block) == block.size() && filler.flush(); ++i) {
        }
        filler.close();
      }
      // Enough writes that the index must grow.
      RawResponse r;
      QByteArray name;
      for (int i = 0; i < 50; ++i) {
        name = "/idx/f" + QByteArray::number(i);
        r = put(port, name, randomBytes(2000, quint32(i)), 100);
        if (r.status != 200) break;
      }
      QCOMPARE(r.status, 507);
      QCOMPARE(r.header("x-exception"), name + ": no space left on the server's disk");
      QVERIFY2(server.log().contains("database or disk is full"), qPrintable(server.log()));  // SQLITE_FULL
      int status = 0;
      content(port, name, &status);
      QCOMPARE(status, 404);
      QVERIFY2(temporaries(dataDir).isEmpty(), qPrintable(temporaries(dataDir).join(' ')));
      QCOMPARE(content(port, "/idx/before"), QByteArray("before"));
      // Space is back: the same upload succeeds.
      QVERIFY(QFile::remove(dataDir + "/filler"));
      QCOMPARE(put(port, name, randomBytes(2000, 7777), 100).status, 200);
      QCOMPARE(content(port, name), randomBytes(2000, 7777));
      server.stop();
      QString out;
      QCOMPARE(runCheck(dataDir, &out), 0);
      QVERIFY2(out.contains(" 0 problem(s)"), qPrintable(out));
    }
  }
};

QTEST_GUILESS_MAIN(TestServerDisk)
#include "test_server_disk.moc"
