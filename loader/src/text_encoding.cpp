#include "calloutemu/loader/text_encoding.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace calloutemu::loader {
namespace {

std::string hex_byte(unsigned char byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned>(byte));
  return text;
}

std::string code_point_text(std::uint32_t code_point) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(code_point));
  return text;
}

Error utf8_error(std::size_t offset, const std::string& problem) {
  return make_error("invalid UTF-8 at byte " + std::to_string(offset) + ": " + problem);
}

Error utf16_error(std::size_t offset, const std::string& problem) {
  return make_error("invalid UTF-16 at unit " + std::to_string(offset) + ": " + problem);
}

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0U) == 0x80U;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80U) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800U) {
    out.push_back(static_cast<char>(0xC0U | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else if (code_point < 0x10000U) {
    out.push_back(static_cast<char>(0xE0U | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 12) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  }
}

}  // namespace

Result<std::u16string> utf8_to_utf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80U) {
      out.push_back(static_cast<char16_t>(lead));
      ++i;
      continue;
    }

    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;
    if ((lead & 0xE0U) == 0xC0U) {
      length = 2;
      code_point = lead & 0x1FU;
      minimum = 0x80U;
    } else if ((lead & 0xF0U) == 0xE0U) {
      length = 3;
      code_point = lead & 0x0FU;
      minimum = 0x800U;
    } else if ((lead & 0xF8U) == 0xF0U) {
      length = 4;
      code_point = lead & 0x07U;
      minimum = 0x10000U;
    } else if (is_continuation(lead)) {
      return utf8_error(i, "unexpected continuation byte " + hex_byte(lead));
    } else {
      return utf8_error(i, "invalid lead byte " + hex_byte(lead));
    }

    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= utf8.size()) {
        return utf8_error(i, "truncated " + std::to_string(length) + "-byte sequence");
      }
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      if (!is_continuation(next)) {
        return utf8_error(i + k, "expected a continuation byte, found " + hex_byte(next));
      }
      code_point = (code_point << 6) | (next & 0x3FU);
    }

    if (code_point < minimum) {
      return utf8_error(i, "overlong encoding of " + code_point_text(code_point));
    }
    if (code_point >= 0xD800U && code_point <= 0xDFFFU) {
      return utf8_error(i, "surrogate code point " + code_point_text(code_point));
    }
    if (code_point > 0x10FFFFU) {
      return utf8_error(i, "code point " + code_point_text(code_point) + " is above U+10FFFF");
    }

    if (code_point < 0x10000U) {
      out.push_back(static_cast<char16_t>(code_point));
    } else {
      const std::uint32_t offset = code_point - 0x10000U;
      out.push_back(static_cast<char16_t>(0xD800U + (offset >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00U + (offset & 0x3FFU)));
    }
    i += length;
  }
  return out;
}

Result<std::string> utf16_to_utf8(std::u16string_view utf16) {
  std::string out;
  out.reserve(utf16.size());
  std::size_t i = 0;
  while (i < utf16.size()) {
    const std::uint32_t unit = utf16[i];
    if (unit >= 0xDC00U && unit <= 0xDFFFU) {
      return utf16_error(i, "unpaired low surrogate " + code_point_text(unit));
    }
    if (unit >= 0xD800U && unit <= 0xDBFFU) {
      if (i + 1 >= utf16.size()) {
        return utf16_error(i, "high surrogate " + code_point_text(unit) + " at the end");
      }
      const std::uint32_t low = utf16[i + 1];
      if (low < 0xDC00U || low > 0xDFFFU) {
        return utf16_error(
            i, "high surrogate " + code_point_text(unit) + " not followed by a low surrogate");
      }
      append_utf8(out, 0x10000U + ((unit - 0xD800U) << 10) + (low - 0xDC00U));
      i += 2;
      continue;
    }
    append_utf8(out, unit);
    ++i;
  }
  return out;
}

}  // namespace calloutemu::loader
