#include "calloutemu/reports/progress_meter.h"

#include <algorithm>
#include <string>
#include <utility>

#include "calloutemu/reports/terminal.h"
#include "progress_text.h"

namespace calloutemu::reports {
namespace {

constexpr std::size_t kDefaultWidth = 80;
constexpr auto kFastCalls = std::chrono::milliseconds(1);
constexpr auto kSlowCalls = std::chrono::milliseconds(20);
constexpr auto kCheckInterval = std::chrono::milliseconds(10);

}  // namespace

ProgressMeter::ProgressMeter(std::FILE* stream, ProgressSettings settings)
    : stream_(stream), clock_(std::move(settings.clock)) {
  if (!clock_) {
    clock_ = [] { return std::chrono::steady_clock::now(); };
  }
  const bool terminal = settings.terminal ? *settings.terminal : is_terminal(stream);
  enabled_ = stream != nullptr && terminal && !settings.quiet;
  if (enabled_) {
    width_ = settings.width ? *settings.width : terminal_width(stream).value_or(kDefaultWidth);
    start_ = now();
    last_check_ = start_;
  }
}

ProgressMeter::ProgressMeter(std::FILE* stream, bool quiet)
    : ProgressMeter(stream, ProgressSettings{quiet, {}, std::nullopt, std::nullopt}) {}

ProgressMeter::~ProgressMeter() {
  finish();
}

ProgressMeter::TimePoint ProgressMeter::now() const {
  return clock_();
}

void ProgressMeter::check(std::uint64_t requests, std::uint64_t bytes_done,
                          std::uint64_t bytes_total) {
  since_check_ = 0;
  const TimePoint current = now();
  const auto interval = current - last_check_;
  last_check_ = current;
  if (interval < kFastCalls && stride_ < kMaxStride) {
    stride_ *= 2;
  } else if (interval > kSlowCalls && stride_ > 1) {
    // Straight to about one clock read per kCheckInterval.
    const auto per_interval = stride_ * kCheckInterval / interval;
    stride_ = static_cast<std::uint32_t>(std::max<decltype(per_interval)>(per_interval, 1));
  }

  const auto elapsed = current - start_;
  if (elapsed <= kDelay) {
    return;
  }
  if (last_draw_ && current - *last_draw_ < kRedrawInterval) {
    return;
  }
  last_draw_ = current;
  draw(elapsed, requests, bytes_done, bytes_total);
}

void ProgressMeter::draw(std::chrono::steady_clock::duration elapsed, std::uint64_t requests,
                         std::uint64_t bytes_done, std::uint64_t bytes_total) {
  const std::string text =
      detail::progress_line({elapsed, requests, bytes_done, bytes_total}, width_);
  std::string line = '\r' + text;
  if (text.size() < drawn_length_) {
    line.append(drawn_length_ - text.size(), ' ');
  }
  drawn_length_ = text.size();
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

void ProgressMeter::finish() {
  if (!enabled_) {
    return;
  }
  enabled_ = false;
  if (drawn_length_ > 0) {
    const std::string blank = '\r' + std::string(drawn_length_, ' ') + '\r';
    std::fwrite(blank.data(), 1, blank.size(), stream_);
    std::fflush(stream_);
    drawn_length_ = 0;
  }
}

}  // namespace calloutemu::reports
