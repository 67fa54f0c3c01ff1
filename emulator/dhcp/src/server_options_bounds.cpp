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

}  // namespace

std::vector<std::string_view> members_outside(const DHCP_SERVER_OPTIONS& options,
                                              std::span<const std::uint8_t> datagram) {
  struct Member {
    std::string_view name;
    const void* pointer;
    std::size_t length;
  };
  const Member members[] = {
      {"MessageType", options.MessageType, 1},
      {"SubnetMask", options.SubnetMask, 4},
      {"RequestedAddress", options.RequestedAddress, 4},
      {"RequestLeaseTime", options.RequestLeaseTime, 4},
      {"OverlayFields", options.OverlayFields, 1},
      {"RouterAddress", options.RouterAddress, 4},
      {"Server", options.Server, 4},
      {"ParameterRequestList", options.ParameterRequestList, options.ParameterRequestListLength},
      {"MachineName", options.MachineName, options.MachineNameLength},
      {"ClientHardwareAddress", options.ClientHardwareAddress, options.ClientHardwareAddressLength},
      {"ClassIdentifier", options.ClassIdentifier, options.ClassIdentifierLength},
      {"VendorClass", options.VendorClass, options.VendorClassLength},
      {"DNSName", options.DNSName, options.DNSNameLength},
      {"DSDomainName", options.DSDomainName, options.DSDomainNameLen},
  };
  std::vector<std::string_view> outside;
  for (const auto& member : members) {
    if (member.pointer != nullptr && !lies_inside(member.pointer, member.length, datagram)) {
      outside.push_back(member.name);
    }
  }
  return outside;
}

}  // namespace calloutemu::dhcp
