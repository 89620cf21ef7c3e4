// A flag one thread raises and another waits for, with a bound: lets a test
// hold a fake server's answer back until the client has done something.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace test {

class Gate {
 public:
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // False when the gate stayed closed for `ms`.
  bool wait(int ms) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

}  // namespace test
