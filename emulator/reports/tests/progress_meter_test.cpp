#include "calloutemu/reports/progress_meter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "calloutemu/reports/terminal.h"
#include "progress_text.h"

namespace calloutemu::reports {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A stream the test reads back, and a clock it moves by hand.
struct Harness {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream{std::tmpfile(), &std::fclose};
  Clock::time_point now = Clock::time_point(100s);

  ProgressSettings settings(bool terminal = true, bool quiet = false) {
    return {quiet, [this] { return now; }, terminal, std::size_t{80}};
  }

  std::string written() {
    std::fflush(stream.get());
    const long size = std::ftell(stream.get());
    std::string text(static_cast<std::size_t>(size), '\0');
    std::rewind(stream.get());
    const std::size_t read = std::fread(text.data(), 1, text.size(), stream.get());
    text.resize(read);
    std::fseek(stream.get(), 0, SEEK_END);
    return text;
  }

  std::size_t draws() {
    const std::string text = written();
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\r'));
  }

  // Enough updates that the meter reads the clock at least once, whatever its stride.
  static void pump(ProgressMeter& meter, std::uint64_t requests, std::uint64_t done,
                   std::uint64_t total) {
    for (std::uint32_t i = 0; i < ProgressMeter::kMaxStride; ++i) {
      meter.update(requests, done, total);
    }
  }
};

TEST(ProgressMeter, NothingInTheFirstSecond) {
  Harness h;
  ProgressMeter meter(h.stream.get(), h.settings());
  ASSERT_TRUE(meter.enabled());
  for (int i = 0; i < 100'000; ++i) {
    meter.update(static_cast<std::uint64_t>(i), 10, 100);
  }
  h.now += 999ms;
  Harness::pump(meter, 1, 10, 100);
  h.now += 1ms;  // exactly 1 s: still nothing
  Harness::pump(meter, 1, 10, 100);
  EXPECT_EQ(h.written(), "");
  h.now += 1ms;
  Harness::pump(meter, 1'000, 10, 100);
  EXPECT_EQ(h.draws(), 1U);
}

TEST(ProgressMeter, ShowsRateAndEta) {
  Harness h;
  ProgressMeter meter(h.stream.get(), h.settings());
  h.now += 2s;
  Harness::pump(meter, 100'000, 250, 1'000);
  // 25% read in 2 s: 6 s to go; 100,000 requests in 2 s.
  const std::string text = h.written();
  EXPECT_EQ(text.front(), '\r');
  EXPECT_NE(text.find(" 25%"), std::string::npos) << text;
  EXPECT_NE(text.find("100,000 requests"), std::string::npos) << text;
  EXPECT_NE(text.find("50,000 req/s"), std::string::npos) << text;
  EXPECT_NE(text.find("ETA 0:06"), std::string::npos) << text;
  EXPECT_NE(text.find("[#######"), std::string::npos) << text;
  EXPECT_LE(text.size(), 80U);  // '\r' and at most 79 columns
}

TEST(ProgressMeter, RedrawsAtMostTenTimesASecond) {
  Harness h;
  ProgressMeter meter(h.stream.get(), h.settings());
  h.now += 1500ms;
  for (int i = 0; i < 1'000'000; ++i) {
    meter.update(static_cast<std::uint64_t>(i), 1, 2);
  }
  EXPECT_EQ(h.draws(), 1U);
  h.now += 99ms;
  Harness::pump(meter, 2, 1, 2);
  EXPECT_EQ(h.draws(), 1U);
  h.now += 1ms;
  Harness::pump(meter, 3, 1, 2);
  EXPECT_EQ(h.draws(), 2U);
  // Calls every millisecond: once the stride has settled, 10 redraws a second.
  for (int ms = 0; ms < 5'000; ++ms) {
    h.now += 1ms;
    meter.update(4, 1, 2);
  }
  const std::size_t settled = h.draws();
  for (int ms = 0; ms < 5'000; ++ms) {
    h.now += 1ms;
    meter.update(4, 1, 2);
  }
  EXPECT_LE(h.draws() - settled, 50U);
  EXPECT_GE(h.draws() - settled, 45U);
}

TEST(ProgressMeter, ReadsTheClockRarelyWhenCallsAreFast) {
  Harness h;
  std::size_t clock_reads = 0;
  ProgressSettings settings = h.settings();
  settings.clock = [&] {
    ++clock_reads;
    return h.now;
  };
  ProgressMeter meter(h.stream.get(), settings);
  for (int i = 0; i < 1'000'000; ++i) {
    meter.update(1, 1, 2);
  }
  EXPECT_EQ(meter.stride(), ProgressMeter::kMaxStride);
  EXPECT_LT(clock_reads, 1'000'000U / ProgressMeter::kMaxStride + 20);
}

TEST(ProgressMeter, SlowCallsStillMoveIt) {
  Harness h;
  ProgressMeter meter(h.stream.get(), h.settings());
  for (int i = 0; i < 100'000; ++i) {
    meter.update(1, 1, 2);  // fast start: the stride grows
  }
  ASSERT_EQ(meter.stride(), ProgressMeter::kMaxStride);
  // Then one request every 50 ms (a slow callout): at the next clock read the
  // stride comes down to 1.
  for (std::uint32_t i = 0; i < ProgressMeter::kMaxStride; ++i) {
    h.now += 50ms;
    meter.update(2, 1, 2);
  }
  EXPECT_EQ(meter.stride(), 1U);
  const std::size_t before = h.draws();
  h.now += 50ms;
  meter.update(3, 1, 2);
  h.now += 50ms;
  meter.update(3, 1, 2);
  EXPECT_EQ(h.draws(), before + 1);
}

TEST(ProgressMeter, FinishClearsTheLine) {
  Harness h;
  {
    ProgressMeter meter(h.stream.get(), h.settings());
    h.now += 2s;
    Harness::pump(meter, 10, 1, 2);
    const std::size_t drawn = h.written().size() - 1;  // without the '\r'
    meter.finish();
    const std::string text = h.written();
    EXPECT_EQ(text.substr(drawn + 1), '\r' + std::string(drawn, ' ') + '\r');
    meter.finish();  // once only
    Harness::pump(meter, 10, 1, 2);
    EXPECT_EQ(h.written(), text);
  }
}

TEST(ProgressMeter, NothingToClearWhenNothingWasDrawn) {
  Harness h;
  {
    ProgressMeter meter(h.stream.get(), h.settings());
    Harness::pump(meter, 10, 1, 2);
  }  // the destructor finishes
  EXPECT_EQ(h.written(), "");
}

TEST(ProgressMeter, ShorterLinesBlankTheRest) {
  Harness h;
  ProgressMeter meter(h.stream.get(), h.settings());
  h.now += 2s;
  Harness::pump(meter, 1'000'000, 1, 2);
  const std::size_t first = h.written().size();
  h.now += 1s;
  Harness::pump(meter, 1, 1, 2);  // a shorter count
  const std::string second = h.written().substr(first);
  EXPECT_EQ(second.size(), first);  // padded with spaces to the first line's length
  EXPECT_EQ(second.back(), ' ');
}

TEST(ProgressMeter, OffWhenNotATerminalOrQuiet) {
  for (const auto& [terminal, quiet] : {std::pair{false, false}, {true, true}, {false, true}}) {
    Harness h;
    ProgressMeter meter(h.stream.get(), h.settings(terminal, quiet));
    EXPECT_FALSE(meter.enabled());
    h.now += 10s;
    Harness::pump(meter, 1, 1, 2);
    meter.finish();
    EXPECT_EQ(h.written(), "");
  }
}

TEST(ProgressMeter, AFileIsNotATerminal) {
  Harness h;
  EXPECT_FALSE(is_terminal(h.stream.get()));
  EXPECT_FALSE(is_terminal(nullptr));
  EXPECT_FALSE(terminal_width(h.stream.get()));
  ProgressMeter meter(h.stream.get(), false);  // real check, real clock
  EXPECT_FALSE(meter.enabled());
}

TEST(ProgressLine, UnknownTotalHasNoBarNorEta) {
  const std::string line = detail::progress_line({3s, 1'500, 10, 0}, 80);
  EXPECT_EQ(line, "1,500 requests  500 req/s");
}

TEST(ProgressLine, Layout) {
  EXPECT_EQ(detail::progress_line({10s, 1'234'567, 50, 100}, 80),
            "[#############..............]  50%  1,234,567 requests  123,457 req/s  ETA 0:10");
  EXPECT_EQ(detail::progress_line({1h, 7, 1, 4}, 80).substr(31),
            "]  25%  7 requests  0 req/s  ETA 3:00:00");
}

TEST(ProgressLine, NarrowTerminals) {
  const std::string narrow = detail::progress_line({10s, 1'234'567, 50, 100}, 60);
  EXPECT_EQ(narrow, " 50%  1,234,567 requests  123,457 req/s  ETA 0:10");  // no room for a bar
  EXPECT_EQ(detail::progress_line({10s, 1'234'567, 50, 100}, 11), " 50%  1,23");
  EXPECT_EQ(detail::progress_line({10s, 1, 50, 100}, 0), "");
}

TEST(ProgressLine, Extremes) {
  EXPECT_NE(detail::progress_line({2s, 0, 0, 100}, 80).find("ETA --:--"), std::string::npos);
  const std::string done = detail::progress_line({2s, 5, 200, 100}, 80);
  EXPECT_NE(done.find("100%"), std::string::npos) << done;
  EXPECT_NE(done.find("ETA 0:00"), std::string::npos) << done;
  EXPECT_NE(done.find("[##############################]"), std::string::npos) << done;
}

}  // namespace
}  // namespace calloutemu::reports
