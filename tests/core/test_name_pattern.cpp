// The glob of `filetracker find --name` and of the server's find listing
// (filetracker/name_pattern.hpp): one definition for both sides, pinned
// here row by row.
#include <QtTest>

#include <string>

#include "filetracker/error.hpp"
#include "filetracker/find_query.hpp"
#include "filetracker/name_pattern.hpp"

class TestNamePattern : public QObject {
  Q_OBJECT

 private slots:
  void matches_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("expected");
    auto row = [](const char* tag, const char* p, const char* b, const char* n, bool e) {
      QTest::newRow(tag) << QString::fromUtf8(p) << QString::fromUtf8(b) << QString::fromUtf8(n) << e;
    };
    // No '/': the last component, at any depth below the base.
    row("basename at top", "*.out", "/", "/a.out", true);
    row("basename deep", "*.out", "/", "/p/x/tests/a.out", true);
    row("basename other ext", "*.out", "/", "/p/a.in", false);
    row("basename not the dir part", "*.out", "/", "/p.out/a.in", false);
    row("basename below base", "*.in", "/p", "/p/t/1.in", true);
    row("basename outside base", "*.in", "/p", "/q/1.in", false);
    row("base prefix is not a parent", "*.in", "/p", "/pp/1.in", false);
    // Absolute: the whole name; * stops at '/'.
    row("issue example", "/problems/*/tests/1*.in", "/", "/problems/abc/tests/1a.in", true);
    row("issue example, * does not cross /", "/problems/*/tests/1*.in", "/", "/problems/a/b/tests/1a.in", false);
    row("issue example, wrong start", "/problems/*/tests/1*.in", "/", "/problems/abc/tests/2a.in", false);
    row("star matches empty", "/a/*x", "/", "/a/x", true);
    row("star not across /", "/a/*", "/", "/a/b/c", false);
    // ** crosses '/'; "**/" as a component is zero or more directories.
    row("doublestar component, zero dirs", "/a/**/x", "/", "/a/x", true);
    row("doublestar component, two dirs", "/a/**/x", "/", "/a/b/c/x", true);
    row("doublestar component, not a suffix", "/a/**/x", "/", "/a/bx", false);
    row("trailing doublestar", "/a/**", "/", "/a/b/c", true);
    row("inline doublestar", "/a/b**z", "/", "/a/bc/dz", true);
    // Relative with '/': below the base.
    row("relative", "tests/*.in", "/p", "/p/tests/1.in", true);
    row("relative, deeper", "tests/*.in", "/p", "/p/q/tests/1.in", false);
    // ? and classes are one character, never '/'.
    row("question", "/a?c", "/", "/abc", true);
    row("question not slash", "/a?c", "/", "/a/c", false);
    row("question one code point", "/?.txt", "/", "/ż.txt", true);
    row("class", "/[0-9].in", "/", "/7.in", true);
    row("class miss", "/[0-9].in", "/", "/x.in", false);
    row("negated class !", "/[!0-9].in", "/", "/x.in", true);
    row("negated class ^", "/[^0-9].in", "/", "/7.in", false);
    row("class with ] first", "/[]a]", "/", "/]", true);
    row("class range of code points", "/[ą-ż]", "/", "/ł", true);
    row("class never slash", "/a[!x]b", "/", "/a/b", false);
    row("unclosed [ is literal", "/a[b", "/", "/a[b", true);
    row("escape", "/a\\*b", "/", "/a*b", true);
    row("escape no wildcard", "/a\\*b", "/", "/axb", false);
    row("case matters", "*.OUT", "/", "/a.out", false);
    row("literal pattern", "/d/a.txt", "/", "/d/a.txt", true);
    // A base holding glob characters is taken literally.
    row("base with brackets", "*.in", "/p[1]", "/p[1]/a.in", true);
    row("base with brackets, not a class", "*.in", "/p[1]", "/p1/a.in", false);
  }
  void matches() {
    QFETCH(QString, pattern);
    QFETCH(QString, base);
    QFETCH(QString, name);
    QFETCH(bool, expected);
    ft::NamePattern p(pattern.toStdString(), base.toStdString());
    QCOMPARE(p.matches(name.toStdString()), expected);
  }

  void literalDirectory_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("directory");
    QTest::newRow("issue example") << "/problems/*/tests/1*.in" << "/" << "/problems";
    QTest::newRow("deep literal") << "/problems/abc/tests/1*.in" << "/" << "/problems/abc/tests";
    QTest::newRow("basename") << "*.out" << "/p" << "/p";
    QTest::newRow("basename at root") << "*.out" << "/" << "/";
    QTest::newRow("relative") << "t/*.in" << "/p" << "/p/t";
    QTest::newRow("wildcard in first component") << "/p*/a" << "/" << "/";
    QTest::newRow("no wildcard") << "/d/a.txt" << "/" << "/d";
  }
  void literalDirectory() {
    QFETCH(QString, pattern);
    QFETCH(QString, base);
    QFETCH(QString, directory);
    QCOMPARE(QString::fromStdString(ft::NamePattern(pattern.toStdString(), base.toStdString()).literal_directory()),
             directory);
  }

  void badPatterns_data() {
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << QByteArray() << "it is empty";
    QTest::newRow("not UTF-8") << QByteArray("/a\xff") << "not valid UTF-8";
    QTest::newRow("control") << QByteArray("/a\nb") << "control character";
    QTest::newRow("too long") << QByteArray(5000, 'a') << "longer than 4096";
  }
  void badPatterns() {
    QFETCH(QByteArray, pattern);
    QFETCH(QString, why);
    try {
      ft::NamePattern p(pattern.toStdString(), "/");
      QFAIL("accepted");
    } catch (const ft::Error& e) {
      QCOMPARE(e.code(), ft::ErrorCode::InvalidArgument);
      QVERIFY2(QString::fromUtf8(e.what()).startsWith("invalid pattern "), e.what());
      QVERIFY2(QString::fromUtf8(e.what()).contains(why), e.what());
      QVERIFY2(!QByteArray(e.what()).contains('\n'), e.what());
    }
  }

  // Many stars against a long name that almost matches: a set of states,
  // not backtracking, so this returns at once (a backtracking matcher takes
  // exponential time on it; the suite's timeout would catch that).
  void hostilePatternStaysLinear() {
    std::string pattern = "/";
    for (int i = 0; i < 200; ++i) pattern += "*a";
    pattern += "b";
    ft::NamePattern p(pattern, "/");
    QVERIFY(!p.matches("/" + std::string(4000, 'a')));
    QVERIFY(p.matches("/" + std::string(400, 'a') + "b"));
  }

  void boundsAreHalfOpenForDates() {
    ft::FindQuery q;
    q.min_size = 10;
    q.max_size = 20;
    q.newer = 1000;
    q.older = 2000;
    ft::FindFilter f(q, "/");
    QVERIFY(f.bounds_match(1000, 10));
    QVERIFY(f.bounds_match(1999, 20));
    QVERIFY(!f.bounds_match(2000, 15));  // older: before
    QVERIFY(!f.bounds_match(999, 15));   // newer: at or after
    QVERIFY(!f.bounds_match(1500, 9));
    QVERIFY(!f.bounds_match(1500, 21));
  }
};

QTEST_APPLESS_MAIN(TestNamePattern)
#include "test_name_pattern.moc"
