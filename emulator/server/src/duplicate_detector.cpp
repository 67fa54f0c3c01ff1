#include "duplicate_detector.h"

#include <algorithm>
#include <cstring>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/hash.h"

namespace calloutemu::server {

std::size_t RequestKeyHash::operator()(const RequestKey& key) const {
  std::uint64_t hash = TransactionKeyHash{}(key.transaction);
  hash = mix_hash(hash ^ (std::uint64_t{key.message_type} << 32 | key.requested_address));
  hash = mix_hash(hash ^ key.server_identifier);
  return static_cast<std::size_t>(hash);
}

RequestKey request_key(const dhcp::MessageView& message) {
  RequestKey key;
  key.transaction.xid = message.xid;
  const auto chaddr = message.client_hardware_address();
  key.transaction.hlen = static_cast<std::uint8_t>(chaddr.size());
  std::copy(chaddr.begin(), chaddr.end(), key.transaction.chaddr.begin());
  if (const auto type = message.message_type()) {
    key.message_type = static_cast<std::uint8_t>(*type);
  }
  // Options 50 and 54, each from its first occurrence, in one pass.
  auto four_bytes = [&](const dhcp::OptionRef& option) -> std::uint32_t {
    const auto data = message.option_data(option);
    return data.size() == 4 ? load_be32(data.data()) : 0;
  };
  bool requested_address_seen = false;
  bool server_identifier_seen = false;
  for (const dhcp::OptionRef& option : message.options) {
    if (option.code == dhcp::option::requested_address && !requested_address_seen) {
      requested_address_seen = true;
      key.requested_address = four_bytes(option);
    } else if (option.code == dhcp::option::server_identifier && !server_identifier_seen) {
      server_identifier_seen = true;
      key.server_identifier = four_bytes(option);
    }
  }
  return key;
}

std::chrono::nanoseconds* DuplicateDetector::find(std::size_t generation, const RequestKey& key,
                                                  std::uint64_t hash) {
  if (count_[generation] == 0) {
    return nullptr;
  }
  const std::uint16_t tag = tag_of(hash);
  const std::size_t mask = cells_.size() - 1;
  for (std::size_t at = hash & mask; cells_[at].tag[generation] != 0; at = (at + 1) & mask) {
    if (cells_[at].tag[generation] == tag && entries_[generation][at].key == key) {
      return &entries_[generation][at].time;
    }
  }
  return nullptr;
}

void DuplicateDetector::insert(std::size_t generation, const RequestKey& key, std::uint64_t hash,
                               std::chrono::nanoseconds time) {
  if ((count_[generation] + 1) * 4 > cells_.size() * 3) {
    grow();
  }
  const std::size_t mask = cells_.size() - 1;
  std::size_t at = hash & mask;
  while (cells_[at].tag[generation] != 0) {
    at = (at + 1) & mask;
  }
  cells_[at].tag[generation] = tag_of(hash);
  entries_[generation][at] = {key, time};
  ++count_[generation];
}

void DuplicateDetector::clear(std::size_t generation) {
  if (count_[generation] != 0) {
    for (Cell& cell : cells_) {
      cell.tag[generation] = 0;
    }
    count_[generation] = 0;
  }
}

// Both generations move to a table twice the size.
void DuplicateDetector::grow() {
  const std::size_t size = cells_.empty() ? 64 : cells_.size() * 2;
  std::vector<Cell> old_cells(size);
  std::array<std::vector<Entry>, 2> old_entries{std::vector<Entry>(size), std::vector<Entry>(size)};
  old_cells.swap(cells_);
  old_entries.swap(entries_);
  count_ = {};
  for (std::size_t generation = 0; generation < 2; ++generation) {
    for (std::size_t at = 0; at < old_cells.size(); ++at) {
      if (old_cells[at].tag[generation] != 0) {
        const Entry& entry = old_entries[generation][at];
        insert(generation, entry.key, RequestKeyHash{}(entry.key), entry.time);
      }
    }
  }
}

void DuplicateDetector::start_generation_if_due(std::chrono::nanoseconds time) {
  if (!started_) {
    started_ = true;
    current_start_ = time;
  } else if (time - current_start_ >= window_) {
    // The last generation was accepted before current_start_, a window or more before `time`.
    current_ = 1 - current_;
    clear(current_);
    current_start_ = time;
  }
}

bool DuplicateDetector::is_duplicate(const RequestKey& key, std::chrono::nanoseconds time) {
  if (window_ <= std::chrono::nanoseconds::zero()) {
    return false;
  }
  start_generation_if_due(time);
  const auto within_window = [&](std::chrono::nanoseconds seen) {
    const auto distance = time >= seen ? time - seen : seen - time;
    return distance < window_;
  };
  const std::uint64_t hash = RequestKeyHash{}(key);
  if (auto* seen = find(current_, key, hash)) {
    if (within_window(*seen)) {
      return true;
    }
    *seen = time;
    return false;
  }
  if (const auto* seen = find(1 - current_, key, hash); seen != nullptr && within_window(*seen)) {
    return true;
  }
  insert(current_, key, hash, time);
  return false;
}

}  // namespace calloutemu::server
