// The checks of one scope that validate() and the config file reader share. Each returns the
// problem, naming the scope, or nullopt; the reader puts "FILE:LINE: KEY: " before it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/scopes/scope.h"

namespace calloutemu::scopes {

std::optional<std::string> check_subnet(const Scope& scope);
std::optional<std::string> check_server_address(const Scope& scope);
std::optional<std::string> check_range(const Scope& scope, const AddressRange& range);
std::optional<std::string> check_reservation(const Scope& scope, const Reservation& reservation);
// `later` against a reservation given before it in the same scope.
std::optional<std::string> check_reservation_pair(const Scope& scope, const Reservation& earlier,
                                                  const Reservation& later);
std::optional<std::string> check_lease_time(const Scope& scope, std::uint32_t seconds,
                                            const char* what);

struct ScopeClash {
  std::size_t later = 0;  // index of the scope given later
  std::string problem;
};
// Overlapping subnets, or a name used twice.
std::optional<ScopeClash> find_scope_clash(const std::vector<Scope>& scopes);

}  // namespace calloutemu::scopes
