// A data directory laid out the way the deployed Python filetracker server
// (sio2project/filetracker, storage layout v2) lays it out, built by hand
// for import tests and benchmarks:
//
//   DIR/links/<name>             symbolic link with a relative target
//                                "../../blobs/ab/ab12..." (one "../" per
//                                directory level of the name), its own
//                                mtime (lutimes) = the version
//   DIR/blobs/<2 hex>/<sha256>   gzip of the content, shared by every name
//                                with that content
//   DIR/db/, DIR/locks/          present (the server's BerkeleyDB and lock
//                                files); an importer must not need them
//
// Plus the damage a long-running deployment collects: links whose blob is
// gone, a blob whose bytes do not match its name.
#pragma once

#include <QByteArray>

#include <filesystem>
#include <map>
#include <string>

namespace test {

class UpstreamLayout {
 public:
  explicit UpstreamLayout(std::filesystem::path dir);

  // Stores `content` under `name` ("/a/b.txt") with `version`. False on failure.
  bool addFile(const std::string& name, const QByteArray& content, long long version);
  // A link to a blob that does not exist.
  bool addBrokenLink(const std::string& name, long long version);
  // A link to a blob named by the SHA-256 of `claimed` whose bytes are
  // gzip of other content (or not gzip at all with notGzip).
  bool addCorruptBlob(const std::string& name, const QByteArray& claimed, long long version, bool notGzip = false);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  bool link(const std::string& name, const std::string& sha, long long version);
  std::filesystem::path dir_;
};

// A digest of everything under `dir` that an importer could change: every
// path, its type, a link's target and its own mtime, a file's content, mode
// and mtime. (A hard link to a file changes its link count only.)
QByteArray treeDigest(const std::filesystem::path& dir);

}  // namespace test
