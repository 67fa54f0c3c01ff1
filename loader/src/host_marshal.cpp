#include "host_marshal.h"

#include <algorithm>
#include <cstring>

namespace calloutemu::loader::host {
namespace {

std::uint64_t as_number(const void* pointer) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer));
}

void* as_pointer(std::uint64_t value) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(value));
}

bool is_slot(Where where) {
  return where == Where::slot_receive || where == Where::slot_send;
}

}  // namespace

void SharedPackets::start_packet(std::uint64_t reserved, BYTE* receive, bool sent) {
  std::lock_guard guard(lock_);
  // A packet that never ended leaves a slot in the host: released unless
  // the NewPkt that reuses its Reserved tells the host itself.
  const PacketRecord* old = table_.existing(reserved);
  if (!sent && old != nullptr && old->known_to_host) {
    ended_.push_back(reserved);
  }
  table_.start(reserved).receive = receive;
}

void SharedPackets::end_packet(std::uint64_t reserved, bool sent) {
  std::lock_guard guard(lock_);
  const PacketRecord* record = table_.existing(reserved);
  if (!sent && record != nullptr && record->known_to_host) {
    ended_.push_back(reserved);
  }
  table_.end(reserved);
}

void SharedPackets::host_restarted() {
  std::lock_guard guard(lock_);
  table_.host_restarted();
  ended_.clear();
}

bool HookMarshal::copy_guarded(const void* source, std::size_t length) {
  const std::size_t at = scratch_.size();
  scratch_.resize(at + length);
  if (length == 0) {
    return true;
  }
  std::uint8_t* target = scratch_.data() + at;
  if (trap_.run([&] { std::memcpy(target, source, length); })) {
    scratch_.resize(at);
    return false;
  }
  return true;
}

bool HookMarshal::write_request(WireWriter& out, HookArgs& call) {
  std::lock_guard guard(shared_.lock_);
  std::vector<std::uint64_t>& unseen_ends = shared_.ended_;
  const bool packet_hook = call.has_packet;
  record_ = packet_hook ? &shared_.table_.find(call.reserved) : nullptr;
  if (record_ != nullptr) {
    record_->known_to_host = true;
  }

  HookHead head;
  head.hook = static_cast<std::uint8_t>(call.hook);
  head.flags = static_cast<std::uint8_t>(
      (call.starts_packet ? kStartsPacket : 0) | (call.packet_ref ? kHasPacketRef : 0) |
      (call.size_ref ? kHasSizeRef : 0) | (call.context_ref ? kHasContextRef : 0) |
      (call.process_ref ? kHasProcessRef : 0) | (call.options ? kHasOptions : 0) |
      (call.hw_address ? kHasHwAddress : 0) | (call.break_before ? kBreakBefore : 0));
  const std::size_t ended = std::min<std::size_t>(unseen_ends.size(), kMaxEndedPerRequest);
  head.ended = {reinterpret_cast<const std::uint8_t*>(unseen_ends.data()),
                ended * sizeof(std::uint64_t)};
  head.reserved = call.reserved;
  if (call.context_ref != nullptr) {
    head.context = as_number(*call.context_ref);
  } else if (record_ != nullptr && !record_->from_earlier_host) {
    head.context = as_number(call.context);
  }
  head.arguments = call.arguments;
  write_hook_head(out, head);

  place_ = Located{};
  if (packet_hook) {
    BYTE* pointer =
        call.by_reference ? (call.packet_ref ? *call.packet_ref : nullptr) : call.packet;
    const DWORD size = call.by_reference ? (call.size_ref ? *call.size_ref : 0) : call.size;
    place_ = shared_.table_.locate(*record_, pointer, no_access_);
    PacketSection section{place_.where, size, {}, place_.host_address};
    if (is_slot(place_.where)) {
      const std::size_t count =
          std::min({std::size_t{size} + kMirroredTail, place_.extent, kPacketBufferSize});
      section.bytes = {place_.base, count};
    }
    write_packet_section(out, section);
  }
  if (call.options != nullptr) {
    host::write_options(out, capture_options(*call.options, place_.base, place_.extent, no_access_,
                                             trap_, scratch_));
  }
  if (call.hw_address != nullptr) {
    scratch_.clear();
    const bool readable = call.hw_length <= kMaxMemberLength &&
                          !no_access_.contains(call.hw_address) &&
                          copy_guarded(call.hw_address, call.hw_length);
    out.u8(static_cast<std::uint8_t>(readable ? Member::bytes : Member::unreadable));
    if (readable) {
      out.byte_string(scratch_);
    }
  }
  if (!out.ok()) {
    return false;
  }
  unseen_ends.erase(unseen_ends.begin(), unseen_ends.begin() + static_cast<std::ptrdiff_t>(ended));
  return true;
}

std::optional<std::string> HookMarshal::apply_reply(WireReader& in, HookArgs& call,
                                                    HookResult& result) {
  std::lock_guard guard(shared_.lock_);
  if (!read_hook_result(in, result)) {
    return "a malformed reply to " + std::string(to_string(call.hook));
  }
  PacketReport report;
  if (call.has_packet && !read_packet_report(in, report)) {
    return "a malformed packet report from " + std::string(to_string(call.hook));
  }
  OptionValues options;
  if (call.options != nullptr && !read_options(in, options)) {
    return "malformed DHCP_SERVER_OPTIONS from HandleOptions";
  }
  if (auto problem = check(call, report, options)) {
    return problem;
  }
  if (call.context_ref != nullptr) {
    *call.context_ref = as_pointer(result.context_after);
  }
  if (call.process_ref != nullptr) {
    *call.process_ref = static_cast<BOOL>(result.process_after);
  }
  if (call.has_packet) {
    apply_packet(call, report);
  }
  if (call.options != nullptr) {
    rebuild_options(*call.options, options, place_.base, no_access_, record_->option_bytes);
  }
  return std::nullopt;
}

std::optional<std::string> HookMarshal::check(const HookArgs& call, const PacketReport& report,
                                              const OptionValues& options) const {
  const std::string hook(to_string(call.hook));
  if (call.has_packet) {
    if (report.update == Update::slot_changes && !is_slot(place_.where)) {
      return hook + ": changes to a server buffer that was not passed";
    }
    if (report.update == Update::callout && place_.where != Where::callout) {
      return hook + ": bytes of a callout buffer that was not passed";
    }
    if (report.final != Final::same && call.packet_ref == nullptr) {
      return hook + ": a new *Packet although no BYTE** was passed";
    }
  }
  if (call.options != nullptr && !options_fit(options, place_.base != nullptr, place_.extent)) {
    return "HandleOptions: DHCP_SERVER_OPTIONS with a member outside the packet buffer or a "
           "byte member out of range";
  }
  return std::nullopt;
}

void HookMarshal::apply_packet(HookArgs& call, const PacketReport& report) {
  if (report.update == Update::slot_changes && report.change_offset < place_.extent) {
    const std::size_t count = std::min(report.change.size(), place_.extent - report.change_offset);
    copy_bytes(place_.base + report.change_offset, report.change.first(count));
  }
  if (report.update == Update::callout && place_.copy &&
      report.passed.state == BufferState::bytes) {
    LocalCopy& copy = record_->copies[*place_.copy];
    copy_bytes(copy.data.get(), report.passed.bytes);
    copy.length = report.passed.bytes.size();
  }
  if (!call.by_reference) {
    return;
  }
  if (call.size_ref != nullptr) {
    *call.size_ref = report.size_after;
  }
  if (call.packet_ref == nullptr) {
    return;
  }
  switch (report.final) {
    case Final::same:
      break;
    case Final::null:
      *call.packet_ref = nullptr;
      break;
    case Final::slot_receive:
      *call.packet_ref = record_->receive != nullptr ? record_->receive : no_access_.data();
      break;
    case Final::slot_send:
      *call.packet_ref = record_->send != nullptr ? record_->send : no_access_.data();
      break;
    case Final::callout:
      *call.packet_ref =
          present_callout_buffer(report.final_address, report.final_copy, report.size_after);
      break;
  }
}

// A copy that stays at one address for the rest of the packet, or no-access
// memory for a buffer the host could not read (so that the server's guarded
// reads fault as they would in-process).
BYTE* HookMarshal::present_callout_buffer(std::uint64_t address, const BufferCopy& copy,
                                          std::uint32_t size_after) {
  const bool empty = copy.state == BufferState::implausible && size_after == 0;
  if (copy.state != BufferState::bytes && !empty) {
    record_->unreadable_address = address;
    return no_access_.data();
  }
  LocalCopy& local = shared_.table_.copy_for(*record_, address);
  copy_bytes(local.data.get(), copy.bytes);
  local.length = copy.bytes.size();
  // Never less than *PacketSize to read: a short copy is padded.
  if (size_after <= kMaxCalloutBuffer && size_after > local.length) {
    std::memset(local.data.get() + local.length, 0, size_after - local.length);
  }
  return local.data.get();
}

}  // namespace calloutemu::loader::host
