// Benchmark of the `filetracker` command line, end to end: every operation is
// one run of the real binary against the real filetracker-server on loopback
// (process start-up included, as a user or a script would see it).
//
//   1. N sequential `put`s of 1 KiB files (distinct names)
//   2. N sequential `get`s of one versioned name already in the cache
//   3. one `put` and one `get` (fresh cache: a real download) of a big file,
//      plus a cached `get` of it; with each process's peak memory (RSS).
//
// Prints totals and per-operation figures. Binaries: FILETRACKER_CLI_BIN and
// FILETRACKER_SERVER_BIN, defaulting to the ones built with this program.
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_server.hpp"
#include "timed_process.hpp"

namespace {

using timed::ProcessResult;
using timed::run;

// A step that failed: main() reports it after the server and the scratch
// directory are gone (no exit() that would leave them behind).
struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void require(const ProcessResult& r, const char* what) {
  if (r.status != 0) throw BenchFailure(std::string(what) + " failed (exit " + std::to_string(r.status) + ")");
}

// Wall time is what a user waits; client CPU time is steadier on a busy machine.
void print_row(const char* what, int count, double total, double cpu, double bytes_each) {
  std::printf("%-44s %4d ops  total %8.3f s  per op %9.2f ms  client CPU/op %8.2f ms", what, count, total,
              total * 1000 / count, cpu * 1000 / count);
  if (bytes_each > 0) std::printf("  %7.1f MiB/s", bytes_each * count / total / (1 << 20));
  std::printf("\n");
}

// Half pseudo-random bytes, half repetitive text: compresses about 2:1,
// roughly like test data.
void write_content(const QString& path, qint64 size, unsigned seed) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) throw BenchFailure("cannot write " + path.toStdString());
  std::mt19937 rng(seed);
  QByteArray chunk(1 << 20, '\0');
  for (qint64 written = 0; written < size;) {
    for (int i = 0; i < chunk.size(); i += 4) {
      std::uint32_t x = rng();
      if ((i / 4096) % 2)
        std::memcpy(chunk.data() + i, "abc ", 4);
      else
        std::memcpy(chunk.data() + i, &x, 4);
    }
    qint64 n = std::min<qint64>(chunk.size(), size - written);
    f.write(chunk.constData(), n);
    written += n;
  }
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : (fallback ? fallback : "");
}

}  // namespace

#ifndef FT_DEFAULT_CLI_BIN
#define FT_DEFAULT_CLI_BIN ""
#endif
#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

int bench(int argc, char** argv) {
  int count = 200;
  qint64 big_mib = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--count") count = std::atoi(argv[i + 1]);
    if (a == "--big-mib") big_mib = std::atoll(argv[i + 1]);
  }
  const std::string cli = env_or("FILETRACKER_CLI_BIN", FT_DEFAULT_CLI_BIN);
  qputenv("FILETRACKER_SERVER_BIN", QByteArray::fromStdString(env_or("FILETRACKER_SERVER_BIN", FT_DEFAULT_SERVER_BIN)));
  if (cli.empty() || TestServer::binary().isEmpty()) {
    std::fprintf(stderr, "bench_cli: set FILETRACKER_CLI_BIN and FILETRACKER_SERVER_BIN\n");
    return 1;
  }
  qunsetenv("FILETRACKER_URL");
  qunsetenv("FILETRACKER_DIR");

  QTemporaryDir tmp;
  TestServer server;
  if (!tmp.isValid() || !server.start()) {
    std::fprintf(stderr, "bench_cli: cannot start the server\n");
    return 1;
  }
  const std::string url = server.url().toStdString();
  const std::string cache = tmp.filePath("cache").toStdString();
  std::printf("filetracker CLI benchmark: %s against %s (each op = one process)\n", cli.c_str(), url.c_str());
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) > 0) std::printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

  // 1. Small puts.
  const QString small = tmp.filePath("small.bin");
  write_content(small, 1024, 1);
  double total = 0, cpu = 0;
  for (int i = 0; i < count; ++i) {
    auto r = run(cli, {"-r", url, "-c", cache, "put", small.toStdString(), "/bench/small/" + std::to_string(i)});
    require(r, "put 1 KiB");
    total += r.seconds;
    cpu += r.cpu_seconds;
  }
  print_row("put 1 KiB (server + cache)", count, total, cpu, 1024);

  // 2. Cached gets of a versioned name.
  auto first = run(cli, {"-r", url, "-c", cache, "put", small.toStdString(), "/bench/hot.bin@1420070410"});
  require(first, "put hot");
  total = cpu = 0;
  const std::string out = tmp.filePath("out.bin").toStdString();
  for (int i = 0; i < count; ++i) {
    auto r = run(cli, {"-r", url, "-c", cache, "get", "/bench/hot.bin@1420070410", out});
    require(r, "cached get");
    total += r.seconds;
    cpu += r.cpu_seconds;
  }
  print_row("get 1 KiB, versioned, from the cache", count, total, cpu, 0);

  // 3. One big file.
  const QString big = tmp.filePath("big.bin");
  const qint64 big_size = big_mib << 20;
  write_content(big, big_size, 2);
  const std::string big_name = "/bench/big.bin@1420070410";
  auto put = run(cli, {"-r", url, "-c", cache, "put", "--no-local-cache", big.toStdString(), big_name});
  require(put, "big put");
  char label[64];
  std::snprintf(label, sizeof label, "put %lld MiB (hash + gzip + upload)", static_cast<long long>(big_mib));
  print_row(label, 1, put.seconds, put.cpu_seconds, double(big_size));
  std::printf("%-44s peak RSS %ld MiB\n", "", put.max_rss_kib / 1024);

  const std::string fresh = tmp.filePath("cache-fresh").toStdString();
  auto get = run(cli, {"-r", url, "-c", fresh, "get", big_name, tmp.filePath("big.out").toStdString()});
  require(get, "big get");
  std::snprintf(label, sizeof label, "get %lld MiB (download + gunzip + verify)", static_cast<long long>(big_mib));
  print_row(label, 1, get.seconds, get.cpu_seconds, double(big_size));
  std::printf("%-44s peak RSS %ld MiB\n", "", get.max_rss_kib / 1024);

  auto cached = run(cli, {"-r", url, "-c", fresh, "get", big_name, tmp.filePath("big2.out").toStdString()});
  require(cached, "big cached get");
  std::snprintf(label, sizeof label, "get %lld MiB again, from the cache", static_cast<long long>(big_mib));
  print_row(label, 1, cached.seconds, cached.cpu_seconds, double(big_size));

  QFile a(big), b(tmp.filePath("big.out"));
  if (a.size() != b.size()) {
    std::fprintf(stderr, "bench_cli: the downloaded file differs in size\n");
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  try {
    return bench(argc, argv);
  } catch (const BenchFailure& e) {  // caught here, so the stack (server, scratch) unwinds first
    std::fprintf(stderr, "bench_cli: %s\n", e.what());
    return 1;
  }
}
