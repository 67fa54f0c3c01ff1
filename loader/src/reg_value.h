// Value lines of a .reg file: "name"=data or @=data, the data being -,
// "string", dword:, hex: or hex(N):.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"

namespace calloutemu::loader::reg {

inline constexpr std::uint32_t kRegSz = 1;
inline constexpr std::uint32_t kRegBinary = 3;
inline constexpr std::uint32_t kRegDword = 4;
inline constexpr std::uint32_t kRegMultiSz = 7;

struct RegValue {
  bool deleted = false;
  std::uint32_t type = 0;
  std::string form;  // how the file wrote it, for messages: "dword:", "hex(7)", ...
  std::vector<std::uint8_t> bytes;
  std::size_t line = 0;
};

// The type name and how the file wrote it: "REG_SZ (a quoted string)".
std::string describe(const RegValue& value);

struct NamedValue {
  std::string name;  // empty for the default value (@)
  RegValue value;
};

// A logical line starting with '"' or '@'.
Result<NamedValue> parse_value_line(std::string_view text);

}  // namespace calloutemu::loader::reg
