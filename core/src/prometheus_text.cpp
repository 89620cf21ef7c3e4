#include "filetracker/prometheus_text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ft::prometheus {
namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

[[noreturn]] void fail(std::size_t line, const std::string& reason) {
  throw std::runtime_error("line " + std::to_string(line) + ": " + reason);
}

// "1.5", "+Inf", "-Inf", "NaN", "3e-05": the format's float spellings.
std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

void skip_blanks(std::string_view line, std::size_t& i) {
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
}

Sample parse_sample(std::string_view line, std::size_t number) {
  Sample s;
  std::size_t i = 0;
  if (!name_start(line[0])) fail(number, "a metric name must start with a letter, '_' or ':'");
  while (i < line.size() && name_char(line[i])) ++i;
  s.name = std::string(line.substr(0, i));
  skip_blanks(line, i);
  if (i < line.size() && line[i] == '{') {
    ++i;
    for (;;) {
      skip_blanks(line, i);
      if (i < line.size() && line[i] == '}') {
        ++i;
        break;
      }
      const std::size_t key_start = i;
      if (i >= line.size() || !name_start(line[i])) fail(number, "bad label name in " + s.name);
      while (i < line.size() && name_char(line[i])) ++i;
      std::string key(line.substr(key_start, i - key_start));
      skip_blanks(line, i);
      if (i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') fail(number, "label " + key + " has no quoted value");
      i += 2;
      std::string value;
      for (;;) {
        if (i >= line.size()) fail(number, "unterminated value of label " + key);
        const char c = line[i++];
        if (c == '"') break;
        if (c != '\\') {
          value += c;
          continue;
        }
        if (i >= line.size()) fail(number, "unterminated value of label " + key);
        const char e = line[i++];
        if (e == 'n') value += '\n';
        else if (e == '\\' || e == '"') value += e;
        else fail(number, std::string("unknown escape \\") + e + " in label " + key);
      }
      s.labels.emplace_back(std::move(key), std::move(value));
      skip_blanks(line, i);
      if (i < line.size() && line[i] == ',') ++i;
      else if (i >= line.size() || line[i] != '}') fail(number, "expected ',' or '}' in the labels of " + s.name);
    }
  }
  skip_blanks(line, i);
  std::size_t end = i;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  const auto value = parse_value(line.substr(i, end - i));
  if (!value) fail(number, "no number as the value of " + s.name);
  s.value = *value;
  // An optional timestamp (milliseconds) follows; nothing else may.
  skip_blanks(line, end);
  if (end < line.size()) {
    std::int64_t ts = 0;
    const auto rest = line.substr(end);
    const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), ts);
    if (ec != std::errc() || p != rest.data() + rest.size()) fail(number, "unexpected text after the value of " + s.name);
  }
  return s;
}

bool matches(const Sample& s, const std::vector<std::pair<std::string, std::string>>& match) {
  return std::all_of(match.begin(), match.end(), [&s](const auto& m) {
    const std::string* v = s.label(m.first);
    return v && *v == m.second;
  });
}

}  // namespace

const std::string* Sample::label(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key) return &v;
  return nullptr;
}

std::vector<Sample> parse_text(std::string_view text) {
  std::vector<Sample> samples;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t start = 0;
    skip_blanks(line, start);
    line.remove_prefix(start);
    if (line.empty() || line.front() == '#') continue;
    samples.push_back(parse_sample(line, number));
  }
  return samples;
}

double sum_of(const std::vector<Sample>& samples, std::string_view name,
              const std::vector<std::pair<std::string, std::string>>& match) {
  double total = 0;
  for (const Sample& s : samples)
    if (s.name == name && matches(s, match)) total += s.value;
  return total;
}

bool has(const std::vector<Sample>& samples, std::string_view name) {
  return std::any_of(samples.begin(), samples.end(), [name](const Sample& s) { return s.name == name; });
}

std::vector<Bucket> histogram_buckets(const std::vector<Sample>& samples, std::string_view base) {
  const std::string name = std::string(base) + "_bucket";
  std::vector<Bucket> buckets;
  for (const Sample& s : samples) {
    if (s.name != name) continue;
    const std::string* le = s.label("le");
    if (!le) continue;
    if (const auto bound = parse_value(*le)) buckets.push_back({*bound, s.value});
  }
  std::sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) { return a.upper_bound < b.upper_bound; });
  return buckets;
}

std::optional<double> histogram_quantile(double q, const std::vector<Bucket>& before, const std::vector<Bucket>& after) {
  if (after.empty() || before.size() != after.size() || !(q >= 0 && q <= 1)) return std::nullopt;
  std::vector<double> counts(after.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (before[i].upper_bound != after[i].upper_bound) return std::nullopt;
    counts[i] = after[i].count - before[i].count;
    if (counts[i] < 0) return std::nullopt;  // counters went back: the server restarted
  }
  const double total = counts.back();
  if (total <= 0) return std::nullopt;
  const double rank = q * total;
  std::size_t i = 0;
  while (i + 1 < counts.size() && counts[i] < rank) ++i;
  if (std::isinf(after[i].upper_bound)) {
    // Past the last finite bound: that bound is all we know.
    return i > 0 ? std::optional<double>(after[i - 1].upper_bound) : std::nullopt;
  }
  const double lower = i > 0 ? after[i - 1].upper_bound : 0.0;
  const double below = i > 0 ? counts[i - 1] : 0.0;
  const double in_bucket = counts[i] - below;
  if (in_bucket <= 0) return after[i].upper_bound;
  return lower + (after[i].upper_bound - lower) * ((rank - below) / in_bucket);
}

}  // namespace ft::prometheus
