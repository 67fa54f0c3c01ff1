#include "text_escaping.h"

namespace calloutemu::trace::detail {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kHex[] = "0123456789abcdef";

bool continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
  return byte >= low && byte <= high;
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
    if (byte >= 0x20 && byte < 0x80 && !special(byte)) {
      ++at;
      continue;
    }
    if (byte >= 0x80) {
      if (const std::size_t length = utf8_sequence_length(text, at); length > 0) {
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

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t offset) -> unsigned char {
    return at + offset < text.size() ? static_cast<unsigned char>(text[at + offset]) : 0;
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return continuation(byte(1)) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    // E0: no overlong forms; ED: no surrogates.
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(byte(1), low, high) && continuation(byte(2)) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    // F0: no overlong forms; F4: nothing past U+10FFFF.
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    const bool valid =
        continuation(byte(1), low, high) && continuation(byte(2)) && continuation(byte(3));
    return valid ? 4 : 0;
  }
  return 0;
}

void append_json_string(std::string& out, std::string_view text) {
  append_sanitized(
      out, text, [](unsigned char byte) { return byte == '"' || byte == '\\'; },
      [](std::string& to, unsigned char byte) {
        if (byte == '"' || byte == '\\') {
          to.push_back('\\');
          to.push_back(static_cast<char>(byte));
          return;
        }
        const char escaped[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
        to.append(escaped, sizeof escaped);
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
