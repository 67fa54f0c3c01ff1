// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// past U+10FFFF. For text from callouts and the OS, which may hold any bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace calloutemu {

struct Utf8Sequence {
  std::size_t length = 0;  // 0: no well-formed sequence starts there
  char32_t code_point = 0;
};

// The sequence starting at text[at] (at < text.size()).
inline Utf8Sequence utf8_sequence(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t offset) {
    return static_cast<std::uint8_t>(text[at + offset]);
  };
  const std::uint8_t lead = byte(0);
  if (lead < 0x80) {
    return {1, lead};
  }
  std::size_t length = 0;
  char32_t minimum = 0;
  char32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    minimum = 0x80;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    minimum = 0x800;
    code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    minimum = 0x10000;
    code_point = lead & 0x07u;
  } else {
    return {};
  }
  if (text.size() - at < length) {
    return {};
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0u) != 0x80u) {
      return {};
    }
    code_point = (code_point << 6) | (byte(i) & 0x3Fu);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < minimum || surrogate || code_point > 0x10FFFF) {
    return {};
  }
  return {length, code_point};
}

inline bool is_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const auto sequence = utf8_sequence(text, at);
    if (sequence.length == 0) {
      return false;
    }
    at += sequence.length;
  }
  return true;
}

}  // namespace calloutemu
