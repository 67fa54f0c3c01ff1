#include "calloutemu/loader/checked_hooks.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "calloutemu/loader/chain_loader.h"

namespace calloutemu::loader {
namespace {

constexpr std::size_t kBufferSize = CheckedBuffers::kBufferSize;
constexpr BYTE kCanary = 0xDB;
constexpr std::uint8_t kPoison = 0xFD;
constexpr std::string_view kOptionsLabel = "DHCP_SERVER_OPTIONS";

template <class T>
void rebase(T*& pointer, const BYTE* from, BYTE* to) {
  const auto* bytes = reinterpret_cast<const BYTE*>(pointer);
  if (bytes != nullptr && bytes >= from && bytes < from + kBufferSize) {
    pointer = reinterpret_cast<T*>(to + (bytes - from));
  }
}

// Every pointer of DHCP_SERVER_OPTIONS that may point into the packet.
void rebase_options(DHCP_SERVER_OPTIONS& options, const BYTE* from, BYTE* to) {
  rebase(options.MessageType, from, to);
  rebase(options.SubnetMask, from, to);
  rebase(options.RequestedAddress, from, to);
  rebase(options.RequestLeaseTime, from, to);
  rebase(options.OverlayFields, from, to);
  rebase(options.RouterAddress, from, to);
  rebase(options.Server, from, to);
  rebase(options.ParameterRequestList, from, to);
  rebase(options.MachineName, from, to);
  rebase(options.ClientHardwareAddress, from, to);
  rebase(options.ClassIdentifier, from, to);
  rebase(options.VendorClass, from, to);
  rebase(options.DNSName, from, to);
  rebase(options.DSDomainName, from, to);
  rebase(options.ScopeId, from, to);
}

}  // namespace

// --- CheckedBuffers ----------------------------------------------------------

std::string CheckedBuffers::finding(Hook hook, const std::string& what) const {
  return std::string(to_string(hook)) + " " + what + " in " + dll_;
}

CheckedBuffers::Handed CheckedBuffers::hand_over(BYTE* server, DWORD size,
                                                 const char* buffer_name) {
  Handed handed{.server = server, .guarded = nullptr, .name = buffer_name, .size = size};
  if (server == nullptr) {
    return handed;
  }
  {
    const std::lock_guard lock(mutex_);
    auto [it, added] = buffers_.try_emplace(server, nullptr);
    if (added) {
      it->second = memory_.allocate(kBufferSize, std::string(buffer_name) + " buffer");
    }
    handed.guarded = it->second;
  }
  if (handed.guarded != nullptr) {
    const std::size_t length = std::min<std::size_t>(size, kBufferSize);
    std::memcpy(handed.guarded, server, length);
    std::memset(handed.guarded + length, kCanary, kBufferSize - length);
  }
  return handed;
}

void CheckedBuffers::check_tail(Hook hook, const Handed& handed, DWORD size,
                                std::vector<std::string>& findings) const {
  const std::size_t from = std::min<std::size_t>(size, kBufferSize);
  std::size_t last = kBufferSize;
  while (last > from && handed.guarded[last - 1] == kCanary) {
    --last;
  }
  if (last > from) {
    findings.push_back(finding(hook, "wrote past PacketSize (" + std::to_string(last - from) +
                                         (last - from == 1 ? " byte" : " bytes") +
                                         " after it) in the " + handed.name + " buffer"));
  }
}

void CheckedBuffers::take_back(Hook hook, const Handed& handed, DWORD size,
                               std::vector<std::string>& findings) {
  if (handed.guarded == nullptr) {
    return;
  }
  check_tail(hook, handed, std::max(size, handed.size), findings);
  std::memcpy(handed.server, handed.guarded, std::min<std::size_t>(size, kBufferSize));
}

bool CheckedBuffers::take_back(Hook hook, const Handed& handed, BYTE** packet, DWORD* size,
                               std::vector<std::string>& findings, const Guard& guard) {
  if (*packet == handed.packet()) {
    take_back(hook, handed, *size, findings);
    *packet = handed.server;
    return false;
  }
  take_back(hook, handed, handed.size, findings);
  // A pointer into the guarded buffer: the same bytes of the server's.
  if (handed.guarded != nullptr && *packet > handed.guarded &&
      *packet < handed.guarded + kBufferSize) {
    *packet = handed.server + (*packet - handed.guarded);
    return false;
  }
  std::string bad;
  if (*packet == nullptr) {
    bad = "set *Packet to NULL";
  } else if (*size == 0 || *size > kMaxPlausiblePacket) {
    bad = "replaced the packet with a buffer of " + std::to_string(*size) + " bytes";
  } else {
    const BYTE* bytes = *packet;
    const std::size_t length = *size;
    if (auto fault = guard([&] {
          volatile BYTE sink = 0;
          for (std::size_t i = 0; i < length; ++i) {
            sink = static_cast<BYTE>(sink ^ bytes[i]);
          }
        })) {
      bad = "replaced the packet with a buffer that faults when read (" + fault->description + ")";
    }
  }
  if (bad.empty()) {
    return true;
  }
  findings.push_back(finding(hook, bad + "; the server kept the previous buffer"));
  *packet = handed.server;
  *size = handed.size;
  return false;
}

DHCP_SERVER_OPTIONS* CheckedBuffers::hand_over_options(const DHCP_SERVER_OPTIONS& options,
                                                       const Handed& handed) {
  DHCP_SERVER_OPTIONS* copy = nullptr;
  {
    const std::lock_guard lock(mutex_);
    auto [it, added] = options_.try_emplace(&options, nullptr);
    if (added) {
      it->second = reinterpret_cast<DHCP_SERVER_OPTIONS*>(
          memory_.allocate(sizeof(DHCP_SERVER_OPTIONS), std::string(kOptionsLabel)));
    } else if (it->second != nullptr) {
      memory_.reopen(it->second);
    }
    copy = it->second;
  }
  if (copy != nullptr) {
    *copy = options;
    if (handed.guarded != nullptr) {
      rebase_options(*copy, handed.server, handed.guarded);
    }
  }
  return copy;
}

void CheckedBuffers::take_back_options(DHCP_SERVER_OPTIONS* copy, DHCP_SERVER_OPTIONS& options,
                                       const Handed& handed) {
  if (copy == nullptr) {
    return;
  }
  options = *copy;
  if (handed.guarded != nullptr) {
    rebase_options(options, handed.guarded, handed.server);
  }
  memory_.retire(copy, kPoison);
}

void CheckedBuffers::classify(Hook hook, const std::optional<Fault>& fault,
                              std::vector<std::string>& findings) const {
  if (!fault) {
    return;
  }
  const auto where = memory_.locate(fault->accessed);
  if (!where) {
    return;
  }
  std::string what;
  const bool buffer = where->label != kOptionsLabel && where->label != kChainDllsLabel;
  if (where->area == GuardedMemory::Area::past_end) {
    what = buffer ? "accessed byte " + std::to_string(where->offset) + " of the " +
                        std::to_string(kBufferSize) + "-byte " + where->label +
                        ", past its end (buffer overrun)"
                  : "accessed past the end of " + where->label;
  } else if (where->label == kChainDllsLabel) {
    what = "read ChainDlls after DhcpServerCalloutEntry returned";
  } else if (where->label == kOptionsLabel) {
    what = "used the DHCP_SERVER_OPTIONS of an earlier HandleOptions call after that call returned";
  } else {
    what = "used the " + where->label + " after its call returned";
  }
  findings.push_back(finding(hook, what));
}

// --- CheckedHooks ------------------------------------------------------------

CheckedBuffers::Handed CheckedHooks::hand_over(BYTE* packet, DWORD size, const char* buffer_name) {
  {
    const std::lock_guard lock(mutex_);
    if (replacements_.contains(packet)) {
      return CheckedBuffers::Handed{
          .server = packet, .guarded = nullptr, .name = buffer_name, .size = size};
    }
  }
  return checks_.hand_over(packet, size, buffer_name);
}

template <class Call>
HookCall CheckedHooks::by_reference(Hook hook, BYTE** packet, DWORD* size, const char* buffer_name,
                                    Call call) {
  const auto handed = hand_over(*packet, *size, buffer_name);
  *packet = handed.packet();
  HookCall result = call();
  checks_.classify(hook, result.fault, result.findings);
  const auto guard = [this](const std::function<void()>& f) { return inner_.guarded(f); };
  if (checks_.take_back(hook, handed, packet, size, result.findings, guard)) {
    const std::lock_guard lock(mutex_);
    replacements_.insert(*packet);
  }
  return result;
}

template <class Call>
HookCall CheckedHooks::by_value(Hook hook, BYTE* packet, DWORD size, Call call) {
  const auto handed = hand_over(packet, size, "receive");
  HookCall result = call(handed);
  checks_.classify(hook, result.fault, result.findings);
  checks_.take_back(hook, handed, size, result.findings);
  return result;
}

HookCall CheckedHooks::control(DWORD code) {
  auto call = inner_.control(code);
  checks_.classify(Hook::control, call.fault, call.findings);
  return call;
}

HookCall CheckedHooks::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved,
                               void** context, BOOL* process_it) {
  return by_reference(Hook::new_pkt, packet, size, "receive", [&] {
    return inner_.new_pkt(packet, size, ip_address, reserved, context, process_it);
  });
}

HookCall CheckedHooks::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                void* reserved, void* context) {
  return by_reference(Hook::pkt_drop, packet, size, "receive", [&] {
    return inner_.pkt_drop(packet, size, code, ip_address, reserved, context);
  });
}

HookCall CheckedHooks::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                void* reserved, void* context) {
  return by_reference(Hook::pkt_send, packet, size, "send", [&] {
    return inner_.pkt_send(packet, size, code, ip_address, reserved, context);
  });
}

HookCall CheckedHooks::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                   DWORD alt_address, void* reserved, void* context) {
  return by_value(Hook::address_del, packet, size, [&](const CheckedBuffers::Handed& handed) {
    return inner_.address_del(handed.packet(), size, code, ip_address, alt_address, reserved,
                              context);
  });
}

HookCall CheckedHooks::address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                     DWORD alt_address, DWORD address_type, DWORD lease_time,
                                     void* reserved, void* context) {
  return by_value(Hook::address_offer, packet, size, [&](const CheckedBuffers::Handed& handed) {
    return inner_.address_offer(handed.packet(), size, code, ip_address, alt_address, address_type,
                                lease_time, reserved, context);
  });
}

HookCall CheckedHooks::handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                      DHCP_SERVER_OPTIONS* options) {
  return by_value(Hook::handle_options, packet, size, [&](const CheckedBuffers::Handed& handed) {
    DHCP_SERVER_OPTIONS* copy =
        options != nullptr ? checks_.hand_over_options(*options, handed) : nullptr;
    auto call = inner_.handle_options(handed.packet(), size, reserved, context,
                                      copy != nullptr ? copy : options);
    if (copy != nullptr) {
      checks_.take_back_options(copy, *options, handed);
    }
    return call;
  });
}

HookCall CheckedHooks::delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                                     DWORD reserved, DWORD client_type) {
  auto call =
      inner_.delete_client(ip_address, hw_address, hw_address_length, reserved, client_type);
  checks_.classify(Hook::delete_client, call.fault, call.findings);
  return call;
}

}  // namespace calloutemu::loader
