// Strings in and out of any ft::DataStore (the local cache, the in-memory
// store, the remote one), for tests that care about content, not streams.
#pragma once

#include <string>
#include <string_view>

#include "filetracker/data_store.hpp"

namespace test {

// Stores `content` under `name`; returns the versioned name stored.
std::string add(ft::DataStore& store, std::string_view name, const std::string& content);
// The rest of an open stream.
std::string read(ft::DataStore::Stream& stream);
// The content of `name` (its versioned name in *versioned).
std::string read(ft::DataStore& store, std::string_view name, std::string* versioned = nullptr);

}  // namespace test
