#include "config_values.h"

#include <algorithm>
#include <string>

#include "text.h"

namespace calloutemu::scopes {
namespace {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Pairs of hex digits; nullopt when a character is not one.
std::optional<std::string> hex_bytes(std::string_view digits) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    const int high = hex_value(digits[i]);
    const int low = hex_value(digits[i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

Result<std::string> parse_client_id(std::string_view text) {
  const auto digits = text.substr(3);  // after "id:"
  if (digits.size() % 2 != 0) {
    return make_error(std::string(text) + " has an odd number of hex digits");
  }
  auto bytes = hex_bytes(digits);
  if (!bytes) {
    return make_error(std::string(text) + " is not hexadecimal");
  }
  if (bytes->size() < 2 || bytes->size() > 255) {
    return make_error(std::string(text) + " is " + std::to_string(bytes->size()) +
                      (bytes->size() == 1 ? " byte" : " bytes") +
                      " long (a client id is 2..255 bytes)");
  }
  return std::move(*bytes);
}

}  // namespace

std::optional<std::string> parse_mac(std::string_view text) {
  if (text.size() == 12) {
    return hex_bytes(text);
  }
  if (text.size() != 17 || (text[2] != ':' && text[2] != '-')) {
    return std::nullopt;
  }
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i % 3 == 2) {
      if (text[i] != text[2]) {
        return std::nullopt;
      }
    } else {
      digits += text[i];
    }
  }
  return hex_bytes(digits);
}

Result<bool> parse_yes_no(std::string_view value) {
  for (const auto yes : {"yes", "true", "1"}) {
    if (equals_ignoring_case(value, yes)) {
      return true;
    }
  }
  for (const auto no : {"no", "false", "0"}) {
    if (equals_ignoring_case(value, no)) {
      return false;
    }
  }
  return make_error(quoted(value) + " is not yes, no, true, false, 1 or 0");
}

Result<Ipv4> parse_address(std::string_view value) {
  if (const auto address = parse_ipv4(value)) {
    return *address;
  }
  return make_error(quoted(value) + " is not an IPv4 address");
}

Result<std::vector<Ipv4>> parse_address_list(std::string_view value) {
  std::vector<Ipv4> addresses;
  while (true) {
    const auto comma = value.find(',');
    const auto item = trim(value.substr(0, comma));
    if (item.empty()) {
      return make_error("empty address in the list");
    }
    auto address = parse_address(item);
    if (!address) {
      return address.error();
    }
    addresses.push_back(*address);
    if (comma == std::string_view::npos) {
      return addresses;
    }
    value.remove_prefix(comma + 1);
  }
}

Result<std::uint32_t> parse_seconds(std::string_view value, std::uint32_t min, std::uint32_t max) {
  const auto seconds = parse_decimal(value);
  if (!seconds) {
    return make_error(quoted(value) + " is not a number of seconds");
  }
  if (*seconds < min || *seconds > max) {
    return make_error(std::string(value) + " is outside " + std::to_string(min) + ".." +
                      std::to_string(max));
  }
  return static_cast<std::uint32_t>(*seconds);
}

Result<std::uint32_t> parse_lease_time(std::string_view value) {
  if (value == "infinite") {
    return kInfiniteLease;
  }
  const auto seconds = parse_decimal(value);
  if (!seconds) {
    return make_error(quoted(value) + " is not a number of seconds or infinite");
  }
  if (*seconds < 1 || *seconds >= kInfiniteLease) {
    return make_error(std::string(value) + " is outside 1..4294967294 (or give infinite)");
  }
  return static_cast<std::uint32_t>(*seconds);
}

Result<Reservation> parse_reservation(std::string_view value) {
  const auto blank = std::find_if(value.begin(), value.end(), is_blank);
  if (blank == value.end()) {
    return make_error("expected MAC ADDRESS or id:HEX ADDRESS, got " + quoted(value));
  }
  const auto key_text = value.substr(0, static_cast<std::size_t>(blank - value.begin()));
  const auto address_text = trim(value.substr(key_text.size()));
  Reservation reservation;
  if (key_text.starts_with("id:")) {
    auto id = parse_client_id(key_text);
    if (!id) {
      return id.error();
    }
    reservation.key = Reservation::Key::client_id;
    reservation.id = std::move(*id);
  } else {
    auto mac = parse_mac(key_text);
    if (!mac) {
      return make_error(quoted(key_text) +
                        " is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or "
                        "aabbccddeeff) or id:HEX");
    }
    reservation.id = std::move(*mac);
  }
  auto address = parse_address(address_text);
  if (!address) {
    return address.error();
  }
  reservation.address = *address;
  return reservation;
}

}  // namespace calloutemu::scopes
