// The transfer queue's bandwidth limit (issue 15), measured: one upload and
// one download of a file of random bytes (incompressible: the wire carries
// about its size) through the real TransferQueue and RemoteStore against the
// real filetracker-server on loopback, with the limit set, and the same
// without a limit beside them. Prints the rate on the wire while the body
// moved (from the Transferring stage to the end, so compressing the upload
// first does not count) and its ratio to the limit; the aim is 1.00 ± 0.15.
//
//   bench_transfer_limit [--limit-kib 2048] [--mib 16]
//
// The server is a test::Process child (stopped when the benchmark ends,
// killed if it dies): FILETRACKER_SERVER_BIN, else the one built with this.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

#include "content.hpp"
#include "event_loop_wait.hpp"
#include "store/remote_store.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "transfers/transfer_queue.hpp"

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

using namespace ft::ui;

namespace {

struct Measured {
  bool ok = false;
  double seconds = 0;
  qint64 wireBytes = 0;
  QString error;
};

// Runs the queue's one transfer `id` to its end; the time from its
// Transferring stage (Running) to Finished, and the bytes it moved.
Measured run(TransferQueue& queue, quint64 id) {
  QElapsedTimer clock;
  bool started = false;
  Measured m;
  test::waitFor(
      [&] {
        const Transfer* t = queue.find(id);
        if (!started && t->state == Transfer::State::Running) {
          started = true;
          clock.start();
        }
        return t->isOver();
      },
      600000);
  const Transfer* t = queue.find(id);
  m.ok = t->state == Transfer::State::Finished;
  m.error = t->error;
  m.seconds = started ? double(clock.nsecsElapsed()) / 1e9 : 0;
  m.wireBytes = t->total;
  return m;
}

void print(const char* what, const Measured& m, qint64 limit) {
  if (!m.ok) {
    std::printf("%-22s FAILED: %s\n", what, qPrintable(m.error));
    return;
  }
  const double rate = double(m.wireBytes) / m.seconds;
  if (limit > 0) {
    std::printf("%-22s %6.2f s  %8.1f KiB/s  = %.3f x the limit (%lld KiB/s)\n", what, m.seconds, rate / 1024.0,
                rate / double(limit), static_cast<long long>(limit / 1024));
  } else {
    std::printf("%-22s %6.2f s  %8.1f KiB/s  (no limit)\n", what, m.seconds, rate / 1024.0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.addHelpOption();
  QCommandLineOption limitOption(QStringLiteral("limit-kib"), QStringLiteral("The limit, KiB/s."), QStringLiteral("N"),
                                 QStringLiteral("2048"));
  QCommandLineOption mibOption(QStringLiteral("mib"), QStringLiteral("File size, MiB."), QStringLiteral("N"),
                               QStringLiteral("16"));
  parser.addOptions({limitOption, mibOption});
  parser.process(app);
  const qint64 limit = parser.value(limitOption).toLongLong() * 1024;
  const qint64 size = parser.value(mibOption).toLongLong() << 20;
  if (TestServer::binary().isEmpty()) qputenv("FILETRACKER_SERVER_BIN", FT_DEFAULT_SERVER_BIN);

  TestServer server;
  if (!server.start()) {
    std::fprintf(stderr, "bench_transfer_limit: the server did not start\n");
    return 1;
  }
  auto work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("bench-limit")));
  const QString source = work->filePath(QStringLiteral("source.bin"));
  if (!test::writeRandomFile(source, size, 11)) return 1;
  RemoteStore store(QUrl(server.url()), work->filePath(QStringLiteral("tmp")));
  QDir().mkpath(work->filePath(QStringLiteral("tmp")));
  TransferQueue queue;
  queue.setStore(&store);
  std::printf("bench_transfer_limit: %lld MiB of random bytes, real server at %s\n", static_cast<long long>(size >> 20),
              qPrintable(server.url()));

  for (const qint64 rate : {limit, qint64(0)}) {
    queue.setBandwidthLimit(rate);
    const QString name = QStringLiteral("/bench/limit-%1.bin").arg(rate);
    const Measured up = run(queue, queue.enqueueUpload(UploadRequest{source, name, std::nullopt}));
    print(rate > 0 ? "upload, limited" : "upload, unlimited", up, rate);
    const Measured down =
        run(queue, queue.enqueueDownload(DownloadRequest{name, work->filePath(QStringLiteral("back-%1.bin").arg(rate)), false}));
    print(rate > 0 ? "download, limited" : "download, unlimited", down, rate);
  }
  return 0;
}
