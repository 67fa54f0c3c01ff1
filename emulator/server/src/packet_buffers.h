// The server's per-packet buffers and what it checks after each hook that
// could touch them (spec §4).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/dhcpssdk.h"

namespace calloutemu::server {

// A replacement buffer over this size is taken for a bug in the callout.
inline constexpr DWORD kMaxPlausiblePacket = 64 * 1024;

// The receive and send buffers of one packet in flight. The slot's address
// is the packet's Reserved pointer.
struct PacketSlot {
  PacketSlot();

  std::array<BYTE, dhcp::kServerBufferSize> receive{};
  std::array<BYTE, dhcp::kServerBufferSize> send{};
  // receive[canary_from, 4096) holds the canary byte: what a packet leaves
  // there is checked once it is done (HandedBuffer only checks the bytes
  // right after the packet, after each hook).
  std::size_t canary_from = 0;

  // Before a packet of `size` bytes is copied in: the canary from `size` on.
  void prepare_tail(std::size_t size);
  // After the packet, whose largest size in this buffer was `high_water`:
  // false when a byte past it was written. The canary is whole again after.
  bool settle_tail(std::size_t high_water);
};

// Slots are reused round-robin, so consecutive packets never share a
// Reserved pointer or a buffer, and a callout that keeps either after a
// packet ended reads stale, not freed, memory.
class PacketSlots {
 public:
  static constexpr std::size_t kCount = 4;
  explicit PacketSlots(std::size_t count = kCount);
  PacketSlot& take();
  // With --workers: request i of the run has slot i % size(), held until it is done.
  PacketSlot& at(std::size_t index) { return *slots_[index]; }
  std::size_t size() const { return slots_.size(); }

 private:
  std::vector<std::unique_ptr<PacketSlot>> slots_;
  std::size_t next_ = 0;
};

// A packet buffer handed to hooks: the server's own 4096-byte buffer, or the
// callout's replacement. A canary in the 256 bytes after PacketSize in the
// server's buffer shows a hook that wrote past the packet; the rest of the
// buffer is left to the checked mode's guard pages.
class HandedBuffer {
 public:
  HandedBuffer() = default;
  HandedBuffer(BYTE* own, DWORD size) : own_(own), packet_(own), size_(size), high_water_(size) {
    arm();
  }
  // A slot's receive buffer, whose bytes past `size` hold the canary already
  // (PacketSlot::prepare_tail).
  static HandedBuffer over_prepared_tail(BYTE* own, DWORD size) {
    HandedBuffer buffer;
    buffer.own_ = own;
    buffer.packet_ = own;
    buffer.size_ = size;
    buffer.high_water_ = size;
    buffer.place_canary();
    return buffer;
  }

  BYTE** packet_pointer() { return &packet_; }
  DWORD* size_pointer() { return &size_; }
  BYTE* packet() const { return packet_; }
  DWORD size() const { return size_; }
  bool replaced() const { return packet_ != own_; }
  // The packet lies in the server's own buffer, whole: reading it cannot fault.
  bool whole_in_own_buffer() const { return packet_ == own_ && size_ <= dhcp::kServerBufferSize; }
  // The largest PacketSize the packet had in the server's buffer.
  std::size_t high_water() const { return high_water_; }

  // Call before a hook that may change the packet or its size.
  void before_hook() {
    before_packet_ = packet_;
    before_size_ = size_;
  }
  // After the hook: keeps a plausible replacement, undoes anything else, and
  // describes misuse ("" when there was none). `buffer_name` is "receive" or
  // "send".
  std::string after_hook(std::string_view hook, std::string_view buffer_name);
  // The usual case after a hook: the same buffer, the same size, the canary
  // intact (after_hook() would say nothing and change nothing).
  bool untouched() const {
    return packet_ == before_packet_ && size_ == before_size_ && packet_ == own_ && canary_intact();
  }

 private:
  // Where the canary goes (nowhere in a replacement or a full buffer).
  void place_canary();
  void arm();
  bool canary_intact() const;

  BYTE* own_ = nullptr;
  BYTE* packet_ = nullptr;
  DWORD size_ = 0;
  BYTE* before_packet_ = nullptr;
  DWORD before_size_ = 0;
  std::size_t canary_at_ = 0;
  std::size_t canary_length_ = 0;
  std::size_t high_water_ = 0;
};

}  // namespace calloutemu::server
