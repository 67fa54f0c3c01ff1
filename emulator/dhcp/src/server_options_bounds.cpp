#include <cstdint>

#include "calloutemu/dhcp/server_options.h"

namespace calloutemu::dhcp {
namespace {

bool lies_inside(const void* pointer, std::size_t length, std::span<const std::uint8_t> datagram) {
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  const auto base = reinterpret_cast<std::uintptr_t>(datagram.data());
  return address >= base && address - base <= datagram.size() &&
         length <= datagram.size() - (address - base);
}

// Every pointer member but ScopeId, with the length of the value it points at.
template <class Visit>
void for_each_member(const DHCP_SERVER_OPTIONS& options, Visit&& visit) {
  visit("MessageType", options.MessageType, 1);
  visit("SubnetMask", options.SubnetMask, 4);
  visit("RequestedAddress", options.RequestedAddress, 4);
  visit("RequestLeaseTime", options.RequestLeaseTime, 4);
  visit("OverlayFields", options.OverlayFields, 1);
  visit("RouterAddress", options.RouterAddress, 4);
  visit("Server", options.Server, 4);
  visit("ParameterRequestList", options.ParameterRequestList, options.ParameterRequestListLength);
  visit("MachineName", options.MachineName, options.MachineNameLength);
  visit("ClientHardwareAddress", options.ClientHardwareAddress,
        options.ClientHardwareAddressLength);
  visit("ClassIdentifier", options.ClassIdentifier, options.ClassIdentifierLength);
  visit("VendorClass", options.VendorClass, options.VendorClassLength);
  visit("DNSName", options.DNSName, options.DNSNameLength);
  visit("DSDomainName", options.DSDomainName, options.DSDomainNameLen);
}

}  // namespace

std::vector<std::string_view> members_outside(const DHCP_SERVER_OPTIONS& options,
                                              std::span<const std::uint8_t> datagram) {
  std::vector<std::string_view> outside;
  for_each_member(options, [&](std::string_view name, const void* pointer, std::size_t length) {
    if (pointer != nullptr && !lies_inside(pointer, length, datagram)) {
      outside.push_back(name);
    }
  });
  return outside;
}

}  // namespace calloutemu::dhcp
