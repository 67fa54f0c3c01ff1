#include "reg_text.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calloutemu/loader/text_encoding.h"

namespace calloutemu::loader::reg {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

char16_t windows1252_unit(unsigned char byte) {
  static constexpr std::array<char16_t, 32> kHighControls = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  if (byte >= 0x80U && byte <= 0x9FU) {
    return kHighControls[byte - 0x80U];
  }
  return static_cast<char16_t>(byte);
}

bool has_prefix(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

template <class Char>
std::basic_string_view<Char> without_cr(std::basic_string_view<Char> line) {
  if (!line.empty() && line.back() == static_cast<Char>('\r')) {
    line.remove_suffix(1);
  }
  return line;
}

}  // namespace

// ---------------------------------------------------------------- text

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

std::string_view trim(std::string_view text) {
  return trim_left(trim_right(text));
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_upper(a[i]) != ascii_upper(b[i])) {
      return false;
    }
  }
  return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::optional<unsigned> hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return static_cast<unsigned>(c - '0');
  }
  if (c >= 'a' && c <= 'f') {
    return static_cast<unsigned>(c - 'a' + 10);
  }
  if (c >= 'A' && c <= 'F') {
    return static_cast<unsigned>(c - 'A' + 10);
  }
  return std::nullopt;
}

std::optional<std::uint32_t> parse_hex_u32(std::string_view digits) {
  if (digits.empty() || digits.size() > 8) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (char c : digits) {
    const auto digit = hex_digit(c);
    if (!digit) {
      return std::nullopt;
    }
    value = (value << 4) | *digit;
  }
  return value;
}

std::string hex_text(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "%x", static_cast<unsigned>(value));
  return text;
}

std::u16string windows1252_to_utf16(std::string_view bytes) {
  std::u16string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    out.push_back(windows1252_unit(static_cast<unsigned char>(c)));
  }
  return out;
}

// ---------------------------------------------------------------- lines

Result<std::vector<Line>> decode_lines(std::string_view bytes, const Diagnostics& diag) {
  std::vector<Line> lines;
  if (has_prefix(bytes, "\xFE\xFF")) {
    return diag.whole_file("UTF-16BE is not supported; save the export as UTF-16LE or ANSI");
  }

  if (has_prefix(bytes, "\xFF\xFE")) {
    const std::string_view body = bytes.substr(2);
    if (body.size() % 2 != 0) {
      return diag.whole_file("UTF-16LE text has an odd number of bytes (" +
                             std::to_string(body.size()) + " after the BOM)");
    }
    std::u16string units;
    units.reserve(body.size() / 2);
    for (std::size_t i = 0; i < body.size(); i += 2) {
      units.push_back(static_cast<char16_t>(static_cast<unsigned char>(body[i]) |
                                            (static_cast<unsigned char>(body[i + 1]) << 8)));
    }
    const std::u16string_view text = units;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find(u'\n', start), text.size());
      auto line = utf16_to_utf8(without_cr(text.substr(start, end - start)));
      if (!line) {
        return diag.at(lines.size() + 1, line.error().message);
      }
      lines.push_back(Line{lines.size() + 1, std::move(*line)});
      start = end + 1;
    }
    return lines;
  }

  const bool utf8 = has_prefix(bytes, "\xEF\xBB\xBF");
  const std::string_view text = utf8 ? bytes.substr(3) : bytes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view raw = without_cr(text.substr(start, end - start));
    if (utf8) {
      if (auto check = utf8_to_utf16(raw); !check) {
        return diag.at(lines.size() + 1, check.error().message);
      }
      lines.push_back(Line{lines.size() + 1, std::string(raw)});
    } else {
      auto line = utf16_to_utf8(windows1252_to_utf16(raw));
      lines.push_back(Line{lines.size() + 1, line ? std::move(*line) : std::string()});
    }
    start = end + 1;
  }
  return lines;
}

bool is_blank_line(std::string_view text) {
  return trim(text).empty();
}

std::vector<Line> logical_lines(const std::vector<Line>& lines, std::size_t first) {
  std::vector<Line> out;
  for (std::size_t i = first; i < lines.size(); ++i) {
    const std::string_view text = lines[i].text;
    if (is_blank_line(text) || trim_left(text).front() == ';') {
      continue;
    }
    Line logical{lines[i].number, std::string(trim_right(text))};
    while (!logical.text.empty() && logical.text.back() == '\\') {
      logical.text.pop_back();
      if (i + 1 >= lines.size()) {
        break;
      }
      ++i;
      logical.text += trim(lines[i].text);
    }
    if (!trim(logical.text).empty()) {
      out.push_back(std::move(logical));
    }
  }
  return out;
}

}  // namespace calloutemu::loader::reg
