// When leases expire: a min-heap of (expiry, address, slot) with lazy deletion. A lease whose
// expiry changes gets a new entry and leaves a stale one, recognised when its slot no longer
// holds that address and expiry. Stale entries are dropped whenever they outnumber the
// current ones (beyond a small floor), so the queue is bounded by the live leases, not by
// the number of renewals.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "lease_store.h"

namespace calloutemu::scopes {

class ExpiryQueue {
 public:
  std::size_t size() const { return entries_.size(); }

  // The lease at `slot` has a new expiry; it expired at `before` (kNever: not queued).
  void rescheduled(const LeaseStore& leases, std::uint32_t slot, CaptureTime before);
  // A lease that expired at `expires` is gone.
  void forgotten(const LeaseStore& leases, CaptureTime expires);
  // The slot of the earliest current entry with expires <= now (ties: the lowest address),
  // taken off the queue; nullopt when none is due.
  std::optional<std::uint32_t> pop_due(const LeaseStore& leases, CaptureTime now);

 private:
  struct Entry {
    CaptureTime expires;
    Ipv4 address;
    std::uint32_t slot;
  };
  static bool later(const Entry& a, const Entry& b);
  static bool current(const LeaseStore& leases, const Entry& entry);
  void compact_if_stale(const LeaseStore& leases);

  std::vector<Entry> entries_;  // a heap, earliest first
  std::size_t timed_ = 0;       // leases whose expiry is not kNever: the current entries
};

}  // namespace calloutemu::scopes
