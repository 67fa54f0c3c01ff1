#include "calloutemu/loader/reg_file.h"

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "calloutemu/loader/multi_sz.h"
#include "reg_messages.h"
#include "reg_text.h"
#include "reg_value.h"

namespace calloutemu::loader {
namespace {

using reg::decode_lines;
using reg::describe;
using reg::Diagnostics;
using reg::equals_ignoring_case;
using reg::excerpt;
using reg::is_blank_line;
using reg::kRegDword;
using reg::kRegMultiSz;
using reg::Line;
using reg::logical_lines;
using reg::parse_value_line;
using reg::RegValue;
using reg::starts_with_ignoring_case;
using reg::trim;
using reg::trim_left;
using reg::windows1252_to_utf16;

constexpr std::string_view kParametersKey =
    "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters";
constexpr std::string_view kUnicodeHeader = "Windows Registry Editor Version 5.00";
constexpr std::string_view kAnsiHeader = "REGEDIT4";
constexpr std::string_view kDllsValue = "CalloutDlls";
constexpr std::string_view kEnabledValue = "CalloutEnabled";

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
