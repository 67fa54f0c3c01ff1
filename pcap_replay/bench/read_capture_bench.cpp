// Reading speed: a generated capture of DISCOVER-sized frames, read whole.
// The capture is written once, at start, into a temporary file:
// CALLOUTEMU_BENCH_FRAMES sets how many frames (default 1,000,000).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/pcap_replay/capture_reader.h"
#include "calloutemu/pcap_replay/capture_writer.h"
#include "calloutemu/pcap_replay/frame_decoder.h"
#include "calloutemu/pcap_replay/udp_frame.h"

namespace {

using namespace calloutemu::pcap_replay;

constexpr std::size_t kDiscoverPayload = 300;  // a DISCOVER with a few options

// The generated file, removed when the program exits.
struct Capture {
  std::filesystem::path path;
  std::uint64_t frames = 0;
  ~Capture() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

std::vector<std::uint8_t> discover_frame(std::uint32_t index) {
  std::vector<std::uint8_t> payload(kDiscoverPayload, 0);
  payload[0] = 1;                                       // BOOTREQUEST
  payload[4] = static_cast<std::uint8_t>(index >> 24);  // xid
  payload[5] = static_cast<std::uint8_t>(index >> 16);
  payload[6] = static_cast<std::uint8_t>(index >> 8);
  payload[7] = static_cast<std::uint8_t>(index);
  const UdpFrameAddresses addresses = {
      .source_mac = {0x02, 0, static_cast<std::uint8_t>(index >> 16),
                     static_cast<std::uint8_t>(index >> 8), static_cast<std::uint8_t>(index), 1},
      .destination_mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
      .source_address = 0,
      .destination_address = 0xFFFFFFFF,
      .source_port = 68,
      .destination_port = 67,
      .ip_id = static_cast<std::uint16_t>(index),
  };
  return build_udp_frame(addresses, payload).value();
}

const Capture& capture() {
  static const Capture generated = [] {
    Capture out;
    const char* frames = std::getenv("CALLOUTEMU_BENCH_FRAMES");
    out.frames = frames != nullptr ? std::stoull(frames) : 1'000'000;
    out.path = std::filesystem::temp_directory_path() /
               ("calloutemu-bench-" + std::to_string(::getpid()) + ".pcap");
    auto writer = CaptureWriter::create(out.path, TimestampPrecision::nanoseconds);
    if (!writer) {
      std::cerr << writer.error().message << "\n";
      std::exit(1);
    }
    auto timestamp = std::chrono::nanoseconds(std::chrono::seconds(1717243200));
    for (std::uint64_t i = 0; i < out.frames; ++i) {
      timestamp += std::chrono::microseconds(10);
      if (auto status = writer->write(timestamp, discover_frame(static_cast<std::uint32_t>(i)));
          !status) {
        std::cerr << status.error().message << "\n";
        std::exit(1);
      }
    }
    if (auto status = writer->close(); !status) {
      std::cerr << status.error().message << "\n";
      std::exit(1);
    }
    return out;
  }();
  return generated;
}

void read_whole_capture(benchmark::State& state, const std::optional<std::string>& filter) {
  const Capture& file = capture();
  std::uint64_t datagrams = 0;
  for (auto _ : state) {
    auto reader = CaptureReader::open(file.path, filter);
    if (!reader) {
      state.SkipWithError(reader.error().message.c_str());
      return;
    }
    for (;;) {
      auto next = reader->next();
      if (!next) {
        state.SkipWithError(next.error().message.c_str());
        return;
      }
      if (!next->has_value()) {
        break;
      }
      benchmark::DoNotOptimize((*next)->datagram.payload.data());
      ++datagrams;
    }
  }
  state.counters["datagrams/s"] =
      benchmark::Counter(static_cast<double>(datagrams), benchmark::Counter::kIsRate);
}

void BM_ReadCapture(benchmark::State& state) {
  read_whole_capture(state, std::nullopt);
}
BENCHMARK(BM_ReadCapture)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadCaptureWithFilter(benchmark::State& state) {
  read_whole_capture(state, "udp dst port 67");
}
BENCHMARK(BM_ReadCaptureWithFilter)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DecodeFrame(benchmark::State& state) {
  const std::vector<std::uint8_t> frame = discover_frame(1);
  const auto wire_length = static_cast<std::uint32_t>(frame.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(decode_frame(link_type::kEthernet, frame, wire_length));
  }
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DecodeFrame);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
