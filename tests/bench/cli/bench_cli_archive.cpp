// Benchmark of archives through the command line (issue 13), end to end:
// the real `filetracker` binary against the real filetracker-server on
// loopback, each operation one process (start-up included).
//
//   1. a zip of N small files (default 2,000 of 0.5-4 KiB):
//        a. `put --extract ZIP DIR`
//        b. `unzip` into a folder, then one `filetracker put` per file
//        c. one `filetracker put ZIP NAME` of the whole zip
//      files/s of each and the ratios a/b, a/c;
//   2. a 1 GiB zip (16 entries of 64 MiB, mostly random bytes, so the
//      archive is about as big as what it unpacks to): wall time and peak
//      RSS of `put --extract` and of `get --archive` into .zip and .tar
//      (a fresh cache: from the server);
//   3. what reading the data in pass 1 costs (the check that finds a lying
//      header or a CRC mismatch before anything is stored): the pass alone
//      (ft::list_archive) next to a walk over the headers only, and both
//      as a share of the whole `put --extract`.
//
// Every process it starts is waited for (timed::run) or stopped with the
// TestServer (also on failure); the scratch directory is removed at the end.
//   build/bin/bench_cli_archive [--entries 2000] [--big-mib 1024]
#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "filetracker/archive_reader.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "timed_process.hpp"

namespace {

using timed::ProcessResult;
using timed::run;

// A step that failed: main() reports it after the server and the scratch
// directory are gone.
struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void require(const ProcessResult& r, const std::string& what) {
  if (r.status != 0) throw BenchFailure(what + " failed (exit " + std::to_string(r.status) + ")");
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : (fallback ? fallback : "");
}

// A zip written with libarchive, entry by entry, content from `fill`.
class ZipWriter {
 public:
  explicit ZipWriter(const QString& path) : a_(archive_write_new(), archive_write_free) {
    archive_write_set_format_zip(a_.get());
    if (archive_write_open_filename(a_.get(), path.toLocal8Bit().constData()) != ARCHIVE_OK)
      throw BenchFailure("cannot write " + path.toStdString());
  }
  template <typename Fill>
  void add(const std::string& name, std::uint64_t size, long long mtime, Fill fill) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname_utf8(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e.get(), mtime, 0);
    if (archive_write_header(a_.get(), e.get()) != ARCHIVE_OK) throw BenchFailure("zip header " + name);
    std::vector<char> chunk;
    for (std::uint64_t off = 0; off < size;) {
      chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, size - off)));
      fill(chunk);
      if (archive_write_data(a_.get(), chunk.data(), chunk.size()) < 0) throw BenchFailure("zip data " + name);
      off += chunk.size();
    }
  }
  void close() {
    if (archive_write_close(a_.get()) != ARCHIVE_OK) throw BenchFailure("zip close");
  }

 private:
  std::unique_ptr<archive, int (*)(archive*)> a_;
};

// Pass 1 as it was: headers only (libarchive skips the data).
double headers_only_seconds(const QString& path) {
  QElapsedTimer t;
  t.start();
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.toLocal8Bit().constData(), 1 << 16) != ARCHIVE_OK)
    throw BenchFailure("cannot read " + path.toStdString());
  archive_entry* e = nullptr;
  while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
  }
  return double(t.nsecsElapsed()) / 1e9;
}

void print_rate(const char* what, int files, const ProcessResult& r) {
  std::printf("%-52s %6d files  %8.2f s  %8.1f files/s  client CPU %7.2f s\n", what, files, r.seconds,
              files / r.seconds, r.cpu_seconds);
}

void print_big(const char* what, double mib, const ProcessResult& r) {
  std::printf("%-52s %8.2f s  %7.1f MiB/s  client CPU %7.2f s  peak RSS %5ld MiB\n", what, r.seconds, mib / r.seconds,
              r.cpu_seconds, r.max_rss_kib / 1024);
}

}  // namespace

#ifndef FT_DEFAULT_CLI_BIN
#define FT_DEFAULT_CLI_BIN ""
#endif
#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

int bench(int argc, char** argv) {
  int entries = 2000;
  long long big_mib = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--entries") entries = std::atoi(argv[i + 1]);
    if (a == "--big-mib") big_mib = std::atoll(argv[i + 1]);
  }
  const std::string cli = env_or("FILETRACKER_CLI_BIN", FT_DEFAULT_CLI_BIN);
  qputenv("FILETRACKER_SERVER_BIN", QByteArray::fromStdString(env_or("FILETRACKER_SERVER_BIN", FT_DEFAULT_SERVER_BIN)));
  if (cli.empty() || TestServer::binary().isEmpty()) throw BenchFailure("set FILETRACKER_CLI_BIN and FILETRACKER_SERVER_BIN");
  qunsetenv("FILETRACKER_URL");
  qunsetenv("FILETRACKER_DIR");

  QTemporaryDir tmp(test::tempTemplate("bench-archive"));
  if (!tmp.isValid()) throw BenchFailure("no scratch directory");
  // put --extract's scratch file goes here too (and is removed with it).
  qputenv("TMPDIR", tmp.path().toLocal8Bit());
  TestServer server(tmp.filePath("server"));
  QDir().mkpath(tmp.filePath("server"));
  if (!server.start()) throw BenchFailure("cannot start the server");
  const std::string url = server.url().toStdString();
  const auto cache = [&](const char* name) { return tmp.filePath(name).toStdString(); };
  std::printf("filetracker archive benchmark: %s against %s (each op = one process)\n", cli.c_str(), url.c_str());
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) > 0) std::printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

  // 1. Many small files.
  const QString small_zip = tmp.filePath("small.zip");
  {
    ZipWriter zip(small_zip);
    std::mt19937 rng(7);
    for (int i = 0; i < entries; ++i) {
      const std::uint64_t size = 512 + rng() % 3584;
      char name[64];
      std::snprintf(name, sizeof name, "tests/group%02d/%04d.in", i % 40, i);
      zip.add(name, size, 1420070410 + i, [&](std::vector<char>& chunk) {
        for (std::size_t j = 0; j < chunk.size(); ++j) chunk[j] = (j / 64) % 2 ? char('a' + j % 26) : char(rng());
      });
    }
    zip.close();
  }
  std::printf("\n1. a zip of %d small files (%lld KiB)\n", entries, static_cast<long long>(QFile(small_zip).size() >> 10));
  auto extract = run(cli, {"-r", url, "-c", cache("c1"), "put", "--extract", small_zip.toStdString(), "/a"});
  require(extract, "put --extract");
  print_rate("a. put --extract ZIP /a", entries, extract);

  const QString unzipped = tmp.filePath("unzipped");
  auto unzip = run("unzip", {"-q", small_zip.toStdString(), "-d", unzipped.toStdString()});
  require(unzip, "unzip");
  ProcessResult each{0, unzip.seconds, unzip.cpu_seconds, 0};
  int put_files = 0;
  for (QDirIterator it(unzipped, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
    const QString file = it.next();
    const std::string name = "/b/" + QDir(unzipped).relativeFilePath(file).toStdString();
    auto r = run(cli, {"-r", url, "-c", cache("c2"), "put", file.toStdString(), name});
    require(r, "put " + name);
    each.seconds += r.seconds;
    each.cpu_seconds += r.cpu_seconds;
    ++put_files;
  }
  if (put_files != entries) throw BenchFailure("unzip gave " + std::to_string(put_files) + " files");
  print_rate("b. unzip, then one put per file", entries, each);
  auto whole = run(cli, {"-r", url, "-c", cache("c3"), "put", small_zip.toStdString(), "/c/small.zip"});
  require(whole, "put of the zip");
  print_rate("c. one put of the whole zip (files inside it)", entries, whole);
  std::printf("ratios (files/s): put --extract / unzip + put per file = %.1fx; put --extract / one put of the zip = %.2fx\n",
              each.seconds / extract.seconds, whole.seconds / extract.seconds);

  // 2. One big archive.
  const QString big_zip = tmp.filePath("big.zip");
  const std::uint64_t big_bytes = std::uint64_t(big_mib) << 20;
  const int big_entries = 16;
  {
    ZipWriter zip(big_zip);
    std::mt19937 rng(11);
    for (int i = 0; i < big_entries; ++i)
      zip.add("big/part" + std::to_string(i) + ".bin", big_bytes / big_entries, 1420070410 + i, [&](std::vector<char>& c) {
        // Random words with a little text: deflate gains a few percent.
        for (std::size_t j = 0; j + 4 <= c.size(); j += 4) {
          const std::uint32_t x = (j / 4096) % 16 == 0 ? 0x20636261u : rng();
          std::memcpy(c.data() + j, &x, 4);
        }
      });
    zip.close();
  }
  const double mib = double(big_bytes) / (1 << 20);
  std::printf("\n2. a zip of %d entries, %.0f MiB unpacked, %.0f MiB archive\n", big_entries, mib,
              double(QFile(big_zip).size()) / (1 << 20));
  auto big_put = run(cli, {"-r", url, "-c", cache("c4"), "put", "--no-local-cache", "--extract", big_zip.toStdString(), "/big"});
  require(big_put, "put --extract of the big zip");
  print_big("put --extract (no local cache)", mib, big_put);
  for (const char* out : {"out.zip", "out.tar"}) {
    const std::string fresh = cache((std::string("c5-") + out).c_str());
    auto get = run(cli, {"-r", url, "-c", fresh, "get", "--archive", "/big", tmp.filePath(out).toStdString()});
    require(get, std::string("get --archive ") + out);
    print_big((std::string("get --archive /big ") + out + " (fresh cache)").c_str(), mib, get);
    QFile::remove(tmp.filePath(out));
    QDir(QString::fromStdString(fresh)).removeRecursively();
  }

  // 3. Pass 1 with the data read, against headers only.
  QElapsedTimer t;
  t.start();
  const ft::ArchiveListing listing = ft::list_archive(big_zip.toStdString(), "/big");
  const double pass1 = double(t.nsecsElapsed()) / 1e9;
  if (listing.refused() || listing.files.size() != std::size_t(big_entries)) throw BenchFailure("pass 1 of the big zip");
  const double headers = headers_only_seconds(big_zip);
  std::printf("\n3. pass 1 over the big zip: reading the data %.2f s (%.0f MiB/s), headers only %.3f s;\n"
              "   reading the data adds %.2f s = %.1f%% of the put --extract above\n",
              pass1, mib / pass1, headers, pass1 - headers, 100 * (pass1 - headers) / big_put.seconds);
  return 0;
}

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  try {
    return bench(argc, argv);
  } catch (const std::exception& e) {  // caught here, so the stack (server, scratch) unwinds first
    std::fprintf(stderr, "bench_cli_archive: %s\n", e.what());
    return 1;
  }
}
