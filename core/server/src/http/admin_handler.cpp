// /admin/...: the admin API (extension "admin", docs/protocol.md). Only an
// unrestricted admin gets here (the gatekeeper); every answer is JSON and
// never cached.
//
//   GET    /admin/principals         who may do what (never a hash)
//   PUT    /admin/principals/NAME    add or change one (JSON body)
//   DELETE /admin/principals/NAME    remove one
//   GET    /admin/check              the live consistency check's state
//   POST   /admin/check              start it (optional JSON body)
//   DELETE /admin/check              cancel it
//
// Edits of the access file go through edit_access_file (the same
// read-modify-write as `filetracker-server passwd`) on the admin worker
// thread: hashing a new secret and the file's fsync stay off the I/O
// threads. The server reloads the file at once, as on SIGHUP.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "filetracker/protocol.hpp"
#include "filetracker/server/access_file_editor.hpp"
#include "filetracker/server/live_check.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/secret_hash.hpp"
#include "http/background_worker.hpp"
#include "http/gatekeeper.hpp"
#include "http/handlers.hpp"

namespace ft::server {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxBody = 64 * 1024;

TextReply json_reply(int status, const json& body) {
  TextReply reply;
  reply.status = status;
  reply.content_type = "application/json";
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.body = body.dump() + "\n";
  return reply;
}

// The server's usual refusal (X-Exception) with the reason as JSON too.
TextReply json_error(int status, const std::string& reason) {
  const std::string line = protocol::sanitize_reason(reason);
  TextReply reply = json_reply(status, json{{"error", line}});
  reply.headers.emplace_back(protocol::kXException, line);
  return reply;
}

// Runs `handle`, turning what it throws into a JSON refusal.
template <typename Handle>
TextReply answering_json(Handle&& handle) {
  try {
    return handle();
  } catch (const RequestError& e) {
    return json_error(e.status, e.what());
  } catch (const AccessChangeRefused& e) {
    return json_error(409, e.what());
  } catch (const Error& e) {
    switch (e.code()) {
      case ErrorCode::InvalidArgument: return json_error(400, e.what());
      case ErrorCode::NotFound: return json_error(404, e.what());
      default: return json_error(500, e.what());
    }
  } catch (const std::exception& e) {
    return json_error(500, e.what());
  }
}

void require_access_control(const HandlerContext& context) {
  if (!context.gatekeeper || !context.gatekeeper->enabled() || !context.admin_worker)
    throw RequestError(404, "no access control (--auth)");
}

// "/principals/NAME" -> NAME (validated); "/principals" -> "".
std::string principal_in(const Target& target) {
  static constexpr std::string_view kPrefix = "/principals";
  std::string_view path = target.path;
  if (path == kPrefix) return {};
  if (!path.starts_with(kPrefix) || path.size() <= kPrefix.size() + 1 || path[kPrefix.size()] != '/')
    throw RequestError(404, "unknown admin endpoint \"" + target.path + "\" (principals, check)");
  std::string name(path.substr(kPrefix.size() + 1));
  if (!is_principal_name(name))
    throw RequestError(400, "\"" + name + "\" is not a valid name (letters, digits, _ - @ +; at most 64)");
  return name;
}

enum class Section { Principals, Check };
Section section_of(const Target& target) {
  if (target.path == "/check") return Section::Check;
  if (target.path == "/principals" || target.path.starts_with("/principals/")) return Section::Principals;
  throw RequestError(404, "unknown admin endpoint \"" + target.path + "\" (principals, check)");
}

json principal_json(const Principal& p) {
  return json{{"name", p.name}, {"access", std::string(access_level_name(p.level))}, {"prefixes", p.prefixes}};
}

// "write, /tests/ /problems/" for the log.
std::string describe_for_log(const Principal& p) {
  std::string text(access_level_name(p.level));
  if (!p.prefixes.empty()) {
    text += ",";
    for (const auto& prefix : p.prefixes) text += " " + prefix;
  }
  return text;
}

// The optional JSON object of a body: an empty body is {}.
json parse_body(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  json value = json::parse(body, nullptr, false);
  if (value.is_discarded() || !value.is_object()) throw RequestError(400, "the body is not a JSON object");
  return value;
}

void allow_only(const json& body, std::initializer_list<std::string_view> fields) {
  for (const auto& [key, value] : body.items())
    if (std::find(fields.begin(), fields.end(), key) == fields.end())
      throw RequestError(400, "unknown field \"" + key + "\"");
}

bool bool_field(const json& body, const char* field, bool fallback) {
  auto it = body.find(field);
  if (it == body.end()) return fallback;
  if (!it->is_boolean()) throw RequestError(400, std::string("\"") + field + "\" must be true or false");
  return it->get<bool>();
}

// Collects a small body, then answers with `finish(body)`.
class JsonBodyReceiver final : public BodyReceiver {
 public:
  using Finish = std::function<Answer(const std::string& body)>;
  explicit JsonBodyReceiver(Finish finish) : finish_(std::move(finish)) {}
  void write(std::string_view chunk) override {
    if (body_.size() + chunk.size() > kMaxBody) {
      too_big_ = true;
      return;
    }
    body_.append(chunk);
  }
  Answer finish() override {
    if (too_big_) return json_error(413, "the body is larger than " + std::to_string(kMaxBody) + " bytes");
    return finish_(body_);
  }

 private:
  Finish finish_;
  std::string body_;
  bool too_big_ = false;
};

// ---- principals ---------------------------------------------------------------

TextReply list_principals(const HandlerContext& context, const Request& request) {
  auto entries = load_access_file(context.options.auth_file);
  std::sort(entries.begin(), entries.end(),
            [](const AccessEntry& a, const AccessEntry& b) { return a.principal.name < b.principal.name; });
  json list = json::array();
  for (const auto& e : entries) list.push_back(principal_json(e.principal));
  return json_reply(200, json{{"you", request.principal().name}, {"principals", std::move(list)}});
}

struct Edit {
  PrincipalChange change;
  bool reset_secret = false;
};

Edit parse_edit(const std::string& name, const std::string& body_text) {
  json body = parse_body(body_text);
  allow_only(body, {"access", "prefixes", "reset_secret"});
  Edit edit;
  edit.change.name = name;
  edit.change.keep_an_admin = true;
  if (auto it = body.find("access"); it != body.end()) {
    auto level = it->is_string() ? parse_access_level(it->get<std::string>()) : std::nullopt;
    if (!level || *level == AccessLevel::None)
      throw RequestError(400, "\"access\" must be \"read\", \"write\" or \"admin\"");
    edit.change.level = level;
  }
  if (auto it = body.find("prefixes"); it != body.end()) {
    if (!it->is_array()) throw RequestError(400, "\"prefixes\" must be a list of directories such as \"/tests/\"");
    std::vector<std::string> prefixes;
    for (const auto& p : *it) {
      if (!p.is_string()) throw RequestError(400, "\"prefixes\" must be a list of directories such as \"/tests/\"");
      prefixes.push_back(p.get<std::string>());
    }
    edit.change.prefixes = normalize_prefixes(prefixes);  // Error(InvalidArgument): 400
  }
  edit.reset_secret = bool_field(body, "reset_secret", false);
  return edit;
}

// On the admin worker: the read-modify-write, the reload, the log line.
TextReply apply_edit(const HandlerContext& context, const std::string& admin, Edit edit) {
  // Hashed before the lock is taken (Argon2id takes a while); unused when
  // the principal exists and keeps its secret.
  const std::string secret = generate_secret();
  const std::string hash = hash_secret(secret);
  PrincipalChangeResult result;
  edit_access_file(context.options.auth_file, [&](std::vector<AccessEntry>& entries) {
    PrincipalChange change = edit.change;
    const bool exists = std::any_of(entries.begin(), entries.end(),
                                    [&](const AccessEntry& e) { return e.principal.name == change.name; });
    if (!exists || edit.reset_secret) change.hash = hash;
    result = upsert_principal(entries, change);
  });
  context.gatekeeper->reload();
  const std::string& name = result.principal.name;
  std::string line = "admin " + admin + ": " + (result.created ? "added " : "updated ") + name + " (" +
                     describe_for_log(result.principal) + ")";
  if (!result.created && result.secret_changed) line += ", new secret";
  log_message(LogLevel::Info, line);
  json body = principal_json(result.principal);
  body["created"] = result.created;
  if (result.secret_changed) {
    body["secret"] = secret;
    body["token"] = name + "." + secret;
  }
  return json_reply(200, body);
}

TextReply remove_one(const HandlerContext& context, const std::string& admin, const std::string& name) {
  if (name == admin) throw AccessChangeRefused("refused: " + name + " cannot remove itself");
  edit_access_file(context.options.auth_file,
                   [&](std::vector<AccessEntry>& entries) { remove_principal(entries, name, true); });
  context.gatekeeper->reload();
  log_message(LogLevel::Info, "admin " + admin + ": removed " + name);
  return json_reply(200, json{{"name", name}, {"removed", true}});
}

// Runs `work` on the admin worker and answers with what it returns.
template <typename Work>
Answer on_worker(const HandlerContext& context, Work work) {
  return Answer::later([&context, work = std::move(work)](ReplyCallback done) mutable {
    context.admin_worker->post(
        [work = std::move(work), done = std::move(done)]() mutable { done(answering_json(std::move(work))); });
  });
}

// ---- the live check ---------------------------------------------------------------

json check_json(const LiveCheck::Status& s) {
  json problems = json::array();
  for (const auto& p : s.problems) problems.push_back(json{{"kind", p.kind}, {"name", p.name}, {"detail", p.detail}});
  json body{{"state", std::string(live_check_state_name(s.state))},
            {"started", s.started ? json(s.started) : json(nullptr)},
            {"finished", s.finished ? json(s.finished) : json(nullptr)},
            {"checked", s.checked},
            {"total", s.total},
            {"files", s.files},
            {"kept_versions", s.kept_versions},
            {"blobs", s.blobs},
            {"content", s.content},
            {"problems", std::move(problems)},
            {"summary", s.summary}};
  if (s.problems_truncated) body["problems_truncated"] = true;
  return body;
}

LiveCheck& check_job(const HandlerContext& context) {
  if (!context.live_check) throw RequestError(404, "this server has no live check");
  return *context.live_check;
}

}  // namespace

Answer get_admin(const HandlerContext& context, const Request& request, const Target& target) {
  return answering_json([&]() -> TextReply {
    require_access_control(context);
    if (section_of(target) == Section::Check) return json_reply(200, check_json(check_job(context).status()));
    if (!principal_in(target).empty())
      throw RequestError(405, "GET /admin/principals lists every principal; NAME takes PUT or DELETE");
    return list_principals(context, request);
  });
}

std::unique_ptr<BodyReceiver> put_admin(const HandlerContext& context, const Request& request, const Target& target) {
  std::string admin = request.principal().name;
  return std::make_unique<JsonBodyReceiver>([&context, admin, target](const std::string& body) -> Answer {
    std::optional<Edit> edit;
    TextReply refusal = answering_json([&]() -> TextReply {
      require_access_control(context);
      if (section_of(target) != Section::Principals) throw RequestError(405, "PUT /admin/check: use POST to start it");
      std::string name = principal_in(target);
      if (name.empty()) throw RequestError(405, "PUT needs a principal: /admin/principals/NAME");
      edit = parse_edit(name, body);
      return {};
    });
    if (!edit) return refusal;
    return on_worker(context, [&context, admin, edit = std::move(*edit)]() mutable {
      return apply_edit(context, admin, std::move(edit));
    });
  });
}

Answer delete_admin(const HandlerContext& context, const Request& request, const Target& target) {
  std::string name;
  TextReply now = answering_json([&]() -> TextReply {
    require_access_control(context);
    if (section_of(target) == Section::Check) {
      if (!check_job(context).cancel()) throw RequestError(409, "no check is running");
      log_message(LogLevel::Info, "admin " + request.principal().name + ": cancelled the consistency check");
      return json_reply(200, check_json(check_job(context).status()));
    }
    name = principal_in(target);
    if (name.empty()) throw RequestError(405, "DELETE needs a principal: /admin/principals/NAME");
    return {};
  });
  if (name.empty()) return now;
  return on_worker(context, [&context, admin = request.principal().name, name] { return remove_one(context, admin, name); });
}

std::unique_ptr<BodyReceiver> post_admin(const HandlerContext& context, const Request& request, const Target& target) {
  std::string admin = request.principal().name;
  return std::make_unique<JsonBodyReceiver>([&context, admin, target](const std::string& body_text) -> Answer {
    return answering_json([&]() -> TextReply {
      require_access_control(context);
      if (section_of(target) != Section::Check)
        throw RequestError(405, "POST is for /admin/check; principals take PUT and DELETE");
      json body = parse_body(body_text);
      allow_only(body, {"repair", "content"});
      if (bool_field(body, "repair", false))
        throw RequestError(400,
                           "repair runs offline only: stop the server and run filetracker-server --check --repair "
                           "(a running server's background sweep removes unreferenced blobs itself)");
      LiveCheck::Options options;
      options.content = bool_field(body, "content", true);
      LiveCheck& job = check_job(context);
      if (!job.start(options)) throw RequestError(409, "a check is running already");
      log_message(LogLevel::Info, "admin " + admin + ": started the consistency check" +
                                      (options.content ? " (with content)" : ""));
      return json_reply(202, check_json(job.status()));
    });
  });
}

}  // namespace ft::server
