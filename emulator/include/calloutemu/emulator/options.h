// The command line and the config file, which takes every long option too.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/common.h>

#include "calloutemu/emulator/profile.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/load_order.h"
#include "calloutemu/result.h"
#include "calloutemu/scopes/server_config.h"
#include "calloutemu/server/settings.h"

namespace calloutemu::emulator {

// The capture replay: what to read and how the server model behaves.
struct ReplayOptions {
  std::vector<std::string> pcaps;        // --pcap, in order
  std::optional<std::string> filter;     // --filter; none: every UDP/IPv4 datagram is looked at
  std::vector<std::string> scope_cidrs;  // --scope
  server::DecisionMode decisions = server::DecisionMode::automatic;
  std::chrono::nanoseconds duplicate_window = std::chrono::seconds(2);
  std::chrono::nanoseconds reply_window = std::chrono::seconds(2);
  std::vector<server::Injection> injections;
  std::vector<std::uint64_t> pause_at;
  std::vector<std::uint64_t> continue_at;
  std::vector<server::AdminDelete> deletes;
  // [server] and [scope] sections of --config, then the --scope scopes.
  scopes::ServerConfig server;
};

// What a replay leaves behind for CI and people: files, and the verdict.
struct ResultOptions {
  std::optional<std::string> trace;          // --trace: JSON Lines; "-" is stdout
  std::optional<std::string> expect;         // --expect: the trace the run must match
  bool expect_update = false;                // --expect-update: rewrite it instead
  std::optional<std::string> junit;          // --junit
  std::optional<std::string> write_pcap;     // --write-pcap: the responses sent
  std::optional<std::string> write_dropped;  // --write-dropped: the requests dropped
  std::optional<std::string> summary_json;   // --summary-json
  bool progress = true;  // a progress bar on a terminal (off with -q or --no-progress)

  bool trace_to_stdout() const { return trace && *trace == "-"; }
};

// Where the callout chain runs (--host and its companions).
enum class HostMode {
  automatic,  // Wine when a listed DLL is a Windows PE file (or for --registry
              // on a build without a registry) and Wine is installed, else in-process
  inproc,     // loaded into calloutemu itself
  process,    // in a native callout host process
  wine,       // in callouthost.exe under Wine
};

struct HostOptions {
  HostMode mode = HostMode::automatic;    // --host
  std::optional<std::string> program;     // --callout-host: the host program to start
  std::optional<std::string> wine;        // --wine: the Wine program
  std::optional<std::string> wineprefix;  // --wineprefix: WINEPREFIX for the host
};

// Beyond the real server: checks, the watchdog, worker threads, the debugger.
// --break-before HOOK[@N]: stop before that hook's call (every call without
// a request number; Control and DeleteClient scheduled before request N count
// as request N's; START and STOP are request 0).
struct BreakPoint {
  loader::Hook hook = loader::Hook::new_pkt;
  std::optional<std::uint64_t> request;  // none: every call of the hook
};

struct DiagnosticOptions {
  bool checked = false;                                   // --checked
  std::optional<std::chrono::milliseconds> hook_timeout;  // --hook-timeout MS (0: off)
  std::optional<std::chrono::milliseconds> slow_hook;     // --slow-hook MS
  unsigned workers = 1;                                   // --workers N
  std::vector<BreakPoint> break_before;                   // --break-before, repeatable
  bool break_always = false;                              // --break-always
  bool wait_for_debugger = false;                         // --wait-for-debugger

  // The watchdog's limit: --hook-timeout, else 1000 ms in checked mode
  // unless a debugger is expected (time stands still at a break point, but
  // the clock does not), else none (zero).
  std::chrono::milliseconds effective_hook_timeout() const {
    const bool debugging = wait_for_debugger || !break_before.empty();
    return hook_timeout.value_or(checked && !debugging ? std::chrono::milliseconds(1000)
                                                       : std::chrono::milliseconds(0));
  }
};

struct Options {
  std::vector<std::string> dlls;                // --dlls values as given (comma lists)
  std::optional<std::string> reg_file;          // --reg-file
  bool registry = false;                        // --registry
  Profile profile = Profile::documented;        // --profile
  std::optional<loader::LoadOrder> load_order;  // --load-order; else the profile's
  HostOptions host;
  spdlog::level::level_enum log_level = spdlog::level::info;
  ReplayOptions replay;
  ResultOptions results;
  DiagnosticOptions diagnostics;

  loader::LoadOrder effective_load_order() const {
    return load_order.value_or(default_load_order(profile));
  }
};

// What the command line asks for: a run, or just the help or version text.
struct Invocation {
  enum class Action { run, help, version } action = Action::run;
  Options options;
  std::string text;  // the help or version text
};

// Errors are one line, naming the option or the config file and the problem.
Result<Invocation> parse_command_line(int argc, const char* const argv[]);

}  // namespace calloutemu::emulator
