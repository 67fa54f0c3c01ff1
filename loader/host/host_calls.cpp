#include "host_calls.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/debugger.h"

namespace calloutemu::loader::host {
namespace {

void* as_pointer(std::uint64_t value) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(value));
}

std::uint64_t as_number(const void* pointer) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer));
}

bool is_packet_hook(Hook hook) {
  return hook != Hook::control && hook != Hook::delete_client;
}

bool ends_packet(const HookHead& head) {
  return static_cast<Hook>(head.hook) == Hook::pkt_drop && head.arguments[0] == DHCP_DROP_PROCESSED;
}

bool is_by_reference(Hook hook) {
  return hook == Hook::new_pkt || hook == Hook::pkt_drop || hook == Hook::pkt_send;
}

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%#llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace

// --- SlotTable ---------------------------------------------------------------

Slot& SlotTable::get(std::uint64_t reserved, bool fresh) {
  std::lock_guard guard(mutex_);
  auto found = by_reserved_.find(reserved);
  if (found != by_reserved_.end()) {
    Slot& slot = *found->second;
    if (slot.released) {
      released_.erase(std::find(released_.begin(), released_.end(), reserved));
    }
    if (fresh || slot.released) {
      slot.buffers.clear();
      slot.released = false;
    }
    return slot;
  }
  Slot* slot = nullptr;
  if (released_.size() >= kKeptReleased) {
    const std::uint64_t oldest = released_.front();
    released_.erase(released_.begin());
    auto previous = by_reserved_.find(oldest);
    slot = previous->second;
    by_reserved_.erase(previous);
    slot->buffers.clear();
    slot->released = false;
  } else {
    storage_.push_back(std::make_unique<Slot>());
    slot = storage_.back().get();
  }
  by_reserved_.emplace(reserved, slot);
  return *slot;
}

void SlotTable::release(std::uint64_t reserved) {
  std::lock_guard guard(mutex_);
  auto found = by_reserved_.find(reserved);
  if (found != by_reserved_.end() && !found->second->released) {
    found->second->released = true;
    found->second->buffers.clear();
    released_.push_back(reserved);
  }
}

// --- HostCalls -------------------------------------------------------------

CallOutcome HostCalls::run(const DHCP_CALLOUT_TABLE& table, WireReader& request,
                           WireWriter& reply) {
  CallOutcome outcome = serve(table, request, reply);
  if (slot_ != nullptr) {
    shared_.slots.hand_back();
  }
  return outcome;
}

CallOutcome HostCalls::serve(const DHCP_CALLOUT_TABLE& table, WireReader& request,
                             WireWriter& reply) {
  HookHead head;
  if (!read_hook_head(request, head) || head.hook >= kHookCount) {
    return {std::nullopt, "a malformed hook request", {}};
  }
  for (std::size_t i = 0; i < head.ended.size() / sizeof(std::uint64_t); ++i) {
    shared_.slots.release(ended_at(head, i));
  }
  const auto hook = static_cast<Hook>(head.hook);
  slot_ = nullptr;
  packet_ = Packet{};
  handed_ = {};
  options_handed_ = nullptr;
  if (is_packet_hook(hook)) {
    slot_ = &shared_.slots.get(head.reserved, (head.flags & kStartsPacket) != 0);
    PacketSection section;
    if (!read_packet_section(request, section)) {
      return {std::nullopt, "a malformed packet in a hook request", {}};
    }
    if (auto problem = take_packet(section, *slot_)) {
      return {std::nullopt, problem, {}};
    }
    if (shared_.checks) {
      if (packet_.where == Where::slot_receive || packet_.where == Where::slot_send) {
        handed_ = shared_.checks->hand_over(packet_.pointer, packet_.size,
                                            packet_.where == Where::slot_send ? "send" : "receive");
      } else {
        handed_ = CheckedBuffers::Handed{.server = packet_.pointer, .size = packet_.size};
      }
      packet_.pointer = handed_.packet();
    }
  }
  const bool has_options = hook == Hook::handle_options && (head.flags & kHasOptions) != 0;
  if (has_options) {
    OptionValues values;
    if (!read_options(request, values) ||
        !options_fit(values, packet_.pointer != nullptr, packet_.extent)) {
      return {std::nullopt, "malformed DHCP_SERVER_OPTIONS in a hook request", {}};
    }
    rebuild_options(options_, values, packet_.pointer, no_access_, option_arena_);
    if (shared_.checks) {
      options_handed_ = shared_.checks->hand_over_options(options_, handed_);
    }
  }
  if (hook == Hook::delete_client && (head.flags & kHasHwAddress) != 0) {
    const auto kind = static_cast<Member>(request.u8());
    hw_address_.clear();
    if (kind == Member::bytes) {
      const auto bytes = request.byte_string(kMaxMemberLength);
      if (bytes.size() != head.arguments[1]) {
        return {std::nullopt, "a hardware address of another length than HwAddressLength", {}};
      }
      hw_address_.assign(bytes.begin(), bytes.end());
      hw_address_.push_back(0);  // never empty: a pointer to it is not NULL
    } else if (kind != Member::unreadable) {
      request.fail();
    }
  }
  if (!request.ok()) {
    return {std::nullopt, "a malformed hook request", {}};
  }

  HookResult result;
  std::vector<std::string> findings;
  auto fault = call(table, head, result);
  if (shared_.checks) {
    shared_.checks->classify(hook, fault, findings);
  }
  if (fault) {
    return {std::move(fault), std::nullopt, std::move(findings)};
  }
  if (shared_.checks) {
    take_back_checked(head, findings);
  }
  write_hook_result(reply, result);
  if (slot_ != nullptr) {
    PacketReport report;
    report_packet(head, *slot_, report);
    write_packet_report(reply, report);
  }
  if (has_options) {
    write_options(reply, capture_options(options_, packet_.pointer, packet_.extent, no_access_,
                                         trap_, option_bytes_));
  }
  if (shared_.checks) {
    write_findings(reply, findings);
  }
  if (ends_packet(head)) {
    shared_.slots.release(head.reserved);
  }
  return {};
}

// Checked mode, after a call that did not fault: the bytes back in the slot's
// buffer, a bad replacement undone, DHCP_SERVER_OPTIONS back and protected.
void HostCalls::take_back_checked(const HookHead& head, std::vector<std::string>& findings) {
  const auto hook = static_cast<Hook>(head.hook);
  if (!is_packet_hook(hook)) {
    return;
  }
  if (is_by_reference(hook) && (head.flags & kHasPacketRef) != 0) {
    const auto guard = [this](const std::function<void()>& f) { return trap_.run(f); };
    shared_.checks->take_back(hook, handed_, &packet_after_, &size_after_, findings, guard);
  } else {
    shared_.checks->take_back(hook, handed_, packet_.size, findings);
  }
  if (packet_after_ == packet_.pointer) {
    packet_after_ = handed_.server;
  }
  packet_.pointer = handed_.server;
  if (options_handed_ != nullptr) {
    shared_.checks->take_back_options(options_handed_, options_, handed_);
    options_handed_ = nullptr;
  }
}

std::optional<std::string> HostCalls::take_packet(const PacketSection& section, Slot& slot) {
  packet_.where = section.where;
  packet_.size = section.size;
  switch (section.where) {
    case Where::null:
      break;
    case Where::slot_receive:
    case Where::slot_send: {
      auto& buffer = section.where == Where::slot_receive ? slot.receive : slot.send;
      copy_bytes(buffer.data(), section.bytes);
      before_ = buffer;
      packet_.pointer = buffer.data();
      packet_.extent = buffer.size();
      break;
    }
    case Where::callout: {
      const auto known = std::find_if(slot.buffers.begin(), slot.buffers.end(), [&](const auto& b) {
        return as_number(b.address) == section.address;
      });
      if (known == slot.buffers.end()) {
        return "the callout buffer " + hex(section.address) + " is not one of this packet's";
      }
      packet_.pointer = known->address;
      packet_.extent = known->length;
      break;
    }
    case Where::unreadable:
      packet_.pointer = no_access_.data();
      break;
  }
  return std::nullopt;
}

template <class Function, class... Args>
std::optional<Fault> HostCalls::timed(Function function, HookResult& result, Args... args) {
  if (function == nullptr) {
    return std::nullopt;
  }
  result.called = true;
  DWORD returned = 0;
  const auto start = clock_.now();
  auto fault = trap_.run([&] { returned = function(args...); });
  result.duration_ns = static_cast<std::uint64_t>(clock_.between(start, clock_.now()).count());
  result.returned = fault ? 0 : returned;
  return fault;
}

std::optional<Fault> HostCalls::call(const DHCP_CALLOUT_TABLE& table, const HookHead& head,
                                     HookResult& result) {
  const auto& argument = head.arguments;
  BYTE* packet = packet_.pointer;
  DWORD size = packet_.size;
  BYTE** packet_ref = (head.flags & kHasPacketRef) != 0 ? &packet : nullptr;
  DWORD* size_ref = (head.flags & kHasSizeRef) != 0 ? &size : nullptr;
  void* context = as_pointer(head.context);
  void** context_ref = (head.flags & kHasContextRef) != 0 ? &context : nullptr;
  auto process = static_cast<BOOL>(argument[1]);
  BOOL* process_ref = (head.flags & kHasProcessRef) != 0 ? &process : nullptr;
  DHCP_SERVER_OPTIONS* options = nullptr;
  if ((head.flags & kHasOptions) != 0) {
    options = options_handed_ != nullptr ? options_handed_ : &options_;
  }
  BYTE* hw_address = nullptr;
  if ((head.flags & kHasHwAddress) != 0) {
    hw_address = hw_address_.empty() ? no_access_.data() : hw_address_.data();
  }
  void* reserved = slot_;

  std::optional<Fault> fault;
  if ((head.flags & kBreakBefore) != 0 && (shared_.break_always || debugger_attached())) {
    stop_before_hook(static_cast<Hook>(head.hook), 0);
  }
  switch (static_cast<Hook>(head.hook)) {
    case Hook::control:
      fault = timed(table.DhcpControlHook, result, argument[0], static_cast<LPVOID>(nullptr));
      break;
    case Hook::new_pkt:
      fault = timed(table.DhcpNewPktHook, result, packet_ref, size_ref, argument[0], reserved,
                    context_ref, process_ref);
      break;
    case Hook::pkt_drop:
      fault = timed(table.DhcpPktDropHook, result, packet_ref, size_ref, argument[0], argument[1],
                    reserved, context);
      break;
    case Hook::pkt_send:
      fault = timed(table.DhcpPktSendHook, result, packet_ref, size_ref, argument[0], argument[1],
                    reserved, context);
      break;
    case Hook::address_del:
      fault = timed(table.DhcpAddressDelHook, result, packet, size, argument[0], argument[1],
                    argument[2], reserved, context);
      break;
    case Hook::address_offer:
      fault = timed(table.DhcpAddressOfferHook, result, packet, size, argument[0], argument[1],
                    argument[2], argument[3], argument[4], reserved, context);
      break;
    case Hook::handle_options:
      fault = timed(table.DhcpHandleOptionsHook, result, packet, size, reserved, context, options);
      break;
    case Hook::delete_client:
      fault = timed(table.DhcpDeleteClientHook, result, argument[0], hw_address,
                    static_cast<ULONG>(argument[1]), argument[2], argument[3]);
      break;
  }
  packet_after_ = packet;
  size_after_ = size;
  result.context_after = as_number(context);
  result.process_after = static_cast<std::uint32_t>(process);
  return fault;
}

BufferCopy HostCalls::copy_callout_buffer(const BYTE* address, std::size_t length,
                                          std::vector<std::uint8_t>& into) {
  if (length == 0 || length > kMaxCalloutBuffer) {
    return {BufferState::implausible, {}};
  }
  into.resize(length);
  std::uint8_t* target = into.data();
  if (no_access_.contains(address) || trap_.run([&] { std::memcpy(target, address, length); })) {
    return {BufferState::unreadable, {}};
  }
  return {BufferState::bytes, into};
}

void HostCalls::remember(Slot& slot, BYTE* address, const BufferCopy& copy) {
  const std::size_t length = copy.state == BufferState::bytes ? copy.bytes.size() : 0;
  for (auto& known : slot.buffers) {
    if (known.address == address) {
      known.length = length;
      return;
    }
  }
  slot.buffers.push_back({address, length});
}

void HostCalls::report_packet(const HookHead& head, Slot& slot, PacketReport& report) {
  const auto hook = static_cast<Hook>(head.hook);
  report.size_after = is_by_reference(hook) ? size_after_ : packet_.size;
  if (packet_.where == Where::slot_receive || packet_.where == Where::slot_send) {
    const BYTE* buffer = packet_.pointer;
    std::size_t from = before_.size();
    std::size_t to = 0;
    if (std::memcmp(before_.data(), buffer, before_.size()) != 0) {
      const auto first = std::mismatch(before_.begin(), before_.end(), buffer);
      const auto last = std::mismatch(before_.rbegin(), before_.rend(),
                                      std::reverse_iterator(buffer + before_.size()));
      from = static_cast<std::size_t>(first.first - before_.begin());
      to = before_.size() - static_cast<std::size_t>(last.first - before_.rbegin());
    }
    // A packet that grew is sent whole: past what the client mirrored, an
    // unchanged byte here need not be the server's.
    if (packet_after_ == packet_.pointer && size_after_ > packet_.size &&
        packet_.size < before_.size()) {
      from = std::min<std::size_t>(from, packet_.size);
      to = std::max<std::size_t>(to, std::min<std::size_t>(size_after_, before_.size()));
    }
    if (from < to) {
      report.update = Update::slot_changes;
      report.change_offset = static_cast<std::uint32_t>(from);
      report.change = {buffer + from, to - from};
    }
  } else if (packet_.where == Where::callout && packet_after_ == packet_.pointer &&
             !ends_packet(head)) {
    // Read back only while the callout still uses it: one it replaced, or
    // any after the packet's last hook, it may have freed.
    report.update = Update::callout;
    report.passed = copy_callout_buffer(packet_.pointer, size_after_, passed_bytes_);
    remember(slot, packet_.pointer, report.passed);
  }
  if (!is_by_reference(hook) || (head.flags & kHasPacketRef) == 0 ||
      packet_after_ == packet_.pointer) {
    return;
  }
  if (packet_after_ == nullptr) {
    report.final = Final::null;
  } else if (packet_after_ == slot.receive.data()) {
    report.final = Final::slot_receive;
  } else if (packet_after_ == slot.send.data()) {
    report.final = Final::slot_send;
  } else {
    report.final = Final::callout;
    report.final_address = as_number(packet_after_);
    report.final_copy = copy_callout_buffer(packet_after_, size_after_, final_bytes_);
    remember(slot, packet_after_, report.final_copy);
  }
}

}  // namespace calloutemu::loader::host
