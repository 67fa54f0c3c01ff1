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
  auto four_bytes = [&](std::uint8_t code) -> std::uint32_t {
    const auto data = message.find_option_data(code);
    return data && data->size() == 4 ? load_be32(data->data()) : 0;
  };
  key.requested_address = four_bytes(dhcp::option::requested_address);
  key.server_identifier = four_bytes(dhcp::option::server_identifier);
  return key;
}

std::chrono::nanoseconds* DuplicateDetector::Generation::find(const RequestKey& key,
                                                              std::uint64_t hash) {
  if (count_ == 0) {
    return nullptr;
  }
  const std::uint16_t tag = tag_of(hash);
  const std::size_t mask = tags_.size() - 1;
  for (std::size_t at = hash & mask; tags_[at] != 0; at = (at + 1) & mask) {
    if (tags_[at] == tag && entries_[at].key == key) {
      return &entries_[at].time;
    }
  }
  return nullptr;
}

void DuplicateDetector::Generation::insert(const RequestKey& key, std::uint64_t hash,
                                           std::chrono::nanoseconds time) {
  if ((count_ + 1) * 4 > tags_.size() * 3) {
    grow();
  }
  const std::size_t mask = tags_.size() - 1;
  std::size_t at = hash & mask;
  while (tags_[at] != 0) {
    at = (at + 1) & mask;
  }
  tags_[at] = tag_of(hash);
  entries_[at] = {key, time};
  ++count_;
}

void DuplicateDetector::Generation::clear() {
  if (count_ != 0) {
    std::fill(tags_.begin(), tags_.end(), std::uint16_t{0});
    count_ = 0;
  }
}

void DuplicateDetector::Generation::grow() {
  const std::size_t size = tags_.empty() ? 64 : tags_.size() * 2;
  std::vector<std::uint16_t> old_tags(size, 0);
  std::vector<Entry> old_entries(size);
  old_tags.swap(tags_);
  old_entries.swap(entries_);
  count_ = 0;
  for (std::size_t at = 0; at < old_tags.size(); ++at) {
    if (old_tags[at] != 0) {
      insert(old_entries[at].key, RequestKeyHash{}(old_entries[at].key), old_entries[at].time);
    }
  }
}

void DuplicateDetector::start_generation_if_due(std::chrono::nanoseconds time) {
  if (!started_) {
    started_ = true;
    current_start_ = time;
  } else if (time - current_start_ >= window_) {
    // previous_ was accepted before current_start_, a window or more before `time`.
    std::swap(previous_, current_);
    current_.clear();
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
  if (auto* seen = current_.find(key, hash)) {
    if (within_window(*seen)) {
      return true;
    }
    *seen = time;
    return false;
  }
  if (const auto* seen = previous_.find(key, hash); seen != nullptr && within_window(*seen)) {
    return true;
  }
  current_.insert(key, hash, time);
  return false;
}

}  // namespace calloutemu::server
