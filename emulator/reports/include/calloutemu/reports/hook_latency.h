// How long the callout's hooks took: per-hook call counts and percentiles, and
// the slowest calls of the run, in memory that does not grow with the run.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"

namespace calloutemu::reports {

struct LatencyStats {
  std::uint64_t calls = 0;
  std::chrono::nanoseconds p50{};  // 0 when there were no calls
  std::chrono::nanoseconds p99{};
  std::chrono::nanoseconds max{};  // exact
};

struct SlowCall {
  loader::Hook hook = loader::Hook::control;
  std::chrono::nanoseconds duration{};
  std::uint64_t request = 0;  // HookRecord::request: 0 outside any request

  friend bool operator==(const SlowCall&, const SlowCall&) = default;
};

// Percentiles are nearest-rank, read from a log-linear histogram per hook:
// exact under 256 ns, else within kRelativeError of the true percentile
// (clamped to the exact minimum and maximum). Durations over about 18 minutes
// share the top bucket. Memory: about 35 KiB per hook, allocated once.
class HookLatency {
 public:
  static constexpr std::size_t kDefaultSlowest = 5;
  static constexpr double kRelativeError = 1.0 / 256;

  explicit HookLatency(std::size_t slowest = kDefaultSlowest);

  // No allocation. A negative duration counts as 0.
  void add(loader::Hook hook, std::chrono::nanoseconds duration, std::uint64_t request);

  LatencyStats stats(loader::Hook hook) const;
  // Nearest-rank quantile, `fraction` in [0, 1]; 0 when the hook had no calls.
  std::chrono::nanoseconds quantile(loader::Hook hook, double fraction) const;
  std::uint64_t calls(loader::Hook hook) const;
  std::uint64_t total_calls() const { return sequence_; }

  // The slowest calls of every hook, slowest first; of equal durations, the
  // earlier call is kept and listed first.
  std::vector<SlowCall> slowest() const;

 private:
  struct Kept {
    SlowCall call;
    std::uint64_t sequence = 0;
  };
  static bool ranks_before(const Kept& a, const Kept& b);
  // Keeps a call longer than keep_above_.
  void keep(const Kept& call);

  std::vector<std::uint64_t> buckets_;  // kHookCount histograms, one after the other
  std::array<std::uint64_t, loader::kHookCount> calls_{};
  std::array<std::int64_t, loader::kHookCount> min_{};
  std::array<std::int64_t, loader::kHookCount> max_{};
  std::vector<Kept> kept_;  // a heap whose front is the call to drop first
  std::size_t slowest_capacity_;
  // Durations (ns) a call must exceed to be kept: -1 until kept_ is full,
  // then the shortest kept call's.
  std::int64_t keep_above_ = -1;
  std::uint64_t sequence_ = 0;
};

}  // namespace calloutemu::reports
