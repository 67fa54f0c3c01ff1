// The callout host protocol's constants and the shared channel's layout, as
// loader/host/PROTOCOL.md describes them. Client and host build from this one
// header.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <new>

namespace calloutemu::loader::host {

inline constexpr std::uint32_t kChannelMagic = 0x48454D43;  // "CMEH" in memory
inline constexpr std::uint32_t kProtocolVersion = 3;

// The channel file: a header, then one lane per call that may be in flight
// at once (the server's receive thread and each worker's). A lane is a
// request area and a reply area, each starting with the u32 length of the
// message that follows.
inline constexpr std::size_t kRequestCapacity = 512 * 1024;
inline constexpr std::size_t kReplyCapacity = 1024 * 1024;
inline constexpr std::size_t kLaneSize = kRequestCapacity + kReplyCapacity;
inline constexpr std::size_t kMaxLanes = 128;
inline constexpr std::size_t kPageSize = 4096;

// One call in flight per lane at a time: the client fills the lane's request
// area, then stores call_sequence; the host answers in the reply area, then
// stores reply_sequence with the same value. A side that waits spins a
// while, then sets its sleeping flag, checks once more, and sleeps until a
// wake byte comes on its pipe; the other side writes one after publishing
// when that flag is set.
struct LaneControl {
  alignas(64) std::atomic<std::uint32_t> call_sequence;
  std::atomic<std::uint32_t> host_sleeping;
  alignas(64) std::atomic<std::uint32_t> reply_sequence;
  std::atomic<std::uint32_t> client_sleeping;
};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free,
              "the channel's atomics must be address-free");

// Written by the client before it starts the host; LaneControl[lane_count]
// follows at kLaneControlOffset.
struct ChannelHeader {
  std::uint32_t magic;
  std::uint32_t version;
  std::uint32_t header_size;
  std::uint32_t lane_count;
  std::uint32_t lane_size;
  std::uint32_t request_capacity;
  std::uint32_t reply_capacity;
};
inline constexpr std::size_t kLaneControlOffset = 64;
static_assert(sizeof(ChannelHeader) <= kLaneControlOffset);

constexpr std::size_t channel_header_size(std::size_t lanes) {
  return (kLaneControlOffset + lanes * sizeof(LaneControl) + kPageSize - 1) / kPageSize * kPageSize;
}
constexpr std::size_t channel_size(std::size_t lanes) {
  return channel_header_size(lanes) + lanes * kLaneSize;
}

// A mapped channel of `lanes` lanes, as both sides address it.
class ChannelView {
 public:
  ChannelView() = default;
  ChannelView(std::uint8_t* base, std::size_t lanes) : base_(base), lanes_(lanes) {}

  ChannelHeader& header() const { return *std::launder(reinterpret_cast<ChannelHeader*>(base_)); }
  LaneControl& control(std::size_t lane) const {
    return std::launder(reinterpret_cast<LaneControl*>(base_ + kLaneControlOffset))[lane];
  }
  std::uint8_t* request_area(std::size_t lane) const {
    return base_ + channel_header_size(lanes_) + lane * kLaneSize;
  }
  std::uint8_t* reply_area(std::size_t lane) const { return request_area(lane) + kRequestCapacity; }

 private:
  std::uint8_t* base_ = nullptr;
  std::size_t lanes_ = 0;
};

// The bytes on the pipes: the client wakes the host with one, the host the
// client with the other. Anything else on the host's output is a protocol
// error (it is not a callout host).
inline constexpr std::uint8_t kWakeHost = 'c';
inline constexpr std::uint8_t kWakeClient = 'h';

// How long a side waits for the other before it sleeps on its pipe: busy
// at first, then yielding the processor (spin_until() in calloutemu/spin_wait.h).
inline constexpr std::chrono::microseconds kSpinTime{50};
inline constexpr std::chrono::microseconds kBusySpinTime{10};

// Requests: the first u32 of a request.
enum class Request : std::uint32_t {
  hello = 1,          // -> ok: u32 version, string host description
  read_registry = 2,  // -> ok: config | error: message
  load = 3,           // strings names -> attempt ... then ok: load result
  load_next = 4,      // after an attempt reply: go on loading
  hook = 5,           // a hook call (PROTOCOL.md)
  stop = 6,           // -> ok: ControlCall; then the host exits
};

// Replies: the first u32 of a reply.
enum class Status : std::uint32_t {
  ok = 1,
  attempt = 2,  // load: one attempt ended; the client answers load_next
  fault = 3,    // a hook faulted: Fault; then the host exits with kFaultExitStatus
  error = 4,    // string message: the request could not be served
};

inline constexpr int kFaultExitStatus = 3;
inline constexpr int kUsageExitStatus = 2;

// Hook request flags.
inline constexpr std::uint8_t kStartsPacket = 0x01;   // NewPkt: a new packet on this Reserved
inline constexpr std::uint8_t kHasPacketRef = 0x02;   // BYTE** is not NULL
inline constexpr std::uint8_t kHasSizeRef = 0x04;     // DWORD* is not NULL
inline constexpr std::uint8_t kHasContextRef = 0x08;  // NewPkt's void** is not NULL
inline constexpr std::uint8_t kHasProcessRef = 0x10;  // NewPkt's BOOL* is not NULL
inline constexpr std::uint8_t kHasOptions = 0x20;     // DHCP_SERVER_OPTIONS* is not NULL
inline constexpr std::uint8_t kHasHwAddress = 0x40;   // DeleteClient's BYTE* is not NULL
inline constexpr std::uint8_t kBreakBefore = 0x80;    // stop in a debugger before the call

inline constexpr std::size_t kHookArguments = 5;
inline constexpr std::uint32_t kMaxEndedPerRequest = 1024;

// Where a packet pointer points, in a request and after the call.
enum class Where : std::uint8_t {
  null = 0,
  slot_receive = 1,  // the slot's receive buffer (the server's receive buffer)
  slot_send = 2,     // the slot's send buffer (any other buffer the server owns)
  callout = 3,       // a buffer of the callout's, by its address in the host
  unreadable = 4,    // memory that faults when read
};
inline constexpr std::uint8_t kWhereCount = 5;

// What became of the passed buffer, in a hook reply.
enum class Update : std::uint8_t {
  none = 0,
  slot_changes = 1,  // u32 offset, byte string: the changed range of the slot buffer
  callout = 2,       // buffer state of the passed callout buffer
};

// Where *Packet points after the call.
enum class Final : std::uint8_t {
  same = 0,
  null = 1,
  slot_receive = 2,
  slot_send = 3,
  callout = 4,  // u64 address, buffer state
};

// A callout buffer's bytes, as the host could copy them.
enum class BufferState : std::uint8_t {
  bytes = 0,        // byte string follows
  implausible = 1,  // size 0 or over kMaxCalloutBuffer: not copied
  unreadable = 2,   // copying faulted
};

// An option member's value.
enum class Member : std::uint8_t {
  null = 0,
  in_packet = 1,   // u32 offset into the packet buffer
  bytes = 2,       // byte string
  unreadable = 3,  // faults when read, or too long to copy
};

inline constexpr std::size_t kPacketBufferSize = 4096;
// How far past PacketSize a server buffer is mirrored into the host: the
// server's canary window, so a write there is seen exactly.
inline constexpr std::size_t kMirroredTail = 256;
inline constexpr std::size_t kMaxCalloutBuffer = 64 * 1024;
inline constexpr std::size_t kMaxMemberLength = 65535;

}  // namespace calloutemu::loader::host
