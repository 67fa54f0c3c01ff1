#include "scope_checks.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace calloutemu::scopes {
namespace {

std::string of_subnet(const Scope& scope) {
  return " subnet " + format_subnet(scope.subnet) + " of scope " + scope.name;
}

// An address that must be one of the subnet's hosts.
std::optional<std::string> host_problem(const Scope& scope, Ipv4 address) {
  const auto text = format_ipv4(address);
  if (!scope.subnet.contains(address)) {
    return text + " is outside" + of_subnet(scope);
  }
  if (address == scope.subnet.network) {
    return text + " is the network address of" + of_subnet(scope);
  }
  if (address == scope.subnet.broadcast()) {
    return text + " is the broadcast address of" + of_subnet(scope);
  }
  return std::nullopt;
}

bool overlap(const Subnet& a, const Subnet& b) {
  return a.contains(b.network) || b.contains(a.network);
}

}  // namespace

std::optional<std::string> check_subnet(const Scope& scope) {
  const auto& subnet = scope.subnet;
  if (subnet.prefix_length < 8 || subnet.prefix_length > 30) {
    return "prefix length /" + std::to_string(subnet.prefix_length) + " of scope " + scope.name +
           " is outside 8..30";
  }
  if ((subnet.network & ~subnet.mask()) != 0) {
    return "subnet " + format_subnet(subnet) + " of scope " + scope.name + " has host bits set";
  }
  return std::nullopt;
}

std::optional<std::string> check_server_address(const Scope& scope) {
  return host_problem(scope, scope.server_address);
}

std::optional<std::string> check_range(const Scope& scope, const AddressRange& range) {
  const auto text = format_range(range);
  if (!scope.subnet.contains(range.first) || !scope.subnet.contains(range.last)) {
    return text + " is outside" + of_subnet(scope);
  }
  if (range.contains(scope.subnet.network)) {
    return text + " includes " + format_ipv4(scope.subnet.network) + ", the network address of" +
           of_subnet(scope);
  }
  if (range.contains(scope.subnet.broadcast())) {
    return text + " includes " + format_ipv4(scope.subnet.broadcast()) +
           ", the broadcast address of" + of_subnet(scope);
  }
  return std::nullopt;
}

std::optional<std::string> check_reservation(const Scope& scope, const Reservation& reservation) {
  if (auto problem = host_problem(scope, reservation.address)) {
    return problem;
  }
  if (reservation.address == scope.server_address) {
    return format_ipv4(reservation.address) + " is the server address of scope " + scope.name;
  }
  return std::nullopt;
}

std::optional<std::string> check_reservation_pair(const Scope& scope, const Reservation& earlier,
                                                  const Reservation& later) {
  if (earlier.address == later.address) {
    return format_ipv4(later.address) + " is reserved twice in scope " + scope.name + " (for " +
           format_reservation_key(earlier) + " and " + format_reservation_key(later) + ")";
  }
  if (earlier.key == later.key && earlier.id == later.id) {
    return format_reservation_key(later) + " is reserved twice in scope " + scope.name + " (" +
           format_ipv4(earlier.address) + " and " + format_ipv4(later.address) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> check_lease_time(const Scope& scope, std::uint32_t seconds,
                                            const char* what) {
  if (seconds == 0) {
    return std::string(what) + " of scope " + scope.name +
           " is 0 (give 1..4294967294 seconds or infinite)";
  }
  return std::nullopt;
}

std::optional<ScopeClash> find_scope_clash(const std::vector<Scope>& scopes) {
  std::unordered_map<std::string_view, std::size_t> names;
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    if (!names.emplace(scopes[i].name, i).second) {
      return ScopeClash{i, "two scopes are named " + scopes[i].name};
    }
  }
  // Sorted by network, a subnet that overlaps an earlier one overlaps the one reaching furthest.
  std::vector<std::size_t> order(scopes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return scopes[a].subnet.network < scopes[b].subnet.network;
  });
  std::optional<std::size_t> furthest;
  for (const auto index : order) {
    if (furthest && overlap(scopes[*furthest].subnet, scopes[index].subnet)) {
      const auto later = std::max(*furthest, index);
      const auto earlier = std::min(*furthest, index);
      return ScopeClash{later, "subnet " + format_subnet(scopes[later].subnet) + " of scope " +
                                   scopes[later].name + " overlaps subnet " +
                                   format_subnet(scopes[earlier].subnet) + " of scope " +
                                   scopes[earlier].name};
    }
    if (!furthest || scopes[index].subnet.broadcast() > scopes[*furthest].subnet.broadcast()) {
      furthest = index;
    }
  }
  return std::nullopt;
}

}  // namespace calloutemu::scopes
