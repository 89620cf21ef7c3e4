// Human units for sizes, speeds and times left, translated ("1.5 MiB",
// "1,5 MiB/s", "2 min 05 s").
#pragma once

#include <QString>

namespace ft::ui {

QString humanSize(qint64 bytes);
QString humanSpeed(double bytesPerSecond);
// An ETA: "45 s", "2 min 05 s", "1 h 20 min"; empty when negative (unknown).
QString humanDuration(qint64 seconds);

}  // namespace ft::ui
