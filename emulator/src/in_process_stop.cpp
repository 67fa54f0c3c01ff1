#include "in_process_stop.h"

#include "calloutemu/loader/hook_table.h"

namespace calloutemu::emulator {

template <class Call>
loader::HookCall StopAfterFault::unless_stopped(Call&& call) {
  if (stopped()) {
    return {};
  }
  auto result = call();
  if (result.fault) {
    stopped_.store(true, std::memory_order_release);
  }
  return result;
}

loader::HookCall StopAfterFault::control(DWORD code) {
  return unless_stopped([&] { return inner_.control(code); });
}

loader::HookCall StopAfterFault::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address,
                                         void* reserved, void** context, BOOL* process_it) {
  return unless_stopped(
      [&] { return inner_.new_pkt(packet, size, ip_address, reserved, context, process_it); });
}

loader::HookCall StopAfterFault::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                          void* reserved, void* context) {
  return unless_stopped(
      [&] { return inner_.pkt_drop(packet, size, code, ip_address, reserved, context); });
}

loader::HookCall StopAfterFault::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                          void* reserved, void* context) {
  return unless_stopped(
      [&] { return inner_.pkt_send(packet, size, code, ip_address, reserved, context); });
}

loader::HookCall StopAfterFault::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                             DWORD alt_address, void* reserved, void* context) {
  return unless_stopped([&] {
    return inner_.address_del(packet, size, code, ip_address, alt_address, reserved, context);
  });
}

loader::HookCall StopAfterFault::address_offer(BYTE* packet, DWORD size, DWORD code,
                                               DWORD ip_address, DWORD alt_address,
                                               DWORD address_type, DWORD lease_time, void* reserved,
                                               void* context) {
  return unless_stopped([&] {
    return inner_.address_offer(packet, size, code, ip_address, alt_address, address_type,
                                lease_time, reserved, context);
  });
}

loader::HookCall StopAfterFault::handle_options(BYTE* packet, DWORD size, void* reserved,
                                                void* context, DHCP_SERVER_OPTIONS* options) {
  return unless_stopped(
      [&] { return inner_.handle_options(packet, size, reserved, context, options); });
}

loader::HookCall StopAfterFault::delete_client(DWORD ip_address, BYTE* hw_address,
                                               ULONG hw_address_length, DWORD reserved,
                                               DWORD client_type) {
  return unless_stopped([&] {
    return inner_.delete_client(ip_address, hw_address, hw_address_length, reserved, client_type);
  });
}

void StopGate::hook_called(const server::HookRecord& record) {
  if (!passes(record.request)) {
    return;
  }
  if (active_ && !cause_ && record.call != nullptr && record.call->fault) {
    std::string hook(loader::to_string(record.hook));
    if (record.hook == loader::Hook::control) {
      hook += "(" + std::string(loader::control_code_name(record.code)) + ")";
    }
    cause_ = StopCause{record.request, std::move(hook), *record.call->fault};
  }
  next_.hook_called(record);
}

void StopGate::response_sent(const server::RequestOutcome& outcome,
                             std::span<const std::uint8_t> bytes) {
  if (!cause_) {
    next_.response_sent(outcome, bytes);
  }
}

void StopGate::request_finished(const server::RequestOutcome& outcome) {
  if (passes(outcome.number)) {
    next_.request_finished(outcome);
  }
}

void StopGate::note(std::string_view text) {
  if (!cause_) {
    next_.note(text);
  }
}

std::string stop_reason(const StopCause& cause) {
  if (cause.fault.timed_out) {
    return cause.hook + " " + cause.fault.description + " in-process";
  }
  return cause.hook + " crashed in-process";
}

}  // namespace calloutemu::emulator
