// Reading and writing an open POSIX file descriptor: the EINTR and
// short-write loops every raw read()/write() of core needs, written once.
// Errors are Error(Io, "<subject>: <failure>: <strerror(errno)>"); the
// message is built only when there is an error (these run once per chunk).
#pragma once

#include <cstddef>
#include <string_view>

namespace ft {

// Reads up to `size` bytes into `buffer`, retrying when a signal interrupts
// the call. Returns 0 at the end of the file.
std::size_t read_some(int fd, char* buffer, std::size_t size, std::string_view subject, std::string_view failure);

// Writes all of `data`, retrying on EINTR and after short writes.
void write_all(int fd, std::string_view data, std::string_view subject, std::string_view failure);

}  // namespace ft
