#include "calloutemu/trace/trace_record.h"

#include <array>

#include "calloutemu/loader/hook_table.h"

namespace calloutemu::trace {

std::string_view to_string(RecordType type) {
  switch (type) {
    case RecordType::header:
      return "header";
    case RecordType::load:
      return "load";
    case RecordType::hook:
      return "hook";
    case RecordType::finding:
      return "finding";
  }
  return "unknown";
}

std::string_view code_name(loader::Hook hook, DWORD code) {
  switch (hook) {
    case loader::Hook::control:
      return loader::control_code_name(code);
    case loader::Hook::pkt_drop:
      return loader::drop_code_name(code);
    case loader::Hook::pkt_send:
    case loader::Hook::address_del:
    case loader::Hook::address_offer:
      return loader::address_code_name(code);
    default:
      return {};
  }
}

std::string_view client_type_name(DWORD type) {
  switch (type) {
    case DHCP_CLIENT_BOOTP:
      return "BOOTP";
    case DHCP_CLIENT_DHCP:
      return "DHCP";
    default:
      return "unknown";
  }
}

bool has_code(loader::Hook hook) {
  return !code_name(hook, 0).empty();
}

bool has_packet(loader::Hook hook) {
  return hook != loader::Hook::control && hook != loader::Hook::delete_client;
}

std::optional<loader::Hook> hook_from_name(std::string_view name) {
  for (std::size_t index = 0; index < loader::kHookCount; ++index) {
    const auto hook = static_cast<loader::Hook>(index);
    if (loader::to_string(hook) == name) {
      return hook;
    }
  }
  return std::nullopt;
}

std::uint64_t fnv1a64(std::span<const std::uint8_t> bytes) {
  std::uint64_t hash = 0xcbf29ce484222325u;
  for (const std::uint8_t byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3u;
  }
  return hash;
}

PacketDigest digest(std::span<const std::uint8_t> bytes) {
  return PacketDigest{bytes.size(), fnv1a64(bytes)};
}

}  // namespace calloutemu::trace
