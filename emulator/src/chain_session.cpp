#include "chain_session.h"

#include <iomanip>
#include <string>
#include <vector>

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

void report_table(const DHCP_CALLOUT_TABLE& table, std::ostream& out) {
  out << "hook table:\n";
  for (const auto& slot : loader::describe_hooks(table)) {
    out << "  " << std::left << std::setw(23) << slot.name << (slot.address != 0 ? "set" : "NULL")
        << '\n';
  }
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
    out << label << ": crashed: " << call.fault->description << '\n';
    log.error("{} in {} crashed: {}", label, dll, call.fault->description);
    return true;
  }
  out << label << ": returned " << call.returned << '\n';
  return false;
}

SessionStart start_session(const Options& options, const loader::CalloutConfig& config,
                           loader::FaultTrap& trap, bool continue_without_callouts,
                           spdlog::logger& log, std::ostream& out) {
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

  auto chain = loader::load_callout_chain(names, trap, [&](const loader::LoadAttempt& attempt) {
    if (attempt.outcome == loader::AttemptOutcome::loaded) {
      log.info("loaded {}: entry {}", attempt.name, attempt.reason);
    } else {
      log.warn("skipped {}: {}: {}", attempt.name, loader::to_string(attempt.outcome),
               attempt.reason);
    }
  });
  out.flush();
  start.attempts = chain.attempts;
  if (!chain.callout) {
    out << "loaded: none\n";
    log.error("no listed callout DLL could be loaded ({} tried)", names.size());
    start.stop = kExitNoCallout;
    return start;
  }

  const auto& winner = chain.attempts.back();
  out << "loaded: " << winner.name << '\n'
      << "ChainDlls: " << join(winner.chain_dlls) << '\n'
      << "CalloutVersion: 0\n";
  report_table(chain.callout->table(), out);
  start.session.dll = winner.name;
  start.session.faulted = report_control(*chain.start, winner.name, log, out);
  start.start = chain.start;
  start.session.callout = std::move(chain.callout);
  out.flush();
  return start;
}

std::optional<loader::ControlCall> end_session(ChainSession& session, loader::FaultTrap& trap,
                                               spdlog::logger& log, std::ostream& out) {
  if (!session.callout) {
    return std::nullopt;
  }
  out.flush();
  const auto stop = session.callout->stop_and_unload(trap);
  session.faulted = report_control(stop, session.dll, log, out) || session.faulted;
  out << "unloaded: " << session.dll << '\n';
  session.callout.reset();
  return stop;
}

}  // namespace calloutemu::emulator
