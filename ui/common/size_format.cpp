#include "common/size_format.hpp"

#include <QCoreApplication>
#include <QLocale>

namespace ft::ui {

QString humanSize(qint64 bytes) {
  if (bytes < 0) return QString();
  // Below 1 KiB our own plural forms: Qt's "%1 bytes" has only one form
  // ("900 bajty" in Polish, where "900 bajtów" is right).
  if (bytes < 1024) return QCoreApplication::translate("ft::ui::SizeFormat", "%n byte(s)", "", int(bytes));
  // QLocale picks the decimal separator of the UI language (1,5 in Polish).
  return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString humanSpeed(double bytesPerSecond) {
  return QCoreApplication::translate("ft::ui::SizeFormat", "%1/s").arg(humanSize(qint64(bytesPerSecond)));
}

QString humanDuration(qint64 seconds) {
  if (seconds < 0) return {};
  if (seconds < 60) return QCoreApplication::translate("ft::ui::SizeFormat", "%1 s", "seconds left").arg(seconds);
  if (seconds < 3600) {
    return QCoreApplication::translate("ft::ui::SizeFormat", "%1 min %2 s", "minutes and seconds left")
        .arg(seconds / 60)
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
  }
  return QCoreApplication::translate("ft::ui::SizeFormat", "%1 h %2 min", "hours and minutes left")
      .arg(seconds / 3600)
      .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

}  // namespace ft::ui
