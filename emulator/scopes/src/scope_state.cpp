#include "scope_state.h"

#include <algorithm>

namespace calloutemu::scopes {
namespace {

// Sorted and merged, each clipped to first..last (dropped when outside).
std::vector<AddressRange> normalized(std::vector<AddressRange> ranges, Ipv4 first, Ipv4 last) {
  std::vector<AddressRange> clipped;
  for (auto range : ranges) {
    range.first = std::max(range.first, first);
    range.last = std::min(range.last, last);
    if (range.first <= range.last) {
      clipped.push_back(range);
    }
  }
  std::sort(clipped.begin(), clipped.end(),
            [](const AddressRange& a, const AddressRange& b) { return a.first < b.first; });
  std::vector<AddressRange> merged;
  for (const auto& range : clipped) {
    if (!merged.empty() && std::uint64_t{range.first} <= std::uint64_t{merged.back().last} + 1) {
      merged.back().last = std::max(merged.back().last, range.last);
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

bool in_any(const std::vector<AddressRange>& sorted, Ipv4 address) {
  auto after = std::upper_bound(sorted.begin(), sorted.end(), address,
                                [](Ipv4 a, const AddressRange& range) { return a < range.first; });
  return after != sorted.begin() && std::prev(after)->contains(address);
}

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

ScopeState::ScopeState(const Scope& scope)
    : subnet_(scope.subnet),
      server_address_(scope.server_address),
      lease_time_(scope.lease_time),
      reservations_(scope.reservations) {
  const bool valid_subnet = subnet_.prefix_length >= 8 && subnet_.prefix_length <= 30;
  if (valid_subnet) {
    ranges_ = normalized(scope.ranges, subnet_.first_host(), subnet_.last_host());
    exclusions_ = normalized(scope.exclusions, subnet_.network, subnet_.broadcast());
  }
  for (std::uint32_t i = 0; i < reservations_.size(); ++i) {
    const auto& reservation = reservations_[i];
    auto& by_key = reservation.key == Reservation::Key::mac ? by_mac_ : by_client_id_;
    by_key.emplace(reservation.id, i);
    by_address_.emplace(reservation.address, i);
  }
  if (ranges_.empty()) {
    return;
  }
  pool_first_ = ranges_.front().first;
  pool_ = AddressBitmap(ranges_.back().last - pool_first_ + 1);
  for (const auto& range : ranges_) {
    pool_.reset_range(range.first - pool_first_, range.last - pool_first_);
  }
  for (const auto& exclusion : exclusions_) {
    for (std::uint64_t address = exclusion.first; address <= exclusion.last; ++address) {
      if (in_bitmap(static_cast<Ipv4>(address))) {
        take(static_cast<Ipv4>(address));
      }
    }
  }
  take(server_address_);
  for (const auto& reservation : reservations_) {
    take(reservation.address);
  }
}

bool ScopeState::in_pool(Ipv4 address) const {
  return in_any(ranges_, address) && !in_any(exclusions_, address);
}

bool ScopeState::open_to_all(Ipv4 address) const {
  return address != server_address_ && in_pool(address) && !by_address_.contains(address);
}

bool ScopeState::may_hold(Ipv4 address, const ClientIdentity& client) const {
  if (!subnet_.contains(address) || address == subnet_.network || address == subnet_.broadcast() ||
      address == server_address_) {
    return false;
  }
  if (const auto* reservation = reservation_at(address)) {
    return reserved_for(*reservation, client);
  }
  return in_pool(address);
}

const Reservation* ScopeState::reservation_at(Ipv4 address) const {
  if (by_address_.empty()) {
    return nullptr;
  }
  const auto found = by_address_.find(address);
  return found == by_address_.end() ? nullptr : &reservations_[found->second];
}

const Reservation* ScopeState::reservation_of(const ClientIdentity& client) const {
  if (reservations_.empty()) {
    return nullptr;
  }
  if (const auto found = by_client_id_.find(client.id); found != by_client_id_.end()) {
    return &reservations_[found->second];
  }
  if (const auto found = by_mac_.find(as_text(client.mac)); found != by_mac_.end()) {
    return &reservations_[found->second];
  }
  return nullptr;
}

bool ScopeState::reserved_for(const Reservation& reservation, const ClientIdentity& client) {
  return reservation.key == Reservation::Key::mac ? as_text(client.mac) == reservation.id
                                                  : client.id == reservation.id;
}

void ScopeState::take(Ipv4 address) {
  if (in_bitmap(address)) {
    pool_.set(address - pool_first_);
  }
}

void ScopeState::give_back(Ipv4 address) {
  if (in_bitmap(address)) {
    pool_.assign(address - pool_first_, !open_to_all(address));
  }
}

std::optional<Ipv4> ScopeState::lowest_free(Ipv4 from) const {
  if (from < pool_first_) {
    from = pool_first_;
  }
  if (!in_bitmap(from)) {
    return std::nullopt;
  }
  const auto index = pool_.find_clear(from - pool_first_);
  if (!index) {
    return std::nullopt;
  }
  return pool_first_ + *index;
}

}  // namespace calloutemu::scopes
