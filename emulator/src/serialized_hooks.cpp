#include "serialized_hooks.h"

namespace calloutemu::emulator {

using loader::HookCall;

template <class Call>
HookCall SerializedHooks::in_turn(Call&& call) {
  {
    std::unique_lock guard(lock_);
    turn_free_.wait(guard, [this] { return !busy_ || refusing_; });
    if (refusing_) {
      return {};
    }
    busy_ = true;
  }
  auto result = call();
  {
    std::lock_guard guard(lock_);
    busy_ = false;
  }
  turn_free_.notify_one();
  return result;
}

bool SerializedHooks::has(loader::Hook hook) const {
  return hooks_.has(hook);  // the table does not change
}

void SerializedHooks::refuse_waiting_calls() {
  {
    std::lock_guard guard(lock_);
    refusing_ = true;
  }
  turn_free_.notify_all();
}

HookCall SerializedHooks::control(DWORD code) {
  return in_turn([&] { return hooks_.control(code); });
}

HookCall SerializedHooks::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved,
                                  void** context, BOOL* process_it) {
  return in_turn(
      [&] { return hooks_.new_pkt(packet, size, ip_address, reserved, context, process_it); });
}

HookCall SerializedHooks::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                   void* reserved, void* context) {
  return in_turn(
      [&] { return hooks_.pkt_drop(packet, size, code, ip_address, reserved, context); });
}

HookCall SerializedHooks::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                   void* reserved, void* context) {
  return in_turn(
      [&] { return hooks_.pkt_send(packet, size, code, ip_address, reserved, context); });
}

HookCall SerializedHooks::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                      DWORD alt_address, void* reserved, void* context) {
  return in_turn([&] {
    return hooks_.address_del(packet, size, code, ip_address, alt_address, reserved, context);
  });
}

HookCall SerializedHooks::address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                        DWORD alt_address, DWORD address_type, DWORD lease_time,
                                        void* reserved, void* context) {
  return in_turn([&] {
    return hooks_.address_offer(packet, size, code, ip_address, alt_address, address_type,
                                lease_time, reserved, context);
  });
}

HookCall SerializedHooks::handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                         DHCP_SERVER_OPTIONS* options) {
  return in_turn([&] { return hooks_.handle_options(packet, size, reserved, context, options); });
}

HookCall SerializedHooks::delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                                        DWORD reserved, DWORD client_type) {
  return in_turn([&] {
    return hooks_.delete_client(ip_address, hw_address, hw_address_length, reserved, client_type);
  });
}

std::optional<loader::Fault> SerializedHooks::guarded(void (*fn)(void*), void* context) {
  return hooks_.guarded(fn, context);  // the server's own reads, under the calling thread's trap
}

}  // namespace calloutemu::emulator
