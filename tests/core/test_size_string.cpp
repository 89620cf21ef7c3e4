// Size strings ("1G512M") and duration strings ("1h30m") of the cache cleaner.
#include <QtTest>

#include "errors.hpp"
#include "filetracker/size_string.hpp"

using namespace std::chrono_literals;

class TestSizeString : public QObject {
  Q_OBJECT

 private slots:
  void parseSize_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qulonglong>("bytes");
    QTest::newRow("bytes") << "100B" << 100ULL;
    QTest::newRow("kibi") << "1K" << 1024ULL;
    QTest::newRow("mebi") << "3M" << 3ULL * 1048576;
    QTest::newRow("gibi") << "2G" << (2ULL << 30);
    QTest::newRow("tebi") << "1T" << (1ULL << 40);
    QTest::newRow("chained") << "1G512M" << (1ULL << 30) + 512ULL * 1048576;
    QTest::newRow("all units") << "1T1G1M1K1B" << (1ULL << 40) + (1ULL << 30) + (1ULL << 20) + 1025;
    QTest::newRow("repeated unit adds") << "1B1B" << 2ULL;
    QTest::newRow("lower case") << "1g512m" << (1ULL << 30) + 512ULL * 1048576;
    QTest::newRow("zero") << "0B" << 0ULL;
    QTest::newRow("surrounding spaces") << "  5K\n" << 5120ULL;
    QTest::newRow("big") << "16383T" << 16383ULL * (1ULL << 40);
  }
  void parseSize() {
    QFETCH(QString, text);
    QFETCH(qulonglong, bytes);
    QCOMPARE(ft::parse_size(text.toStdString()), std::uint64_t(bytes));
    // The exact form parses back to the same number.
    QCOMPARE(ft::parse_size(ft::format_size_exact(bytes)), std::uint64_t(bytes));
  }

  void badSize_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("spaces") << "   " << "empty";
    QTest::newRow("no unit") << "100" << "has no unit";
    QTest::newRow("trailing number") << "1G5" << "has no unit";
    QTest::newRow("no number") << "G" << "has no number";
    QTest::newRow("unknown unit") << "12X" << "unknown unit \"X\"";
    QTest::newRow("fraction") << "1.5G" << "unknown unit \".\"";
    QTest::newRow("negative") << "-1G" << "unknown unit \"-\"";
    QTest::newRow("inner space") << "1G 5M" << "unknown unit \" \"";
    QTest::newRow("kilo-byte") << "1KB" << "unit \"B\" has no number";
    QTest::newRow("overflow") << "99999999999999999999B" << "too large";
    QTest::newRow("overflow by unit") << "17000000T" << "too large";
    QTest::newRow("overflow by sum") << "16777215T1024G" << "too large";
  }
  void badSize() {
    QFETCH(QString, text);
    QFETCH(QString, why);
    const auto e = test::error_of([&] { ft::parse_size(text.toStdString()); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::InvalidArgument);
    const std::string message = e->what();
    QVERIFY2(message.find("\"" + text.toStdString() + "\"") != std::string::npos, message.c_str());
    QVERIFY2(message.find(why.toStdString()) != std::string::npos, message.c_str());
    QVERIFY(message.find('\n') == std::string::npos);
  }

  void formatSize_data() {
    QTest::addColumn<qulonglong>("bytes");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("exact");
    QTest::newRow("zero") << 0ULL << "0.000B" << "0B";
    QTest::newRow("bytes") << 512ULL << "512.000B" << "512B";
    QTest::newRow("one and a half K") << 1536ULL << "1.500K" << "1K512B";
    QTest::newRow("1G512M") << (1ULL << 30) + (512ULL << 20) << "1.500G" << "1G512M";
    QTest::newRow("tebi") << (3ULL << 40) << "3.000T" << "3T";
  }
  void formatSize() {
    QFETCH(qulonglong, bytes);
    QFETCH(QString, shown);
    QFETCH(QString, exact);
    QCOMPARE(QString::fromStdString(ft::format_size(bytes)), shown);
    QCOMPARE(QString::fromStdString(ft::format_size_exact(bytes)), exact);
  }

  void parseDuration_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qlonglong>("seconds");
    QTest::newRow("seconds") << "45s" << 45LL;
    QTest::newRow("minutes") << "30m" << 1800LL;
    QTest::newRow("hour") << "1h" << 3600LL;
    QTest::newRow("day") << "1d" << 86400LL;
    QTest::newRow("chained") << "1h30m" << 5400LL;
    QTest::newRow("upper case") << "2H" << 7200LL;
    QTest::newRow("everything") << "1d2h3m4s" << 93784LL;
  }
  void parseDuration() {
    QFETCH(QString, text);
    QFETCH(qlonglong, seconds);
    QCOMPARE(ft::parse_duration(text.toStdString()).count(), seconds);
    QCOMPARE(ft::parse_duration(ft::format_duration(std::chrono::seconds(seconds))).count(), seconds);
  }

  void badDuration_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("no unit") << "10";
    QTest::newRow("weeks") << "1w";
    QTest::newRow("size unit") << "1K";
    QTest::newRow("no number") << "h";
  }
  void badDuration() {
    QFETCH(QString, text);
    const auto e = test::error_of([&] { ft::parse_duration(text.toStdString()); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::InvalidArgument);
    QVERIFY2(std::string(e->what()).find("invalid duration") != std::string::npos, e->what());
  }

  void formatDuration() {
    QCOMPARE(ft::format_duration(5400s), std::string("1h30m"));
    QCOMPARE(ft::format_duration(0s), std::string("0s"));
    QCOMPARE(ft::format_duration(86401s), std::string("1d1s"));
  }
};

QTEST_GUILESS_MAIN(TestSizeString)
#include "test_size_string.moc"
