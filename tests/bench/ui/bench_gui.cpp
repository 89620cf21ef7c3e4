// GUI benchmarks (run on demand, print figures; never part of CTest):
//
//   bench_gui [all]                       both of these, one after the other
//   bench_gui listing  [--files 100000]   time until a directory of N files is
//                                          shown in the real table and scrolled
//                                          to the bottom (aim: < 1 s)
//   bench_gui folder [--folder-files 2000]  download a folder of N small files
//                                          through the real window (select the
//                                          folder row, Download), in files/s,
//                                          beside `filetracker get` of the same
//                                          files in a shell loop, as a ratio
//   bench_gui transfer [--mib 1024]        upload then download of one big file
//                                          through the real transfer queue, with
//                                          the longest event-loop stall during
//                                          each (aim: no stall > 50 ms)
//
// They start the real filetracker-server (--server-bin, else
// FILETRACKER_SERVER_BIN, else the one built with this program) on loopback
// with a temporary data directory, unless --url is given. The server and the
// shell loop are test::Process children: stopped when the benchmark ends,
// whatever the way (they get SIGKILL if it dies).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <sstream>
#include <thread>

#include "event_loop_wait.hpp"
#include "process.hpp"
#include "filetracker/remote_data_store.hpp"
#include "test_server.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_window.hpp"

using namespace ft::ui;
using test::waitFor;

namespace {

// Measures the longest gap between ticks of a 2 ms timer: how long the event
// loop was kept from running.
class StallMeter : public QObject {
 public:
  StallMeter() {
    timer_.setInterval(2);
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = clock_.nsecsElapsed();
      if (last_ > 0) {
        const qint64 gap = now - last_;
        if (gap > worst_) worst_ = gap;
        if (gap > 50'000'000) {
          ++over50_;
          // When, so a stall can be matched with a phase (compressing, sending).
          std::printf("  stall of %.0f ms ending at %.2f s\n", double(gap) / 1e6, double(now) / 1e9);
        }
      }
      last_ = now;
    });
  }
  static inline bool disabled = false;
  void start() {
    if (disabled) return;
    worst_ = 0;
    over50_ = 0;
    last_ = 0;
    clock_.start();
    timer_.start();
  }
  void stop() { timer_.stop(); }
  double worstMs() const { return double(worst_) / 1e6; }
  int over50() const { return over50_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  qint64 worst_ = 0;
  int over50_ = 0;
};


void populate(const QString& url, const QString& dir, int files) {
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      auto store = ft::make_remote_data_store(url.toStdString());
      for (int i = next++; i < files; i = next++) {
        std::istringstream in("content " + std::to_string(i) + "\n");
        store->add_stream(dir.toStdString() + "/file" + std::to_string(i) + ".in@" + std::to_string(1600000000 + i), in);
      }
    });
  }
  for (auto& t : workers) t.join();
}

ConnectionProfile profileFor(const QString& url, const QString& cache) {
  ConnectionProfile p;
  p.name = QStringLiteral("bench");
  p.serverUrl = url;
  p.cacheDirectory = cache;
  return p;
}

int benchListing(const QString& url, int files, const QString& scratch) {
  const QString dir = QStringLiteral("/bench/big");
  QElapsedTimer fill;
  fill.start();
  auto probe = ft::make_remote_data_store(url.toStdString());
  std::size_t existing = 0;
  try {
    for (const auto& f : probe->list_files()) existing += ft::split_name(f.name).name.rfind("/bench/big/", 0) == 0;
  } catch (...) {
  }
  if (existing < std::size_t(files)) populate(url, dir, files);
  std::printf("populated %d files in %s in %.1f s\n", files, qPrintable(dir), double(fill.elapsed()) / 1000.0);

  MainWindow window;
  window.resize(1200, 800);
  window.show();
  window.openProfile(profileFor(url, scratch + QStringLiteral("/cache")), false);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  (void)waitFor([&] { return !window.browser()->isLoading(); }, 10000);
  for (int run = 0; run < 3; ++run) {
    StallMeter stalls;
    stalls.start();
    QElapsedTimer clock;
    clock.start();
    window.browser()->openDirectory(dir);
    if (!waitFor([&] { return !window.browser()->isLoading() && window.browser()->fileModel()->rowCount() >= files; }, 60000)) {
      std::printf("listing did not finish\n");
      return 1;
    }
    const double shownMs = double(clock.nsecsElapsed()) / 1e6;
    // Scrollable: jump to the end and back, painting each time.
    window.fileView()->scrollToBottom();
    window.fileView()->viewport()->repaint();
    window.fileView()->scrollToTop();
    window.fileView()->viewport()->repaint();
    const double scrolledMs = double(clock.nsecsElapsed()) / 1e6;
    stalls.stop();
    std::printf("run %d: %d files shown after %.0f ms, scrolled end-to-end after %.0f ms; longest event-loop stall %.1f ms\n",
                run + 1, window.browser()->fileModel()->rowCount(), shownMs, scrolledMs, stalls.worstMs());
    if (run < 2) {
      window.browser()->openDirectory(QStringLiteral("/"));
      (void)waitFor([&] { return !window.browser()->isLoading(); }, 10000);
    }
  }
  // Sorting by another column and filtering, on the GUI thread, with the big directory shown.
  StallMeter stalls;
  stalls.start();
  QElapsedTimer clock;
  clock.start();
  auto* table = window.browser()->fileModel();
  window.fileView()->sortByColumn(FileTableModel::SizeColumn, Qt::DescendingOrder);
  (void)waitFor([&] { return !table->isSorting(); }, 10000);
  std::printf("sort %d rows by size: %.0f ms\n", table->rowCount(), double(clock.nsecsElapsed()) / 1e6);
  clock.restart();
  window.fileView()->sortByColumn(FileTableModel::NameColumn, Qt::AscendingOrder);
  (void)waitFor([&] { return !table->isSorting(); }, 10000);
  std::printf("sort %d rows by name: %.0f ms\n", table->rowCount(), double(clock.nsecsElapsed()) / 1e6);
  clock.restart();
  window.browser()->proxyModel()->setNameFilter(QStringLiteral("file9999"));
  std::printf("filter %d rows: %.0f ms (%d match)\n", window.browser()->fileModel()->rowCount(), double(clock.nsecsElapsed()) / 1e6,
              window.browser()->proxyModel()->rowCount());
  clock.restart();
  window.browser()->proxyModel()->setNameFilter(QString());
  std::printf("clear the filter: %.0f ms\n", double(clock.nsecsElapsed()) / 1e6);
  stalls.stop();
  std::printf("longest event-loop stall while sorting and filtering: %.1f ms\n", stalls.worstMs());
  return 0;
}

// The reference: one `filetracker get` per file, as an operator's shell loop
// would do it, with a cold cache of its own.
double shellLoopSeconds(const QString& cli, const QString& url, const QStringList& names, const QString& scratch) {
  const QString dest = scratch + QStringLiteral("/cli-out");
  const QString cache = scratch + QStringLiteral("/cli-cache");
  QDir().mkpath(dest);
  QFile list(scratch + QStringLiteral("/names.txt"));
  if (!list.open(QIODevice::WriteOnly)) return -1;
  for (const QString& n : names) list.write(n.toUtf8() + '\n');
  list.close();
  const QString script = QStringLiteral(
      "set -e; while IFS= read -r n; do \"$0\" -r \"$1\" --cache-dir \"$2\" get \"$n\" \"$3/${n##*/}\"; done < \"$4\"");
  test::Process shell;
  shell.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  QElapsedTimer clock;
  clock.start();
  shell.start(QStringLiteral("bash"), {QStringLiteral("-c"), script, cli, url, cache, dest, list.fileName()});
  if (!shell.waitForStarted(10000) || !shell.waitForFinished(600000) || shell.exitCode() != 0) {
    std::printf("the shell loop failed (exit %d)\n", shell.exitCode());
    return -1;
  }
  const double seconds = double(clock.nsecsElapsed()) / 1e9;
  const int got = int(QDir(dest).entryList(QDir::Files).size());
  if (got != names.size()) {
    std::printf("the shell loop wrote %d of %lld files\n", got, qlonglong(names.size()));
    return -1;
  }
  return seconds;
}

int benchFolder(const QString& url, int files, const QString& scratch, const QString& cli) {
  const QString dir = QStringLiteral("/folder-bench/pkg");
  QElapsedTimer fill;
  fill.start();
  populate(url, dir, files);
  std::printf("populated %d files in %s in %.1f s\n", files, qPrintable(dir), double(fill.elapsed()) / 1000.0);
  QStringList names;
  for (int i = 0; i < files; ++i) names << dir + QStringLiteral("/file%1.in").arg(i);

  MainWindow window;
  window.resize(1200, 800);
  window.show();
  window.openProfile(profileFor(url, scratch + QStringLiteral("/gui-cache")), false);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  window.browser()->openDirectory(QStringLiteral("/folder-bench"));
  if (!waitFor([&] { return !window.browser()->isLoading() && window.browser()->fileModel()->directory() == QLatin1String("/folder-bench"); }, 30000)) {
    return 1;
  }
  const int row = window.browser()->fileModel()->rowOfName(dir);
  if (row < 0) {
    std::printf("no folder row for %s\n", qPrintable(dir));
    return 1;
  }
  const QModelIndex index = window.browser()->proxyModel()->mapFromSource(window.browser()->fileModel()->index(row, 0));
  window.fileView()->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  const QString dest = scratch + QStringLiteral("/gui-out");
  window.setFolderChooser([dest] { return dest; });
  window.session()->transfers()->setConcurrencyLimit(2);  // the default
  int downloaded = -1;
  QObject::connect(&window, &MainWindow::downloadsFinished, &window, [&](int ok, int, int) { downloaded = ok; });
  StallMeter stalls;
  stalls.start();
  QElapsedTimer clock;
  clock.start();
  window.downloadSelected();
  if (!waitFor([&] { return downloaded >= 0; }, 600000)) return 1;
  const double gui = double(clock.nsecsElapsed()) / 1e9;
  stalls.stop();
  const int onDisk = int(QDir(dest + QStringLiteral("/pkg")).entryList(QDir::Files).size());
  std::printf("GUI: folder of %d files downloaded (%d on disk) in %.2f s = %.0f files/s; longest event-loop stall %.1f ms\n",
              downloaded, onDisk, gui, double(downloaded) / gui, stalls.worstMs());
  if (downloaded != files || onDisk != files) return 1;
  if (cli.isEmpty() || !QFileInfo(cli).isExecutable()) {
    std::printf("no filetracker CLI (--cli-bin): no reference figure\n");
    return 0;
  }
  const double loop = shellLoopSeconds(cli, url, names, scratch);
  if (loop < 0) return 1;
  std::printf("CLI: `filetracker get` x %d in a shell loop: %.2f s = %.0f files/s\n", files, loop, double(files) / loop);
  std::printf("ratio GUI/CLI loop: %.2fx the files/s\n", loop / gui);
  return 0;
}

int benchTransfer(const QString& url, qint64 mib, const QString& scratch) {
  const QString local = scratch + QStringLiteral("/big.bin");
  {
    QFile out(local);
    if (!out.open(QIODevice::WriteOnly)) return 1;
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    QRandomGenerator gen(5);
    // Half random, half repetitive: gzip has real work on both kinds.
    for (qint64 i = 0; i < mib; ++i) {
      if (i % 2 == 0) gen.fillRange(reinterpret_cast<quint32*>(chunk.data()), chunk.size() / 4);
      else chunk.fill(char('a' + i % 26));
      out.write(chunk);
    }
  }
  MainWindow window;
  window.resize(1200, 800);
  window.show();
  window.openProfile(profileFor(url, scratch + QStringLiteral("/cache")), false);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  TransferQueue* queue = window.session()->transfers();

  StallMeter stalls;
  stalls.start();
  QElapsedTimer clock;
  clock.start();
  const quint64 up = queue->enqueueUpload(UploadRequest{local, QStringLiteral("/bench/big.bin"), {}});
  qint64 compressedAt = -1;
  if (!waitFor(
          [&] {
            if (compressedAt < 0 && queue->find(up)->state == Transfer::State::Running) compressedAt = clock.elapsed();
            return queue->find(up)->isOver();
          },
          600000))
    return 1;
  stalls.stop();
  std::printf("upload: compressing and hashing took %.1f s, sending %.1f s\n", double(compressedAt) / 1000.0,
              double(clock.elapsed() - compressedAt) / 1000.0);
  const Transfer* u = queue->find(up);
  std::printf("upload %lld MiB: %s in %.1f s (%.0f MiB/s); longest event-loop stall %.1f ms, %d stalls over 50 ms\n", mib,
              u->state == Transfer::State::Finished ? "done" : qPrintable(u->error), double(clock.elapsed()) / 1000.0,
              double(mib) * 1000.0 / double(qMax<qint64>(1, clock.elapsed())), stalls.worstMs(), stalls.over50());

  const QString dest = scratch + QStringLiteral("/down.bin");
  stalls.start();
  clock.restart();
  const quint64 down = queue->enqueueDownload(DownloadRequest{QStringLiteral("/bench/big.bin"), dest, false});
  if (!waitFor([&] { return queue->find(down)->isOver(); }, 600000)) return 1;
  stalls.stop();
  const Transfer* d = queue->find(down);
  std::printf("download %lld MiB: %s in %.1f s (%.0f MiB/s); longest event-loop stall %.1f ms, %d stalls over 50 ms\n", mib,
              d->state == Transfer::State::Finished ? "done" : qPrintable(d->error), double(clock.elapsed()) / 1000.0,
              double(mib) * 1000.0 / double(qMax<qint64>(1, clock.elapsed())), stalls.worstMs(), stalls.over50());
  std::printf("downloaded size %lld (expected %lld)\n", QFileInfo(dest).size(), mib << 20);
  QFile::remove(dest);
  QFile::remove(local);
  return 0;
}

}  // namespace

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif
#ifndef FT_DEFAULT_CLI_BIN
#define FT_DEFAULT_CLI_BIN ""
#endif

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("all (default) | listing | folder | transfer"));
  QCommandLineOption url(QStringLiteral("url"), QStringLiteral("use this server"), QStringLiteral("URL"));
  QCommandLineOption bin(QStringLiteral("server-bin"), QStringLiteral("filetracker-server binary"), QStringLiteral("PATH"));
  QCommandLineOption files(QStringLiteral("files"), QStringLiteral("files in the directory"), QStringLiteral("N"), QStringLiteral("100000"));
  QCommandLineOption folderFiles(QStringLiteral("folder-files"), QStringLiteral("files in the downloaded folder"),
                                 QStringLiteral("N"), QStringLiteral("2000"));
  QCommandLineOption cliBin(QStringLiteral("cli-bin"), QStringLiteral("filetracker CLI binary (the reference)"),
                            QStringLiteral("PATH"), QStringLiteral(FT_DEFAULT_CLI_BIN));
  QCommandLineOption mib(QStringLiteral("mib"), QStringLiteral("size of the big file"), QStringLiteral("MiB"), QStringLiteral("1024"));
  QCommandLineOption tmp(QStringLiteral("tmp"), QStringLiteral("scratch folder"), QStringLiteral("DIR"), QDir::tempPath());
  QCommandLineOption noMeter(QStringLiteral("no-stall-meter"), QStringLiteral("do not measure stalls (no 2 ms timer)"));
  parser.addOptions({url, bin, files, folderFiles, cliBin, mib, tmp, noMeter});
  parser.process(app);
  // Everything that can end the program with exit() comes before the server starts.
  const QString mode = parser.positionalArguments().value(0, QStringLiteral("all"));
  const bool listing = mode == QLatin1String("all") || mode == QLatin1String("listing");
  const bool transfer = mode == QLatin1String("all") || mode == QLatin1String("transfer");
  const bool folder = mode == QLatin1String("all") || mode == QLatin1String("folder");
  if (!listing && !transfer && !folder) parser.showHelp(2);
  StallMeter::disabled = parser.isSet(noMeter);
  if (parser.isSet(bin))
    qputenv("FILETRACKER_SERVER_BIN", parser.value(bin).toLocal8Bit());
  else if (TestServer::binary().isEmpty())
    qputenv("FILETRACKER_SERVER_BIN", FT_DEFAULT_SERVER_BIN);
  QTemporaryDir scratch(parser.value(tmp) + QStringLiteral("/ft-bench-gui-XXXXXX"));
  std::unique_ptr<TestServer> server;
  QString base = parser.value(url);
  if (base.isEmpty()) {
    server = std::make_unique<TestServer>(scratch.filePath(QStringLiteral("server")));
    QDir().mkpath(scratch.filePath(QStringLiteral("server")));
    if (!server->start()) return 1;
    base = server->url();
  }
  std::printf("server %s\n", qPrintable(base));
  int status = 0;
  if (listing) status = benchListing(base, parser.value(files).toInt(), scratch.path());
  if (folder && status == 0) status = benchFolder(base, parser.value(folderFiles).toInt(), scratch.path(), parser.value(cliBin));
  if (transfer && status == 0) status = benchTransfer(base, parser.value(mib).toLongLong(), scratch.path());
  return status;
}
