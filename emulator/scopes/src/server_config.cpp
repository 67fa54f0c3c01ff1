#include "calloutemu/scopes/server_config.h"

#include "scope_checks.h"

namespace calloutemu::scopes {
namespace {

std::optional<std::string> scope_problem(const Scope& scope) {
  if (auto problem = check_subnet(scope)) {
    return problem;
  }
  if (auto problem = check_server_address(scope)) {
    return "server-address: " + *problem;
  }
  for (const auto& range : scope.ranges) {
    if (auto problem = check_range(scope, range)) {
      return "range: " + *problem;
    }
  }
  for (const auto& exclusion : scope.exclusions) {
    if (auto problem = check_range(scope, exclusion)) {
      return "exclude: " + *problem;
    }
  }
  for (std::size_t i = 0; i < scope.reservations.size(); ++i) {
    if (auto problem = check_reservation(scope, scope.reservations[i])) {
      return "reserve: " + *problem;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (auto problem =
              check_reservation_pair(scope, scope.reservations[j], scope.reservations[i])) {
        return "reserve: " + *problem;
      }
    }
  }
  if (auto problem = check_lease_time(scope, scope.lease_time, "lease time")) {
    return problem;
  }
  return check_lease_time(scope, scope.bootp_lease_time, "BOOTP lease time");
}

}  // namespace

Status validate(const ServerConfig& config) {
  if (config.offer_hold_time < 1 || config.offer_hold_time > 86400) {
    return make_error("offer-hold-time: " + std::to_string(config.offer_hold_time) +
                      " is outside 1..86400");
  }
  if (config.scopes.size() > 65536) {
    return make_error(std::to_string(config.scopes.size()) + " scopes (at most 65536)");
  }
  for (const auto& scope : config.scopes) {
    if (scope.name.empty()) {
      return make_error("the scope of subnet " + format_subnet(scope.subnet) + " has no name");
    }
    if (auto problem = scope_problem(scope)) {
      return make_error(std::move(*problem));
    }
  }
  if (auto clash = find_scope_clash(config.scopes)) {
    return make_error(std::move(clash->problem));
  }
  return {};
}

}  // namespace calloutemu::scopes
