// Strings from callouts and the OS (fault descriptions, DLL names, findings)
// may hold any bytes: these write them as valid UTF-8, each byte outside a
// well-formed sequence replaced by U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace calloutemu::trace::detail {

// The contents of a JSON string (without the quotes): `"` and `\` escaped,
// control characters as \u00XX.
void append_json_string(std::string& out, std::string_view text);
// True when append_json_string() would append `text` as it is and it is
// ASCII (printable, without `"` and `\`): as every name the trace itself
// writes is. Such text can be copied without the escaping loop.
bool is_plain_json_ascii(std::string_view text);

// For the readable form: one line, `\` doubled, control characters as \xHH.
void append_readable_string(std::string& out, std::string_view text);

}  // namespace calloutemu::trace::detail
