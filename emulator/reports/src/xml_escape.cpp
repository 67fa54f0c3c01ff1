#include "xml_escape.h"

#include <cstddef>

#include "calloutemu/utf8.h"

namespace calloutemu::reports::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

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
    const auto [length, code_point] = utf8_sequence(raw, i);
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
