#include "forked_child.hpp"

#include <QtGlobal>

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace test {

Child::Child(const std::function<void(int in, int out)>& body) {
  int down[2], up[2];
  if (::pipe(down) != 0 || ::pipe(up) != 0) qFatal("pipe failed");
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) qFatal("fork failed");
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(5);  // the test died before prctl
    ::close(down[1]);
    ::close(up[0]);
    int status = 0;
    try {
      body(down[0], up[1]);
    } catch (...) {
      status = 1;
    }
    ::_exit(status);
  }
  ::close(down[0]);
  ::close(up[1]);
  to_child_ = down[1];
  from_child_ = up[0];
}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
}

void Child::send(char c) const {
  if (::write(to_child_, &c, 1) != 1) qWarning("cannot write to the child");
}

std::optional<char> Child::receive(int timeout_ms) const {
  pollfd p{from_child_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
  char c;
  if (::read(from_child_, &c, 1) != 1) return std::nullopt;
  return c;
}

void Child::kill9() const { ::kill(pid_, SIGKILL); }

int Child::wait() {
  if (pid_ <= 0) return exit_status_;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return exit_status_;
}

void Child::put(int fd, char c) {
  if (::write(fd, &c, 1) != 1) ::_exit(3);
}

char Child::get(int fd) {
  char c = 0;
  if (::read(fd, &c, 1) != 1) ::_exit(4);
  return c;
}

}  // namespace test
