// The version history's wire format (extension "history", protocol.hpp).
#include <nlohmann/json.hpp>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace ft::protocol {

std::string history_target(std::string_view name, std::optional<Version> version) {
  std::string target = "/history" + encode_path(name);
  if (version) target += "?last_modified=" + form_encode(format_http_date(*version));
  return target;
}

History parse_history(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  auto bad = [](const std::string& why) { return Error(ErrorCode::Protocol, "version history: " + why); };
  if (json.is_discarded() || !json.is_object()) throw bad("the answer is not a JSON object");
  History history;
  if (json.contains("name") && json["name"].is_string()) history.name = json["name"];
  if (!json.contains("versions") || !json["versions"].is_array()) throw bad("no \"versions\" array");
  for (const auto& v : json["versions"]) {
    if (!v.is_object() || !v.contains("version") || !v["version"].is_number_integer() || !v.contains("size") ||
        !v["size"].is_number_unsigned() || !v.contains("sha256") || !v["sha256"].is_string())
      throw bad("an entry lacks version, size or sha256");
    const auto& version = v["version"];
    if (version.is_number_unsigned() ? version.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxVersion)
                                     : !version_in_range(version.get<Version>()))
      throw bad("a version is out of range (years 1900 to 9999)");
    HistoryEntry entry;
    entry.version = version.get<Version>();
    entry.size = v["size"].get<std::uint64_t>();
    entry.sha256 = v["sha256"].get<std::string>();
    entry.current = v.contains("current") && v["current"].is_boolean() && v["current"].get<bool>();
    if (v.contains("superseded") && v["superseded"].is_number_integer())
      entry.superseded = v["superseded"].get<std::int64_t>();
    history.versions.push_back(std::move(entry));
  }
  return history;
}

std::string make_history(const History& history) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : history.versions)
    versions.push_back({{"version", v.version},
                        {"size", v.size},
                        {"sha256", v.sha256},
                        {"current", v.current},
                        {"superseded", v.superseded}});
  nlohmann::json json{{"name", history.name}, {"versions", std::move(versions)}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ft::protocol
