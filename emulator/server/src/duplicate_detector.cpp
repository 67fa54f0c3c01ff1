#include "duplicate_detector.h"

#include <algorithm>
#include <cstring>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"

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
  auto four_bytes = [&](std::uint8_t code) -> std::uint32_t {
    const auto data = message.find_option_data(code);
    return data && data->size() == 4 ? load_be32(data->data()) : 0;
  };
  key.requested_address = four_bytes(dhcp::option::requested_address);
  key.server_identifier = four_bytes(dhcp::option::server_identifier);
  return key;
}

void DuplicateDetector::forget_before(std::chrono::nanoseconds time) {
  while (!by_time_.empty() && by_time_.front().first + window_ <= time) {
    const auto [accepted_at, slot] = by_time_.front();
    by_time_.pop_front();
    if (accepted_[slot].time == accepted_at) {  // else accepted again since
      index_.erase(accepted_[slot].tag, slot);
      free_.push_back(slot);
    }
  }
}

bool DuplicateDetector::is_duplicate(const RequestKey& key, std::chrono::nanoseconds time) {
  if (window_ <= std::chrono::nanoseconds::zero()) {
    return false;
  }
  forget_before(time);
  const std::uint32_t key_tag = tag(key);
  std::uint32_t slot = index_.find(
      key_tag, [&](std::uint32_t candidate) { return accepted_[candidate].key == key; });
  if (slot != IndexTable::kNone) {
    const auto seen = accepted_[slot].time;
    const auto distance = time >= seen ? time - seen : seen - time;
    if (distance < window_) {
      return true;
    }
    accepted_[slot].time = time;
  } else {
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(accepted_.size());
      accepted_.push_back({key, time, key_tag});
    } else {
      slot = free_.back();
      free_.pop_back();
      accepted_[slot] = {key, time, key_tag};
    }
    index_.insert(key_tag, slot);
  }
  by_time_.emplace_back(time, slot);
  return false;
}

}  // namespace calloutemu::server
