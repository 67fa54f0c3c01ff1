#include "recording_hooks.h"

#include "calloutemu/loader/hook_table.h"

namespace calloutemu::server::testing {
namespace {

// A copy is taken only of plausible buffers: a test may hand the server a
// NULL or a huge size on purpose.
constexpr DWORD kMaxCopied = 64 * 1024;

}  // namespace

std::string RecordedCall::name() const {
  std::string text(loader::to_string(hook));
  switch (hook) {
    case loader::Hook::control:
      return text + "(" + std::string(loader::control_code_name(code)) + ")";
    case loader::Hook::pkt_drop:
      return text + "(" + std::string(loader::drop_code_name(code)) + ")";
    case loader::Hook::pkt_send:
    case loader::Hook::address_del:
    case loader::Hook::address_offer:
      return text + "(" + std::string(loader::address_code_name(code)) + ")";
    case loader::Hook::new_pkt:
    case loader::Hook::handle_options:
    case loader::Hook::delete_client:
      break;
  }
  return text;
}

std::vector<std::string> names(const std::vector<RecordedCall>& calls) {
  std::vector<std::string> out;
  out.reserve(calls.size());
  for (const auto& call : calls) {
    out.push_back(call.name());
  }
  return out;
}

std::vector<RecordedCall> RecordingHooks::calls_since(std::size_t mark) const {
  return {calls_.begin() + static_cast<std::ptrdiff_t>(mark), calls_.end()};
}

RecordedCall& RecordingHooks::record(loader::Hook hook, DWORD code, const BYTE* packet,
                                     DWORD size) {
  RecordedCall& call = calls_.emplace_back();
  call.hook = hook;
  call.code = code;
  call.packet = packet;
  call.size = size;
  if (packet != nullptr && size <= kMaxCopied) {
    call.bytes.assign(packet, packet + size);
  }
  call.packet_number = packets_;
  return call;
}

loader::HookCall RecordingHooks::result(loader::Hook hook) const {
  loader::HookCall call;
  call.called = true;
  if (faulting.contains(hook)) {
    call.fault = loader::Fault{"injected by the test", 0, 0};
  }
  return call;
}

loader::HookCall RecordingHooks::control(DWORD code) {
  record(loader::Hook::control, code, nullptr, 0);
  return result(loader::Hook::control);
}

loader::HookCall RecordingHooks::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address,
                                         void* reserved, void** context, BOOL* process_it) {
  ++packets_;
  RecordedCall& call = record(loader::Hook::new_pkt, 0, *packet, *size);
  call.ip_address = ip_address;
  call.reserved = reserved;
  call.context = *context;
  call.process_it = *process_it;
  if (on_new_pkt) {
    on_new_pkt(packets_, packet, size, context, process_it);
  }
  return result(loader::Hook::new_pkt);
}

loader::HookCall RecordingHooks::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                          void* reserved, void* context) {
  RecordedCall& call = record(loader::Hook::pkt_drop, code, *packet, *size);
  call.ip_address = ip_address;
  call.reserved = reserved;
  call.context = context;
  if (on_pkt_drop) {
    on_pkt_drop(packets_, packet, size, code);
  }
  return result(loader::Hook::pkt_drop);
}

loader::HookCall RecordingHooks::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                          void* reserved, void* context) {
  RecordedCall& call = record(loader::Hook::pkt_send, code, *packet, *size);
  call.ip_address = ip_address;
  call.reserved = reserved;
  call.context = context;
  if (on_pkt_send) {
    on_pkt_send(packets_, packet, size);
  }
  return result(loader::Hook::pkt_send);
}

loader::HookCall RecordingHooks::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                             DWORD alt_address, void* reserved, void* context) {
  RecordedCall& call = record(loader::Hook::address_del, code, packet, size);
  call.ip_address = ip_address;
  call.alt_address = alt_address;
  call.reserved = reserved;
  call.context = context;
  if (on_address_del) {
    on_address_del(packets_, packet, size, code);
  }
  return result(loader::Hook::address_del);
}

loader::HookCall RecordingHooks::address_offer(BYTE* packet, DWORD size, DWORD code,
                                               DWORD ip_address, DWORD alt_address,
                                               DWORD address_type, DWORD lease_time, void* reserved,
                                               void* context) {
  RecordedCall& call = record(loader::Hook::address_offer, code, packet, size);
  call.ip_address = ip_address;
  call.alt_address = alt_address;
  call.address_type = address_type;
  call.lease_time = lease_time;
  call.reserved = reserved;
  call.context = context;
  if (on_address_offer) {
    on_address_offer(packets_, packet, size, code);
  }
  return result(loader::Hook::address_offer);
}

loader::HookCall RecordingHooks::handle_options(BYTE* packet, DWORD size, void* reserved,
                                                void* context, DHCP_SERVER_OPTIONS* options) {
  RecordedCall& call = record(loader::Hook::handle_options, 0, packet, size);
  call.reserved = reserved;
  call.context = context;
  if (options != nullptr) {
    call.options = *options;
  }
  if (on_handle_options) {
    on_handle_options(packets_, packet, size, options);
  }
  return result(loader::Hook::handle_options);
}

loader::HookCall RecordingHooks::delete_client(DWORD ip_address, BYTE* hw_address,
                                               ULONG hw_address_length, DWORD reserved,
                                               DWORD client_type) {
  RecordedCall& call = record(loader::Hook::delete_client, 0, hw_address, hw_address_length);
  call.ip_address = ip_address;
  call.delete_reserved = reserved;
  call.client_type = client_type;
  return result(loader::Hook::delete_client);
}

std::optional<loader::Fault> RecordingHooks::guarded(void (*fn)(void*), void* context) {
  if (guarded_faults) {
    return loader::Fault{"SIGSEGV (injected by the test)", 11, 0x10};
  }
  fn(context);
  return std::nullopt;
}

}  // namespace calloutemu::server::testing
