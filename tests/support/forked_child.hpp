// A fork()ed child process with a pipe each way, for tests of what separate
// processes see (locks, a writer killed mid-write). The child runs
// `body(in, out)` and exits with _exit (never returning into the test
// framework); exit status 0 on success, 1 when body threw. The destructor
// kills and reaps a child that is still running, so a failing test leaves
// no process behind; a child whose parent died reads EOF on its pipe (get()
// then exits) and is killed by SIGKILL as well (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>

namespace test {

class Child {
 public:
  explicit Child(const std::function<void(int in, int out)>& body);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void send(char c) const;
  // The next byte from the child, or nullopt after `timeout_ms`.
  std::optional<char> receive(int timeout_ms) const;
  void kill9() const;
  pid_t pid() const { return pid_; }
  // Waits for the child; returns its exit status (-1 when killed by a signal).
  int wait();

  // Child-side helpers.
  static void put(int fd, char c);
  static char get(int fd);

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  int exit_status_ = -1;
};

}  // namespace test
