// Waiting in a real event loop. QTest::qWaitFor/qWait sleep 10 ms between
// rounds of event processing, which throttles anything that round-trips
// through the GUI thread (Qt's upload pump does, per 16 KiB) and would make
// the figures measure the harness instead of the application.
#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <functional>

inline bool waitFor(const std::function<bool()>& done, int timeoutMs) {
  if (done()) return true;
  QEventLoop loop;
  QElapsedTimer clock;
  clock.start();
  QTimer poll;
  poll.setInterval(5);
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    if (done() || clock.elapsed() > timeoutMs) loop.quit();
  });
  poll.start();
  loop.exec();
  return done();
}

inline void pause(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}
