#include "calloutemu/trace/record_builder.h"

#include <algorithm>

namespace calloutemu::trace {

const TraceRecord& TraceRecordBuilder::header(const TraceHeader& header) {
  record_.type = RecordType::header;
  record_.header = header;
  return record_;
}

const TraceRecord& TraceRecordBuilder::load(const loader::LoadAttempt& attempt) {
  record_.type = RecordType::load;
  LoadEvent& load = record_.load;
  load.dll = attempt.name;
  load.outcome = loader::to_string(attempt.outcome);
  load.reason = attempt.reason;
  load.chain_dlls = attempt.chain_dlls;
  load.entry_result = attempt.entry_result;
  return record_;
}

namespace {

void set_fault(HookCallRecord& hook, const loader::Fault& fault) {
  hook.fault = fault.description;
  if (!fault.location.empty()) {
    hook.fault_location = fault.location;
  }
  hook.fault_backtrace = fault.backtrace;
}

}  // namespace

const TraceRecord& TraceRecordBuilder::control(const loader::ControlCall& call) {
  HookCallRecord& hook = next_hook();
  hook.hook = loader::Hook::control;
  hook.code = call.code;
  hook.returned = call.returned;
  hook.duration = call.duration;
  if (call.fault) {
    set_fault(hook, *call.fault);
  }
  return record_;
}

const TraceRecord& TraceRecordBuilder::hook(const server::HookRecord& record) {
  HookCallRecord& hook = next_hook();
  hook.request = record.request;
  if (record.origin != nullptr) {
    hook.origin = FramePosition{record.origin->frame_number, record.origin->file_index};
  }
  hook.hook = record.hook;
  if (has_code(record.hook)) {
    hook.code = record.code;
  }
  if (record.call != nullptr) {
    hook.returned = record.call->returned;
    if (record.call->fault) {
      set_fault(hook, *record.call->fault);
    }
    hook.duration = std::max(record.call->duration, std::chrono::nanoseconds{0});
  }
  if (record.arguments != nullptr) {
    set_arguments(*record.arguments);
  }
  return record_;
}

const TraceRecord& TraceRecordBuilder::finding(std::uint64_t request, std::string_view text) {
  record_.type = RecordType::finding;
  record_.finding.request = request;
  record_.finding.text = text;
  return record_;
}

std::uint64_t TraceRecordBuilder::id_of(PointerIds& ids, const void* pointer) {
  if (pointer == nullptr) {
    return 0;
  }
  return ids.try_emplace(pointer, ids.size() + 1).first->second;
}

PacketDigest TraceRecordBuilder::cached_digest(std::span<const std::uint8_t> bytes) {
  for (const HashedPacket& hashed : hashed_) {
    if (hashed.valid &&
        std::equal(bytes.begin(), bytes.end(), hashed.bytes.begin(), hashed.bytes.end())) {
      return PacketDigest{bytes.size(), hashed.hash};
    }
  }
  HashedPacket& slot = hashed_[next_hashed_];
  next_hashed_ = (next_hashed_ + 1) % hashed_.size();
  slot.valid = true;
  slot.bytes.assign(bytes.begin(), bytes.end());
  slot.hash = fnv1a64(bytes);
  return PacketDigest{bytes.size(), slot.hash};
}

// Clears the reused hook record member by member: assigning a fresh one
// would free the buffers this reuse is meant to keep.
HookCallRecord& TraceRecordBuilder::next_hook() {
  record_.type = RecordType::hook;
  HookCallRecord& hook = record_.hook;
  hook.sequence = ++sequence_;
  hook.request = 0;
  hook.origin.reset();
  hook.code.reset();
  hook.ip_address.reset();
  hook.alt_address.reset();
  hook.address_type.reset();
  hook.lease_time.reset();
  hook.packet.reset();
  hook.packet_after.reset();
  hook.replaced.reset();
  hook.process_it.reset();
  hook.hw_address.reset();
  hook.client_type.reset();
  hook.reserved.reset();
  hook.context.reset();
  hook.returned = 0;
  hook.fault.reset();
  hook.fault_location.reset();
  hook.fault_backtrace.clear();
  hook.duration = {};
  return hook;
}

void TraceRecordBuilder::set_arguments(const server::HookArguments& arguments) {
  HookCallRecord& hook = record_.hook;
  const loader::Hook called = hook.hook;
  if (called != loader::Hook::control && called != loader::Hook::handle_options) {
    hook.ip_address = arguments.ip_address;
  }
  if (called == loader::Hook::address_del || called == loader::Hook::address_offer) {
    hook.alt_address = arguments.alt_address;
  }
  if (called == loader::Hook::address_offer) {
    hook.address_type = arguments.address_type;
    hook.lease_time = arguments.lease_time;
  }
  if (called == loader::Hook::delete_client) {
    hook.hw_address.emplace(arguments.hw_address.begin(), arguments.hw_address.end());
    hook.client_type = arguments.client_type;
  }
  if (!has_packet(called)) {
    return;
  }
  hook.packet = cached_digest(arguments.packet);
  const bool changed =
      arguments.packet_after.size() != arguments.packet.size() ||
      !std::equal(arguments.packet.begin(), arguments.packet.end(), arguments.packet_after.begin());
  if (changed || arguments.replaced) {
    hook.packet_after = cached_digest(arguments.packet_after);
  }
  hook.replaced = arguments.replaced;
  if (called == loader::Hook::new_pkt && arguments.process_it) {
    hook.process_it = *arguments.process_it != FALSE;
  }
  hook.reserved = id_of(reserved_ids_, arguments.reserved);
  hook.context = id_of(context_ids_, arguments.context);
}

}  // namespace calloutemu::trace
