// One QSettings entry as a typed value: its key, its type and its default
// together, so every reader and writer of an entry agree on all three (see
// settings_keys.hpp for the entries themselves).
#pragma once

#include <QSettings>
#include <QString>
#include <QVariant>

#include <functional>

namespace ft::ui {

template <typename T>
class SettingsKey {
 public:
  // A fixed default.
  SettingsKey(const char* key, T fallback)
      : key_(QString::fromLatin1(key)), fallback_([fallback = std::move(fallback)] { return fallback; }) {}
  // A default computed each time it is needed (it depends on the home
  // directory, say, which tests and the first run change).
  SettingsKey(const char* key, T (*fallback)()) : key_(QString::fromLatin1(key)), fallback_(fallback) {}

  const QString& key() const { return key_; }
  T defaultValue() const { return fallback_(); }
  // The stored value, or the default when there is none.
  T read(const QSettings& settings) const {
    return settings.value(key_, QVariant::fromValue(fallback_())).template value<T>();
  }
  void write(QSettings& settings, const T& value) const { settings.setValue(key_, QVariant::fromValue(value)); }

 private:
  QString key_;
  std::function<T()> fallback_;
};

}  // namespace ft::ui
