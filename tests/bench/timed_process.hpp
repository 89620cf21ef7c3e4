// One run of a program for the benchmarks: wall time, the child's own CPU
// time and peak RSS (posix_spawn + wait4, no shell, output to /dev/null).
#pragma once

#include <QElapsedTimer>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <string>
#include <vector>

extern char** environ;

namespace timed {

struct ProcessResult {
  int status = -1;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system of the child
  long max_rss_kib = 0;
};

// `bin` is looked up in PATH unless it contains a '/'.
// `out`: where its stdout goes (default /dev/null), e.g. to count its lines.
inline ProcessResult run(const std::string& bin, const std::vector<std::string>& args,
                         const std::string& out = "/dev/null") {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(bin.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  QElapsedTimer timer;
  timer.start();
  pid_t pid = 0;
  ProcessResult result;
  if (posix_spawnp(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    return result;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  result.seconds = double(timer.nsecsElapsed()) / 1e9;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.max_rss_kib = usage.ru_maxrss;
  result.cpu_seconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return result;
}

}  // namespace timed
