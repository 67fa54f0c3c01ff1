// A one-line progress bar on stderr while a long replay runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>

namespace calloutemu::reports {

struct ProgressSettings {
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  bool quiet = false;
  Clock clock;                       // empty: std::chrono::steady_clock::now
  std::optional<bool> terminal;      // nullopt: is_terminal(stream)
  std::optional<std::size_t> width;  // nullopt: terminal_width(stream), else 80
};

// Shows "[#####.....]  42%  123,456 requests  45,678 req/s  ETA 0:12", redrawn
// in place with '\r', when the stream is a terminal and the run is not quiet.
// Nothing appears in the first second (short runs never show it), and it is
// redrawn at most every 100 ms. update() is cheap: it reads the clock only
// every `stride` calls. The stride doubles (up to 4096) while clock reads come
// less than 1 ms apart, and drops to about one read per 10 ms when they come
// over 20 ms apart, so a slow callout still sees the meter move (a run that
// turns slow after a fast start waits up to 4096 calls for that).
class ProgressMeter {
 public:
  static constexpr std::chrono::milliseconds kDelay{1000};
  static constexpr std::chrono::milliseconds kRedrawInterval{100};
  static constexpr std::uint32_t kMaxStride = 4096;

  ProgressMeter(std::FILE* stream, ProgressSettings settings);
  ProgressMeter(std::FILE* stream, bool quiet);
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;
  ~ProgressMeter();  // finish()

  // `requests` handed to the server so far; `bytes_done` of `bytes_total`
  // bytes of capture read (0 total: unknown, no bar and no ETA).
  void update(std::uint64_t requests, std::uint64_t bytes_done, std::uint64_t bytes_total) {
    if (enabled_ && ++since_check_ >= stride_) {
      check(requests, bytes_done, bytes_total);
    }
  }

  // As update(), asking `bytes_done()` only when the meter looks at it (it
  // may be slow to answer).
  template <class BytesDone>
  void update_lazily(std::uint64_t requests, BytesDone&& bytes_done, std::uint64_t bytes_total) {
    if (enabled_ && ++since_check_ >= stride_) {
      check(requests, bytes_done(), bytes_total);
    }
  }

  // Clears the line if anything was drawn; the meter stays off afterwards.
  void finish();

  bool enabled() const { return enabled_; }
  std::uint32_t stride() const { return stride_; }

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  void check(std::uint64_t requests, std::uint64_t bytes_done, std::uint64_t bytes_total);
  void draw(std::chrono::steady_clock::duration elapsed, std::uint64_t requests,
            std::uint64_t bytes_done, std::uint64_t bytes_total);
  TimePoint now() const;

  std::FILE* stream_;
  ProgressSettings::Clock clock_;
  std::size_t width_ = 80;
  bool enabled_ = false;
  std::uint32_t stride_ = 1;
  std::uint32_t since_check_ = 0;
  TimePoint start_{};
  TimePoint last_check_{};
  std::optional<TimePoint> last_draw_;
  std::size_t drawn_length_ = 0;  // columns the last line took
};

}  // namespace calloutemu::reports
