// The Prometheus text exposition format (version 0.0.4), as GET /metrics
// answers it: a parser for the samples, and the arithmetic a dashboard does
// on two scrapes (a counter's increase, a histogram quantile of the
// observations between them, as PromQL's histogram_quantile does). Qt-free so
// any client can use it; the GUI's dashboard is the first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ft::prometheus {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order written
  double value = 0;

  // The value of label `key`; nullptr when the sample has none.
  const std::string* label(std::string_view key) const;
};

// Every sample of `text`; comments (# HELP, # TYPE) and blank lines are
// skipped, a timestamp after the value is ignored. A malformed line throws
// std::runtime_error("line N: reason").
std::vector<Sample> parse_text(std::string_view text);

// The sum of the samples named `name` whose labels include every pair of
// `match` (none: all of them); 0 when there are none.
double sum_of(const std::vector<Sample>& samples, std::string_view name,
              const std::vector<std::pair<std::string, std::string>>& match = {});
// Is there a sample named `name`?
bool has(const std::vector<Sample>& samples, std::string_view name);

// One cumulative bucket of a histogram: observations <= upper_bound.
struct Bucket {
  double upper_bound = 0;  // +infinity for le="+Inf"
  double count = 0;
};
// The buckets of histogram `base` (its `base_bucket` samples), by bound.
std::vector<Bucket> histogram_buckets(const std::vector<Sample>& samples, std::string_view base);

// The `q` quantile (0..1) of the observations made between the scrapes
// `before` and `after` (cumulative buckets of the same histogram), linearly
// interpolated within the bucket it falls in; nullopt when nothing was
// observed between them or the buckets do not match (a restarted server).
// Falling in the +Inf bucket gives the highest finite bound.
std::optional<double> histogram_quantile(double q, const std::vector<Bucket>& before, const std::vector<Bucket>& after);

}  // namespace ft::prometheus
