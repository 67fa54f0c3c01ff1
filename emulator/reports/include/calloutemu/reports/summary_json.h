// The end-of-run summary as a JSON file (fields: emulator/reports/README.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/reports/hook_latency.h"
#include "calloutemu/result.h"

namespace calloutemu::reports {

struct HookSummary {
  std::string hook;  // "NewPkt", ...
  std::uint64_t calls = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

struct SlowCallSummary {
  std::string hook;
  std::uint64_t request = 0;
  double us = 0;
};

struct RunSummary {
  std::vector<std::string> captures;
  std::uint64_t frames_read = 0;
  std::uint64_t datagrams = 0;
  std::uint64_t filtered_out = 0;
  std::map<std::string, std::uint64_t> skipped;  // by reason
  std::uint64_t requests = 0;
  std::uint64_t replies_seen = 0;
  std::map<std::string, std::uint64_t> drops;  // by drop code name, PROCESSED excluded
  std::uint64_t dropped_by_callout = 0;
  std::map<std::string, std::uint64_t> responses;  // by message type name
  std::uint64_t faults = 0;
  std::uint64_t findings = 0;
  std::optional<std::uint64_t> slow_hook_calls;  // only with --slow-hook
  std::vector<HookSummary> hooks;                // in this order in the file
  std::vector<SlowCallSummary> slowest_calls;    // slowest first
  int exit_code = 0;
};

// Fills `hooks` (every hook with calls, in the loader's order) and
// `slowest_calls` from `latency`.
void add_latency(RunSummary& summary, const HookLatency& latency);

// The document, pretty-printed, ending in a newline. Text that is not valid
// UTF-8 has the bad bytes replaced by U+FFFD.
Result<std::string> summary_json(const RunSummary& summary);

// Writes summary_json() to `path`; errors name the file.
Status write_summary_json(const std::filesystem::path& path, const RunSummary& summary);

}  // namespace calloutemu::reports
