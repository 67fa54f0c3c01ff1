// The replies the model server builds. Each scope's options (mask, routers,
// DNS servers, domain) are put into a template once; a reply then only sets
// its own fields, so building one allocates nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "calloutemu/dhcp/message_builder.h"
#include "calloutemu/scopes/scope.h"

namespace calloutemu::server {

class ReplySpecs {
 public:
  explicit ReplySpecs(const std::vector<scopes::Scope>& scopes);

  // `server` is the address of the interface the request arrived on: option
  // 54 (siaddr for BOOTP). For a relayed request it is not in the scope.

  // OFFER or ACK of an address: lease time with T1 (1/2) and T2 (7/8), none
  // for an infinite lease; the scope's options.
  const dhcp::ReplySpec& address(std::size_t scope, std::uint32_t server, dhcp::MessageType type,
                                 std::uint32_t address, std::uint32_t lease_time);
  // The ACK to an INFORM: the scope's options, no address, no lease time.
  const dhcp::ReplySpec& inform(std::size_t scope, std::uint32_t server, std::uint32_t ciaddr);
  // A BOOTP reply (no option 53): the address, the server in siaddr, the
  // scope's options.
  const dhcp::ReplySpec& bootp(std::size_t scope, std::uint32_t server, std::uint32_t address);
  // A NAK, or an ACK to an INFORM with no scope: option 54 only.
  const dhcp::ReplySpec& bare(dhcp::MessageType type, std::uint32_t server_address,
                              std::uint32_t ciaddr = 0);

 private:
  dhcp::ReplySpec& reset(std::size_t scope, std::uint32_t server);

  std::vector<dhcp::ReplySpec> templates_;
  dhcp::ReplySpec bare_;
};

}  // namespace calloutemu::server
