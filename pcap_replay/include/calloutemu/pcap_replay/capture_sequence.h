// Several capture files read one after the other, as a repeated --pcap lists them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/pcap_replay/capture_reader.h"

namespace calloutemu::pcap_replay {

class CaptureSequence {
 public:
  // Opens every file now, so a bad file or filter is reported before any
  // datagram is read. The filter applies to each file.
  static Result<CaptureSequence> open(const std::vector<std::filesystem::path>& paths,
                                      const std::optional<std::string>& filter = std::nullopt);

  // The next datagram of the current file, then of the next ones; each
  // datagram's file_index says which file. Errors as CaptureReader::next().
  Result<std::optional<CapturedDatagram>> next();

  const std::vector<std::filesystem::path>& paths() const { return paths_; }
  // Bytes of the files read so far and in all (for progress reports).
  std::uint64_t bytes_read() const;
  std::uint64_t bytes_total() const { return bytes_total_; }
  // The counters of every file so far, added up.
  CaptureCounters counters() const;

 private:
  CaptureSequence() = default;

  std::vector<std::filesystem::path> paths_;
  std::vector<CaptureReader> readers_;
  std::size_t current_ = 0;
  std::vector<std::uint64_t> sizes_;
  std::uint64_t bytes_total_ = 0;
};

}  // namespace calloutemu::pcap_replay
