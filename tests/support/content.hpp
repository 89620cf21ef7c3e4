// Deterministic test data: the same (size, seed) gives the same bytes in
// every run, different seeds give different bytes.
#pragma once

#include <QByteArray>
#include <QString>

namespace test {

// Incompressible bytes (gzip cannot shrink a transfer of them).
QByteArray randomBytes(qsizetype size, quint32 seed = 42);
// Blocks of 64 random bytes and 64 bytes of text in turn: compresses about
// 2:1, roughly like real test data.
QByteArray mixedBytes(qsizetype size, quint32 seed = 1);
// A big incompressible file written in 1 MiB chunks (no huge allocation).
bool writeRandomFile(const QString& path, qint64 size, quint32 seed = 7);

}  // namespace test
