// The server model's state and the steps of a request (spec §3-§5).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/message_builder.h"
#include "calloutemu/dhcp/server_options.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/scopes/lease_database.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/server/request.h"
#include "calloutemu/server/settings.h"
#include "captured_leases.h"
#include "duplicate_detector.h"
#include "packet_buffers.h"
#include "reply_specs.h"

namespace calloutemu::server {

// One request on its way through the hooks.
struct Packet {
  const Request* request = nullptr;
  PacketSlot* slot = nullptr;
  HandedBuffer buffer;
  void* context = nullptr;  // PktContext, as NewPkt left it
  BOOL process_it = TRUE;
  std::optional<std::size_t> arrival_scope;  // the scope of the interface it arrived on
  std::uint32_t interface_address = 0;       // host order: IpAddress for the hooks

  void* reserved() const { return slot; }
};

// What HandleOptions left, and who the client is by it.
struct ReadOptions {
  dhcp::ServerOptionsReadBack values;
  std::string client_id;                 // option 61's data (type first), else chaddr
  std::span<const std::uint8_t> chaddr;  // hlen bytes of the request's chaddr
  scopes::ClientIdentity identity() const { return {client_id, chaddr}; }
};

class ServerCore {
 public:
  ServerCore(ServerSettings settings, loader::CalloutHooks& hooks, ServerObserver& observer);

  void process(const Request& request, const CapturedReply* reply);
  void finish(std::uint64_t requests_seen);
  // A reply the captured server sent: its address is one of "ours" for
  // WRONG_SERVER, and the interface address when no scope is configured.
  void observe_reply(const CapturedReply& reply);
  std::size_t lease_count() const { return leases_.size() + captured_.size(); }

 private:
  // Before a request: expiry, --delete-client, PAUSE / CONTINUE.
  void run_scheduled(const Request& request);
  void expire_leases(std::chrono::nanoseconds now);
  void delete_client(std::uint32_t address, std::string_view client_id, bool bootp);
  void administrative_delete(const AdminDelete& order);
  void control(DWORD code);

  // Stages of a packet.
  Packet receive(const Request& request, const CapturedReply* reply);
  bool worker_checks(Packet& packet, const CapturedReply* reply);
  // Fills, calls HandleOptions and reads the struct back into read_; false
  // when reading it back faulted.
  bool handle_options(Packet& packet, const dhcp::MessageView& view);
  DecisionSource decision_source(const dhcp::MessageView& view, const CapturedReply* reply) const;

  // Decisions.
  void decide_by_model(Packet& packet, const dhcp::MessageView& view, ReadOptions& options);
  void model_discover(Packet& packet, const dhcp::MessageView& view, ReadOptions& options,
                      bool bootp);
  void model_request(Packet& packet, const dhcp::MessageView& view, const ReadOptions& options);
  void model_decline(Packet& packet, const ReadOptions& options);
  void model_release(Packet& packet, const dhcp::MessageView& view, const ReadOptions& options);
  void model_inform(Packet& packet, const dhcp::MessageView& view);
  void model_ack(Packet& packet, const dhcp::MessageView& view, const ReadOptions& options,
                 std::size_t scope, std::uint32_t address);
  void delete_moved_lease(const ReadOptions& options, std::uint32_t new_address);
  void model_nak(Packet& packet, const dhcp::MessageView& view, std::uint32_t address,
                 std::uint32_t server_address);
  void decide_by_capture(Packet& packet, const dhcp::MessageView& view, const ReadOptions& options,
                         const CapturedReply* reply);
  void wrong_server(Packet& packet);
  void no_address(Packet& packet);

  // Scope selection (host-order addresses).
  std::optional<std::size_t> arrival_scope(std::uint32_t destination, std::uint32_t giaddr,
                                           std::uint32_t ciaddr) const;
  std::optional<std::size_t> decision_scope(const dhcp::MessageView& view,
                                            const Packet& packet) const;
  std::uint32_t interface_address(const Packet& packet, const CapturedReply* reply) const;
  bool is_own_server(std::uint32_t address) const;

  // Hook calls, each recorded and checked.
  DWORD ip_for(loader::Hook hook, const Packet& packet) const;
  void before_call(loader::Hook hook) const {
    if (settings_.before_hook) {
      settings_.before_hook(hook, current_request_);
    }
  }
  void record(loader::Hook hook, DWORD code, const loader::HookCall& call,
              const HookArguments* arguments = nullptr);
  // For observers that want arguments: the packet as the next hook gets it,
  // then the arguments of the call that used it.
  void snapshot(const HandedBuffer& buffer);
  const HookArguments* packet_arguments(const HandedBuffer& buffer, const Packet& packet,
                                        DWORD ip_address);
  void check_buffer(Packet& packet, loader::Hook hook);
  void drop(Packet& packet, DWORD code);
  void drop_with_reason(Packet& packet, DWORD reason);
  void address_del(Packet& packet, DWORD code, std::uint32_t address);
  void address_offer(Packet& packet, DWORD code, DWORD address_type, std::uint32_t address,
                     std::uint32_t lease_time);
  // Sends the `size` bytes of the response built in the packet's send buffer.
  void send(Packet& packet, std::size_t size, std::optional<dhcp::MessageType> type);
  bool build_and_send(Packet& packet, const dhcp::MessageView& view, const dhcp::ReplySpec& spec);
  void send_captured(Packet& packet, const CapturedReply& reply);
  void finding(std::string text);

  bool injected(DWORD code) const;

  ServerSettings settings_;
  loader::CalloutHooks& hooks_;
  ServerObserver& observer_;
  scopes::LeaseDatabase leases_;
  CapturedLeases captured_;
  DuplicateDetector duplicates_;
  PacketSlots slots_;
  ReplySpecs replies_;
  std::unordered_set<std::uint32_t> own_servers_;  // scopes' addresses and captured servers'
  std::uint32_t last_captured_server_ = 0;

  // By request number; equal keys keep the order they were given in.
  std::multimap<std::uint64_t, DWORD> injections_;
  std::multimap<std::uint64_t, DWORD> controls_;  // PAUSE / CONTINUE
  std::multimap<std::uint64_t, AdminDelete> deletes_;

  bool paused_ = false;
  bool said_no_subnets_ = false;
  std::uint64_t current_request_ = 0;
  RequestOutcome outcome_;
  DHCP_SERVER_OPTIONS options_{};
  ReadOptions read_;
  std::vector<std::uint8_t> response_copy_;
  std::vector<BYTE> hw_address_;

  bool detailed_ = false;  // the observer wants HookArguments
  const CaptureOrigin* current_origin_ = nullptr;
  std::vector<std::uint8_t> before_;
  std::vector<std::uint8_t> after_;
  HookArguments arguments_;
};

}  // namespace calloutemu::server
