// The live connections, so that a shutdown can close the idle ones (those
// in the middle of a request finish it first). When the last one goes after
// a burst, the memory they held goes back to the system (memory_release.hpp).
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "http/memory_release.hpp"

namespace ft::server {

class ConnectionRegistry {
 public:
  class Entry {
   public:
    // Closes the connection if it waits for a request; else it closes
    // after its answer. Any thread.
    virtual void close_if_idle() = 0;

   protected:
    ~Entry() = default;
  };

  void add(Entry* entry, std::weak_ptr<Entry> handle);
  void remove(Entry* entry);  // from the entry's destructor
  void close_idle();

 private:
  std::mutex mutex_;
  std::map<Entry*, std::weak_ptr<Entry>> entries_;
  BurstTrimmer trimmer_;
};

}  // namespace ft::server
