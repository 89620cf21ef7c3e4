// Human-written sizes and durations, as the deployed cache cleaner reads them.
//
// Sizes: a number followed by a unit, chainable: "1G512M" = 1.5 GiB.
// Units B, K, M, G, T are powers of 2^10 (K = 1024 bytes); lower case is
// accepted too. Durations: the same with s, m, h, d (seconds, minutes, hours,
// days; upper case accepted): "1h30m". A number without a unit is an error,
// as in the seed, so "100" never silently means 100 bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ft {

// Throws Error(InvalidArgument) with a one-line message quoting `text`, e.g.
//   invalid size "12X": unknown unit "X" (use B, K, M, G or T, e.g. 1G512M)
std::uint64_t parse_size(std::string_view text);
// The seed's display form: three decimals in the largest unit that fits,
// "1.500G", "512.000B".
std::string format_size(std::uint64_t bytes);
// Exact and parseable back: "1G512M", "0B".
std::string format_size_exact(std::uint64_t bytes);

// Throws Error(InvalidArgument), like parse_size.
std::chrono::seconds parse_duration(std::string_view text);
// Exact and parseable back: "1h30m", "0s".
std::string format_duration(std::chrono::seconds duration);

}  // namespace ft
