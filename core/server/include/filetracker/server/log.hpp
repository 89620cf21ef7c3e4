// The server's log: one line per event, "2026-01-01T10:00:00.123Z INFO text",
// to stderr or a file. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ft::server {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// "debug", "info", "warning" (or "warn"), "error"; case-insensitive.
std::optional<LogLevel> parse_log_level(std::string_view text);
void set_log_level(LogLevel level);
// Appends to `path` from now on. Throws Error(Io).
void set_log_file(const std::string& path);
bool log_enabled(LogLevel level);
void log_message(LogLevel level, std::string_view text);

}  // namespace ft::server
