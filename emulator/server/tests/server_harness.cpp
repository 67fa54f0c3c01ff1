#include "server_harness.h"

#include <gtest/gtest.h>

#include <utility>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::testing::PacketMaker;
namespace option = dhcp::option;

constexpr std::int64_t kStartSeconds = 1'700'000'000;

PacketMaker client_message(std::uint8_t type, std::uint8_t client, std::uint32_t xid) {
  PacketMaker maker;
  maker.xid(xid).chaddr(mac(client)).option(option::message_type, {type});
  return maker;
}

}  // namespace

Bytes be32(std::uint32_t value) {
  return {static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
          static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
}

Bytes mac(std::uint8_t n) {
  return {0x02, 0x00, 0x5e, 0x00, 0x00, n};
}

scopes::Scope test_scope() {
  scopes::Scope scope;
  scope.name = "test";
  scope.subnet = scopes::Subnet{net(0), 24};
  scope.server_address = kServer;
  scope.ranges = {scopes::AddressRange{net(100), net(199)}};
  return scope;
}

ServerSettings model_settings(Fidelity fidelity) {
  ServerSettings settings;
  settings.fidelity = fidelity;
  settings.decisions = DecisionMode::model;
  settings.config.scopes = {test_scope()};
  return settings;
}

namespace msg {

Bytes discover(std::uint8_t client, std::uint32_t xid) {
  return client_message(1, client, xid).end().bytes();
}

Bytes request_selecting(std::uint8_t client, std::uint32_t xid, std::uint32_t address,
                        std::uint32_t server) {
  return client_message(3, client, xid)
      .option(option::requested_address, be32(address))
      .option(option::server_identifier, be32(server))
      .end()
      .bytes();
}

Bytes request_init_reboot(std::uint8_t client, std::uint32_t xid, std::uint32_t address) {
  return client_message(3, client, xid)
      .option(option::requested_address, be32(address))
      .end()
      .bytes();
}

Bytes request_renewing(std::uint8_t client, std::uint32_t xid, std::uint32_t ciaddr) {
  return client_message(3, client, xid).u32_at(dhcp::kCiaddrOffset, ciaddr).end().bytes();
}

Bytes decline(std::uint8_t client, std::uint32_t xid, std::uint32_t address) {
  return client_message(4, client, xid)
      .option(option::requested_address, be32(address))
      .option(option::server_identifier, be32(kServer))
      .end()
      .bytes();
}

Bytes release(std::uint8_t client, std::uint32_t xid, std::uint32_t ciaddr) {
  return client_message(7, client, xid)
      .u32_at(dhcp::kCiaddrOffset, ciaddr)
      .option(option::server_identifier, be32(kServer))
      .end()
      .bytes();
}

Bytes inform(std::uint8_t client, std::uint32_t xid, std::uint32_t ciaddr) {
  return client_message(8, client, xid).u32_at(dhcp::kCiaddrOffset, ciaddr).end().bytes();
}

Bytes bootp(std::uint8_t client, std::uint32_t xid) {
  PacketMaker maker;
  return maker.xid(xid).chaddr(mac(client)).end().bytes();
}

Bytes of_type(std::uint8_t type, std::uint8_t client, std::uint32_t xid) {
  return client_message(type, client, xid).end().bytes();
}

Bytes reply(std::optional<dhcp::MessageType> type, std::uint8_t client, std::uint32_t xid,
            std::uint32_t yiaddr, std::optional<std::uint32_t> lease, std::uint32_t server) {
  PacketMaker maker;
  maker.op(dhcp::kBootReply).xid(xid).chaddr(mac(client)).u32_at(dhcp::kYiaddrOffset, yiaddr);
  if (type) {
    maker.option(option::message_type, {static_cast<std::uint8_t>(*type)});
  }
  maker.option(option::server_identifier, be32(server));
  if (lease) {
    maker.option(option::lease_time, be32(*lease));
  }
  return maker.end().bytes();
}

}  // namespace msg

std::chrono::nanoseconds at(double seconds) {
  return std::chrono::seconds(kStartSeconds) +
         std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
}

CapturedReply captured_reply(const Bytes& datagram, double seconds, std::uint32_t source) {
  CaptureOrigin origin;
  origin.time = at(seconds);
  origin.frame_number = 1;
  auto reply = read_captured_reply(origin, source, datagram);
  EXPECT_TRUE(reply.ok());
  return reply.ok() ? std::move(reply).value() : CapturedReply{};
}

void RecordingObserver::hook_called(const HookRecord& record) {
  hooks.push_back({record.hook, record.code, record.request,
                   record.call != nullptr ? *record.call : loader::HookCall{}});
}

void RecordingObserver::response_sent(const RequestOutcome& outcome,
                                      std::span<const std::uint8_t> bytes) {
  responses.push_back({outcome.number, outcome.response_type, outcome.response_replaced,
                       Bytes(bytes.begin(), bytes.end())});
}

void RecordingObserver::request_finished(const RequestOutcome& outcome) {
  outcomes.push_back(outcome);
}

void RecordingObserver::note(std::string_view text) {
  notes.emplace_back(text);
}

const RecordedCall& Handled::first(loader::Hook hook) const {
  for (const auto& call : calls) {
    if (call.hook == hook) {
      return call;
    }
  }
  ADD_FAILURE() << "no " << loader::to_string(hook) << " call";
  static const RecordedCall none;
  return none;
}

Harness::Harness(ServerSettings settings)
    : server_(std::make_unique<DhcpServer>(std::move(settings), hooks, observer)) {}

Handled Harness::send(const Bytes& bytes, double seconds, const CapturedReply* reply,
                      std::uint32_t destination) {
  last_seconds_ = seconds;
  Request request;
  request.number = ++number_;
  request.origin.time = at(seconds);
  request.origin.frame_number = number_;
  request.source_address = 0;
  request.destination_address = destination;
  request.payload = bytes;

  const std::size_t mark = hooks.calls().size();
  const std::size_t outcomes_before = observer.outcomes.size();
  const std::size_t responses_before = observer.responses.size();
  server_->process(request, reply);

  Handled handled;
  handled.calls = hooks.calls_since(mark);
  EXPECT_EQ(observer.outcomes.size(), outcomes_before + 1) << "request_finished once";
  if (observer.outcomes.size() > outcomes_before) {
    handled.outcome = observer.outcomes.back();
  }
  EXPECT_LE(observer.responses.size(), responses_before + 1) << "at most one response";
  if (observer.responses.size() > responses_before) {
    handled.response = observer.responses.back();
  }
  return handled;
}

std::uint32_t acquire_lease(Harness& harness, std::uint8_t client, std::uint32_t xid) {
  const auto offer = harness.send(msg::discover(client, xid));
  if (!offer.response) {
    ADD_FAILURE() << "no OFFER for client " << int{client};
    return 0;
  }
  const std::uint32_t address = response_yiaddr(offer.response->bytes);
  const auto ack = harness.send(msg::request_selecting(client, xid, address));
  if (!ack.response || response_type(ack.response->bytes) != dhcp::MessageType::ack) {
    ADD_FAILURE() << "no ACK for client " << int{client};
    return 0;
  }
  return address;
}

std::optional<dhcp::MessageType> response_type(const Bytes& bytes) {
  auto view = dhcp::parse_message(std::span<const std::uint8_t>(bytes));
  return view ? view->message_type() : std::nullopt;
}

std::uint32_t response_yiaddr(const Bytes& bytes) {
  auto view = dhcp::parse_message(std::span<const std::uint8_t>(bytes));
  return view ? view->yiaddr : 0;
}

}  // namespace calloutemu::server::testing
