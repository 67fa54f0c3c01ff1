// The client's record of each packet in flight through a hosted chain: which
// buffers are the server's, and the local copies that stand for buffers the
// callout owns in the host (spec §4, PROTOCOL.md "Packets").
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "host_process.h"
#include "host_protocol.h"

namespace calloutemu::loader::host {

// A callout buffer of the host, as the server sees it here: kMaxCalloutBuffer
// bytes at a stable address, of which `length` mirror the host's.
struct LocalCopy {
  std::unique_ptr<std::uint8_t[]> data;
  std::size_t length = 0;
  std::uint64_t host_address = 0;
  bool from_earlier_host = false;  // its host is gone: now a buffer like the server's
};

struct PacketRecord {
  std::uint8_t* receive = nullptr;  // the server's receive buffer, from NewPkt
  std::uint8_t* send = nullptr;     // the last other buffer of the server's seen
  std::vector<LocalCopy> copies;
  // The host address of the callout buffer shown as no-access memory.
  std::optional<std::uint64_t> unreadable_address;
  bool from_earlier_host = false;          // started in a host that crashed: NULL context
  bool known_to_host = false;              // a call of it was sent: the host has a slot for it
  std::vector<std::uint8_t> option_bytes;  // HandleOptions members that point elsewhere
};

// Where a pointer the server passed points, for the host.
struct Located {
  Where where = Where::null;
  std::uint8_t* base = nullptr;  // slot: the buffer mirrored; callout: the local copy
  std::size_t extent = 0;        // how many bytes of `base` are the buffer's
  std::uint64_t host_address = 0;
  // callout: the index in PacketRecord::copies of the copy that stands for it
  std::optional<std::size_t> copy;
};

class PacketTable {
 public:
  // NewPkt: a new packet on `reserved`. A record still there for it (its
  // packet never ended) is retired; what packets before it on `reserved`
  // left is recycled.
  PacketRecord& start(std::uint64_t reserved);
  // Any other packet hook; a record is made for a packet not seen starting.
  PacketRecord& find(std::uint64_t reserved);
  PacketRecord* existing(std::uint64_t reserved);
  // After the packet's Drop(PROCESSED): its copies stay valid until the next
  // NewPkt on the same Reserved value (the server reuses one only when the
  // packet is done with; with --workers other packets start before that),
  // or until kMaxRetired other packets ended after it.
  void end(std::uint64_t reserved);
  // A new host: every packet so far was started in the old one.
  void host_restarted();

  Located locate(PacketRecord& record, std::uint8_t* pointer, const NoAccessRegion& no_access);
  // The local copy for a host address, made when there is none yet.
  LocalCopy& copy_for(PacketRecord& record, std::uint64_t host_address);

 private:
  void retire(std::uint64_t reserved, PacketRecord&& record);
  void recycle(PacketRecord& record);
  std::unique_ptr<std::uint8_t[]> new_buffer();

  // More than the server has packets in flight (one per worker at most).
  static constexpr std::size_t kMaxRetired = 256;
  std::unordered_map<std::uint64_t, PacketRecord> records_;
  std::deque<std::pair<std::uint64_t, PacketRecord>> retired_;  // oldest first
  std::vector<std::unique_ptr<std::uint8_t[]>> spare_;
};

}  // namespace calloutemu::loader::host
