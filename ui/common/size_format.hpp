// Human units for sizes and speeds, translated ("1.5 MiB", "1,5 MiB/s").
#pragma once

#include <QString>

namespace ft::ui {

QString humanSize(qint64 bytes);
QString humanSpeed(double bytesPerSecond);

}  // namespace ft::ui
