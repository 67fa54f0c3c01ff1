#include "host_server.h"

#include <cstdio>
#include <cstring>
#include <new>

#include "calloutemu/loader/debugger.h"
#include "calloutemu/loader/hook_table.h"
#include "calloutemu/loader/registry.h"
#include "host_spin.h"

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

calloutemu::Status check_channel(const SharedFile& channel) {
  const auto* header = std::launder(reinterpret_cast<const ChannelHeader*>(channel.data()));
  if (header->magic != kChannelMagic) {
    return make_error("not a callout host channel (bad magic)");
  }
  if (header->version != kProtocolVersion) {
    return make_error("the channel is for protocol version " + std::to_string(header->version) +
                      ", this host speaks " + std::to_string(kProtocolVersion));
  }
  if (header->header_size != kHeaderSize || header->request_offset != kRequestOffset ||
      header->request_capacity != kRequestCapacity || header->reply_offset != kReplyOffset ||
      header->reply_capacity != kReplyCapacity) {
    return make_error("the channel's layout is not this protocol version's");
  }
  return {};
}

ChannelHeader& HostServer::header() const {
  return *std::launder(reinterpret_cast<ChannelHeader*>(channel_.data()));
}

std::optional<WireReader> HostServer::next_request() {
  ChannelHeader& shared = header();
  const auto arrived = [&] {
    return shared.call_sequence.load(std::memory_order_seq_cst) != seen_;
  };
  if (!spin_until(arrived, kSpinTime, kBusySpinTime)) {
    shared.host_sleeping.store(1, std::memory_order_seq_cst);
    while (!arrived()) {
      if (!pipes_.wait()) {
        return std::nullopt;  // the client is gone
      }
    }
    shared.host_sleeping.store(0, std::memory_order_relaxed);
  }
  seen_ = shared.call_sequence.load(std::memory_order_acquire);
  const std::uint8_t* area = channel_.data() + kRequestOffset;
  const std::uint32_t length = load_u32(area);
  if (length > kRequestCapacity - sizeof(std::uint32_t)) {
    return WireReader();  // reads as malformed: answered with an error
  }
  return WireReader(area + sizeof(std::uint32_t), length);
}

WireWriter HostServer::begin_reply(Status status) {
  WireWriter writer(channel_.data() + kReplyOffset + sizeof(std::uint32_t),
                    kReplyCapacity - sizeof(std::uint32_t));
  writer.u32(static_cast<std::uint32_t>(status));
  return writer;
}

void HostServer::publish(WireWriter reply) {
  if (!reply.ok()) {
    reply = begin_reply(Status::error);
    reply.string("the reply does not fit the channel");
  }
  store_u32(channel_.data() + kReplyOffset, static_cast<std::uint32_t>(reply.size()));
  ChannelHeader& shared = header();
  shared.reply_sequence.store(seen_, std::memory_order_seq_cst);
  if (shared.client_sleeping.load(std::memory_order_seq_cst) != 0) {
    pipes_.wake_client();
  }
}

void HostServer::reply_error(const std::string& message) {
  auto reply = begin_reply(Status::error);
  reply.string(message);
  publish(reply);
}

int HostServer::run() {
  while (auto request = next_request()) {
    const std::uint32_t kind = request->u32();
    switch (static_cast<Request>(kind)) {
      case Request::hello:
        serve_hello(*request);
        break;
      case Request::read_registry:
        serve_registry();
        break;
      case Request::load:
        serve_load(*request);
        break;
      case Request::hook:
        serve_hook(*request);
        break;
      case Request::stop:
        serve_stop();
        return 0;
      case Request::load_next:
      default:
        reply_error("unexpected request " + std::to_string(kind));
        break;
    }
  }
  return 0;
}

void HostServer::serve_hello(WireReader& request) {
  request.u32();  // the client's protocol version: it checks ours
  auto reply = begin_reply(Status::ok);
  reply.u32(kProtocolVersion);
  reply.string(std::string("callouthost ") + CALLOUTEMU_VERSION + " (" + host_platform() + ")");
  publish(reply);
}

void HostServer::serve_registry() {
  auto config = read_callout_registry();
  if (!config) {
    reply_error(config.error().message);
    return;
  }
  auto reply = begin_reply(Status::ok);
  write_config(reply, *config);
  publish(reply);
}

void HostServer::serve_load(WireReader& request) {
  const auto names = read_strings(request);
  if (!request.ok()) {
    reply_error("a malformed load request");
    return;
  }
  if (load_tried_) {
    reply_error("this host has loaded a chain already");
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
    auto reply = begin_reply(Status::attempt);
    write_attempt(reply, attempt);
    publish(reply);
    auto next = next_request();
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
    calls_.check(*checked_, load.callout->name());
  }
  if (client_gone) {
    std::fprintf(stderr, "callouthost: the client stopped following the load; exiting\n");
    exit_now(kUsageExitStatus);
  }
  auto reply = begin_reply(Status::ok);
  reply.u8(load.callout ? 1 : 0);
  reply.u8(load.start ? 1 : 0);
  if (load.start) {
    write_control_call(reply, *load.start);
  }
  reply.u32(load.callout ? member_mask(load.callout->table()) : 0);
  callout_ = std::move(load.callout);
  publish(reply);
}

void HostServer::serve_hook(WireReader& request) {
  static const DHCP_CALLOUT_TABLE kNoTable{};
  const DHCP_CALLOUT_TABLE& table = callout_ ? callout_->table() : kNoTable;
  auto reply = begin_reply(Status::ok);
  CallOutcome outcome = calls_.run(table, request, reply);
  if (outcome.fault) {
    auto fault = begin_reply(Status::fault);
    write_fault(fault, *outcome.fault);
    if (checked_ != nullptr) {
      write_findings(fault, outcome.findings);
    }
    publish(fault);
    // The callout may be corrupt now; the client starts a new host.
    exit_now(kFaultExitStatus);
  }
  if (outcome.error) {
    reply_error(*outcome.error);
    return;
  }
  publish(reply);
}

void HostServer::serve_stop() {
  ControlCall stop;
  stop.code = DHCP_CONTROL_STOP;
  if (callout_) {
    stop = callout_->stop_and_unload(trap_);
    callout_.reset();
  }
  auto reply = begin_reply(Status::ok);
  write_control_call(reply, stop);
  publish(reply);
}

}  // namespace calloutemu::loader::host
