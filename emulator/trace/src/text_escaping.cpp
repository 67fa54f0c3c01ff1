#include "text_escaping.h"

#include <algorithm>

#include "calloutemu/utf8.h"

namespace calloutemu::trace::detail {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kHex[] = "0123456789abcdef";

bool is_json_special(unsigned char byte) {
  return byte == '"' || byte == '\\';
}

// Printable ASCII that `special` does not pick: written as it is.
template <class Special>
bool is_plain_ascii(unsigned char byte, Special special) {
  return byte >= 0x20 && byte < 0x80 && !special(byte);
}

// Appends `text` with invalid bytes replaced; control characters and the
// bytes `special` picks go through `escape(out, byte)`.
template <class Special, class Escape>
void append_sanitized(std::string& out, std::string_view text, Special special, Escape escape) {
  std::size_t plain_from = 0;
  std::size_t at = 0;
  auto flush = [&] { out.append(text.data() + plain_from, at - plain_from); };
  while (at < text.size()) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (is_plain_ascii(byte, special)) {
      ++at;
      continue;
    }
    if (byte >= 0x80) {
      if (const std::size_t length = utf8_sequence(text, at).length; length > 0) {
        at += length;
        continue;
      }
    }
    flush();
    if (byte >= 0x80) {
      out.append(kReplacementCharacter);
    } else {
      escape(out, byte);
    }
    plain_from = ++at;
  }
  flush();
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  append_sanitized(out, text, is_json_special, [](std::string& to, unsigned char byte) {
    if (is_json_special(byte)) {
      to.push_back('\\');
      to.push_back(static_cast<char>(byte));
      return;
    }
    const char escaped[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
    to.append(escaped, sizeof escaped);
  });
}

bool is_plain_json_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return is_plain_ascii(static_cast<unsigned char>(c), is_json_special);
  });
}

void append_readable_string(std::string& out, std::string_view text) {
  append_sanitized(
      out, text, [](unsigned char byte) { return byte == '\\'; },
      [](std::string& to, unsigned char byte) {
        if (byte == '\\') {
          to.append("\\\\");
          return;
        }
        const char escaped[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
        to.append(escaped, sizeof escaped);
      });
}

}  // namespace calloutemu::trace::detail
