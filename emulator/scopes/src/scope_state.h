// What the lease database keeps of one scope: its pool as a bitmap and its reservations
// indexed by key and by address.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "address_bitmap.h"
#include "calloutemu/hash.h"
#include "calloutemu/scopes/lease_database.h"
#include "calloutemu/scopes/scope.h"

namespace calloutemu::scopes {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return static_cast<std::size_t>(hash_bytes(text));
  }
};

class ScopeState {
 public:
  explicit ScopeState(const Scope& scope);

  const Subnet& subnet() const { return subnet_; }
  Ipv4 server_address() const { return server_address_; }
  std::uint32_t lease_time() const { return lease_time_; }

  // Inside a range and not excluded (reservations and leases aside).
  bool in_pool(Ipv4 address) const;
  // Not the server address, in the pool, not reserved: an address anyone may get.
  bool open_to_all(Ipv4 address) const;
  // The address rules, leases aside: a host of the subnet, not the server's, and either
  // reserved for the client or in the pool and reserved for no one.
  bool may_hold(Ipv4 address, const ClientIdentity& client) const;
  const Reservation* reservation_at(Ipv4 address) const;
  const Reservation* reservation_of(const ClientIdentity& client) const;
  static bool reserved_for(const Reservation& reservation, const ClientIdentity& client);

  // The pool bitmap, one bit per address from pool_first_: set when the address is not
  // open to all or is leased or bad. Addresses outside it are never handed out unasked.
  bool in_bitmap(Ipv4 address) const { return address - pool_first_ < pool_.size(); }
  bool free_in_bitmap(Ipv4 address) const {
    return in_bitmap(address) && !pool_.test(address - pool_first_);
  }
  void take(Ipv4 address);
  void give_back(Ipv4 address);  // no lease holds it any more
  // The lowest address free in the bitmap at or after `from`.
  std::optional<Ipv4> lowest_free(Ipv4 from) const;

 private:
  Subnet subnet_;
  Ipv4 server_address_ = 0;
  std::uint32_t lease_time_ = kDefaultLeaseTime;
  std::vector<AddressRange> ranges_;      // sorted, merged, inside the hosts
  std::vector<AddressRange> exclusions_;  // sorted, merged
  std::vector<Reservation> reservations_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> by_mac_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> by_client_id_;
  std::unordered_map<Ipv4, std::uint32_t> by_address_;
  Ipv4 pool_first_ = 0;
  AddressBitmap pool_;
};

}  // namespace calloutemu::scopes
