// `filetracker cache ls --json` (issue 20): the real CLI on a real cache,
// its report parsed with nlohmann-json (an independent reader, not Qt's):
// every field of filetracker(1)'s CACHE REPORT, sorted, totals, a file whose
// lock another process holds, an empty and a missing cache, and that the
// report changes nothing (no lock file made).
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "temp_dirs.hpp"

using json = nlohmann::json;

class TestCliCacheReport : public QObject {
  Q_OBJECT
  QString bin_;
  std::unique_ptr<QTemporaryDir> tmp_;

  QProcessEnvironment environment() const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto v : {"FILETRACKER_DIR", "FILETRACKER_LOCKS_DIR", "FILETRACKER_TOKEN", "FILETRACKER_URL"}) env.remove(v);
    env.insert("HOME", tmp_->filePath("home"));
    return env;
  }
  test::ProcessResult cli(const QString& cache, const QStringList& args) {
    return test::runProcess(bin_, QStringList{"-c", cache} + args, environment());
  }
  QStringList files(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) out << it.next();
    out.sort();
    return out;
  }
  // Puts `content` as NAME@VERSION into `cache` only (no server).
  bool cachePut(const QString& cache, const QString& name, const QByteArray& content) {
    const QString local = tmp_->filePath("upload");
    QFile f(local);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size()) return false;
    f.close();
    test::ProcessResult r = cli(cache, {"put", "--no-remote-cache", local, name});
    if (r.code != 0) qWarning() << r.err;
    return r.code == 0;
  }

 private slots:
  void initTestCase() {
    bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
    QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
  }
  void init() {
    tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-cache-report"));
    QVERIFY(tmp_->isValid());
  }

  void reportOfACache() {
    const QString cache = tmp_->filePath("cache");
    QVERIFY(cachePut(cache, "/tests/b.out@1420070410", QByteArray(1000, 'b')));
    QVERIFY(cachePut(cache, "/tests/a.in@1420070400", "twelve bytes"));
    QVERIFY(cachePut(cache, "/p/\"quoted\" ż.txt@1500000000", "x"));  // escaping and UTF-8
    // Another process reads /tests/b.out now: it holds the shared lock.
    const QString lockFile = cache + "/locks/tests/b.out";
    QVERIFY(QFile::exists(lockFile));
    const int fd = ::open(QFile::encodeName(lockFile).constData(), O_RDONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    QCOMPARE(::flock(fd, LOCK_SH), 0);
    const QStringList before = files(cache);

    const qint64 now = std::time(nullptr);
    test::ProcessResult r = cli(cache, {"cache", "ls", "--json"});
    ::close(fd);
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const json report = json::parse(r.out.toStdString());  // throws (fails the test) on bad JSON
    QCOMPARE(report.at("format").get<std::string>(), std::string("filetracker-cache-report"));
    QCOMPARE(report.at("format_version").get<int>(), 1);
    QCOMPARE(QString::fromStdString(report.at("cache_dir").get<std::string>()), cache);
    QVERIFY(std::abs(report.at("generated").get<qint64>() - now) < 60);
    char host[256] = {};
    QCOMPARE(::gethostname(host, sizeof host - 1), 0);
    QCOMPARE(report.at("host").get<std::string>(), std::string(host));
    const json& list = report.at("files");
    QCOMPARE(list.size(), std::size_t(3));
    // Sorted by name.
    QCOMPARE(list[0].at("name").get<std::string>(), std::string("/p/\"quoted\" ż.txt"));
    QCOMPARE(list[1].at("name").get<std::string>(), std::string("/tests/a.in"));
    QCOMPARE(list[2].at("name").get<std::string>(), std::string("/tests/b.out"));
    const json& a = list[1];
    QCOMPARE(a.at("version").get<qint64>(), qint64(1420070400));
    QCOMPARE(a.at("versioned_name").get<std::string>(), std::string("/tests/a.in@1420070400"));
    QCOMPARE(a.at("date").get<std::string>(), std::string("2015-01-01 00:00:00"));
    QCOMPARE(a.at("size").get<qint64>(), qint64(12));
    QVERIFY(a.at("accessed").is_number_integer());
    // The file system's access time of the cached copy.
    QCOMPARE(a.at("accessed").get<qint64>(),
             QFileInfo(cache + "/files/tests/a.in").fileTime(QFileDevice::FileAccessTime).toSecsSinceEpoch());
    QCOMPARE(a.at("in_use").get<bool>(), false);
    QCOMPARE(list[2].at("in_use").get<bool>(), true);  // its lock is held
    QCOMPARE(list[2].at("size").get<qint64>(), qint64(1000));
    const json& totals = report.at("totals");
    QCOMPARE(totals.at("files").get<int>(), 3);
    QCOMPARE(totals.at("bytes").get<qint64>(), qint64(1013));
    QCOMPARE(totals.at("in_use").get<int>(), 1);
    // Read-only: the cache holds the same files (no lock file made for the others).
    QCOMPARE(files(cache), before);

    // The same files as the plain listing.
    test::ProcessResult plain = cli(cache, {"cache", "ls"});
    QCOMPARE(plain.code, 0);
    QCOMPARE(plain.out.count('\n'), 3);
    for (const auto& f : list) QVERIFY(plain.out.contains(QByteArray::fromStdString(f.at("versioned_name").get<std::string>())));
  }

  void emptyAndMissingCaches() {
    for (const QString& cache : {tmp_->filePath("never-made"), tmp_->filePath("empty")}) {
      if (cache.endsWith("empty")) QVERIFY(QDir().mkpath(cache + "/files"));
      test::ProcessResult r = cli(cache, {"cache", "ls", "--json"});
      QCOMPARE(r.code, 0);
      const json report = json::parse(r.out.toStdString());
      QVERIFY(report.at("files").is_array());
      QCOMPARE(report.at("files").size(), std::size_t(0));
      QCOMPARE(report.at("totals").at("files").get<int>(), 0);
      QCOMPARE(report.at("totals").at("bytes").get<int>(), 0);
    }
    QVERIFY(!QFile::exists(tmp_->filePath("never-made")));  // a report creates no cache
  }
};

QTEST_GUILESS_MAIN(TestCliCacheReport)
#include "test_cli_cache_report.moc"
