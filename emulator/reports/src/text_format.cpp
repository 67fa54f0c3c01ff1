#include "text_format.h"

#include <array>

namespace calloutemu::reports::detail {

std::string hardware_address_text(std::span<const std::uint8_t> bytes) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string text;
  text.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) {
      text += ':';
    }
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0F];
  }
  return text;
}

std::string ipv4_text(std::uint32_t host_order) {
  return std::to_string(host_order >> 24) + '.' + std::to_string((host_order >> 16) & 0xFF) + '.' +
         std::to_string((host_order >> 8) & 0xFF) + '.' + std::to_string(host_order & 0xFF);
}

std::string grouped(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  text.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      text += ',';
    }
    text += digits[i];
  }
  return text;
}

std::string clock_text(std::chrono::seconds duration) {
  const std::int64_t total = duration.count() < 0 ? 0 : duration.count();
  const std::int64_t hours = total / 3600;
  const std::int64_t minutes = total / 60 % 60;
  const std::int64_t seconds = total % 60;
  const auto two_digits = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  if (hours > 0) {
    return std::to_string(hours) + ':' + two_digits(minutes) + ':' + two_digits(seconds);
  }
  return std::to_string(minutes) + ':' + two_digits(seconds);
}

}  // namespace calloutemu::reports::detail
