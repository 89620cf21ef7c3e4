// Archives in core (issue 13): the entry rules (data-driven), reading every
// format made in the test, hostile archives refused with nothing stored,
// lying headers stopped while streaming, and writing archives of store files
// that read back identical. The store is a Client over the in-memory store
// and a real cache (the real server: tests/cli/test_cli_archive.cpp).
#include <QtTest>

#include <sstream>

#include "archive_maker.hpp"
#include "content.hpp"
#include "data_stores.hpp"
#include "errors.hpp"
#include "filetracker/archive_download.hpp"
#include "filetracker/archive_entry_check.hpp"
#include "filetracker/archive_reader.hpp"
#include "filetracker/archive_upload.hpp"
#include "filetracker/archive_writer.hpp"
#include "filetracker/client.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/memory_data_store.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using test::ArchiveEntrySpec;
using test::fileEntry;
using Kind = ArchiveEntrySpec::Kind;
using Specs = std::vector<ArchiveEntrySpec>;

Q_DECLARE_METATYPE(Specs)
Q_DECLARE_METATYPE(ft::ArchiveEntryType)

namespace {

constexpr long long kVersion = 1420070410;

struct Store {
  std::unique_ptr<QTemporaryDir> dir = test::scratch_dir("archive");
  fs::path root = test::path_of(*dir);
  std::shared_ptr<ft::LocalDataStore> local = std::make_shared<ft::LocalDataStore>(root / "cache");
  std::shared_ptr<ft::MemoryDataStore> remote = std::make_shared<ft::MemoryDataStore>();
  ft::Client client{local, remote, std::make_shared<ft::FlockLockManager>(root / "cache" / "locks")};
  QString path(const char* name) const { return QString::fromStdString((root / name).string()); }
};

// A tree with what real packages hold: nested folders, Polish names, empty files.
Specs packageTree() {
  return {fileEntry("in/1.in", "1 2\n", kVersion),
          // Over ArchiveLimits::ratio_floor_bytes (1 MiB): pass 2 once refused every such file.
          fileEntry("in/deep/er/2.in", test::mixedBytes(3 << 19, 9), kVersion + 1),
          fileEntry("out/1.out", "3\n", kVersion + 2),
          fileEntry("zażółć gęślą jaźń.txt", "pchnąć w tę łódź jeża\n", kVersion + 3),
          fileEntry("empty", "", kVersion + 4),
          fileEntry("out/empty too", "", kVersion + 5)};
}

}  // namespace

class TestArchive : public QObject {
  Q_OBJECT

 private slots:
  void entryRules_data();
  void entryRules();
  void readsEveryFormat_data();
  void readsEveryFormat();
  void hostileArchivesStoreNothing_data();
  void hostileArchivesStoreNothing();
  void encryptedZipRefused();
  void damagedDataRefusedBeforeStoring_data();
  void damagedDataRefusedBeforeStoring();
  void notAnArchive();
  void writesEveryFormat_data();
  void writesEveryFormat();
  void formatFromExtension_data();
  void formatFromExtension();
};

void TestArchive::entryRules_data() {
  QTest::addColumn<QByteArray>("path");
  QTest::addColumn<ft::ArchiveEntryType>("type");
  QTest::addColumn<QString>("relative");  // accepted: the file's relative path ("" for a directory)
  QTest::addColumn<QString>("reason");    // refused: part of the reason
  using T = ft::ArchiveEntryType;
  QTest::newRow("file") << QByteArray("a/b.txt") << T::File << "a/b.txt" << "";
  QTest::newRow("dot slash") << QByteArray("./a/b.txt") << T::File << "a/b.txt" << "";
  QTest::newRow("polish") << QByteArray("zażółć/ż.txt") << T::File << "zażółć/ż.txt" << "";
  QTest::newRow("directory") << QByteArray("a/") << T::Directory << "" << "";
  QTest::newRow("root") << QByteArray("./") << T::Directory << "" << "";
  QTest::newRow("dotdot") << QByteArray("../x") << T::File << "" << "\"..\" component";
  QTest::newRow("inner dotdot") << QByteArray("a/../../x") << T::File << "" << "\"..\" component";
  QTest::newRow("dot inside") << QByteArray("a/./x") << T::File << "" << "\".\" component";
  QTest::newRow("absolute") << QByteArray("/etc/passwd") << T::File << "" << "absolute path";
  QTest::newRow("drive") << QByteArray("C:/x") << T::File << "" << "drive letter";
  QTest::newRow("backslash") << QByteArray("..\\..\\x") << T::File << "" << "backslash";
  QTest::newRow("empty component") << QByteArray("a//b") << T::File << "" << "empty path component";
  QTest::newRow("empty") << QByteArray("") << T::File << "" << "empty path";
  QTest::newRow("at in directory") << QByteArray("a@1/b") << T::File << "" << "invalid filetracker name";
  QTest::newRow("version in name") << QByteArray("a@1") << T::File << "" << "invalid filetracker name";
  QTest::newRow("control") << QByteArray("a\nb") << T::File << "" << "control character";
  QTest::newRow("not utf8") << QByteArray("a\xff") << T::File << "" << "UTF-8";
  QTest::newRow("symlink") << QByteArray("l") << T::Symlink << "" << "symbolic link";
  QTest::newRow("hardlink") << QByteArray("h") << T::Hardlink << "" << "hard link";
  QTest::newRow("device") << QByteArray("d") << T::Device << "" << "device";
  QTest::newRow("fifo") << QByteArray("f") << T::Fifo << "" << "FIFO";
  QTest::newRow("socket") << QByteArray("s") << T::Socket << "" << "socket";
  QTest::newRow("unknown") << QByteArray("u") << T::Other << "" << "unknown type";
}

void TestArchive::entryRules() {
  QFETCH(QByteArray, path);
  QFETCH(ft::ArchiveEntryType, type);
  QFETCH(QString, relative);
  QFETCH(QString, reason);
  ft::ArchiveEntryChecker checker("/pkg", 1000);
  const std::string raw = path.toStdString();
  ft::RawArchiveEntry entry{raw, type, std::uint64_t{3}, false};
  std::optional<std::string> got = checker.add(entry);
  if (reason.isEmpty()) {
    const std::string problem = checker.problems().empty() ? "" : checker.problems().front().message();
    QVERIFY2(checker.problems().empty(), problem.c_str());
    QCOMPARE(QString::fromStdString(got.value_or("")), relative);
    if (got) QCOMPARE(checker.remote_name(*got), "/pkg/" + relative.toStdString());
  } else {
    QVERIFY(!got);
    QCOMPARE(checker.problems().size(), std::size_t{1});
    const std::string message = checker.problems()[0].message();
    QVERIFY2(QString::fromStdString(message).contains(reason), message.c_str());
    QVERIFY2(message.find('\n') == std::string::npos, "one line");
  }
}

void TestArchive::readsEveryFormat_data() {
  QTest::addColumn<QString>("format");
  for (const char* f : {"zip", "zip-store", "tar", "tar.gz", "tar.bz2", "tar.xz", "tar.zst", "7z"})
    QTest::newRow(f) << f;
}

void TestArchive::readsEveryFormat() {
  QFETCH(QString, format);
  Store s;
  const QString archive = s.path("package.bin");
  Specs tree = packageTree();
  tree.insert(tree.begin(), ArchiveEntrySpec{"in/", {}, Kind::Directory, {}});
  QCOMPARE(test::makeArchive(archive, format, tree), QString());

  ft::ArchiveUploadOptions options;
  options.scratch_dir = s.root / "scratch";
  fs::create_directory(options.scratch_dir);
  ft::ArchiveUploadReport report = ft::upload_archive(s.client, archive.toStdString(), "/pkg", options);
  QVERIFY2(report.complete(), report.failure.c_str());
  QCOMPARE(report.stored.size(), std::size_t{6});
  QCOMPARE(report.listing.files.size(), std::size_t{6});
  for (const ArchiveEntrySpec& e : packageTree()) {
    const std::string name = "/pkg/" + e.path;
    QCOMPARE(QByteArray::fromStdString(s.remote->content(name)), e.content);
    // The mtime became the version (7z keeps it too), and the cache has it.
    QCOMPARE(s.remote->file_version(name), e.mtime);
    QVERIFY(s.local->exists(ft::versioned_name(name, e.mtime)));
  }
  // The scratch directory went with the upload.
  QVERIFY(fs::is_empty(options.scratch_dir));
}

void TestArchive::hostileArchivesStoreNothing_data() {
  QTest::addColumn<QString>("format");
  QTest::addColumn<Specs>("entries");
  QTest::addColumn<QString>("entry");   // the entry the message names
  QTest::addColumn<QString>("reason");  // part of it
  QTest::addColumn<quint64>("maxEntries");
  QTest::addColumn<quint64>("maxBytes");
  QTest::addColumn<double>("maxRatio");
  const ArchiveEntrySpec good = fileEntry("good.txt", "fine\n");
  const quint64 e = 100000, b = quint64(16) << 30;
  const double r = 1000;
  for (const char* f : {"zip", "tar"}) {
    QTest::addRow("%s dotdot", f) << f << Specs{good, fileEntry("../evil", "x")} << "../evil" << "\"..\"" << e << b << r;
    QTest::addRow("%s absolute", f) << f << Specs{good, fileEntry("/etc/evil", "x")} << "/etc/evil" << "absolute" << e << b << r;
    QTest::addRow("%s bad name", f) << f << Specs{good, fileEntry("a@1/b", "x")} << "a@1/b" << "invalid filetracker name" << e << b << r;
    QTest::addRow("%s symlink", f) << f << Specs{good, ArchiveEntrySpec{"link", {}, Kind::Symlink, "/etc/passwd"}}
                                   << "link" << "symbolic link" << e << b << r;
    QTest::addRow("%s duplicate", f) << f << Specs{good, fileEntry("good.txt", "other\n")} << "good.txt" << "duplicate" << e << b << r;
    QTest::addRow("%s file and directory", f) << f << Specs{good, fileEntry("good.txt/x", "x")} << "good.txt/x" << "which is a file" << e << b << r;
    QTest::addRow("%s too many entries", f) << f << Specs{good, fileEntry("b", "1"), fileEntry("c", "2"), fileEntry("d", "3")}
                                            << "d" << "more than 3 entries" << quint64(3) << b << r;
    QTest::addRow("%s too big", f) << f << Specs{good, fileEntry("big", QByteArray(3 << 20, 'z'))} << "big"
                                   << "unpacked size passes the limit" << e << quint64(2 << 20) << r;
    QTest::addRow("%s ratio", f) << f << Specs{good, fileEntry("zeros", QByteArray(8 << 20, '\0'))} << "zeros"
                                 << "compression ratio" << e << b << (QString(f) == "zip" ? 50.0 : 0.5);
  }
  // Tar has the special files.
  QTest::newRow("tar hardlink") << "tar" << Specs{good, ArchiveEntrySpec{"hard", {}, Kind::Hardlink, "good.txt"}}
                                << "hard" << "hard link" << e << b << r;
  QTest::newRow("tar fifo") << "tar" << Specs{good, ArchiveEntrySpec{"fifo", {}, Kind::Fifo, {}}} << "fifo" << "FIFO" << e << b << r;
  QTest::newRow("tar device") << "tar" << Specs{good, ArchiveEntrySpec{"dev", {}, Kind::CharDevice, {}}} << "dev" << "device" << e << b << r;
  QTest::newRow("tar.gz dotdot") << "tar.gz" << Specs{good, fileEntry("a/../../x", "x")} << "a/../../x" << "\"..\"" << e << b << r;
  QTest::newRow("7z dotdot") << "7z" << Specs{good, fileEntry("../x", "x")} << "../x" << "\"..\"" << e << b << r;
}

void TestArchive::hostileArchivesStoreNothing() {
  QFETCH(QString, format);
  QFETCH(Specs, entries);
  QFETCH(QString, entry);
  QFETCH(QString, reason);
  QFETCH(quint64, maxEntries);
  QFETCH(quint64, maxBytes);
  QFETCH(double, maxRatio);
  Store s;
  const QString archive = s.path("hostile.bin");
  QCOMPARE(test::makeArchive(archive, format, entries), QString());
  ft::ArchiveUploadOptions options;
  options.limits.max_entries = maxEntries;
  options.limits.max_unpacked_bytes = maxBytes;
  options.limits.max_ratio = maxRatio;
  try {
    ft::upload_archive(s.client, archive.toStdString(), "/pkg", options);
    QFAIL("not refused");
  } catch (const ft::ArchiveRefused& e) {
    const QString message = QString::fromUtf8(e.what());
    QVERIFY2(message.contains("\"" + entry + "\""), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(message.contains("nothing was stored"), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    QVERIFY(!e.problems().empty());
  }
  QVERIFY(s.remote->list_files().empty());
  QVERIFY(s.local->list_files().empty());
}

void TestArchive::encryptedZipRefused() {
  Store s;
  const QString archive = s.path("secret.zip");
  QCOMPARE(test::makeArchive(archive, "zip", {fileEntry("a.txt", "secret\n")}, "passw0rd"), QString());
  std::string message;
  QCOMPARE(test::code_of([&] { ft::upload_archive(s.client, archive.toStdString(), "/pkg"); }, &message),
           ft::ErrorCode::InvalidArgument);
  QVERIFY2(message.find("\"a.txt\": encrypted (unsupported") != std::string::npos, message.c_str());
  QVERIFY(s.remote->list_files().empty());
}

void TestArchive::damagedDataRefusedBeforeStoring_data() {
  QTest::addColumn<QString>("format");
  QTest::addColumn<int>("damage");  // 1: a CRC-32 mismatch, 2: declared sizes smaller, 3: larger
  QTest::addColumn<QString>("reason");
  QTest::newRow("stored, CRC") << "zip-store" << 1 << "damaged";
  QTest::newRow("deflate, declares less") << "zip" << 2 << "";
  QTest::newRow("deflate, declares more") << "zip" << 3 << "";
  QTest::newRow("stored, declares more") << "zip-store" << 3 << "";
}

void TestArchive::damagedDataRefusedBeforeStoring() {
  // Only reading an entry's data shows these: pass 1 reads it, so the first
  // (good) entries are not stored before the damaged last one is found.
  QFETCH(QString, format);
  QFETCH(int, damage);
  QFETCH(QString, reason);
  Store s;
  const QString archive = s.path("damaged.zip");
  QCOMPARE(test::makeArchive(archive, format,
                             {fileEntry("a.txt", "first, fine\n"), fileEntry("b.txt", "second, fine\n"),
                              fileEntry("c/last.txt", "the CRC-32 of this content was taken before " +
                                                          QByteArray(20000, 'q'))}),
           QString());
  if (damage == 1) {
    QFile f(archive);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    const qsizetype at = bytes.indexOf("CRC-32 of this");
    QVERIFY(at > 0);
    bytes[at] = 'X';
    f.seek(0);
    f.write(bytes);
  }
  if (damage == 2) QVERIFY(test::patchZipDeclaredSizes(archive, 100, "c/last.txt"));
  if (damage == 3) QVERIFY(test::patchZipDeclaredSizes(archive, 50000, "c/last.txt"));
  try {
    ft::upload_archive(s.client, archive.toStdString(), "/pkg");
    QFAIL("not refused");
  } catch (const ft::ArchiveRefused& e) {
    const QString message = QString::fromUtf8(e.what());
    QVERIFY2(message.contains("nothing was stored") && !message.contains('\n'), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(message.contains("\"c/last.txt\""), qPrintable(message));
  } catch (const ft::Error& e) {
    QFAIL(e.what());
  }
  QVERIFY(s.remote->list_files().empty());
  QVERIFY(s.local->list_files().empty());
}

void TestArchive::notAnArchive() {
  Store s;
  const QString file = s.path("plain.txt");
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("just some text, not an archive\n");
  f.close();
  std::string message;
  QCOMPARE(test::code_of([&] { ft::list_archive(file.toStdString(), "/pkg"); }, &message), ft::ErrorCode::InvalidArgument);
  QVERIFY2(message.find("not an archive this can read") != std::string::npos, message.c_str());
  QCOMPARE(test::code_of([&] { ft::list_archive(s.path("missing.zip").toStdString(), "/pkg"); }), ft::ErrorCode::NotFound);
}

void TestArchive::writesEveryFormat_data() {
  QTest::addColumn<QString>("out");
  for (const char* f : {"a.zip", "a.tar", "a.tar.gz", "a.tgz", "a.tar.zst"}) QTest::newRow(f) << f;
}

void TestArchive::writesEveryFormat() {
  QFETCH(QString, out);
  Store s;
  std::vector<ft::ArchiveItem> items;
  for (const ArchiveEntrySpec& e : packageTree()) {
    const std::string name = "/src/" + e.path;
    std::istringstream in(e.content.toStdString());
    s.remote->add_stream(ft::versioned_name(name, e.mtime), in);
    items.push_back(ft::ArchiveItem{name, e.path, e.mtime, static_cast<std::uint64_t>(e.content.size())});
  }
  const fs::path path = s.root / out.toStdString();
  {
    ft::ArchiveWriter writer(path, *ft::archive_format_for(path.string()));
    ft::write_store_archive(s.client, items, writer);
  }
  QString error;
  auto entries = test::readArchive(QString::fromStdString(path.string()), &error);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QCOMPARE(entries.size(), packageTree().size());
  std::size_t i = 0;
  for (const ArchiveEntrySpec& e : packageTree()) {
    QCOMPARE(entries[i].first, e.path);
    QCOMPARE(entries[i].second.content, e.content);
    QCOMPARE(entries[i].second.mtime, e.mtime);
    ++i;
  }
  // Without commit (an error half-way), nothing is left at the destination.
  const fs::path partial = s.root / ("partial-" + out.toStdString());
  {
    ft::ArchiveWriter writer(partial, *ft::archive_format_for(partial.string()));
    std::istringstream in("short");
    QCOMPARE(test::code_of([&] { writer.add_file("x", kVersion, 10, in); }), ft::ErrorCode::Protocol);
  }
  QVERIFY(!fs::exists(partial));
  QCOMPARE(std::distance(fs::directory_iterator(s.root), fs::directory_iterator()), 2);  // cache + the archive
}

void TestArchive::formatFromExtension_data() {
  QTest::addColumn<QString>("path");
  QTest::addColumn<int>("format");  // -1: none
  QTest::newRow("zip") << "x/a.zip" << int(ft::ArchiveFormat::Zip);
  QTest::newRow("ZIP") << "A.ZIP" << int(ft::ArchiveFormat::Zip);
  QTest::newRow("tar") << "a.tar" << int(ft::ArchiveFormat::Tar);
  QTest::newRow("tar.gz") << "a.tar.gz" << int(ft::ArchiveFormat::TarGz);
  QTest::newRow("tgz") << "a.tgz" << int(ft::ArchiveFormat::TarGz);
  QTest::newRow("tar.zst") << "a.tar.zst" << int(ft::ArchiveFormat::TarZst);
  QTest::newRow("gz alone") << "a.gz" << -1;
  QTest::newRow("7z") << "a.7z" << -1;
  QTest::newRow("none") << "archive" << -1;
}

void TestArchive::formatFromExtension() {
  QFETCH(QString, path);
  QFETCH(int, format);
  auto got = ft::archive_format_for(path.toStdString());
  QCOMPARE(got ? int(*got) : -1, format);
}

QTEST_GUILESS_MAIN(TestArchive)
#include "test_archive.moc"
