#include "content.hpp"

#include <QFile>
#include <QRandomGenerator>

#include <cstring>

namespace test {

namespace {
void fillRandom(QRandomGenerator& gen, char* data, qsizetype size) {
  const qsizetype words = size / 4;
  gen.fillRange(reinterpret_cast<quint32*>(data), words);
  if (const qsizetype tail = size - words * 4) {
    const quint32 last = gen.generate();
    std::memcpy(data + words * 4, &last, std::size_t(tail));
  }
}
}  // namespace

QByteArray randomBytes(qsizetype size, quint32 seed) {
  QByteArray data(size, Qt::Uninitialized);
  QRandomGenerator gen(seed);
  fillRandom(gen, data.data(), size);
  return data;
}

QByteArray mixedBytes(qsizetype size, quint32 seed) {
  QByteArray s(size, '\0');
  quint32 x = seed * 2654435761u + 1;
  for (qsizetype i = 0; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = (i / 64) % 2 ? char('a' + i % 7) : char(x >> 24);
  }
  return s;
}

bool writeRandomFile(const QString& path, qint64 size, quint32 seed) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  QRandomGenerator gen(seed);
  QByteArray chunk(1 << 20, Qt::Uninitialized);
  for (qint64 left = size; left > 0;) {
    fillRandom(gen, chunk.data(), chunk.size());
    const qint64 n = qMin<qint64>(left, chunk.size());
    if (file.write(chunk.constData(), n) != n) return false;
    left -= n;
  }
  return true;
}

}  // namespace test
