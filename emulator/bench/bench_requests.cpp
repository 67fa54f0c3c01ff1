#include "bench_requests.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace calloutemu::bench {
namespace {

constexpr pcap_replay::MacAddress kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr pcap_replay::MacAddress kServerMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

// murmur3's finaliser (a bijection, so distinct (client, round) pairs get
// distinct transaction ids while fewer than 2^32 are numbered), offset so that
// the first is not 0.
std::uint32_t transaction_id(std::uint32_t x) {
  x += 0x5EED;
  x ^= x >> 16;
  x *= 0x85EBCA6BU;
  x ^= x >> 13;
  x *= 0xC2B2AE35U;
  x ^= x >> 16;
  return x;
}

class PayloadWriter {
 public:
  explicit PayloadWriter(std::span<std::uint8_t, kMaxPayload> out) : out_(out) {}

  void byte(std::uint32_t value) {
    assert(length_ < out_.size());
    out_[length_++] = static_cast<std::uint8_t>(value);
  }
  void u16(std::uint32_t value) {
    byte(value >> 8);
    byte(value);
  }
  void u32(std::uint32_t value) {
    u16(value >> 16);
    u16(value);
  }
  void bytes(std::span<const std::uint8_t> values) {
    for (const auto value : values) {
      byte(value);
    }
  }
  void zeros(std::size_t count) {
    assert(length_ + count <= out_.size());
    std::fill_n(out_.begin() + static_cast<std::ptrdiff_t>(length_), count, std::uint8_t{0});
    length_ += count;
  }
  std::size_t length() const { return length_; }

 private:
  std::span<std::uint8_t, kMaxPayload> out_;
  std::size_t length_ = 0;
};

}  // namespace

BenchRequest request_at(std::uint64_t n, std::uint64_t clients) {
  if (n < clients) {
    return {RequestKind::discover, n, 0};
  }
  if (n < 2 * clients) {
    return {RequestKind::select, n - clients, 0};
  }
  const std::uint64_t renewal = n - 2 * clients;
  return {RequestKind::renew, renewal % clients, 1 + renewal / clients};
}

std::uint32_t client_address(std::uint64_t client) {
  return kFirstAddress + static_cast<std::uint32_t>(client);
}

pcap_replay::MacAddress client_mac(std::uint64_t client) {
  return {0x02,
          static_cast<std::uint8_t>(client >> 32),
          static_cast<std::uint8_t>(client >> 24),
          static_cast<std::uint8_t>(client >> 16),
          static_cast<std::uint8_t>(client >> 8),
          static_cast<std::uint8_t>(client)};
}

std::size_t build_payload(const BenchRequest& request, std::uint64_t clients,
                          std::span<std::uint8_t, kMaxPayload> out) {
  const auto mac = client_mac(request.client);
  PayloadWriter w(out);
  w.byte(1);  // BOOTREQUEST
  w.byte(1);  // Ethernet
  w.byte(6);
  w.byte(0);  // hops
  w.u32(transaction_id(static_cast<std::uint32_t>(request.round * clients + request.client)));
  w.u16(0);                                                                        // secs
  w.u16(0);                                                                        // flags
  w.u32(request.kind == RequestKind::renew ? client_address(request.client) : 0);  // ciaddr
  w.zeros(12);  // yiaddr, siaddr, giaddr
  w.bytes(mac);
  w.zeros(10 + 64 + 128);  // chaddr padding, sname, file
  w.u32(0x63825363);       // magic cookie

  w.byte(53);
  w.byte(1);
  w.byte(request.kind == RequestKind::discover ? 1 : 3);
  w.byte(61);
  w.byte(7);
  w.byte(1);
  w.bytes(mac);
  if (request.kind == RequestKind::select) {
    w.byte(50);
    w.byte(4);
    w.u32(client_address(request.client));
    w.byte(54);
    w.byte(4);
    w.u32(kServerAddress);
  }
  constexpr std::array<std::uint8_t, 5> kParameters = {1, 3, 6, 15, 51};
  w.byte(55);
  w.byte(kParameters.size());
  w.bytes(kParameters);
  const std::string host_name = "bench-" + std::to_string(request.client);
  w.byte(12);
  w.byte(static_cast<std::uint32_t>(host_name.size()));
  for (const char c : host_name) {
    w.byte(static_cast<std::uint8_t>(c));
  }
  w.byte(255);
  if (w.length() < kPaddedPayload) {
    w.zeros(kPaddedPayload - w.length());
  }
  return w.length();
}

pcap_replay::UdpFrameAddresses frame_addresses(const BenchRequest& request, std::uint16_t ip_id) {
  pcap_replay::UdpFrameAddresses addresses;
  addresses.source_mac = client_mac(request.client);
  addresses.source_port = 68;
  addresses.destination_port = 67;
  addresses.ip_id = ip_id;
  if (request.kind == RequestKind::renew) {
    addresses.destination_mac = kServerMac;
    addresses.source_address = client_address(request.client);
    addresses.destination_address = kServerAddress;
  } else {
    addresses.destination_mac = kBroadcastMac;
    addresses.source_address = 0;
    addresses.destination_address = 0xFFFFFFFF;
  }
  return addresses;
}

}  // namespace calloutemu::bench
