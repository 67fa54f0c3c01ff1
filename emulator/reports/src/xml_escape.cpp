#include "xml_escape.h"

#include <cstddef>
#include <cstdint>

namespace calloutemu::reports::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `bytes` (RFC 3629:
// no overlong forms, no surrogates, nothing over U+10FFFF), 0 if there is none.
std::size_t utf8_sequence_length(std::string_view bytes, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    minimum = 0x80;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    minimum = 0x800;
    code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    minimum = 0x10000;
    code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (bytes.size() < length) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0u) != 0x80u) {
      return 0;
    }
    code_point = (code_point << 6) | (byte(i) & 0x3Fu);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < minimum || surrogate || code_point > 0x10FFFF) {
    return 0;
  }
  return length;
}

// Bytes copied as they are: printable ASCII other than markup. In text, '>'
// needs escaping only to end "]]>", which append_special handles.
bool plain(char c, XmlContext context) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte >= 0x80 || c == '&' || c == '<') {
    return c == '\t' || c == '\n' ? context == XmlContext::text : false;
  }
  if (context == XmlContext::attribute) {
    return c != '"' && c != '>';
  }
  return c != '>';
}

// An ASCII byte that is not plain; `before` is the text up to it.
void append_special(std::string& out, std::string_view before, char c, XmlContext context) {
  switch (c) {
    case '&':
      out += "&amp;";
      return;
    case '<':
      out += "&lt;";
      return;
    case '>':
      if (context == XmlContext::attribute || before.ends_with("]]")) {
        out += "&gt;";
      } else {
        out += '>';
      }
      return;
    case '"':
      out += "&quot;";
      return;
    case '\t':
      out += "&#9;";
      return;
    case '\n':
      out += "&#10;";
      return;
    case '\r':
      out += "&#13;";
      return;
    default:
      out += kReplacement;  // a control character XML 1.0 forbids
      return;
  }
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view raw, XmlContext context) {
  std::size_t i = 0;
  while (i < raw.size()) {
    std::size_t run = i;
    while (run < raw.size() && plain(raw[run], context)) {
      ++run;
    }
    out.append(raw.substr(i, run - i));
    i = run;
    if (i == raw.size()) {
      break;
    }
    const char c = raw[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      append_special(out, raw.substr(0, i), c, context);
      ++i;
      continue;
    }
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence_length(raw.substr(i), code_point);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (code_point == 0xFFFE || code_point == 0xFFFF) {
      out += kReplacement;
    } else {
      out.append(raw.substr(i, length));
    }
    i += length;
  }
}

std::string xml_escaped(std::string_view raw, XmlContext context) {
  std::string out;
  out.reserve(raw.size());
  append_xml_escaped(out, raw, context);
  return out;
}

}  // namespace calloutemu::reports::detail
