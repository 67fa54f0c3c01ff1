// libFuzzer: the capture-to-hook path. Arbitrary frames go through the frame
// decoder, the reply lookahead and the server model, whose hooks are a
// callout that reads everything it is handed (so ASan sees any pointer the
// server gets wrong) and checks the server's promises.
//
// Input: records of [link selector][time step][length, 2 bytes][frame].
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>

#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/pcap_replay/frame_decoder.h"
#include "calloutemu/pcap_replay/link_type.h"
#include "calloutemu/scopes/scope.h"
#include "calloutemu/server/dhcp_server.h"
#include "calloutemu/server/reply_lookahead.h"

namespace {

using namespace calloutemu;

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

volatile std::uint8_t g_sink;

void touch(const void* data, std::size_t length) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::uint8_t sum = 0;
  for (std::size_t i = 0; i < length; ++i) {
    sum = static_cast<std::uint8_t>(sum + bytes[i]);
  }
  g_sink = sum;
}

// A callout that reads every byte it is given and keeps the server honest
// about Reserved and PktContext.
class ReadingHooks final : public loader::CalloutHooks {
 public:
  bool has(loader::Hook) const override { return true; }
  loader::HookCall control(DWORD) override { return called(); }
  loader::HookCall new_pkt(BYTE** packet, DWORD* size, DWORD, void* reserved, void** context,
                           BOOL* process_it) override {
    require(reserved != nullptr && *context == nullptr && *process_it == TRUE);
    require(*size <= dhcp::kServerBufferSize);
    touch(*packet, *size);
    reserved_ = reserved;
    *context = &context_tag_;
    return called();
  }
  loader::HookCall pkt_drop(BYTE** packet, DWORD* size, DWORD, DWORD, void* reserved,
                            void* context) override {
    same_packet(reserved, context);
    touch(*packet, *size);
    return called();
  }
  loader::HookCall pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD, void* reserved,
                            void* context) override {
    require(code == DHCP_SEND_PACKET);
    same_packet(reserved, context);
    touch(*packet, *size);
    return called();
  }
  loader::HookCall address_del(BYTE* packet, DWORD size, DWORD, DWORD, DWORD, void* reserved,
                               void* context) override {
    same_packet(reserved, context);
    touch(packet, size);
    return called();
  }
  loader::HookCall address_offer(BYTE* packet, DWORD size, DWORD, DWORD, DWORD, DWORD, DWORD,
                                 void* reserved, void* context) override {
    same_packet(reserved, context);
    touch(packet, size);
    return called();
  }
  loader::HookCall handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                  DHCP_SERVER_OPTIONS* options) override {
    same_packet(reserved, context);
    touch(packet, size);
    auto inside = [&](const void* pointer, std::size_t length) {
      if (pointer == nullptr) {
        return;
      }
      const auto* at = static_cast<const BYTE*>(pointer);
      require(at >= packet && at + length <= packet + size);
      touch(at, length);
    };
    inside(options->MessageType, 1);
    inside(options->SubnetMask, 4);
    inside(options->RequestedAddress, 4);
    inside(options->RequestLeaseTime, 4);
    inside(options->OverlayFields, 1);
    inside(options->RouterAddress, 4);
    inside(options->Server, 4);
    inside(options->ParameterRequestList, options->ParameterRequestListLength);
    inside(options->MachineName, options->MachineNameLength);
    inside(options->ClientHardwareAddress, options->ClientHardwareAddressLength);
    inside(options->ClassIdentifier, options->ClassIdentifierLength);
    inside(options->VendorClass, options->VendorClassLength);
    inside(options->DNSName, options->DNSNameLength);
    inside(options->DSDomainName, options->DSDomainNameLen);
    require(options->ScopeId == nullptr);
    return called();
  }
  loader::HookCall delete_client(DWORD, BYTE* hw_address, ULONG length, DWORD reserved,
                                 DWORD) override {
    require(reserved == 0);
    touch(hw_address, length);
    return called();
  }
  std::optional<loader::Fault> guarded(void (*fn)(void*), void* context) override {
    fn(context);
    return std::nullopt;
  }
  using CalloutHooks::guarded;

 private:
  static loader::HookCall called() {
    loader::HookCall call;
    call.called = true;
    return call;
  }
  void same_packet(void* reserved, void* context) const {
    require(reserved == reserved_ && context == &context_tag_);
  }
  void* reserved_ = nullptr;
  int context_tag_ = 0;
};

constexpr int kLinkTypes[] = {pcap_replay::link_type::kEthernet, pcap_replay::link_type::kLinuxSll,
                              pcap_replay::link_type::kLinuxSll2, pcap_replay::link_type::kRaw};

server::ServerSettings settings_for(std::uint8_t selector) {
  server::ServerSettings settings;
  settings.decisions = static_cast<server::DecisionMode>(selector % 3);
  settings.fidelity = (selector & 4) != 0 ? server::Fidelity::legacy : server::Fidelity::documented;
  auto scope = scopes::scope_from_cidr("10.0.0.0/29");
  require(scope.ok());
  scope->lease_time = 5;
  scope->serves_bootp = (selector & 8) != 0;
  settings.config.scopes.push_back(std::move(scope).value());
  settings.config.answering_ping = {0x0A000003};
  settings.pause_at = {5};
  settings.continue_at = {7};
  settings.injections = {{DHCP_DROP_GEN_FAILURE, 3}};
  return settings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  ReadingHooks hooks;
  server::ServerObserver observer;
  server::DhcpServer dhcp(settings_for(data[0]), hooks, observer);
  server::ReplyLookahead feed(
      std::chrono::seconds(2),
      static_cast<server::DecisionMode>(data[0] % 3) != server::DecisionMode::model, 4);
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  std::chrono::nanoseconds time{};
  std::uint64_t frame = 0;
  auto drain = [&] {
    while (auto ready = feed.front()) {
      dhcp.process(*ready->request, ready->reply);
      feed.pop();
    }
  };
  while (rest.size() >= 4) {
    const int link_type = kLinkTypes[rest[0] % std::size(kLinkTypes)];
    time += std::chrono::milliseconds(250) * rest[1];
    const std::size_t length =
        std::min<std::size_t>(rest.size() - 4, std::size_t{rest[2]} << 8 | rest[3]);
    const auto bytes = rest.subspan(4, length);
    rest = rest.subspan(4 + length);
    ++frame;
    const auto decoded =
        pcap_replay::decode_frame(link_type, bytes, static_cast<std::uint32_t>(bytes.size()));
    const auto* datagram = std::get_if<pcap_replay::UdpDatagram>(&decoded);
    if (datagram == nullptr) {
      continue;
    }
    server::CapturedUdp udp{
        {frame, 0, time},      datagram->source_address,   datagram->destination_address,
        datagram->source_port, datagram->destination_port, datagram->payload};
    const auto pushed = feed.push(udp);
    if (pushed.kind == server::ReplyLookahead::Kind::reply) {
      dhcp.observe_reply(*pushed.reply);
    }
    drain();
  }
  feed.finish();
  drain();
  dhcp.finish(feed.counters().requests);
  return 0;
}
