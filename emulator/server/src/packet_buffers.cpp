#include "packet_buffers.h"

#include <algorithm>
#include <cstring>

#include "byte_run.h"

namespace calloutemu::server {
namespace {

constexpr std::size_t kCanarySize = 256;
constexpr BYTE kCanaryByte = 0xDB;

bool all_canary(const BYTE* bytes, std::size_t length) {
  return all_bytes_are(bytes, length, kCanaryByte);
}

std::string describe(std::string_view hook, std::string_view what) {
  std::string text(hook);
  text += ' ';
  text += what;
  return text;
}

}  // namespace

PacketSlot::PacketSlot() {
  receive.fill(kCanaryByte);
}

void PacketSlot::prepare_tail(std::size_t size) {
  size = std::min(size, receive.size());
  if (size < canary_from) {
    std::memset(receive.data() + size, kCanaryByte, canary_from - size);
  }
  canary_from = size;
}

bool PacketSlot::settle_tail(std::size_t high_water) {
  const std::size_t from = std::min(std::max(high_water, canary_from), receive.size());
  const bool intact = all_canary(receive.data() + from, receive.size() - from);
  if (!intact) {
    std::memset(receive.data() + from, kCanaryByte, receive.size() - from);
  }
  canary_from = from;
  return intact;
}

PacketSlots::PacketSlots(std::size_t count) {
  slots_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    slots_.push_back(std::make_unique<PacketSlot>());
  }
}

PacketSlot& PacketSlots::take() {
  PacketSlot& slot = *slots_[next_];
  if (++next_ == slots_.size()) {
    next_ = 0;
  }
  return slot;
}

void HandedBuffer::place_canary() {
  canary_length_ = 0;
  if (packet_ != own_ || size_ >= dhcp::kServerBufferSize) {
    return;
  }
  canary_at_ = size_;
  canary_length_ = std::min(kCanarySize, dhcp::kServerBufferSize - size_);
}

void HandedBuffer::arm() {
  place_canary();
  std::memset(own_ + canary_at_, kCanaryByte, canary_length_);
}

bool HandedBuffer::canary_intact() const {
  return all_canary(own_ + canary_at_, canary_length_);
}

std::string HandedBuffer::after_hook(std::string_view hook, std::string_view buffer_name) {
  if (untouched()) {
    return {};
  }
  std::string finding;
  if (packet_ != before_packet_) {
    if (packet_ == nullptr) {
      finding = describe(hook, "set *Packet to NULL; the server kept the previous buffer");
    } else if (size_ == 0 || size_ > kMaxPlausiblePacket) {
      finding = describe(hook, "replaced the packet with a buffer of " + std::to_string(size_) +
                                   " bytes; the server kept the previous buffer");
    }
    if (!finding.empty()) {
      packet_ = before_packet_;
      size_ = before_size_;
    }
    arm();
    return finding;
  }
  if (packet_ == own_) {
    if (size_ > dhcp::kServerBufferSize) {
      finding = describe(hook, "set *PacketSize to " + std::to_string(size_) + ", past the " +
                                   std::to_string(dhcp::kServerBufferSize) + "-byte " +
                                   std::string(buffer_name) + " buffer; the server kept " +
                                   std::to_string(before_size_));
      size_ = before_size_;
    } else if (size_ == before_size_ && !canary_intact()) {
      finding = describe(hook, "wrote past PacketSize (" + std::to_string(size_) + ") in the " +
                                   std::string(buffer_name) + " buffer");
    }
  } else if (size_ == 0 || size_ > kMaxPlausiblePacket) {
    finding =
        describe(hook, "set *PacketSize to " + std::to_string(size_) +
                           " for its own buffer; the server kept " + std::to_string(before_size_));
    size_ = before_size_;
  }
  if (packet_ == own_ && (size_ != before_size_ || !finding.empty())) {
    high_water_ = std::max<std::size_t>(high_water_, size_);
    arm();
  }
  return finding;
}

}  // namespace calloutemu::server
