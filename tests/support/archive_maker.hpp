// Archives made in the test (libarchive's writer), hostile ones included:
// the formats put --extract reads, entries of every type, encryption, and
// large entries generated on the fly (no huge allocation).
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace test {

struct ArchiveEntrySpec {
  enum class Kind { File, Directory, Symlink, Hardlink, Fifo, CharDevice };
  std::string path;  // written as it is: "../x", "/abs", "a/"...
  QByteArray content;
  Kind kind = Kind::File;
  std::string target;            // symlink / hardlink target
  long long mtime = 1420070410;  // 2015-01-01 00:00:10 UTC
  // > 0: the content is `generated` bytes of patternBytes (content ignored).
  std::uint64_t generated = 0;
};

// A file entry.
inline ArchiveEntrySpec fileEntry(std::string path, QByteArray content, long long mtime = 1420070410) {
  ArchiveEntrySpec e;
  e.path = std::move(path);
  e.content = std::move(content);
  e.mtime = mtime;
  return e;
}

// Writes the archive `path` as `format`: "zip", "zip-store" (no
// compression), "tar", "tar.gz", "tar.bz2", "tar.xz", "tar.zst", "7z".
// `passphrase`: a zip encrypted with it (traditional PKWARE). Returns an
// error message, empty on success.
QString makeArchive(const QString& path, const QString& format, const std::vector<ArchiveEntrySpec>& entries,
                    const char* passphrase = nullptr);

// The bytes a generated entry holds: line after line of text with a counter
// (compresses well, and every line differs). `offset` into the stream.
QByteArray patternBytes(std::uint64_t offset, std::size_t size);

// Rewrites the declared uncompressed size of every entry of the zip `path`
// (central directory, local headers and data descriptors) to `size`, or of
// the one entry named `entry`: a zip that lies about what it unpacks to.
// False when it is no such zip (or has no such entry).
bool patchZipDeclaredSizes(const QString& path, std::uint32_t size, const std::string& entry = {});

// The entries of an archive as libarchive reads it back: path -> (content, mtime).
struct ReadBackEntry {
  QByteArray content;
  long long mtime = 0;
  bool operator==(const ReadBackEntry&) const = default;
};
// Empty map and *error set when it cannot be read.
std::vector<std::pair<std::string, ReadBackEntry>> readArchive(const QString& path, QString* error = nullptr);

}  // namespace test
