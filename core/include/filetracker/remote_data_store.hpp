// The remote store: a DataStore over HTTP (protocol v2, libcurl, synchronous).
#pragma once

#include <memory>
#include <string_view>

#include "filetracker/data_store.hpp"

namespace ft {

// Makes the HTTP store for a server base URL such as "http://127.0.0.1:9999".
std::unique_ptr<DataStore> make_remote_data_store(std::string_view url);

}  // namespace ft
