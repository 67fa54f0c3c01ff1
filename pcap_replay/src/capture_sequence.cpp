#include "calloutemu/pcap_replay/capture_sequence.h"

#include <algorithm>
#include <system_error>
#include <utility>

namespace calloutemu::pcap_replay {

Result<CaptureSequence> CaptureSequence::open(const std::vector<std::filesystem::path>& paths,
                                              const std::optional<std::string>& filter) {
  CaptureSequence sequence;
  sequence.paths_ = paths;
  sequence.readers_.reserve(paths.size());
  for (const auto& path : paths) {
    auto reader = CaptureReader::open(path, filter);
    if (!reader) {
      return reader.error();
    }
    sequence.readers_.push_back(std::move(*reader));
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    sequence.sizes_.push_back(error ? 0 : size);
    sequence.bytes_total_ += sequence.sizes_.back();
  }
  return sequence;
}

Result<std::optional<CapturedDatagram>> CaptureSequence::next() {
  while (current_ < readers_.size()) {
    auto next = readers_[current_].next();
    if (!next) {
      return next;  // the reader keeps returning its error: the sequence stops there
    }
    if (next->has_value()) {
      (*next)->file_index = current_;
      return next;
    }
    ++current_;
  }
  return std::optional<CapturedDatagram>();
}

std::uint64_t CaptureSequence::bytes_read() const {
  std::uint64_t done = 0;
  for (std::size_t i = 0; i < readers_.size() && i < current_; ++i) {
    done += sizes_[i];
  }
  if (current_ < readers_.size()) {
    done += std::min(readers_[current_].position(), sizes_[current_]);
  }
  return done;
}

CaptureCounters CaptureSequence::counters() const {
  CaptureCounters total;
  for (const auto& reader : readers_) {
    total += reader.counters();
  }
  return total;
}

}  // namespace calloutemu::pcap_replay
