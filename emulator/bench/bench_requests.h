// The requests of the bench capture: which request comes n-th, and its bytes.
//
// Round 0: every client sends DISCOVER, in client order, then every client
// sends REQUEST selecting the address the server model offers it (allocation
// is lowest-first in DISCOVER order). Later rounds: every client renews.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "calloutemu/pcap_replay/udp_frame.h"

namespace calloutemu::bench {

enum class RequestKind { discover, select, renew };

struct BenchRequest {
  RequestKind kind = RequestKind::discover;
  std::uint64_t client = 0;
  std::uint64_t round = 0;
};

inline constexpr std::uint32_t kServerAddress = 0x0A000001;  // 10.0.0.1
inline constexpr std::uint32_t kFirstAddress = 0x0A00000A;   // 10.0.0.10
inline constexpr std::uint32_t kLastAddress = 0x0AFFFFFA;    // 10.255.255.250
inline constexpr std::uint64_t kMaxClients = kLastAddress - kFirstAddress + 1;
inline constexpr std::size_t kPaddedPayload = 300;  // what real clients pad to
inline constexpr std::size_t kMaxPayload = 400;

// The n-th request (0-based) of a capture with `clients` clients (at least 1).
BenchRequest request_at(std::uint64_t n, std::uint64_t clients);

std::uint32_t client_address(std::uint64_t client);  // host order
pcap_replay::MacAddress client_mac(std::uint64_t client);

// Writes the DHCP payload into `out` and returns its length.
std::size_t build_payload(const BenchRequest& request, std::uint64_t clients,
                          std::span<std::uint8_t, kMaxPayload> out);

pcap_replay::UdpFrameAddresses frame_addresses(const BenchRequest& request, std::uint16_t ip_id);

}  // namespace calloutemu::bench
