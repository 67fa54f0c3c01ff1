// Turns what the run reports (load attempts, control calls, hook records,
// findings) into trace records: numbers the hook calls and gives the Reserved
// and PktContext pointers their per-run ids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace {

// Each call returns one reused record, valid until the next call.
class TraceRecordBuilder {
 public:
  const TraceRecord& header(const TraceHeader& header);
  const TraceRecord& load(const loader::LoadAttempt& attempt);
  // A control call of the session (START, STOP), as a hook record of request 0.
  const TraceRecord& control(const loader::ControlCall& call);
  const TraceRecord& hook(const server::HookRecord& record);
  const TraceRecord& finding(std::uint64_t request, std::string_view text);

 private:
  using PointerIds = std::unordered_map<const void*, std::uint64_t>;
  static std::uint64_t id_of(PointerIds& ids, const void* pointer);
  PacketDigest cached_digest(std::span<const std::uint8_t> bytes);
  HookCallRecord& next_hook();
  void set_arguments(const server::HookArguments& arguments);

  TraceRecord record_;
  std::uint64_t sequence_ = 0;
  PointerIds reserved_ids_;
  PointerIds context_ids_;
  // The packets hashed last: the hooks of one request mostly see the same
  // bytes, and comparing them is much cheaper than FNV-1a's byte-by-byte chain.
  struct HashedPacket {
    bool valid = false;
    std::vector<std::uint8_t> bytes;
    std::uint64_t hash = 0;
  };
  std::array<HashedPacket, 2> hashed_;
  std::size_t next_hashed_ = 0;
};

}  // namespace calloutemu::trace
