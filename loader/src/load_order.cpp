#include "calloutemu/loader/load_order.h"

#include <algorithm>
#include <cstddef>

#include "calloutemu/loader/text_encoding.h"

namespace calloutemu::loader {
namespace {

// In [first, last], one of each pair of neighbours is the capital and the
// other its small letter; `capital_is_even` says which.
bool in_pair_run(char16_t unit, char16_t first, char16_t last) {
  return unit >= first && unit <= last;
}

char16_t pair_upper(char16_t unit, bool capital_is_even) {
  const bool is_even = unit % 2 == 0;
  return is_even == capital_is_even ? unit : static_cast<char16_t>(unit - 1);
}

char16_t shifted(char16_t unit, int delta) {
  return static_cast<char16_t>(unit + delta);
}

// The uppercase mapping of the NTFS $UpCase table (the one Windows uses to
// compare file names, as written by Vista and later), for the blocks listed in
// the spec. Note the deliberate gaps: U+00B5, U+0131 (dotless i) and U+017F
// (long s) have no uppercase there, while U+03C2 (final sigma) maps to U+03A3.
char16_t upcase_unit(char16_t unit) {
  if (unit < 0x80) {
    return unit >= u'a' && unit <= u'z' ? shifted(unit, -0x20) : unit;
  }
  if (unit >= 0x00E0 && unit <= 0x00FE && unit != 0x00F7) {
    return shifted(unit, -0x20);
  }
  if (unit == 0x00FF) {
    return 0x0178;
  }
  if (in_pair_run(unit, 0x0100, 0x012F) || in_pair_run(unit, 0x0132, 0x0137) ||
      in_pair_run(unit, 0x014A, 0x0177)) {
    return pair_upper(unit, true);
  }
  if (in_pair_run(unit, 0x0139, 0x0148) || in_pair_run(unit, 0x0179, 0x017E)) {
    return pair_upper(unit, false);
  }
  if (unit == 0x03AC) {
    return 0x0386;
  }
  if (unit >= 0x03AD && unit <= 0x03AF) {
    return shifted(unit, -0x25);
  }
  if (unit == 0x03C2) {
    return 0x03A3;
  }
  if ((unit >= 0x03B1 && unit <= 0x03C1) || (unit >= 0x03C3 && unit <= 0x03CB)) {
    return shifted(unit, -0x20);
  }
  if (unit == 0x03CC) {
    return 0x038C;
  }
  if (unit == 0x03CD || unit == 0x03CE) {
    return shifted(unit, -0x3F);
  }
  if (unit >= 0x0430 && unit <= 0x044F) {
    return shifted(unit, -0x20);
  }
  if (unit >= 0x0450 && unit <= 0x045F) {
    return shifted(unit, -0x50);
  }
  return unit;
}

std::size_t utf8_sequence_length(unsigned char lead) {
  if ((lead & 0xE0U) == 0xC0U) {
    return 2;
  }
  if ((lead & 0xF0U) == 0xE0U) {
    return 3;
  }
  if ((lead & 0xF8U) == 0xF0U) {
    return 4;
  }
  return 1;
}

// Names are meant to be UTF-8, but the comparison must still be a total order
// when one is not: each byte that is not part of a valid sequence becomes
// U+DC00 + byte, a lone surrogate that valid UTF-8 can never produce.
std::u16string to_utf16_lossless(std::string_view text) {
  if (auto strict = utf8_to_utf16(text)) {
    return std::move(*strict);
  }
  std::u16string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = std::min(utf8_sequence_length(lead), text.size() - i);
    auto one = utf8_to_utf16(text.substr(i, length));
    if (one) {
      out += *one;
      i += length;
    } else {
      out.push_back(static_cast<char16_t>(0xDC00U + lead));
      ++i;
    }
  }
  return out;
}

}  // namespace

std::optional<LoadOrder> parse_load_order(std::string_view text) {
  if (text == "alphabetical") {
    return LoadOrder::alphabetical;
  }
  if (text == "listed") {
    return LoadOrder::listed;
  }
  return std::nullopt;
}

std::string_view to_string(LoadOrder order) {
  switch (order) {
    case LoadOrder::alphabetical:
      return "alphabetical";
    case LoadOrder::listed:
      return "listed";
  }
  return "unknown";
}

int compare_paths_ignoring_case(std::string_view a, std::string_view b) {
  const std::u16string left = to_utf16_lossless(a);
  const std::u16string right = to_utf16_lossless(b);
  const std::size_t common = std::min(left.size(), right.size());
  for (std::size_t i = 0; i < common; ++i) {
    const char16_t l = upcase_unit(left[i]);
    const char16_t r = upcase_unit(right[i]);
    if (l != r) {
      return l < r ? -1 : 1;
    }
  }
  if (left.size() == right.size()) {
    return 0;
  }
  return left.size() < right.size() ? -1 : 1;
}

std::vector<std::string> order_for_loading(std::vector<std::string> names, LoadOrder order) {
  if (order == LoadOrder::alphabetical) {
    std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return compare_paths_ignoring_case(a, b) < 0;
    });
  }
  return names;
}

}  // namespace calloutemu::loader
