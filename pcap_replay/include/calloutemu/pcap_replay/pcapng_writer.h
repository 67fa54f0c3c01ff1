// Writes frames to a pcapng file, each with an optional comment. libpcap
// cannot write pcapng (nor comments), so the blocks are written here: a
// Section Header Block, one Interface Description Block, then one Enhanced
// Packet Block per frame, all little-endian whatever the host's order.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "calloutemu/pcap_replay/capture_writer.h"
#include "calloutemu/pcap_replay/link_type.h"
#include "calloutemu/result.h"

namespace calloutemu::pcap_replay {

class PcapngWriter {
 public:
  static constexpr std::uint32_t kDefaultSnaplen = CaptureWriter::kDefaultSnaplen;
  // An option's length is 16 bits.
  static constexpr std::size_t kMaxCommentLength = 65535;

  // Creates (or replaces) the file and writes the section header and the
  // interface description: `link_type` (a DLT_ value, link_type.h; DLT_RAW
  // is written as LINKTYPE_RAW, the others are the same numbers), the snaplen,
  // and if_tsresol (6 for microseconds, 9 for nanoseconds). Errors name the
  // file.
  static Result<PcapngWriter> create(
      const std::filesystem::path& path,
      TimestampPrecision precision = TimestampPrecision::microseconds,
      std::uint32_t snaplen = kDefaultSnaplen, int link_type = link_type::kEthernet);

  // Appends one frame, captured whole, with `comment` as its opt_comment
  // (UTF-8; an empty comment writes no option). `timestamp` is since the
  // Unix epoch and must not be negative; microsecond files drop the
  // sub-microsecond part. Errors name the file. These write nothing: a frame
  // over the snaplen, a negative timestamp, a comment over kMaxCommentLength
  // bytes or not UTF-8, a closed file. A failed write may leave part of the
  // block behind.
  Status write(std::chrono::nanoseconds timestamp, std::span<const std::uint8_t> frame,
               std::string_view comment = {});

  // Flushes and closes, reporting a write error; the destructor closes too,
  // without a report.
  Status close();

  const std::filesystem::path& path() const { return path_; }

  PcapngWriter(PcapngWriter&&) noexcept = default;
  PcapngWriter& operator=(PcapngWriter&&) noexcept = default;
  ~PcapngWriter();

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const;
  };

  PcapngWriter() = default;
  Error error(const std::string& problem) const;
  Status write_block(std::span<const std::uint8_t> block);

  std::filesystem::path path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  TimestampPrecision precision_ = TimestampPrecision::microseconds;
  std::uint32_t snaplen_ = kDefaultSnaplen;
};

}  // namespace calloutemu::pcap_replay
