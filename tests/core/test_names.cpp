// Names and versions: the seed's rules (utils.py split_name / check_name).
#include <QtTest>

#include "errors.hpp"
#include "filetracker/name.hpp"

using ft::SplitName;
using ft::Version;

Q_DECLARE_METATYPE(std::string)

class TestNames : public QObject {
  Q_OBJECT

 private slots:
  void validNames_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("allowVersion");
    QTest::newRow("root") << "/" << true;
    QTest::newRow("one component") << "/a" << true;
    QTest::newRow("nested") << "/tests/a/1.in" << true;
    QTest::newRow("versioned") << "/tests/a/1.in@1420070410" << true;
    QTest::newRow("version zero") << "/a@0" << true;
    QTest::newRow("last second of 9999") << "/a@253402300799" << true;
    QTest::newRow("first second of 1900") << "/a@-2208988800" << true;
    QTest::newRow("dot component") << "/a/./b" << true;
    QTest::newRow("three dots") << "/a/.../b" << true;
    QTest::newRow("dots inside") << "/a..b/c..d" << true;
    QTest::newRow("hidden file") << "/.hidden" << true;
    QTest::newRow("space") << "/a b/c d.txt" << true;
    QTest::newRow("empty component") << "/a//b" << true;
    QTest::newRow("trailing slash") << "/a/b/" << true;
    QTest::newRow("utf-8") << QString::fromUtf8("/zażółć/gęślą.txt") << true;
    QTest::newRow("percent and plus") << "/a%20b+c" << true;
    QTest::newRow("unversioned when versions are banned") << "/a/b" << false;
  }
  void validNames() {
    QFETCH(QString, name);
    QFETCH(bool, allowVersion);
    const std::string n = name.toStdString();
    const auto error = ft::name_error(n, allowVersion);
    QVERIFY2(!error, error ? error->c_str() : "");
    ft::check_name(n, allowVersion);  // must not throw
  }

  void invalidNames_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("allowVersion");
    QTest::addColumn<QString>("rule");  // part of the expected message
    QTest::newRow("empty") << "" << true << "the name is empty";
    QTest::newRow("relative") << "a/b" << true << "it must start with \"/\"";
    QTest::newRow("relative dot") << "./a" << true << "it must start with \"/\"";
    QTest::newRow("dotdot first") << "/../a" << true << "\"..\" is not allowed";
    QTest::newRow("dotdot middle") << "/a/../b" << true << "\"..\" is not allowed";
    QTest::newRow("dotdot last") << "/a/.." << true << "\"..\" is not allowed";
    QTest::newRow("at in directory") << "/a@1/b" << true << "\"@\" is not allowed in a directory";
    QTest::newRow("at in deep directory") << "/x/y@z/b" << true << "\"@\" is not allowed in a directory";
    QTest::newRow("two versions") << "/a@1@2" << true << "more than one \"@\"";
    QTest::newRow("version not a number") << "/a@x" << true << "must be an integer";
    QTest::newRow("empty version") << "/a@" << true << "must be an integer";
    QTest::newRow("version with space") << "/a@ 1" << true << "must be an integer";
    QTest::newRow("version fraction") << "/a@1.5" << true << "must be an integer";
    QTest::newRow("version banned") << "/a@1" << false << "a version is not allowed here";
    QTest::newRow("version past year 9999") << "/a@253402300800" << true << "from -2208988800 to 253402300799";
    QTest::newRow("version before 1900") << "/a@-2208988801" << true << "from -2208988800 to 253402300799";
    QTest::newRow("version beyond int64") << "/a@99999999999999999999" << true << "must be an integer";
  }

  // Names as bytes: the UTF-8 rule, and messages that show every byte.
  void invalidByteNames_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("message");  // all of it
    QTest::newRow("byte ff") << QByteArray("/a\xff") << QByteArray("invalid filetracker name \"/a\\xff\": it is not valid UTF-8");
    QTest::newRow("Latin-1") << QByteArray("/caf\xe9") << QByteArray("invalid filetracker name \"/caf\\xe9\": it is not valid UTF-8");
    QTest::newRow("continuation alone") << QByteArray("/\x80") << QByteArray("invalid filetracker name \"/\\x80\": it is not valid UTF-8");
    QTest::newRow("overlong NUL") << QByteArray("/\xc0\x80") << QByteArray("invalid filetracker name \"/\\xc0\\x80\": it is not valid UTF-8");
    QTest::newRow("overlong 3 bytes") << QByteArray("/\xe0\x80\xaf") << QByteArray("invalid filetracker name \"/\\xe0\\x80\\xaf\": it is not valid UTF-8");
    QTest::newRow("surrogate") << QByteArray("/\xed\xa0\x80") << QByteArray("invalid filetracker name \"/\\xed\\xa0\\x80\": it is not valid UTF-8");
    QTest::newRow("above U+10FFFF") << QByteArray("/\xf4\x90\x80\x80") << QByteArray("invalid filetracker name \"/\\xf4\\x90\\x80\\x80\": it is not valid UTF-8");
    QTest::newRow("f5 lead") << QByteArray("/\xf5\x80\x80\x80") << QByteArray("invalid filetracker name \"/\\xf5\\x80\\x80\\x80\": it is not valid UTF-8");
    QTest::newRow("truncated at the end") << QByteArray("/za\xc5") << QByteArray("invalid filetracker name \"/za\\xc5\": it is not valid UTF-8");
    QTest::newRow("valid then invalid") << QByteArray("/\xc5\xbc\xff") << QByteArray("invalid filetracker name \"/\xc5\xbc\\xff\": it is not valid UTF-8");
    QTest::newRow("NUL, and text after it") << QByteArray("/a\0b", 4) << QByteArray("invalid filetracker name \"/a\\x00b\": it contains a NUL character");
    QTest::newRow("escape sequence") << QByteArray("/a\x1b[2J") << QByteArray("invalid filetracker name \"/a\\x1b[2J\": it contains a control character");
    QTest::newRow("newline") << QByteArray("/a\nb") << QByteArray("invalid filetracker name \"/a\\x0ab\": it contains a control character");
    QTest::newRow("DEL") << QByteArray("/a\x7f") << QByteArray("invalid filetracker name \"/a\\x7f\": it contains a control character");
    QTest::newRow("control bytes shown") << QByteArray("a\x1b[2J") << QByteArray("invalid filetracker name \"a\\x1b[2J\": it must start with \"/\"");
  }
  void invalidByteNames() {
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, message);
    const std::string n = name.toStdString();
    const auto error = ft::name_error(n);
    QVERIFY2(error, "the name was accepted");
    QCOMPARE(QByteArray::fromStdString(*error), message);
    const auto thrown = test::error_of([&] { ft::check_name(n); });
    QVERIFY(thrown);
    QCOMPARE(QByteArray(thrown->what()), message);  // what() is a C string: nothing cut at a NUL
  }

  void utf8Validation_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ASCII") << QByteArray("abc") << true;
    QTest::newRow("2 bytes, lowest") << QByteArray("\xc2\x80") << true;
    QTest::newRow("3 bytes, lowest") << QByteArray("\xe0\xa0\x80") << true;
    QTest::newRow("last before surrogates") << QByteArray("\xed\x9f\xbf") << true;
    QTest::newRow("first after surrogates") << QByteArray("\xee\x80\x80") << true;
    QTest::newRow("4 bytes, lowest") << QByteArray("\xf0\x90\x80\x80") << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("c1 overlong") << QByteArray("\xc1\xbf") << false;
    QTest::newRow("missing continuation") << QByteArray("\xe2\x82") << false;
    QTest::newRow("continuation not 10xxxxxx") << QByteArray("\xe2\x28\xa1") << false;
    QTest::newRow("4-byte overlong") << QByteArray("\xf0\x8f\xbf\xbf") << false;
  }
  void utf8Validation() {
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(ft::is_valid_utf8(text.toStdString()), valid);
    // Qt agrees (its decoder is strict about the same things).
    QCOMPARE(QString::fromUtf8(text).toUtf8() == text, valid);
  }
  void invalidNames() {
    QFETCH(QString, name);
    QFETCH(bool, allowVersion);
    QFETCH(QString, rule);
    const std::string n = name.toStdString();
    const auto error = ft::name_error(n, allowVersion);
    QVERIFY2(error, "the name was accepted");
    // The message names the offending name and the rule, on one line.
    QVERIFY2(error->find("\"" + n + "\"") != std::string::npos, error->c_str());
    QVERIFY2(error->find(rule.toStdString()) != std::string::npos, error->c_str());
    QVERIFY(error->find('\n') == std::string::npos);
    const auto thrown = test::error_of([&] { ft::check_name(n, allowVersion); });
    QVERIFY(thrown);
    QCOMPARE(thrown->code(), ft::ErrorCode::InvalidArgument);
    QCOMPARE(std::string(thrown->what()), *error);
    QVERIFY(test::error_of([&] { ft::parse_name(n, allowVersion); }));
  }

  void splitName_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("unversioned");
    QTest::addColumn<bool>("hasVersion");
    QTest::addColumn<qlonglong>("version");
    QTest::newRow("plain") << "/a/b" << "/a/b" << false << 0LL;
    QTest::newRow("versioned") << "/a/b@12" << "/a/b" << true << 12LL;
    QTest::newRow("big version") << "/x@1420070410" << "/x" << true << 1420070410LL;
    QTest::newRow("zero") << "/x@0" << "/x" << true << 0LL;
    QTest::newRow("last at wins") << "/d@x/f@7" << "/d@x/f" << true << 7LL;  // split does not validate
    QTest::newRow("root") << "/" << "/" << false << 0LL;
  }
  void splitName() {
    QFETCH(QString, name);
    QFETCH(QString, unversioned);
    QFETCH(bool, hasVersion);
    QFETCH(qlonglong, version);
    const SplitName s = ft::split_name(name.toStdString());
    QCOMPARE(QString::fromStdString(s.name), unversioned);
    QCOMPARE(s.version.has_value(), hasVersion);
    if (hasVersion) {
      QCOMPARE(*s.version, static_cast<Version>(version));
      // versioned_name is the inverse.
      QCOMPARE(QString::fromStdString(ft::versioned_name(s.name, *s.version)), name);
    }
  }

  void splitNameRejectsBadVersion_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("letters") << "/a@abc";
    QTest::newRow("empty") << "/a@";
    QTest::newRow("trailing garbage") << "/a@12x";
    QTest::newRow("hex") << "/a@0x10";
    QTest::newRow("past year 9999") << "/a@253402300800";
    QTest::newRow("wraps int64") << "/a@9223372036854775808";
  }
  void splitNameRejectsBadVersion() {
    QFETCH(QString, name);
    const auto e = test::error_of([&] { ft::split_name(name.toStdString()); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::InvalidArgument);
    QVERIFY2(std::string(e->what()).find(name.toStdString()) != std::string::npos, e->what());
  }

  void parseName() {
    QCOMPARE(ft::parse_name("/a/b@5"), (SplitName{"/a/b", 5}));
    QCOMPARE(ft::parse_name("/a/b"), (SplitName{"/a/b", std::nullopt}));
  }

  void parentAndBase_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("parent");
    QTest::addColumn<QString>("base");
    QTest::newRow("deep") << "/a/b/c.txt" << "/a/b" << "c.txt";
    QTest::newRow("top") << "/c.txt" << "/" << "c.txt";
    QTest::newRow("two") << "/a/b" << "/a" << "b";
  }
  void parentAndBase() {
    QFETCH(QString, name);
    QFETCH(QString, parent);
    QFETCH(QString, base);
    QCOMPARE(QString::fromStdString(ft::parent_directory(name.toStdString())), parent);
    QCOMPARE(QString::fromStdString(ft::base_name(name.toStdString())), base);
  }
};

QTEST_GUILESS_MAIN(TestNames)
#include "test_names.moc"
