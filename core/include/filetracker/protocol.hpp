// The filetracker wire protocol, version 2, and our extensions, as pure
// functions: no I/O, no HTTP library. The server (Boost.Beast), the
// synchronous client (libcurl) and the GUI's asynchronous client
// (QNetworkAccessManager) all encode and decode through this one module, so
// the rules live in exactly one place. The contract is docs/protocol.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/name.hpp"
#include "filetracker/find_query.hpp"

namespace ft::protocol {

// ---- Header names -------------------------------------------------------
inline constexpr std::string_view kLastModified = "Last-Modified";
inline constexpr std::string_view kLogicalSize = "Logical-Size";
inline constexpr std::string_view kSha256Checksum = "SHA256-Checksum";
inline constexpr std::string_view kContentEncoding = "Content-Encoding";
inline constexpr std::string_view kContentLength = "Content-Length";
inline constexpr std::string_view kAcceptEncoding = "Accept-Encoding";
inline constexpr std::string_view kAccept = "Accept";
inline constexpr std::string_view kXException = "X-Exception";
inline constexpr std::string_view kJsonContentType = "application/json";

// ---- Dates ---------------------------------------------------------------
// Unix seconds -> "Thu, 01 Jan 2015 00:00:10 GMT" (RFC 2822 / RFC 7231 form).
std::string format_http_date(Version unix_seconds);
// Parses an RFC 2822 date: "Thu, 01 Jan 2015 00:00:10 GMT", with "-0000",
// "+0000", "UT", "UTC" or a numeric offset like "+0200" (which is honoured:
// 12:00 +0200 is 10:00 GMT). The weekday is optional; seconds are optional.
// Returns nullopt for anything else.
std::optional<Version> parse_http_date(std::string_view text);

// ---- URL pieces -----------------------------------------------------------
// Percent-encodes a name for the path part of a URL; '/' and RFC 3986
// unreserved characters stay as they are.
std::string encode_path(std::string_view name);
// Decodes %XX sequences of a URL path (a '+' stays a '+'). nullopt on a
// malformed escape.
std::optional<std::string> decode_path(std::string_view path);
// application/x-www-form-urlencoded value: space -> '+', others %XX.
std::string form_encode(std::string_view value);
// Decodes a form-encoded value: '+' -> space, %XX -> byte. nullopt on a
// malformed escape.
std::optional<std::string> form_decode(std::string_view value);
// "a=1&b=x+y" -> {a: "1", b: "x y"}. Malformed pairs are skipped; a key
// without '=' maps to "".
std::map<std::string, std::string> parse_query(std::string_view query);

// Request targets (path + query), relative to the server's base URL:
//   files_target("/a b.txt")            -> "/files/a%20b.txt"
//   files_target("/a", 10)              -> "/files/a?last_modified=Thu%2C+01+Jan+1970+00%3A00%3A10+GMT"
//   list_target("/dir", nullopt, false) -> "/list/dir"
// REQUIRES: name is a valid unversioned name.
std::string files_target(std::string_view name, std::optional<Version> version = std::nullopt);
// `recursive == false` asks for the one-level listing (extension; the
// request parameter is "recursive=0").
std::string list_target(std::string_view directory, std::optional<Version> version = std::nullopt,
                        bool recursive = true);
// The `find` extension's listing (docs/protocol.md, "find"): a recursive
// JSON listing of `directory` filtered by `query`, one page of at most
// `limit` files with names after `after` (absolute; empty: from the start).
std::string find_target(std::string_view directory, const FindQuery& query, std::string_view after = {},
                        std::size_t limit = 0);
// The most files one find page holds (also the default), and how many index
// rows the server reads for one page before it answers with what it has (so
// a sparse search over millions of names still reports progress).
inline constexpr std::size_t kFindPageFiles = 10000;
inline constexpr std::size_t kFindPageScan = 200000;
inline constexpr std::string_view kVersionTarget = "/version";

// ---- /version and extensions ---------------------------------------------
// Extension names advertised by our server in GET /version:
//   {"protocol_versions": [2], "extensions": ["checksum-verify", ...]}
// Old peers read only "protocol_versions".
inline constexpr std::string_view kExtChecksumVerify = "checksum-verify";  // PUT checked against SHA256-Checksum / Logical-Size
inline constexpr std::string_view kExtChecksumHeader = "sha256-header";    // SHA256-Checksum on GET/HEAD responses
inline constexpr std::string_view kExtPlainContent = "plain-content";      // no gzip without Accept-Encoding: gzip
inline constexpr std::string_view kExtJsonList = "json-list";              // /list with Accept: application/json
inline constexpr std::string_view kExtFind = "find";                       // JSON /list with pattern, bounds, pages
// The admin API (/admin/principals, /admin/check): servers with --auth FILE.
inline constexpr std::string_view kExtAdmin = "admin";
// The server falls back to an older one for names it does not have (--fallback-url).
inline constexpr std::string_view kExtFallbackRedirect = "fallback-redirect";  // GET/HEAD answer 307 there
inline constexpr std::string_view kExtFallbackPull = "fallback-pull";          // fetched, stored here, answered
// The server keeps superseded versions (--keep-versions, --keep-for): /history.
inline constexpr std::string_view kExtHistory = "history";

// Who the server took the /version request to be from (its "access"
// member, our extension): the principal's name ("" for anonymous), its level
// ("none", "read", "write", "admin") and the prefixes limiting it (empty:
// every name). Clients use it to offer only what they may do.
struct AccessInfo {
  std::string name;
  std::string level;
  std::vector<std::string> prefixes;
  bool operator==(const AccessInfo&) const = default;
};

struct ServerInfo {
  int protocol_version = 2;             // 1 when /version answered 404
  std::vector<std::string> extensions;  // empty for servers without ours
  std::optional<AccessInfo> access;     // absent from servers without it
  std::string server;                   // its "server" member ("filetracker-server 0.1.0"); "" when absent
  bool has(std::string_view extension) const;
};
// Parses the answer to GET /version. status 404 -> version 1.
// Throws Error(Protocol) on a body that is not the expected JSON.
ServerInfo parse_version_response(int status, std::string_view body);
// What our server sends; `extensions` empty when they are switched off.
// `server` names the program and its version ("filetracker-server 0.1.0"),
// sent with the extensions (a server without them answers as the deployed one).
std::string make_version_response(const std::vector<std::string>& extensions, std::string_view server = {});
// `body` (a make_version_response answer) with the "access" member added.
std::string add_version_access(std::string_view body, const AccessInfo& access);

// ---- Listing ---------------------------------------------------------------
// Plain listing: one path per line, each ending in '\n', relative to the
// listed directory, no leading slash.
std::vector<std::string> parse_plain_list(std::string_view body);

// JSON listing (extension). Body:
//   {"directory": "/d",
//    "files": [{"name": "a/b.txt", "version": 1420070410, "size": 12,
//               "sha256": "<64 hex>"}, ...],
//    "directories": ["sub", ...]}
// "name" is relative to the listed directory; "directories" is filled only by
// the one-level listing (names of immediate subdirectories, no slash).
struct ListEntry {
  std::string name;
  Version version = 0;
  std::uint64_t size = 0;
  std::string sha256;
  bool operator==(const ListEntry&) const = default;
};
struct Listing {
  std::string directory;
  std::vector<ListEntry> files;
  std::vector<std::string> directories;
  // A `find` page that may not be the last: the absolute name to ask for
  // the next page after ("next" in the JSON; absent: this was the last).
  std::string next;
};
// Throws Error(Protocol) on malformed JSON or missing fields.
Listing parse_json_list(std::string_view body);
std::string make_json_list(const Listing& listing);

// ---- Version history (extension "history") ---------------------------------
//   GET  /history/P                      the versions: JSON, newest first
//   GET  /history/P?last_modified=DATE   that version's content (HEAD: headers), as /files answers
//   POST /history/P?last_modified=DATE   restore: current again, under a new version (Last-Modified)
//   DELETE /history/P  (or /history/)    purge P's kept versions (every name's): admin only
// Listing body:
//   {"name": "/a.txt",
//    "versions": [{"version": 1420070410, "size": 12, "sha256": "<64 hex>",
//                  "current": true, "superseded": 0}, ...]}
// "superseded" is when a newer version replaced a kept one (Unix seconds;
// 0 for the current version).
struct HistoryEntry {
  Version version = 0;
  std::uint64_t size = 0;
  std::string sha256;
  bool current = false;
  std::int64_t superseded = 0;
  bool operator==(const HistoryEntry&) const = default;
};
struct History {
  std::string name;
  std::vector<HistoryEntry> versions;  // newest first
};
// "/history/a%20b.txt", with "?last_modified=DATE" for one version.
std::string history_target(std::string_view name, std::optional<Version> version = std::nullopt);
// Throws Error(Protocol) on malformed JSON, missing fields or a version out of range.
History parse_history(std::string_view body);
std::string make_history(const History& history);

// ---- What an answer says about a file --------------------------------------
// The value of an answer's header, looked up by name case-insensitively;
// nullopt when the answer has no such header. Each client adapts its HTTP
// library's header access to this.
using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

// What the headers of an answer to GET or HEAD /files/P say about the file.
struct FileHeaders {
  // Last-Modified: the version. nullopt when missing or not an RFC 2822 date.
  std::optional<Version> version;
  // The logical (uncompressed) size. Logical-Size when sent (nullopt when it
  // is not a number). Without it, Content-Length, but only when the body is
  // not content-coded (no Content-Encoding, or identity): the Content-Length
  // of a gzip body is its compressed length, which says nothing about the
  // file's size. Otherwise nullopt: unknown.
  std::optional<std::uint64_t> logical_size;
  // SHA256-Checksum in lower case; empty when not sent or not 64 hex digits.
  std::string sha256;
  // Content-Encoding is gzip or x-gzip (any case): the body is to be gunzipped.
  bool gzip = false;
  // A Content-Encoding that is neither gzip nor identity, as sent (trimmed):
  // nobody can decode such a body. Empty otherwise.
  std::string unsupported_coding;
  bool operator==(const FileHeaders&) const = default;
};
// Decodes the headers above; never throws (the caller decides what is fatal).
FileHeaders decode_file_headers(const HeaderLookup& header);

// ---- Errors ----------------------------------------------------------------
// Makes a value safe for an X-Exception header: one line, printable ASCII,
// at most 400 characters.
std::string sanitize_reason(std::string_view reason);
// The one-line message clients show: "/a/b.txt: HTTP 404: file not found".
// `reason` may be empty (then the standard reason phrase is used).
std::string describe_http_error(std::string_view name, int status, std::string_view reason);

// ---- Small helpers ---------------------------------------------------------
// The text helpers every peer's header handling needs; written once here so
// that "what counts as equal / as white space" is the same on every side.
// ASCII case-insensitive equality (header names, content-codings, tokens).
bool iequals(std::string_view a, std::string_view b);
// ASCII lower case.
std::string to_lower(std::string_view text);
// Strips HTTP optional white space (space, tab) and line ends from both sides.
std::string_view trim(std::string_view text);
// A Content-Encoding value that means gzip: "gzip" or "x-gzip", in any case,
// surrounded by optional white space (content-codings are case-insensitive).
bool is_gzip_coding(std::string_view content_coding);
// No coding at all: empty or "identity" (any case).
bool is_identity_coding(std::string_view content_coding);
bool is_sha256_hex(std::string_view text);  // 64 lowercase or uppercase hex digits
// Parses a non-negative decimal integer (no sign, no spaces). nullopt on garbage or overflow.
std::optional<std::uint64_t> parse_uint(std::string_view text);

}  // namespace ft::protocol
