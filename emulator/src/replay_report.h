// Counts what the server did during a replay, logs faults and findings as
// they happen, and prints the replay's part of the report.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/pcap_replay/capture_counters.h"
#include "calloutemu/reports/hook_latency.h"
#include "calloutemu/reports/summary_json.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/server/reply_lookahead.h"

namespace calloutemu::emulator {

class ReplayReport final : public server::ServerObserver {
 public:
  // With `slow_hook` (--slow-hook), each hook call longer than it is a warning.
  ReplayReport(spdlog::logger& log, std::string dll, std::vector<std::filesystem::path> captures,
               std::optional<std::chrono::milliseconds> slow_hook = std::nullopt)
      : log_(log), dll_(std::move(dll)), captures_(std::move(captures)), slow_hook_(slow_hook) {}

  // START and STOP, which the server does not send: warned about when slow.
  void control_called(const loader::ControlCall& call);

  // The request the next hook calls belong to (for the messages about them).
  void set_current(const server::Request& request) { current_ = &request; }

  void hook_called(const server::HookRecord& record) override;
  void response_sent(const server::RequestOutcome& outcome,
                     std::span<const std::uint8_t> bytes) override;
  void request_finished(const server::RequestOutcome& outcome) override;
  void note(std::string_view text) override;

  // The end-of-run summary: counts, and hook latency when the hooks were timed.
  void print(std::ostream& out, const pcap_replay::CaptureCounters& capture,
             const server::LookaheadCounters& feed, std::size_t leases) const;
  // The same for --summary-json (the exit code left for the caller).
  reports::RunSummary summary(const pcap_replay::CaptureCounters& capture,
                              const server::LookaheadCounters& feed) const;

  // A DLL entry that never returned (logged where it is reported): a fault
  // of the run, as a START that never returned is.
  void count_stuck_entry() { ++faults_; }

  std::uint64_t faults() const { return faults_; }
  // What checked mode caught in hook calls (HookCall::findings).
  std::uint64_t checked_findings() const { return checked_findings_; }
  // Checked mode's findings of Control(START)/Control(STOP), logged where
  // the call is reported: counted in the summary.
  void count_control_findings(std::size_t count) {
    findings_ += count;
    checked_findings_ += count;
  }
  std::string where(const server::CaptureOrigin& origin) const;  // "frame 7 of a.pcap"

 private:
  spdlog::logger& log_;
  std::string dll_;
  std::vector<std::filesystem::path> captures_;
  std::optional<std::chrono::milliseconds> slow_hook_;
  const server::Request* current_ = nullptr;
  std::uint64_t slow_calls_ = 0;

  void check_slow(std::chrono::nanoseconds duration, const std::string& hook,
                  std::uint64_t request);
  // hook_called()'s rare cases, out of line to keep its usual case (every
  // hook call of the run) short. hook_label gives "PktDrop(DUPLICATE)".
  [[gnu::cold]] static std::string hook_label(const server::HookRecord& record);
  [[gnu::cold]] void report_fault(const server::HookRecord& record);

  std::array<std::uint64_t, loader::kHookCount> calls_{};
  reports::HookLatency latency_;
  std::uint64_t faults_ = 0;
  std::uint64_t findings_ = 0;
  std::uint64_t checked_findings_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_by_callout_ = 0;
  std::uint64_t responses_ = 0;
  std::uint64_t not_read_ = 0;
  // Indexed by option 53's value; kBootpIndex counts BOOTP (no option 53).
  static constexpr std::size_t kBootpIndex = 256;
  std::array<std::uint64_t, 257> message_types_{};
  std::array<std::uint64_t, 257> response_types_{};
  std::map<DWORD, std::uint64_t> drop_reasons_;
  std::array<std::uint64_t, 3> sources_{};  // by DecisionSource
};

}  // namespace calloutemu::emulator
