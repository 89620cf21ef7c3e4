// Benchmark of migrating from the Python server (issue 11):
//
//   1. `filetracker-server --import-upstream OLD` of N files (default
//      100,000) laid out the way the Python server lays them out: files/s;
//   2. re-uploading the same kind of files over HTTP with the CLI (one
//      `filetracker put` per file, as a migration script would): files/s
//      over a sample of M files (default 1,000: 100,000 would take most of
//      an hour), and the ratio import / re-upload;
//   3. pull-through GET latency (--fallback-mode pull: the first GET of a
//      name fetches it from the old server) vs a GET of a file stored here,
//      over K names (default 500), keep-alive, gzip: median and p90, ratio.
//
// Usage: bench_migration [N [M [K]]]. Binaries: FILETRACKER_SERVER_BIN and
// FILETRACKER_CLI_BIN, defaulting to the ones built with this program. The
// machine is shared: the load (uptime) is printed before and after.
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "content.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"
#include "timed_process.hpp"
#include "upstream_layout.hpp"
#include "wire.hpp"

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif
#ifndef FT_DEFAULT_CLI_BIN
#define FT_DEFAULT_CLI_BIN ""
#endif

namespace {

struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr long long kVersion = 1500000000;

std::string name_of(int i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "/bench/d%03d/f%06d.in", i % 100, i);
  return buf;
}

// 1-4 KiB, distinct per file, compressing about 2:1 (like test data).
QByteArray content_of(int i) { return test::mixedBytes(1024 + (i * 37) % 3072, static_cast<quint32>(i + 1)); }

void uptime(const char* when) {
  QFile f("/proc/loadavg");
  if (f.open(QIODevice::ReadOnly))
    std::printf("load (%s): %s", when, f.readAll().constData());
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

int run(int n, int m, int k) {
  const std::string server_bin = env_or("FILETRACKER_SERVER_BIN", FT_DEFAULT_SERVER_BIN);
  const std::string cli_bin = env_or("FILETRACKER_CLI_BIN", FT_DEFAULT_CLI_BIN);
  qputenv("FILETRACKER_SERVER_BIN", QByteArray::fromStdString(server_bin));
  QTemporaryDir tmp(QDir::tempPath() + "/ft-bench-migration-XXXXXX");
  if (!tmp.isValid()) throw BenchFailure("no scratch directory");
  uptime("start");

  // ---- 1. import ----
  const std::filesystem::path old_dir = tmp.filePath("old").toStdString();
  test::UpstreamLayout layout(old_dir);
  QElapsedTimer timer;
  timer.start();
  for (int i = 0; i < n; ++i)
    if (!layout.addFile(name_of(i), content_of(i), kVersion + i)) throw BenchFailure("cannot build the upstream layout");
  std::printf("upstream layout of %d files built in %.1f s (not measured)\n", n, timer.elapsed() / 1000.0);
  const QString new_dir = tmp.filePath("new");
  timed::ProcessResult import = timed::run(server_bin, {"-d", new_dir.toStdString(), "--import-upstream", old_dir.string()});
  if (import.status != 0) throw BenchFailure("the import failed (exit " + std::to_string(import.status) + ")");
  const double import_rate = n / import.seconds;
  std::printf("import --import-upstream   %7d files  %8.2f s  %9.0f files/s  (peak RSS %ld MiB)\n", n, import.seconds,
              import_rate, import.max_rss_kib / 1024);

  // ---- 2. re-upload with the CLI ----
  double upload_rate = 0;
  {
    TestServer target;
    if (!target.start()) throw BenchFailure("the server for the re-upload did not start");
    std::vector<std::string> files;
    for (int i = 0; i < m; ++i) {
      QString path = tmp.filePath(QString("up-%1").arg(i));
      QFile f(path);
      if (!f.open(QIODevice::WriteOnly) || f.write(content_of(i)) < 0) throw BenchFailure("cannot write a file");
      files.push_back(path.toStdString());
    }
    const std::string url = target.url().toStdString(), cache = tmp.filePath("cli-cache").toStdString();
    double total = 0;
    for (int i = 0; i < m; ++i) {
      // With its version, as the import keeps it.
      timed::ProcessResult r = timed::run(cli_bin, {"-r", url, "-c", cache, "put", "--no-local-cache", files[i],
                                         name_of(i) + "@" + std::to_string(kVersion + i)});
      if (r.status != 0) throw BenchFailure("filetracker put failed (exit " + std::to_string(r.status) + ")");
      total += r.seconds;
    }
    upload_rate = m / total;
    std::printf("re-upload (filetracker put) %6d files  %8.2f s  %9.0f files/s  (sample of %d, one process each)\n", m,
                total, upload_rate, m);
  }
  std::printf("import vs re-upload: %.1f x faster (%d files imported, a sample of %d re-uploaded)\n",
              import_rate / upload_rate, n, m);

  // ---- 3. pull-through GET vs a local hit ----
  // The imported directory is the old server; a fresh one pulls from it.
  TestServer old(new_dir);
  if (!old.start()) throw BenchFailure("the old server did not start");
  TestServer ours({}, {"--fallback-url", old.url(), "--fallback-mode", "pull"});
  if (!ours.start()) throw BenchFailure("the pulling server did not start");
  RawConnection connection(ours.port());
  if (!connection.connected()) throw BenchFailure("cannot connect");
  std::vector<double> pulled, local;
  for (int pass = 0; pass < 2; ++pass)
    for (int i = 0; i < k; ++i) {
      const int index = (i * 7919) % n;  // spread over the directories
      QByteArray target = "/files" + QByteArray::fromStdString(name_of(index));
      QElapsedTimer t;
      t.start();
      RawResponse r = connection.request("GET", target, {{"Accept-Encoding", "gzip"}});
      const double ms = t.nsecsElapsed() / 1e6;
      if (r.status != 200 || test::gunzip(r.body) != content_of(index))
        throw BenchFailure("GET " + target.toStdString() + " answered " + std::to_string(r.status));
      (pass == 0 ? pulled : local).push_back(ms);
    }
  const double pulled_median = percentile(pulled, 0.5), local_median = percentile(local, 0.5);
  std::printf("GET via pull (first)   %5d GETs  median %7.3f ms  p90 %7.3f ms\n", k, pulled_median,
              percentile(pulled, 0.9));
  std::printf("GET local hit          %5d GETs  median %7.3f ms  p90 %7.3f ms\n", k, local_median,
              percentile(local, 0.9));
  std::printf("pull-through vs local hit: %.1f x the latency (median)\n", pulled_median / local_median);
  uptime("end");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int m = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int k = argc > 3 ? std::atoi(argv[3]) : 500;
  if (n <= 0 || m <= 0 || k <= 0 || m > n || k > n) {
    std::fprintf(stderr, "usage: bench_migration [N [M [K]]] (positive, M and K <= N)\n");
    return 2;
  }
  try {
    return run(n, m, k);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_migration: %s\n", e.what());
    return 1;
  }
}
