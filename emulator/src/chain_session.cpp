#include "chain_session.h"

#include <array>
#include <functional>
#include <iomanip>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "calloutemu/emulator/callout_source.h"
#include "calloutemu/loader/hook_table.h"
#include "calloutemu/reports/fault_text.h"
#include "debugger.h"
#include "in_process_stop.h"

namespace calloutemu::emulator {
namespace {

std::string join(const std::vector<std::string>& names) {
  if (names.empty()) {
    return "(empty)";
  }
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

}  // namespace

bool report_control(const loader::ControlCall& call, const std::string& dll, spdlog::logger& log,
                    std::ostream& out) {
  const std::string label = "Control(" + std::string(loader::control_code_name(call.code)) + ")";
  if (!call.called) {
    out << label << ": not called (DhcpControlHook is NULL)\n";
    return false;
  }
  if (call.fault) {
    const char* what = call.fault->timed_out ? "" : "crashed: ";
    const auto summary = reports::fault_summary(*call.fault);
    out << label << ": " << what << summary << '\n';
    log.error("{} in {} {}{}{}", label, dll, what, summary,
              reports::fault_backtrace_lines(*call.fault));
    for (const auto& finding : call.findings) {
      out << label << ": finding: " << finding << '\n';
      log.warn("{}", finding);
    }
    return true;
  }
  out << label << ": returned " << call.returned << '\n';
  return false;
}

loader::HookCall given_up_call(std::chrono::milliseconds limit) {
  loader::HookCall hung;
  hung.called = true;
  hung.fault = loader::Fault("did not return within " + std::to_string(limit.count()) +
                             " ms, nor after the watchdog's interrupt");
  hung.fault->timed_out = true;
  hung.duration = limit + loader::kStuckCallGrace;  // at least
  return hung;
}

namespace {

// The Control call with `code` that `hung` was.
loader::ControlCall given_up_control(DWORD code, const loader::HookCall& hung) {
  loader::ControlCall call;
  call.code = code;
  call.called = true;
  call.fault = hung.fault;
  call.duration = hung.duration;
  return call;
}

}  // namespace

StuckStart report_stuck_start(std::vector<loader::LoadAttempt> over,
                              const std::vector<std::string>& names, const loader::HookCall& hung,
                              spdlog::logger& log, std::ostream& out) {
  StuckStart stuck;
  stuck.attempts = std::move(over);
  const bool in_start =
      !stuck.attempts.empty() && stuck.attempts.back().outcome == loader::AttemptOutcome::loaded;
  if (in_start) {
    const std::string& dll = stuck.attempts.back().name;
    stuck.what = "Control(START) in " + dll;
    auto call = given_up_control(DHCP_CONTROL_START, hung);
    report_control(call, dll, log, out);
    out << "Control(STOP): not sent (Control(START) did not return)\n";
    stuck.start = std::move(call);
  } else {
    loader::LoadAttempt entry;
    entry.name = stuck.attempts.size() < names.size() ? names[stuck.attempts.size()] : "";
    entry.outcome = loader::AttemptOutcome::entry_crashed;
    entry.reason = "DhcpServerCalloutEntry " + hung.fault->description;
    log.error("{}: {}: no other DLL is tried, the run ends here", entry.name, entry.reason);
    out << "loaded: none\n";
    stuck.what = "the entry of " + entry.name;
    stuck.attempts.push_back(std::move(entry));
  }
  out.flush();
  return stuck;
}

loader::ControlCall report_stuck_stop(const std::string& dll, const loader::HookCall& hung,
                                      spdlog::logger& log, std::ostream& out) {
  auto stop = given_up_control(DHCP_CONTROL_STOP, hung);
  report_control(stop, dll, log, out);
  out << "not unloaded: " << dll << " (Control(STOP) did not return)\n";
  out.flush();
  return stop;
}

namespace {

loader::HostedChain::Log host_log(spdlog::logger& log) {
  return [&log](std::string_view line) { log.warn("{}", line); };
}

Result<std::unique_ptr<loader::HostedChain>> launch_host(const HostPlan& plan,
                                                         loader::FaultTrap& trap,
                                                         spdlog::logger& log) {
  auto host = loader::HostedChain::launch(plan.command, trap, host_log(log));
  if (!host) {
    return make_error(plan.command.label + " (" + plan.describe() +
                      ") could not start: " + host.error().message);
  }
  return std::move(host).value();
}

void report_members(const std::array<bool, loader::kHookSlotCount>& members, std::ostream& out) {
  DHCP_CALLOUT_TABLE names{};
  const auto slots = loader::describe_hooks(names);
  out << "hook table:\n";
  for (std::size_t i = 0; i < slots.size(); ++i) {
    out << "  " << std::left << std::setw(23) << slots[i].name << (members[i] ? "set" : "NULL")
        << '\n';
  }
}

struct Loaded {
  std::vector<loader::LoadAttempt> attempts;
  std::optional<loader::ControlCall> start;
  std::optional<std::array<bool, loader::kHookSlotCount>> members;  // set when a DLL loaded
  std::optional<loader::Fault> hung;  // through a host: an entry or START that never returned
};

Result<Loaded> load_hosted(CalloutSetup& setup, const std::vector<std::string>& names,
                           loader::FaultTrap& trap, ChainSession& session, spdlog::logger& log,
                           const std::function<void(const loader::LoadAttempt&)>& on_attempt) {
  if (!setup.host) {
    auto host = launch_host(setup.plan, trap, log);
    if (!host) {
      return host.error();
    }
    setup.host = std::move(host).value();
  }
  auto load = setup.host->load(names, on_attempt);
  if (!load) {
    return make_error(setup.plan.command.label + ": " + load.error().message);
  }
  Loaded loaded{load->attempts, load->start, std::nullopt, load->hung};
  if (load->loaded) {
    loaded.members = load->members;
    session.hosted = std::move(setup.host);
  }
  return loaded;
}

Loaded load_in_process(const std::vector<std::string>& names, loader::FaultTrap& trap,
                       ChainSession& session,
                       const std::function<void(const loader::LoadAttempt&)>& on_attempt) {
  auto chain = loader::load_callout_chain(names, trap, on_attempt, session.guarded.get());
  Loaded loaded{chain.attempts, chain.start, std::nullopt, std::nullopt};
  if (chain.callout) {
    std::array<bool, loader::kHookSlotCount> members{};
    const auto slots = loader::describe_hooks(chain.callout->table());
    for (std::size_t i = 0; i < slots.size(); ++i) {
      members[i] = slots[i].address != 0;
    }
    loaded.members = members;
    session.callout = std::move(chain.callout);
  }
  return loaded;
}

}  // namespace

void watch_in_process_calls(loader::FaultTrap& trap, std::chrono::milliseconds limit,
                            spdlog::logger& log) {
  trap.set_timeout(limit, end_run_when_stuck(log, limit));
}

Result<CalloutSetup> set_up_callouts(const Options& options, loader::FaultTrap& trap,
                                     spdlog::logger& log) {
  CalloutSetup setup;
  if (!options.registry) {
    auto config = read_callout_config(options);
    if (!config) {
      return config.error();
    }
    setup.config = std::move(config).value();
  }
  auto plan = plan_host(options, setup.config.dlls, options.registry);
  if (!plan) {
    return plan.error();
  }
  setup.plan = std::move(plan).value();
  setup.plan.command.hook_timeout = options.diagnostics.effective_hook_timeout();
  setup.plan.command.checked = options.diagnostics.checked;
  // The receive thread and each worker may have a hook call in flight.
  setup.plan.command.lanes = options.diagnostics.workers > 1 ? options.diagnostics.workers + 1 : 1;
  if (!setup.plan.warning.empty()) {
    log.warn("{}", setup.plan.warning);
  }
  if (!setup.plan.why.empty()) {
    log.info("{}: the chain runs in {}", setup.plan.why, setup.plan.describe());
  }
  if (options.registry) {
    if (!setup.plan.hosted()) {
      auto config = read_callout_config(options);
      if (!config) {
        return config.error();
      }
      setup.config = std::move(config).value();
      return setup;
    }
    auto host = launch_host(setup.plan, trap, log);
    if (!host) {
      return host.error();
    }
    setup.host = std::move(host).value();
    auto config = setup.host->read_registry();
    if (!config) {
      return make_error("--registry (" + setup.plan.describe() + "): " + config.error().message);
    }
    setup.config = std::move(config).value();
  }
  return setup;
}

SessionStart start_session(const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
                           bool continue_without_callouts, spdlog::logger& log, std::ostream& out,
                           const std::function<void(const loader::LoadAttempt&)>& attempt_seen) {
  const auto& config = setup.config;
  SessionStart start;
  const std::string going_on = continue_without_callouts ? "; the replay runs without them" : "";
  out << "CalloutDlls: " << join(config.dlls) << " (from " << config.source << ")\n";
  if (!config.enabled()) {
    out << "callouts: disabled (CalloutEnabled is 0 in " << config.source
        << "): no DLL is loaded and no hook runs" << going_on << '\n';
    if (!continue_without_callouts) {
      start.stop = kExitOk;
    }
    return start;
  }
  if (config.dlls.empty()) {
    out << "callouts: none listed in " << config.source << ": the server runs without callouts"
        << '\n';
    if (!continue_without_callouts) {
      start.stop = kExitOk;
    }
    return start;
  }

  const auto order = options.effective_load_order();
  const auto names = loader::order_for_loading(config.dlls, order);
  out << "load order: " << loader::to_string(order) << " (profile " << to_string(options.profile)
      << "): " << join(names) << '\n';
  if (setup.plan.hosted()) {
    out << "callout host: " << setup.plan.describe() << '\n';
  }

  const auto on_attempt = [&](const loader::LoadAttempt& attempt) {
    if (attempt_seen) {
      attempt_seen(attempt);
    }
    if (attempt.outcome == loader::AttemptOutcome::loaded) {
      log.info("loaded {}: entry {}", attempt.name, attempt.reason);
      // Before START, which might not come back.
      out << "loaded: " << attempt.name << '\n'
          << "ChainDlls: " << join(attempt.chain_dlls) << '\n'
          << "CalloutVersion: 0\n";
      out.flush();
    } else {
      log.warn("skipped {}: {}: {}", attempt.name, loader::to_string(attempt.outcome),
               attempt.reason);
    }
  };
  Loaded loaded;
  if (setup.plan.hosted()) {
    auto hosted = load_hosted(setup, names, trap, start.session, log, on_attempt);
    if (!hosted) {
      out.flush();
      out << "loaded: none\n";
      log.error("{}", hosted.error().message);
      start.stop = kExitNoCallout;
      return start;
    }
    if (hosted->hung) {  // as in-process, where the watchdog ends the run
      loader::HookCall hung;
      hung.called = true;
      hung.fault = hosted->hung;
      hung.duration = setup.plan.command.hook_timeout + setup.plan.command.hook_timeout_grace;
      auto stuck = report_stuck_start(hosted->attempts, names, hung, log, out);
      start.attempts = stuck.attempts;
      start.start = stuck.start;
      start.stuck = std::move(stuck);
      start.stop = kExitHookFault;
      return start;
    }
    loaded = std::move(hosted).value();
  } else {
    if (options.diagnostics.checked) {
      start.session.guarded = std::make_unique<loader::GuardedMemory>();
    }
    // START follows the attempt that loaded: --break-before Control@0 stops there.
    Breakpoints breakpoints(options.diagnostics, log);
    auto before_start = [&](const loader::LoadAttempt& attempt) {
      on_attempt(attempt);
      if (attempt.outcome == loader::AttemptOutcome::loaded) {
        breakpoints.before(loader::Hook::control, 0);
      }
    };
    loaded = load_in_process(names, trap, start.session, before_start);
  }
  out.flush();
  start.attempts = loaded.attempts;
  if (!loaded.members) {
    out << "loaded: none\n";
    log.error("no listed callout DLL could be loaded ({} tried)", names.size());
    start.stop = kExitNoCallout;
    return start;
  }

  const auto& winner = loaded.attempts.back();
  report_members(*loaded.members, out);
  start.session.dll = winner.name;
  start.session.faulted = report_control(*loaded.start, winner.name, log, out);
  start.start = loaded.start;
  out.flush();
  return start;
}

loader::CalloutHooks& checked_hooks(ChainSession& session, loader::CalloutHooks& hooks) {
  if (!session.guarded || session.hosted) {
    return hooks;
  }
  session.checked = std::make_unique<loader::CheckedHooks>(hooks, *session.guarded, session.dll);
  return *session.checked;
}

std::optional<loader::ControlCall> end_session(ChainSession& session, loader::FaultTrap& trap,
                                               spdlog::logger& log, std::ostream& out) {
  if (!session.loaded()) {
    return std::nullopt;
  }
  out.flush();
  auto stop =
      session.hosted ? session.hosted->stop_and_unload() : session.callout->stop_and_unload(trap);
  if (session.guarded && !session.hosted) {
    loader::describe_checked_fault(stop, *session.guarded, session.dll);
  }
  session.faulted = report_control(stop, session.dll, log, out) || session.faulted;
  out << "unloaded: " << session.dll << '\n';
  session.callout.reset();
  session.hosted.reset();
  return stop;
}

}  // namespace calloutemu::emulator
