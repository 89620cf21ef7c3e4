// Content verification of a stored blob, shared by the offline check
// (check_storage, --check-content) and the live one (live_check.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ft::server {

// Decodes a stored blob (its gzip bytes given to `feed` by `read`) and adds
// a problem when it does not decode, or its content is not `sha` and
// `logical_size` (when the index claims one).
void verify_blob_content(const std::string& what, const std::string& sha, std::optional<std::uint64_t> logical_size,
                         const std::function<void(const std::function<void(std::string_view)>& feed)>& read,
                         std::vector<std::string>& problems);
// The same for a blob open as `fd` (read from where it is to the end; not closed).
void verify_blob_file(const std::string& what, const std::string& sha, std::optional<std::uint64_t> logical_size,
                      int fd, std::vector<std::string>& problems);

}  // namespace ft::server
