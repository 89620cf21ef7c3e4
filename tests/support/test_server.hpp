// Starts the real filetracker-server binary on 127.0.0.1 with port 0 for
// end-to-end tests and benchmarks of every area.
//
// The binary comes from the environment variable FILETRACKER_SERVER_BIN
// (set by filetracker_add_test(... NEEDS server) in tests/CMakeLists.txt).
// The server runs as a test::Process: it is stopped when this object goes
// (also when a test fails half-way) and killed when the test process dies
// whatever the way. The server prints
//   filetracker-server: listening on http://ADDR:PORT
// on stdout once it accepts connections; start() waits for that line.
// FILETRACKER_TEST_SERVER_ARGS (space-separated) is added to every server's
// arguments. The server's stderr (its log) goes to a file; start() shows it with
// qWarning when the server does not come up.
#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

#include "process.hpp"

class TestServer {
 public:
  // Empty dataDir: the server gets its own QTemporaryDir (removed with this object).
  explicit TestServer(QString dataDir = {}, QStringList extraArgs = {});
  ~TestServer();  // stops the server (SIGTERM, then SIGKILL)
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts the server; false (and a qWarning with its log) when it did not
  // come up within 10 s.
  bool start();
  // Stops (if running) and starts again on the same data dir. Tries the same
  // port first; falls back to a new one, so url() may change.
  bool restart();
  void kill9();  // SIGKILL, waits until the process is gone
  void stop();   // SIGTERM and wait (SIGKILL after 10 s)

  bool isRunning() const;
  // Process id of the running server (0 when not running), e.g. to send it
  // SIGTERM without waiting; waitStopped() then waits for it to exit and
  // returns its exit code (-1: crashed or still running after timeoutMs).
  qint64 pid() const { return process_ ? process_->processId() : 0; }
  int waitStopped(int timeoutMs = 10000);
  quint16 port() const { return port_; }
  QString url() const;  // "http://127.0.0.1:PORT" (https:// when the server serves HTTPS only)
  // With --tls-cert: the HTTPS listener's port and URL (0 / empty without TLS).
  quint16 tlsPort() const { return tlsPort_; }
  QString tlsUrl() const;
  QString dataDir() const { return dataDir_; }
  // The server's log (its stderr) so far.
  QString log() const;
  // FILETRACKER_TEST_BACKEND=scaleout: the name of this server's own store
  // (PostgreSQL schema and S3 key prefix, see scaleout_backend.hpp); else empty.
  QString storeName() const { return storeName_; }
  // Extra arguments for the next start()/restart().
  void setExtraArgs(const QStringList& args) { extraArgs_ = args; }

  // Path of the server binary (FILETRACKER_SERVER_BIN), empty when unset.
  static QString binary();

 private:
  bool startOnPort(quint16 port);

  std::unique_ptr<QTemporaryDir> ownedDataDir_;
  QTemporaryDir logDir_;
  QString dataDir_;
  QStringList extraArgs_;
  QStringList backendArgs_;
  QString storeName_;  // FILETRACKER_TEST_BACKEND=scaleout: --index/--blobs of its own store
  std::unique_ptr<test::Process> process_;
  quint16 port_ = 0;  // the first listener's
  quint16 tlsPort_ = 0;
  QString scheme_ = QStringLiteral("http");
  QString host_ = QStringLiteral("127.0.0.1");
};

namespace test {

// Number of stored blobs: files under DATA/blobs/<2 hex>/ plus those kept
// inside the index (--inline-max-size).
int countBlobs(const QString& dataDir);
// Runs `filetracker-server --check --check-content -d DIR` (the binary
// TestServer::binary()); returns its exit code, its output in *out. With
// FILETRACKER_TEST_BACKEND=scaleout, a TestServer's data directory checks
// that server's PostgreSQL + S3 store (--index/--blobs added).
int runCheck(const QString& dataDir, QString* out = nullptr);

}  // namespace test
