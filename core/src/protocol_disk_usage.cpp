// The disk usage wire format (extension "du", protocol_disk_usage.hpp).
#include "filetracker/protocol_disk_usage.hpp"

#include <nlohmann/json.hpp>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace ft::protocol {

std::string disk_usage_target(std::string_view dir, std::optional<std::size_t> top) {
  std::string target = dir == "/" ? std::string("/du/") : "/du" + encode_path(dir);
  if (top) target += "?top=" + std::to_string(*top);
  return target;
}

namespace {

FolderUsage folder_of(const nlohmann::json& json) {
  auto bad = [](const std::string& why) { return Error(ErrorCode::Protocol, "disk usage: " + why); };
  if (!json.is_object() || !json.contains("path") || !json["path"].is_string() || !json.contains("files") ||
      !json["files"].is_number_unsigned() || !json.contains("bytes") || !json["bytes"].is_number_unsigned())
    throw bad("a folder lacks path, files or bytes");
  FolderUsage folder{json["path"].get<std::string>(), json["files"].get<std::uint64_t>(),
                     json["bytes"].get<std::uint64_t>()};
  if (folder.path.empty() || folder.path.front() != '/' || folder.path.back() != '/')
    throw bad("a folder path is not absolute with a trailing slash: " + folder.path);
  return folder;
}

nlohmann::json json_of(const FolderUsage& folder) {
  return {{"path", folder.path}, {"files", folder.files}, {"bytes", folder.bytes}};
}

}  // namespace

DiskUsage parse_disk_usage(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    throw Error(ErrorCode::Protocol, "disk usage: the answer is not a JSON object");
  DiskUsage usage;
  usage.total = folder_of(json);
  if (!json.contains("folders") || !json["folders"].is_array())
    throw Error(ErrorCode::Protocol, "disk usage: no \"folders\" array");
  for (const auto& f : json["folders"]) usage.folders.push_back(folder_of(f));
  return usage;
}

std::string make_disk_usage(const DiskUsage& usage) {
  nlohmann::json json = json_of(usage.total);
  nlohmann::json folders = nlohmann::json::array();
  for (const auto& f : usage.folders) folders.push_back(json_of(f));
  json["folders"] = std::move(folders);
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ft::protocol
