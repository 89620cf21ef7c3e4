// Benchmark of `filetracker find` and `filetracker sync` (issue 15), end to
// end: the real CLI against the real filetracker-server on loopback.
//
//   1. find over N names (default 1,000,000, imported with
//      `filetracker-server --import-upstream` from a hand-built upstream
//      layout; not measured): the server's find extension vs the plain-v2
//      fallback (the same data directory served with --no-extensions: the
//      CLI reads the whole plain listing, matches it and sends a HEAD per
//      match). Two queries: a sparse basename glob over everything, and a
//      glob below one literal directory. Same lines from both, or it fails.
//      Also disk usage of "/" (the GUI's folder sizes): GET /du/ first (an
//      index scan) and again (cached), top=10, against summing the JSON
//      listing on the client; and the plain-v2 fallback's plain listing.
//   2. a no-op `sync` of F files (default 2,000 of 1 KiB) already on the
//      server: wall time and requests (its summary, and the PUTs the
//      server's /metrics counted), side by side with a naive re-upload of
//      everything: F `filetracker put` runs (a script's loop) and one
//      process that PUTs every file over one connection (rclone-style
//      "copy everything"); the ratios. Then the same no-op sync against a
//      plain v2 server (--no-extensions: a HEAD and a GET per file).
//
//   build/bin/bench_find_sync [N [F]]   (N = 0: only the sync part)
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "content.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/protocol_disk_usage.hpp"
#include "filetracker/remote_data_store.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"
#include "timed_process.hpp"
#include "upstream_layout.hpp"

namespace {

constexpr long long kVersion = 1420070410;

struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// 1000 names per directory: /b/dNNNN/fMMMM.in (even M) or .out (odd M).
std::string name_of(int i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "/b/d%04d/f%04d.%s", i / 1000, i % 1000, i % 2 ? "out" : "in");
  return buf;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

long lines_of(const std::string& text) { return static_cast<long>(std::count(text.begin(), text.end(), '\n')); }

double puts_counted(quint16 port) {
  RawResponse r = rawRequest(port, "GET", "/metrics");
  double sum = 0;
  for (const auto& l : r.body.split('\n'))
    if (l.startsWith("filetracker_http_requests_total{method=\"PUT\"")) sum += l.mid(l.lastIndexOf(' ') + 1).toDouble();
  return sum;
}

void load(const char* when) {
  QFile f("/proc/loadavg");
  if (f.open(QIODevice::ReadOnly)) std::printf("load (%s): %s", when, f.readAll().constData());
}

// Disk usage of every top-level folder (the GUI's Size column at "/") over
// the n names: with the "du" extension (the first request scans the index,
// the next is answered from the cache), and without it the way a client
// sums it: the JSON listing (sizes) or the plain one (names only: counts).
void measure_disk_usage(quint16 port, bool extensions, int n) {
  QElapsedTimer timer;
  auto timed_get = [&](const QByteArray& target, const RawHeaders& headers, double* seconds) {
    timer.restart();
    RawResponse r = rawRequest(port, "GET", target, headers);
    *seconds = timer.nsecsElapsed() / 1e9;
    if (r.status != 200) throw BenchFailure("GET " + target.toStdString() + " answered " + std::to_string(r.status));
    return r.body;
  };
  if (extensions) {
    double cold = 0, warm = 0, top = 0, listing = 0;
    const QByteArray first = timed_get("/du/", {}, &cold);
    timed_get("/du/", {}, &warm);
    timed_get("/du/b?top=10", {}, &top);
    const ft::protocol::DiskUsage usage = ft::protocol::parse_disk_usage(first.toStdString());
    if (usage.total.files != static_cast<std::uint64_t>(n)) throw BenchFailure("du counted a different number of files");
    // The client-side sum from the JSON listing (what the GUI does without du).
    timer.restart();
    RawResponse r = rawRequest(port, "GET", "/list/", {{"Accept", "application/json"}});
    const ft::protocol::Listing all = ft::protocol::parse_json_list(r.body.toStdString());
    std::uint64_t bytes = 0;
    for (const auto& e : all.files) bytes += e.size;
    listing = timer.nsecsElapsed() / 1e9;
    if (bytes != usage.total.bytes) throw BenchFailure("du and the listing disagree about the bytes");
    std::printf("du of / over %d names: first (index scan) %8.3f s, again (cached) %8.3f s, top=10 below /b %8.3f s; "
                "summing the JSON listing instead %8.3f s: ratio %.1f x (first), %.0f x (cached)\n",
                n, cold, warm, top, listing, listing / cold, listing / warm);
  } else {
    double plain = 0;
    timed_get("/list/", {}, &plain);
    std::printf("plain-v2 fallback: the recursive plain listing of / (names only, no bytes) %8.3f s\n", plain);
  }
}

int run(int n, int files) {
  const std::string server_bin = env_or("FILETRACKER_SERVER_BIN", FT_DEFAULT_SERVER_BIN);
  const std::string cli_bin = env_or("FILETRACKER_CLI_BIN", FT_DEFAULT_CLI_BIN);
  qputenv("FILETRACKER_SERVER_BIN", QByteArray::fromStdString(server_bin));
  QTemporaryDir tmp(QDir::tempPath() + "/ft-bench-find-sync-XXXXXX");
  if (!tmp.isValid()) throw BenchFailure("no scratch directory");
  const std::string scratch = tmp.path().toStdString();
  load("start");

  // ---- 1. find over n names (0: skipped) ----
  if (n > 0) {
    const std::filesystem::path old_dir = scratch + "/old";
    test::UpstreamLayout layout(old_dir);
    QElapsedTimer timer;
    timer.start();
    std::vector<QByteArray> contents;
    for (int c = 0; c < 64; ++c) contents.push_back(test::mixedBytes(100 + 37 * c, static_cast<quint32>(c + 1)));
    for (int i = 0; i < n; ++i)
      if (!layout.addFile(name_of(i), contents[i % 64], kVersion + i % 86400))
        throw BenchFailure("cannot build the upstream layout");
    std::printf("upstream layout of %d names built in %.1f s (not measured)\n", n, timer.elapsed() / 1000.0);
    const std::string data = scratch + "/data";
    auto import = timed::run(server_bin, {"-d", data, "--import-upstream", old_dir.string()});
    if (import.status != 0) throw BenchFailure("the import failed");
    std::printf("imported in %.1f s (not measured)\n", import.seconds);
    // (The upstream layout stays until the end: removing a million links
    // takes longer than everything measured here.)

    struct Query {
      const char* what;
      std::vector<std::string> args;
    };
    const std::vector<Query> queries{
        {"sparse basename glob over every name", {"find", "--name", "f000?.in", "/"}},
        {"glob below one literal directory", {"find", "--name", "/b/d0042/*.in", "/"}},
    };
    std::vector<std::string> outputs[2];
    double seconds[2][2] = {};
    long rss[2][2] = {};
    for (int mode = 0; mode < 2; ++mode) {
      TestServer server(QString::fromStdString(data), mode == 0 ? QStringList{} : QStringList{"--no-extensions"});
      if (!server.start()) throw BenchFailure("the server did not start");
      measure_disk_usage(server.port(), mode == 0, n);
      for (std::size_t q = 0; q < queries.size(); ++q) {
        std::vector<std::string> args{"-r", server.url().toStdString(), "-c", scratch + "/cache"};
        args.insert(args.end(), queries[q].args.begin(), queries[q].args.end());
        const std::string out = scratch + "/find.out";
        auto r = timed::run(cli_bin, args, out);
        if (r.status != 0) throw BenchFailure(std::string("find failed: ") + queries[q].what);
        outputs[mode].push_back(read_all(out));
        seconds[mode][q] = r.seconds;
        rss[mode][q] = r.max_rss_kib;
      }
    }
    for (std::size_t q = 0; q < queries.size(); ++q) {
      if (outputs[0][q] != outputs[1][q]) throw BenchFailure(std::string("different results: ") + queries[q].what);
      std::printf("find, %-38s %7ld matches of %d: server-side %8.3f s (RSS %5ld MiB)  plain-v2 fallback %8.3f s (RSS "
                  "%5ld MiB)  ratio %.1f x\n",
                  queries[q].what, lines_of(outputs[0][q]), n, seconds[0][q], rss[0][q] / 1024, seconds[1][q],
                  rss[1][q] / 1024, seconds[1][q] / seconds[0][q]);
    }
  }

  // ---- 2. no-op sync of `files` files vs naive re-upload ----
  {
    TestServer server;
    if (!server.start()) throw BenchFailure("the server did not start");
    const std::string url = server.url().toStdString();
    const std::string local = scratch + "/local";
    for (int i = 0; i < files; ++i) {
      char rel[64];
      std::snprintf(rel, sizeof rel, "/p%02d/t%04d.in", i % 20, i);
      std::filesystem::create_directories(std::filesystem::path(local + rel).parent_path());
      const QByteArray content = test::mixedBytes(1024, static_cast<quint32>(i + 7));
      std::ofstream(local + rel, std::ios::binary).write(content.constData(), content.size());
    }
    const std::vector<std::string> sync_args{"-r", url, "-c", scratch + "/cache", "sync", local, "/pkg"};
    auto first = timed::run(cli_bin, sync_args);
    if (first.status != 0) throw BenchFailure("the first sync failed");
    std::printf("first sync of %d files (uploads everything): %.3f s\n", files, first.seconds);

    const double puts_before = puts_counted(server.port());
    const std::string out = scratch + "/sync.out";
    auto noop = timed::run(cli_bin, sync_args, out);
    if (noop.status != 0) throw BenchFailure("the no-op sync failed");
    const std::string summary = read_all(out);
    const double noop_puts = puts_counted(server.port()) - puts_before;
    std::printf("no-op sync of %d files: %.3f s, %.0f PUTs; its summary: %s", files, noop.seconds, noop_puts,
                summary.c_str());

    // Naive 1: one `filetracker put` per file (a shell loop).
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < files; ++i) {
      char rel[64];
      std::snprintf(rel, sizeof rel, "/p%02d/t%04d.in", i % 20, i);
      auto r = timed::run(cli_bin, {"-r", url, "-c", scratch + "/cache", "put", "--no-local-cache", local + rel,
                                    std::string("/naive") + rel});
      if (r.status != 0) throw BenchFailure("a naive put failed");
    }
    const double loop_seconds = timer.nsecsElapsed() / 1e9;
    // Naive 2: one process, one connection, every file PUT again.
    const double puts_mid = puts_counted(server.port());
    ft::RemoteDataStore store(url);
    timer.restart();
    for (int i = 0; i < files; ++i) {
      char rel[64];
      std::snprintf(rel, sizeof rel, "/p%02d/t%04d.in", i % 20, i);
      store.add_file(std::string("/pkg") + rel, local + rel);
    }
    const double one_process_seconds = timer.nsecsElapsed() / 1e9;
    const double one_process_puts = puts_counted(server.port()) - puts_mid;
    std::printf("naive re-upload, %d `filetracker put` runs:      %8.3f s, %d PUTs   no-op sync is %.0f x faster\n",
                files, loop_seconds, files, loop_seconds / noop.seconds);
    std::printf("naive re-upload, one process, one connection: %8.3f s, %.0f PUTs (%llu requests)   no-op sync is "
                "%.1f x faster\n",
                one_process_seconds, one_process_puts, static_cast<unsigned long long>(store.requests_sent()),
                one_process_seconds / noop.seconds);

    // The same no-op sync against a plain v2 server (--no-extensions): no
    // JSON listing and no checksums, so one HEAD per name and every file
    // read back and hashed: correct, and slower by what it has to read.
    TestServer plain(QString(), {"--no-extensions"});
    if (!plain.start()) throw BenchFailure("the plain server did not start");
    const std::vector<std::string> plain_args{"-r", plain.url().toStdString(), "-c", scratch + "/cache-plain",
                                              "sync", local, "/pkg"};
    if (timed::run(cli_bin, plain_args).status != 0) throw BenchFailure("the first plain sync failed");
    const double plain_puts_before = puts_counted(plain.port());
    const std::string plain_out = scratch + "/sync-plain.out";
    auto plain_noop = timed::run(cli_bin, plain_args, plain_out);
    if (plain_noop.status != 0) throw BenchFailure("the plain no-op sync failed");
    std::printf("no-op sync of %d files, plain v2 server: %.3f s, %.0f PUTs (%.1f x the extension's time); its summary: %s",
                files, plain_noop.seconds, puts_counted(plain.port()) - plain_puts_before,
                plain_noop.seconds / noop.seconds, read_all(plain_out).c_str());
  }
  load("end");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int f = argc > 2 ? std::atoi(argv[2]) : 2000;
  if (n < 0 || f <= 0) {
    std::fprintf(stderr, "usage: bench_find_sync [NAMES [FILES]] (NAMES 0: no find part)\n");
    return 2;
  }
  try {
    return run(n, f);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_find_sync: %s\n", e.what());
    return 1;
  }
}
