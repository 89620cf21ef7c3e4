// Shared helpers of the server tests: wire dates, PUT/GET shortcuts.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QString>

#include <string>

#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"
#include "raw_http.hpp"

namespace servertest {

inline QByteArray httpDate(qint64 version) {
  return QByteArray::fromStdString(ft::protocol::format_http_date(version));
}
// "?last_modified=..." form-encoded ('+' for spaces, as the Python client sends it).
inline QByteArray lastModifiedQuery(qint64 version) {
  return "?last_modified=" + QByteArray::fromStdString(ft::protocol::form_encode(ft::protocol::format_http_date(version)));
}
inline QByteArray filesTarget(const QByteArray& name, qint64 version) {
  return "/files" + name + lastModifiedQuery(version);
}
inline QByteArray gzip(const QByteArray& data) {
  return QByteArray::fromStdString(ft::gzip_compress(std::string_view(data.constData(), size_t(data.size()))));
}
inline QByteArray gunzip(const QByteArray& data) {
  return QByteArray::fromStdString(ft::gzip_decompress(std::string_view(data.constData(), size_t(data.size()))));
}
inline QByteArray sha256Hex(const QByteArray& data) {
  return QByteArray::fromStdString(ft::sha256_hex(std::string_view(data.constData(), size_t(data.size()))));
}

inline RawResponse put(quint16 port, const QByteArray& name, const QByteArray& content, qint64 version,
                       const RawHeaders& headers = {}) {
  return rawRequest(port, "PUT", filesTarget(name, version), headers, content);
}
inline RawResponse getGzip(quint16 port, const QByteArray& name) {
  return rawRequest(port, "GET", "/files" + name, {{"Accept-Encoding", "gzip"}});
}
// Content of a stored file (decompressing when the server sent gzip); empty + status for errors.
inline QByteArray content(quint16 port, const QByteArray& name, int* status = nullptr) {
  RawResponse r = getGzip(port, name);
  if (status) *status = r.status;
  if (r.status != 200) return {};
  return r.header("content-encoding") == "gzip" ? gunzip(r.body) : r.body;
}

// Number of blob files under DATA/blobs/<2 hex>/.
inline int countBlobs(const QString& dataDir) {
  int n = 0;
  QDirIterator it(dataDir + QStringLiteral("/blobs"), QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    if (it.fileInfo().dir().dirName() != QStringLiteral("tmp")) ++n;
  }
  return n;
}

// Runs `filetracker-server --check --check-content -d DIR`; returns its exit code, output in *out.
inline int runCheck(const QString& binary, const QString& dataDir, QString* out = nullptr) {
  QProcess p;
  p.start(binary, {QStringLiteral("--check"), QStringLiteral("--check-content"), QStringLiteral("-d"), dataDir});
  if (!p.waitForFinished(60000)) return -1;
  if (out) *out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

}  // namespace servertest
