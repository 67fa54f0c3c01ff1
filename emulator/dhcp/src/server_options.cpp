#include "calloutemu/dhcp/server_options.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

// Where a member points: a value's first byte in the request buffer, or
// nothing.
struct Place {
  std::uint8_t* data = nullptr;
  std::size_t length = 0;
};

// The options DHCP_SERVER_OPTIONS has members for, and where each is kept.
constexpr std::array kPlacedCodes = {option::message_type,      option::subnet_mask,
                                     option::requested_address, option::lease_time,
                                     option::overload,          option::router,
                                     option::server_identifier, option::parameter_request_list,
                                     option::host_name,         option::client_identifier,
                                     option::user_class,        option::vendor_class,
                                     option::client_fqdn,       option::vendor_specific};
constexpr std::uint8_t kNotPlaced = 0xFF;
constexpr std::array<std::uint8_t, 256> kPlaceOf = [] {
  std::array<std::uint8_t, 256> place{};
  place.fill(kNotPlaced);
  for (std::size_t i = 0; i < kPlacedCodes.size(); ++i) {
    place[kPlacedCodes[i]] = static_cast<std::uint8_t>(i);
  }
  return place;
}();

class Placer {
 public:
  // One pass over the options finds each placed code's first occurrence.
  explicit Placer(const MessageView& request) : request_(request) {
    first_.fill(kNotFound);
    const std::size_t count = std::min<std::size_t>(request.options.size(), kNotFound);
    for (std::size_t index = 0; index < count; ++index) {
      const std::uint8_t place = kPlaceOf[request.options[index].code];
      if (place != kNotPlaced && first_[place] == kNotFound) {
        first_[place] = static_cast<std::uint16_t>(index);
      }
    }
  }

  std::uint8_t* at(std::size_t offset) const {
    // The request buffer is the server's writable receive buffer (see the
    // header); the SDK's members are non-const pointers into it.
    return const_cast<std::uint8_t*>(request_.bytes.data()) + offset;
  }

  // The first occurrence of a placed code, if any.
  const OptionRef* find(std::uint8_t code) const {
    const std::uint8_t place = kPlaceOf[code];
    assert(place != kNotPlaced);
    return first_[place] == kNotFound ? nullptr : &request_.options[first_[place]];
  }

  // The first occurrence's data from `skip` on; nothing when that is empty.
  Place option(std::uint8_t code, std::size_t skip = 0) const {
    const OptionRef* found = find(code);
    if (found == nullptr || found->length <= skip) {
      return {};
    }
    return {at(found->data_offset + skip), found->length - skip};
  }

  // The pointer is unaligned, as the SDK's UNALIGNED members allow; this
  // library reads it back byte by byte only.
  DWORD* dword(std::uint8_t code) const {
    const Place place = option(code);
    return place.length == 4 ? reinterpret_cast<DWORD*>(place.data) : nullptr;
  }

 private:
  // Indices into request_.options.
  static constexpr std::uint16_t kNotFound = 0xFFFF;
  const MessageView& request_;
  std::array<std::uint16_t, kPlacedCodes.size()> first_;
};

struct MicrosoftSuboptions {
  bool domain_name_requested = false;
  Place domain_name;
};

MicrosoftSuboptions read_microsoft_suboptions(const MessageView& request, const Placer& placer) {
  MicrosoftSuboptions found;
  const OptionRef* vendor = placer.find(option::vendor_specific);
  if (vendor == nullptr) {
    return found;
  }
  const auto bytes = request.bytes;
  bool name_seen = false;
  std::size_t at = vendor->data_offset;
  const std::size_t end = at + vendor->length;
  while (at < end) {
    const std::uint8_t code = bytes[at];
    if (code == option::pad) {
      ++at;
      continue;
    }
    const std::size_t room = end - at;
    if (code == option::end || room < 2 || bytes[at + 1] > room - 2) {
      break;
    }
    const std::size_t length = bytes[at + 1];
    if (code == microsoft_suboption::ds_domain_name_requested) {
      found.domain_name_requested = true;
    } else if (code == microsoft_suboption::ds_domain_name && !name_seen) {
      name_seen = true;
      if (length > 0) {
        found.domain_name = {placer.at(at + 2), length};
      }
    }
    at += 2 + length;
  }
  return found;
}

DWORD dword_length(const Place& place) {
  return static_cast<DWORD>(place.length);
}

}  // namespace

void fill_server_options(const MessageView& request, DHCP_SERVER_OPTIONS& options) {
  options = DHCP_SERVER_OPTIONS{};
  const Placer placer(request);

  options.MessageType = placer.option(option::message_type).data;
  options.SubnetMask = placer.dword(option::subnet_mask);
  options.RequestedAddress = placer.dword(option::requested_address);
  options.RequestLeaseTime = placer.dword(option::lease_time);
  options.OverlayFields = placer.option(option::overload).data;
  options.RouterAddress = placer.dword(option::router);
  options.Server = placer.dword(option::server_identifier);

  const Place parameters = placer.option(option::parameter_request_list);
  options.ParameterRequestList = parameters.data;
  options.ParameterRequestListLength = dword_length(parameters);

  const Place machine_name = placer.option(option::host_name);
  options.MachineName = reinterpret_cast<CHAR*>(machine_name.data);
  options.MachineNameLength = dword_length(machine_name);

  // 61 is a type byte, then the identifier (RFC 2132 §9.14).
  const Place client_id = placer.option(option::client_identifier);
  if (client_id.data != nullptr) {
    options.ClientHardwareAddressType = client_id.data[0];
    const Place address = placer.option(option::client_identifier, 1);
    options.ClientHardwareAddress = address.data;
    options.ClientHardwareAddressLength = static_cast<BYTE>(address.length);
  }

  const Place class_id = placer.option(option::user_class);
  options.ClassIdentifier = reinterpret_cast<CHAR*>(class_id.data);
  options.ClassIdentifierLength = dword_length(class_id);

  const Place vendor_class = placer.option(option::vendor_class);
  options.VendorClass = vendor_class.data;
  options.VendorClassLength = dword_length(vendor_class);

  // 81 is flags, two RCODE bytes, then the name (RFC 4702 §2).
  options.DNSFlags = kNoDnsFlags;
  const Place fqdn = placer.option(option::client_fqdn);
  if (fqdn.data != nullptr) {
    options.DNSFlags = fqdn.data[0];
    const Place name = placer.option(option::client_fqdn, 3);
    options.DNSName = name.data;
    options.DNSNameLength = dword_length(name);
  }

  const MicrosoftSuboptions microsoft = read_microsoft_suboptions(request, placer);
  options.DSDomainNameRequested = microsoft.domain_name_requested ? TRUE : FALSE;
  options.DSDomainName = reinterpret_cast<CHAR*>(microsoft.domain_name.data);
  options.DSDomainNameLen = dword_length(microsoft.domain_name);

  options.ScopeId = nullptr;
}

}  // namespace calloutemu::dhcp
