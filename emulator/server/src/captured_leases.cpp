#include "captured_leases.h"

namespace calloutemu::server {

const CapturedLease* CapturedLeases::find(std::string_view client_id) const {
  auto found = leases_.find(std::string(client_id));
  return found == leases_.end() ? nullptr : &found->second;
}

bool CapturedLeases::bind(std::string_view client_id, const CapturedLease& lease) {
  auto [entry, inserted] = leases_.try_emplace(std::string(client_id), lease);
  const bool old = !inserted && entry->second.address == lease.address;
  entry->second = lease;
  if (lease.expires != std::chrono::nanoseconds::max()) {
    deadlines_.emplace(lease.expires, entry->first);
    if (deadlines_.size() > 2 * leases_.size() + 64) {
      compact();
    }
  }
  return old;
}

std::optional<CapturedLease> CapturedLeases::remove(std::string_view client_id) {
  auto found = leases_.find(std::string(client_id));
  if (found == leases_.end()) {
    return std::nullopt;
  }
  CapturedLease lease = found->second;
  leases_.erase(found);
  return lease;
}

void CapturedLeases::expire(
    std::chrono::nanoseconds now,
    const std::function<void(std::string_view, const CapturedLease&)>& on_expire) {
  while (!deadlines_.empty() && deadlines_.top().first <= now) {
    const Deadline deadline = deadlines_.top();
    deadlines_.pop();
    auto found = leases_.find(deadline.second);
    if (found == leases_.end() || found->second.expires != deadline.first) {
      continue;  // stale: renewed or removed since
    }
    on_expire(found->first, found->second);
    leases_.erase(found);
  }
}

void CapturedLeases::compact() {
  std::vector<Deadline> live;
  live.reserve(leases_.size());
  for (const auto& [id, lease] : leases_) {
    if (lease.expires != std::chrono::nanoseconds::max()) {
      live.emplace_back(lease.expires, id);
    }
  }
  deadlines_ = decltype(deadlines_)(std::greater<>(), std::move(live));
}

}  // namespace calloutemu::server
