// The emulated server's leases: which address each client holds, which addresses are
// offered, bound or bad, and the choice of the address to offer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "calloutemu/scopes/ipv4.h"
#include "calloutemu/scopes/server_config.h"

namespace calloutemu::scopes {

using CaptureTime = std::chrono::nanoseconds;  // capture timestamp since the epoch
inline constexpr CaptureTime kNever = CaptureTime::max();

enum class LeaseState : std::uint8_t { offered, bound, bad };
enum class ClientType : std::uint8_t { dhcp, bootp };

struct ClientIdentity {
  std::string_view
      id;  // the client's unique id: option 61's data when sent, else chaddr (hlen bytes)
  std::span<const std::uint8_t> mac;  // chaddr (hlen bytes), for MAC reservations
};

struct Lease {
  Ipv4 address = 0;
  LeaseState state = LeaseState::offered;
  ClientType client_type = ClientType::dhcp;
  std::uint16_t scope = 0;  // index into ServerConfig::scopes
  CaptureTime expires = kNever;
  std::string client_id;  // empty for bad addresses
};

class LeaseDatabase {
 public:
  explicit LeaseDatabase(const ServerConfig& config);  // copies what it needs
  ~LeaseDatabase();
  LeaseDatabase(LeaseDatabase&&) noexcept;
  LeaseDatabase& operator=(LeaseDatabase&&) noexcept;
  LeaseDatabase(const LeaseDatabase&) = delete;
  LeaseDatabase& operator=(const LeaseDatabase&) = delete;

  std::optional<std::size_t> scope_containing(Ipv4 address) const;  // whose subnet contains it
  std::optional<std::size_t> scope_served_by(Ipv4 server_address) const;  // whose server_address
  // Valid until the next call that changes the database.
  const Lease* by_client(std::string_view client_id) const;
  // A hint: by_client(client_id) or a change to that client's lease comes soon.
  void prefetch_client(std::string_view client_id) const;
  const Lease* by_address(Ipv4 address) const;

  // The address to offer, in order:
  // 1. the client's reservation in this scope (a client_id key matching `id` first, then a
  //    MAC key matching `mac`); a reserved client gets its reserved address or nothing;
  // 2. the client's current lease (offered or bound) in this scope;
  // 3. `requested`;
  // 4. the LOWEST address of the scope's ranges;
  // each only when available to the client and not in `also_unavailable`. nullopt: none left.
  std::optional<Ipv4> choose_address(std::size_t scope, const ClientIdentity& client,
                                     std::optional<Ipv4> requested,
                                     std::span<const Ipv4> also_unavailable = {}) const;
  // Inside the subnet's hosts, not the server address, not bad, not held by another client's
  // lease, and either reserved for this client or (inside a range, not excluded, not reserved
  // for another client).
  bool available_to(std::size_t scope, Ipv4 address, const ClientIdentity& client) const;

  // A client holds at most one lease: offer() and bind() replace the client's previous lease
  // (its old address becomes free), and a lease another client held on `address` is removed.
  // offer() of the address a client holds bound keeps the bound lease, held at least until
  // now + offer_hold_time. Otherwise an offer expires at now + offer_hold_time.
  void offer(std::size_t scope, Ipv4 address, const ClientIdentity& client, ClientType type,
             CaptureTime now);
  // lease_time in seconds; kInfiniteLease: expires kNever.
  void bind(std::size_t scope, Ipv4 address, const ClientIdentity& client, ClientType type,
            std::uint32_t lease_time, CaptureTime now);
  void withdraw_offer(std::string_view client_id);  // removes the lease only if it is `offered`
  // RELEASE / admin delete: the removed lease, nullopt if none.
  std::optional<Lease> remove_client(std::string_view client_id);
  // The address becomes bad until now + its scope's lease time (kNever for infinite); a lease
  // on it is removed first. Outside every scope: ignored.
  void mark_bad(Ipv4 address, CaptureTime now);
  // Every lease with expires <= now, in expiry order (ties by address): offers and bound
  // leases are removed, bad addresses become free. `on_expire` is called for each BOUND lease
  // just before it is removed (not for offers or bad addresses); it must not change the
  // database.
  void expire(CaptureTime now, const std::function<void(const Lease&)>& on_expire);

  std::size_t size() const;  // leases held, bad addresses included
  // Entries in the expiry queue, stale ones included: at most max(2 * size(), 64) + 1.
  std::size_t expiry_queue_size() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calloutemu::scopes
