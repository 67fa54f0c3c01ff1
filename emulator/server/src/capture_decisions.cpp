// Decisions taken from the captured server's replies (--decisions capture,
// and auto for requests the capture holds a reply to).
#include "calloutemu/scopes/scope.h"
#include "server_core.h"

namespace calloutemu::server {

using dhcp::MessageType;

void ServerCore::decide_by_capture(Packet& packet, const dhcp::MessageView& view,
                                   const ReadOptions& options, const CapturedReply* reply) {
  const auto& values = options.values;
  const auto now = packet.request->origin.time;
  const bool usable = reply != nullptr && answers(*reply, values.message_type, values.is_bootp());
  auto lease_end = [&](std::optional<std::uint32_t> seconds) {
    if (!seconds || *seconds == scopes::kInfiniteLease) {
      return std::chrono::nanoseconds::max();
    }
    return now + std::chrono::seconds(*seconds);
  };

  if (values.is_bootp()) {
    if (!usable) {
      no_address(packet);
      return;
    }
    const std::uint32_t lease = reply->lease_time.value_or(scopes::kInfiniteLease);
    // The lease first: the model is another request's once AddressOffer is called.
    captured_.bind(options.client_id, {reply->yiaddr, lease_end(lease), true});
    address_offer(packet, DHCP_GIVE_ADDRESS_OLD, DHCP_CLIENT_BOOTP, reply->yiaddr, lease);
    send_captured(packet, *reply);
    return;
  }
  switch (*values.message_type) {
    case MessageType::discover:
      if (!usable) {
        no_address(packet);
        return;
      }
      send_captured(packet, *reply);
      return;
    case MessageType::inform:
      if (usable) {
        send_captured(packet, *reply);
        return;
      }
      // An INFORM asks for no address, so there is nothing to decide: the
      // server answers it whether or not the capture shows the answer.
      if (const auto scope = decision_scope(view, packet)) {
        build_and_send(packet, view,
                       replies_.inform(*scope, packet.interface_address, view.ciaddr));
      } else {
        build_and_send(packet, view,
                       replies_.bare(MessageType::ack, packet.interface_address, view.ciaddr));
      }
      return;
    case MessageType::request: {
      if (!usable) {
        const bool other_server = values.server_identifier && !own_servers_.empty() &&
                                  !is_own_server(*values.server_identifier);
        if (other_server) {
          wrong_server(packet);
        } else {
          no_address(packet);
        }
        return;
      }
      if (reply->message_type == MessageType::nak) {
        address_del(packet, DHCP_PROB_NACKED, values.requested_address.value_or(view.ciaddr));
        send_captured(packet, *reply);
        return;
      }
      const std::uint32_t lease = reply->lease_time.value_or(scopes::kInfiniteLease);
      const auto* held = captured_.find(options.client_id);
      const bool old = held != nullptr && held->address == reply->yiaddr;
      if (held != nullptr && !old && settings_.fidelity == Fidelity::documented) {
        // The client moves to another address: its old lease is deleted.
        delete_client(held->address, options.client_id, held->bootp);
      }
      captured_.bind(options.client_id, {reply->yiaddr, lease_end(lease), false});
      address_offer(packet, old ? DHCP_GIVE_ADDRESS_OLD : DHCP_GIVE_ADDRESS_NEW, DHCP_CLIENT_DHCP,
                    reply->yiaddr, lease);
      send_captured(packet, *reply);
      return;
    }
    case MessageType::decline:
    case MessageType::release: {
      // The capture shows no decision for these: the client is taken at its word.
      const bool decline = *values.message_type == MessageType::decline;
      const auto* held = captured_.find(options.client_id);
      std::uint32_t address = decline ? values.requested_address.value_or(0) : view.ciaddr;
      if (address == 0 && held != nullptr) {
        address = held->address;
      }
      const bool delete_hook = held != nullptr && settings_.fidelity == Fidelity::documented;
      const CapturedLease lease = held != nullptr ? *held : CapturedLease{};
      // RELEASE: the lease goes, then AddressDel; DECLINE: AddressDel, then
      // the lease goes (the address turns bad).
      if (decline) {
        address_del(packet, DHCP_PROB_DECLINE, address);
      }
      if (delete_hook) {
        delete_client(lease.address, options.client_id, lease.bootp);
      }
      captured_.remove(options.client_id);
      if (!decline) {
        address_del(packet, DHCP_PROB_RELEASE, address);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace calloutemu::server
