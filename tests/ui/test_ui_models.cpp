// The browser's models under QAbstractItemModelTester, and the listing
// builder that turns store listings into one-level views.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include "filetracker/local_data_store.hpp"
#include "filetracker/protocol.hpp"
#include "i18n/translations.hpp"
#include "models/cache_table_model.hpp"
#include "session/upload_planner.hpp"
#include "models/directory_tree_model.hpp"
#include "models/file_filter_proxy.hpp"
#include "models/file_table_model.hpp"
#include "store/listing_builder.hpp"
#include "temp_dirs.hpp"
#include "transfers/transfer_model.hpp"

using namespace ft::ui;

class TestUiModels : public QObject {
  Q_OBJECT
 private slots:
  void plainListingDerivesOneLevel_data();
  void plainListingDerivesOneLevel();
  void jsonListingKeepsMetadata();
  void fileTableModelAndProxy();
  void proxyFilterAndNaturalSort();
  void bigTableSortsOnWorkerKeepingSelection();
  void directoryTreeLazyLoading();
  void transferModel();
  void uploadPlannerRefusesNamesThatAreNotUtf8();
  void cacheTableModel();
  void translationsComplete_data();
  void translationsComplete();
  void polishIsSelectedByLocale();
};

void TestUiModels::plainListingDerivesOneLevel_data() {
  QTest::addColumn<QString>("directory");
  QTest::addColumn<QStringList>("lines");
  QTest::addColumn<QStringList>("files");
  QTest::addColumn<QStringList>("subdirs");
  QTest::newRow("root") << "/" << QStringList{"a.txt", "d/x", "d/y/z", "e/f"} << QStringList{"/a.txt"}
                        << QStringList{"d", "e"};
  QTest::newRow("nested") << "/d" << QStringList{"x", "y/z", "y/w"} << QStringList{"/d/x"} << QStringList{"y"};
  QTest::newRow("trailing slash") << "/d/" << QStringList{"x"} << QStringList{"/d/x"} << QStringList{};
  QTest::newRow("empty") << "/" << QStringList{} << QStringList{} << QStringList{};
  QTest::newRow("leading slash tolerated") << "/" << QStringList{"/b"} << QStringList{"/b"} << QStringList{};
}

void TestUiModels::plainListingDerivesOneLevel() {
  QFETCH(QString, directory);
  QFETCH(QStringList, lines);
  QFETCH(QStringList, files);
  QFETCH(QStringList, subdirs);
  std::vector<std::string> names;
  for (const QString& l : lines) names.push_back(l.toStdString());
  const DirectoryListing listing = listingFromPlainNames(directory, names);
  QStringList got;
  for (const RemoteFile& f : listing.files) {
    got << f.name;
    QVERIFY(!f.hasMetadata());
  }
  QCOMPARE(got, files);
  QCOMPARE(listing.subdirectories, subdirs);
  QVERIFY(!listing.metadataComplete);
}

void TestUiModels::jsonListingKeepsMetadata() {
  ft::protocol::Listing in;
  in.directory = "/d";
  in.files = {{"a.txt", 100, 5, std::string(64, 'a')}, {"sub/deeper.txt", 7, 1, std::string(64, 'b')}};
  in.directories = {"other"};
  const DirectoryListing out = listingFromJson(QStringLiteral("/d"), ft::protocol::parse_json_list(ft::protocol::make_json_list(in)));
  QCOMPARE(out.files.size(), 1);
  QCOMPARE(out.files[0].name, QStringLiteral("/d/a.txt"));
  QCOMPARE(out.files[0].version, 100);
  QCOMPARE(out.files[0].size, 5);
  QCOMPARE(out.files[0].sha256, QString(64, QLatin1Char('a')));
  QCOMPARE(out.subdirectories, (QStringList{"other", "sub"}));
  QVERIFY(out.metadataComplete);
}

static QVector<RemoteFile> sampleFiles() {
  return {{"/d/file10.txt", 30, 300, {}}, {"/d/file2.txt", 10, 100, {}}, {"/d/File1.txt", 20, 200, {}},
          {"/d/other.log", -1, -1, {}}};
}

void TestUiModels::fileTableModelAndProxy() {
  FileTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  FileFilterProxy proxy;
  proxy.setSourceModel(&model);
  QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  proxy.sort(FileTableModel::NameColumn);
  model.setRows(QStringLiteral("/d"), FileTableModel::prepareRows(sampleFiles(), {QStringLiteral("/d/file2.txt")}));
  QCOMPARE(model.rowCount(), 4);
  QCOMPARE(model.columnCount(), int(FileTableModel::ColumnCount));
  const int r = model.rowOfName(QStringLiteral("/d/file2.txt"));
  QVERIFY(r >= 0);
  QCOMPARE(model.index(r, FileTableModel::CachedColumn).data(FileTableModel::CachedRole).toBool(), true);
  QVERIFY(model.index(r, FileTableModel::VersionColumn).data().toString().contains(QStringLiteral("(10)")));
  // HEAD fills in unknown metadata.
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  model.updateFile(RemoteFile{QStringLiteral("/d/other.log"), 5, 50, QString(64, QLatin1Char('c'))});
  QCOMPARE(changed.count(), 1);
  const int o = model.rowOfName(QStringLiteral("/d/other.log"));
  QCOMPARE(model.row(o).file.version, 5);
  QCOMPARE(model.row(o).file.size, 50);
  model.setCached(QStringLiteral("/d/other.log"), true);
  QVERIFY(model.row(o).cached);
  // Sorting by size through the proxy.
  proxy.sort(FileTableModel::SizeColumn, Qt::DescendingOrder);
  QCOMPARE(proxy.index(0, 0).data(FileTableModel::FullNameRole).toString(), QStringLiteral("/d/file10.txt"));
  QCOMPARE(proxy.index(3, 0).data(FileTableModel::FullNameRole).toString(), QStringLiteral("/d/other.log"));
  // Drag data names the files.
  QScopedPointer<QMimeData> mime(model.mimeData({model.index(0, 0), model.index(1, 0)}));
  QVERIFY(mime);
  QCOMPARE(mime->text().split(QLatin1Char('\n')).size(), 2);
  model.clear();
  QCOMPARE(proxy.rowCount(), 0);
}

void TestUiModels::proxyFilterAndNaturalSort() {
  FileTableModel model;
  FileFilterProxy proxy;
  proxy.setSourceModel(&model);
  QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setRows(QStringLiteral("/d"), FileTableModel::prepareRows(sampleFiles(), {}));
  proxy.sort(FileTableModel::NameColumn, Qt::AscendingOrder);
  QStringList order;
  for (int i = 0; i < proxy.rowCount(); ++i) order << proxy.index(i, 0).data().toString();
  // Numbers compare as numbers, case does not matter.
  QCOMPARE(order, (QStringList{"File1.txt", "file2.txt", "file10.txt", "other.log"}));
  QVERIFY(FileTableModel::naturalSortKey("a9") < FileTableModel::naturalSortKey("a10"));
  QVERIFY(FileTableModel::naturalSortKey("a010") == FileTableModel::naturalSortKey("A10"));
  QVERIFY(FileTableModel::naturalSortKey("a1b") < FileTableModel::naturalSortKey("ab"));
  proxy.setNameFilter(QStringLiteral("TXT"));
  QCOMPARE(proxy.rowCount(), 3);
  proxy.setNameFilter(QStringLiteral("log"));
  QCOMPARE(proxy.rowCount(), 1);
  proxy.setNameFilter(QString());
  QCOMPARE(proxy.rowCount(), 4);
}

// Above kAsyncSortRows the order is computed off the GUI thread and applied
// later; persistent indexes (a selection) follow their rows.
void TestUiModels::bigTableSortsOnWorkerKeepingSelection() {
  QVector<RemoteFile> files;
  const int n = FileTableModel::kAsyncSortRows + 5000;
  for (int i = 0; i < n; ++i) files.push_back(RemoteFile{QStringLiteral("/big/f%1").arg(i), i, qint64((i * 7919) % n), {}});
  FileTableModel model;
  FileFilterProxy proxy;
  proxy.setSourceModel(&model);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setRows(QStringLiteral("/big"), FileTableModel::prepareRows(files, {}));
  QCOMPARE(model.row(0).file.name, QStringLiteral("/big/f0"));
  QCOMPARE(model.row(1).file.name, QStringLiteral("/big/f1"));  // natural order
  const QPersistentModelIndex tracked(proxy.index(123, 0));
  QCOMPARE(tracked.data(FileTableModel::FullNameRole).toString(), QStringLiteral("/big/f123"));
  QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
  proxy.sort(FileTableModel::SizeColumn, Qt::DescendingOrder);
  QVERIFY(model.isSorting());
  QCOMPARE(model.row(0).file.name, QStringLiteral("/big/f0"));  // not yet
  QTRY_VERIFY(!model.isSorting());
  QCOMPARE(layout.count(), 1);
  for (int r = 1; r < model.rowCount(); ++r) QVERIFY(model.row(r - 1).file.size >= model.row(r).file.size);
  QCOMPARE(tracked.data(FileTableModel::FullNameRole).toString(), QStringLiteral("/big/f123"));
  QCOMPARE(model.rowOfName(QStringLiteral("/big/f123")), QPersistentModelIndex(tracked).row());
  // A newer request wins over one still running.
  proxy.sort(FileTableModel::NameColumn, Qt::AscendingOrder);
  proxy.sort(FileTableModel::VersionColumn, Qt::DescendingOrder);
  QTRY_VERIFY(!model.isSorting());
  QCOMPARE(model.row(0).file.name, QStringLiteral("/big/f%1").arg(n - 1));
  // New rows while a sort runs: the stale order is dropped.
  proxy.sort(FileTableModel::NameColumn, Qt::AscendingOrder);
  model.setRows(QStringLiteral("/small"), FileTableModel::prepareRows(sampleFiles(), {}));
  QTest::qWait(200);
  QCOMPARE(model.rowCount(), 4);
}

void TestUiModels::directoryTreeLazyLoading() {
  DirectoryTreeModel model;
  QSignalSpy requested(&model, &DirectoryTreeModel::listingRequested);
  const QModelIndex root = model.index(0, 0);
  QVERIFY(root.isValid());
  QVERIFY(model.hasChildren(root));
  QVERIFY(model.canFetchMore(root));
  model.fetchMore(root);
  QCOMPARE(requested.count(), 1);
  QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("/"));
  QVERIFY(!model.canFetchMore(root));  // one request at a time
  model.setSubdirectories(QStringLiteral("/"), {QStringLiteral("b"), QStringLiteral("a")});
  QCOMPARE(model.rowCount(root), 2);
  // From here on the tester watches every change (it also calls fetchMore).
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QCOMPARE(model.index(0, 0, root).data().toString(), QStringLiteral("a"));
  const QModelIndex b = model.indexOfPath(QStringLiteral("/b"));
  QVERIFY(b.isValid());
  QCOMPARE(model.pathOf(b), QStringLiteral("/b"));
  QCOMPARE(model.parent(b), root);
  model.setSubdirectories(QStringLiteral("/b"), {});
  QVERIFY(!model.hasChildren(b));
  // A refresh that lost "a" and found "c".
  model.setSubdirectories(QStringLiteral("/"), {QStringLiteral("b"), QStringLiteral("c")});
  QCOMPARE(model.rowCount(root), 2);
  QVERIFY(!model.indexOfPath(QStringLiteral("/a")).isValid());
  QVERIFY(model.indexOfPath(QStringLiteral("/c")).isValid());
  model.reset();
  QCOMPARE(model.rowCount(model.index(0, 0)), 0);
}

void TestUiModels::transferModel() {
  TransferModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  for (int i = 0; i < 4; ++i) {
    Transfer t;
    t.id = quint64(i + 1);
    t.kind = i % 2 ? Transfer::Kind::Upload : Transfer::Kind::Download;
    t.download.name = QStringLiteral("/f%1").arg(i);
    t.upload.name = QStringLiteral("/f%1").arg(i);
    t.total = 1000;
    t.done = 250 * i;
    t.state = i == 0 ? Transfer::State::Finished : i == 1 ? Transfer::State::Failed : Transfer::State::Running;
    t.error = QStringLiteral("/f1: HTTP 500: disk full");
    model.append(t);
  }
  QCOMPARE(model.rowCount(), 4);
  QCOMPARE(model.index(2, TransferModel::ProgressColumn).data(TransferModel::ProgressRole).toInt(), 500);
  QVERIFY(model.index(1, TransferModel::StateColumn).data().toString().contains(QStringLiteral("disk full")));
  model.removeFinished();
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(model.rowOf(3), 0);
}

void TestUiModels::cacheTableModel() {
  QTemporaryDir dir(test::tempTemplate(QStringLiteral("ft-ui-cache")));
  ft::LocalDataStore store(dir.path().toStdString());
  std::istringstream a("aaaa"), b("bb");
  store.add_stream("/x/a.txt@100", a);
  store.add_stream("/b.txt@200", b);
  CacheTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setEntries(CacheTableModel::scan(dir.path()));
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(model.totalBytes(), 6);
  QStringList names;
  for (int r = 0; r < model.rowCount(); ++r) names << model.index(r, 0).data(CacheTableModel::VersionedNameRole).toString();
  names.sort();
  QCOMPARE(names, (QStringList{"/b.txt@200", "/x/a.txt@100"}));
  model.setEntries({});
  QCOMPARE(model.rowCount(), 0);
}

void TestUiModels::translationsComplete_data() {
  QTest::addColumn<QString>("file");
  QTest::newRow("pl") << QStringLiteral(FILETRACKER_TRANSLATIONS_DIR "/filetracker_pl.ts");
}

// Every source string has a finished Polish translation, with the same
// %-placeholders as the English source.
void TestUiModels::translationsComplete() {
  QFETCH(QString, file);
  QFile ts(file);
  QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(file));
  QXmlStreamReader xml(&ts);
  int messages = 0;
  QString source;
  QStringList problems;
  static const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
  const auto placeholders = [](const QString& text) {
    QStringList found;
    for (auto it = placeholder.globalMatch(text); it.hasNext();) found << it.next().captured(0);
    found.sort();
    found.removeDuplicates();
    return found;
  };
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    if (xml.name() == QLatin1String("source")) {
      source = xml.readElementText();
      ++messages;
    } else if (xml.name() == QLatin1String("translation")) {
      const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
      const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
      if (unfinished || text.trimmed().isEmpty()) problems << QStringLiteral("untranslated: ") + source;
      else if (placeholders(text) != placeholders(source)) problems << QStringLiteral("placeholders differ: ") + source;
    }
  }
  QVERIFY(!xml.hasError());
  QVERIFY(messages > 100);
  QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestUiModels::polishIsSelectedByLocale() {
  QCOMPARE(installTranslations(QLocale(QLocale::Polish, QLocale::Poland)), QStringLiteral("pl"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "&File"), QStringLiteral("&Plik"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "%n file(s)", "", 1), QStringLiteral("1 plik"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "%n file(s)", "", 3), QStringLiteral("3 pliki"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "%n file(s)", "", 12), QStringLiteral("12 plików"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "%n file(s)", "", 22), QStringLiteral("22 pliki"));
  // Other locales get English, with proper plurals.
  QCOMPARE(installTranslations(QLocale(QLocale::German, QLocale::Germany)), QStringLiteral("en"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "%n file(s)", "", 1), QStringLiteral("1 file"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "%n file(s)", "", 2), QStringLiteral("2 files"));
  QCOMPARE(QCoreApplication::translate("ft::ui::MainWindow", "&File"), QStringLiteral("&File"));
}

// Names are UTF-8 in every peer: a dropped folder holding a file whose name
// is not (Latin-1 "café") plans no upload for it, under U+FFFD or any
// other name, and says why; its siblings still go.
void TestUiModels::uploadPlannerRefusesNamesThatAreNotUtf8() {
  QTemporaryDir dir;
  QVERIFY(QDir(dir.path()).mkdir("drop"));
  const QByteArray folder = QFile::encodeName(dir.path() + "/drop/");
  for (const QByteArray& base : {QByteArray("caf\xe9.txt"), QByteArray("ok.txt")}) {
    int fd = ::open((folder + base).constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    QVERIFY(fd >= 0);
    ::close(fd);
  }
  QStringList errors;
  const auto items = ft::ui::UploadPlanner::expand({dir.path() + "/drop"}, "/t", &errors);
  QCOMPARE(items.size(), 1);
  QCOMPARE(items.front().name, QString("/t/drop/ok.txt"));
  QCOMPARE(errors.size(), 1);
  QVERIFY2(errors.front().contains("is not valid UTF-8") && errors.front().contains("caf\\xe9.txt"),
           qPrintable(errors.front()));
  ::unlink((folder + "caf\xe9.txt").constData());  // QTemporaryDir cannot name it
}

QTEST_MAIN(TestUiModels)
#include "test_ui_models.moc"
