#include "calloutemu/dhcp/server_options.h"

#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

// A writable pointer into the request buffer. The request buffer is the
// server's writable receive buffer (see the header); the SDK's members are
// non-const pointers into it.
std::uint8_t* writable(const MessageView& request, std::size_t offset) {
  return const_cast<std::uint8_t*>(request.bytes.data()) + offset;
}

// Where a member points: a value's first byte in the request buffer, or
// nothing.
struct Place {
  std::uint8_t* data = nullptr;
  std::size_t length = 0;
};

// An option's value from `skip` on; nothing when that is empty.
Place value_of(const MessageView& request, const OptionRef& entry, std::size_t skip = 0) {
  if (entry.length <= skip) {
    return {};
  }
  return {writable(request, entry.data_offset + skip), entry.length - skip};
}

DWORD dword_length(const Place& place) {
  return static_cast<DWORD>(place.length);
}

// The pointer is unaligned, as the SDK's UNALIGNED members allow; this
// library reads it back byte by byte only.
DWORD* dword(const Place& place) {
  return place.length == 4 ? reinterpret_cast<DWORD*>(place.data) : nullptr;
}

// Sets every member that `entry` fills, to what it holds (to nothing when it
// is too short). Options are placed last to first, so the first occurrence
// of each is the one that stays. Only stores: an earlier version wrote the
// first occurrence of each option into a small table and read it back at once,
// and perf put half of this function's time on those reads.
void place_option(const MessageView& request, const OptionRef& entry, DHCP_SERVER_OPTIONS& options,
                  const OptionRef*& vendor_specific) {
  const Place value = value_of(request, entry);
  switch (entry.code) {
    case option::message_type:
      options.MessageType = value.data;
      break;
    case option::subnet_mask:
      options.SubnetMask = dword(value);
      break;
    case option::requested_address:
      options.RequestedAddress = dword(value);
      break;
    case option::lease_time:
      options.RequestLeaseTime = dword(value);
      break;
    case option::overload:
      options.OverlayFields = value.data;
      break;
    case option::router:
      options.RouterAddress = dword(value);
      break;
    case option::server_identifier:
      options.Server = dword(value);
      break;
    case option::parameter_request_list:
      options.ParameterRequestList = value.data;
      options.ParameterRequestListLength = dword_length(value);
      break;
    case option::host_name:
      options.MachineName = reinterpret_cast<CHAR*>(value.data);
      options.MachineNameLength = dword_length(value);
      break;
    case option::client_identifier: {
      // A type byte, then the identifier (RFC 2132 §9.14).
      const Place address = value_of(request, entry, 1);
      options.ClientHardwareAddressType = value.data == nullptr ? 0 : value.data[0];
      options.ClientHardwareAddress = address.data;
      options.ClientHardwareAddressLength = static_cast<BYTE>(address.length);
      break;
    }
    case option::user_class:
      options.ClassIdentifier = reinterpret_cast<CHAR*>(value.data);
      options.ClassIdentifierLength = dword_length(value);
      break;
    case option::vendor_class:
      options.VendorClass = value.data;
      options.VendorClassLength = dword_length(value);
      break;
    case option::client_fqdn: {
      // Flags, two RCODE bytes, then the name (RFC 4702 §2).
      const Place name = value_of(request, entry, 3);
      options.DNSFlags = value.data == nullptr ? kNoDnsFlags : value.data[0];
      options.DNSName = name.data;
      options.DNSNameLength = dword_length(name);
      break;
    }
    case option::vendor_specific:
      vendor_specific = &entry;
      break;
    default:
      break;
  }
}

struct MicrosoftSuboptions {
  bool domain_name_requested = false;
  Place domain_name;
};

MicrosoftSuboptions read_microsoft_suboptions(const MessageView& request, const OptionRef& vendor) {
  MicrosoftSuboptions found;
  const auto bytes = request.bytes;
  bool name_seen = false;
  std::size_t at = vendor.data_offset;
  const std::size_t end = at + vendor.length;
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
        found.domain_name = {writable(request, at + 2), length};
      }
    }
    at += 2 + length;
  }
  return found;
}

}  // namespace

void fill_server_options(const MessageView& request, DHCP_SERVER_OPTIONS& options) {
  options = DHCP_SERVER_OPTIONS{};
  options.DNSFlags = kNoDnsFlags;
  const OptionRef* vendor_specific = nullptr;
  for (auto entry = request.options.rbegin(); entry != request.options.rend(); ++entry) {
    place_option(request, *entry, options, vendor_specific);
  }
  if (vendor_specific != nullptr) {
    const MicrosoftSuboptions microsoft = read_microsoft_suboptions(request, *vendor_specific);
    options.DSDomainNameRequested = microsoft.domain_name_requested ? TRUE : FALSE;
    options.DSDomainName = reinterpret_cast<CHAR*>(microsoft.domain_name.data);
    options.DSDomainNameLen = dword_length(microsoft.domain_name);
  }
  options.ScopeId = nullptr;
}

}  // namespace calloutemu::dhcp
