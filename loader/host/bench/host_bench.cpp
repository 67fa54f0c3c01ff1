// Requests per second through the callout host: each request is the hooks a
// served DISCOVER with a drop costs (NewPkt, HandleOptions, PktSend, PktDrop
// with a reason, PktDrop(PROCESSED)) with the noop fixture, four packet slots
// used in turn as the server does. The in-process figure is the baseline.
//   host_bench [--benchmark_min_time=2s]
// CALLOUTEMU_BENCH_HOST="wine /path/callouthost.exe" (and CALLOUTEMU_BENCH_DLL,
// a noop.dll) measures another host, such as the Windows one under Wine.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/hosted_chain.h"

namespace {

using namespace calloutemu::loader;

constexpr DWORD kIp = 0xC0000201;

struct PacketSlot {
  std::array<BYTE, 4096> receive{};
  std::array<BYTE, 4096> send{};
};

// A 300-byte DISCOVER with the options a Windows client sends, and the
// DHCP_SERVER_OPTIONS pointing into it.
struct Request {
  std::array<BYTE, 300> bytes{};
  std::array<std::size_t, 4> at{};  // 53, 61, 12, 55: where each option's data is
  Request() {
    bytes[0] = 1;
    bytes[1] = 1;
    bytes[2] = 6;
    const BYTE cookie[] = {99, 130, 83, 99};
    std::memcpy(bytes.data() + 236, cookie, sizeof cookie);
    std::size_t i = 240;
    auto option = [&](std::size_t index, BYTE code, std::initializer_list<BYTE> data) {
      bytes[i] = code;
      bytes[i + 1] = static_cast<BYTE>(data.size());
      at[index] = i + 2;
      std::copy(data.begin(), data.end(), bytes.begin() + static_cast<std::ptrdiff_t>(i + 2));
      i += 2 + data.size();
    };
    option(0, 53, {1});
    option(1, 61, {1, 0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e});
    option(2, 12, {'d', 'e', 's', 'k', 't', 'o', 'p'});
    option(3, 55, {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252});
    bytes[i] = 255;
  }
};

void one_request(CalloutHooks& hooks, PacketSlot& slot, const Request& request) {
  std::memcpy(slot.receive.data(), request.bytes.data(), request.bytes.size());
  BYTE* packet = slot.receive.data();
  DWORD size = static_cast<DWORD>(request.bytes.size());
  void* context = nullptr;
  BOOL process = TRUE;
  hooks.new_pkt(&packet, &size, kIp, &slot, &context, &process);
  DHCP_SERVER_OPTIONS options{};
  options.MessageType = packet + request.at[0];
  options.ClientHardwareAddressType = packet[request.at[1]];
  options.ClientHardwareAddress = packet + request.at[1] + 1;
  options.ClientHardwareAddressLength = 6;
  options.MachineName = reinterpret_cast<CHAR*>(packet + request.at[2]);
  options.MachineNameLength = 7;
  options.ParameterRequestList = packet + request.at[3];
  options.ParameterRequestListLength = 14;
  options.DNSFlags = 0xFFFF;
  hooks.handle_options(packet, size, &slot, context, &options);
  std::memcpy(slot.send.data(), request.bytes.data(), request.bytes.size());
  BYTE* reply = slot.send.data();
  DWORD reply_size = static_cast<DWORD>(request.bytes.size());
  hooks.pkt_send(&reply, &reply_size, DHCP_SEND_PACKET, kIp, &slot, context);
  hooks.pkt_drop(&packet, &size, DHCP_DROP_NOADDRESS, kIp, &slot, context);
  hooks.pkt_drop(&packet, &size, DHCP_DROP_PROCESSED, kIp, &slot, context);
}

void run_requests(benchmark::State& state, CalloutHooks& hooks) {
  std::vector<std::unique_ptr<PacketSlot>> slots;
  for (int i = 0; i < 4; ++i) {
    slots.push_back(std::make_unique<PacketSlot>());
  }
  const Request request;
  std::size_t next = 0;
  for (auto _ : state) {
    one_request(hooks, *slots[next], request);
    next = (next + 1) % slots.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["requests/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

std::string noop_dll() {
  if (const char* dll = std::getenv("CALLOUTEMU_BENCH_DLL")) {
    return dll;
  }
  return std::string(CALLOUTEMU_FIXTURE_DIR) + "/noop" + CALLOUTEMU_CALLOUT_SUFFIX;
}

HostCommand host_command() {
  HostCommand command;
  if (const char* host = std::getenv("CALLOUTEMU_BENCH_HOST")) {
    std::istringstream words(host);
    for (std::string word; words >> word;) {
      command.argv.push_back(word);
    }
    command.windows_host = command.argv.back().ends_with(".exe");
    command.environment = {{"WINEDEBUG", "-all"}};
  } else {
    command.argv = {CALLOUTEMU_HOST_PROGRAM};
  }
  return command;
}

void BM_HostedRequest(benchmark::State& state) {
  FaultTrap trap;
  auto chain = HostedChain::launch(host_command(), trap);
  if (!chain) {
    state.SkipWithError(chain.error().message.c_str());
    return;
  }
  auto load = (*chain)->load({noop_dll()}, {});
  if (!load || !load->loaded) {
    state.SkipWithError("the noop callout did not load in the host");
    return;
  }
  run_requests(state, (*chain)->hooks());
  (*chain)->stop_and_unload();
}
BENCHMARK(BM_HostedRequest)->UseRealTime();

void BM_InProcessRequest(benchmark::State& state) {
  FaultTrap trap;
  auto load = load_callout_chain(
      {std::string(CALLOUTEMU_FIXTURE_DIR) + "/noop" + CALLOUTEMU_CALLOUT_SUFFIX}, trap);
  if (!load.callout) {
    state.SkipWithError("the noop callout did not load");
    return;
  }
  InProcessHooks hooks(load.callout->table(), trap);
  run_requests(state, hooks);
  load.callout->stop_and_unload(trap);
}
BENCHMARK(BM_InProcessRequest)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
