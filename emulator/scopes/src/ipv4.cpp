#include "calloutemu/scopes/ipv4.h"

#include "text.h"

namespace calloutemu::scopes {

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  Ipv4 address = 0;
  std::size_t position = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (position >= text.size() || text[position] != '.') {
        return std::nullopt;
      }
      ++position;
    }
    unsigned value = 0;
    std::size_t digits = 0;
    while (position < text.size() && is_digit(text[position]) && digits < 4) {
      value = value * 10 + static_cast<unsigned>(text[position] - '0');
      ++position;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) {
      return std::nullopt;
    }
    address = (address << 8) | value;
  }
  if (position != text.size()) {
    return std::nullopt;
  }
  return address;
}

std::string format_ipv4(Ipv4 address) {
  std::string text;
  text.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    text += std::to_string((address >> shift) & 0xFF);
    if (shift > 0) {
      text += '.';
    }
  }
  return text;
}

Ipv4 Subnet::mask() const {
  if (prefix_length <= 0) {
    return 0;
  }
  if (prefix_length >= 32) {
    return 0xFFFFFFFF;
  }
  return ~Ipv4{0} << (32 - prefix_length);
}

Ipv4 Subnet::broadcast() const {
  return network | ~mask();
}

bool Subnet::contains(Ipv4 address) const {
  return (address & mask()) == network;
}

std::string format_subnet(const Subnet& subnet) {
  return format_ipv4(subnet.network) + "/" + std::to_string(subnet.prefix_length);
}

Result<Subnet> parse_subnet(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return make_error("'" + std::string(text) +
                      "' is not a subnet (expected ADDRESS/PREFIX, e.g. 192.0.2.0/24)");
  }
  const auto address_text = text.substr(0, slash);
  const auto prefix_text = text.substr(slash + 1);
  const auto address = parse_ipv4(address_text);
  if (!address) {
    return make_error("'" + std::string(address_text) + "' is not an IPv4 address");
  }
  const auto prefix = parse_decimal(prefix_text);
  if (!prefix || *prefix > 32) {
    return make_error("'" + std::string(prefix_text) + "' is not a prefix length");
  }
  Subnet subnet{*address, static_cast<int>(*prefix)};
  if (subnet.prefix_length < 8 || subnet.prefix_length > 30) {
    return make_error("prefix length /" + std::to_string(subnet.prefix_length) + " of " +
                      std::string(text) + " is outside 8..30");
  }
  subnet.network = *address & subnet.mask();
  if (subnet.network != *address) {
    return make_error(std::string(text) + " has host bits set (the network is " +
                      format_subnet(subnet) + ")");
  }
  return subnet;
}

std::string format_range(const AddressRange& range) {
  if (range.first == range.last) {
    return format_ipv4(range.first);
  }
  return format_ipv4(range.first) + "-" + format_ipv4(range.last);
}

Result<AddressRange> parse_range(std::string_view text) {
  const auto dash = text.find('-');
  const auto first_text = trim(text.substr(0, dash));
  const auto last_text = dash == std::string_view::npos ? first_text : trim(text.substr(dash + 1));
  const auto first = parse_ipv4(first_text);
  if (!first) {
    return make_error("'" + std::string(first_text) + "' is not an IPv4 address");
  }
  const auto last = parse_ipv4(last_text);
  if (!last) {
    return make_error("'" + std::string(last_text) + "' is not an IPv4 address");
  }
  if (*first > *last) {
    return make_error("range " + std::string(text) + " ends before it starts");
  }
  return AddressRange{*first, *last};
}

}  // namespace calloutemu::scopes
