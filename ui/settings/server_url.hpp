// What a user types as a server's address, made into the URL the store is
// given: "host:9999" and "host" get "http://" (what everyone means), an
// http(s) URL is kept (without trailing slashes), anything else is refused
// with the reason, like the CLI's "expected http://HOST[:PORT]".
#pragma once

#include <QString>

namespace ft::ui {

// Empty text stays empty (the local store). Otherwise the URL to use, or an
// empty string and *error set.
QString normalizedServerUrl(const QString& text, QString* error = nullptr);

}  // namespace ft::ui
