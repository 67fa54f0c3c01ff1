// The host's request loop: waits for the client's calls on the channel's
// lanes and answers each (PROTOCOL.md). Lane 0 is served on the thread that
// calls run(); after a load, each other lane gets a thread of its own that
// serves hook calls, so hooks of different packets run at once as on the
// server's worker threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_clock.h"
#include "calloutemu/result.h"
#include "host_calls.h"
#include "host_process.h"
#include "host_protocol.h"
#include "host_stdio.h"
#include "host_wake_hub.h"
#include "host_wire.h"

namespace calloutemu::loader::host {

// The channel's number of lanes, when its header is this protocol version's
// and the file holds them; else what is wrong with it.
Result<std::size_t> check_channel(const SharedFile& channel);

class HostServer {
 public:
  // With `checked` (callouthost --checked), ChainDlls and the packet buffers
  // the callout gets are guarded (CheckedBuffers).
  HostServer(SharedFile channel, std::size_t lanes, HostPipes pipes, FaultTrap& trap,
             const HookClock& clock, const NoAccessRegion& no_access,
             GuardedMemory* checked = nullptr);
  ~HostServer();
  HostServer(const HostServer&) = delete;
  HostServer& operator=(const HostServer&) = delete;

  // --wait-for-debugger: wait for a debugger before loading the chain;
  // --break-always: a flagged hook call stops even without one.
  void debugging(bool wait_for_debugger, bool break_always) {
    wait_for_debugger_ = wait_for_debugger;
    shared_.break_always = break_always;
  }

  // Serves requests until STOP or until the client is gone; the exit status.
  // A hook that faults ends the process from here (kFaultExitStatus).
  int run();

 private:
  struct Lane {
    Lane(std::size_t index_in, FaultTrap& trap, const HookClock& clock,
         const NoAccessRegion& no_access, SharedCalls& shared)
        : index(index_in), calls(trap, clock, no_access, shared) {}
    std::size_t index;
    HostCalls calls;
    std::uint32_t seen = 0;  // the last call sequence answered
  };

  std::optional<WireReader> next_request(Lane& lane);
  WireWriter begin_reply(const Lane& lane, Status status);
  void publish(Lane& lane, WireWriter reply);
  void reply_error(Lane& lane, const std::string& message);

  void serve_hello(Lane& lane, WireReader& request);
  void serve_registry(Lane& lane);
  void serve_load(Lane& lane, WireReader& request);
  void serve_hook(Lane& lane, WireReader& request);
  void serve_stop(Lane& lane);
  void serve_hooks(Lane& lane);  // the other lanes' threads
  void start_lanes();
  void stop_lanes();

  SharedFile channel_;
  ChannelView view_;
  std::shared_ptr<WakeHub> hub_;
  HostPipes pipes_;
  FaultTrap& trap_;
  SharedCalls shared_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::vector<std::thread> threads_;
  GuardedMemory* checked_;
  std::optional<LoadedCallout> callout_;
  bool load_tried_ = false;
  bool wait_for_debugger_ = false;
};

}  // namespace calloutemu::loader::host
