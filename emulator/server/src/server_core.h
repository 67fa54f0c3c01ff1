// The server model's state and the steps of a request (spec §3-§5).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
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

// What every request shares: the model's state, changed only in request order.
struct ServerModel {
  // `slot_count` packet slots: 4 when one request is in flight at a time.
  ServerModel(ServerSettings settings, loader::CalloutHooks& hooks, bool detailed,
              std::size_t slot_count = PacketSlots::kCount);

  // A reply the captured server sent: its address is one of "ours" for
  // WRONG_SERVER, and the interface address when no scope is configured.
  void observe_reply(const CapturedReply& reply);
  // After the last request: notes for scripted events that never happened.
  void finish(std::uint64_t requests_seen, ServerObserver& observer) const;
  std::size_t lease_count() const { return leases.size() + captured.size(); }

  ServerSettings settings;
  loader::CalloutHooks& hooks;
  bool detailed = false;  // the observer wants HookArguments
  // Set when hooks run on several threads: ServerSettings::before_hook is
  // then called under this lock, one call at a time.
  bool serialize_before_hook = false;
  std::mutex before_hook_lock;
  scopes::LeaseDatabase leases;
  CapturedLeases captured;
  DuplicateDetector duplicates;
  PacketSlots slots;
  std::unordered_set<std::uint32_t> own_servers;  // scopes' addresses and captured servers'
  std::uint32_t last_captured_server = 0;

  // By request number; equal keys keep the order they were given in.
  std::multimap<std::uint64_t, DWORD> injections;
  std::multimap<std::uint64_t, DWORD> controls;  // PAUSE / CONTINUE
  std::multimap<std::uint64_t, AdminDelete> deletes;

  bool paused = false;
  bool said_no_subnets = false;
};

// Hands the model from one request to the next in request order, while the
// hooks of a request that has taken its decisions run on (--workers).
class Turnstile {
 public:
  // Blocks until every earlier ticket has passed.
  void await(std::uint64_t ticket);
  void pass(std::uint64_t ticket);

 private:
  std::mutex lock_;
  std::condition_variable turned_;
  std::atomic<std::uint64_t> turn_ = 1;  // written under lock_
};

// The steps of one request at a time over a shared ServerModel. With
// --workers, one ServerCore per request in flight: everything here but the
// model is that request's own.
class ServerCore {
 public:
  // `own_slot`: the packet slot of every request this core handles; nullptr:
  // the model's slots in turn.
  ServerCore(ServerModel& model, ServerObserver& observer, PacketSlot* own_slot = nullptr);

  void process(const Request& request, const CapturedReply* reply) {
    receive_stage(request, reply);
    worker_stage();
  }
  // What is scheduled before the request, and NewPkt.
  void receive_stage(const Request& request, const CapturedReply* reply);
  // The rest of the request (spec §3 from step 2).
  void worker_stage();
  // From another thread, while this core's thread is held for good in a
  // hook call: the call is recorded as `hung` and the request ends there.
  [[gnu::cold]] void give_up(loader::Hook hook, DWORD code, const loader::HookCall& hung);
  // The request holds the model until it passes `ticket` (after its last
  // model step: before its AddressOffer, PktSend or any PktDrop).
  void hold(Turnstile& turnstile, std::uint64_t ticket) {
    turnstile_ = &turnstile;
    ticket_ = ticket;
  }

 private:
  void pass_turn() {
    if (turnstile_ != nullptr) {
      turnstile_->pass(ticket_);
      turnstile_ = nullptr;
    }
  }

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
  // `held`: the client's lease (by_client()) as it is now, looked up once by the caller.
  void model_ack(Packet& packet, const dhcp::MessageView& view, const ReadOptions& options,
                 std::size_t scope, std::uint32_t address, const scopes::Lease* held);
  void delete_moved_lease(const ReadOptions& options, std::uint32_t new_address,
                          const scopes::Lease* held);
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
      if (model_.serialize_before_hook) {
        std::lock_guard lock(model_.before_hook_lock);
        settings_.before_hook(hook, current_request_);
      } else {
        settings_.before_hook(hook, current_request_);
      }
    }
  }
  // The per-hook steps below run five times a request: their usual case is
  // inline, the rest out of line.
  void record(loader::Hook hook, DWORD code, const loader::HookCall& call,
              const HookArguments* arguments = nullptr) {
    if (!call.called) {
      return;
    }
    if (call.fault || !call.findings.empty()) {
      count_call_findings(call);
    }
    observer_.hook_called(HookRecord{.hook = hook,
                                     .code = code,
                                     .request = current_request_,
                                     .origin = current_origin_,
                                     .call = &call,
                                     .arguments = arguments});
  }
  [[gnu::cold]] void count_call_findings(const loader::HookCall& call);
  // For observers that want arguments: the packet as the next hook gets it,
  // then the arguments of the call that used it.
  void snapshot(const HandedBuffer& buffer) {
    if (detailed_) {
      copy_packet(buffer, before_);
    }
  }
  void copy_packet(const HandedBuffer& buffer, std::vector<BYTE>& into);
  const HookArguments* packet_arguments(const HandedBuffer& buffer, const Packet& packet,
                                        DWORD ip_address) {
    return detailed_ ? detailed_arguments(buffer, packet, ip_address) : nullptr;
  }
  const HookArguments* detailed_arguments(const HandedBuffer& buffer, const Packet& packet,
                                          DWORD ip_address);
  void check_buffer(Packet& packet, loader::Hook hook) {
    if (!packet.buffer.untouched()) {
      check_changed_buffer(packet, hook);
    }
  }
  void check_changed_buffer(Packet& packet, loader::Hook hook);
  void drop(Packet& packet, DWORD code);
  void drop_with_reason(Packet& packet, DWORD reason);
  void address_del(Packet& packet, DWORD code, std::uint32_t address);
  void address_offer(Packet& packet, DWORD code, DWORD address_type, std::uint32_t address,
                     std::uint32_t lease_time);
  // Sends the `size` bytes of the response built in the packet's send buffer.
  void send(Packet& packet, std::size_t size, std::optional<dhcp::MessageType> type);
  bool build_and_send(Packet& packet, const dhcp::MessageView& view, const dhcp::ReplySpec& spec);
  void send_captured(Packet& packet, const CapturedReply& reply);
  // Misuse and errors are rare: [[gnu::cold]] lets the compiler move the
  // code that builds their messages out of the hot path's cache lines.
  [[gnu::cold]] void finding(std::string text);

  bool injected(DWORD code) const { return !injections_.empty() && injected_here(code); }
  bool injected_here(DWORD code) const;

  // The model, under the names the steps use.
  ServerModel& model_;
  const ServerSettings& settings_;
  loader::CalloutHooks& hooks_;
  ServerObserver& observer_;
  scopes::LeaseDatabase& leases_;
  CapturedLeases& captured_;
  DuplicateDetector& duplicates_;
  const std::unordered_set<std::uint32_t>& own_servers_;
  const std::uint32_t& last_captured_server_;
  const std::multimap<std::uint64_t, DWORD>& injections_;
  const std::multimap<std::uint64_t, DWORD>& controls_;
  const std::multimap<std::uint64_t, AdminDelete>& deletes_;
  bool& paused_;
  bool& said_no_subnets_;

  // This request's own.
  PacketSlot* own_slot_ = nullptr;
  ReplySpecs replies_;
  Turnstile* turnstile_ = nullptr;
  std::uint64_t ticket_ = 0;
  Packet packet_;
  const CapturedReply* reply_ = nullptr;
  std::uint64_t current_request_ = 0;
  RequestOutcome outcome_;
  dhcp::MessageView parsed_;  // the request, as worker_checks() parsed it
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
