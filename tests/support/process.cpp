#include "process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace test {

Process::Process(QObject* parent) : QProcess(parent) {
  const pid_t test = ::getpid();
  // Runs in the child between fork and exec: async-signal-safe calls only.
  setChildProcessModifier([test] {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != test) ::_exit(127);  // the test died before prctl
  });
}

Process::~Process() {
  if (state() != QProcess::NotRunning) {
    kill();
    waitForFinished(10000);
  }
}

bool Process::stop(int graceMs) {
  if (state() == QProcess::NotRunning) return true;
  terminate();
  if (waitForFinished(graceMs)) return true;
  kill();
  waitForFinished(10000);
  return false;
}

ProcessResult runProcess(const QString& program, const QStringList& args, const QProcessEnvironment& env,
                         int timeoutMs) {
  Process p;
  p.setProcessEnvironment(env);
  p.start(program, args);
  ProcessResult r;
  if (!p.waitForStarted(10000)) return r;
  if (!p.waitForFinished(timeoutMs)) return r;  // ~Process kills it
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

ProcessResult runProcess(const QString& program, const QStringList& args, const QByteArray& input,
                         const QProcessEnvironment& env, int timeoutMs) {
  Process p;
  p.setProcessEnvironment(env);
  p.start(program, args);
  ProcessResult r;
  if (!p.waitForStarted(10000)) return r;
  if (!input.isEmpty()) p.write(input);
  p.closeWriteChannel();
  if (!p.waitForFinished(timeoutMs)) return r;  // ~Process kills it
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

}  // namespace test
