#include "reply_specs.h"

namespace calloutemu::server {

ReplySpecs::ReplySpecs(const std::vector<scopes::Scope>& scopes) {
  for (const auto& scope : scopes) {
    dhcp::ReplySpec spec;
    spec.subnet_mask = scope.subnet.mask();
    spec.routers = scope.routers;
    spec.dns_servers = scope.dns_servers;
    spec.domain_name = scope.domain_name;
    templates_.push_back(std::move(spec));
  }
}

dhcp::ReplySpec& ReplySpecs::reset(std::size_t scope, std::uint32_t server) {
  dhcp::ReplySpec& spec = templates_[scope];
  spec.message_type.reset();
  spec.ciaddr = 0;
  spec.yiaddr = 0;
  spec.siaddr = 0;
  spec.server_identifier = server;
  spec.lease_time.reset();
  spec.renewal_time.reset();
  spec.rebinding_time.reset();
  return spec;
}

const dhcp::ReplySpec& ReplySpecs::address(std::size_t scope, std::uint32_t server,
                                           dhcp::MessageType type, std::uint32_t address,
                                           std::uint32_t lease_time) {
  dhcp::ReplySpec& spec = reset(scope, server);
  spec.message_type = type;
  spec.yiaddr = address;
  spec.lease_time = lease_time;
  if (lease_time != scopes::kInfiniteLease) {
    spec.renewal_time = lease_time / 2;
    spec.rebinding_time = static_cast<std::uint32_t>(std::uint64_t{lease_time} * 7 / 8);
  }
  return spec;
}

const dhcp::ReplySpec& ReplySpecs::inform(std::size_t scope, std::uint32_t server,
                                          std::uint32_t ciaddr) {
  dhcp::ReplySpec& spec = reset(scope, server);
  spec.message_type = dhcp::MessageType::ack;
  spec.ciaddr = ciaddr;
  return spec;
}

const dhcp::ReplySpec& ReplySpecs::bootp(std::size_t scope, std::uint32_t server,
                                         std::uint32_t address) {
  dhcp::ReplySpec& spec = reset(scope, server);
  spec.server_identifier.reset();
  spec.yiaddr = address;
  spec.siaddr = server;
  return spec;
}

const dhcp::ReplySpec& ReplySpecs::bare(dhcp::MessageType type, std::uint32_t server_address,
                                        std::uint32_t ciaddr) {
  bare_.message_type = type;
  bare_.server_identifier = server_address;
  bare_.ciaddr = ciaddr;
  return bare_;
}

}  // namespace calloutemu::server
