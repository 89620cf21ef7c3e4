#include "http/request_rules.hpp"

#include <cstdlib>
#include <vector>

#include "filetracker/protocol.hpp"

namespace ft::server {
namespace {

using protocol::iequals;
using protocol::trim;

// Calls `item(token, q)` for each comma-separated element "token;q=0.5".
template <typename F>
void for_each_element(std::string_view header, F item) {
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = element.find(';');
    std::string_view token = trim(element.substr(0, semi));
    double q = 1.0;
    while (semi != std::string_view::npos) {
      std::string_view params = element.substr(semi + 1);
      semi = params.find(';');
      std::string_view param = trim(params.substr(0, semi));
      element = params;
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
        q = std::atof(std::string(param.substr(2)).c_str());
    }
    if (!token.empty()) item(token, q);
  }
}

void check_components(std::string_view path, bool allow_root) {
  if (allow_root && path == "/") return;
  if (auto error = name_error(path, false)) throw RequestError(400, *error);
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view component = path.substr(start, end - start);
    if (component.empty() || component == ".")
      throw RequestError(400, "invalid filetracker name " + quoted_name(path) + ": empty or \".\" path component");
    start = end + 1;
  }
}

}  // namespace

Target parse_target(std::string_view target) {
  Target out;
  auto question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  if (question != std::string_view::npos) out.query = protocol::parse_query(target.substr(question + 1));
  if (raw_path.empty() || raw_path.front() != '/') throw RequestError(400, "the request target must start with \"/\"");
  auto decoded = protocol::decode_path(raw_path);
  if (!decoded) throw RequestError(400, "malformed %-escape in the request path");
  std::string path = std::move(*decoded);
  // Segments: a ".." anywhere is refused before anything else looks at the path.
  std::vector<std::string_view> segments;
  std::string_view rest(path);
  rest.remove_prefix(1);
  while (true) {
    auto slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  for (auto segment : segments)
    if (segment == "..") throw RequestError(400, "the path must not contain \"..\"");
  if (segments.size() > 1 && segments.back().empty()) segments.pop_back();  // trailing '/'
  out.endpoint = std::string(segments.front());
  out.path = "/";
  for (std::size_t i = 1; i < segments.size(); ++i) {
    if (i > 1) out.path += '/';
    out.path += segments[i];
  }
  return out;
}

void check_file_name(std::string_view path) {
  if (path == "/") throw RequestError(400, "a file name is required after the endpoint");
  check_components(path, false);
}

void check_directory_name(std::string_view path) { check_components(path, true); }

std::optional<Version> query_version(const Target& target, bool required) {
  auto it = target.query.find("last_modified");
  if (it == target.query.end() || it->second.empty()) {
    if (required) throw RequestError(400, "\"?last_modified=\" is required");
    return std::nullopt;
  }
  auto version = protocol::parse_http_date(it->second);
  if (!version)
    throw RequestError(400, "last_modified is not an RFC 2822 date from year 1900 to 9999: " + quoted_name(it->second));
  return version;
}

std::optional<std::string_view> single_header(const Request& request, std::string_view name) {
  auto values = request.header_values(name);
  if (values.empty()) return std::nullopt;
  for (auto value : values)
    if (trim(value) != trim(values.front()))
      throw RequestError(400, std::string(name) + " is sent " + std::to_string(values.size()) +
                                  " times with different values");
  return values.front();
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool yes = false;
  for_each_element(accept_encoding, [&](std::string_view token, double q) {
    if (protocol::is_gzip_coding(token) && q > 0) yes = true;
  });
  return yes;
}

bool accepts_json(std::string_view accept) {
  bool yes = false;
  for_each_element(accept, [&](std::string_view token, double q) {
    if (iequals(token, protocol::kJsonContentType) && q > 0) yes = true;
  });
  return yes;
}

}  // namespace ft::server
