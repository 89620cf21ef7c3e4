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
