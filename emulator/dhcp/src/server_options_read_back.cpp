#include <cstdint>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/server_options.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

// Reads what members point at, by the rules in the header.
class MemberReader {
 public:
  // Reaching outside `datagram`: read as the server would, or (kInsideOnly)
  // not read at all, only noted in met_outside().
  enum Reach : bool { kAnywhere, kInsideOnly };

  MemberReader(std::span<const std::uint8_t> datagram, std::vector<std::string_view>& unreadable,
               Reach reach)
      : datagram_(datagram), unreadable_(unreadable), reach_(reach) {}

  bool met_outside() const { return met_outside_; }

  std::optional<std::span<const std::uint8_t>> bytes(const void* pointer, std::size_t length,
                                                     std::string_view member) {
    if (pointer == nullptr) {
      return std::nullopt;
    }
    // Addresses are compared as integers: the pointer may be into any object.
    const auto address = reinterpret_cast<std::uintptr_t>(pointer);
    const auto begin = reinterpret_cast<std::uintptr_t>(datagram_.data());
    const std::uintptr_t end = begin + datagram_.size();
    const bool inside = address >= begin && address < end;
    if (!inside && reach_ == kInsideOnly) {
      met_outside_ = true;
      return std::nullopt;
    }
    if (length > (inside ? end - address : kMaxReadBackLength)) {
      unreadable_.push_back(member);
      return std::nullopt;
    }
    return std::span(static_cast<const std::uint8_t*>(pointer), length);
  }

  std::optional<std::uint8_t> byte(const void* pointer, std::string_view member) {
    const auto value = bytes(pointer, 1, member);
    return value ? std::optional((*value)[0]) : std::nullopt;
  }

  std::optional<std::uint32_t> dword(const void* pointer, std::string_view member) {
    const auto value = bytes(pointer, 4, member);
    return value ? std::optional(load_be32(value->data())) : std::nullopt;
  }

  // Copies into `target`, reusing the storage it already has.
  template <class Container>
  void copy(std::optional<Container>& target, const void* pointer, std::size_t length,
            std::string_view member) {
    const auto value = bytes(pointer, length, member);
    if (!value) {
      target.reset();
      return;
    }
    if (!target) {
      target.emplace();
    }
    target->assign(value->begin(), value->end());
  }

 private:
  std::span<const std::uint8_t> datagram_;
  std::vector<std::string_view>& unreadable_;
  Reach reach_;
  bool met_outside_ = false;
};

// An untouched MessageType is judged as the request's option 53 is; one the
// callout changed is judged by the byte it now points at.
void read_message_type(const DHCP_SERVER_OPTIONS& options, const MessageView& request,
                       MemberReader& reader, ServerOptionsReadBack& out) {
  const auto type_option = request.find_option(option::message_type);
  const bool present = type_option && type_option->length > 0;
  const std::uint8_t* const as_filled =
      present ? request.bytes.data() + type_option->data_offset : nullptr;
  if (type_option && type_option->length != 1 && options.MessageType == as_filled) {
    out.malformed_message_type = true;
    return;
  }
  if (options.MessageType == nullptr) {
    return;  // BOOTP
  }
  const auto value = reader.byte(options.MessageType, "MessageType");
  if (value) {
    out.message_type = static_cast<MessageType>(*value);
  } else {
    out.malformed_message_type = true;
  }
}

void read_members(const DHCP_SERVER_OPTIONS& options, const MessageView& request,
                  MemberReader& read, ServerOptionsReadBack& out) {
  out.message_type.reset();
  out.malformed_message_type = false;
  out.unreadable.clear();
  read_message_type(options, request, read, out);
  out.subnet_mask = read.dword(options.SubnetMask, "SubnetMask");
  out.requested_address = read.dword(options.RequestedAddress, "RequestedAddress");
  out.lease_time = read.dword(options.RequestLeaseTime, "RequestLeaseTime");
  out.overlay_fields = read.byte(options.OverlayFields, "OverlayFields");
  out.router_address = read.dword(options.RouterAddress, "RouterAddress");
  out.server_identifier = read.dword(options.Server, "Server");
  read.copy(out.parameter_request_list, options.ParameterRequestList,
            options.ParameterRequestListLength, "ParameterRequestList");
  read.copy(out.machine_name, options.MachineName, options.MachineNameLength, "MachineName");
  out.client_hardware_address_type = options.ClientHardwareAddressType;
  read.copy(out.client_hardware_address, options.ClientHardwareAddress,
            options.ClientHardwareAddressLength, "ClientHardwareAddress");
  read.copy(out.class_identifier, options.ClassIdentifier, options.ClassIdentifierLength,
            "ClassIdentifier");
  read.copy(out.vendor_class, options.VendorClass, options.VendorClassLength, "VendorClass");
  out.dns_flags = options.DNSFlags;
  read.copy(out.dns_name, options.DNSName, options.DNSNameLength, "DNSName");
  out.ds_domain_name_requested = options.DSDomainNameRequested != FALSE;
  read.copy(out.ds_domain_name, options.DSDomainName, options.DSDomainNameLen, "DSDomainName");
  out.scope_id = read.dword(options.ScopeId, "ScopeId");
}

}  // namespace

void read_back_server_options(const DHCP_SERVER_OPTIONS& options, const MessageView& request,
                              ServerOptionsReadBack& out) {
  MemberReader read(request.bytes, out.unreadable, MemberReader::kAnywhere);
  read_members(options, request, read, out);
}

bool read_back_server_options_inside(const DHCP_SERVER_OPTIONS& options, const MessageView& request,
                                     ServerOptionsReadBack& out) {
  MemberReader read(request.bytes, out.unreadable, MemberReader::kInsideOnly);
  read_members(options, request, read, out);
  return !read.met_outside();
}

ServerOptionsReadBack read_back_server_options(const DHCP_SERVER_OPTIONS& options,
                                               const MessageView& request) {
  ServerOptionsReadBack out;
  read_back_server_options(options, request, out);
  return out;
}

}  // namespace calloutemu::dhcp
