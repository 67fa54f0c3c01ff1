// The text of a .reg file: decoding its bytes to UTF-8 lines, joining
// continued lines, and the small string helpers the parser uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"
#include "reg_messages.h"

namespace calloutemu::loader::reg {

// ---------------------------------------------------------------- text

std::string_view trim_left(std::string_view text);
std::string_view trim(std::string_view text);

// Key and value names are ASCII in everything the parser looks for, so ASCII
// case folding is enough to compare them.
bool equals_ignoring_case(std::string_view a, std::string_view b);
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);

std::optional<unsigned> hex_digit(char c);

// 1 to 8 hex digits and nothing else.
std::optional<std::uint32_t> parse_hex_u32(std::string_view digits);

std::string hex_text(std::uint32_t value);

// Windows-1252 as MultiByteToWideChar decodes it: the five bytes the code page
// leaves undefined map to the C1 controls of the same value.
std::u16string windows1252_to_utf16(std::string_view bytes);

// ---------------------------------------------------------------- lines

struct Line {
  std::size_t number = 0;  // 1-based, of the first physical line
  std::string text;        // UTF-8, without its line end
};

// Splits the file into physical lines of UTF-8 text, decoding as its BOM says.
Result<std::vector<Line>> decode_lines(std::string_view bytes, const Diagnostics& diag);

bool is_blank_line(std::string_view text);

// Joins continued lines ("...,\" then the rest on the next line), and drops
// blank and comment lines.
std::vector<Line> logical_lines(const std::vector<Line>& lines, std::size_t first);

}  // namespace calloutemu::loader::reg
