#include "calloutemu/loader/callout_hooks.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace calloutemu::loader {

std::string_view to_string(Hook hook) {
  switch (hook) {
    case Hook::control:
      return "Control";
    case Hook::new_pkt:
      return "NewPkt";
    case Hook::pkt_drop:
      return "PktDrop";
    case Hook::pkt_send:
      return "PktSend";
    case Hook::address_del:
      return "AddressDel";
    case Hook::address_offer:
      return "AddressOffer";
    case Hook::handle_options:
      return "HandleOptions";
    case Hook::delete_client:
      return "DeleteClient";
  }
  return "unknown";
}

std::optional<Hook> parse_hook(std::string_view name) {
  for (std::size_t i = 0; i < kHookCount; ++i) {
    const auto hook = static_cast<Hook>(i);
    const auto known = to_string(hook);
    if (known.size() == name.size() &&
        std::equal(known.begin(), known.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return hook;
    }
  }
  return std::nullopt;
}

template <class Function, class... Args>
HookCall InProcessHooks::call(Function function, Args... args) {
  HookCall result;
  if (function == nullptr) {
    return result;
  }
  result.called = true;
  // The arguments travel by value in one struct, so the trap's closure is a
  // single pointer rather than one reference per argument.
  struct Pending {
    Function function;
    std::tuple<Args...> args;
    DWORD returned = 0;
  } pending{function, {args...}};
  const auto run = [&pending] { pending.returned = std::apply(pending.function, pending.args); };
  if (clock_ != nullptr) {
    const auto start = clock_->now();
    trap_.run_into(run, result.fault);
    result.duration = clock_->between(start, clock_->now());
  } else {
    trap_.run_into(run, result.fault);
  }
  result.returned = result.fault ? 0 : pending.returned;
  return result;
}

bool InProcessHooks::has(Hook hook) const {
  switch (hook) {
    case Hook::control:
      return table_.DhcpControlHook != nullptr;
    case Hook::new_pkt:
      return table_.DhcpNewPktHook != nullptr;
    case Hook::pkt_drop:
      return table_.DhcpPktDropHook != nullptr;
    case Hook::pkt_send:
      return table_.DhcpPktSendHook != nullptr;
    case Hook::address_del:
      return table_.DhcpAddressDelHook != nullptr;
    case Hook::address_offer:
      return table_.DhcpAddressOfferHook != nullptr;
    case Hook::handle_options:
      return table_.DhcpHandleOptionsHook != nullptr;
    case Hook::delete_client:
      return table_.DhcpDeleteClientHook != nullptr;
  }
  return false;
}

HookCall InProcessHooks::control(DWORD code) {
  return call(table_.DhcpControlHook, code, static_cast<LPVOID>(nullptr));
}

HookCall InProcessHooks::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved,
                                 void** context, BOOL* process_it) {
  return call(table_.DhcpNewPktHook, packet, size, ip_address, reserved, context, process_it);
}

HookCall InProcessHooks::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                  void* reserved, void* context) {
  return call(table_.DhcpPktDropHook, packet, size, code, ip_address, reserved, context);
}

HookCall InProcessHooks::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                  void* reserved, void* context) {
  return call(table_.DhcpPktSendHook, packet, size, code, ip_address, reserved, context);
}

HookCall InProcessHooks::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                     DWORD alt_address, void* reserved, void* context) {
  return call(table_.DhcpAddressDelHook, packet, size, code, ip_address, alt_address, reserved,
              context);
}

HookCall InProcessHooks::address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                       DWORD alt_address, DWORD address_type, DWORD lease_time,
                                       void* reserved, void* context) {
  return call(table_.DhcpAddressOfferHook, packet, size, code, ip_address, alt_address,
              address_type, lease_time, reserved, context);
}

HookCall InProcessHooks::handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                        DHCP_SERVER_OPTIONS* options) {
  return call(table_.DhcpHandleOptionsHook, packet, size, reserved, context, options);
}

HookCall InProcessHooks::delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                                       DWORD reserved, DWORD client_type) {
  return call(table_.DhcpDeleteClientHook, ip_address, hw_address, hw_address_length, reserved,
              client_type);
}

std::optional<Fault> InProcessHooks::guarded(void (*fn)(void*), void* context) {
  return trap_.run([&] { fn(context); });
}

}  // namespace calloutemu::loader
