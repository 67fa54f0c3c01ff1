// What the callout host's tests share: how to start the hosts under test,
// and packets to hand the hooks.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/hosted_chain.h"

namespace calloutemu::loader::test {

// The callouthost built with the tests; `environment` is set in it.
HostCommand native_host(std::vector<std::pair<std::string, std::string>> environment = {});
// The fake host (fake_host.cpp) breaking the protocol as `mode` says.
HostCommand fake_host(const std::string& mode);

// The test callout (test_callout.c).
std::string test_callout_path();

// A server buffer: 4096 bytes, `text` at the start, the rest 0xDB as the
// server's canary.
struct ServerBuffer {
  explicit ServerBuffer(const std::string& text);
  ServerBuffer(const ServerBuffer&) = delete;
  ServerBuffer& operator=(const ServerBuffer&) = delete;
  std::array<BYTE, 4096> bytes{};
  BYTE* packet = bytes.data();
  DWORD size = 0;
};

// A DHCPDISCOVER with options 53, 61, 12 ("host-a"), 55 (1, 3, 6), 1
// (a subnet mask) and END, first byte `first` (1 for BOOTREQUEST), and the
// DHCP_SERVER_OPTIONS the server fills for it.
struct OptionsPacket {
  explicit OptionsPacket(BYTE first = 1);
  ServerBuffer buffer{""};
  DHCP_SERVER_OPTIONS options{};
};

// Every line the log received.
struct LogLines {
  std::vector<std::string> lines;
  HostedChain::Log sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
  std::string joined() const;
};

}  // namespace calloutemu::loader::test
