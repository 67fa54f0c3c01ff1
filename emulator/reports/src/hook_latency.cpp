#include "calloutemu/reports/hook_latency.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "latency_histogram.h"

namespace calloutemu::reports {
namespace {

std::size_t slot(loader::Hook hook) {
  return static_cast<std::size_t>(hook);
}

}  // namespace

HookLatency::HookLatency(std::size_t slowest)
    : buckets_(loader::kHookCount * detail::kBucketCount, 0), slowest_capacity_(slowest) {
  min_.fill(std::numeric_limits<std::int64_t>::max());
  kept_.reserve(slowest);
  if (slowest == 0) {
    keep_above_ = std::numeric_limits<std::int64_t>::max();
  }
}

bool HookLatency::ranks_before(const Kept& a, const Kept& b) {
  if (a.call.duration != b.call.duration) {
    return a.call.duration > b.call.duration;
  }
  return a.sequence < b.sequence;
}

void HookLatency::add(loader::Hook hook, std::chrono::nanoseconds duration, std::uint64_t request) {
  const std::int64_t ns = std::max<std::int64_t>(duration.count(), 0);
  const std::size_t h = slot(hook);
  if (h >= loader::kHookCount) {
    return;
  }
  ++calls_[h];
  ++buckets_[h * detail::kBucketCount + detail::bucket_index(static_cast<std::uint64_t>(ns))];
  min_[h] = std::min(min_[h], ns);
  max_[h] = std::max(max_[h], ns);

  const std::uint64_t sequence = sequence_++;
  // Strictly longer: a later call of equal duration never displaces an earlier one.
  if (ns > keep_above_) {
    keep({{hook, std::chrono::nanoseconds(ns), request}, sequence});
  }
}

void HookLatency::keep(const Kept& call) {
  if (kept_.size() < slowest_capacity_) {
    kept_.push_back(call);
    std::push_heap(kept_.begin(), kept_.end(), ranks_before);
  } else {
    std::pop_heap(kept_.begin(), kept_.end(), ranks_before);
    kept_.back() = call;
    std::push_heap(kept_.begin(), kept_.end(), ranks_before);
  }
  if (kept_.size() == slowest_capacity_) {
    keep_above_ = kept_.front().call.duration.count();
  }
}

std::uint64_t HookLatency::calls(loader::Hook hook) const {
  return slot(hook) < loader::kHookCount ? calls_[slot(hook)] : 0;
}

std::chrono::nanoseconds HookLatency::quantile(loader::Hook hook, double fraction) const {
  const std::size_t h = slot(hook);
  const std::uint64_t count = calls(hook);
  if (count == 0) {
    return std::chrono::nanoseconds(0);
  }
  const double clamped = std::isnan(fraction) ? 0.0 : std::clamp(fraction, 0.0, 1.0);
  const auto wanted = static_cast<double>(count) * clamped;
  const std::uint64_t rank =
      std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(wanted)), 1, count);

  const std::uint64_t* histogram = buckets_.data() + h * detail::kBucketCount;
  std::uint64_t seen = 0;
  std::size_t index = 0;
  for (; index < detail::kBucketCount; ++index) {
    seen += histogram[index];
    if (seen >= rank) {
      break;
    }
  }
  const auto value = static_cast<std::int64_t>(detail::bucket_value(index));
  return std::chrono::nanoseconds(std::clamp(value, min_[h], max_[h]));
}

LatencyStats HookLatency::stats(loader::Hook hook) const {
  const std::size_t h = slot(hook);
  if (calls(hook) == 0) {
    return {};
  }
  return {calls_[h], quantile(hook, 0.50), quantile(hook, 0.99), std::chrono::nanoseconds(max_[h])};
}

std::vector<SlowCall> HookLatency::slowest() const {
  std::vector<Kept> sorted = kept_;
  std::sort(sorted.begin(), sorted.end(), ranks_before);
  std::vector<SlowCall> calls;
  calls.reserve(sorted.size());
  for (const Kept& kept : sorted) {
    calls.push_back(kept.call);
  }
  return calls;
}

}  // namespace calloutemu::reports
