// The leases themselves, indexed by client id and by address. Slots are stable: a Lease
// never moves while it is held, and a freed slot is reused.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "calloutemu/index_table.h"
#include "calloutemu/scopes/lease_database.h"

namespace calloutemu::scopes {

class LeaseStore {
 public:
  static constexpr std::uint32_t kNone = IndexTable::kNone;

  Lease& operator[](std::uint32_t slot) { return chunks_[slot >> kChunkBits][slot & kChunkMask]; }
  const Lease& operator[](std::uint32_t slot) const {
    return chunks_[slot >> kChunkBits][slot & kChunkMask];
  }
  std::size_t size() const { return size_; }

  std::uint32_t find_client(std::string_view id) const;  // kNone if none
  void prefetch_client(std::string_view id) const;       // before a find_client soon
  std::uint32_t find_address(Ipv4 address) const;        // kNone if none

  // A new lease, indexed by client id unless it is `bad`; the caller sets the other fields.
  // No lease may hold the address already.
  std::uint32_t add(Ipv4 address, std::uint16_t scope, LeaseState state,
                    std::string_view client_id);
  // Moves a lease to an address no lease holds.
  void move(std::uint32_t slot, Ipv4 address, std::uint16_t scope);
  // Frees the slot; it reads as a default Lease (expires kNever) until reused.
  void remove(std::uint32_t slot);

 private:
  // Fixed chunks: no Lease moves as the store grows, and there is no growth slack.
  static constexpr std::uint32_t kChunkBits = 10;
  static constexpr std::uint32_t kChunkMask = (1u << kChunkBits) - 1;

  std::vector<std::unique_ptr<Lease[]>> chunks_;
  std::uint32_t slots_used_ = 0;  // slots ever used; the free ones are in free_slots_
  std::vector<std::uint32_t> free_slots_;
  IndexTable clients_;    // every lease but bad addresses, by client id
  IndexTable addresses_;  // every lease, by address
  std::size_t size_ = 0;
};

}  // namespace calloutemu::scopes
