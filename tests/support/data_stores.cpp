#include "data_stores.hpp"

#include <sstream>

namespace test {

std::string add(ft::DataStore& store, std::string_view name, const std::string& content) {
  std::istringstream in(content);
  return store.add_stream(name, in);
}

std::string read(ft::DataStore::Stream& stream) {
  std::ostringstream out;
  out << stream.stream->rdbuf();
  return out.str();
}

std::string read(ft::DataStore& store, std::string_view name, std::string* versioned) {
  auto got = store.get_stream(name);
  if (versioned) *versioned = got.versioned_name;
  return read(got);
}

}  // namespace test
