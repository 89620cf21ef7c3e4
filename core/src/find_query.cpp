#include "filetracker/find_query.hpp"

namespace ft {

FindFilter::FindFilter(const FindQuery& query, std::string_view directory)
    : query_(query), pattern_(query.pattern, directory) {}

bool FindFilter::bounds_match(Version version, std::uint64_t size) const {
  if (query_.min_size && size < *query_.min_size) return false;
  if (query_.max_size && size > *query_.max_size) return false;
  if (query_.newer && version < *query_.newer) return false;
  if (query_.older && version >= *query_.older) return false;
  return true;
}

}  // namespace ft
