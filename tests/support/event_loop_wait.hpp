// Waiting in a real event loop. QTest::qWaitFor/qWait sleep 10 ms between
// rounds of event processing, which throttles anything that round-trips
// through the GUI thread (Qt's upload pump does, per 16 KiB) and would make
// a benchmark's figures measure the harness instead of the application.
#pragma once

#include <functional>

namespace test {

// Runs the event loop until `done()` (polled every 5 ms) or `timeoutMs`;
// returns done().
bool waitFor(const std::function<bool()>& done, int timeoutMs);
// Runs the event loop for `ms`.
void pause(int ms);

}  // namespace test
