// The host's request loop: waits for the client's calls on the channel and
// answers each (PROTOCOL.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_clock.h"
#include "calloutemu/result.h"
#include "host_calls.h"
#include "host_process.h"
#include "host_protocol.h"
#include "host_stdio.h"
#include "host_wire.h"

namespace calloutemu::loader::host {

// Whether the channel's header is this protocol version's, or what is wrong with it.
calloutemu::Status check_channel(const SharedFile& channel);

class HostServer {
 public:
  // With `checked` (callouthost --checked), ChainDlls and the packet buffers
  // the callout gets are guarded (CheckedBuffers).
  HostServer(SharedFile channel, HostPipes pipes, FaultTrap& trap, const HookClock& clock,
             const NoAccessRegion& no_access, GuardedMemory* checked = nullptr)
      : channel_(std::move(channel)),
        pipes_(pipes),
        trap_(trap),
        calls_(trap, clock, no_access),
        checked_(checked) {}

  // --wait-for-debugger: wait for a debugger before loading the chain;
  // --break-always: a flagged hook call stops even without one.
  void debugging(bool wait_for_debugger, bool break_always) {
    wait_for_debugger_ = wait_for_debugger;
    calls_.break_always(break_always);
  }

  // Serves requests until STOP or until the client is gone; the exit status.
  // A hook that faults ends the process from here (kFaultExitStatus).
  int run();

 private:
  ChannelHeader& header() const;
  std::optional<WireReader> next_request();
  WireWriter begin_reply(Status status);
  void publish(WireWriter reply);
  void reply_error(const std::string& message);

  void serve_hello(WireReader& request);
  void serve_registry();
  void serve_load(WireReader& request);
  void serve_hook(WireReader& request);
  void serve_stop();

  SharedFile channel_;
  HostPipes pipes_;
  FaultTrap& trap_;
  HostCalls calls_;
  GuardedMemory* checked_;
  std::optional<LoadedCallout> callout_;
  bool load_tried_ = false;
  std::uint32_t seen_ = 0;  // the last call sequence answered
  bool wait_for_debugger_ = false;
};

}  // namespace calloutemu::loader::host
