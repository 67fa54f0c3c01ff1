// The part of every run that loads the chain and, at the end, stops and
// unloads it, reporting each step on `out`.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "calloutemu/emulator/callout_setup.h"
#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/callout_config.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/checked_hooks.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hosted_chain.h"
#include "calloutemu/result.h"

namespace calloutemu::emulator {

struct ChainSession {
  std::unique_ptr<loader::GuardedMemory> guarded;  // --checked, in-process: ChainDlls, buffers
  std::unique_ptr<loader::CheckedHooks> checked;   // --checked, in-process
  std::optional<loader::LoadedCallout> callout;    // loaded in-process
  std::unique_ptr<loader::HostedChain> hosted;     // loaded in a callout host
  std::string dll;                                 // the loaded DLL's name
  bool faulted = false;                            // a Control call crashed

  bool loaded() const { return callout.has_value() || hosted != nullptr; }
};

// A DLL entry or Control(START) that never returned (the watchdog gave it
// up, or the callout host was killed over it). The run ends there: the real
// server would hang there too, so no other DLL is tried.
struct StuckStart {
  std::vector<loader::LoadAttempt> attempts;  // a stuck entry's own last (entry crashed)
  std::optional<loader::ControlCall> start;   // when the call was START
  std::string what;                           // "the entry of DLL", "Control(START) in DLL"
};

struct SessionStart {
  std::optional<ExitCode> stop;  // set when the run ends here
  ChainSession session;
  std::vector<loader::LoadAttempt> attempts;  // every DLL tried, in order
  std::optional<loader::ControlCall> start;   // Control(START), when a DLL was loaded
  // Through a host, an entry or START that never returned (stop is set;
  // attempts and start are the stuck call's).
  std::optional<StuckStart> stuck;
};

// A call the in-process watchdog gave up on, as its record.
loader::HookCall given_up_call(std::chrono::milliseconds limit);

// The call `hung` that followed the attempts `over` (`names` in load order):
// START when the last attempt loaded, else the next name's entry. Prints
// what the report says of it ("loaded: none", or START's line and
// "Control(STOP): not sent") and logs the error.
StuckStart report_stuck_start(std::vector<loader::LoadAttempt> over,
                              const std::vector<std::string>& names, const loader::HookCall& hung,
                              spdlog::logger& log, std::ostream& out);

// A Control(STOP) of `dll` that never returned, reported as report_control
// does, with "not unloaded: DLL"; its record.
loader::ControlCall report_stuck_stop(const std::string& dll, const loader::HookCall& hung,
                                      spdlog::logger& log, std::ostream& out);

// Prints CalloutDlls, the load order, the callout host (when there is one), the loaded DLL,
// ChainDlls, its hook table and Control(START). Stops with kExitNoCallout when DLLs are listed but
// none loads; when callouts are disabled or none are listed it stops with
// kExitOk unless `continue_without_callouts` (a replay goes on without them).
// `attempt_seen` hears of each DLL tried as soon as its attempt is over
// (before START).
SessionStart start_session(
    const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
    bool continue_without_callouts, spdlog::logger& log, std::ostream& out,
    const std::function<void(const loader::LoadAttempt&)>& attempt_seen = {});

// --checked with an in-process chain: `hooks` wrapped in CheckedHooks (owned
// by `session`); otherwise `hooks` itself (a callout host checks on its side).
loader::CalloutHooks& checked_hooks(ChainSession& session, loader::CalloutHooks& hooks);

// Prints a Control call; true when the hook faulted.
bool report_control(const loader::ControlCall& call, const std::string& dll, spdlog::logger& log,
                    std::ostream& out);

// Control(STOP), unload, and their report lines; the STOP call, when a DLL
// was loaded.
std::optional<loader::ControlCall> end_session(ChainSession& session, loader::FaultTrap& trap,
                                               spdlog::logger& log, std::ostream& out);

}  // namespace calloutemu::emulator
