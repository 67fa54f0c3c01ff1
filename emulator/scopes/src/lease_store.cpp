#include "lease_store.h"

#include "calloutemu/hash.h"

namespace calloutemu::scopes {
namespace {

std::uint32_t client_tag(std::string_view id) {
  const std::uint64_t hash = hash_bytes(id);
  return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

}  // namespace

std::uint32_t LeaseStore::find_client(std::string_view id) const {
  return clients_.find(client_tag(id),
                       [&](std::uint32_t slot) { return (*this)[slot].client_id == id; });
}

void LeaseStore::prefetch_client(std::string_view id) const {
  clients_.prefetch_home(client_tag(id));
}

std::uint32_t LeaseStore::find_address(Ipv4 address) const {
  return addresses_.find(address, [](std::uint32_t) { return true; });  // the tag is the key
}

std::uint32_t LeaseStore::add(Ipv4 address, std::uint16_t scope, LeaseState state,
                              std::string_view client_id) {
  std::uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if ((slots_used_ & kChunkMask) == 0) {
      chunks_.push_back(std::make_unique<Lease[]>(kChunkMask + 1));
    }
    slot = slots_used_++;
  }
  auto& lease = (*this)[slot];
  lease.address = address;
  lease.scope = scope;
  lease.state = state;
  lease.client_id.assign(client_id);
  if (state != LeaseState::bad) {
    clients_.insert(client_tag(lease.client_id), slot);
  }
  addresses_.insert(address, slot);
  ++size_;
  return slot;
}

void LeaseStore::move(std::uint32_t slot, Ipv4 address, std::uint16_t scope) {
  auto& lease = (*this)[slot];
  addresses_.erase(lease.address, slot);
  lease.address = address;
  lease.scope = scope;
  addresses_.insert(address, slot);
}

void LeaseStore::remove(std::uint32_t slot) {
  auto& lease = (*this)[slot];
  addresses_.erase(lease.address, slot);
  if (lease.state != LeaseState::bad) {
    clients_.erase(client_tag(lease.client_id), slot);
  }
  lease = Lease{};
  free_slots_.push_back(slot);
  --size_;
}

}  // namespace calloutemu::scopes
