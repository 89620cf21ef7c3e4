// Programs a test runs (the CLI, the server, the GUI) never outlive it:
//  - test::Process is a QProcess whose child gets SIGKILL when the test
//    process dies (PR_SET_PDEATHSIG): a crash, an abort, a CTest timeout or
//    a benchmark's exit() leave nothing running; its destructor kills and
//    reaps a child still running (a failed QVERIFY returns early);
//  - runProcess() runs a program to its end, with a bound.
// REQUIRES: start() is called from a thread that lives as long as the
// process should (the test's main thread): the kernel sends the signal when
// the *thread* that forked it exits.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace test {

class Process : public QProcess {
 public:
  explicit Process(QObject* parent = nullptr);
  ~Process() override;  // SIGKILL and wait when still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // SIGTERM, then SIGKILL after `graceMs`; waits until the process is gone.
  // Returns whether it ended on SIGTERM.
  bool stop(int graceMs = 10000);
};

struct ProcessResult {
  int code = -1;  // exit code; -1: did not start, crashed, or killed after the timeout
  QByteArray out;
  QByteArray err;
};

// Runs `program` to its end (killed after `timeoutMs`) and collects its output.
ProcessResult runProcess(const QString& program, const QStringList& args,
                         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                         int timeoutMs = 60000);
// The same, writing `input` to its stdin and then closing it (the overload
// above leaves stdin open: a program reading it waits).
ProcessResult runProcess(const QString& program, const QStringList& args, const QByteArray& input,
                         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                         int timeoutMs = 60000);

}  // namespace test
