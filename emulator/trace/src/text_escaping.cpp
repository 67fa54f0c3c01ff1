#include "text_escaping.h"

#include "calloutemu/utf8.h"

namespace calloutemu::trace::detail {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kHex[] = "0123456789abcdef";

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
