// Benchmark of `filetracker mount` (FUSE) against the real server on
// loopback, each figure side by side with its reference, as a ratio:
//
//   1. `cat` of a 64 MiB file already in the cache, through the mount, vs
//      `cat` of the cache file itself (both warm in the page cache):
//      a. the first read through a fresh mount (every page crosses FUSE,
//         spliced from the cache file), and
//      b. a repeated read (the kernel keeps the mount's pages while the
//         version is unchanged).
//   2. `find` over 10,000 names (100 directories of 100 files) through the
//      mount vs `filetracker ls -r` of the same tree:
//      a. a fresh mount (one JSON listing request per directory), and
//      b. again within --attr-timeout (listings cached).
//
// Each row: the median of --runs runs. Binaries: FILETRACKER_CLI_BIN and
// FILETRACKER_SERVER_BIN, defaulting to the ones built with this program.
//   build/bin/bench_mount [--runs 5] [--big-mib 64] [--names 10000]
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>


#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "filetracker/remote_data_store.hpp"
#include "test_server.hpp"
#include "timed_process.hpp"

namespace {

// Wall seconds of one run (< 0: it failed).
double timed_run(const std::vector<std::string>& command) {
  timed::ProcessResult r = timed::run(command[0], {command.begin() + 1, command.end()});
  return r.status == 0 ? r.seconds : -1;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_mount: %s\n", what.c_str());
  std::exit(1);
}

// One `filetracker mount` process; unmounted and stopped by the destructor.
class Mount {
 public:
  Mount(const QString& cli, const QString& url, const QString& cache, const QString& mountpoint,
        const QStringList& options)
      : mountpoint_(mountpoint) {
    QDir().mkpath(mountpoint);
    process_.setProcessChannelMode(QProcess::ForwardedOutputChannel);
    process_.start(cli, QStringList{"-r", url, "-c", cache, "mount"} + options + QStringList{mountpoint});
    QByteArray err;
    QDeadlineTimer deadline(20000);
    while (!err.contains("filetracker: mounted") && !deadline.hasExpired()) {
      process_.waitForReadyRead(100);
      err += process_.readAllStandardError();
      if (process_.state() == QProcess::NotRunning) break;
    }
    if (!err.contains("filetracker: mounted")) fail("cannot mount: " + err.toStdString());
  }
  ~Mount() {
    QProcess::execute("fusermount3", {"-u", "-z", mountpoint_});
    if (!process_.waitForFinished(10000)) {
      process_.kill();
      process_.waitForFinished(5000);
    }
  }

 private:
  QString mountpoint_;
  QProcess process_;
};

void row(const char* what, double measured, const char* reference, double base) {
  std::printf("%-58s %9.2f ms   %-34s %9.2f ms   ratio %6.2f\n", what, measured * 1e3, reference, base * 1e3,
              measured / base);
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  int runs = 5;
  long long big_mib = 64;
  int names = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else if (flag == "--big-mib") big_mib = std::max(1LL, std::atoll(argv[i + 1]));
    else if (flag == "--names") names = std::max(100, std::atoi(argv[i + 1]));
  }
  QString cli = qEnvironmentVariable("FILETRACKER_CLI_BIN");
  if (cli.isEmpty()) cli = QStringLiteral(FT_DEFAULT_CLI_BIN);
  if (qEnvironmentVariable("FILETRACKER_SERVER_BIN").isEmpty())
    qputenv("FILETRACKER_SERVER_BIN", QByteArray(FT_DEFAULT_SERVER_BIN));
  if (!QFile::exists("/dev/fuse")) fail("no /dev/fuse: FUSE mounts are not possible here");

  QTemporaryDir tmp;
  TestServer server;
  if (!server.start()) fail("cannot start the server");
  const QString url = server.url();
  const QString cache = tmp.filePath("cache");
  const std::string big_name = "/bench/big";
  {
    // Populate through the HTTP store directly (one connection, fast).
    ft::RemoteDataStore store(url.toStdString());
    std::string file = tmp.filePath("big").toStdString();
    {
      std::FILE* f = std::fopen(file.c_str(), "wb");
      std::vector<char> block(1 << 20);
      unsigned x = 12345;
      for (long long m = 0; m < big_mib; ++m) {
        for (auto& c : block) c = static_cast<char>((x = x * 1664525u + 1013904223u) >> 24);
        std::fwrite(block.data(), 1, block.size(), f);
      }
      std::fclose(f);
    }
    store.add_file(big_name, file);
    const int per_dir = 100;
    for (int i = 0; i < names; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "/names/d%03d/f%05d.in", i / per_dir, i);
      std::istringstream in(std::string("content of ") + name);
      store.add_stream(name, in);
    }
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("filetracker mount benchmark against %s: %lld MiB file, %d names, median of %d runs\n",
              qPrintable(url), big_mib, names, runs);
  std::printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

  const std::string cache_file = (cache + "/files" + QString::fromStdString(big_name)).toStdString();
  const QString mnt = tmp.filePath("mnt");
  const std::string through_mount = (mnt + QString::fromStdString(big_name)).toStdString();
  {
    // Bring the file into the cache (not timed).
    Mount m(cli, url, cache, mnt, {});
    if (timed_run({"cat", through_mount}) < 0) fail("cat through the mount failed");
  }
  if (!QFile::exists(QString::fromStdString(cache_file))) fail("the file did not reach the cache");
  std::vector<double> first, again, direct;
  for (int r = 0; r < runs; ++r) {
    timed_run({"cat", cache_file});  // page cache warm for both sides
    direct.push_back(timed_run({"cat", cache_file}));
    Mount m(cli, url, cache, mnt, {});
    first.push_back(timed_run({"cat", through_mount}));
    again.push_back(timed_run({"cat", through_mount}));
  }
  for (double v : first)
    if (v < 0) fail("cat through the mount failed");
  char label[128];
  std::snprintf(label, sizeof label, "cat %lld MiB cached, first read through a fresh mount", big_mib);
  row(label, median(first), "cat of the cache file", median(direct));
  std::snprintf(label, sizeof label, "cat %lld MiB cached, again through the same mount", big_mib);
  row(label, median(again), "cat of the cache file", median(direct));

  std::vector<double> cold, warm, ls;
  const std::string names_dir = (mnt + "/names").toStdString();
  for (int r = 0; r < runs; ++r) {
    ls.push_back(timed_run({cli.toStdString(), "-r", url.toStdString(), "-c", cache.toStdString(), "ls", "-r",
                            "/names"}));
    Mount m(cli, url, cache, mnt, {"--attr-timeout", "60"});
    cold.push_back(timed_run({"find", names_dir}));
    warm.push_back(timed_run({"find", names_dir}));
  }
  for (double v : cold)
    if (v < 0) fail("find through the mount failed");
  std::snprintf(label, sizeof label, "find over %d names, fresh mount", names);
  row(label, median(cold), "filetracker ls -r", median(ls));
  std::snprintf(label, sizeof label, "find over %d names, listings cached", names);
  row(label, median(warm), "filetracker ls -r", median(ls));
  return 0;
}
