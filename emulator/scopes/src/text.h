// Small helpers for reading configuration text; none of them throws.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace calloutemu::scopes {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// Only decimal digits (no sign, blank or base prefix); nullopt when empty or over 2^64 - 1.
inline std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || !is_digit(text.front())) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace calloutemu::scopes
