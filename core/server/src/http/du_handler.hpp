// GET and HEAD /du/DIR[?top=N] (extension "du"): disk usage per folder
// (du_handler.cpp). Its own header, so the router alone sees the cache.
#pragma once

#include "folder_usage.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer get_disk_usage(const HandlerContext& context, FolderUsageCache& cache, const Request& request,
                      const Target& target);

}  // namespace ft::server
