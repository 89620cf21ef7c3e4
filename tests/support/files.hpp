// Files in tests: write, read, list, and the metadata the cache's rules use
// (mtime = version, inode = hard link). The std::filesystem flavour serves
// the core tests (std types, snake_case like core), the Qt flavour the
// others; each is written once, on top of the same code.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QString>
#include <QStringList>

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace test {

// Writes `content` to `path` (replacing it), creating parent directories.
// False when that failed.
bool write_file(const std::filesystem::path& path, std::string_view content);
// The whole file; empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);
long long mtime_of(const std::filesystem::path& path);  // -1 when missing
ino_t inode_of(const std::filesystem::path& path);      // 0 when missing
void touch(const std::filesystem::path& path, long long mtime);

bool writeFile(const QString& path, const QByteArray& content);
// The whole file; "<missing>" when it cannot be read (so it never equals
// an empty file).
QByteArray readFile(const QString& path);

// Names in `dir`, sorted, hidden and special files (temporaries, sockets)
// included, "." and ".." not: what a test checks for leftovers.
QStringList entries(const QString& dir, QDir::Filters filters = QDir::AllEntries);
QStringList entries(const std::filesystem::path& dir, QDir::Filters filters = QDir::AllEntries);

}  // namespace test
