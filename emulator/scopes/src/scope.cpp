#include "calloutemu/scopes/scope.h"

namespace calloutemu::scopes {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_hex(std::string& out, unsigned char byte) {
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0x0F];
}

}  // namespace

std::string format_reservation_key(const Reservation& reservation) {
  std::string text;
  if (reservation.key == Reservation::Key::mac) {
    for (std::size_t i = 0; i < reservation.id.size(); ++i) {
      if (i > 0) {
        text += ':';
      }
      append_hex(text, static_cast<unsigned char>(reservation.id[i]));
    }
    return text;
  }
  text = "id:";
  for (const char byte : reservation.id) {
    append_hex(text, static_cast<unsigned char>(byte));
  }
  return text;
}

Result<Scope> scope_from_cidr(std::string_view cidr) {
  auto subnet = parse_subnet(cidr);
  if (!subnet) {
    return make_error("--scope: " + subnet.error().message);
  }
  Scope scope;
  scope.name = std::string(cidr);
  scope.subnet = *subnet;
  scope.server_address = subnet->first_host();
  scope.ranges.push_back({subnet->first_host(), subnet->last_host()});
  return scope;
}

}  // namespace calloutemu::scopes
