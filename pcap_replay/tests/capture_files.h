// Capture files for the tests: pcap written byte by byte, and everything a
// reader returns, copied out of its buffer.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/pcap_replay/capture_counters.h"
#include "frame_builder.h"

namespace calloutemu::pcap_replay::test_frames {

struct PcapRecord {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;  // microseconds, or nanoseconds in a nanosecond file
  ByteVector data;
  std::optional<std::uint32_t> wire_length;  // default: data.size()
};

// A little-endian pcap file, version 2.4.
ByteVector pcap_file(int link_type, const std::vector<PcapRecord>& records,
                     bool nanoseconds = false, std::uint32_t snaplen = 65535);

void write_file(const std::filesystem::path& path, const ByteVector& bytes);
ByteVector read_file(const std::filesystem::path& path);

struct ReadDatagram {
  std::chrono::nanoseconds timestamp{};
  std::uint64_t frame_number = 0;
  std::size_t file_index = 0;
  int link_type = 0;
  ByteVector frame;
  std::uint32_t wire_length = 0;
  std::uint32_t source_address = 0;
  std::uint32_t destination_address = 0;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  ByteVector payload;
  std::size_t vlan_count = 0;
};

struct ReadAll {
  std::optional<std::string> open_error;
  std::vector<ReadDatagram> datagrams;  // up to the end or the read error
  std::optional<std::string> read_error;
  CaptureCounters counters;
};

ReadAll read_all(const std::filesystem::path& path,
                 const std::optional<std::string>& filter = std::nullopt);
ReadAll read_all(const std::vector<std::filesystem::path>& paths,
                 const std::optional<std::string>& filter = std::nullopt);

}  // namespace calloutemu::pcap_replay::test_frames
