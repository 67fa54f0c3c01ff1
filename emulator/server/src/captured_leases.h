// The leases the captured server granted (its ACKs), for decisions taken
// from the capture: NEW or OLD, and DeleteClient when they end.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace calloutemu::server {

struct CapturedLease {
  std::uint32_t address = 0;
  std::chrono::nanoseconds expires = std::chrono::nanoseconds::max();
  bool bootp = false;
};

class CapturedLeases {
 public:
  const CapturedLease* find(std::string_view client_id) const;
  // Records the lease; true when the client already held this address (OLD).
  bool bind(std::string_view client_id, const CapturedLease& lease);
  std::optional<CapturedLease> remove(std::string_view client_id);
  // Leases that ended at or before `now`, each seen by `on_expire` just before
  // it is removed.
  void expire(std::chrono::nanoseconds now,
              const std::function<void(std::string_view, const CapturedLease&)>& on_expire);
  std::size_t size() const { return leases_.size(); }

 private:
  using Deadline = std::pair<std::chrono::nanoseconds, std::string>;
  void compact();

  std::unordered_map<std::string, CapturedLease> leases_;
  // Deadlines, stale ones included until popped or compacted away.
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
};

}  // namespace calloutemu::server
