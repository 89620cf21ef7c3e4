// The `find` extension of the JSON listing (find_listing.cpp).
#pragma once

#include <functional>
#include <string_view>

#include "filetracker/protocol.hpp"
#include "filetracker/server/index.hpp"
#include "http/request_rules.hpp"

namespace ft::server {

// Does the listing request carry a find parameter (pattern, min_size,
// max_size, newer, older, after, limit)?
bool is_find_request(const Target& target);

// One page of matches below target.path (which exists) with version <=
// cutoff; `visible(name)`: may the requester read it. Throws
// RequestError(400) for a bad parameter.
protocol::Listing find_listing(Index& index, const Target& target, Version cutoff,
                               const std::function<bool(std::string_view name)>& visible);

}  // namespace ft::server
