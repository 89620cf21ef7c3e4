#include "filetracker/server/log.hpp"

#include <sys/time.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace ft::server {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::Info)};
std::mutex g_mutex;
std::FILE* g_file = nullptr;  // nullptr: stderr

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "DEBUG";
    case LogLevel::Info: return "INFO";
    case LogLevel::Warning: return "WARNING";
    case LogLevel::Error: return "ERROR";
  }
  return "?";
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  const std::string lower = protocol::to_lower(text);
  if (lower == "debug") return LogLevel::Debug;
  if (lower == "info") return LogLevel::Info;
  if (lower == "warning" || lower == "warn") return LogLevel::Warning;
  if (lower == "error") return LogLevel::Error;
  return std::nullopt;
}

void set_log_level(LogLevel level) { g_level = static_cast<int>(level); }

void set_log_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (!file) throw_errno(path + ": cannot open the log file");
  std::lock_guard lock(g_mutex);
  if (g_file) std::fclose(g_file);
  g_file = file;
}

bool log_enabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

void log_message(LogLevel level, std::string_view text) {
  if (!log_enabled(level)) return;
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  std::tm tm{};
  ::gmtime_r(&tv.tv_sec, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(tv.tv_usec / 1000));
  std::lock_guard lock(g_mutex);
  std::FILE* out = g_file ? g_file : stderr;
  std::fprintf(out, "%s %s %.*s\n", stamp, level_name(level), static_cast<int>(text.size()), text.data());
  std::fflush(out);
}

}  // namespace ft::server
