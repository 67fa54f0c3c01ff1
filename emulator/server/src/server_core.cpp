#include "server_core.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "calloutemu/byte_order.h"
#include "calloutemu/spin_wait.h"

#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::server {
namespace {

using loader::Hook;

bool is_unicast(std::uint32_t address) {
  return address != 0 && address != 0xFFFFFFFFu && (address >> 28) != 0xE;
}

// The client id as the request gives it (HandleOptions may change it):
// option 61's data, type first, else chaddr.
std::string_view requested_client_id(const dhcp::MessageView& view) {
  auto bytes = view.client_hardware_address();
  if (const auto data = view.find_option_data(dhcp::option::client_identifier);
      data && !data->empty()) {
    bytes = *data;
  }
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::uint32_t byte_swap(std::uint32_t value) {
  return (value >> 24) | ((value >> 8) & 0xFF00u) | ((value << 8) & 0xFF0000u) | (value << 24);
}

}  // namespace

ServerModel::ServerModel(ServerSettings settings_in, loader::CalloutHooks& hooks_in,
                         bool detailed_in, std::size_t slot_count)
    : settings(std::move(settings_in)),
      hooks(hooks_in),
      detailed(detailed_in),
      leases(settings.config),
      duplicates(settings.duplicate_window),
      slots(slot_count) {
  for (const auto& scope : settings.config.scopes) {
    own_servers.insert(scope.server_address);
  }
  for (const auto& injection : settings.injections) {
    injections.emplace(injection.request, injection.code);
  }
  for (auto number : settings.pause_at) {
    controls.emplace(number, DHCP_CONTROL_PAUSE);
  }
  for (auto number : settings.continue_at) {
    controls.emplace(number, DHCP_CONTROL_CONTINUE);
  }
  for (const auto& order : settings.deletes) {
    deletes.emplace(order.request, order);
  }
}

void ServerModel::observe_reply(const CapturedReply& reply) {
  const auto address = reply.server_address();
  if (address != 0) {
    own_servers.insert(address);
    last_captured_server = address;
  }
}

void Turnstile::await(std::uint64_t ticket) {
  std::unique_lock lock(lock_);
  wait_spinning_first(lock, turned_,
                      [&] { return turn_.load(std::memory_order_acquire) == ticket; });
}

void Turnstile::pass(std::uint64_t ticket) {
  {
    std::lock_guard lock(lock_);
    turn_.store(ticket + 1, std::memory_order_release);
  }
  turned_.notify_all();
}

ServerCore::ServerCore(ServerModel& model, ServerObserver& observer, PacketSlot* own_slot)
    : model_(model),
      settings_(model.settings),
      hooks_(model.hooks),
      observer_(observer),
      leases_(model.leases),
      captured_(model.captured),
      duplicates_(model.duplicates),
      own_servers_(model.own_servers),
      last_captured_server_(model.last_captured_server),
      injections_(model.injections),
      controls_(model.controls),
      deletes_(model.deletes),
      paused_(model.paused),
      said_no_subnets_(model.said_no_subnets),
      own_slot_(own_slot),
      replies_(model.settings.config.scopes),
      detailed_(model.detailed) {}

// --- one request -----------------------------------------------------------

void ServerCore::receive_stage(const Request& request, const CapturedReply* reply) {
  current_request_ = request.number;
  current_origin_ = &request.origin;
  reply_ = reply;
  // Faults in what is scheduled before the request count with it.
  outcome_.reset(request);
  run_scheduled(request);
  packet_ = receive(request, reply);
}

void ServerCore::worker_stage() {
  Packet& packet = packet_;
  if (!packet.process_it) {
    outcome_.dropped_by_callout = true;
    drop(packet, DHCP_DROP_PROCESSED);
  } else if (worker_checks(packet, reply_)) {
    drop(packet, DHCP_DROP_PROCESSED);
  }
  pass_turn();
  if (!packet.slot->settle_tail(packet.buffer.high_water()) && outcome_.findings.empty()) {
    finding(
        "a hook wrote past PacketSize in the receive buffer, more than 256 bytes past it "
        "(found after the packet's last hook)");
  }
  observer_.request_finished(outcome_);
  current_origin_ = nullptr;
}

void ServerCore::give_up(Hook hook, DWORD code, const loader::HookCall& hung) {
  record(hook, code, hung);
  pass_turn();
  observer_.request_finished(outcome_);
  current_origin_ = nullptr;
}

Packet ServerCore::receive(const Request& request, const CapturedReply* reply) {
  PacketSlot& slot = own_slot_ != nullptr ? *own_slot_ : model_.slots.take();
  std::size_t length = request.payload.size();
  if (length > slot.receive.size()) {
    // recv() into the 4096-byte buffer would cut it the same way.
    finding("the datagram is " + std::to_string(length) + " bytes; the " +
            std::to_string(slot.receive.size()) + "-byte receive buffer holds only the start");
    length = slot.receive.size();
  }
  slot.prepare_tail(length);
  if (length != 0) {
    std::memcpy(slot.receive.data(), request.payload.data(), length);
  }
  Packet packet{
      .request = &request,
      .slot = &slot,
      .buffer = HandedBuffer::over_prepared_tail(slot.receive.data(), static_cast<DWORD>(length)),
      .context = nullptr,
      .process_it = TRUE,
      .arrival_scope = std::nullopt,
      .interface_address = 0};
  std::uint32_t giaddr = 0;
  std::uint32_t ciaddr = 0;
  if (length >= dhcp::kFixedHeaderSize) {
    giaddr = load_be32(request.payload.data() + dhcp::kGiaddrOffset);
    ciaddr = load_be32(request.payload.data() + dhcp::kCiaddrOffset);
  }
  packet.arrival_scope = arrival_scope(request.destination_address, giaddr, ciaddr);
  packet.interface_address = interface_address(packet, reply);

  packet.buffer.before_hook();
  snapshot(packet.buffer);
  const DWORD ip_address = ip_for(Hook::new_pkt, packet);
  before_call(Hook::new_pkt);
  const auto call =
      hooks_.new_pkt(packet.buffer.packet_pointer(), packet.buffer.size_pointer(), ip_address,
                     packet.reserved(), &packet.context, &packet.process_it);
  const auto* arguments = packet_arguments(packet.buffer, packet, ip_address);
  if (arguments != nullptr) {
    arguments_.process_it = packet.process_it;
  }
  record(Hook::new_pkt, 0, call, arguments);
  check_buffer(packet, Hook::new_pkt);
  return packet;
}

// The receive stage's checks after NewPkt, then the worker's (spec §3 steps
// 3-9). False when a drop ended the packet already (PROCESSED included).
bool ServerCore::worker_checks(Packet& packet, const CapturedReply* reply) {
  const std::span<const std::uint8_t> bytes(packet.buffer.packet(), packet.buffer.size());
  const dhcp::MessageView* parsed = dhcp::parse_message_into(bytes, parsed_) ? nullptr : &parsed_;
  if (parsed != nullptr) {
    leases_.prefetch_client(requested_client_id(*parsed));
  }
  if (parsed != nullptr &&
      duplicates_.is_duplicate(request_key(*parsed), packet.request->origin.time)) {
    drop_with_reason(packet, DHCP_DROP_DUPLICATE);
    return false;
  }
  constexpr std::array<DWORD, 3> kReceiveFailures = {DHCP_DROP_NOMEM, DHCP_DROP_INTERNAL_ERROR,
                                                     DHCP_DROP_TIMEOUT};
  for (DWORD code : kReceiveFailures) {
    if (injected(code)) {
      drop_with_reason(packet, code);
      return false;
    }
  }
  if (!settings_.config.authorized) {
    drop_with_reason(packet, DHCP_DROP_UNAUTH);
    return false;
  }
  if (paused_) {
    drop_with_reason(packet, DHCP_DROP_PAUSED);
    return false;
  }

  outcome_.source = parsed ? decision_source(*parsed, reply)
                           : (settings_.decisions == DecisionMode::capture ? DecisionSource::capture
                                                                           : DecisionSource::model);
  if (outcome_.source == DecisionSource::model && settings_.config.scopes.empty()) {
    if (!said_no_subnets_) {
      said_no_subnets_ = true;
      observer_.note(
          "no scope is configured and the capture holds no reply to decide by: requests are "
          "dropped with NO_SUBNETS (give --scope CIDR or [scope NAME] sections in --config, or "
          "replay a capture that holds the server's replies)");
    }
    drop_with_reason(packet, DHCP_DROP_NO_SUBNETS);
    return false;
  }
  if (!parsed || dhcp::is_invalid(*parsed)) {
    drop_with_reason(packet, DHCP_DROP_INVALID);
    return false;
  }

  if (!handle_options(packet, *parsed)) {
    drop_with_reason(packet, DHCP_DROP_INVALID);
    return false;
  }
  ReadOptions& options = read_;
  outcome_.message_type = options.values.message_type;
  outcome_.bootp = options.values.is_bootp();
  if (options.values.malformed_message_type ||
      (options.values.message_type && !dhcp::is_served_request(*options.values.message_type))) {
    drop_with_reason(packet, DHCP_DROP_INVALID);
    return false;
  }
  if (injected(DHCP_DROP_GEN_FAILURE)) {
    drop(packet, DHCP_DROP_GEN_FAILURE);
    outcome_.drop_reasons.push_back(DHCP_DROP_GEN_FAILURE);
    return true;
  }
  if (outcome_.source == DecisionSource::capture) {
    decide_by_capture(packet, *parsed, options, reply);
  } else {
    decide_by_model(packet, *parsed, options);
  }
  return true;
}

DecisionSource ServerCore::decision_source(const dhcp::MessageView& view,
                                           const CapturedReply* reply) const {
  switch (settings_.decisions) {
    case DecisionMode::model:
      return DecisionSource::model;
    case DecisionMode::capture:
      return DecisionSource::capture;
    case DecisionMode::automatic:
      break;
  }
  if (reply != nullptr) {
    return DecisionSource::capture;
  }
  // DECLINE and RELEASE get no reply: the capture decides them when the
  // captured server granted this client its lease.
  const auto type = view.message_type();
  if (type == dhcp::MessageType::decline || type == dhcp::MessageType::release) {
    if (captured_.find(requested_client_id(view)) != nullptr) {
      return DecisionSource::capture;
    }
  }
  return DecisionSource::model;
}

bool ServerCore::handle_options(Packet& packet, const dhcp::MessageView& view) {
  dhcp::fill_server_options(view, options_);
  packet.buffer.before_hook();
  snapshot(packet.buffer);
  before_call(Hook::handle_options);
  const auto call = hooks_.handle_options(packet.buffer.packet(), packet.buffer.size(),
                                          packet.reserved(), packet.context, &options_);
  record(Hook::handle_options, 0, call, packet_arguments(packet.buffer, packet, 0));
  check_buffer(packet, Hook::handle_options);

  ReadOptions& read = read_;
  // The usual case, the pointers left in the server's own receive buffer,
  // cannot fault: it is read back without the trap.
  std::optional<loader::Fault> fault;
  if (packet.buffer.replaced() ||
      !dhcp::read_back_server_options_inside(options_, view, read.values)) {
    fault = hooks_.guarded([&] { dhcp::read_back_server_options(options_, view, read.values); });
  }
  if (fault) {
    finding("HandleOptions left a pointer in DHCP_SERVER_OPTIONS that faults when read (" +
            fault->description + "); the request is INVALID");
    return false;
  }
  for (auto member : read.values.unreadable) {
    finding("HandleOptions left " + std::string(member) +
            " pointing partly outside the packet; the server ignores it");
  }
  read.chaddr = view.client_hardware_address();
  read.client_id.clear();
  if (read.values.client_hardware_address && !read.values.client_hardware_address->empty()) {
    read.client_id.push_back(static_cast<char>(read.values.client_hardware_address_type));
    read.client_id.append(read.values.client_hardware_address->begin(),
                          read.values.client_hardware_address->end());
  } else {
    read.client_id.assign(read.chaddr.begin(), read.chaddr.end());
  }
  return true;
}

// --- hooks -----------------------------------------------------------------

DWORD ServerCore::ip_for(Hook hook, const Packet& packet) const {
  const std::uint32_t host_order = packet.interface_address;
  if (settings_.fidelity == Fidelity::legacy &&
      (hook == Hook::new_pkt || hook == Hook::pkt_drop || hook == Hook::pkt_send ||
       hook == Hook::address_del)) {
    return byte_swap(host_order);
  }
  return host_order;
}

void ServerCore::count_call_findings(const loader::HookCall& call) {
  if (call.fault) {
    ++outcome_.faults;
  }
  for (const auto& text : call.findings) {
    finding(text);
  }
}

// A replaced buffer is the callout's memory: read under the trap, as the
// server's own reads of it are. A packet whole in the server's own buffer
// cannot fault.
void ServerCore::copy_packet(const HandedBuffer& buffer, std::vector<BYTE>& into) {
  const BYTE* bytes = buffer.packet();
  const std::size_t length = bytes == nullptr ? 0 : buffer.size();
  into.resize(length);
  if (buffer.whole_in_own_buffer()) {
    std::copy_n(bytes, length, into.data());
  } else if (hooks_.guarded([&] { std::copy_n(bytes, length, into.data()); })) {
    into.clear();
  }
}

const HookArguments* ServerCore::detailed_arguments(const HandedBuffer& buffer,
                                                    const Packet& packet, DWORD ip_address) {
  copy_packet(buffer, after_);
  arguments_ = HookArguments{};
  arguments_.packet = before_;
  arguments_.packet_after = after_;
  arguments_.replaced = buffer.replaced();
  arguments_.ip_address = ip_address;
  arguments_.reserved = packet.reserved();
  arguments_.context = packet.context;
  return &arguments_;
}

void ServerCore::check_changed_buffer(Packet& packet, Hook hook) {
  auto text = packet.buffer.after_hook(loader::to_string(hook), "receive");
  if (!text.empty()) {
    finding(std::move(text));
  }
  if (packet.buffer.replaced()) {
    outcome_.packet_replaced = true;
  }
}

void ServerCore::finding(std::string text) {
  outcome_.findings.push_back(std::move(text));
}

void ServerCore::drop(Packet& packet, DWORD code) {
  pass_turn();
  packet.buffer.before_hook();
  snapshot(packet.buffer);
  const DWORD ip_address = ip_for(Hook::pkt_drop, packet);
  before_call(Hook::pkt_drop);
  const auto call = hooks_.pkt_drop(packet.buffer.packet_pointer(), packet.buffer.size_pointer(),
                                    code, ip_address, packet.reserved(), packet.context);
  record(Hook::pkt_drop, code, call, packet_arguments(packet.buffer, packet, ip_address));
  check_buffer(packet, Hook::pkt_drop);
}

void ServerCore::drop_with_reason(Packet& packet, DWORD reason) {
  outcome_.drop_reasons.push_back(reason);
  drop(packet, reason);
  drop(packet, DHCP_DROP_PROCESSED);
}

void ServerCore::address_del(Packet& packet, DWORD code, std::uint32_t address) {
  packet.buffer.before_hook();
  snapshot(packet.buffer);
  const DWORD ip_address = ip_for(Hook::address_del, packet);
  before_call(Hook::address_del);
  const auto call = hooks_.address_del(packet.buffer.packet(), packet.buffer.size(), code,
                                       ip_address, address, packet.reserved(), packet.context);
  const auto* arguments = packet_arguments(packet.buffer, packet, ip_address);
  if (arguments != nullptr) {
    arguments_.alt_address = address;
  }
  record(Hook::address_del, code, call, arguments);
  check_buffer(packet, Hook::address_del);
}

void ServerCore::address_offer(Packet& packet, DWORD code, DWORD address_type,
                               std::uint32_t address, std::uint32_t lease_time) {
  pass_turn();
  packet.buffer.before_hook();
  snapshot(packet.buffer);
  const DWORD ip_address = ip_for(Hook::address_offer, packet);
  before_call(Hook::address_offer);
  const auto call =
      hooks_.address_offer(packet.buffer.packet(), packet.buffer.size(), code, ip_address, address,
                           address_type, lease_time, packet.reserved(), packet.context);
  const auto* arguments = packet_arguments(packet.buffer, packet, ip_address);
  if (arguments != nullptr) {
    arguments_.alt_address = address;
    arguments_.address_type = address_type;
    arguments_.lease_time = lease_time;
  }
  record(Hook::address_offer, code, call, arguments);
  check_buffer(packet, Hook::address_offer);
}

void ServerCore::send(Packet& packet, std::size_t size, std::optional<dhcp::MessageType> type) {
  pass_turn();
  HandedBuffer response(packet.slot->send.data(), static_cast<DWORD>(size));
  response.before_hook();
  snapshot(response);
  const DWORD ip_address = ip_for(Hook::pkt_send, packet);
  before_call(Hook::pkt_send);
  const auto call =
      hooks_.pkt_send(response.packet_pointer(), response.size_pointer(), DHCP_SEND_PACKET,
                      ip_address, packet.reserved(), packet.context);
  record(Hook::pkt_send, DHCP_SEND_PACKET, call, packet_arguments(response, packet, ip_address));
  if (auto text = response.after_hook("PktSend", "send"); !text.empty()) {
    finding(std::move(text));
  }
  check_buffer(packet, Hook::pkt_send);
  outcome_.responded = true;
  outcome_.response_type = type;
  outcome_.response_replaced = response.replaced();
  if (!response.replaced()) {
    observer_.response_sent(outcome_, {response.packet(), response.size()});
    return;
  }
  // The callout's own buffer: copied under the trap, as a bad pointer there
  // would crash the server's send.
  const BYTE* bytes = response.packet();
  const std::size_t length = response.size();
  response_copy_.resize(length);
  if (auto fault = hooks_.guarded([&] { std::memcpy(response_copy_.data(), bytes, length); })) {
    finding("PktSend left a response buffer that faults when read (" + fault->description +
            "); nothing was sent");
    outcome_.responded = false;
    return;
  }
  observer_.response_sent(outcome_, response_copy_);
}

bool ServerCore::build_and_send(Packet& packet, const dhcp::MessageView& view,
                                const dhcp::ReplySpec& spec) {
  auto size = dhcp::build_reply(view, spec, packet.slot->send);
  if (!size) {
    finding("the server could not build its reply: " + size.error().message);
    drop(packet, DHCP_DROP_GEN_FAILURE);
    outcome_.drop_reasons.push_back(DHCP_DROP_GEN_FAILURE);
    return false;
  }
  send(packet, *size, spec.message_type);
  return true;
}

void ServerCore::send_captured(Packet& packet, const CapturedReply& reply) {
  std::size_t length = reply.payload.size();
  if (length > packet.slot->send.size()) {
    finding("the captured reply (frame " + std::to_string(reply.origin.frame_number) + ") is " +
            std::to_string(length) + " bytes, over the 4096-byte send buffer: sent cut short");
    length = packet.slot->send.size();
  }
  std::memcpy(packet.slot->send.data(), reply.payload.data(), length);
  send(packet, length, reply.message_type);
}

bool ServerCore::injected_here(DWORD code) const {
  auto [first, last] = injections_.equal_range(current_request_);
  for (auto it = first; it != last; ++it) {
    if (it->second == code) {
      return true;
    }
  }
  return false;
}

// --- where the request arrived ---------------------------------------------

std::optional<std::size_t> ServerCore::arrival_scope(std::uint32_t destination,
                                                     std::uint32_t giaddr,
                                                     std::uint32_t ciaddr) const {
  if (settings_.config.scopes.empty()) {
    return std::nullopt;
  }
  if (is_unicast(destination)) {
    if (auto scope = leases_.scope_served_by(destination)) {
      return scope;
    }
  }
  for (auto address : {giaddr, ciaddr}) {
    if (address != 0) {
      if (auto scope = leases_.scope_containing(address)) {
        return scope;
      }
    }
  }
  return std::size_t{0};
}

std::optional<std::size_t> ServerCore::decision_scope(const dhcp::MessageView& view,
                                                      const Packet& packet) const {
  if (view.giaddr != 0) {
    return leases_.scope_containing(view.giaddr);
  }
  if (view.ciaddr != 0) {
    if (auto scope = leases_.scope_containing(view.ciaddr)) {
      return scope;
    }
  }
  return packet.arrival_scope;
}

std::uint32_t ServerCore::interface_address(const Packet& packet,
                                            const CapturedReply* reply) const {
  const Request& request = *packet.request;
  if (packet.arrival_scope) {
    return settings_.config.scopes[*packet.arrival_scope].server_address;
  }
  if (reply != nullptr && reply->server_address() != 0) {
    return reply->server_address();
  }
  if (is_unicast(request.destination_address)) {
    return request.destination_address;
  }
  return last_captured_server_;
}

bool ServerCore::is_own_server(std::uint32_t address) const {
  return own_servers_.contains(address);
}

}  // namespace calloutemu::server
