// DHCP_SERVER_OPTIONS member by member, as the host protocol sends it: the
// scalar members as u32 values, the pointer members each with the length of
// the value it points at (spec §1; dhcpssdk.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calloutemu/dhcpssdk.h"

namespace calloutemu::loader::host {

// ParameterRequestListLength, MachineNameLength, ClientHardwareAddressType,
// ClientHardwareAddressLength, ClassIdentifierLength, VendorClassLength,
// DNSFlags, DNSNameLength, DSDomainNameRequested, DSDomainNameLen.
inline constexpr std::size_t kOptionScalars = 10;
// MessageType, SubnetMask, RequestedAddress, RequestLeaseTime, OverlayFields,
// RouterAddress, Server, ParameterRequestList, MachineName,
// ClientHardwareAddress, ClassIdentifier, VendorClass, DNSName, DSDomainName,
// ScopeId.
inline constexpr std::size_t kOptionPointers = 15;

using OptionScalars = std::array<std::uint32_t, kOptionScalars>;

OptionScalars option_scalars(const DHCP_SERVER_OPTIONS& options);
// False (and `options` unchanged) when a value does not fit its member
// (ClientHardwareAddressType and -Length, DSDomainNameRequested are bytes).
bool set_option_scalars(DHCP_SERVER_OPTIONS& options, const OptionScalars& values);

void* option_pointer(const DHCP_SERVER_OPTIONS& options, std::size_t member);
void set_option_pointer(DHCP_SERVER_OPTIONS& options, std::size_t member, void* pointer);
// The length of the value member `member` points at, by the SDK: 1 for
// MessageType and OverlayFields, 4 for the DWORD pointers, else its length
// member.
std::size_t option_value_length(const DHCP_SERVER_OPTIONS& options, std::size_t member);
std::string_view option_pointer_name(std::size_t member);

}  // namespace calloutemu::loader::host
