#include "reg_messages.h"

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace calloutemu::loader::reg {

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

}  // namespace calloutemu::loader::reg
