#include "calloutemu/scopes/lease_database.h"

#include <algorithm>
#include <vector>

#include "expiry_queue.h"
#include "lease_store.h"
#include "scope_state.h"

namespace calloutemu::scopes {
namespace {

constexpr std::uint32_t kNone = LeaseStore::kNone;

CaptureTime after_seconds(CaptureTime now, std::uint32_t seconds) {
  if (seconds == kInfiniteLease) {
    return kNever;
  }
  const CaptureTime span = std::chrono::seconds(seconds);
  return now > kNever - span ? kNever : now + span;
}

bool listed(std::span<const Ipv4> addresses, Ipv4 address) {
  return std::find(addresses.begin(), addresses.end(), address) != addresses.end();
}

}  // namespace

class LeaseDatabase::Impl {
 public:
  explicit Impl(const ServerConfig& config);

  // Gives `client` the lease on `address`, replacing its own previous lease (at `held`, or
  // kNone) and any other lease on `address`; returns its slot.
  std::uint32_t put(std::size_t scope, Ipv4 address, const ClientIdentity& client,
                    std::uint32_t held);
  std::uint32_t add_bad(std::size_t scope, Ipv4 address);
  void set_expiry(std::uint32_t slot, CaptureTime expires);
  void remove(std::uint32_t slot);
  void expire(CaptureTime now, const std::function<void(const Lease&)>& on_expire);

  std::vector<ScopeState> scopes;
  std::vector<std::pair<Ipv4, std::uint32_t>> by_network;         // sorted
  std::vector<std::pair<Ipv4, std::uint32_t>> by_server_address;  // sorted
  std::uint32_t offer_hold_time = 60;
  LeaseStore leases;
  ExpiryQueue queue;

 private:
  void evict(Ipv4 address);
};

LeaseDatabase::Impl::Impl(const ServerConfig& config) : offer_hold_time(config.offer_hold_time) {
  scopes.reserve(config.scopes.size());
  for (std::uint32_t i = 0; i < config.scopes.size(); ++i) {
    const auto& scope = config.scopes[i];
    scopes.emplace_back(scope);
    by_network.emplace_back(scope.subnet.network, i);
    by_server_address.emplace_back(scope.server_address, i);
  }
  std::sort(by_network.begin(), by_network.end());
  std::sort(by_server_address.begin(), by_server_address.end());
}

void LeaseDatabase::Impl::evict(Ipv4 address) {
  if (const auto slot = leases.find_address(address); slot != kNone) {
    remove(slot);
  }
}

std::uint32_t LeaseDatabase::Impl::put(std::size_t scope, Ipv4 address,
                                       const ClientIdentity& client, std::uint32_t held) {
  const auto scope16 = static_cast<std::uint16_t>(scope);
  if (held != kNone) {
    const auto& lease = leases[held];
    if (lease.address != address || lease.scope != scope) {
      const auto old_address = lease.address;
      const auto old_scope = lease.scope;
      if (old_address != address) {
        evict(address);
      }
      leases.move(held, address, scope16);
      scopes[old_scope].give_back(old_address);
      scopes[scope].take(address);
    }
    return held;
  }
  evict(address);
  scopes[scope].take(address);
  return leases.add(address, scope16, LeaseState::offered, client.id);
}

std::uint32_t LeaseDatabase::Impl::add_bad(std::size_t scope, Ipv4 address) {
  evict(address);
  scopes[scope].take(address);
  return leases.add(address, static_cast<std::uint16_t>(scope), LeaseState::bad, {});
}

void LeaseDatabase::Impl::set_expiry(std::uint32_t slot, CaptureTime expires) {
  auto& lease = leases[slot];
  const auto before = lease.expires;
  if (before != expires) {
    lease.expires = expires;
    queue.rescheduled(leases, slot, before);
  }
}

void LeaseDatabase::Impl::remove(std::uint32_t slot) {
  const auto& lease = leases[slot];
  const auto address = lease.address;
  const auto scope = lease.scope;
  const auto expires = lease.expires;
  leases.remove(slot);
  scopes[scope].give_back(address);
  queue.forgotten(leases, expires);
}

void LeaseDatabase::Impl::expire(CaptureTime now,
                                 const std::function<void(const Lease&)>& on_expire) {
  while (const auto slot = queue.pop_due(leases, now)) {
    if (leases[*slot].state == LeaseState::bound && on_expire) {
      on_expire(leases[*slot]);
    }
    remove(*slot);
  }
}

// ---- LeaseDatabase ----

LeaseDatabase::LeaseDatabase(const ServerConfig& config) : impl_(std::make_unique<Impl>(config)) {}
LeaseDatabase::~LeaseDatabase() = default;
LeaseDatabase::LeaseDatabase(LeaseDatabase&&) noexcept = default;
LeaseDatabase& LeaseDatabase::operator=(LeaseDatabase&&) noexcept = default;

std::optional<std::size_t> LeaseDatabase::scope_containing(Ipv4 address) const {
  const auto& by_network = impl_->by_network;
  auto after = std::upper_bound(by_network.begin(), by_network.end(),
                                std::pair<Ipv4, std::uint32_t>{address, kNone});
  if (after == by_network.begin()) {
    return std::nullopt;
  }
  const auto index = std::prev(after)->second;
  if (!impl_->scopes[index].subnet().contains(address)) {
    return std::nullopt;
  }
  return index;
}

std::optional<std::size_t> LeaseDatabase::scope_served_by(Ipv4 server_address) const {
  const auto& by_server = impl_->by_server_address;
  auto found = std::lower_bound(by_server.begin(), by_server.end(),
                                std::pair<Ipv4, std::uint32_t>{server_address, 0});
  if (found == by_server.end() || found->first != server_address) {
    return std::nullopt;
  }
  return found->second;
}

const Lease* LeaseDatabase::by_client(std::string_view client_id) const {
  const auto index = impl_->leases.find_client(client_id);
  return index == kNone ? nullptr : &impl_->leases[index];
}

void LeaseDatabase::prefetch_client(std::string_view client_id) const {
  impl_->leases.prefetch_client(client_id);
}

const Lease* LeaseDatabase::by_address(Ipv4 address) const {
  const auto index = impl_->leases.find_address(address);
  return index == kNone ? nullptr : &impl_->leases[index];
}

bool LeaseDatabase::available_to(std::size_t scope, Ipv4 address,
                                 const ClientIdentity& client) const {
  if (scope >= impl_->scopes.size()) {
    return false;
  }
  const auto& state = impl_->scopes[scope];
  if (state.free_in_bitmap(address)) {
    return true;  // a host in the pool, not the server's, not reserved, and no lease holds it
  }
  if (!state.may_hold(address, client)) {
    return false;
  }
  const auto* lease = by_address(address);
  return lease == nullptr || (lease->state != LeaseState::bad && lease->client_id == client.id);
}

std::optional<Ipv4> LeaseDatabase::choose_address(std::size_t scope, const ClientIdentity& client,
                                                  std::optional<Ipv4> requested,
                                                  std::span<const Ipv4> also_unavailable) const {
  if (scope >= impl_->scopes.size()) {
    return std::nullopt;
  }
  const auto usable = [&](Ipv4 address) {
    return available_to(scope, address, client) && !listed(also_unavailable, address);
  };
  const auto& state = impl_->scopes[scope];
  if (const auto* reservation = state.reservation_of(client)) {
    if (usable(reservation->address)) {
      return reservation->address;
    }
    return std::nullopt;
  }
  // The client's own lease holds its address: only the address rules can rule it out.
  if (const auto* lease = by_client(client.id); lease != nullptr && lease->scope == scope) {
    if (state.may_hold(lease->address, client) && !listed(also_unavailable, lease->address)) {
      return lease->address;
    }
  }
  if (requested && usable(*requested)) {
    return requested;
  }
  for (auto address = state.lowest_free(0); address; address = state.lowest_free(*address + 1)) {
    if (!listed(also_unavailable, *address)) {
      return address;
    }
    if (*address == 0xFFFFFFFF) {
      break;
    }
  }
  return std::nullopt;
}

void LeaseDatabase::offer(std::size_t scope, Ipv4 address, const ClientIdentity& client,
                          ClientType type, CaptureTime now) {
  if (scope >= impl_->scopes.size()) {
    return;
  }
  const auto held_until = after_seconds(now, impl_->offer_hold_time);
  const auto held = impl_->leases.find_client(client.id);
  if (held != kNone) {
    const auto& lease = impl_->leases[held];
    if (lease.state == LeaseState::bound && lease.address == address && lease.scope == scope) {
      if (lease.expires < held_until) {
        impl_->set_expiry(held, held_until);
      }
      return;
    }
  }
  const auto index = impl_->put(scope, address, client, held);
  auto& lease = impl_->leases[index];
  lease.state = LeaseState::offered;
  lease.client_type = type;
  impl_->set_expiry(index, held_until);
}

void LeaseDatabase::bind(std::size_t scope, Ipv4 address, const ClientIdentity& client,
                         ClientType type, std::uint32_t lease_time, CaptureTime now) {
  if (scope >= impl_->scopes.size()) {
    return;
  }
  const auto index = impl_->put(scope, address, client, impl_->leases.find_client(client.id));
  auto& lease = impl_->leases[index];
  lease.state = LeaseState::bound;
  lease.client_type = type;
  impl_->set_expiry(index, after_seconds(now, lease_time));
}

void LeaseDatabase::withdraw_offer(std::string_view client_id) {
  const auto index = impl_->leases.find_client(client_id);
  if (index != kNone && impl_->leases[index].state == LeaseState::offered) {
    impl_->remove(index);
  }
}

std::optional<Lease> LeaseDatabase::remove_client(std::string_view client_id) {
  const auto index = impl_->leases.find_client(client_id);
  if (index == kNone) {
    return std::nullopt;
  }
  Lease removed = impl_->leases[index];
  impl_->remove(index);
  return removed;
}

void LeaseDatabase::mark_bad(Ipv4 address, CaptureTime now) {
  const auto scope = scope_containing(address);
  if (!scope) {
    return;
  }
  const auto index = impl_->add_bad(*scope, address);
  impl_->set_expiry(index, after_seconds(now, impl_->scopes[*scope].lease_time()));
}

void LeaseDatabase::expire(CaptureTime now, const std::function<void(const Lease&)>& on_expire) {
  impl_->expire(now, on_expire);
}

std::size_t LeaseDatabase::size() const {
  return impl_->leases.size();
}

std::size_t LeaseDatabase::expiry_queue_size() const {
  return impl_->queue.size();
}

}  // namespace calloutemu::scopes
