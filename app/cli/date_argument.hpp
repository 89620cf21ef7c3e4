// Dates on the command line (find --newer/--older): what the CLI prints and
// takes as versions. Accepted, read as UTC:
//   1420070410                 a version (Unix seconds), as in NAME@VERSION
//   2015-01-01                 midnight
//   2015-01-01 00:00:10        as `ls` prints it (also with 'T' for the space)
#pragma once

#include <string_view>

#include "filetracker/name.hpp"

namespace ft::cli {

// Throws Error(InvalidArgument) naming `option` for anything else, or a
// date outside the versions' range (years 1900 to 9999).
Version parse_date_argument(std::string_view text, std::string_view option);

}  // namespace ft::cli
