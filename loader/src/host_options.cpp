#include "host_options.h"

#include <limits>

namespace calloutemu::loader::host {
namespace {

template <class Byte>
bool fits(std::uint32_t value) {
  return value <= std::numeric_limits<Byte>::max();
}

}  // namespace

OptionScalars option_scalars(const DHCP_SERVER_OPTIONS& options) {
  return {options.ParameterRequestListLength,
          options.MachineNameLength,
          options.ClientHardwareAddressType,
          options.ClientHardwareAddressLength,
          options.ClassIdentifierLength,
          options.VendorClassLength,
          options.DNSFlags,
          options.DNSNameLength,
          options.DSDomainNameRequested,
          options.DSDomainNameLen};
}

bool set_option_scalars(DHCP_SERVER_OPTIONS& options, const OptionScalars& values) {
  if (!fits<BYTE>(values[2]) || !fits<BYTE>(values[3]) || !fits<BOOLEAN>(values[8])) {
    return false;
  }
  options.ParameterRequestListLength = values[0];
  options.MachineNameLength = values[1];
  options.ClientHardwareAddressType = static_cast<BYTE>(values[2]);
  options.ClientHardwareAddressLength = static_cast<BYTE>(values[3]);
  options.ClassIdentifierLength = values[4];
  options.VendorClassLength = values[5];
  options.DNSFlags = values[6];
  options.DNSNameLength = values[7];
  options.DSDomainNameRequested = static_cast<BOOLEAN>(values[8]);
  options.DSDomainNameLen = values[9];
  return true;
}

void* option_pointer(const DHCP_SERVER_OPTIONS& options, std::size_t member) {
  switch (member) {
    case 0:
      return options.MessageType;
    case 1:
      return options.SubnetMask;
    case 2:
      return options.RequestedAddress;
    case 3:
      return options.RequestLeaseTime;
    case 4:
      return options.OverlayFields;
    case 5:
      return options.RouterAddress;
    case 6:
      return options.Server;
    case 7:
      return options.ParameterRequestList;
    case 8:
      return options.MachineName;
    case 9:
      return options.ClientHardwareAddress;
    case 10:
      return options.ClassIdentifier;
    case 11:
      return options.VendorClass;
    case 12:
      return options.DNSName;
    case 13:
      return options.DSDomainName;
    case 14:
      return options.ScopeId;
    default:
      return nullptr;
  }
}

void set_option_pointer(DHCP_SERVER_OPTIONS& options, std::size_t member, void* pointer) {
  auto* bytes = static_cast<BYTE*>(pointer);
  auto* text = static_cast<CHAR*>(pointer);
  auto* dword = static_cast<DWORD*>(pointer);
  switch (member) {
    case 0:
      options.MessageType = bytes;
      break;
    case 1:
      options.SubnetMask = dword;
      break;
    case 2:
      options.RequestedAddress = dword;
      break;
    case 3:
      options.RequestLeaseTime = dword;
      break;
    case 4:
      options.OverlayFields = bytes;
      break;
    case 5:
      options.RouterAddress = dword;
      break;
    case 6:
      options.Server = dword;
      break;
    case 7:
      options.ParameterRequestList = bytes;
      break;
    case 8:
      options.MachineName = text;
      break;
    case 9:
      options.ClientHardwareAddress = bytes;
      break;
    case 10:
      options.ClassIdentifier = text;
      break;
    case 11:
      options.VendorClass = bytes;
      break;
    case 12:
      options.DNSName = bytes;
      break;
    case 13:
      options.DSDomainName = text;
      break;
    case 14:
      options.ScopeId = dword;
      break;
    default:
      break;
  }
}

std::size_t option_value_length(const DHCP_SERVER_OPTIONS& options, std::size_t member) {
  switch (member) {
    case 0:
    case 4:
      return 1;
    case 7:
      return options.ParameterRequestListLength;
    case 8:
      return options.MachineNameLength;
    case 9:
      return options.ClientHardwareAddressLength;
    case 10:
      return options.ClassIdentifierLength;
    case 11:
      return options.VendorClassLength;
    case 12:
      return options.DNSNameLength;
    case 13:
      return options.DSDomainNameLen;
    default:
      return sizeof(DWORD);
  }
}

std::string_view option_pointer_name(std::size_t member) {
  constexpr std::array<std::string_view, kOptionPointers> kNames = {
      "MessageType",      "SubnetMask",
      "RequestedAddress", "RequestLeaseTime",
      "OverlayFields",    "RouterAddress",
      "Server",           "ParameterRequestList",
      "MachineName",      "ClientHardwareAddress",
      "ClassIdentifier",  "VendorClass",
      "DNSName",          "DSDomainName",
      "ScopeId"};
  return member < kNames.size() ? kNames[member] : "unknown";
}

}  // namespace calloutemu::loader::host
