#include "host_server.h"

#include <cstdio>
#include <cstring>
#include <new>

#include "calloutemu/loader/debugger.h"
#include "calloutemu/loader/hook_table.h"
#include "calloutemu/loader/registry.h"
#include "calloutemu/spin_wait.h"

#ifndef CALLOUTEMU_VERSION
#define CALLOUTEMU_VERSION "unknown"
#endif

namespace calloutemu::loader::host {
namespace {

std::uint32_t member_mask(const DHCP_CALLOUT_TABLE& table) {
  const auto slots = describe_hooks(table);
  std::uint32_t mask = 0;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].address != 0) {
      mask |= 1u << i;
    }
  }
  return mask;
}

}  // namespace

Result<std::size_t> check_channel(const SharedFile& channel) {
  if (channel.size() < kLaneControlOffset) {
    return make_error("not a callout host channel (too short)");
  }
  const auto* header = std::launder(reinterpret_cast<const ChannelHeader*>(channel.data()));
  if (header->magic != kChannelMagic) {
    return make_error("not a callout host channel (bad magic)");
  }
  if (header->version != kProtocolVersion) {
    return make_error("the channel is for protocol version " + std::to_string(header->version) +
                      ", this host speaks " + std::to_string(kProtocolVersion));
  }
  const std::size_t lanes = header->lane_count;
  if (lanes == 0 || lanes > kMaxLanes || header->header_size != channel_header_size(lanes) ||
      header->lane_size != kLaneSize || header->request_capacity != kRequestCapacity ||
      header->reply_capacity != kReplyCapacity) {
    return make_error("the channel's layout is not this protocol version's");
  }
  if (channel.size() < channel_size(lanes)) {
    return make_error("the channel is too short for its " + std::to_string(lanes) + " lanes");
  }
  return lanes;
}

HostServer::HostServer(SharedFile channel, std::size_t lanes, HostPipes pipes, FaultTrap& trap,
                       const HookClock& clock, const NoAccessRegion& no_access,
                       GuardedMemory* checked)
    : channel_(std::move(channel)),
      view_(channel_.data(), lanes),
      hub_(WakeHub::start(pipes)),
      pipes_(pipes),
      trap_(trap),
      checked_(checked) {
  for (std::size_t i = 0; i < lanes; ++i) {
    lanes_.push_back(std::make_unique<Lane>(i, trap, clock, no_access, shared_));
  }
}

HostServer::~HostServer() {
  stop_lanes();
}

std::optional<WireReader> HostServer::next_request(Lane& lane) {
  LaneControl& control = view_.control(lane.index);
  const auto arrived = [&] {
    return control.call_sequence.load(std::memory_order_seq_cst) != lane.seen;
  };
  if (!spin_until(arrived, kSpinTime, kBusySpinTime)) {
    control.host_sleeping.store(1, std::memory_order_seq_cst);
    if (!hub_->sleep_until(arrived)) {
      return std::nullopt;  // the client is gone, or STOP ends this lane's thread
    }
    control.host_sleeping.store(0, std::memory_order_relaxed);
  }
  lane.seen = control.call_sequence.load(std::memory_order_acquire);
  const std::uint8_t* area = view_.request_area(lane.index);
  const std::uint32_t length = load_u32(area);
  if (length > kRequestCapacity - sizeof(std::uint32_t)) {
    return WireReader();  // reads as malformed: answered with an error
  }
  return WireReader(area + sizeof(std::uint32_t), length);
}

WireWriter HostServer::begin_reply(const Lane& lane, Status status) {
  WireWriter writer(view_.reply_area(lane.index) + sizeof(std::uint32_t),
                    kReplyCapacity - sizeof(std::uint32_t));
  writer.u32(static_cast<std::uint32_t>(status));
  return writer;
}

void HostServer::publish(Lane& lane, WireWriter reply) {
  if (!reply.ok()) {
    reply = begin_reply(lane, Status::error);
    reply.string("the reply does not fit the channel");
  }
  store_u32(view_.reply_area(lane.index), static_cast<std::uint32_t>(reply.size()));
  LaneControl& control = view_.control(lane.index);
  control.reply_sequence.store(lane.seen, std::memory_order_seq_cst);
  if (control.client_sleeping.load(std::memory_order_seq_cst) != 0) {
    pipes_.wake_client();
  }
}

void HostServer::reply_error(Lane& lane, const std::string& message) {
  auto reply = begin_reply(lane, Status::error);
  reply.string(message);
  publish(lane, reply);
}

int HostServer::run() {
  Lane& lane = *lanes_.front();
  while (auto request = next_request(lane)) {
    const std::uint32_t kind = request->u32();
    switch (static_cast<Request>(kind)) {
      case Request::hello:
        serve_hello(lane, *request);
        break;
      case Request::read_registry:
        serve_registry(lane);
        break;
      case Request::load:
        serve_load(lane, *request);
        break;
      case Request::hook:
        serve_hook(lane, *request);
        break;
      case Request::stop:
        serve_stop(lane);
        return 0;
      case Request::load_next:
      default:
        reply_error(lane, "unexpected request " + std::to_string(kind));
        break;
    }
  }
  return 0;
}

// The other lanes carry hook calls only.
void HostServer::serve_hooks(Lane& lane) {
  while (auto request = next_request(lane)) {
    const std::uint32_t kind = request->u32();
    if (kind == static_cast<std::uint32_t>(Request::hook)) {
      serve_hook(lane, *request);
    } else {
      reply_error(lane, "unexpected request " + std::to_string(kind) + " on lane " +
                            std::to_string(lane.index) + " (only lane 0 carries it)");
    }
  }
}

// After the load: the chain and its table are set, and stay until STOP has
// stopped these threads.
void HostServer::start_lanes() {
  for (std::size_t i = 1; i < lanes_.size(); ++i) {
    threads_.emplace_back([this, &lane = *lanes_[i]] { serve_hooks(lane); });
  }
}

void HostServer::stop_lanes() {
  hub_->stop();
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
}

void HostServer::serve_hello(Lane& lane, WireReader& request) {
  request.u32();  // the client's protocol version: it checks ours
  auto reply = begin_reply(lane, Status::ok);
  reply.u32(kProtocolVersion);
  reply.string(std::string("callouthost ") + CALLOUTEMU_VERSION + " (" + host_platform() + ")");
  publish(lane, reply);
}

void HostServer::serve_registry(Lane& lane) {
  auto config = read_callout_registry();
  if (!config) {
    reply_error(lane, config.error().message);
    return;
  }
  auto reply = begin_reply(lane, Status::ok);
  write_config(reply, *config);
  publish(lane, reply);
}

void HostServer::serve_load(Lane& lane, WireReader& request) {
  const auto names = read_strings(request);
  if (!request.ok()) {
    reply_error(lane, "a malformed load request");
    return;
  }
  if (load_tried_) {
    reply_error(lane, "this host has loaded a chain already");
    return;
  }
  load_tried_ = true;
  // Each attempt goes to the client as it ends, so that its log and the
  // callouts' own output interleave as they do in-process.
  bool client_gone = false;
  auto on_attempt = [&](const LoadAttempt& attempt) {
    if (client_gone) {
      return;
    }
    auto reply = begin_reply(lane, Status::attempt);
    write_attempt(reply, attempt);
    publish(lane, reply);
    auto next = next_request(lane);
    if (!next || next->u32() != static_cast<std::uint32_t>(Request::load_next)) {
      client_gone = true;
    }
  };
  if (wait_for_debugger_) {
    wait_for_debugger([](std::string_view text) {
      std::fprintf(stderr, "callouthost: %.*s\n", static_cast<int>(text.size()), text.data());
      std::fflush(stderr);
    });
  }
  ChainLoad load = load_callout_chain(names, trap_, on_attempt, checked_);
  if (load.callout && checked_ != nullptr) {
    shared_.checks = std::make_unique<CheckedBuffers>(*checked_, load.callout->name());
  }
  if (client_gone) {
    std::fprintf(stderr, "callouthost: the client stopped following the load; exiting\n");
    exit_now(kUsageExitStatus);
  }
  auto reply = begin_reply(lane, Status::ok);
  reply.u8(load.callout ? 1 : 0);
  reply.u8(load.start ? 1 : 0);
  if (load.start) {
    write_control_call(reply, *load.start);
  }
  reply.u32(load.callout ? member_mask(load.callout->table()) : 0);
  callout_ = std::move(load.callout);
  if (callout_) {
    start_lanes();
  }
  publish(lane, reply);
}

void HostServer::serve_hook(Lane& lane, WireReader& request) {
  static const DHCP_CALLOUT_TABLE kNoTable{};
  const DHCP_CALLOUT_TABLE& table = callout_ ? callout_->table() : kNoTable;
  auto reply = begin_reply(lane, Status::ok);
  CallOutcome outcome = lane.calls.run(table, request, reply);
  if (outcome.fault) {
    auto fault = begin_reply(lane, Status::fault);
    write_fault(fault, *outcome.fault);
    if (checked_ != nullptr) {
      write_findings(fault, outcome.findings);
    }
    publish(lane, fault);
    // The callout may be corrupt now; the client starts a new host.
    exit_now(kFaultExitStatus);
  }
  if (outcome.error) {
    reply_error(lane, *outcome.error);
    return;
  }
  publish(lane, reply);
}

void HostServer::serve_stop(Lane& lane) {
  ControlCall stop;
  stop.code = DHCP_CONTROL_STOP;
  stop_lanes();
  if (callout_) {
    stop = callout_->stop_and_unload(trap_);
    callout_.reset();
  }
  auto reply = begin_reply(lane, Status::ok);
  write_control_call(reply, stop);
  publish(lane, reply);
}

}  // namespace calloutemu::loader::host
