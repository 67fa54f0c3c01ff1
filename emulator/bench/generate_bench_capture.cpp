// Writes the capture scripts/bench_replay.sh replays: DHCP requests only, from
// many clients, and the scope configuration that serves them.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "bench_requests.h"
#include "calloutemu/pcap_replay/capture_writer.h"

namespace {

using namespace calloutemu;

constexpr std::string_view kUsage =
    "Usage: generate_bench_capture --requests N --clients M --out FILE [--rate R]\n"
    "                              [--config-out FILE]\n"
    "Writes N DHCP requests from M clients to a pcap file: every client sends\n"
    "DISCOVER then REQUEST (selecting), then renews in rounds until N are written.\n"
    "  --requests N       requests to write (default 1000000)\n"
    "  --clients M        clients, at most 16777201 (default 100000)\n"
    "  --rate R           requests per second of capture time (default 10000)\n"
    "  --out FILE         the capture to write\n"
    "  --config-out FILE  also write the scope configuration that serves them\n";

constexpr std::string_view kConfig =
    "[scope bench]\n"
    "subnet = 10.0.0.0/8\n"
    "server-address = 10.0.0.1\n"
    "range = 10.0.0.10 - 10.255.255.250\n"
    "lease-time = 86400\n";

constexpr std::int64_t kBillion = 1'000'000'000;
constexpr std::int64_t kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z

struct Options {
  std::uint64_t requests = 1'000'000;
  std::uint64_t clients = 100'000;
  std::uint64_t rate = 10'000;
  std::string out;
  std::string config_out;
};

int usage_error(const std::string& message) {
  std::cerr << "generate_bench_capture: " << message << "\n" << kUsage;
  return 1;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  return std::stoull(std::string(text));
}

// Returns the exit code when the program should stop.
std::optional<int> parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (name == "--help" || name == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 == argc) {
      return usage_error("unknown option or missing value: " + std::string(name));
    }
    const std::string_view value = argv[++i];
    if (name == "--out") {
      options.out = value;
    } else if (name == "--config-out") {
      options.config_out = value;
    } else if (name == "--requests" || name == "--clients" || name == "--rate") {
      const auto count = parse_count(value);
      if (!count) {
        return usage_error(std::string(name) + ": not a number: " + std::string(value));
      }
      (name == "--requests"  ? options.requests
       : name == "--clients" ? options.clients
                             : options.rate) = *count;
    } else {
      return usage_error("unknown option: " + std::string(name));
    }
  }
  if (options.out.empty()) {
    return usage_error("--out is required");
  }
  if (options.clients == 0 || options.clients > bench::kMaxClients) {
    return usage_error("--clients must be 1 to " + std::to_string(bench::kMaxClients));
  }
  if (options.rate == 0 || options.rate > static_cast<std::uint64_t>(kBillion)) {
    return usage_error("--rate must be 1 to 1000000000");
  }
  return std::nullopt;
}

std::chrono::nanoseconds timestamp_of(std::uint64_t n, std::uint64_t rate) {
  const auto seconds = static_cast<std::int64_t>(n / rate);
  const auto fraction =
      static_cast<std::int64_t>(n % rate) * kBillion / static_cast<std::int64_t>(rate);
  return std::chrono::nanoseconds((kStart + seconds) * kBillion + fraction);
}

int write_capture(const Options& options) {
  auto writer =
      pcap_replay::CaptureWriter::create(options.out, pcap_replay::TimestampPrecision::nanoseconds);
  if (!writer) {
    std::cerr << "generate_bench_capture: " << writer.error().message << "\n";
    return 1;
  }
  std::array<std::uint8_t, bench::kMaxPayload> payload{};
  for (std::uint64_t n = 0; n < options.requests; ++n) {
    const auto request = bench::request_at(n, options.clients);
    const std::size_t length = bench::build_payload(request, options.clients, payload);
    auto frame =
        pcap_replay::build_udp_frame(bench::frame_addresses(request, static_cast<std::uint16_t>(n)),
                                     std::span(payload).first(length));
    if (!frame) {
      std::cerr << "generate_bench_capture: " << frame.error().message << "\n";
      return 1;
    }
    if (auto status = writer->write(timestamp_of(n, options.rate), *frame); !status) {
      std::cerr << "generate_bench_capture: " << status.error().message << "\n";
      return 1;
    }
  }
  if (auto status = writer->close(); !status) {
    std::cerr << "generate_bench_capture: " << status.error().message << "\n";
    return 1;
  }
  return 0;
}

int write_config(const std::string& path) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << kConfig;
  file.close();
  if (!file) {
    std::cerr << "generate_bench_capture: " << path << ": cannot write\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const auto exit_code = parse(argc, argv, options)) {
    return *exit_code;
  }
  if (const int status = write_capture(options); status != 0) {
    return status;
  }
  if (!options.config_out.empty()) {
    if (const int status = write_config(options.config_out); status != 0) {
      return status;
    }
  }
  const std::uint64_t renewals =
      options.requests > 2 * options.clients ? options.requests - 2 * options.clients : 0;
  std::cout << "wrote " << options.requests << " requests from " << options.clients << " clients ("
            << 1 + (renewals + options.clients - 1) / options.clients << " rounds) to "
            << options.out << "\n";
  return 0;
}
