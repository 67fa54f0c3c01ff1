#include "calloutemu/emulator/load_only_run.h"

#include <iomanip>
#include <string>
#include <vector>

#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_table.h"

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

// Prints one control call; true when the hook faulted.
bool report_control(const loader::ControlCall& call, const std::string& dll, spdlog::logger& log,
                    std::ostream& out) {
  const std::string label = "Control(" + std::string(loader::control_code_name(call.code)) + ")";
  if (!call.called) {
    out << label << ": not called (DhcpControlHook is NULL)\n";
    return false;
  }
  if (call.fault) {
    out << label << ": crashed: " << call.fault->description << '\n';
    log.error("{} in {} crashed: {}", label, dll, call.fault->description);
    return true;
  }
  out << label << ": returned " << call.returned << '\n';
  return false;
}

void report_table(const DHCP_CALLOUT_TABLE& table, std::ostream& out) {
  out << "hook table:\n";
  for (const auto& slot : loader::describe_hooks(table)) {
    out << "  " << std::left << std::setw(23) << slot.name << (slot.address != 0 ? "set" : "NULL")
        << '\n';
  }
}

}  // namespace

ExitCode run_load_only(const Options& options, const loader::CalloutConfig& config,
                       spdlog::logger& log, std::ostream& out) {
  out << "CalloutDlls: " << join(config.dlls) << " (from " << config.source << ")\n";
  if (!config.enabled()) {
    out << "callouts: disabled (CalloutEnabled is 0 in " << config.source
        << "): no DLL is loaded and no hook runs\n";
    return kExitOk;
  }
  if (config.dlls.empty()) {
    out << "callouts: none listed in " << config.source << ": the server runs without callouts\n";
    return kExitOk;
  }

  const auto order = options.effective_load_order();
  const auto names = loader::order_for_loading(config.dlls, order);
  out << "load order: " << loader::to_string(order) << " (profile " << to_string(options.profile)
      << "): " << join(names) << '\n';

  loader::FaultTrap trap;
  auto chain = loader::load_callout_chain(names, trap, [&](const loader::LoadAttempt& attempt) {
    if (attempt.outcome == loader::AttemptOutcome::loaded) {
      log.info("loaded {}: entry {}", attempt.name, attempt.reason);
    } else {
      log.warn("skipped {}: {}: {}", attempt.name, loader::to_string(attempt.outcome),
               attempt.reason);
    }
  });
  out.flush();
  if (!chain.callout) {
    out << "loaded: none\n";
    log.error("no listed callout DLL could be loaded ({} tried)", names.size());
    return kExitNoCallout;
  }

  const auto& winner = chain.attempts.back();
  out << "loaded: " << winner.name << '\n'
      << "ChainDlls: " << join(winner.chain_dlls) << '\n'
      << "CalloutVersion: 0\n";
  report_table(chain.callout->table(), out);
  bool faulted = report_control(*chain.start, winner.name, log, out);
  out.flush();
  const auto stop = chain.callout->stop_and_unload(trap);
  faulted = report_control(stop, winner.name, log, out) || faulted;
  out << "unloaded: " << winner.name << '\n';
  return faulted ? kExitHookFault : kExitOk;
}

}  // namespace calloutemu::emulator
