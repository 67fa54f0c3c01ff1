// Decisions taken by the configured scopes (--decisions model, and auto for
// requests the capture holds no reply to).
#include "calloutemu/dhcp/wire_format.h"
#include "server_core.h"

namespace calloutemu::server {

using dhcp::MessageType;

void ServerCore::no_address(Packet& packet) {
  drop(packet, DHCP_DROP_NOADDRESS);
  outcome_.drop_reasons.push_back(DHCP_DROP_NOADDRESS);
  if (settings_.fidelity == Fidelity::legacy) {
    // The 2003-era server reports the failed request as a general failure too.
    drop(packet, DHCP_DROP_GEN_FAILURE);
    outcome_.drop_reasons.push_back(DHCP_DROP_GEN_FAILURE);
  }
}

void ServerCore::wrong_server(Packet& packet) {
  const DWORD code =
      settings_.fidelity == Fidelity::legacy ? DHCP_DROP_INVALID : DHCP_DROP_WRONG_SERVER;
  drop(packet, code);
  outcome_.drop_reasons.push_back(code);
}

void ServerCore::decide_by_model(Packet& packet, const dhcp::MessageView& view,
                                 ReadOptions& options) {
  if (options.values.is_bootp()) {
    model_discover(packet, view, options, true);
    return;
  }
  switch (*options.values.message_type) {
    case MessageType::discover:
      model_discover(packet, view, options, false);
      return;
    case MessageType::request:
      model_request(packet, view, options);
      return;
    case MessageType::decline:
      model_decline(packet, options);
      return;
    case MessageType::release:
      model_release(packet, view, options);
      return;
    case MessageType::inform:
      model_inform(packet, view);
      return;
    default:
      return;  // not served: dropped as INVALID before the decision
  }
}

// DISCOVER, and BOOTP (which is answered at once, with no REQUEST to come).
void ServerCore::model_discover(Packet& packet, const dhcp::MessageView& view, ReadOptions& options,
                                bool bootp) {
  const auto scope_index = decision_scope(view, packet);
  if (!scope_index || (bootp && !settings_.config.scopes[*scope_index].serves_bootp)) {
    no_address(packet);
    return;
  }
  const auto& scope = settings_.config.scopes[*scope_index];
  const auto now = packet.request->origin.time;
  std::optional<std::uint32_t> address;
  while (true) {
    address =
        leases_.choose_address(*scope_index, options.identity(), options.values.requested_address);
    if (!address || !std::count(settings_.config.answering_ping.begin(),
                                settings_.config.answering_ping.end(), *address)) {
      break;
    }
    // The client's own bound address answers ping because the client holds it.
    if (const auto* own = leases_.by_client(options.client_id);
        own != nullptr && own->state == scopes::LeaseState::bound && own->address == *address) {
      break;
    }
    // Conflict detection: the address answers ping, so it is in use.
    address_del(packet, DHCP_PROB_CONFLICT, *address);
    leases_.mark_bad(*address, now);
    // handle_options() reads the struct back into `options` (read_) again.
    if (!handle_options(packet, view)) {
      drop(packet, DHCP_DROP_INVALID);
      outcome_.drop_reasons.push_back(DHCP_DROP_INVALID);
      return;
    }
  }
  if (!address) {
    no_address(packet);
    return;
  }
  delete_moved_lease(options, *address, leases_.by_client(options.client_id));
  if (bootp) {
    // The lease first: the model is another request's once AddressOffer is called.
    leases_.bind(*scope_index, *address, options.identity(), scopes::ClientType::bootp,
                 scope.bootp_lease_time, now);
    address_offer(packet, DHCP_GIVE_ADDRESS_OLD, DHCP_CLIENT_BOOTP, *address,
                  scope.bootp_lease_time);
    build_and_send(packet, view, replies_.bootp(*scope_index, packet.interface_address, *address));
    return;
  }
  leases_.offer(*scope_index, *address, options.identity(), scopes::ClientType::dhcp, now);
  build_and_send(packet, view,
                 replies_.address(*scope_index, packet.interface_address, MessageType::offer,
                                  *address, scope.lease_time));
}

void ServerCore::model_request(Packet& packet, const dhcp::MessageView& view,
                               const ReadOptions& options) {
  const auto& values = options.values;
  if (values.server_identifier) {
    // SELECTING: the client chose the server named in option 54.
    if (!is_own_server(*values.server_identifier) ||
        !leases_.scope_served_by(*values.server_identifier)) {
      leases_.withdraw_offer(options.client_id);
      wrong_server(packet);
      return;
    }
    const std::uint32_t server_address = *values.server_identifier;
    const std::uint32_t wanted = values.requested_address.value_or(view.ciaddr);
    const auto scope = leases_.scope_containing(wanted);
    const auto* lease = leases_.by_client(options.client_id);
    const bool offered_or_held = lease != nullptr && lease->address == wanted;
    if (scope && (offered_or_held || leases_.available_to(*scope, wanted, options.identity()))) {
      model_ack(packet, view, options, *scope, wanted, lease);
    } else {
      leases_.withdraw_offer(options.client_id);
      model_nak(packet, view, wanted, server_address);
    }
    return;
  }
  // INIT-REBOOT (option 50), RENEWING or REBINDING (ciaddr).
  const std::uint32_t wanted = values.requested_address.value_or(view.ciaddr);
  if (wanted == 0) {
    drop(packet, DHCP_DROP_INVALID);  // a REQUEST that asks for nothing
    outcome_.drop_reasons.push_back(DHCP_DROP_INVALID);
    return;
  }
  const auto scope = leases_.scope_containing(wanted);
  const auto selected = decision_scope(view, packet);
  const auto* lease = leases_.by_client(options.client_id);
  const bool held = lease != nullptr && lease->address == wanted;
  if (scope && (!selected || *selected == *scope) &&
      (held || leases_.available_to(*scope, wanted, options.identity()))) {
    model_ack(packet, view, options, *scope, wanted, lease);
  } else {
    model_nak(packet, view, wanted, packet.interface_address);
  }
}

void ServerCore::model_ack(Packet& packet, const dhcp::MessageView& view,
                           const ReadOptions& options, std::size_t scope_index,
                           std::uint32_t address, const scopes::Lease* held) {
  const auto& scope = settings_.config.scopes[scope_index];
  const bool old =
      held != nullptr && held->state == scopes::LeaseState::bound && held->address == address;
  delete_moved_lease(options, address, held);
  leases_.bind(scope_index, address, options.identity(), scopes::ClientType::dhcp, scope.lease_time,
               packet.request->origin.time);
  address_offer(packet, old ? DHCP_GIVE_ADDRESS_OLD : DHCP_GIVE_ADDRESS_NEW, DHCP_CLIENT_DHCP,
                address, scope.lease_time);
  build_and_send(packet, view,
                 replies_.address(scope_index, packet.interface_address, MessageType::ack, address,
                                  scope.lease_time));
}

// A client moving to another address (an offer or ACK elsewhere, possibly in
// another scope) loses its bound lease: documented, DeleteClient first.
void ServerCore::delete_moved_lease(const ReadOptions& options, std::uint32_t new_address,
                                    const scopes::Lease* held) {
  if (held != nullptr && held->state == scopes::LeaseState::bound && held->address != new_address &&
      settings_.fidelity == Fidelity::documented) {
    delete_client(held->address, options.client_id, held->client_type == scopes::ClientType::bootp);
  }
}

void ServerCore::model_nak(Packet& packet, const dhcp::MessageView& view, std::uint32_t address,
                           std::uint32_t server_address) {
  address_del(packet, DHCP_PROB_NACKED, address);
  build_and_send(packet, view, replies_.bare(MessageType::nak, server_address));
}

void ServerCore::model_decline(Packet& packet, const ReadOptions& options) {
  const auto* lease = leases_.by_client(options.client_id);
  const auto declined = options.values.requested_address;
  if (lease == nullptr || !declined || lease->address != *declined ||
      lease->state == scopes::LeaseState::bad) {
    return;  // not this client's address: ignored, no response
  }
  const std::uint32_t address = lease->address;
  const bool bound = lease->state == scopes::LeaseState::bound;
  const bool bootp = lease->client_type == scopes::ClientType::bootp;
  address_del(packet, DHCP_PROB_DECLINE, address);
  if (bound && settings_.fidelity == Fidelity::documented) {
    delete_client(address, options.client_id, bootp);
  }
  leases_.mark_bad(address, packet.request->origin.time);
}

void ServerCore::model_release(Packet& packet, const dhcp::MessageView& view,
                               const ReadOptions& options) {
  const auto* lease = leases_.by_client(options.client_id);
  if (lease == nullptr || lease->state != scopes::LeaseState::bound ||
      lease->address != view.ciaddr) {
    return;  // not this client's lease: ignored, no response
  }
  const std::uint32_t address = lease->address;
  if (settings_.fidelity == Fidelity::documented) {
    delete_client(address, options.client_id, lease->client_type == scopes::ClientType::bootp);
  }
  leases_.remove_client(options.client_id);
  address_del(packet, DHCP_PROB_RELEASE, address);
}

void ServerCore::model_inform(Packet& packet, const dhcp::MessageView& view) {
  const auto scope = decision_scope(view, packet);
  if (!scope) {
    no_address(packet);
    return;
  }
  build_and_send(packet, view, replies_.inform(*scope, packet.interface_address, view.ciaddr));
}

}  // namespace calloutemu::server
