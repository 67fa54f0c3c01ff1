#include "reg_value.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reg_messages.h"
#include "reg_text.h"

namespace calloutemu::loader::reg {
namespace {

std::string type_name(std::uint32_t type) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "REG_NONE",
      "REG_SZ",
      "REG_EXPAND_SZ",
      "REG_BINARY",
      "REG_DWORD",
      "REG_DWORD_BIG_ENDIAN",
      "REG_LINK",
      "REG_MULTI_SZ",
      "REG_RESOURCE_LIST",
      "REG_FULL_RESOURCE_DESCRIPTOR",
      "REG_RESOURCE_REQUIREMENTS_LIST",
      "REG_QWORD",
  };
  if (type < kNames.size()) {
    return std::string(kNames[type]);
  }
  return "type 0x" + hex_text(type);
}

// A quoted string at the start of `text` with \\ and \" escapes; on success
// `text` is left after the closing quote.
Result<std::string> parse_quoted(std::string_view& text, std::string_view what) {
  std::string out;
  std::size_t i = 1;  // past the opening quote
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      text.remove_prefix(i + 1);
      return out;
    }
    if (c == '\\') {
      if (i + 1 >= text.size()) {
        break;
      }
      const char escaped = text[i + 1];
      if (escaped != '\\' && escaped != '"') {
        return make_error(std::string(what) + ": unknown escape \\" + std::string(1, escaped) +
                          " (only \\\\ and \\\" are allowed)");
      }
      out.push_back(escaped);
      i += 2;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return make_error(std::string(what) + ": missing closing quote");
}

Result<std::vector<std::uint8_t>> parse_hex_bytes(std::string_view text) {
  std::vector<std::uint8_t> bytes;
  if (trim(text).empty()) {
    return bytes;
  }
  std::size_t index = 1;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    const auto high = item.size() == 2 ? hex_digit(item[0]) : std::nullopt;
    const auto low = item.size() == 2 ? hex_digit(item[1]) : std::nullopt;
    if (!high || !low) {
      return make_error("hex data: byte " + std::to_string(index) + " is " + excerpt(item) +
                        ", expected two hex digits");
    }
    bytes.push_back(static_cast<std::uint8_t>((*high << 4) | *low));
    if (comma == std::string_view::npos) {
      return bytes;
    }
    text.remove_prefix(comma + 1);
    ++index;
  }
}

// The data after '=': -, "string", dword:, hex:, hex(N):.
Result<RegValue> parse_value_data(std::string_view data) {
  data = trim(data);
  RegValue value;
  if (data.empty()) {
    return make_error("missing value data after '='");
  }
  if (data == "-") {
    value.deleted = true;
    return value;
  }
  if (data.front() == '"') {
    auto text = parse_quoted(data, "string data");
    if (!text) {
      return text.error();
    }
    if (!trim(data).empty()) {
      return make_error("unexpected text after the closing quote: " + excerpt(trim(data)));
    }
    value.type = kRegSz;
    value.form = "a quoted string";
    for (char c : *text) {
      value.bytes.push_back(static_cast<std::uint8_t>(c));
    }
    return value;
  }
  if (starts_with_ignoring_case(data, "dword:")) {
    const std::string_view digits = trim(data.substr(6));
    const auto number = parse_hex_u32(digits);
    if (!number) {
      return make_error("dword: needs 1 to 8 hex digits, found " + excerpt(digits));
    }
    value.type = kRegDword;
    value.form = "dword:";
    for (unsigned shift = 0; shift < 32; shift += 8) {
      value.bytes.push_back(static_cast<std::uint8_t>((*number >> shift) & 0xFFU));
    }
    return value;
  }
  std::string_view bytes_text;
  if (starts_with_ignoring_case(data, "hex:")) {
    value.type = kRegBinary;
    value.form = "hex:";
    bytes_text = data.substr(4);
  } else if (starts_with_ignoring_case(data, "hex(")) {
    const std::size_t close = data.find(')');
    if (close == std::string_view::npos) {
      return make_error("hex( without a closing ')'");
    }
    const std::string_view digits = data.substr(4, close - 4);
    const auto type = parse_hex_u32(digits);
    if (!type) {
      return make_error("hex(N): the type needs 1 to 8 hex digits, found " + excerpt(digits));
    }
    if (close + 1 >= data.size() || data[close + 1] != ':') {
      return make_error("expected ':' after hex(" + std::string(digits) + ")");
    }
    value.type = *type;
    value.form = "hex(" + hex_text(*type) + ")";
    bytes_text = data.substr(close + 2);
  } else {
    return make_error("unrecognised value data " + excerpt(data) +
                      " (expected -, \"string\", dword:, hex: or hex(N):)");
  }
  auto bytes = parse_hex_bytes(bytes_text);
  if (!bytes) {
    return bytes.error();
  }
  value.bytes = std::move(*bytes);
  return value;
}

}  // namespace

std::string describe(const RegValue& value) {
  return type_name(value.type) + " (" + value.form + ")";
}

Result<NamedValue> parse_value_line(std::string_view text) {
  NamedValue named;
  std::string shown;
  if (text.front() == '@') {
    text.remove_prefix(1);
    shown = "default value (@)";
  } else {
    auto name = parse_quoted(text, "value name");
    if (!name) {
      return name.error();
    }
    named.name = std::move(*name);
    shown = "value " + excerpt(named.name);
  }
  text = trim_left(text);
  if (text.empty() || text.front() != '=') {
    return make_error(shown + ": expected '=' after the name");
  }
  auto value = parse_value_data(text.substr(1));
  if (!value) {
    return make_error(shown + ": " + value.error().message);
  }
  named.value = std::move(*value);
  return named;
}

}  // namespace calloutemu::loader::reg
