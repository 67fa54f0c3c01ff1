// Writes frames to a pcap file: Ethernet (DLT_EN10MB) unless told otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "calloutemu/pcap_replay/link_type.h"
#include "calloutemu/result.h"

struct pcap;
struct pcap_dumper;

namespace calloutemu::pcap_replay {

enum class TimestampPrecision { microseconds, nanoseconds };

class CaptureWriter {
 public:
  static constexpr std::uint32_t kDefaultSnaplen = 262144;

  // Creates (or replaces) the file and writes the pcap file header, which
  // names `link_type` (a DLT_ value, link_type.h) for every frame. Errors name
  // the file.
  static Result<CaptureWriter> create(
      const std::filesystem::path& path,
      TimestampPrecision precision = TimestampPrecision::microseconds,
      std::uint32_t snaplen = kDefaultSnaplen, int link_type = link_type::kEthernet);

  // Appends one frame, captured whole. `timestamp` is since the Unix epoch;
  // pcap holds whole seconds in 32 unsigned bits, so it must fall in
  // 1970..2106. Microsecond files drop the sub-microsecond part. A frame over
  // the snaplen is an error.
  Status write(std::chrono::nanoseconds timestamp, std::span<const std::uint8_t> frame);

  // Flushes and closes, reporting a write error; the destructor closes too,
  // without a report.
  Status close();

  const std::filesystem::path& path() const { return path_; }

  CaptureWriter(CaptureWriter&&) noexcept = default;
  CaptureWriter& operator=(CaptureWriter&&) noexcept = default;
  ~CaptureWriter();

 private:
  struct PcapCloser {
    void operator()(pcap* handle) const;
  };
  struct DumperCloser {
    void operator()(pcap_dumper* dumper) const;
  };

  CaptureWriter() = default;
  Error error(const std::string& problem) const;

  std::filesystem::path path_;
  std::unique_ptr<pcap, PcapCloser> dead_;  // the pcap_open_dead handle the dumper needs
  std::unique_ptr<pcap_dumper, DumperCloser> dumper_;
  TimestampPrecision precision_ = TimestampPrecision::microseconds;
  std::uint32_t snaplen_ = kDefaultSnaplen;
};

}  // namespace calloutemu::pcap_replay
