// A callout chain loaded into a callout host process (callouthost, native or
// callouthost.exe under Wine) and driven from this process: the same hooks as
// InProcessHooks, with crash isolation. The wire protocol is in
// loader/host/PROTOCOL.md.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calloutemu/loader/callout_config.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_table.h"
#include "calloutemu/result.h"

namespace calloutemu::loader {

// How to start a host.
struct HostCommand {
  // The program and its leading arguments: {"/path/callouthost"}, or
  // {"/usr/bin/wine", "/path/callouthost.exe"}. The host's own arguments are
  // appended.
  std::vector<std::string> argv;
  // Set in the host's environment (WINEPREFIX, WINEDEBUG, ...).
  std::vector<std::pair<std::string, std::string>> environment;
  // The host is a Windows program under Wine: paths it is given are
  // translated to Windows paths (Z:\...).
  bool windows_host = false;
  // Checked mode (--checked): the host guards its buffers (callouthost --checked).
  bool checked = false;
  // What the run calls the host in its messages: "callout host",
  // "callout host (Wine)".
  std::string label = "callout host";
  // How long a new host may take to answer its first request (Wine creates
  // a new prefix on first use, which takes a while).
  std::chrono::milliseconds startup_timeout{60000};
  // The watchdog's limit for one hook call (0: none). The host is started
  // with --hook-timeout and interrupts a blocked hook itself; the client
  // waits this long plus hook_timeout_grace for the reply, then kills the
  // host (a hook that blocks the watchdog's signal) and reports the timeout
  // without a stack.
  std::chrono::milliseconds hook_timeout{0};
  std::chrono::milliseconds hook_timeout_grace{2000};
  // How many hook calls may be in flight at once (1 to 128), each on a
  // thread of its own in the host: the server's receive thread and its
  // workers (--workers N: N + 1). More callers take turns.
  std::size_t lanes = 1;
};

struct HostedLoad {
  std::vector<LoadAttempt> attempts;     // one per name tried, in order, as load_callout_chain
  bool loaded = false;                   // an entry returned 0
  std::optional<ControlCall> start;      // Control(START), when loaded
  std::array<bool, kHookCount> hooks{};  // which hooks the table sets, indexed by Hook
  // Every DHCP_CALLOUT_TABLE member, set or NULL, in declaration order (as
  // describe_hooks() in hook_table.h lists them, reserved members included).
  std::array<bool, kHookSlotCount> members{};
  // A DLL entry or Control(START) did not return, nor after the host's
  // watchdog's interrupt (HostCommand::hook_timeout): that call's fault, as
  // a hook's that timed out ("did not return within MS ms (...; it was
  // killed)"). The host was killed; nothing is loaded. The call is START
  // when the last attempt loaded, else the entry of the next name.
  std::optional<Fault> hung;
};

class HostedChain {
 public:
  using Log = std::function<void(std::string_view)>;

  // Starts the host. `trap` runs guarded() reads of this process's memory and
  // must outlive the chain. `log` receives one line per host event (a
  // restart, the host's exit status); it may be empty.
  static Result<std::unique_ptr<HostedChain>> launch(HostCommand command, FaultTrap& trap,
                                                     Log log = {});
  virtual ~HostedChain() = default;

  // The host reads CalloutDlls and CalloutEnabled from the real registry
  // (Windows hosts; under Wine, the prefix's registry). Source is "registry".
  virtual Result<CalloutConfig> read_registry() = 0;

  // Loads `names` in this order in the host, exactly as load_callout_chain
  // does (entry, ChainDlls, START); `on_attempt` sees each attempt as it ends.
  // An error only when the host itself failed (died, broke the protocol).
  virtual Result<HostedLoad> load(const std::vector<std::string>& names,
                                  const std::function<void(const LoadAttempt&)>& on_attempt) = 0;

  // The chain's hooks; valid while this object lives, after a load that
  // loaded. Each call's duration is measured in the host. When a hook
  // crashes, the HookCall's fault says so (with the signal or Windows
  // exception code in Fault::code) and the host is replaced by a new one that
  // loads the same names and gets START again before the next call.
  // Server buffers handed to the packet hooks must be 4096 bytes long (the
  // host mirrors writes anywhere in them). Up to HostCommand::lanes threads
  // may call at once, each hook of a packet after the one before it (as the
  // server does); a crash fails the calls in flight on other threads too
  // (their host died), and the first of them to see it starts the new host.
  // read_registry(), load() and stop_and_unload() run with no hook call in
  // flight.
  virtual CalloutHooks& hooks() = 0;

  // Control(STOP), unload, and the host exits.
  virtual ControlCall stop_and_unload() = 0;

  // Hosts started again after a crash, so far.
  virtual std::size_t restarts() const = 0;

  // The next hook call stops in a debugger in the host just before the
  // hook runs, when one is attached to the host (or the host was started
  // with --break-always).
  virtual void break_before_next_call() = 0;
};

}  // namespace calloutemu::loader
