// SHA-256 and streaming gzip round trips.
#include <QtTest>
#include <zlib.h>

#include "content.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/parallel_gzip.hpp"
#include "temp_dirs.hpp"

class TestChecksumGzip : public QObject {
  Q_OBJECT

 private slots:
  void knownDigests_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("digest");
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("two blocks") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  }
  void knownDigests() {
    QFETCH(QByteArray, input);
    QFETCH(QString, digest);
    const std::string data(input.constData(), static_cast<std::size_t>(input.size()));
    QCOMPARE(QString::fromStdString(ft::sha256_hex(data)), digest);
    // Incrementally, one byte at a time.
    ft::Sha256 h;
    for (char c : data) h.update(&c, 1);
    QCOMPARE(QString::fromStdString(h.hex_digest()), digest);
    // And the object is reusable after hex_digest().
    h.update(data);
    QCOMPARE(QString::fromStdString(h.hex_digest()), digest);
  }

  void fileDigest() {
    auto dir = test::scratch_dir();
    const auto file = test::path_of(*dir) / "f.bin";
    const std::string data = test::randomBytes(3 * 1024 * 1024 + 7, 1).toStdString();
    test::write_file(file, data);
    QCOMPARE(ft::sha256_file(file), ft::sha256_hex(data));
    const auto e = test::error_of([&] { ft::sha256_file(test::path_of(*dir) / "missing"); });
    QVERIFY(e);
    // throw_errno reports ENOENT as NotFound, other failures as Io.
    QVERIFY(e->code() == ft::ErrorCode::NotFound || e->code() == ft::ErrorCode::Io);
    QVERIFY(std::string(e->what()).find("missing") != std::string::npos);
  }

  void gzipRoundTrip_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("compressible");
    QTest::newRow("empty") << 0 << true;
    QTest::newRow("one byte") << 1 << false;
    QTest::newRow("64 KiB + 1, text") << 65537 << true;
    QTest::newRow("1 MiB random") << (1 << 20) << false;
    QTest::newRow("5 MiB text") << (5 << 20) << true;
  }
  void gzipRoundTrip() {
    QFETCH(int, size);
    QFETCH(bool, compressible);
    std::string data = compressible ? std::string(static_cast<std::size_t>(size), 'x') : test::randomBytes(size, 7).toStdString();
    if (compressible) {
      for (std::size_t i = 0; i < data.size(); i += 97) data[i] = static_cast<char>('a' + i % 26);
    }
    const std::string packed = ft::gzip_compress(data);
    QVERIFY(packed.size() >= 18);  // gzip header + trailer
    QCOMPARE(static_cast<unsigned char>(packed[0]), 0x1fu);
    QCOMPARE(static_cast<unsigned char>(packed[1]), 0x8bu);
    if (compressible && size > 1000) QVERIFY(packed.size() < data.size() / 5);
    QCOMPARE(ft::gzip_decompress(packed), data);

    // Streaming in odd-sized chunks, both ways.
    std::string streamed;
    ft::GzipEncoder enc;
    for (std::size_t i = 0; i < data.size(); i += 4099) {
      enc.write(std::string_view(data).substr(i, 4099), [&](std::string_view c) { streamed.append(c); });
    }
    enc.finish([&](std::string_view c) { streamed.append(c); });
    std::string unpacked;
    ft::GzipDecoder dec;
    for (std::size_t i = 0; i < streamed.size(); i += 13) {
      dec.write(std::string_view(streamed).substr(i, 13), [&](std::string_view c) { unpacked.append(c); });
    }
    dec.finish([&](std::string_view c) { unpacked.append(c); });
    QVERIFY(dec.done());
    QCOMPARE(unpacked.size(), data.size());
    QVERIFY(unpacked == data);
  }

  // The parallel encoder's output is ONE gzip member (what the blob store and
  // every client expect), decodes to the input whatever the block boundaries,
  // and with the previous block as dictionary compresses about as well as
  // the single-threaded encoder.
  void parallelGzip_data() {
    using E = ft::ParallelGzipEncoder;
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("compressible");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("chunk");
    QTest::newRow("empty") << 0 << true << 1 << 4099;
    QTest::newRow("one byte") << 1 << false << 6 << 4099;
    QTest::newRow("block - 1") << int(E::kBlock - 1) << true << 1 << 4099;
    QTest::newRow("block") << int(E::kBlock) << true << 6 << int(E::kBlock);
    QTest::newRow("block + 1") << int(E::kBlock + 1) << false << 1 << 65536;
    QTest::newRow("7 blocks + 12345, text, level 1") << int(7 * E::kBlock + 12345) << true << 1 << 100003;
    QTest::newRow("7 blocks + 12345, text, level 6, one write") << int(7 * E::kBlock + 12345) << true << 6 << int(8 * E::kBlock);
    QTest::newRow("5 MiB random") << (5 << 20) << false << 1 << 16384;
  }
  void parallelGzip() {
    QFETCH(int, size);
    QFETCH(bool, compressible);
    QFETCH(int, level);
    QFETCH(int, chunk);
    std::string data;
    if (compressible) {
      // Text whose repeats span block boundaries (the dictionary matters).
      const std::string words = test::randomBytes(40000, 11).toBase64().toStdString();
      while (data.size() < static_cast<std::size_t>(size)) data += words.substr(data.size() % 977, 3000);
      data.resize(static_cast<std::size_t>(size));
    } else {
      data = test::randomBytes(size, 9).toStdString();
    }
    std::string packed;
    {
      ft::ParallelGzipEncoder enc(level, 2);
      for (std::size_t i = 0; i < data.size(); i += static_cast<std::size_t>(chunk))
        enc.write(std::string_view(data).substr(i, static_cast<std::size_t>(chunk)),
                  [&](std::string_view c) { packed.append(c); });
      enc.finish([&](std::string_view c) { packed.append(c); });
    }
    QCOMPARE(ft::gzip_decompress(packed), data);

    // One member: zlib's gzip inflate ends the stream exactly at the last byte.
    z_stream zs{};
    QCOMPARE(inflateInit2(&zs, 15 + 16), Z_OK);
    std::string out(data.size() + 1, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(packed.data());
    zs.avail_in = static_cast<uInt>(packed.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    QCOMPARE(inflate(&zs, Z_FINISH), Z_STREAM_END);
    QCOMPARE(zs.avail_in, 0u);
    QCOMPARE(zs.total_out, static_cast<uLong>(data.size()));
    inflateEnd(&zs);

    if (compressible && size > 1 << 20) {
      const std::string single = ft::gzip_compress(data, level);
      QVERIFY2(packed.size() <= single.size() + single.size() / 50 + 64,
               qPrintable(QString("parallel %1 bytes vs single %2").arg(packed.size()).arg(single.size())));
    }
  }

  // Dropping an encoder half-way (a client that disconnects) waits for its
  // blocks and leaves the shared threads working for the next one.
  void parallelGzipAbandoned() {
    const std::string data = test::randomBytes(3 * int(ft::ParallelGzipEncoder::kBlock), 5).toStdString();
    for (int round = 0; round < 20; ++round) {
      ft::ParallelGzipEncoder enc(1, 2);
      enc.write(data, [](std::string_view) {});
    }
    std::string packed;
    ft::ParallelGzipEncoder enc(1, 2);
    enc.write(data, [&](std::string_view c) { packed.append(c); });
    enc.finish([&](std::string_view c) { packed.append(c); });
    QCOMPARE(ft::gzip_decompress(packed), data);
  }

  void corruptGzipIsRejected() {
    const auto e = test::error_of([] { ft::gzip_decompress("this is not gzip at all"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::Protocol);
    std::string packed = ft::gzip_compress(test::randomBytes(10000, 3).toStdString());
    packed[packed.size() / 2] ^= 0x55;
    packed[packed.size() / 2 + 1] ^= 0x55;
    QVERIFY(test::error_of([&] { ft::gzip_decompress(packed); }));
  }

  void truncatedGzipIsRejected() {
    const std::string packed = ft::gzip_compress(test::randomBytes(10000, 4).toStdString());
    const auto e = test::error_of([&] { ft::gzip_decompress(packed.substr(0, packed.size() - 4)); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::Protocol);
  }
};

QTEST_GUILESS_MAIN(TestChecksumGzip)
#include "test_checksum_gzip.moc"
