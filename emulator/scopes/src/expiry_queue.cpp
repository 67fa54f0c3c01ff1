#include "expiry_queue.h"

#include <algorithm>

namespace calloutemu::scopes {
namespace {

// Below this many entries the queue is never compacted.
constexpr std::size_t kMinToCompact = 64;

}  // namespace

// std::*_heap keep the greatest first; this puts the earliest expiry, then lowest address, first.
bool ExpiryQueue::later(const Entry& a, const Entry& b) {
  return a.expires != b.expires ? a.expires > b.expires : a.address > b.address;
}

bool ExpiryQueue::current(const LeaseStore& leases, const Entry& entry) {
  const auto& lease = leases[entry.slot];
  return lease.expires == entry.expires && lease.address == entry.address;
}

void ExpiryQueue::rescheduled(const LeaseStore& leases, std::uint32_t slot, CaptureTime before) {
  const auto& lease = leases[slot];
  if (before != kNever) {
    --timed_;
  }
  if (lease.expires != kNever) {
    ++timed_;
    entries_.push_back({lease.expires, lease.address, slot});
    std::push_heap(entries_.begin(), entries_.end(), later);
  }
  compact_if_stale(leases);
}

void ExpiryQueue::forgotten(const LeaseStore& leases, CaptureTime expires) {
  if (expires != kNever) {
    --timed_;
    compact_if_stale(leases);
  }
}

std::optional<std::uint32_t> ExpiryQueue::pop_due(const LeaseStore& leases, CaptureTime now) {
  while (!entries_.empty() && entries_.front().expires <= now) {
    std::pop_heap(entries_.begin(), entries_.end(), later);
    const auto entry = entries_.back();
    entries_.pop_back();
    if (current(leases, entry)) {
      return entry.slot;
    }
  }
  return std::nullopt;
}

void ExpiryQueue::compact_if_stale(const LeaseStore& leases) {
  if (entries_.size() <= kMinToCompact || entries_.size() <= 2 * timed_) {
    return;
  }
  std::erase_if(entries_, [&](const Entry& entry) { return !current(leases, entry); });
  std::make_heap(entries_.begin(), entries_.end(), later);
}

}  // namespace calloutemu::scopes
