#include "calloutemu/loader/reg_file.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "calloutemu/loader/multi_sz.h"
#include "calloutemu/loader/text_encoding.h"

namespace calloutemu::loader {
namespace {

constexpr std::string_view kParametersKey =
    "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters";
constexpr std::string_view kUnicodeHeader = "Windows Registry Editor Version 5.00";
constexpr std::string_view kAnsiHeader = "REGEDIT4";
constexpr std::string_view kDllsValue = "CalloutDlls";
constexpr std::string_view kEnabledValue = "CalloutEnabled";

constexpr std::uint32_t kRegSz = 1;
constexpr std::uint32_t kRegBinary = 3;
constexpr std::uint32_t kRegDword = 4;
constexpr std::uint32_t kRegMultiSz = 7;

// ---------------------------------------------------------------- messages

class Diagnostics {
 public:
  explicit Diagnostics(std::string_view file_name) : file_name_(file_name) {}

  Error at(std::size_t line, const std::string& problem) const {
    return make_error(std::string(file_name_) + ":" + std::to_string(line) + ": " + problem);
  }
  Error whole_file(const std::string& problem) const {
    return make_error(std::string(file_name_) + ": " + problem);
  }

 private:
  std::string_view file_name_;
};

// Quotes a piece of a line for a message: control characters escaped, long
// text cut at a character boundary, so the message stays on one line.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMaxBytes = 40;
  bool cut = false;
  if (text.size() > kMaxBytes) {
    std::size_t end = kMaxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
      --end;
    }
    text = text.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20U || byte == 0x7FU) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  out += cut ? "\"..." : "\"";
  return out;
}

// ---------------------------------------------------------------- text

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view trim(std::string_view text) {
  return trim_left(trim_right(text));
}

char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// Key and value names are ASCII in everything this file looks for, so ASCII
// case folding is enough to compare them.
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

// 1 to 8 hex digits and nothing else.
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

// Windows-1252 as MultiByteToWideChar decodes it: the five bytes the code page
// leaves undefined map to the C1 controls of the same value.
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

std::u16string windows1252_to_utf16(std::string_view bytes) {
  std::u16string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    out.push_back(windows1252_unit(static_cast<unsigned char>(c)));
  }
  return out;
}

// ---------------------------------------------------------------- lines

struct Line {
  std::size_t number = 0;  // 1-based, of the first physical line
  std::string text;        // UTF-8, without its line end
};

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

// Splits the file into physical lines of UTF-8 text, decoding as its BOM says.
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

// Joins continued lines ("...,\" then the rest on the next line), and drops
// blank and comment lines.
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

// ---------------------------------------------------------------- values

struct RegValue {
  bool deleted = false;
  std::uint32_t type = 0;
  std::string form;  // how the file wrote it, for messages: "dword:", "hex(7)", ...
  std::vector<std::uint8_t> bytes;
  std::size_t line = 0;
};

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

std::string describe(const RegValue& value) {
  return type_name(value.type) + " (" + value.form + ")";
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

struct NamedValue {
  std::string name;  // empty for the default value (@)
  RegValue value;
};

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

// ---------------------------------------------------------------- keys

std::string normalized_key(std::string_view key) {
  constexpr std::string_view kShortRoot = "HKLM\\";
  if (starts_with_ignoring_case(key, kShortRoot)) {
    return "HKEY_LOCAL_MACHINE\\" + std::string(key.substr(kShortRoot.size()));
  }
  return std::string(key);
}

bool is_parameters_key(std::string_view key) {
  return equals_ignoring_case(normalized_key(key), kParametersKey);
}

// Deleting a key deletes its subkeys, so [-...\DHCPServer] removes Parameters too.
bool deletes_parameters_key(std::string_view key) {
  const std::string normalized = normalized_key(key);
  if (equals_ignoring_case(normalized, kParametersKey)) {
    return true;
  }
  return normalized.size() < kParametersKey.size() && kParametersKey[normalized.size()] == '\\' &&
         starts_with_ignoring_case(kParametersKey, normalized);
}

// ---------------------------------------------------------------- the parser

enum class Section { none, parameters, other, deleted };
enum class KeyState { absent, present, deleted };

struct Parsed {
  KeyState key = KeyState::absent;
  std::size_t deleted_at = 0;
  std::optional<RegValue> dlls;
  std::optional<RegValue> enabled;
};

Result<Parsed> parse_entries(const std::vector<Line>& lines, const Diagnostics& diag) {
  Parsed parsed;
  Section section = Section::none;
  for (const Line& line : lines) {
    const std::string_view text = trim_left(line.text);
    if (text.front() == '[') {
      if (text.back() != ']') {
        return diag.at(line.number, "missing ']' at the end of the key name " + excerpt(text));
      }
      std::string_view key = text.substr(1, text.size() - 2);
      const bool deletion = !key.empty() && key.front() == '-';
      if (deletion) {
        key.remove_prefix(1);
      }
      if (key.empty()) {
        return diag.at(line.number, "empty key name");
      }
      if (deletion) {
        section = Section::deleted;
        if (deletes_parameters_key(key)) {
          parsed.key = KeyState::deleted;
          parsed.deleted_at = line.number;
          parsed.dlls.reset();
          parsed.enabled.reset();
        }
      } else if (is_parameters_key(key)) {
        section = Section::parameters;
        parsed.key = KeyState::present;
      } else {
        section = Section::other;
      }
      continue;
    }

    if (text.front() != '"' && text.front() != '@') {
      return diag.at(line.number, "unrecognised line " + excerpt(text) +
                                      " (expected [key], \"name\"=data or @=data)");
    }
    auto named = parse_value_line(text);
    if (!named) {
      return diag.at(line.number, named.error().message);
    }
    if (section == Section::none) {
      return diag.at(line.number, "value before any [key] line");
    }
    if (section != Section::parameters) {
      continue;
    }
    named->value.line = line.number;
    if (equals_ignoring_case(named->name, kDllsValue)) {
      parsed.dlls = std::move(named->value);
    } else if (equals_ignoring_case(named->name, kEnabledValue)) {
      parsed.enabled = std::move(named->value);
    }
  }
  return parsed;
}

Result<std::vector<std::string>> callout_dlls(const RegValue& value, bool unicode_export,
                                              const Diagnostics& diag) {
  if (value.type != kRegMultiSz) {
    return diag.at(value.line, std::string(kDllsValue) + " must be REG_MULTI_SZ (hex(7)), found " +
                                   describe(value));
  }
  std::u16string units;
  if (unicode_export) {
    if (value.bytes.size() % 2 != 0) {
      return diag.at(value.line, std::string(kDllsValue) +
                                     ": hex(7) data has an odd number of bytes (" +
                                     std::to_string(value.bytes.size()) +
                                     "); a Version 5.00 export stores UTF-16LE");
    }
    for (std::size_t i = 0; i < value.bytes.size(); i += 2) {
      units.push_back(static_cast<char16_t>(value.bytes[i] | (value.bytes[i + 1] << 8)));
    }
  } else {
    const std::string_view ansi(reinterpret_cast<const char*>(value.bytes.data()),
                                value.bytes.size());
    units = windows1252_to_utf16(ansi);
  }
  auto names = decode_multi_sz(units);
  if (!names) {
    return diag.at(value.line, std::string(kDllsValue) + ": " + names.error().message);
  }
  return names;
}

Result<std::uint32_t> callout_enabled(const RegValue& value, const Diagnostics& diag) {
  if (value.type != kRegDword) {
    return diag.at(value.line, std::string(kEnabledValue) +
                                   " must be REG_DWORD (dword: or hex(4)), found " +
                                   describe(value));
  }
  if (value.bytes.size() != 4) {
    return diag.at(value.line, std::string(kEnabledValue) + ": " + value.form +
                                   " data must be exactly 4 bytes, found " +
                                   std::to_string(value.bytes.size()));
  }
  return static_cast<std::uint32_t>(value.bytes[0]) |
         (static_cast<std::uint32_t>(value.bytes[1]) << 8) |
         (static_cast<std::uint32_t>(value.bytes[2]) << 16) |
         (static_cast<std::uint32_t>(value.bytes[3]) << 24);
}

std::string path_to_utf8(const std::filesystem::path& path) {
  const std::u8string text = path.u8string();
  std::string out;
  out.reserve(text.size());
  for (char8_t c : text) {
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace

Result<CalloutConfig> parse_reg_export(std::string_view bytes, std::string_view file_name) {
  const Diagnostics diag(file_name);
  auto lines = decode_lines(bytes, diag);
  if (!lines) {
    return lines.error();
  }

  std::size_t header = 0;
  while (header < lines->size() && is_blank_line((*lines)[header].text)) {
    ++header;
  }
  if (header == lines->size()) {
    return diag.whole_file("not a regedit export: the file is empty");
  }
  const std::string_view header_text = trim((*lines)[header].text);
  const bool unicode_export = header_text == kUnicodeHeader;
  if (!unicode_export && header_text != kAnsiHeader) {
    return diag.at((*lines)[header].number,
                   "not a regedit export: expected \"" + std::string(kUnicodeHeader) + "\" or \"" +
                       std::string(kAnsiHeader) + "\", found " + excerpt(header_text));
  }

  auto parsed = parse_entries(logical_lines(*lines, header + 1), diag);
  if (!parsed) {
    return parsed.error();
  }
  if (parsed->key == KeyState::absent) {
    return diag.whole_file("the file has no [" + std::string(kParametersKey) + "] section");
  }
  if (parsed->key == KeyState::deleted) {
    return diag.at(parsed->deleted_at, "this line deletes [" + std::string(kParametersKey) +
                                           "] and no later section adds it back");
  }

  CalloutConfig config;
  config.source = std::string(file_name);
  if (parsed->dlls && !parsed->dlls->deleted) {
    auto names = callout_dlls(*parsed->dlls, unicode_export, diag);
    if (!names) {
      return names.error();
    }
    config.dlls = std::move(*names);
  }
  if (parsed->enabled && !parsed->enabled->deleted) {
    auto enabled = callout_enabled(*parsed->enabled, diag);
    if (!enabled) {
      return enabled.error();
    }
    config.callout_enabled = *enabled;
  }
  return config;
}

Result<CalloutConfig> read_reg_file(const std::filesystem::path& path) {
  const std::string name = path_to_utf8(path);
  const std::string prefix = name + ": cannot read: ";
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error)) {
    return make_error(prefix + std::make_error_code(std::errc::is_a_directory).message());
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int reason = errno;
    return make_error(prefix + (reason != 0 ? std::generic_category().message(reason)
                                            : std::string("the file cannot be opened")));
  }
  std::string bytes;
  std::array<char, 65536> buffer{};
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    bytes.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    const int reason = errno;
    return make_error(prefix + (reason != 0 ? std::generic_category().message(reason)
                                            : std::string("read error")));
  }
  return parse_reg_export(bytes, name);
}

}  // namespace calloutemu::loader
