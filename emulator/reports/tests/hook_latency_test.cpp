#include "calloutemu/reports/hook_latency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "latency_histogram.h"

namespace calloutemu::reports {
namespace {

using loader::Hook;
using std::chrono::nanoseconds;

// The nearest-rank quantile of `values`, the definition HookLatency follows.
std::int64_t exact_quantile(std::vector<std::int64_t> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(
      std::max(1.0, std::ceil(fraction * static_cast<double>(values.size()))));
  return values[std::min(rank, values.size()) - 1];
}

void expect_within_error(nanoseconds reported, std::int64_t exact) {
  const double allowed = static_cast<double>(exact) * HookLatency::kRelativeError;
  EXPECT_LE(std::abs(static_cast<double>(reported.count() - exact)), allowed)
      << "reported " << reported.count() << " ns, exact " << exact << " ns";
}

void check_quantiles(const std::vector<std::int64_t>& values) {
  HookLatency latency;
  for (const std::int64_t value : values) {
    latency.add(Hook::pkt_send, nanoseconds(value), 1);
  }
  for (const double fraction : {0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    SCOPED_TRACE(fraction);
    expect_within_error(latency.quantile(Hook::pkt_send, fraction),
                        exact_quantile(values, fraction));
  }
  const LatencyStats stats = latency.stats(Hook::pkt_send);
  EXPECT_EQ(stats.calls, values.size());
  expect_within_error(stats.p50, exact_quantile(values, 0.5));
  expect_within_error(stats.p99, exact_quantile(values, 0.99));
  EXPECT_EQ(stats.max.count(), *std::max_element(values.begin(), values.end()));
}

TEST(HookLatency, NoCallsGiveZeros) {
  const HookLatency latency;
  for (std::size_t i = 0; i < loader::kHookCount; ++i) {
    const LatencyStats stats = latency.stats(static_cast<Hook>(i));
    EXPECT_EQ(stats.calls, 0U);
    EXPECT_EQ(stats.p50.count(), 0);
    EXPECT_EQ(stats.p99.count(), 0);
    EXPECT_EQ(stats.max.count(), 0);
  }
  EXPECT_EQ(latency.quantile(Hook::new_pkt, 0.5).count(), 0);
  EXPECT_EQ(latency.total_calls(), 0U);
  EXPECT_TRUE(latency.slowest().empty());
}

TEST(HookLatency, MaxIsExact) {
  HookLatency latency;
  latency.add(Hook::new_pkt, nanoseconds(1'000), 1);
  latency.add(Hook::new_pkt, nanoseconds(123'456'789), 2);
  latency.add(Hook::new_pkt, nanoseconds(5'000), 3);
  EXPECT_EQ(latency.stats(Hook::new_pkt).max.count(), 123'456'789);
  // The histogram's top percentile is clamped to the exact maximum.
  EXPECT_EQ(latency.quantile(Hook::new_pkt, 1.0).count(), 123'456'789);
}

TEST(HookLatency, SmallValuesAreExact) {
  HookLatency latency;
  for (std::int64_t ns = 1; ns <= 100; ++ns) {
    latency.add(Hook::pkt_drop, nanoseconds(ns), static_cast<std::uint64_t>(ns));
  }
  const LatencyStats stats = latency.stats(Hook::pkt_drop);
  EXPECT_EQ(stats.calls, 100U);
  EXPECT_EQ(stats.p50.count(), 50);
  EXPECT_EQ(stats.p99.count(), 99);
  EXPECT_EQ(stats.max.count(), 100);
}

TEST(HookLatency, OneCall) {
  HookLatency latency;
  latency.add(Hook::control, nanoseconds(987'654), 0);
  const LatencyStats stats = latency.stats(Hook::control);
  EXPECT_EQ(stats.calls, 1U);
  EXPECT_EQ(stats.p50.count(), 987'654);  // clamped to the exact min and max
  EXPECT_EQ(stats.p99.count(), 987'654);
  EXPECT_EQ(stats.max.count(), 987'654);
}

TEST(HookLatency, UniformDistributionWithinError) {
  std::vector<std::int64_t> values;
  for (std::int64_t ns = 300; ns <= 3'000'000; ns += 7) {
    values.push_back(ns);
  }
  check_quantiles(values);
}

TEST(HookLatency, LogNormalDistributionWithinError) {
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> distribution(std::log(20'000.0), 1.5);
  std::vector<std::int64_t> values;
  for (int i = 0; i < 200'000; ++i) {
    values.push_back(std::llround(distribution(random)));
  }
  check_quantiles(values);
}

TEST(HookLatency, BimodalDistributionWithinError) {
  // Most calls fast, 2% stuck: p99 must land in the slow mode.
  std::vector<std::int64_t> values;
  for (int i = 0; i < 9'800; ++i) {
    values.push_back(800 + i % 50);
  }
  for (int i = 0; i < 200; ++i) {
    values.push_back(40'000'000 + i * 1'000);
  }
  check_quantiles(values);
}

TEST(HookLatency, EveryBucketBoundaryWithinError) {
  for (std::size_t index = 0; index + 1 < detail::kBucketCount; index += 37) {
    const auto lower = static_cast<std::int64_t>(detail::bucket_lower(index));
    const auto upper = lower + static_cast<std::int64_t>(detail::bucket_width(index)) - 1;
    for (const std::int64_t value : {lower, upper}) {
      HookLatency latency;
      latency.add(Hook::new_pkt, nanoseconds(1), 1);
      latency.add(Hook::new_pkt, nanoseconds(value), 2);
      latency.add(Hook::new_pkt, nanoseconds(value), 3);
      latency.add(Hook::new_pkt, nanoseconds(value * 2 + 10), 4);
      SCOPED_TRACE(value);
      expect_within_error(latency.quantile(Hook::new_pkt, 0.5), value);
    }
  }
}

TEST(HookLatency, HugeDurationsKeepAnExactMax) {
  HookLatency latency;
  const std::int64_t hour = 3'600'000'000'000;
  latency.add(Hook::pkt_send, nanoseconds(hour), 1);
  latency.add(Hook::pkt_send, nanoseconds(2 * hour), 2);
  const LatencyStats stats = latency.stats(Hook::pkt_send);
  EXPECT_EQ(stats.max.count(), 2 * hour);
  EXPECT_GE(stats.p50.count(), hour);  // clamped to the exact minimum
  EXPECT_LE(stats.p99.count(), 2 * hour);
}

TEST(HookLatency, NegativeDurationsCountAsZero) {
  HookLatency latency;
  latency.add(Hook::new_pkt, nanoseconds(-5), 1);
  EXPECT_EQ(latency.stats(Hook::new_pkt).calls, 1U);
  EXPECT_EQ(latency.stats(Hook::new_pkt).max.count(), 0);
  ASSERT_EQ(latency.slowest().size(), 1U);
  EXPECT_EQ(latency.slowest()[0].duration.count(), 0);
}

TEST(HookLatency, HooksAreCountedApart) {
  HookLatency latency;
  latency.add(Hook::new_pkt, nanoseconds(10), 1);
  latency.add(Hook::pkt_drop, nanoseconds(20), 1);
  latency.add(Hook::pkt_drop, nanoseconds(30), 1);
  EXPECT_EQ(latency.calls(Hook::new_pkt), 1U);
  EXPECT_EQ(latency.calls(Hook::pkt_drop), 2U);
  EXPECT_EQ(latency.calls(Hook::pkt_send), 0U);
  EXPECT_EQ(latency.stats(Hook::new_pkt).max.count(), 10);
  EXPECT_EQ(latency.stats(Hook::pkt_drop).max.count(), 30);
  EXPECT_EQ(latency.total_calls(), 3U);
}

TEST(HookLatency, SlowestAreKeptSlowestFirst) {
  HookLatency latency;
  const std::vector<std::int64_t> durations = {50, 10, 900, 30, 700, 20, 800, 40, 600, 5};
  for (std::size_t i = 0; i < durations.size(); ++i) {
    latency.add(i == 4 ? Hook::pkt_send : Hook::new_pkt, nanoseconds(durations[i]), i + 1);
  }
  const std::vector<SlowCall> expected = {{Hook::new_pkt, nanoseconds(900), 3},
                                          {Hook::new_pkt, nanoseconds(800), 7},
                                          {Hook::pkt_send, nanoseconds(700), 5},
                                          {Hook::new_pkt, nanoseconds(600), 9},
                                          {Hook::new_pkt, nanoseconds(50), 1}};
  EXPECT_EQ(latency.slowest(), expected);
}

TEST(HookLatency, TiesKeepTheEarlierCallFirst) {
  HookLatency latency(3);
  latency.add(Hook::new_pkt, nanoseconds(100), 1);
  latency.add(Hook::pkt_drop, nanoseconds(100), 2);
  latency.add(Hook::pkt_send, nanoseconds(200), 3);
  latency.add(Hook::pkt_drop, nanoseconds(100), 4);  // ties the kept ones: not kept
  latency.add(Hook::handle_options, nanoseconds(100), 5);
  const std::vector<SlowCall> expected = {{Hook::pkt_send, nanoseconds(200), 3},
                                          {Hook::new_pkt, nanoseconds(100), 1},
                                          {Hook::pkt_drop, nanoseconds(100), 2}};
  EXPECT_EQ(latency.slowest(), expected);

  latency.add(Hook::address_del, nanoseconds(150), 6);  // displaces request 2, the later tie
  const std::vector<SlowCall> after = {{Hook::pkt_send, nanoseconds(200), 3},
                                       {Hook::address_del, nanoseconds(150), 6},
                                       {Hook::new_pkt, nanoseconds(100), 1}};
  EXPECT_EQ(latency.slowest(), after);
}

TEST(HookLatency, FewerCallsThanSlots) {
  HookLatency latency(10);
  latency.add(Hook::new_pkt, nanoseconds(1), 1);
  latency.add(Hook::new_pkt, nanoseconds(3), 2);
  ASSERT_EQ(latency.slowest().size(), 2U);
  EXPECT_EQ(latency.slowest()[0].request, 2U);
}

TEST(HookLatency, NoSlotsKeepsNoCalls) {
  HookLatency latency(0);
  latency.add(Hook::new_pkt, nanoseconds(1), 1);
  EXPECT_TRUE(latency.slowest().empty());
  EXPECT_EQ(latency.calls(Hook::new_pkt), 1U);
}

TEST(HookLatency, ManyCallsKeepOnlyTheSlowest) {
  HookLatency latency;
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> distribution(0, 1'000'000);
  for (std::uint64_t request = 1; request <= 100'000; ++request) {
    latency.add(Hook::pkt_drop, nanoseconds(distribution(random)), request);
  }
  latency.add(Hook::pkt_drop, nanoseconds(5'000'000), 100'001);
  const auto slowest = latency.slowest();
  ASSERT_EQ(slowest.size(), HookLatency::kDefaultSlowest);
  EXPECT_EQ(slowest[0].request, 100'001U);
  EXPECT_TRUE(std::is_sorted(slowest.begin(), slowest.end(),
                             [](const auto& a, const auto& b) { return a.duration > b.duration; }));
  EXPECT_EQ(latency.total_calls(), 100'001U);
}

}  // namespace
}  // namespace calloutemu::reports
